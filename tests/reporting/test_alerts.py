"""Deadline alerts computed by the beat task: waiting dossiers, reports due, tranche deadlines."""

import datetime

import pytest
from django.utils import timezone

from centres.models import Tranche
from core.workflow import run_transition
from reporting.alerts import alerts_refresh
from reporting.models import Alert
from reporting.tasks import compute_alerts
from tests.activity_reports.factories import filled_report, labelled_centre, team_user
from tests.factories import ars_user, dgos_user, establishment_user

pytestmark = pytest.mark.django_db


def test_dossier_waiting_longer_than_the_setting_alerts_the_awaited_accounts(settings):
    settings.WAITING_ALERT_DAYS = 15
    centre = labelled_centre("53")
    etab, ars, other_ars = establishment_user(centre.establishment), ars_user("53"), ars_user("11")
    report = run_transition(
        run_transition(filled_report(centre, 2024, etab), "submit", user=team_user(centre)), "validate", user=etab
    )
    assert alerts_refresh() == 0 or not Alert.objects.filter(kind=Alert.Kind.WAITING).exists()
    alerts_refresh(now=timezone.now() + datetime.timedelta(days=20, hours=1))  # the log is append-only
    waiting = Alert.objects.filter(kind=Alert.Kind.WAITING)
    assert [a.user for a in waiting] == [ars] and "depuis 20 jours" in waiting[0].message
    assert not Alert.objects.filter(user=other_ars).exists()
    run_transition(report, "confirm", user=ars)
    alerts_refresh(now=timezone.now() + datetime.timedelta(days=20, hours=1))
    assert not Alert.objects.filter(kind=Alert.Kind.WAITING).exists()


@pytest.mark.rule("SEP-A1-4-annuel")
def test_report_missing_after_30_june_is_late_for_establishment_and_ars():
    centre = labelled_centre("53", labelled_on=datetime.date(2016, 9, 1))
    etab, ars = establishment_user(centre.establishment), ars_user("53")
    now = timezone.make_aware(datetime.datetime(2026, 7, 15, 9, 0))
    alerts_refresh(now=now)
    alerts = Alert.objects.filter(kind=Alert.Kind.REPORT_DUE)
    assert {a.user for a in alerts} == {etab, ars}
    assert all("2025" in a.message and "en retard" in a.message for a in alerts)


def test_no_report_alert_long_before_the_due_date():
    labelled_centre("53")
    ars_user("53")
    alerts_refresh(now=timezone.make_aware(datetime.datetime(2026, 1, 15, 9, 0)))
    assert not Alert.objects.filter(kind=Alert.Kind.REPORT_DUE).exists()


def test_confirmed_report_clears_the_alert():
    centre = labelled_centre("53")
    etab, ars = establishment_user(centre.establishment), ars_user("53")
    now = timezone.make_aware(datetime.datetime(2026, 7, 15, 9, 0))
    alerts_refresh(now=now)
    report = filled_report(centre, 2025, etab)
    for name, actor in (("submit", team_user(centre)), ("validate", etab), ("confirm", ars)):
        report = run_transition(report, name, user=actor)
    alerts_refresh(now=now)
    assert not Alert.objects.filter(kind=Alert.Kind.REPORT_DUE).exists()


@pytest.mark.rule("SEP-lettre-echeance-septembre-2016")
def test_tranche_deadline_approaching_alerts_regions_with_quota_left_and_dgos():
    today = timezone.localdate()
    Tranche.objects.filter(number=1).update(deadline=today + datetime.timedelta(days=30))
    labelled_centre("53")  # Bretagne's quota of 1 is filled
    ars_53, ars_11, dgos = ars_user("53"), ars_user("11"), dgos_user()
    compute_alerts.delay()
    assert Alert.objects.filter(user=ars_11, kind=Alert.Kind.TRANCHE).count() == 1
    assert not Alert.objects.filter(user=ars_53, kind=Alert.Kind.TRANCHE).exists()
    assert Alert.objects.filter(user=dgos, kind=Alert.Kind.TRANCHE).exists()


