"""The letters of Annexe 2: the DGOS opinion letter (step 3) and the ARS CPOM notification (step 5)."""

import subprocess

import pytest
from django.urls import reverse

from letters.models import Letter

from .conftest import CPOM_DATE, State, advance, create_request

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CRMR-A2-officialisation-avis")
@pytest.mark.rule("CRMR-A2-copies-directoires")
@pytest.mark.rule("CRMR-A2-copies-ars")
@pytest.mark.rule("CRMR-2-ars-competence")
def test_opinion_letter_goes_to_the_coordinator_with_copies_to_both_directions_and_the_ars(world):
    request = advance(world, create_request(world), State.AWAITING_DOCUMENTS)
    letter = request.opinion_letter
    assert letter.sender_code == "DGOS-PF2" and letter.kind == Letter.Kind.CCMR_OPINION
    assert str(world.crmr.coordinator) in letter.addressee_labels[0]
    copies = " ".join(letter.copy_labels)
    for expected in ("CHU de Rennes (test)", "CHU de Nantes (test)", "Bretagne", "Pays de la Loire"):
        assert expected in copies
    assert set(letter.establishments.all()) == {world.crmr_establishment, world.ccmr_establishment}
    assert "avis favorable" in letter.body_html


@pytest.mark.rule("CRMR-A2-avenant-cpom")
@pytest.mark.rule("CRMR-A2-cpom-copie-dgos")
@pytest.mark.rule("CRMR-2-ars-competence")
def test_cpom_letter_is_issued_by_the_ars_with_copy_to_dgos(world):
    request = advance(world, create_request(world), State.AWAITING_ORPHANET)
    letter = request.cpom_letter
    assert letter.sender_code == "ARS-52" and letter.kind == Letter.Kind.CPOM_NOTIFICATION
    assert "CHU de Nantes (test)" in letter.addressee_labels[0]
    assert any("Direction générale de l'offre de soins" in c for c in letter.copy_labels)
    assert "AV-2026-12" in letter.subject and CPOM_DATE.strftime("%Y") in letter.body_html


def test_dgos_previews_the_opinion_letter_before_issuing(client, world, tmp_path):
    request = advance(world, create_request(world), State.AWAITING_OFFICIALISATION)
    client.force_login(world.dgos)
    url = reverse("crmr_procedures:ccmr_request_officialise", args=[request.pk])
    response = client.post(url, {"decision": "favourable", "paragraph": "Précision propre au dossier.", "preview": "1"})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "preview.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "PROJET" in text and "Précision propre au dossier." in text
    assert not Letter.objects.filter(kind=Letter.Kind.CCMR_OPINION).exists()  # nothing issued by a preview
    request.refresh_from_db()
    assert request.state == State.AWAITING_OFFICIALISATION


def test_ars_previews_the_cpom_letter_before_issuing(client, world):
    request = advance(world, create_request(world), State.AWAITING_CPOM)
    client.force_login(world.ars_centre)
    url = reverse("crmr_procedures:ccmr_request_cpom", args=[request.pk])
    response = client.post(url, {"reference": "AV-9", "date": "2026-03-01", "preview": "1"})
    assert response["Content-Type"] == "application/pdf"
    assert not Letter.objects.filter(kind=Letter.Kind.CPOM_NOTIFICATION).exists()
    response = client.post(url, {"reference": "AV-9", "date": "2026-03-01"})
    assert response.status_code == 302
    assert Letter.objects.filter(kind=Letter.Kind.CPOM_NOTIFICATION).count() == 1


@pytest.mark.parametrize(
    ("transition", "expected"),
    [
        ("transmit_for_opinion", "faire connaître l'avis d'opportunité"),
        ("transmit_for_information", "n'est pas sollicité"),
    ],
)
@pytest.mark.rule("CRMR-A2-communication-gp")
def test_dgos_transmits_the_request_to_the_groupe_permanent_by_letter(world, transition, expected):
    from crmr_procedures.competence import services

    request = services.ccmr_request_transition(request=create_request(world), user=world.dgos, name=transition)
    letter = request.transmission_letter
    assert letter.kind == Letter.Kind.GP_TRANSMISSION and letter.sender_code == "DGOS-PF2"
    assert "groupe permanent" in letter.addressee_labels[0]
    assert set(letter.readers.values_list("party", flat=True)) >= {"dgos", "gp"}
    assert expected in letter.body_html
