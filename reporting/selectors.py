"""Reads of the reporting app shared by its pages and jobs."""

from letters.models import Letter


def letters_for_export(filters: dict):
    """The issued letters matching an export's filters (period, letter kind, region)."""
    qs = Letter.objects.filter(status=Letter.Status.ISSUED).order_by("issued_on", "reference")
    if filters.get("date_from"):
        qs = qs.filter(issued_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(issued_on__lte=filters["date_to"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("region"):
        qs = qs.filter(region__code=filters["region"])
    return qs
