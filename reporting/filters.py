"""Filters of the alerts page (django-filter): nature, procedure, region of the dossier, overdue or upcoming."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from centres.models import Region
from core.workflow import procedures

from .models import Alert

OVERDUE, UPCOMING = "overdue", "upcoming"


def _procedure_choices():
    return [(p.model._meta.label_lower, p.label) for p in procedures()]


def _regions(request):
    """An ARS officer's alerts are about the own region: the only one offered."""
    regions = Region.objects.order_by("name")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_ars:
        return regions.filter(pk=user.region_id)
    return regions


class AlertFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="Nature", choices=Alert.Kind.choices, empty_label="Toutes")
    procedure = django_filters.ChoiceFilter(label="Procédure", choices=_procedure_choices, empty_label="Toutes")
    region = django_filters.ModelChoiceFilter(
        label="Région", queryset=_regions, to_field_name="code", empty_label="Toutes"
    )
    when = django_filters.ChoiceFilter(
        label="Échéance",
        choices=[(OVERDUE, "Dépassée"), (UPCOMING, "À venir")],
        empty_label="Toutes",
        method="due",
    )

    class Meta:
        model = Alert
        fields = ["kind", "procedure", "region", "when"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "fr-select")

    def due(self, queryset, name, value):
        """Overdue: the due date has passed, or the alert has none (a dossier waiting beyond
        ``WAITING_ALERT_DAYS``, late by definition). Upcoming: due today or later."""
        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.filter(Q(due_on__lt=today) | Q(due_on__isnull=True))
        return queryset.filter(due_on__gte=today)
