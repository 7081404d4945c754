from django.urls import path

from . import views

urlpatterns = [
    path("", views.succession_list, name="succession_list"),
    path("ouvrir/", views.succession_start, name="succession_start"),
    path("cas-particulier/", views.succession_special_new, name="succession_special_new"),
    path("<int:pk>/", views.succession_detail, name="succession_detail"),
    path("<int:pk>/action/", views.succession_action, name="succession_action"),
    path("<int:pk>/preavis/", views.succession_notice, name="succession_notice"),
    path("<int:pk>/dossier/", views.succession_dossier, name="succession_dossier"),
    path("<int:pk>/cv/", views.succession_cv, name="succession_cv"),
    path("<int:pk>/accord-mig/", views.succession_mig, name="succession_mig"),
    path("<int:pk>/cv.pdf", views.succession_cv_pdf, name="succession_cv_pdf"),
    path("<int:pk>/pieces/<int:doc_pk>/", views.succession_document, name="succession_document"),
    path("<int:pk>/cas-particulier/", views.succession_special_new, name="succession_special"),
    path("<int:pk>/seance/", views.succession_session, name="succession_session"),
    path("<int:pk>/projets/", views.succession_projects, name="succession_projects"),
    path("<int:pk>/projets/<int:project_pk>/fichier/", views.succession_project_file, name="succession_project_file"),
    path("<int:pk>/projets/<int:project_pk>/avis/", views.succession_opinion, name="succession_opinion"),
    path("<int:pk>/officialiser/", views.succession_officialise, name="succession_officialise"),
    path("<int:pk>/apercu-courrier.pdf", views.succession_preview, name="succession_preview"),
    path("<int:pk>/orphanet/", views.succession_orphanet, name="succession_orphanet"),
]
