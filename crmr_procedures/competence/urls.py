from django.urls import path

from . import views

urlpatterns = [
    path("", views.ccmr_request_list, name="ccmr_request_list"),
    path("nouvelle/", views.ccmr_request_create, name="ccmr_request_create"),
    path("<int:pk>/", views.ccmr_request_detail, name="ccmr_request_detail"),
    path("<int:pk>/action/", views.ccmr_request_action, name="ccmr_request_action"),
    path("<int:pk>/officialiser/", views.ccmr_request_officialise, name="ccmr_request_officialise"),
    path("<int:pk>/pieces/", views.ccmr_request_upload, name="ccmr_request_upload"),
    path("<int:pk>/pieces/<int:doc_pk>/", views.ccmr_request_document, name="ccmr_request_document"),
    path("<int:pk>/cpom/", views.ccmr_request_cpom, name="ccmr_request_cpom"),
    path("<int:pk>/orphanet/", views.ccmr_request_orphanet, name="ccmr_request_orphanet"),
]
