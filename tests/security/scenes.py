"""Scenes for the hostile-input tests: each builds, through the real services, one object of a workflow in the
state where a form or an upload view is open, with the account entitled to use it."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from accounts.models import User


def pdf_bytes(title: str = "Piece") -> bytes:
    """A valid one-page PDF (no JavaScript, not encrypted)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Scene:
    """A URL, the account that may post to it, and the fields a valid POST carries."""

    user: User
    url: str
    data: dict[str, Any] = field(default_factory=dict)
    obj: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def labellisation_draft() -> Scene:
    from labellisation.models import CRITERIA
    from tests.factories import establishment_user
    from tests.labellisation.factories import chu, make_application

    app = make_application(complete=False)
    return Scene(
        user=establishment_user(chu()),
        url=reverse("labellisation:evidence", args=[app.pk]),
        data={f"fact_{spec.code}": "" for spec in CRITERIA},
        obj=app,
    )


def succession_journey(state: str | None = None):
    from tests.crmr_procedures.succession.helpers import Journey

    journey = Journey()
    if state:
        journey.to(state)
    return journey


def ccmr_world() -> dict[str, Any]:
    """A CRMR in Bretagne (53), the CCMR's establishment in Pays de la Loire (52), the accounts concerned."""
    from tests.factories import (
        CrmrFactory,
        EstablishmentFactory,
        ars_user,
        coordinator_user,
        dgos_user,
        establishment_user,
        gp_user,
        region,
    )

    crmr_est = EstablishmentFactory(region=region("53"), name="CHU de Rennes (test)")
    centre_est = EstablishmentFactory(region=region("52"), name="CHU de Nantes (test)")
    crmr = CrmrFactory(coordinating_establishment=crmr_est)
    return {
        "crmr": crmr,
        "centre_est": centre_est,
        "coordinator": coordinator_user(crmr, username="coord"),
        "dgos": dgos_user(),
        "gp": gp_user(),
        "ars_centre": ars_user("52"),
        "direction_centre": establishment_user(centre_est, username="direction-centre"),
    }


def ccmr_request_awaiting_documents(world: dict[str, Any]):
    """Annexe 2, steps 1 to 3, through the services: the request now waits for the establishment's pieces."""
    from crmr_procedures.competence import services

    request = services.ccmr_request_create(
        user=world["coordinator"],
        crmr=world["crmr"],
        kind="creation",
        establishment=world["centre_est"],
        proposed_name="Centre de compétences de Nantes",
        team_lead={"title": "Dr", "first_name": "Anne", "last_name": "Lebreton"},
        team="Dr Anne Lebreton",
        letter_text="Je souhaite créer un centre de compétences.",
    )
    services.ccmr_request_transition(request=request, user=world["dgos"], name="transmit_for_opinion")
    services.ccmr_request_transition(
        request=request, user=world["gp"], name="give_favourable_opinion", comment="Équipe solide"
    )
    request.refresh_from_db()
    services.ccmr_request_officialise(request=request, user=world["dgos"], decision="favourable")
    request.refresh_from_db()
    return request


def activity_report_open():
    from tests.activity_reports.factories import filled_report, labelled_centre, team_user

    centre = labelled_centre("53")
    user = team_user(centre)  # Annexe 1 §4: the centre's team fills the activity and attaches the OFSEP bilan
    return filled_report(centre, datetime.date.today().year - 1, user, with_bilan=False), user
