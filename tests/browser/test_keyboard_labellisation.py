"""Keyboard-only completion of the labellisation journey (issue 7, Accessibility): the CHU signs in, fills its
application (team, criteria, evidence) and files it, then the ARS of Bretagne takes it under review and labels
it, with Tab, Shift+Tab, typing, Enter and Space only. At each key control the focus must land on it and be
visible (``:focus-visible`` and a focus ring, an outline, on the control or on its label).

The one exception is the operating system's file chooser: the evidence PDF is given with ``set_input_files``
once the file input has been reached with Tab (a browser cannot open the native dialog headlessly)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from centres.models import CrcSepCentre, Establishment
from labellisation.models import CRITERIA, Application
from tests.factories import ars_user, establishment_user
from tests.labellisation.factories import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_VISIBLE = """el => {
  if (!el.matches(':focus-visible')) return false;
  const ring = s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  if (ring(getComputedStyle(el))) return true;
  const label = el.labels && el.labels[0];
  return !!label && (ring(getComputedStyle(label)) || ring(getComputedStyle(label, '::before')));
}"""


def tab_to(page: Page, target: Locator, *, limit: int = 200, backwards: bool = False) -> Locator:
    """Press Tab (or Shift+Tab) until one of ``target``'s elements has the focus; check the focus is visible."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if target.evaluate_all("els => els.includes(document.activeElement)"):
            focused = page.locator("*:focus")
            html = focused.evaluate("e => e.outerHTML")[:200]
            assert focused.evaluate(FOCUS_VISIBLE), f"the focus on {html} is not visible"
            return focused
        page.keyboard.press(key)
    raise AssertionError(f"{target} cannot be reached with {key}")


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page: Page, select: Locator, label: str) -> None:
    """Pick an option of a focused <select> by typing its first letters (the browser's type-ahead)."""
    tab_to(page, select)
    page.keyboard.type(label[:12])
    expect(select.locator("option:checked")).to_have_text(label)


def press_and_load(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def press_button(page: Page, name: str, key: str = "Enter") -> None:
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    press_and_load(page, key)


def follow_link(page: Page, name: str) -> None:
    tab_to(page, page.get_by_role("link", name=name, exact=True))
    press_and_load(page, "Enter")


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    type_into(page, page.get_by_label("Identifiant"), username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type("demo")
    press_and_load(page, "Enter")
    expect(page).not_to_have_url(f"{live_server.url}/accounts/login/")


def sign_out(page: Page) -> None:
    press_button(page, "Se déconnecter")


def follow_menu_link(page: Page, group: str, name: str, *, backwards: bool = False) -> None:
    """The menu's entries sit in DSFR dropdowns: reach the group's button, open it with Enter, then the link."""
    tab_to(page, page.get_by_role("button", name=group, exact=True), backwards=backwards)
    page.keyboard.press("Enter")
    entry = page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name, exact=True)
    expect(entry).to_be_visible()  # the dropdown has opened
    tab_to(page, entry)
    press_and_load(page, "Enter")


def test_chu_files_and_ars_labels_an_application_with_the_keyboard_only(live_server, page, tmp_path):
    rennes = Establishment.objects.get(finess_ej="350005179")
    establishment_user(rennes)
    ars_user("53")
    evidence = tmp_path / "convention-ofsep.pdf"
    evidence.write_bytes(pdf_bytes("Convention OFSEP"))

    # The skip link is the first stop and takes the focus to the content.
    sign_in(page, live_server, "etab-350005179")
    page.keyboard.press("Tab")
    skip = page.locator("*:focus")
    expect(skip).to_have_text("Contenu")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#content *:focus")).to_have_count(1)  # the next stop is inside the content

    # the menu is before the content: back with Shift+Tab to its "CRC SEP" dropdown, opened with Enter
    follow_menu_link(page, "CRC SEP", "Mes candidatures CRC SEP", backwards=True)
    follow_link(page, "Nouvelle candidature")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nouvelle candidature")
    choose(page, page.get_by_label("Site hospitalier d'implantation"), "Hôpital Pontchaillou (CHU de Rennes)")
    choose(page, page.get_by_label("Tranche"), "Tranche 1 (financée en 2015)")
    type_into(page, page.get_by_label("Nom du centre"), "CRC SEP de Rennes")
    press_and_load(page, "Enter")  # submits the form from a text field

    expect(page.get_by_role("heading", level=1)).to_contain_text("Équipe du centre")
    type_into(page, page.get_by_label("Nom du coordonnateur"), "Pr Gilles Edan")
    type_into(page, page.get_by_label("Années de pratique en établissement expert SEP"), "12")
    type_into(page, page.get_by_label("Expérience de recherche"), "Investigateur OFSEP")
    type_into(page, page.get_by_label("Nom de l'infirmier(ère) spécialisé(e)"), "Mme Anne Le Goff")
    for label in (
        "Médecin spécialiste qualifié en neurologie",
        "Spécialisé(e) dans les soins requis pour la SEP",
        "Formé(e) à l'éducation thérapeutique (ETP)",
        "Assure l'accueil et l'orientation",
        "Assure l'information et l'accompagnement",
    ):
        box = page.get_by_label(label)
        tab_to(page, box)
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    press_button(page, "Enregistrer et continuer")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Critères du cahier des charges")
    for spec in CRITERIA:
        if spec.mandatory:
            type_into(page, page.get_by_label(f"Élément déclaré — {spec.label}"), f"Justifié : {spec.paragraph}")
    ofsep = next(spec for spec in CRITERIA if spec.code == "ofsep_edmus")
    upload = page.get_by_label(f"Pièce justificative — {ofsep.label}")
    tab_to(page, upload)  # reached with the keyboard; the native file dialog is the documented exception
    upload.set_input_files(str(evidence))
    press_button(page, "Enregistrer les critères")
    expect(page.get_by_text("Critères du cahier des charges enregistrés.")).to_be_visible()
    expect(page.get_by_role("link", name="convention-ofsep.pdf")).to_be_visible()

    press_button(page, "Déposer la candidature", key="Space")
    expect(page.get_by_text("le dossier est désormais « Déposée »")).to_be_visible()
    application = Application.objects.get(centre_name="CRC SEP de Rennes")
    assert application.state == Application.State.SUBMITTED
    sign_out(page)

    # The ARS of Bretagne: inbox → dossier → under review → labelled.
    sign_in(page, live_server, "ars-53")
    follow_menu_link(page, "CRC SEP", "Labellisation CRC SEP")
    follow_link(page, "CRC SEP de Rennes")
    press_button(page, "Prendre en instruction")
    expect(page.get_by_text("le dossier est désormais « En instruction »")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Prévisualiser le courrier — Labelliser le centre"))
    press_button(page, "Labelliser le centre")
    expect(page.get_by_text("le dossier est désormais « Labellisée »")).to_be_visible()
    assert CrcSepCentre.objects.filter(region__code="53", status="labelled", name__contains="Rennes").exists()
