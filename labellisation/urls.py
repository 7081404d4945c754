from django.urls import path

from . import views

app_name = "labellisation"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("mes-candidatures/", views.mine, name="mine"),
    path("nouvelle/", views.create, name="create"),
    path("campagnes/", views.campaigns, name="campaigns"),
    path("campagnes/<int:number>/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/equipe/", views.edit, name="edit"),
    path("<int:pk>/criteres/", views.evidence, name="evidence"),
    path("<int:pk>/action/", views.action, name="action"),
    path("<int:pk>/apercu-courrier/<str:decision>/", views.letter_preview, name="letter_preview"),
    path("<int:pk>/pieces/<int:doc_pk>/", views.document, name="document"),
    path("<int:pk>/pieces/<int:doc_pk>/supprimer/", views.document_delete, name="document_delete"),
]
