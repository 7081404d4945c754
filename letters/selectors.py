"""Reads of letters shared by the list, its export and the bulk ZIP export."""

from .models import Letter


def replacement_reference():
    """The reference of the letter that annuls and replaces each letter (issue 13, item 1), in the query."""
    from django.db.models import OuterRef, Subquery

    return Subquery(Letter.objects.filter(cites=OuterRef("pk")).order_by("pk").values("reference")[:1])
