"""Search and filters of the registry lists (django-filter). Region filters take the INSEE code."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import (
    Ccmr,
    CoordinatorMandate,
    CrcSepCentre,
    Crmr,
    CrmrSite,
    Establishment,
    Filiere,
    Person,
    Region,
    Tranche,
)


def _regions(request):
    return Region.objects.order_by("name")


def _filieres(request):
    return Filiere.objects.order_by("name")


class RegistryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="search")
    region = django_filters.ModelChoiceFilter(
        label="Région", queryset=_regions, to_field_name="code", empty_label="Toutes", method="in_region"
    )

    search_fields: tuple[str, ...] = ()

    def __init__(self, *args, on=None, **kwargs):
        self.on = on or timezone.localdate()  # the date the registry is read at (``?date=``)
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "fr-select" if field.widget.input_type == "select" else "fr-input"
            field.widget.attrs.setdefault("class", css)
        self.form.fields["q"].widget.attrs.setdefault("type", "search")

    def search(self, queryset, name, value):
        terms = value.split()
        for term in terms:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(condition)
        return queryset

    def in_region(self, queryset, name, value):
        return queryset.filter(region=value)


class EstablishmentFilter(RegistryFilterSet):
    kind = django_filters.ChoiceFilter(label="Type", choices=Establishment.Kind.choices, empty_label="Tous")
    search_fields = ("name", "finess_ej", "city")

    class Meta:
        model = Establishment
        fields = ["q", "region", "kind"]

    def search(self, queryset, name, value):
        # A hospital's name finds its establishment (e.g. "Pitié" finds AP-HP).
        matching = super().search(queryset, name, value)
        by_hospital = queryset.filter(hospitals__name__icontains=value.strip()).values("pk")
        return queryset.filter(Q(pk__in=matching.values("pk")) | Q(pk__in=by_hospital))


class CrcSepFilter(RegistryFilterSet):
    tranche = django_filters.ModelChoiceFilter(
        label="Tranche", queryset=Tranche.objects.order_by("number"), to_field_name="number", empty_label="Toutes"
    )
    STATUS_CHOICES = [("labelled", "Labellisé"), ("withdrawn", "Labellisation retirée"), ("planned", "À venir")]

    status = django_filters.ChoiceFilter(label="Statut", choices=STATUS_CHOICES, empty_label="Tous", method="in_status")
    search_fields = ("name", "establishment__name", "hospital__name", "coordinator__last_name")

    def in_status(self, queryset, name, value):
        return queryset.filter(status_at=value)

    class Meta:
        model = CrcSepCentre
        fields = ["q", "region", "tranche", "status"]


class CrmrFilter(RegistryFilterSet):
    filiere = django_filters.ModelChoiceFilter(label="Filière", queryset=_filieres, empty_label="Toutes")
    kind = django_filters.ChoiceFilter(label="Type", choices=Crmr.Kind.choices, empty_label="Tous")
    search_fields = ("name", "coordinating_establishment__name", "filiere__name")

    class Meta:
        model = Crmr
        fields = ["q", "region", "filiere", "kind"]

    def search(self, queryset, name, value):
        # Also by the name of the coordinator on the date read.
        matching = super().search(queryset, name, value)
        by_coordinator = Crmr.objects.filter(
            mandates__in=CoordinatorMandate.objects.active_on(self.on).filter(
                Q(person__last_name__icontains=value.strip()) | Q(person__first_name__icontains=value.strip())
            )
        ).values("pk")
        return queryset.filter(Q(pk__in=matching.values("pk")) | Q(pk__in=by_coordinator))

    def in_region(self, queryset, name, value):
        # A multi-site CRMR belongs to every region where it has a site on the date read.
        sites = CrmrSite.objects.active_on(self.on).order_by()
        return queryset.filter(Exists(sites.filter(crmr=OuterRef("pk"), establishment__region=value)))


class CcmrFilter(RegistryFilterSet):
    STATUS_CHOICES = [("active", "En activité"), ("planned", "En création"), ("abrogated", "Abrogé")]

    filiere = django_filters.ModelChoiceFilter(
        label="Filière", queryset=_filieres, field_name="crmr__filiere", empty_label="Toutes"
    )
    status = django_filters.ChoiceFilter(label="Statut", choices=STATUS_CHOICES, empty_label="Tous", method="in_status")
    search_fields = ("name", "crmr__name", "establishment__name", "team_lead__last_name")

    class Meta:
        model = Ccmr
        fields = ["q", "region", "filiere", "status"]

    def in_region(self, queryset, name, value):
        return queryset.filter(establishment__region=value)

    def in_status(self, queryset, name, value):
        return queryset.filter(status_at=value)


class PersonFilter(RegistryFilterSet):
    """People: search by name, specialty or e-mail; the region is that of a current mandate or lead role."""

    search_fields = ("last_name", "first_name", "specialty", "email")

    class Meta:
        model = Person
        fields = ["q", "region"]

    def in_region(self, queryset, name, value):
        on = self.on
        return queryset.filter(
            Q(pk__in=CoordinatorMandate.objects.active_on(on).filter(establishment__region=value).values("person"))
            | Q(pk__in=Ccmr.objects.filter(establishment__region=value).values("team_lead"))
            | Q(pk__in=CrmrSite.objects.active_on(on).filter(establishment__region=value).values("lead"))
        )
