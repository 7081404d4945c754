from django.urls import include, path

app_name = "crmr_procedures"

urlpatterns = [
    path("successions/", include("crmr_procedures.succession.urls")),
    path("centres-de-competences/", include("crmr_procedures.competence.urls")),
]
