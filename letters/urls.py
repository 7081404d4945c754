from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("courriers/", views.letter_list, name="letter_list"),
    path("courriers/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("courriers/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("courriers/<int:pk>/corriger/", views.letter_correction, name="letter_correction"),
]
