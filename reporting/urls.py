from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("courriers/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("courriers/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
]

from . import activity_views  # noqa: E402

urlpatterns += [
    path("rapports/", activity_views.report_list, name="report_list"),
    path("rapports/nouveau/", activity_views.report_start, name="report_start"),
    path("rapports/<int:pk>/", activity_views.report_detail, name="report_detail"),
    path("rapports/<int:pk>/saisie/", activity_views.report_edit, name="report_edit"),
    path("rapports/<int:pk>/bilans/", activity_views.report_bilan_upload, name="report_bilan_upload"),
    path("rapports/<int:pk>/bilans/<int:bilan_pk>/", activity_views.report_bilan_download, name="report_bilan"),
    path("rapports/<int:pk>/action/", activity_views.report_action, name="report_action"),
]
