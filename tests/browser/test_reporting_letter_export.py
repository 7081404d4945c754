"""Journey: an administrator builds a ZIP of the notification letters (real Celery worker) and
watches the progress bar until the download link appears."""

import time
import zipfile

import pytest
from playwright.sync_api import expect

from letters.engine import dgos_sender, letter_compose, letter_issue
from letters.models import Letter
from tests.browser.menu import go_to
from tests.factories import admin_user

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LETTERS = 12


def issue_letters(user):
    for n in range(LETTERS):
        letter_issue(
            letter_compose(
                kind=Letter.Kind.SUCCESSION_OFFICIALISATION,
                sender=dgos_sender(),
                subject=f"Officialisation n°{n}",
                body_template="letters/layout/test_body.html",
                context={"message": "Export"},
                addressees=["Madame la présidente du directoire"],
                created_by=user,
            )
        )
    deadline = time.monotonic() + 60
    while Letter.objects.filter(status=Letter.Status.ISSUED).count() < LETTERS:
        assert time.monotonic() < deadline, "letters not rendered by the worker"
        time.sleep(0.2)


def test_admin_builds_a_letters_zip_and_watches_the_progress(live_server, page, login, celery_app, celery_worker):
    admin = admin_user()
    issue_letters(admin)

    login("admin")
    go_to(page, "Courriers")
    page.get_by_role("link", name="Export des courriers (archive ZIP des PDF)").click()
    page.get_by_label("Procédure (nature du courrier)").select_option(label="Officialisation d'un coordonnateur")
    with page.expect_response(lambda r: "etat.json" in r.url):  # the static script polls the job's state
        page.get_by_role("button", name="Lancer l'export").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Export de courriers")
    expect(page.get_by_label("Progression de l'export")).to_have_attribute("value", "100", timeout=60_000)
    expect(page.get_by_role("status").filter(has_text="courriers")).to_contain_text(f"{LETTERS} / {LETTERS} courriers")
    link = page.get_by_role("link", name="Télécharger l'archive ZIP")
    expect(link).to_be_visible()
    expect(link).not_to_have_attribute("href", "#")
    # the failure alert stays hidden (a `hidden` element must not be shown by the DSFR's display rules)
    expect(page.locator("#export-error")).to_be_hidden()
    with page.expect_download() as download_info:
        link.click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        names = archive.namelist()
    assert "index.csv" in names and len(names) == LETTERS + 1


@pytest.mark.django_db(transaction=True)
def test_while_the_export_runs_no_download_button_and_no_failure_alert_are_shown(live_server, page, login):
    from reporting.models import ExportJob

    admin = admin_user()
    job = ExportJob.objects.create(requested_by=admin, filters={})  # queued: no worker picks it up here
    login("admin")
    page.goto(f"{live_server.url}/pilotage/courriers/export/{job.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Export de courriers n°\u00a0{job.pk}")
    expect(page.locator("#export-download")).to_be_hidden()
    expect(page.locator("#export-error")).to_be_hidden()
