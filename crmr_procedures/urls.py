app_name = "crmr_procedures"

urlpatterns: list = []
