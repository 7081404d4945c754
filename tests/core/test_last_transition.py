"""``core.LastTransition``: one row per dossier holding the time of its last logged transition, kept by a
trigger on the transition log (issue 15, item 4), so that the dashboards never read the whole log."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django_fsm_log.models import StateLog

from activity_reports.models import ActivityReport
from core.db import LAST_TRANSITION_FILL
from core.models import LastTransition
from core.workflow import run_transition
from labellisation.models import Application
from reporting.dashboards import procedures_by_state_and_age
from tests.activity_reports.factories import filled_report, labelled_centre, team_user
from tests.factories import ars_user, establishment_user
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db


def _from_the_log() -> dict:
    """What the summary must hold: the latest logged transition of each dossier, read from the whole log."""
    rows = StateLog.objects.values("content_type_id", "object_id").annotate(at=Max("timestamp"))
    return {(r["content_type_id"], r["object_id"]): r["at"] for r in rows}


def _summary() -> dict:
    return {(r.content_type_id, r.object_id): r.at for r in LastTransition.objects.all()}


def test_each_transition_moves_its_dossier_and_only_it():
    centre = labelled_centre("53")
    etab = establishment_user(centre.establishment)
    report = filled_report(centre, 2024, etab)
    other = filled_report(centre, 2023, etab)
    assert _summary() == {}  # created, never moved: the dashboards count from the creation
    report = run_transition(report, "submit", user=team_user(centre))
    run_transition(other, "submit", user=team_user(centre))
    report = run_transition(report, "validate", user=etab)
    report = run_transition(report, "confirm", user=ars_user("53"))
    assert _summary() == _from_the_log()
    content_type = ContentType.objects.get_for_model(ActivityReport)
    last = StateLog.objects.filter(content_type=content_type, object_id=report.pk).latest("timestamp")
    assert LastTransition.objects.get(content_type=content_type, object_id=report.pk).at == last.timestamp
    assert LastTransition.objects.count() == 2


def test_a_log_row_dated_earlier_does_not_move_the_dossier_back_and_bulk_inserts_count():
    application = make_application(state=Application.State.SUBMITTED)
    content_type = ContentType.objects.get_for_model(Application)
    now = timezone.now()

    def log(days_ago):
        return StateLog(
            content_type=content_type,
            object_id=application.pk,
            source_state="draft",
            state="submitted",
            transition="submit",
            timestamp=now - datetime.timedelta(days=days_ago),
        )

    StateLog.objects.bulk_create([log(40), log(3), log(90)])  # an import: no signal, the trigger still runs
    StateLog.objects.create(**{f: getattr(log(10), f) for f in ("content_type", "object_id", "state", "timestamp")})
    assert _summary() == _from_the_log() == {(content_type.pk, application.pk): now - datetime.timedelta(days=3)}


def test_the_migration_fill_rebuilds_the_summary_from_the_log():
    centre = labelled_centre("53")
    etab = establishment_user(centre.establishment)
    run_transition(filled_report(centre, 2024, etab), "submit", user=team_user(centre))
    expected = _summary()
    LastTransition.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(LAST_TRANSITION_FILL)
    assert _summary() == expected == _from_the_log()


def test_dashboard_ages_after_transitions_are_those_of_the_log():
    centre = labelled_centre("53")
    etab = establishment_user(centre.establishment)
    report = run_transition(filled_report(centre, 2024, etab), "submit", user=team_user(centre))
    run_transition(report, "validate", user=etab)
    later = timezone.now() + datetime.timedelta(days=20)
    figures = next(f for f in procedures_by_state_and_age(now=later) if f.label.startswith("Rapport"))
    assert [(row["state"], row["ages"]) for row in figures.rows if row["total"]] == [
        (str(ActivityReport.State.VALIDATED.label), [0, 1, 0, 0])  # 20 days since its last logged step
    ]
