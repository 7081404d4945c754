"""The registry's kinds of the header search (issue 17, item 5), registered in ``CentresConfig.ready``: the
registry is read by every signed-in account (``centres.perms.registry_access``)."""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from core.perms import Access
from core.search import Kind, Row

from .models import Ccmr, CrcSepCentre, Crmr, Establishment, Hospital, Person
from .perms import registry_access


def _registry(model, *related: str):
    def scope(user):
        if registry_access(user) == Access.NONE:
            return model.objects.none()
        return model.objects.select_related(*related)

    return scope


def _hospital_finess(terms: list[str]) -> Q:
    """An establishment is found by the FINESS ET of one of its hospitals too (exact number)."""
    numbers = [t for t in terms if re.fullmatch(r"\d{2}[\dab]\d{6}", t)]
    if not numbers:
        return Q(pk__in=[])
    numbers = [n.upper() for n in numbers] + numbers
    return Q(Exists(Hospital.objects.filter(establishment=OuterRef("pk"), finess_et__in=numbers)))


def _crcsep_row(obj) -> Row:
    detail = f"{obj.establishment.name} — {obj.hospital.name} ({obj.region.name})"
    return Row(obj.name, obj.get_absolute_url(), detail, obj.get_status_display())


def _crmr_row(obj) -> Row:
    detail = f"Filière {obj.filiere.name} — {obj.coordinating_establishment.name}"
    return Row(obj.name, obj.get_absolute_url(), detail, obj.get_kind_display())


def _ccmr_row(obj) -> Row:
    return Row(obj.name, obj.get_absolute_url(), f"{obj.crmr.name} — {obj.establishment.name}", obj.status_label)


def _person_row(obj) -> Row:
    return Row(str(obj), reverse("centres:person_detail", args=[obj.pk]), obj.specialty)


def _establishment_row(obj) -> Row:
    detail = f"FINESS EJ {obj.finess_ej} — {obj.city} ({obj.region.name})"
    return Row(obj.name, obj.get_absolute_url(), detail, obj.kind)


KINDS = (
    Kind(
        "crcsep",
        "Centres CRC SEP",
        _registry(CrcSepCentre, "establishment", "hospital", "region"),
        ("name", "establishment__name", "hospital__name", "hospital__city", "region__name"),
        ("name", "pk"),
        _crcsep_row,
    ),
    Kind(
        "crmr",
        "Centres de référence maladies rares (CRMR)",
        _registry(Crmr, "filiere", "coordinating_establishment"),
        ("name", "filiere__name", "coordinating_establishment__name", "coordinating_establishment__city"),
        ("name", "pk"),
        _crmr_row,
    ),
    Kind(
        "ccmr",
        "Centres de compétences maladies rares (CCMR)",
        _registry(Ccmr, "crmr", "establishment"),
        ("name", "crmr__name", "establishment__name", "establishment__city"),
        ("name", "pk"),
        _ccmr_row,
    ),
    Kind(
        "person",
        "Personnes",
        _registry(Person),
        ("first_name", "last_name", "title", "specialty"),
        ("last_name", "first_name", "pk"),
        _person_row,
    ),
    Kind(
        "establishment",
        "Établissements",
        _registry(Establishment, "region"),
        ("name", "finess_ej", "city", "region__name"),
        ("name", "pk"),
        _establishment_row,
        also=_hospital_finess,
    ),
)
