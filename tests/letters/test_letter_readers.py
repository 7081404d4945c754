"""Who reads a letter (issue 13, item 6): its sender, its addressees and its copied parties (by role and
region, establishment, CRMR), DGOS where the text copies it, and nobody else. One access matrix per
letter kind × role × region, checked on the page, the PDF and the list alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.perms import Access
from crmr_procedures.succession.models import State as SuccessionState
from labellisation.services import application_letter_draft
from letters.engine import letter_issue, letter_produce
from letters.models import Letter
from letters.perms import letter_access, letters_visible
from tests.crmr_procedures.competence.conftest import State, advance, create_request, world  # noqa: F401
from tests.crmr_procedures.succession.helpers import Journey, multi_crmr
from tests.factories import admin_user, establishment_user
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db

ROLES = (
    "dgos",
    "gp",
    "admin",
    "ars_centre",  # ARS Pays de la Loire (52): region of the competence centre
    "ars_crmr",  # ARS Bretagne (53): region of the CRMR and of the CHU de Rennes
    "ars_other",  # ARS Auvergne-Rhône-Alpes (84): concerned by nothing
    "direction_centre",
    "direction_crmr",
    "direction_other",
    "coordinator",
    "other_coordinator",
)

# Annexe 2 (2013 instruction) and the CRC SEP decisions (2016 instruction): who the text addresses or copies.
EXPECTED = {
    "ccmr_gp_transmission": {"dgos", "gp", "admin"},  # Annexe 2, step 2: the groupe permanent only
    "ccmr_opinion": {"dgos", "admin", "coordinator", "direction_crmr", "direction_centre", "ars_crmr", "ars_centre"},
    # The CPOM notice of ARS Pays de la Loire: not the ARS of the CRMR's region (the leak of issue 13).
    "cpom": {"ars_centre", "direction_centre", "dgos", "admin"},  # Annexe 2, step 5: copy to DGOS only
    "crcsep_labelling": {"ars_crmr", "direction_crmr", "dgos", "admin"},
    "crcsep_refusal": {"ars_crmr", "direction_crmr", "dgos", "admin"},
    "crcsep_withdrawal": {"ars_crmr", "direction_crmr", "dgos", "admin"},
}


@pytest.fixture
def letters(world):  # noqa: F811
    request = advance(world, create_request(world), State.AWAITING_ORPHANET)
    made = {
        "ccmr_gp_transmission": request.transmission_letter,
        "ccmr_opinion": request.opinion_letter,
        "cpom": request.cpom_letter,
    }
    app = make_application(establishment=world.crmr_establishment)
    for decision, kind in (
        ("label", "crcsep_labelling"),
        ("reject", "crcsep_refusal"),
        ("withdraw", "crcsep_withdrawal"),
    ):
        draft = application_letter_draft(application=app, decision=decision, user=world.ars_crmr, comment="Motif")
        made[kind] = letter_issue(draft, establishments=[app.establishment])
    return made


def _users(world) -> dict:  # noqa: F811
    users = {name: getattr(world, name) for name in ROLES if name != "admin"}
    users["admin"] = admin_user()
    return users


@pytest.mark.rule("CRMR-A2-copies-directoires")
@pytest.mark.rule("CRMR-A2-cpom-copie-dgos")
def test_letter_access_matrix_per_kind_role_and_region(world, letters):  # noqa: F811
    users = _users(world)
    problems = []
    for kind, letter in letters.items():
        for role, user in users.items():
            expected = role in EXPECTED[kind]
            granted = letter_access(user, letter) >= Access.READ
            listed = letters_visible(user, Letter.objects.all()).filter(pk=letter.pk).exists()
            if granted != expected or listed != expected:
                problems.append((kind, role, f"expected {expected}, access {granted}, list {listed}"))
    assert not problems


def test_an_ars_cannot_open_another_regions_cpom_letter_about_a_centre_of_its_crmr(client, world, letters):  # noqa: F811
    cpom = letter_produce(letters["cpom"].pk)
    client.force_login(world.ars_crmr)  # ARS Bretagne: the CRMR is in its region, the letter is not for it
    assert client.get(reverse("letters:letter_detail", args=[cpom.pk])).status_code == 404
    assert client.get(reverse("letters:letter_pdf", args=[cpom.pk])).status_code == 404
    assert cpom.reference not in client.get(reverse("letters:letter_list")).content.decode()
    client.force_login(world.ars_centre)  # ARS Pays de la Loire, the sender
    assert client.get(reverse("letters:letter_detail", args=[cpom.pk])).status_code == 200
    assert client.get(reverse("letters:letter_pdf", args=[cpom.pk])).status_code == 200


def test_succession_letters_go_to_the_parties_the_text_names():
    """Annexe 1: the transmission to the vice-président santé, the call for projects to the ARS concerned,
    the officialisation to both coordinators, the présidents du directoire and the ARS."""
    crmr, other = multi_crmr("52")
    journey = Journey(crmr)
    journey.to(SuccessionState.CALL_OPEN)
    letters = {letter.kind: letter for letter in Letter.objects.filter(object_id=journey.s.pk)}
    call, transmission = letters[Letter.Kind.CALL_FOR_PROJECTS], letters[Letter.Kind.GP_TRANSMISSION]
    assert {"dgos", "ars:52"} <= set(call.readers.values_list("party", flat=True))
    assert "gp" not in set(call.readers.values_list("party", flat=True))
    assert set(transmission.readers.values_list("party", flat=True)) == {"dgos", "gp"}
    assert letter_access(journey.gp, transmission) == Access.READ
    assert letter_access(journey.coordinator, transmission) == Access.NONE
    direction_other = establishment_user(other, username="direction-accueil")
    assert letter_access(direction_other, call) == Access.NONE


@pytest.mark.rule("CRMR-A1-officialisation")
def test_the_officialisation_letter_reaches_coordinator_direction_and_ars_only():
    journey = Journey()
    succession = journey.to(SuccessionState.OFFICIALISED)
    letter = succession.letter
    parties = set(letter.readers.values_list("party", flat=True))
    establishment = succession.former_establishment
    assert {"dgos", f"est:{establishment.pk}", f"ars:{establishment.region.code}", f"crmr:{journey.crmr.pk}"} <= parties
    assert "gp" not in parties
    assert letter_access(journey.coordinator, letter) == Access.READ
    assert letter_access(establishment_user(establishment, username="direction"), letter) == Access.READ
    assert letter_access(journey.gp, letter) == Access.NONE
