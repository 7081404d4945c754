"""Out-of-scope access on every pilotage view: outsiders get 404, readers who try to write get 403."""

import pytest
from django.urls import reverse

from centres.models import OrphanetNotice, RegistryEvent
from reporting.models import ExportJob
from tests.activity_reports.factories import FIGURES, filled_report, labelled_centre, team_user
from tests.factories import CrmrFactory, ars_user, coordinator_user, dgos_user, establishment_user, gp_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    centre = labelled_centre("53")
    etab = establishment_user(centre.establishment)
    report = filled_report(centre, 2024, etab)
    crmr = CrmrFactory()
    event = RegistryEvent.objects.create(kind="coordinator_changed", effective_on="2026-01-01", summary="x", crmr=crmr)
    notice = OrphanetNotice.objects.create(event=event)
    job = ExportJob.objects.create(requested_by=dgos_user(username="asker"), filters={})
    return {"report": report, "bilan": report.ofsep_bilans.get(), "notice": notice, "job": job, "crmr": crmr}


def outsiders(objects):
    return {
        "ars-other-region": ars_user("11"),
        "gp": gp_user(),
        "coordinator": coordinator_user(objects["crmr"]),
    }


def report_urls(o):
    pk = o["report"].pk
    return [
        ("get", reverse("activity_reports:report_detail", args=[pk]), {}),
        ("get", reverse("activity_reports:report_edit", args=[pk]), {}),
        ("post", reverse("activity_reports:report_edit", args=[pk]), FIGURES),
        ("post", reverse("activity_reports:report_bilan_upload", args=[pk]), {}),
        ("get", reverse("activity_reports:report_bilan", args=[pk, o["bilan"].pk]), {}),
        ("post", reverse("activity_reports:report_action", args=[pk]), {"transition": "submit"}),
    ]


@pytest.mark.parametrize("who", ["ars-other-region", "gp", "coordinator"])
def test_outsiders_get_404_on_every_report_view(who, objects, client):
    client.force_login(outsiders(objects)[who])
    for method, url, data in report_urls(objects):
        assert getattr(client, method)(url, data).status_code == 404, url


@pytest.mark.parametrize("who", ["ars-other-region", "gp", "coordinator"])
def test_an_export_job_is_404_for_everybody_but_its_requester(who, objects, client):
    client.force_login(outsiders(objects)[who])
    for name in ("export_job", "export_job_status", "export_job_download"):
        assert client.get(reverse(f"reporting:{name}", args=[objects["job"].pk])).status_code == 404


@pytest.mark.parametrize("who", ["gp", "coordinator"])
def test_pilotage_pages_are_404_for_unconcerned_roles(who, objects, client):
    client.force_login(outsiders(objects)[who])
    for name in (
        "reporting:dashboard",
        "activity_reports:report_list",
        "reporting:orphanet",
        "reporting:letter_export",
    ):
        assert client.get(reverse(name)).status_code == 404, name
    url = reverse("reporting:orphanet_record", args=[objects["notice"].pk])
    assert client.post(url, {"communicated_on": "2026-01-02", "reference": "R"}).status_code == 404


def test_ars_reading_orphanet_cannot_record_a_communication(objects, client):
    client.force_login(ars_user("53"))
    url = reverse("reporting:orphanet_record", args=[objects["notice"].pk])
    assert client.post(url, {"communicated_on": "2026-01-02", "reference": "R"}).status_code == 403
    objects["notice"].refresh_from_db()
    assert objects["notice"].communicated_on is None


def test_anonymous_is_sent_to_login(objects, client):
    for name in (
        "reporting:dashboard",
        "activity_reports:report_list",
        "reporting:orphanet",
        "reporting:letter_export",
        "reporting:alerts",
        "letters:letter_list",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_every_pilotage_page_renders_for_the_roles_it_serves(objects, client):
    report, job = objects["report"], objects["job"]
    pages = {
        job.requested_by: [
            reverse("reporting:dashboard"),
            reverse("reporting:dashboard") + "?region=53",
            reverse("activity_reports:report_list"),
            reverse("activity_reports:report_detail", args=[report.pk]),
            reverse("reporting:letter_export"),
            reverse("reporting:export_job", args=[job.pk]),
            reverse("reporting:orphanet"),
            reverse("letters:letter_list"),
            *[
                reverse("reporting:registry_export", args=[kind])
                for kind in ("etablissements", "crc-sep", "crmr", "centres-de-competences")
            ],
            reverse("reporting:alerts"),
            reverse("reporting:preferences"),
            "/",
        ],
        ars_user("53"): [
            reverse("reporting:dashboard"),
            reverse("activity_reports:report_detail", args=[report.pk]),
            reverse("reporting:orphanet"),
            "/",
        ],
        establishment_user(report.centre.establishment): [
            reverse("activity_reports:report_list"),
            reverse("activity_reports:report_administrative_edit", args=[report.pk]),
            reverse("letters:letter_list"),
            "/",
        ],
        team_user(report.centre): [  # Annexe 1 §4: the centre's team fills the activity
            reverse("activity_reports:report_list"),
            reverse("activity_reports:report_edit", args=[report.pk]),
            reverse("activity_reports:report_detail", args=[report.pk]),
            "/",
        ],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user.username, url)
