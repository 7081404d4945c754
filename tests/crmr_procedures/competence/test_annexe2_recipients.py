"""Annexe 2, read sentence by sentence: who receives each letter and each piece, and in which order.

Exact lists: a copy the text does not give is as wrong as a missing one.
"""

import datetime

import pytest
from django.core import mail

from core.workflow import TransitionRefused
from crmr_procedures.competence import services
from crmr_procedures.competence.models import CcmrRequest
from letters.models import Letter

from .conftest import State, advance, create_request

pytestmark = pytest.mark.django_db

GP = (
    "Vice-présidence santé du comité de suivi et de prospective du plan national maladies rares, "
    "responsable du groupe permanent"
)


@pytest.mark.rule("CRMR-A2-communication-gp")
def test_step2_the_coordinator_letter_goes_to_the_responsable_of_the_groupe_permanent_only(world):
    """ "La DGOS communique ce courrier au responsable du groupe permanent pour information"."""
    request = services.ccmr_request_transition(
        request=create_request(world), user=world.dgos, name="transmit_for_information"
    )
    letter = request.transmission_letter
    assert (letter.addressee_labels, letter.copy_labels) == ([GP], [])


@pytest.mark.rule("CRMR-A2-copies-directoires")
def test_step3_letter_to_the_coordinator_copies_both_directions_and_the_ars_concerned(world):
    """ "Un courrier de la DGOS au coordonnateur officialise l'avis, avec copie au président du directoire de
    l'établissement de santé abritant le CRMR et de celui de l'établissement abritant le centre de compétences
    et copie aux ARS concernées"."""
    world.crmr_establishment.director_name = "M. Yves Le Du"
    world.crmr_establishment.save()
    request = advance(world, create_request(world), State.AWAITING_DOCUMENTS)
    letter = request.opinion_letter
    (addressee,) = letter.addressee_labels
    assert addressee.startswith(str(world.crmr.coordinator)) and world.crmr.name in addressee
    copies = letter.copy_labels
    assert len(copies) == 4
    assert "directoire" in copies[0] and "CHU de Rennes (test)" in copies[0] and "Yves Le Du" in copies[0]
    assert "directoire" in copies[1] and "CHU de Nantes (test)" in copies[1]
    assert "Bretagne" in copies[2] and "Pays de la Loire" in copies[3]


@pytest.mark.rule("CRMR-A2-copies-directoires")
def test_step3_one_copy_each_when_the_centre_is_in_the_crmr_establishment(world):
    request = services.ccmr_request_create(
        user=world.coordinator,
        crmr=world.crmr,
        kind=CcmrRequest.Kind.CREATION,
        establishment=world.crmr_establishment,
        proposed_name="Centre de compétences de Rennes",
        team_lead={"first_name": "Anne", "last_name": "Kerleau"},
        letter_text="Création à Rennes.",
    )
    request = advance(world, request, State.AWAITING_DOCUMENTS)
    copies = request.opinion_letter.copy_labels
    assert len(copies) == 2 and "CHU de Rennes (test)" in copies[0] and "Bretagne" in copies[1]


@pytest.mark.rule("CRMR-A2-pas-copie-dgos")
def test_step4_the_pieces_go_to_the_ars_and_nothing_to_dgos(world, django_capture_on_commit_callbacks):
    """ "Le centre de compétences adresse un cahier des charges … et un contrat à l'ARS ; Pas de copie à la
    DGOS": no letter, no notification to DGOS, and DGOS cannot open the pieces."""
    from crmr_procedures.competence.perms import document_access
    from crmr_procedures.competence.services import ccmr_request_transition, ccmr_request_upload_document

    from .conftest import pdf_upload

    for user, address in ((world.dgos, "dgos@example.fr"), (world.ars_centre, "ars52@example.fr")):
        user.email = address
        user.save()
    request = advance(world, create_request(world), State.AWAITING_DOCUMENTS)
    letters_before = Letter.objects.count()
    for kind in ("specifications", "contract"):
        ccmr_request_upload_document(request=request, user=world.direction_centre, kind=kind, upload=pdf_upload())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = ccmr_request_transition(request=request, user=world.direction_centre, name="send_to_ars")
    assert request.state == State.AWAITING_CPOM
    assert Letter.objects.count() == letters_before
    recipients = {address for m in mail.outbox for address in m.to}
    assert "ars52@example.fr" in recipients and "dgos@example.fr" not in recipients
    for document in request.documents.filter(kind__in=("specifications", "contract")):
        assert not document_access(world.dgos, document)
        assert document_access(world.ars_centre, document)
    assert "sans copie à la direction générale de l'offre de soins" in request.opinion_letter.body_html


@pytest.mark.rule("CRMR-A2-cpom-copie-dgos")
def test_step5_the_ars_notifies_the_establishment_by_cpom_amendment_copy_to_dgos_only(world):
    """ "L'ARS notifie à (aux) l'établissement(s) de santé … via un avenant au CPOM ; Copie à la DGOS"."""
    request = advance(world, create_request(world), State.AWAITING_ORPHANET)
    letter = request.cpom_letter
    assert letter.sender_code == "ARS-52"
    (addressee,) = letter.addressee_labels
    assert "directoire" in addressee and "CHU de Nantes (test)" in addressee
    (copy,) = letter.copy_labels
    assert "Direction générale de l'offre de soins" in copy


@pytest.mark.rule("CRMR-A2-orphanet")
@pytest.mark.parametrize("state", [State.AWAITING_DOCUMENTS, State.AWAITING_CPOM])
def test_step6_orphanet_is_informed_last(world, state):
    """ "Transmission de l'information à Orphanet" is the last step: refused before the CPOM amendment."""
    request = advance(world, create_request(world), state)
    with pytest.raises(TransitionRefused, match="avant que la DGOS n'informe Orphanet"):
        services.ccmr_request_inform_orphanet(
            request=request, user=world.dgos, communicated_on=datetime.date(2026, 2, 1), reference="ORPHA-9"
        )
    request.refresh_from_db()
    assert request.state == state
