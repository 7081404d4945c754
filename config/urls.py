from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts import views as accounts_views
from config import health
from core import help_views, search_views
from core import views as core_views
from letters.verification_views import letter_verification

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("ping", health.ping, name="ping"),
    path("verifier/", letter_verification, name="letter_verification"),  # public (issue 13, item 2)
    path("referentiel/", core_views.referentiel, name="referentiel"),
    path("recherche/", search_views.search_results, name="search"),  # issue 17, item 5
    path("aide/", help_views.help_index, name="help"),  # issue 17, item 6
    path("aide/<slug:role>/", help_views.help_role, name="help_role"),
    # the footer's pages, public like on every State site (issue 17, item 1)
    path("plan-du-site/", core_views.plan_du_site, name="plan_du_site"),
    path("accessibilite/", core_views.accessibilite, name="accessibilite"),
    path("mentions-legales/", core_views.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", core_views.donnees_personnelles, name="donnees_personnelles"),
    path("accounts/", include("accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),  # ProConnect sign-in (404 unless configured)
    path("centres/", include("centres.urls")),
    path("labellisation/", include("labellisation.urls")),
    path("crmr/", include("crmr_procedures.urls")),
    path("pilotage/", include("reporting.urls")),
    path("pilotage/", include("letters.urls")),
    path("pilotage/", include("activity_reports.urls")),
    # the admin pages of the models that left the reporting app (issue 14, item 3) keep their old addresses
    re_path(
        r"^admin/reporting/(?P<model>senderidentity|letter)/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/letters/%(model)s/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
]

handler404 = "core.views.not_found"

admin.site.site_header = "Administration — Centres experts et maladies rares"
admin.site.site_title = "Administration"
