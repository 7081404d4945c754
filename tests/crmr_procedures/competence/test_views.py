"""The pages: bad input re-displays with French errors and loses nothing; refused steps say why in French."""

import pytest
from django.urls import reverse

from crmr_procedures.competence.models import CcmrRequest

from .conftest import State, advance, create_request

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CRMR-A2-equipe-etablissement")
def test_incomplete_creation_form_redisplays_with_french_errors_and_keeps_the_input(client, world):
    client.force_login(world.coordinator)
    url = reverse("crmr_procedures:ccmr_request_create")
    response = client.post(url, {"kind": "creation", "crmr": world.crmr.pk, "proposed_name": "Centre de Brest"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce champ est obligatoire pour une création." in page
    assert "Joignez votre courrier à la DGOS (PDF) ou saisissez-en le texte." in page
    assert 'value="Centre de Brest"' in page
    assert not CcmrRequest.objects.exists()


def test_coordinator_cannot_pick_another_crmr_in_the_form(client, world):
    client.force_login(world.coordinator)
    url = reverse("crmr_procedures:ccmr_request_create")
    response = client.post(
        url, {"kind": "abrogation", "crmr": world.other_crmr.pk, "ccmr": world.existing_ccmr.pk, "letter_text": "x"}
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not CcmrRequest.objects.exists()


def test_non_pdf_letter_is_refused_in_french(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.coordinator)
    url = reverse("crmr_procedures:ccmr_request_create")
    fake = SimpleUploadedFile("courrier.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(
        url, {"kind": "abrogation", "crmr": world.crmr.pk, "ccmr": world.existing_ccmr.pk, "letter_file": fake}
    )
    assert "Seuls les documents PDF sont acceptés" in response.content.decode()
    assert not CcmrRequest.objects.exists()


def test_coordinator_submits_an_abrogation_through_the_form(client, world):
    client.force_login(world.coordinator)
    url = reverse("crmr_procedures:ccmr_request_create")
    response = client.post(
        url,
        {"kind": "abrogation", "crmr": world.crmr.pk, "ccmr": world.existing_ccmr.pk, "letter_text": "Abrogation"},
        follow=True,
    )
    request = CcmrRequest.objects.get()
    assert response.redirect_chain[-1][0] == request.get_absolute_url()
    assert (request.state, request.ccmr, request.establishment) == (
        State.SUBMITTED,
        world.existing_ccmr,
        world.existing_ccmr.establishment,
    )


def test_refused_orphanet_step_shows_the_french_reason(client, world):
    request = advance(world, create_request(world), State.AWAITING_CPOM)
    client.force_login(world.dgos)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "L&#x27;avenant au CPOM doit être enregistré par l&#x27;ARS avant" in page
    response = client.post(
        reverse("crmr_procedures:ccmr_request_orphanet", args=[request.pk]),
        {"communicated_on": "2026-02-01", "reference": "O-1"},
        follow=True,
    )
    assert "L&#x27;avenant au CPOM doit être enregistré par l&#x27;ARS avant" in response.content.decode()
    request.refresh_from_db()
    assert request.state == State.AWAITING_CPOM


def test_gp_opinion_without_reasons_is_refused_in_french(client, world):
    request = advance(world, create_request(world), State.AWAITING_OPINION)
    client.force_login(world.gp)
    response = client.post(
        reverse("crmr_procedures:ccmr_request_action", args=[request.pk]),
        {"transition": "give_favourable_opinion", "comment": ""},
        follow=True,
    )
    assert "Motivez l&#x27;avis du groupe permanent." in response.content.decode()


def test_data_transitions_are_not_run_through_the_generic_action(client, world):
    request = advance(world, create_request(world), State.AWAITING_CPOM)
    client.force_login(world.ars_centre)
    response = client.post(
        reverse("crmr_procedures:ccmr_request_action", args=[request.pk]), {"transition": "notify_cpom"}, follow=True
    )
    # one behaviour for the four workflows (issue 14, item 1): refused with its reason, nothing changes
    assert "ne peut pas être effectuée ici" in response.content.decode()
    request.refresh_from_db()
    assert request.state == State.AWAITING_CPOM


def test_detail_page_shows_the_timeline_with_french_state_labels(client, world):
    request = advance(world, create_request(world), State.COMPLETED)
    client.force_login(world.coordinator)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Historique du dossier" in page
    for label in ("Reçue par la DGOS", "En attente de l&#x27;avis du groupe permanent", "Terminée"):
        assert label in page


def test_abrogation_stepper_skips_the_documents_step(world):
    from crmr_procedures.competence.models import CcmrRequest as R

    request = advance(world, create_request(world, R.Kind.ABROGATION), State.AWAITING_OFFICIALISATION)
    assert request.next_step_title == "Notification par avenant au CPOM"


@pytest.mark.rule("CRMR-lettre-adresse-pf2")
def test_the_request_form_says_requests_go_to_bureau_pf2_at_its_mailbox(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("crmr_procedures:ccmr_request_create")).content.decode()
    assert "adressées à la DGOS, bureau PF2" in page
    assert 'href="mailto:DGOS-PF2@sante.gouv.fr"' in page


def test_a_refused_cpom_form_comes_back_with_the_typed_text_and_the_error_summary(client, world):
    """Issue 17, item 2: the typed input is kept; the errors are listed at the top of the dossier's page."""
    request = advance(world, create_request(world), State.AWAITING_CPOM)
    client.force_login(world.ars_centre)
    response = client.post(
        reverse("crmr_procedures:ccmr_request_cpom", args=[request.pk]),
        {"reference": "AV-2026-17", "date": "", "paragraph": "Vu l'avis favorable"},
        follow=True,
    )
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'href="#id_date"' in page
    assert 'value="AV-2026-17"' in page and "Vu l&#x27;avis favorable</textarea>" in page
    page = client.get(request.get_absolute_url()).content.decode()  # once: a new visit starts blank
    assert 'id="error-summary"' not in page and 'value="AV-2026-17"' not in page
    request.refresh_from_db()
    assert request.state == State.AWAITING_CPOM
