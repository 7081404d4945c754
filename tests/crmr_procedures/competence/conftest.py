"""Fixtures of the CCMR procedure: a CRMR in Bretagne (53), a competence centre's establishment in Pays de
la Loire (52), and one account per role concerned."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import User
from centres import models as c
from core.workflow import act
from crmr_procedures.competence import services
from crmr_procedures.competence.models import CcmrRequest, CcmrRequestDocument
from tests.factories import (
    CcmrFactory,
    CrmrFactory,
    EstablishmentFactory,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
    region,
)

State = CcmrRequest.State
CPOM_DATE = datetime.date(2026, 1, 15)


def pdf_upload(name: str = "piece.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@dataclass
class World:
    crmr: c.Crmr
    crmr_establishment: c.Establishment
    ccmr_establishment: c.Establishment
    existing_ccmr: c.Ccmr
    coordinator: User
    dgos: User
    gp: User
    ars_centre: User  # ARS of the CCMR's region (52): acts in steps 4–5
    ars_crmr: User  # ARS of the CRMR's region (53): copied, reads
    ars_other: User  # ARS of an unrelated region (84)
    direction_centre: User  # direction of the CCMR's establishment
    direction_crmr: User  # direction of the CRMR's establishment
    direction_other: User
    other_coordinator: User
    other_crmr: c.Crmr

    def users(self) -> dict[str, User]:
        return {k: v for k, v in vars(self).items() if isinstance(v, User)}


@pytest.fixture
def world(db) -> World:
    crmr_est = EstablishmentFactory(region=region("53"), name="CHU de Rennes (test)")
    centre_est = EstablishmentFactory(region=region("52"), name="CHU de Nantes (test)")
    crmr = CrmrFactory(coordinating_establishment=crmr_est, name="Centre de référence des maladies rares test")
    existing = CcmrFactory(crmr=crmr, establishment=centre_est, name="Centre de compétences existant")
    other_est = EstablishmentFactory(region=region("84"))
    other_crmr = CrmrFactory(coordinating_establishment=other_est)
    return World(
        crmr=crmr,
        crmr_establishment=crmr_est,
        ccmr_establishment=centre_est,
        existing_ccmr=existing,
        coordinator=coordinator_user(crmr, username="coord"),
        dgos=dgos_user(),
        gp=gp_user(),
        ars_centre=ars_user("52"),
        ars_crmr=ars_user("53"),
        ars_other=ars_user("84"),
        direction_centre=establishment_user(centre_est, username="direction-centre"),
        direction_crmr=establishment_user(crmr_est, username="direction-crmr"),
        direction_other=establishment_user(other_est, username="direction-autre"),
        other_coordinator=coordinator_user(other_crmr, username="coord-autre"),
        other_crmr=other_crmr,
    )


def create_request(world: World, kind: str = CcmrRequest.Kind.CREATION) -> CcmrRequest:
    if kind == CcmrRequest.Kind.CREATION:
        return services.ccmr_request_create(
            user=world.coordinator,
            crmr=world.crmr,
            kind=kind,
            establishment=world.ccmr_establishment,
            proposed_name="Centre de compétences de Nantes",
            team_lead={"title": "Dr", "first_name": "Anne", "last_name": "Lebreton"},
            team="Dr Anne Lebreton, neurologue ; Mme Jeanne Roux, infirmière",
            letter_text="Je souhaite créer un centre de compétences au CHU de Nantes.",
        )
    return services.ccmr_request_create(
        user=world.coordinator,
        crmr=world.crmr,
        kind=kind,
        ccmr=world.existing_ccmr,
        letter_text="Je souhaite abroger ce centre de compétences.",
    )


def advance(world: World, request: CcmrRequest, until: str, *, opinion: str = "favourable") -> CcmrRequest:
    """Drive a request through the real services up to the state ``until``."""
    opinion_name = "give_favourable_opinion" if opinion == "favourable" else "give_unfavourable_opinion"

    def transition(*, request, user, name, comment=""):
        return act(request, name, user=user, comment=comment, from_button=True)

    def cpom(r):
        return services.ccmr_request_notify_cpom(
            request=r, user=world.ars_centre, reference="AV-2026-12", date=CPOM_DATE
        )

    def orphanet(r):
        return services.ccmr_request_inform_orphanet(
            request=r, user=world.dgos, communicated_on=datetime.date(2026, 2, 1), reference="ORPHA-123"
        )

    steps = [
        (State.SUBMITTED, lambda r: transition(request=r, user=world.dgos, name="transmit_for_opinion")),
        (State.AWAITING_OPINION, lambda r: transition(request=r, user=world.gp, name=opinion_name, comment="Motifs")),
        (
            State.AWAITING_OFFICIALISATION,
            lambda r: services.ccmr_request_officialise(request=r, user=world.dgos, decision=opinion),
        ),
        (State.AWAITING_DOCUMENTS, lambda r: _send_documents(world, r)),
        (State.AWAITING_CPOM, cpom),
        (State.AWAITING_ORPHANET, orphanet),
    ]
    for state, step in steps:
        if request.state == until:
            return request
        if request.state == state:
            request = step(request)
    assert request.state == until, f"stopped at {request.state}, wanted {until}"
    return request


def _send_documents(world: World, request: CcmrRequest) -> CcmrRequest:
    for kind in CcmrRequestDocument.ARS_ONLY_KINDS:
        services.ccmr_request_upload_document(
            request=request, user=world.direction_centre, kind=kind, upload=pdf_upload()
        )
    return act(request, "send_to_ars", user=world.direction_centre, from_button=True)


def force_state(request: CcmrRequest, state: str) -> CcmrRequest:
    CcmrRequest.objects.filter(pk=request.pk).update(state=state)
    request.refresh_from_db()
    return request
