"""A small country for the set-based alerts: one dossier of every registered procedure, the accounts each
state awaits (active and inactive, bound directly or through a group), and copies in every state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_fsm_log.models import StateLog
from guardian.shortcuts import assign_perm

from accounts.services import COORDINATE
from activity_reports.models import ActivityReport
from centres import models as c
from core.workflow import state_field
from crmr_procedures.competence.models import CcmrRequest
from crmr_procedures.succession.models import RegionalCall, Succession
from labellisation.models import Application
from tests.activity_reports.factories import labelled_centre, team_user
from tests.factories import (
    CrmrFactory,
    EstablishmentFactory,
    UserFactory,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
    region,
)
from tests.labellisation.factories import make_application


@dataclass
class AlertWorld:
    establishment: c.Establishment
    crmr: c.Crmr
    centre: c.CrcSepCentre
    dossiers: dict  # model → one dossier


def alert_world() -> AlertWorld:
    establishment = EstablishmentFactory(region=region("53"))
    dgos_user()
    dgos_user(username="dgos-former", is_active=False)
    gp_user()
    for code in ("53", "52", "11"):
        ars_user(code)
    ars_user("53", username="ars-53-former", is_active=False)
    establishment_user(establishment)
    establishment_user(establishment, username="etab-former", is_active=False)
    crmr = CrmrFactory(coordinating_establishment=establishment)
    coordinator_user(crmr)
    coordinator_user(crmr, username="coord-former", is_active=False)
    group = Group.objects.create(name="Coordination partagée")  # a coordinator bound through a group
    assign_perm(COORDINATE, group, crmr)
    coordinator_user(CrmrFactory(), username="coord-by-group").groups.add(group)
    centre = labelled_centre("53", establishment=establishment)
    team_user(centre)
    team_user(centre, username="equipe-former", is_active=False)
    creator = UserFactory(username="createur")

    succession = Succession.objects.create(
        crmr=crmr,
        former_coordinator=crmr.coordinator,
        former_establishment=establishment,
        created_by=creator,
        effective_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    RegionalCall.objects.create(succession=succession, region=region("52"), reason="Site")
    RegionalCall.objects.create(
        succession=succession, region=region("53"), reason="Site", transmitted_at=timezone.now()
    )
    dossiers = {
        Succession: succession,
        CcmrRequest: CcmrRequest.objects.create(
            kind=CcmrRequest.Kind.CREATION,
            crmr=crmr,
            establishment=establishment,
            proposed_name="Centre de compétences demandé",
            submitted_by=creator,
        ),
        Application: make_application(establishment=establishment, created_by=creator),
        ActivityReport: ActivityReport.objects.create(centre=centre, year=2024),
    }
    return AlertWorld(establishment=establishment, crmr=crmr, centre=centre, dossiers=dossiers)


def states_of(model) -> list[str]:
    return [value for value, _label in state_field(model).flatchoices]


def copies_in_every_state(world: AlertWorld, copies: int, *, logged_days_ago: int = 40) -> int:
    """``copies`` more dossiers of each procedure in each of its states, each with an old logged transition."""
    made = 0
    logs = []
    for model, dossier in world.dossiers.items():
        content_type = ContentType.objects.get_for_model(model)
        for _copy in range(copies):
            for state in states_of(model):
                clone = model._default_manager.get(pk=dossier.pk)
                clone.pk = clone.id = None
                clone._state.adding = True
                if model is ActivityReport:
                    clone.year = 1900 + made
                clone.save()
                model._default_manager.filter(pk=clone.pk).update(state=state)  # the FSM field is protected
                logs.append(
                    StateLog(
                        content_type=content_type,
                        object_id=clone.pk,
                        transition="bench",
                        source_state="draft",
                        state=state,
                        timestamp=timezone.now() - datetime.timedelta(days=logged_days_ago),
                    )
                )
                made += 1
    StateLog.objects.bulk_create(logs)
    return made
