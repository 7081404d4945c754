app_name = "labellisation"

urlpatterns: list = []
