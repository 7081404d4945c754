"""Sender identities as reference data (issue 12, item 11): every DGOS bureau and ARS is a row editable in
the admin; letters take their sender lines, seat city, address and signatory from it and cite the
instruction they apply."""

import html
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from labellisation.services import application_letter_draft
from letters.engine import dgos_sender, letter_compose, letter_render_pdf
from letters.models import Letter, SenderIdentity, Signatory
from letters.senders import demo_signatories_load, senders_load
from tests.factories import admin_user, ars_user, dgos_user, region
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_reference_data_holds_the_two_dgos_bureaux_and_every_ars_with_its_seat():
    codes = set(SenderIdentity.objects.values_list("code", flat=True))
    assert {"DGOS-PF2", "DGOS-R4"} <= codes
    assert {f"ARS-{code}" for code in ("01", "02", "03", "04", "06", "11", "53", "84", "93", "94")} <= codes
    bretagne = SenderIdentity.objects.get(code="ARS-53")
    assert bretagne.seat_city == "Rennes" and bretagne.region == region("53")
    assert "35042 Rennes Cedex" in bretagne.address_lines
    assert SenderIdentity.objects.get(code="ARS-84").seat_city == "Lyon"
    assert SenderIdentity.objects.get(code="DGOS-PF2").seat_city == "Paris"


def test_loading_the_senders_twice_changes_nothing_and_keeps_the_signatories():
    before = list(SenderIdentity.objects.order_by("code").values())
    signatories = Signatory.objects.count()
    senders_load()
    assert list(SenderIdentity.objects.order_by("code").values()) == before
    assert Signatory.objects.count() == signatories > 0
    assert demo_signatories_load() == 0


def test_no_invented_bureau_name_only_what_the_texts_give():
    pf2 = SenderIdentity.objects.get(code="DGOS-PF2")
    assert pf2.line_list[-1] == "Bureau PF2"
    assert "Sous-direction du pilotage de la performance des acteurs de l'offre de soins" in pf2.line_list
    assert all("plateaux techniques" not in line for line in pf2.line_list)
    assert SenderIdentity.objects.get(code="DGOS-R4").line_list[-1] == "Bureau R4"


def test_demo_signatories_are_flagged_and_agree_with_their_civility():
    for signatory in Signatory.objects.all():
        assert signatory.is_demo
        signatory.full_clean()  # title agreed with the civility


def test_a_title_that_does_not_agree_with_the_civility_is_refused_in_the_admin_model():
    identity = SenderIdentity.objects.get(code="ARS-53")
    signatory = Signatory(
        sender=identity, civility="Mme", first_name="Anne", last_name="Test", title="Directeur général"
    )
    with pytest.raises(ValidationError) as error:
        signatory.full_clean()
    assert "Directrice générale" in str(error.value)
    signatory.title = "Président(e)"
    with pytest.raises(ValidationError):
        signatory.full_clean()


def test_letters_take_place_address_and_signatory_from_the_reference_data(tmp_path):
    identity = SenderIdentity.objects.get(code="ARS-53")
    identity.signatories.all().delete()
    Signatory.objects.create(
        sender=identity,
        civility="Mme",
        first_name="Anne",
        last_name="Kerbrat",
        title="Directrice générale de l'agence régionale de santé Bretagne",
        delegation="",
    )
    identity.postal_address = "1, rue de l'Exemple\n35000 Rennes"
    identity.save()
    app = make_application()
    draft = application_letter_draft(application=app, decision="label", user=ars_user("53"))
    assert (draft.sender_city, draft.signatory_name) == ("Rennes", "Anne Kerbrat")
    assert draft.sender_address == ["1, rue de l'Exemple", "35000 Rennes"]
    text = pdf_text(letter_render_pdf(draft), tmp_path)
    assert "Rennes, le " in text and "Bretagne, le" not in text
    assert "Directrice générale de l'agence régionale de santé Bretagne" in text
    assert "1, rue de l'Exemple" in text


def test_a_sender_without_signatory_refuses_to_compose_with_a_french_message():
    SenderIdentity.objects.get(code="DGOS-PF2").signatories.all().delete()
    with pytest.raises(ValidationError) as error:
        dgos_sender()
    assert "Aucun signataire" in str(error.value)


@pytest.mark.rule("SEP-entete-dgos-r4")
def test_crc_sep_letters_cite_instruction_dgos_r4_2016_176(tmp_path):
    app = make_application()
    for decision in ("label", "reject", "withdraw"):
        draft = application_letter_draft(application=app, decision=decision, user=ars_user("53"), comment="Motif.")
        assert draft.instruction == "Instruction DGOS/R4/2016/176 du 27 mai 2016"
        assert "l'instruction DGOS/R4/2016/176 du 27 mai 2016" in html.unescape(draft.body_html)
        assert any("bureau R4" in label for label in draft.copy_labels)
    text = pdf_text(letter_render_pdf(draft), tmp_path)
    assert "Instruction DGOS/R4/2016/176 du 27 mai 2016" in text


@pytest.mark.rule("CRMR-entete-dgos-pf2")
def test_crmr_letters_are_sent_by_bureau_pf2_and_cite_instruction_dgos_pf2_2013_308(tmp_path):
    draft = letter_compose(
        kind=Letter.Kind.GP_TRANSMISSION,
        sender=dgos_sender(),
        subject="Transmission",
        body_template="letters/layout/test_body.html",
        context={"message": "Corps."},
        addressees=["Groupe permanent"],
        created_by=dgos_user(),
    )
    assert draft.sender_code == "DGOS-PF2" and draft.sender_lines[-1] == "Bureau PF2"
    assert draft.instruction == "Instruction DGOS/PF2/2013/308 du 29 juillet 2013"
    text = pdf_text(letter_render_pdf(draft), tmp_path)
    assert "Instruction DGOS/PF2/2013/308 du 29 juillet 2013" in text and "Paris, le " in text


def test_admin_lists_the_senders_and_marks_demo_signatories(client):
    client.force_login(admin_user())
    response = client.get(reverse("admin:letters_senderidentity_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ARS-53" in page and "Rennes" in page and "(démonstration)" in page
    identity = SenderIdentity.objects.get(code="ARS-53")
    assert client.get(reverse("admin:letters_senderidentity_change", args=[identity.pk])).status_code == 200


def test_the_admin_address_of_senders_before_the_letters_app_still_leads_to_them(client):
    """Issue 14, item 3: URLs keep working after the models left the reporting app."""
    client.force_login(admin_user())
    response = client.get("/admin/reporting/senderidentity/?q=DGOS")
    assert response.status_code == 301
    assert response["Location"] == "/admin/letters/senderidentity/?q=DGOS"
    assert client.get(response["Location"]).status_code == 200
