from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("courriers/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("courriers/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
]
