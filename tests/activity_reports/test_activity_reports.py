"""Annual activity report of a CRC SEP (2016 instruction, Annexe 1 §4): the centre's team → establishment → ARS."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_fsm_log.models import StateLog

from activity_reports.models import ActivityReport
from activity_reports.perms import activity_report_access
from core.perms import Access
from core.workflow import TransitionRefused, run_transition
from tests.activity_reports.factories import FIGURES, filled_report, labelled_centre, pdf_upload, team_user
from tests.factories import EstablishmentFactory, admin_user, ars_user, dgos_user, establishment_user, gp_user

pytestmark = pytest.mark.django_db

State = ActivityReport.State


@pytest.fixture
def centre():
    return labelled_centre("53")


@pytest.fixture
def etab(centre):
    return establishment_user(centre.establishment)


@pytest.fixture
def team(centre):
    return team_user(centre)


def _all_transitions():
    field = ActivityReport._meta.get_field("state")
    return sorted({(t.name, t.source) for t in field.get_all_transitions(ActivityReport)})


def _actor_for(name, centre):
    if name in ("confirm", "send_back"):
        return ars_user(centre.region.code)
    if name == "submit":
        return team_user(centre)
    return establishment_user(centre.establishment)


@pytest.mark.parametrize("name", sorted({n for n, _s in _all_transitions()}))
@pytest.mark.parametrize("source", State.values)
def test_every_transition_runs_only_from_its_declared_source(name, source, centre):
    actor = _actor_for(name, centre)
    report = filled_report(centre, 2024, actor)
    ActivityReport.objects.filter(pk=report.pk).update(state=source)
    report.refresh_from_db()
    allowed = (name, source) in _all_transitions()
    if allowed:
        report = run_transition(report, name, user=actor, comment="message")
        assert StateLog.objects.for_(report).filter(transition=name).exists()
    else:
        with pytest.raises(TransitionRefused):
            run_transition(report, name, user=actor, comment="message")


@pytest.mark.rule("SEP-A1-4-annuel")
@pytest.mark.rule("SEP-A1-4-rapport-annuel")
def test_centre_files_establishment_validates_and_region_ars_confirms(centre, etab, team):
    ars = ars_user("53")
    report = filled_report(centre, 2024, team)
    assert report.awaiting() == [team]
    report = run_transition(report, "submit", user=team)
    assert report.awaiting() == [etab]
    report = run_transition(report, "validate", user=etab)
    assert report.awaiting() == [ars]
    report = run_transition(report, "confirm", user=ars)
    assert report.state == State.CONFIRMED
    assert report.awaiting() == []


@pytest.mark.rule("SEP-A1-4-bilan-ofsep")
@pytest.mark.rule("SEP-A1-4-rapport-contenu")
def test_report_without_ofsep_bilan_cannot_be_submitted(centre, team):
    report = filled_report(centre, 2024, team, with_bilan=False)
    with pytest.raises(TransitionRefused) as refused:
        run_transition(report, "submit", user=team)
    assert "bilan individualisé" in refused.value.reasons[0]


@pytest.mark.rule("SEP-A1-4-rapport-standardise")
@pytest.mark.rule("SEP-A1-4-rapport-contenu")
def test_report_with_missing_figures_cannot_be_submitted(centre, team):
    report = filled_report(centre, 2024, team, etp_patients=None)
    with pytest.raises(TransitionRefused) as refused:
        run_transition(report, "submit", user=team)
    assert "indicateurs" in refused.value.reasons[0]


@pytest.mark.parametrize("name", ["submit", "validate"])
def test_another_establishment_cannot_act_on_the_report(name, centre, etab, team):
    report = filled_report(centre, 2024, etab)
    if name == "validate":
        report = run_transition(report, "submit", user=team)
    other = establishment_user(EstablishmentFactory())
    with pytest.raises(PermissionDenied):
        run_transition(report, name, user=other)


def test_ars_of_another_region_cannot_confirm(centre, etab, team):
    report = run_transition(
        run_transition(filled_report(centre, 2024, etab), "submit", user=team), "validate", user=etab
    )
    with pytest.raises(PermissionDenied):
        run_transition(report, "confirm", user=ars_user("11"))


def test_ars_sends_back_with_a_message_and_the_centre_can_edit_again(centre, etab, team, client):
    report = run_transition(
        run_transition(filled_report(centre, 2024, etab), "submit", user=team), "validate", user=etab
    )
    ars = ars_user("53")
    client.force_login(ars)
    response = client.post(
        reverse("activity_reports:report_action", args=[report.pk]),
        {"transition": "send_back", "comment": "File active incohérente"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.DRAFT
    assert StateLog.objects.for_(report).last().description == "File active incohérente"
    assert activity_report_access(team, report) == Access.WRITE


def test_sending_back_without_a_message_is_refused(centre, etab, team, client):
    report = run_transition(filled_report(centre, 2024, etab), "submit", user=team)
    client.force_login(etab)
    client.post(
        reverse("activity_reports:report_action", args=[report.pk]), {"transition": "return_to_centre", "comment": ""}
    )
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


@pytest.mark.parametrize(
    "make_user, expected",
    [
        (lambda c: dgos_user(), Access.READ),
        (lambda c: admin_user(), Access.READ),
        (lambda c: ars_user("53"), Access.READ),
        (lambda c: ars_user("11"), Access.NONE),
        (lambda c: gp_user(), Access.NONE),
        (lambda c: establishment_user(c.establishment), Access.WRITE),
        (lambda c: establishment_user(EstablishmentFactory()), Access.NONE),
        (lambda c: team_user(c), Access.WRITE),
        (lambda c: team_user(labelled_centre("53", name="Autre CRC SEP")), Access.NONE),
    ],
)
@pytest.mark.rule("SEP-A1-4-dgos-ars")
def test_report_is_visible_to_dgos_and_region_ars_only(make_user, expected, centre):
    report = filled_report(centre, 2024, dgos_user(username="owner"), with_bilan=False)
    assert activity_report_access(make_user(centre), report) == expected


def test_outsiders_get_404_and_readers_get_403_on_edit(centre, etab, client):
    report = filled_report(centre, 2024, etab)
    client.force_login(ars_user("11"))
    assert client.get(report.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("activity_reports:report_bilan", args=[report.pk, report.ofsep_bilans.get().pk])).status_code
        == 404
    )
    client.force_login(ars_user("53"))
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(reverse("activity_reports:report_edit", args=[report.pk])).status_code == 403
    assert client.post(reverse("activity_reports:report_edit", args=[report.pk]), FIGURES).status_code == 403


def test_report_page_compares_with_previous_year(centre, etab, client):
    filled_report(centre, 2023, etab, active_file_patients=400)
    report = filled_report(centre, 2024, etab, active_file_patients=450)
    client.force_login(dgos_user())
    content = client.get(report.get_absolute_url()).content.decode()
    assert "comparée à 2023" in content
    assert "+50 (+12 %)" in content


@pytest.mark.rule("SEP-A1-4-rapport-annuel")
def test_the_team_opens_fills_and_attaches_bilan(centre, team, client):
    client.force_login(team)
    response = client.post(reverse("activity_reports:report_start"), {"centre": centre.pk, "year": 2024})
    report = ActivityReport.objects.get(centre=centre, year=2024)
    assert response.url == reverse("activity_reports:report_edit", args=[report.pk])
    response = client.post(
        reverse("activity_reports:report_edit", args=[report.pk]), {**FIGURES, "partnerships": "Association"}
    )
    assert response.status_code == 302
    client.post(
        reverse("activity_reports:report_bilan_upload", args=[report.pk]), {"semester": 1, "file": pdf_upload()}
    )
    report.refresh_from_db()
    assert report.partnerships == "Association" and report.ofsep_bilans.count() == 1


def test_bad_figure_redisplays_the_form_with_a_french_error_and_keeps_input(centre, team, client):
    report = filled_report(centre, 2024, team)
    client.force_login(team)
    response = client.post(
        reverse("activity_reports:report_edit", args=[report.pk]),
        {**FIGURES, "consultations": "-3", "partnerships": "Gardé"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "supérieure ou égale à 0" in content and "Gardé" in content


def test_non_pdf_bilan_is_refused_in_french(centre, team, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = filled_report(centre, 2024, team, with_bilan=False)
    client.force_login(team)
    fake = SimpleUploadedFile("bilan.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(
        reverse("activity_reports:report_bilan_upload", args=[report.pk]), {"semester": 1, "file": fake}, follow=True
    )
    assert "Seuls les documents PDF" in response.content.decode()
    assert report.ofsep_bilans.count() == 0


def test_report_for_withdrawn_centre_cannot_be_opened(centre, etab, client):
    centre.status = "withdrawn"
    centre.save()
    client.force_login(etab)
    client.post(reverse("activity_reports:report_start"), {"centre": centre.pk, "year": 2024})
    assert not ActivityReport.objects.exists()


def test_ars_list_shows_only_its_region_and_export_too(centre, etab, client):
    filled_report(centre, 2024, etab)
    filled_report(labelled_centre("11", name="CRC SEP Île-de-France"), 2024, etab)
    client.force_login(ars_user("53"))
    html = client.get(reverse("activity_reports:report_list")).content.decode()
    assert centre.name in html and "CRC SEP Île-de-France" not in html
    csv = client.get(reverse("activity_reports:report_list") + "?export=csv").content.decode("utf-8-sig")
    assert centre.name in csv and "Île-de-France" not in csv


def test_report_list_query_count_is_the_same_at_3_and_30_rows(centre, etab, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(dgos_user())
    for year in range(2016, 2019):
        filled_report(centre, year, etab, with_bilan=False)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("activity_reports:report_list"))
    for _ in range(27):
        filled_report(labelled_centre("53"), 2024, etab, with_bilan=False)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("activity_reports:report_list"))
    assert len(small) == len(large)


@pytest.mark.parametrize("make_reader", [dgos_user, lambda: ars_user("53")])
def test_readers_posting_a_transition_they_may_not_run_get_403(make_reader, centre, etab, client):
    report = filled_report(centre, 2024, etab)
    client.force_login(make_reader())
    response = client.post(reverse("activity_reports:report_action", args=[report.pk]), {"transition": "submit"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == State.DRAFT
