from django.urls import path

from . import views

app_name = "activity_reports"

# Annual activity reports of the CRC SEP (2016 instruction, Annexe 1 §4)
urlpatterns = [
    path("rapports/", views.report_list, name="report_list"),
    path("rapports/nouveau/", views.report_start, name="report_start"),
    path("rapports/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapports/<int:pk>/saisie/", views.report_edit, name="report_edit"),
    path("rapports/<int:pk>/volet-administratif/", views.report_administrative_edit, name="report_administrative_edit"),
    path("rapports/<int:pk>/bilans/", views.report_bilan_upload, name="report_bilan_upload"),
    path("rapports/<int:pk>/bilans/<int:bilan_pk>/", views.report_bilan_download, name="report_bilan"),
    path("rapports/<int:pk>/action/", views.report_action, name="report_action"),
]