def test_alerts_page_and_home_tile_show_the_users_alerts(client):
    user = ars_user("53")
    Alert.objects.create(
        user=user,
        key="k",
        kind=Alert.Kind.TRANCHE,
        message="Tranche 1 : il reste 1 centre",
        due_on=datetime.date(2026, 9, 30),
    )
    client.force_login(user)
    assert "Tranche 1 : il reste 1 centre" in client.get("/pilotage/alertes/").content.decode()
    home = client.get("/").content.decode()
    assert "Alertes et échéances" in home


# --- A constant number of queries, whatever the number of dossiers (issue 15, item 3) ------------------------

# The dossiers of each procedure, the accounts (once), the CRMR coordinators (directly, through a group), the
# open calls for projects, the successions near their effective date and DGOS, the quotas, the centres owing
# a report, the content types (cold cache), then a savepoint, the stored alerts, one delete, one update, one
# insert, its release.
REFRESH_QUERIES = 19


def _refresh_counted(now) -> tuple[int, int]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ContentType.objects.clear_cache()  # the same count whatever ran before
    with CaptureQueriesContext(connection) as queries:
        made = alerts_refresh(now=now)
    return len(queries), made


def test_a_refresh_makes_the_same_number_of_queries_for_few_and_many_dossiers(settings):
    from .alert_world import alert_world, copies_in_every_state

    settings.WAITING_ALERT_DAYS = 15
    world = alert_world()
    now = timezone.make_aware(datetime.datetime(timezone.localdate().year + 1, 7, 15, 9, 0))  # reports late
    Tranche.objects.filter(number=1).update(deadline=now.date() + datetime.timedelta(days=30))
    few = copies_in_every_state(world, 1)  # 35 dossiers: every state of every procedure
    few_queries, few_alerts = _refresh_counted(now)
    assert {a.kind for a in Alert.objects.all()} == set(Alert.Kind.values)
    many = few + copies_in_every_state(world, 14)  # 525 dossiers
    many_queries, many_alerts = _refresh_counted(now)
    assert many == 15 * few and many_alerts > 10 * few_alerts
    assert few_queries == many_queries == REFRESH_QUERIES
    assert _refresh_counted(now) == (REFRESH_QUERIES, many_alerts)  # unchanged: the same statements, no write


def test_a_refresh_writes_only_what_changed(settings):
    from .alert_world import alert_world, copies_in_every_state

    settings.WAITING_ALERT_DAYS = 15
    world = alert_world()
    copies_in_every_state(world, 1)
    alerts_refresh()
    long_ago = timezone.now() - datetime.timedelta(days=1)
    Alert.objects.update(computed_at=long_ago)
    alerts_refresh()
    assert set(Alert.objects.values_list("computed_at", flat=True)) == {long_ago}  # nothing rewritten
    first = Alert.objects.order_by("pk").first()
    Alert.objects.filter(pk=first.pk).update(message="Ancien libellé")
    Alert.objects.create(user=first.user, key="stale", kind=Alert.Kind.TRANCHE, message="Passée", computed_at=long_ago)
    alerts_refresh()
    assert not Alert.objects.filter(key="stale").exists()
    assert list(Alert.objects.exclude(computed_at=long_ago).values_list("pk", flat=True)) == [first.pk]
    assert Alert.objects.get(pk=first.pk).message == first.message


def test_alerts_carry_their_procedure_and_the_dossiers_region(settings):
    from .alert_world import alert_world, copies_in_every_state

    settings.WAITING_ALERT_DAYS = 15
    world = alert_world()
    copies_in_every_state(world, 1)
    alerts_refresh()
    waiting = Alert.objects.filter(kind=Alert.Kind.WAITING)
    assert {a.procedure for a in waiting} == {m._meta.label_lower for m in world.dossiers}
    assert {a.region_id for a in waiting} == {world.establishment.region_id}


def test_the_dossiers_addresses_are_reversed_once_per_procedure_and_equal_their_own():
    from reporting.alerts import _url, _url_of

    from .alert_world import alert_world

    for model, dossier in alert_world().dossiers.items():
        assert _url_of(model) is not _url, model.__name__  # the pk only: reversed once
        assert _url_of(model)(dossier) == dossier.get_absolute_url()

    class ByCentre:  # an address that reads more than the pk: asked of each dossier
        def __init__(self, pk=None, centre=None):
            self.pk, self.centre = pk, centre

        def get_absolute_url(self):
            return f"/centres/{self.centre.pk}/dossiers/{self.pk}/"

    assert _url_of(ByCentre) is _url
