from django.urls import path

from . import views

app_name = "centres"

urlpatterns = [
    path("", views.index, name="index"),
    path("quotas/", views.quotas, name="quotas"),
]
