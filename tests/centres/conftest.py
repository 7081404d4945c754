"""Registry test helpers: one object of each kind and a signed-in user per role."""

import datetime

import pytest

from centres import models as c
from tests.factories import (
    CcmrFactory,
    CrmrFactory,
    admin_user,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
)

ROLES = ["ars", "dgos", "gp", "coordinator", "establishment", "admin"]


def make_crcsep(establishment: c.Establishment, *, tranche: int = 1, name: str = "CRC SEP de Rennes", **kw):
    return c.CrcSepCentre.objects.create(
        name=name,
        establishment=establishment,
        hospital=establishment.hospitals.first(),
        region=establishment.region,
        tranche=c.Tranche.objects.get(number=tranche),
        labelled_on=datetime.date(2016, 9, 1),
        **kw,
    )


@pytest.fixture
def registry(chu_rennes):
    crmr = CrmrFactory(coordinating_establishment=chu_rennes, name="CRMR Anomalies du développement Ouest")
    ccmr = CcmrFactory(crmr=crmr, establishment=chu_rennes, name="Centre de compétences de Rennes")
    crcsep = make_crcsep(chu_rennes)
    return {"establishment": chu_rennes, "crmr": crmr, "ccmr": ccmr, "crcsep": crcsep, "person": crmr.coordinator}


@pytest.fixture
def user_of(registry):
    def _make(role: str):
        if role == "ars":
            return ars_user("53")
        if role == "dgos":
            return dgos_user()
        if role == "gp":
            return gp_user()
        if role == "coordinator":
            return coordinator_user(registry["crmr"])
        if role == "establishment":
            return establishment_user(registry["establishment"])
        return admin_user()

    return _make
