from django.urls import path

from . import views

app_name = "centres"

urlpatterns = [
    path("", views.index, name="index"),
    path("etablissements/", views.establishment_list, name="establishment_list"),
    path("etablissements/<int:pk>/", views.establishment_detail, name="establishment_detail"),
    path("crc-sep/", views.crcsep_list, name="crcsep_list"),
    path("crc-sep/<int:pk>/", views.crcsep_detail, name="crcsep_detail"),
    path("crmr/", views.crmr_list, name="crmr_list"),
    path("crmr/<int:pk>/", views.crmr_detail, name="crmr_detail"),
    path("ccmr/", views.ccmr_list, name="ccmr_list"),
    path("ccmr/<int:pk>/", views.ccmr_detail, name="ccmr_detail"),
    path("personnes/", views.person_list, name="person_list"),
    path("personnes/<int:pk>/", views.person_detail, name="person_detail"),
    path("reseau/", views.network, name="network"),
    path("carte/", views.network_map, name="map"),
    path("quotas/", views.quotas, name="quotas"),
    path("quotas/export.csv", views.quotas_csv, name="quotas_csv"),
]
