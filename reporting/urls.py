from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import api, dashboard_views, export_views, orphanet_views, pilotage_views

app_name = "reporting"


def _api(prefix: str, viewset, name: str) -> list:
    """List and detail routes with path converters (no router regexes: every URL stays reversible with
    plain keyword arguments, which the URL-generated access matrix relies on)."""
    return [
        path(f"api/{prefix}/", viewset.as_view({"get": "list"}), name=f"{name}-list"),
        path(f"api/{prefix}/<int:pk>/", viewset.as_view({"get": "retrieve"}), name=f"{name}-detail"),
    ]


urlpatterns = [
    # Dashboards, alerts, preferences, lists and exports
    path("", dashboard_views.dashboard, name="dashboard"),
    path("tableau-de-bord/quotas/", dashboard_views.dashboard_quotas, name="dashboard_quotas"),
    path("tableau-de-bord/procedures/", dashboard_views.dashboard_procedures, name="dashboard_procedures"),
    path("tableau-de-bord/echeances/", dashboard_views.dashboard_deadlines, name="dashboard_deadlines"),
    path("tableau-de-bord/rapports/", dashboard_views.dashboard_reports, name="dashboard_reports"),
    path("alertes/", pilotage_views.alerts, name="alerts"),
    path("preferences/", pilotage_views.preferences, name="preferences"),
    path("registre/", pilotage_views.registry_export, name="registry_exports"),
    path("registre/<slug:kind>/", pilotage_views.registry_export, name="registry_export"),
    # Bulk export of issued letters
    path("courriers/export/", export_views.letter_export, name="letter_export"),
    path("courriers/export/<int:pk>/", export_views.export_job, name="export_job"),
    path("courriers/export/<int:pk>/etat.json", export_views.export_job_status, name="export_job_status"),
    path("courriers/export/<int:pk>/archive.zip", export_views.export_job_download, name="export_job_download"),
    # Orphanet feed and the read-only API
    path("orphanet/", orphanet_views.orphanet, name="orphanet"),
    path("orphanet/<int:pk>/communication/", orphanet_views.orphanet_record, name="orphanet_record"),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[api.PilotagePermission]), name="api_schema"),
    *_api("crmr", api.CrmrViewSet, "api-crmr"),
    *_api("ccmr", api.CcmrViewSet, "api-ccmr"),
    *_api("changements", api.ChangeViewSet, "api-changes"),
]
