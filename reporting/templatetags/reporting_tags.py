"""Home tiles of the pilotage part: what waits for the user (reports to act on, alerts, exports)."""

from django import template
from django.urls import reverse

from activity_reports.models import ActivityReport
from activity_reports.perms import activity_reports_visible

from ..models import Alert
from ..perms import can_export_letters, can_see_dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def reporting_tiles(context) -> list[dict]:
    user = context["request"].user
    tiles = []
    if not user.is_authenticated:
        return tiles
    alerts = Alert.objects.filter(user=user).count()
    tiles.append(
        {
            "title": "Alertes et échéances",
            "desc": "Dossiers en attente, rapports attendus, échéances",
            "url": reverse("reporting:alerts"),
            "count": alerts,
        }
    )
    if user.is_establishment or user.is_crcsep_team or user.is_ars or user.is_dgos or user.is_platform_admin:
        if user.is_crcsep_team:
            acting_states = [ActivityReport.State.DRAFT]
        elif user.is_establishment:
            acting_states = [ActivityReport.State.SUBMITTED]
        elif user.is_ars:
            acting_states = [ActivityReport.State.VALIDATED]
        else:
            acting_states = []
        count = (
            activity_reports_visible(user, ActivityReport.objects.filter(state__in=acting_states)).count()
            if acting_states
            else None
        )
        tiles.append(
            {
                "title": "Rapports d'activité",
                "desc": "Rapports annuels des CRC SEP",
                "url": reverse("activity_reports:report_list"),
                "count": count,
            }
        )
    if can_see_dashboard(user):
        tiles.append(
            {
                "title": "Tableau de bord",
                "desc": "Quotas, financements, procédures, rapports",
                "url": reverse("reporting:dashboard"),
                "count": None,
            }
        )
    if can_export_letters(user):
        tiles.append(
            {
                "title": "Export des courriers",
                "desc": "ZIP des courriers émis avec leur index",
                "url": reverse("reporting:letter_export"),
                "count": None,
            }
        )
    return tiles


@register.simple_tag
def sender_contact(code: str) -> str:
    """The contact address of a sender identity (reference data): the DGOS-PF2 mailbox to which the
    instruction of 2013 has every request addressed (lettre de couverture)."""
    from letters.models import SenderIdentity

    return SenderIdentity.objects.filter(code=code).values_list("contact", flat=True).first() or ""
