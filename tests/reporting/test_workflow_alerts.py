"""Deadline alerts on the real workflows: a succession whose effective date approaches without
officialisation (DGOS), a dossier waiting longer than ``WAITING_ALERT_DAYS`` for the actor who must act,
and never an alert about another region for an ARS."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.workflow import awaiting, run_transition
from crmr_procedures.competence.models import CcmrRequest
from crmr_procedures.succession import services
from crmr_procedures.succession.models import State as SuccessionState
from crmr_procedures.succession.models import Succession
from reporting.alerts import SUCCESSION_WARNING_DAYS, alerts_refresh
from reporting.models import Alert
from tests.crmr_procedures.competence.conftest import advance, create_request, world  # noqa: F401  (fixture)
from tests.crmr_procedures.succession.helpers import Journey, multi_crmr
from tests.factories import (
    CrmrFactory,
    EstablishmentFactory,
    UserFactory,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    region,
)
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db


def later(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days, hours=1)


def alerted(kind: str) -> set:
    return set(Alert.objects.filter(kind=kind).values_list("user__username", flat=True))


# --- Effective date of a succession approaching without officialisation ------------------------------------


def _succession(state: str, effective_in_days: int) -> Succession:
    establishment = EstablishmentFactory(region=region("53"))
    crmr = CrmrFactory(coordinating_establishment=establishment)
    return Succession.objects.create(
        crmr=crmr,
        state=state,
        former_coordinator=crmr.coordinator,
        former_establishment=establishment,
        created_by=UserFactory(),
        effective_on=timezone.localdate() + datetime.timedelta(days=effective_in_days),
    )


def test_effective_date_approaching_before_officialisation_alerts_dgos():
    dgos, ars = dgos_user(), ars_user("53")
    succession = _succession(SuccessionState.OPINION_FAVOURABLE, effective_in_days=10)
    coordinator_user(succession.crmr)
    alerts_refresh()
    alerts = Alert.objects.filter(kind=Alert.Kind.SUCCESSION)
    assert [a.user for a in alerts] == [dgos]
    assert alerts[0].due_on == succession.effective_on
    assert f"date d'effet le {succession.effective_on:%d/%m/%Y} sans officialisation" in alerts[0].message
    assert alerts[0].url == succession.get_absolute_url()
    assert not Alert.objects.filter(user=ars).exists()


def test_effective_date_approaching_while_the_coordinator_must_act_alerts_him_or_her_and_dgos():
    dgos = dgos_user()
    succession = _succession(SuccessionState.NOTICE_FORWARDED, effective_in_days=SUCCESSION_WARNING_DAYS)
    coordinator = coordinator_user(succession.crmr)
    alerts_refresh()
    assert alerted(Alert.Kind.SUCCESSION) == {dgos.username, coordinator.username}


def test_a_draft_notice_alerts_its_coordinator_only():
    dgos_user()
    succession = _succession(SuccessionState.DRAFT, effective_in_days=5)
    coordinator = coordinator_user(succession.crmr)
    alerts_refresh()
    assert alerted(Alert.Kind.SUCCESSION) == {coordinator.username}


def test_no_effective_date_alert_once_officialised_or_when_far_off():
    dgos_user()
    _succession(SuccessionState.OFFICIALISED, effective_in_days=5)
    _succession(SuccessionState.OPINION_FAVOURABLE, effective_in_days=SUCCESSION_WARNING_DAYS + 1)
    alerts_refresh()
    assert not Alert.objects.filter(kind=Alert.Kind.SUCCESSION).exists()


def test_officialising_clears_the_effective_date_alert():
    journey = Journey()
    journey.to(SuccessionState.OPINION_FAVOURABLE)
    Succession.objects.filter(pk=journey.s.pk).update(effective_on=timezone.localdate() + datetime.timedelta(days=7))
    alerts_refresh()
    assert Alert.objects.filter(kind=Alert.Kind.SUCCESSION, user=journey.dgos).exists()
    services.succession_officialise(succession=journey.refresh(), user=journey.dgos)
    assert journey.refresh().state == SuccessionState.OFFICIALISED
    alerts_refresh()
    assert not Alert.objects.filter(kind=Alert.Kind.SUCCESSION).exists()


# --- Dossiers waiting for one actor longer than WAITING_ALERT_DAYS -------------------------------------------


def test_a_submitted_application_waiting_too_long_alerts_its_regions_ars_only(settings):
    settings.WAITING_ALERT_DAYS = 15
    app = make_application()  # Bretagne (53)
    applicant = establishment_user(app.establishment)
    ars, other_ars, dgos = ars_user("53"), ars_user("11"), dgos_user()
    run_transition(app, "submit", user=applicant)
    alerts_refresh(now=later(14))
    assert not Alert.objects.filter(kind=Alert.Kind.WAITING).exists()
    alerts_refresh(now=later(16))
    alerts = list(Alert.objects.filter(kind=Alert.Kind.WAITING))
    assert [a.user for a in alerts] == [ars] and "depuis 16 jours" in alerts[0].message
    assert alerts[0].url == app.get_absolute_url()
    assert not Alert.objects.filter(user__in=[other_ars, dgos, applicant]).exists()


def test_a_succession_waiting_for_the_coordinator_alerts_the_coordinator_not_dgos(settings):
    settings.WAITING_ALERT_DAYS = 10
    journey = Journey()
    journey.to(SuccessionState.NOTICE_FORWARDED)
    alerts_refresh(now=later(11))
    assert alerted(Alert.Kind.WAITING) == {journey.coordinator.username}


def test_a_ccmr_request_awaiting_its_cpom_alerts_the_ars_of_the_centres_region_only(settings, world):  # noqa: F811
    settings.WAITING_ALERT_DAYS = 15
    request = advance(world, create_request(world), CcmrRequest.State.AWAITING_CPOM)
    alerts_refresh(now=later(20))
    assert alerted(Alert.Kind.WAITING) == {world.ars_centre.username}
    assert not Alert.objects.filter(user__in=[world.ars_crmr, world.ars_other]).exists()
    assert request.get_absolute_url() in Alert.objects.get(kind=Alert.Kind.WAITING).url


def test_an_ars_never_gets_alerts_about_a_call_for_projects_of_another_region(settings):
    settings.WAITING_ALERT_DAYS = 15
    crmr, _site = multi_crmr(other_region="52")  # coordinated in Bretagne (53), a site in Pays de la Loire
    journey = Journey(crmr)
    journey.to(SuccessionState.CALL_OPEN)
    Succession.objects.filter(pk=journey.s.pk).update(effective_on=timezone.localdate() + datetime.timedelta(days=5))
    ars_53, ars_52, ars_11 = ars_user("53"), ars_user("52"), ars_user("11")
    assert {u.pk for u in awaiting(journey.refresh())} <= {ars_53.pk, ars_52.pk}
    alerts_refresh(now=later(20))
    assert Alert.objects.filter(user__in=[ars_53, ars_52]).exists()
    assert not Alert.objects.filter(user=ars_11).exists()
    assert alerted(Alert.Kind.WAITING) == {u.username for u in awaiting(journey.s)}
