"""The rules of Annexe 2, one test each, named after the rule."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from centres.models import Ccmr, OrphanetNotice, RegistryEvent
from core.workflow import TransitionRefused, run_transition
from crmr_procedures.competence import services
from crmr_procedures.competence.models import CcmrRequest
from letters.models import Letter
from tests.factories import CcmrFactory

from .conftest import CPOM_DATE, State, advance, create_request, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CRMR-A2-relevant-de-son-centre")
@pytest.mark.rule("CRMR-A2-courrier-coordonnateur")
def test_coordinator_can_only_ask_for_own_crmr(world):
    with pytest.raises(ValidationError, match="centre de référence que vous coordonnez"):
        services.ccmr_request_create(
            user=world.coordinator,
            crmr=world.other_crmr,
            kind=CcmrRequest.Kind.CREATION,
            establishment=world.ccmr_establishment,
            proposed_name="Centre",
            team_lead={"first_name": "A", "last_name": "B"},
            letter_text="Courrier",
        )
    assert not CcmrRequest.objects.exists()


@pytest.mark.rule("CRMR-A2-courrier-coordonnateur")
def test_other_roles_cannot_ask_for_a_competence_centre(world):
    for user in (world.dgos, world.ars_centre, world.direction_centre):
        with pytest.raises(ValidationError):
            services.ccmr_request_create(
                user=user, crmr=world.crmr, kind=CcmrRequest.Kind.ABROGATION, ccmr=world.existing_ccmr, letter_text="x"
            )


@pytest.mark.rule("CRMR-A2-relevant-de-son-centre")
@pytest.mark.rule("CRMR-A2-creer-ou-abroger")
def test_abrogation_only_of_an_existing_ccmr_of_that_crmr(world):
    foreign = CcmrFactory(crmr=world.other_crmr)
    with pytest.raises(ValidationError, match="existant et actif de votre centre de référence"):
        services.ccmr_request_create(
            user=world.coordinator, crmr=world.crmr, kind=CcmrRequest.Kind.ABROGATION, ccmr=foreign, letter_text="x"
        )


def test_abrogation_of_an_already_abrogated_ccmr_is_refused(world):
    gone = CcmrFactory(crmr=world.crmr, abrogated_on=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="existant et actif"):
        services.ccmr_request_create(
            user=world.coordinator, crmr=world.crmr, kind=CcmrRequest.Kind.ABROGATION, ccmr=gone, letter_text="x"
        )


def test_a_second_open_abrogation_of_the_same_ccmr_is_refused(world):
    create_request(world, CcmrRequest.Kind.ABROGATION)
    with pytest.raises(ValidationError, match="déjà en cours"):
        create_request(world, CcmrRequest.Kind.ABROGATION)


@pytest.mark.rule("CRMR-A2-courrier-coordonnateur")
def test_request_needs_the_coordinator_letter_as_pdf_or_text(world):
    with pytest.raises(ValidationError, match="Joignez votre courrier"):
        services.ccmr_request_create(
            user=world.coordinator, crmr=world.crmr, kind=CcmrRequest.Kind.ABROGATION, ccmr=world.existing_ccmr
        )
    request = services.ccmr_request_create(
        user=world.coordinator,
        crmr=world.crmr,
        kind=CcmrRequest.Kind.ABROGATION,
        ccmr=world.existing_ccmr,
        letter_file=pdf_upload("courrier.pdf"),
    )
    assert request.state == State.SUBMITTED
    assert request.documents.get().kind == "coordinator_letter"


@pytest.mark.rule("CRMR-A2-orphanet")
def test_cpom_recorded_before_orphanet(world):
    request = advance(world, create_request(world), State.AWAITING_CPOM)
    with pytest.raises(TransitionRefused) as refused:
        services.ccmr_request_inform_orphanet(
            request=request, user=world.dgos, communicated_on=datetime.date(2026, 2, 1), reference="ORPHA-1"
        )
    assert "L'avenant au CPOM doit être enregistré par l'ARS avant" in refused.value.reasons[0]
    request = advance(world, request, State.AWAITING_ORPHANET)
    request = services.ccmr_request_inform_orphanet(
        request=request, user=world.dgos, communicated_on=datetime.date(2026, 2, 1), reference="ORPHA-1"
    )
    assert request.state == State.COMPLETED
    notice = OrphanetNotice.objects.get(event=request.registry_event)
    assert (notice.communicated_on, notice.reference, notice.communicated_by) == (
        datetime.date(2026, 2, 1),
        "ORPHA-1",
        world.dgos,
    )


@pytest.mark.rule("CRMR-A2-avenant-cpom")
def test_registry_updated_at_the_effective_date_not_before(world):
    request = advance(world, create_request(world), State.AWAITING_CPOM)
    assert not Ccmr.objects.filter(name="Centre de compétences de Nantes").exists()  # nothing before the CPOM
    effective = datetime.date(2027, 1, 1)
    request = services.ccmr_request_notify_cpom(
        request=request, user=world.ars_centre, reference="AV-1", date=effective
    )
    ccmr = request.ccmr
    assert ccmr.created_on == effective
    assert ccmr.status_on(datetime.date(2026, 12, 31)) == "planned"
    assert ccmr.status_on(effective) == "active"
    assert not Ccmr.objects.active_on(datetime.date(2026, 12, 31)).filter(pk=ccmr.pk).exists()
    assert Ccmr.objects.active_on(effective).filter(pk=ccmr.pk).exists()
    event = RegistryEvent.objects.get(ccmr=ccmr)
    assert (event.kind, event.effective_on, event.letter_reference) == (
        RegistryEvent.Kind.CCMR_CREATED,
        effective,
        request.cpom_letter.reference,
    )


@pytest.mark.rule("CRMR-A2-creer-ou-abroger")
@pytest.mark.rule("CRMR-A2-avenant-cpom")
def test_abrogation_takes_effect_at_the_cpom_date(world):
    request = advance(world, create_request(world, CcmrRequest.Kind.ABROGATION), State.COMPLETED)
    ccmr = world.existing_ccmr
    ccmr.refresh_from_db()
    assert ccmr.abrogated_on == CPOM_DATE
    assert ccmr.status_on(CPOM_DATE - datetime.timedelta(days=1)) == "active"
    assert ccmr.status_on(CPOM_DATE) == "abrogated"
    assert RegistryEvent.objects.get(ccmr=ccmr).kind == RegistryEvent.Kind.CCMR_ABROGATED
    assert request.registry_event.orphanet_notice.is_done


def test_abrogation_skips_the_documents_step(world):
    request = advance(world, create_request(world, CcmrRequest.Kind.ABROGATION), State.AWAITING_OFFICIALISATION)
    request = services.ccmr_request_officialise(request=request, user=world.dgos, decision="favourable")
    assert request.state == State.AWAITING_CPOM


@pytest.mark.parametrize("kind", [CcmrRequest.Kind.CREATION, CcmrRequest.Kind.ABROGATION])
def test_unfavourable_opinion_changes_nothing(world, kind):
    ccmrs = list(Ccmr.objects.values_list("pk", "created_on", "abrogated_on"))
    request = advance(world, create_request(world, kind), State.CLOSED_UNFAVOURABLE, opinion="unfavourable")
    assert request.decision == CcmrRequest.Opinion.UNFAVOURABLE
    assert request.opinion_letter.kind == Letter.Kind.CCMR_OPINION
    assert list(Ccmr.objects.values_list("pk", "created_on", "abrogated_on")) == ccmrs
    assert not RegistryEvent.objects.exists()
    assert not OrphanetNotice.objects.exists()
    assert not Letter.objects.filter(kind=Letter.Kind.CPOM_NOTIFICATION).exists()
    assert Letter.objects.filter(kind=Letter.Kind.CCMR_OPINION).count() == 1


@pytest.mark.rule("CRMR-A2-officialisation-avis")
def test_dgos_officialises_the_groupe_permanent_opinion_not_its_opposite(world):
    request = advance(world, create_request(world), State.AWAITING_OFFICIALISATION, opinion="unfavourable")
    with pytest.raises(TransitionRefused, match="avis défavorable"):
        services.ccmr_request_officialise(request=request, user=world.dgos, decision="favourable")


@pytest.mark.rule("CRMR-A2-avis-opportunite")
def test_dgos_states_the_opinion_when_none_was_asked_of_the_groupe_permanent(world):
    request = create_request(world)
    request = services.ccmr_request_transition(request=request, user=world.dgos, name="transmit_for_information")
    assert request.state == State.AWAITING_OFFICIALISATION and not request.opinion_requested
    request = services.ccmr_request_officialise(request=request, user=world.dgos, decision="unfavourable")
    assert request.state == State.CLOSED_UNFAVOURABLE


@pytest.mark.rule("CRMR-A2-avis-opportunite")
def test_groupe_permanent_opinion_needs_reasons(world):
    request = advance(world, create_request(world), State.AWAITING_OPINION)
    with pytest.raises(ValidationError, match="Motivez"):
        services.ccmr_request_transition(request=request, user=world.gp, name="give_favourable_opinion", comment=" ")


@pytest.mark.rule("CRMR-A2-cahier-charges-contrat")
def test_documents_must_be_both_uploaded_before_sending_to_the_ars(world):
    request = advance(world, create_request(world), State.AWAITING_DOCUMENTS)
    services.ccmr_request_upload_document(
        request=request, user=world.coordinator, kind="specifications", upload=pdf_upload()
    )
    with pytest.raises(TransitionRefused, match="cahier des charges et le contrat"):
        services.ccmr_request_transition(request=request, user=world.coordinator, name="send_to_ars")


@pytest.mark.rule("CRMR-A2-avenant-cpom")
@pytest.mark.rule("CRMR-2-ars-competence")
def test_only_the_ars_of_the_centre_region_notifies_the_cpom(world):
    request = advance(world, create_request(world), State.AWAITING_CPOM)
    for user in (world.ars_crmr, world.ars_other, world.dgos):
        with pytest.raises(PermissionDenied):
            services.ccmr_request_notify_cpom(request=request, user=user, reference="AV", date=CPOM_DATE)


def test_transitions_leave_a_trace_with_author_and_comment(world):
    from django_fsm_log.models import StateLog

    request = advance(world, create_request(world), State.COMPLETED)
    logs = list(StateLog.objects.for_(request).order_by("timestamp", "pk"))
    assert [log.transition for log in logs] == [
        "submit",
        "transmit_for_opinion",
        "give_favourable_opinion",
        "officialise_favourable",
        "send_to_ars",
        "notify_cpom",
        "inform_orphanet",
    ]
    assert logs[0].by == world.coordinator and logs[2].by == world.gp and logs[5].by == world.ars_centre
    assert logs[2].description == "Motifs"


def test_run_transition_refuses_a_direct_submit_of_a_submitted_request(world):
    request = create_request(world)
    with pytest.raises(TransitionRefused, match="n'est pas possible"):
        run_transition(request, "submit", user=world.coordinator)


def test_the_database_refuses_two_open_abrogations_of_one_ccmr(world):
    from django.db import IntegrityError, transaction

    first = create_request(world, CcmrRequest.Kind.ABROGATION)
    with pytest.raises(IntegrityError), transaction.atomic():
        CcmrRequest.objects.create(
            kind=CcmrRequest.Kind.ABROGATION,
            state=State.SUBMITTED,
            crmr=world.crmr,
            establishment=first.establishment,
            ccmr=first.ccmr,
            submitted_by=world.coordinator,
        )
