"""Annexe 1 §4 as written: "renseignés à la fois par l'équipe en charge du centre et par les services
administratifs compétents des établissements de rattachement (DIM, DAF, etc.)", with the OFSEP bilan,
"mis à disposition de la DGOS et de l'ARS" to "ajuster les ressources financières des centres"."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role
from activity_reports.models import ActivityReport
from core.workflow import TransitionRefused, run_transition
from reporting.alerts import alerts_compute
from tests.activity_reports.factories import ADMINISTRATIVE, FIGURES, filled_report, labelled_centre, team_user
from tests.factories import UserFactory, ars_user, establishment_user

pytestmark = pytest.mark.django_db

State = ActivityReport.State


@pytest.fixture
def centre():
    return labelled_centre("53", name="CRC SEP de Rennes")


@pytest.mark.rule("SEP-A1-4-rapport-annuel")
def test_a_team_account_needs_its_centre():
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="equipe-sans-centre", role=Role.CRCSEP_TEAM)


@pytest.mark.rule("SEP-A1-4-rapport-annuel")
def test_the_direction_no_longer_fills_and_transmits_the_teams_part(centre, client):
    etab = establishment_user(centre.establishment)
    report = filled_report(centre, 2024, etab)
    with pytest.raises(PermissionDenied):
        run_transition(report, "submit", user=etab)
    client.force_login(etab)
    assert client.get(reverse("activity_reports:report_edit", args=[report.pk])).status_code == 403
    assert client.post(reverse("activity_reports:report_edit", args=[report.pk]), FIGURES).status_code == 403


@pytest.mark.rule("SEP-A1-4-rapport-annuel")
def test_a_team_sees_only_its_own_centre(centre, client):
    other = labelled_centre("53", name="CRC SEP de Brest")
    report = filled_report(centre, 2024, team_user(centre))
    client.force_login(team_user(other))
    assert client.get(report.get_absolute_url()).status_code == 404
    html = client.get(reverse("activity_reports:report_list")).content.decode()
    assert "CRC SEP de Brest" in html and "CRC SEP de Rennes" not in html


@pytest.mark.rule("SEP-A1-4-rapport-contenu")
def test_validation_needs_the_dim_daf_part_which_only_the_direction_fills(centre, client):
    team, etab = team_user(centre), establishment_user(centre.establishment)
    report = filled_report(centre, 2024, team, administrative=False)
    report = run_transition(report, "submit", user=team)
    with pytest.raises(TransitionRefused) as refused:
        run_transition(report, "validate", user=etab)
    assert "volet des services administratifs de l'établissement (DIM, DAF)" in refused.value.reasons[0]

    url = reverse("activity_reports:report_administrative_edit", args=[report.pk])
    client.force_login(team)
    assert client.get(url).status_code == 403
    client.force_login(etab)
    bad = client.post(url, {**ADMINISTRATIVE, "daf_expenses": "-5"})
    assert bad.status_code == 200 and "supérieure ou égale à 0" in bad.content.decode()
    assert client.post(url, ADMINISTRATIVE).status_code == 302
    report.refresh_from_db()
    assert report.dim_sep_patients == 380
    report = run_transition(report, "validate", user=etab)
    assert report.state == State.VALIDATED
    assert client.get(url).status_code == 403  # validated: the part is closed


@pytest.mark.rule("SEP-A1-4-rapport-contenu")
@pytest.mark.rule("SEP-A1-4-ajuster-ressources")
def test_the_report_shows_activity_per_mission_the_ofsep_bilan_and_the_resources_to_the_ars(centre, client):
    report = filled_report(centre, 2024, team_user(centre), referred_patients=77)
    client.force_login(ars_user("53"))
    html = client.get(report.get_absolute_url()).content.decode()
    for mission in (
        "§2.1 Centre de compétences pluriprofessionnelles",
        "§2.2 Centre de recours et de coordination",
        "§2.3 Harmonisation des pratiques et formation",
        "§2.4 Innovation thérapeutique et recherche, OFSEP",
    ):
        assert mission in html
    assert "Patients adressés par un praticien du territoire" in html and "77" in html
    assert "Dépenses affectées au centre (DAF, €)" in html and "98500" in html
    assert "ajuster les ressources financières des centres" in html and "100\u202f000\u00a0€" in html  # amount_fr
    assert "bilan-ofsep.pdf" in html


@pytest.mark.rule("SEP-A1-4-rapport-annuel")
def test_the_team_is_told_when_the_report_is_due(centre):
    import datetime

    from activity_reports.selectors import last_activity_year, report_due_date

    team = team_user(centre)
    today = report_due_date(last_activity_year(datetime.date(2025, 6, 1)))
    from django.utils import timezone

    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    keys = {(user_id, key) for user_id, key, *_rest in alerts_compute(now)}
    assert any(user_id == team.pk and key.startswith(f"report:{centre.pk}:") for user_id, key in keys)


@pytest.mark.rule("SEP-A1-4-rapport-contenu")
def test_the_ars_export_carries_the_dim_daf_part(centre, client):
    filled_report(centre, 2024, team_user(centre))
    client.force_login(ars_user("53"))
    csv = client.get(reverse("activity_reports:report_list") + "?export=csv").content.decode("utf-8-sig")
    header = csv.splitlines()[0]
    assert "dépenses affectées au centre (DAF, €)" in header and "98500" in csv


@pytest.mark.rule("SEP-A1-4-rapport-annuel")
def test_the_team_account_lands_on_its_reports(centre, client):
    filled_report(centre, 2024, team_user(centre))
    client.force_login(team_user(centre))
    home = html.unescape(client.get("/").content.decode())
    assert reverse("activity_reports:report_list") in home and "Rapports d'activité" in home
    listing = client.get(reverse("activity_reports:report_list")).content.decode()
    assert "Remplir le rapport de CRC SEP de Rennes" in listing
