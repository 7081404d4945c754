"""The rules of Annexe 1 (Instruction DGOS/PF2/2013/308), one test each."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.services import coordinated_crmrs
from centres.models import CoordinatorMandate, MigAllocation, OrphanetNotice, RegistryEvent
from core.workflow import TransitionRefused, run_transition
from crmr_procedures.succession import services
from crmr_procedures.succession.models import Document, Project, State, Succession, earliest_effective_date
from letters.models import Letter
from tests.factories import EstablishmentFactory, UserFactory, ars_user, region

from .helpers import Journey, cv_entries, in_months, multi_crmr, pdf

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "l.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


# --- Notice: 6 months minimum --------------------------------------------------------------------


@pytest.mark.rule("CRMR-A1-preavis-6-mois")
@pytest.mark.rule("CRMR-A1-date-effective")
def test_notice_less_than_six_months_ahead_is_refused_with_the_earliest_date():
    j = Journey()
    j.notice(months=5)
    with pytest.raises(TransitionRefused) as exc:
        run_transition(j.s, "send_notice", user=j.coordinator)
    earliest = earliest_effective_date().strftime("%d/%m/%Y")
    assert any("au moins 6 mois" in r and earliest in r for r in exc.value.reasons)
    assert j.refresh().state == State.DRAFT


@pytest.mark.rule("CRMR-A1-preavis-6-mois")
def test_notice_exactly_six_months_ahead_is_accepted():
    j = Journey()
    services.succession_record_notice(
        succession=j.s, user=j.coordinator, effective_on=earliest_effective_date(), letter=pdf()
    )
    assert j.act("send_notice", user=j.coordinator).state == State.NOTICE_RECEIVED


@pytest.mark.rule("CRMR-A1-lettre-cessation")
def test_notice_without_letter_is_refused():
    j = Journey()
    services.succession_record_notice(succession=j.s, user=j.coordinator, effective_on=in_months(8))
    with pytest.raises(TransitionRefused, match="courrier de cessation"):
        j.act("send_notice", user=j.coordinator)


@pytest.mark.rule("CRMR-A1-preavis-6-mois")
def test_there_is_no_waiver_dgos_cannot_accept_a_notice_under_six_months():
    """Was: DGOS accepted a short notice with a justification. The text has no waiver: "6 mois minimum"."""
    j = Journey()
    j.notice(months=3)
    transitions = {t.name for t in Succession._meta.get_field("state").get_all_transitions(Succession)}
    assert "accept_short_notice" not in transitions
    with pytest.raises(TransitionRefused, match="ne peut pas être effectuée ici"):
        j.act("accept_short_notice", comment="Départ pour raisons de santé.")
    with pytest.raises(PermissionDenied):  # the notice is the coordinator's letter, not DGOS's
        run_transition(j.s, "send_notice", user=j.dgos)
    with pytest.raises(TransitionRefused, match="au moins 6 mois"):
        run_transition(j.s, "send_notice", user=j.coordinator)
    assert j.refresh().state == State.DRAFT


# --- Pieces per case ------------------------------------------------------------------------------


@pytest.mark.rule("CRMR-A1-piece-avis-uni-site")
def test_mono_site_dossier_requires_the_director_favourable_letter():
    j = Journey()
    j.to(State.NOTICE_FORWARDED)
    services.succession_propose_successor(
        succession=j.s,
        user=j.coordinator,
        case="same",
        establishment=j.s.former_establishment,
        title="Pr",
        first_name="A",
        last_name="B",
    )
    assert j.refresh().required_pieces() == [
        Document.Kind.PROPOSAL_LETTER,
        Document.Kind.MOTIVATION_LETTER,
        Document.Kind.DIRECTOR_OPINION,
    ]


@pytest.mark.rule("CRMR-A1-pieces-transfert")
def test_transfer_dossier_requires_both_directors_letters():
    crmr, other = multi_crmr()
    j = Journey(crmr, transfer_to=other)
    j.to(State.NOTICE_FORWARDED)
    services.succession_propose_successor(
        succession=j.s,
        user=j.coordinator,
        case="transfer",
        establishment=other,
        title="Pr",
        first_name="A",
        last_name="B",
    )
    kinds = j.refresh().required_pieces()
    assert Document.Kind.TRANSFER_AGREEMENT in kinds and Document.Kind.RECEIVING_AGREEMENT in kinds
    assert Document.Kind.DIRECTOR_OPINION not in kinds


@pytest.mark.rule("CRMR-A1-piece-motivation")
def test_dossier_with_a_missing_piece_cannot_be_submitted_and_names_it():
    j = Journey()
    j.to(State.NOTICE_FORWARDED)
    j.dossier()
    j.s.documents.filter(kind=Document.Kind.MOTIVATION_LETTER).delete()
    with pytest.raises(TransitionRefused) as exc:
        j.act("submit_dossier", user=j.coordinator)
    assert "Lettre de motivation signée du successeur" in exc.value.reasons[0]


@pytest.mark.rule("CRMR-A1-piece-cv")
@pytest.mark.rule("CRMR-A1-cv-modele-dgos")
def test_dossier_without_cv_cannot_be_submitted():
    j = Journey()
    j.to(State.NOTICE_FORWARDED)
    j.dossier()
    j.s.cv.delete()
    with pytest.raises(TransitionRefused, match="curriculum vitae"):
        j.act("submit_dossier", user=j.coordinator)


@pytest.mark.rule("CRMR-A1-successeur-autre-site")
def test_transfer_is_refused_to_an_establishment_without_a_site_of_the_crmr():
    crmr, _other = multi_crmr()
    j = Journey(crmr)
    with pytest.raises(ValidationError, match="n'abrite aucun site"):
        services.succession_propose_successor(
            succession=j.s,
            user=j.coordinator,
            case="transfer",
            establishment=EstablishmentFactory(),
            title="Pr",
            first_name="A",
            last_name="B",
        )


@pytest.mark.rule("CRMR-A1-successeur-autre-site")
def test_transfer_is_refused_for_a_mono_site_crmr():
    j = Journey()
    with pytest.raises(ValidationError, match="multi-sites"):
        services.succession_propose_successor(
            succession=j.s,
            user=j.coordinator,
            case="transfer",
            establishment=EstablishmentFactory(),
            title="Pr",
            first_name="A",
            last_name="B",
        )


@pytest.mark.rule("CRMR-A1-successeur-meme-etablissement")
def test_same_establishment_successor_must_work_in_the_current_establishment():
    j = Journey()
    with pytest.raises(ValidationError, match="établissement actuel"):
        services.succession_propose_successor(
            succession=j.s,
            user=j.coordinator,
            case="same",
            establishment=EstablishmentFactory(),
            title="Pr",
            first_name="A",
            last_name="B",
        )


# --- CV on the DGOS template ------------------------------------------------------------------------


@pytest.mark.rule("CRMR-A1-cv-modele-dgos")
@pytest.mark.parametrize(("kind", "limit"), [("communication", 5), ("publication", 10), ("work", 5)])
@pytest.mark.rule("CRMR-A1-cv-5-communications")
@pytest.mark.rule("CRMR-A1-cv-10-publications")
@pytest.mark.rule("CRMR-A1-cv-5-travaux")
def test_cv_accepts_at_most_the_template_number_of_entries(kind, limit):
    year = datetime.date.today().year
    entries = [{"kind": kind, "year": year, "title": f"E{i}"} for i in range(limit)]
    assert services.cv_entries_check(entries) == []
    errors = services.cv_entries_check(entries + [{"kind": kind, "year": year, "title": "une de trop"}])
    assert f"{limit} entrées au plus" in errors[0]


@pytest.mark.rule("CRMR-A1-cv-10-publications")
def test_cv_refuses_entries_older_than_five_years():
    year = datetime.date.today().year
    errors = services.cv_entries_check([{"kind": "publication", "year": year - 6, "title": "Ancienne"}])
    assert "antérieur aux 5 dernières années" in errors[0]
    assert services.cv_entries_check([{"kind": "publication", "year": year - 5, "title": "Limite"}]) == []


@pytest.mark.rule("CRMR-A1-cv-modele-dgos")
def test_cv_with_too_many_entries_is_not_saved():
    j = Journey()
    with pytest.raises(ValidationError):
        services.cv_save(succession=j.s, user=j.coordinator, data={}, entries=cv_entries(n_comm=6))
    assert not hasattr(j.refresh(), "cv")


# --- Officialisation (normal path) ---------------------------------------------------------------


@pytest.mark.rule("CRMR-A1-officialisation")
@pytest.mark.rule("CRMR-A1-officialisation-copie-ars")
@pytest.mark.rule("CRMR-2-ars-succession")
def test_officialisation_letter_names_the_new_coordinator_with_copy_to_the_ars(
    tmp_path, django_capture_on_commit_callbacks
):
    j = Journey()
    with django_capture_on_commit_callbacks(execute=True):
        s = j.to(State.OFFICIALISED)
    letter = Letter.objects.get(pk=s.letter_id)
    assert letter.kind == Letter.Kind.SUCCESSION_OFFICIALISATION
    assert letter.copy_labels == ["Agence régionale de santé Bretagne"]
    # Alice Durand is recorded as Mme: her function agrees (issue 13, item 5)
    assert any("nouvelle coordonnatrice" in a.lower() and "Alice Durand" in a for a in letter.addressee_labels)
    assert any("coordonnateur sortant" in a for a in letter.addressee_labels)
    assert any("du directoire" in a and "(e)" not in a for a in letter.addressee_labels)
    with letter.pdf.open("rb") as handle:
        text = pdf_text(handle.read(), tmp_path)
    assert "Alice Durand" in text and "Agence régionale de santé Bretagne" in text


def test_officialisation_keeps_the_registry_history():
    j = Journey()
    former = j.crmr.coordinator
    s = j.to(State.OFFICIALISED)
    mandates = list(CoordinatorMandate.objects.filter(crmr=j.crmr).order_by("start"))
    assert [m.person for m in mandates] == [former, s.successor]
    assert mandates[0].end == s.effective_on  # exclusive end: the former's last day is the day before
    assert mandates[1].start == s.effective_on and mandates[1].source == s.letter.reference
    assert j.crmr.current_mandate(on=s.effective_on - datetime.timedelta(days=1)).person == former
    assert j.crmr.current_mandate(on=s.effective_on).person == s.successor
    event = RegistryEvent.objects.get(crmr=j.crmr, kind=RegistryEvent.Kind.COORDINATOR_CHANGED)
    assert (event.effective_on, event.letter_reference) == (s.effective_on, s.letter.reference)


@pytest.mark.rule("CRMR-A1-orphanet")
def test_officialisation_records_the_orphanet_notice_to_complete():
    j = Journey()
    s = j.to(State.OFFICIALISED)
    notice = OrphanetNotice.objects.get(pk=s.orphanet_notice_id)
    assert not notice.is_done and notice.event.kind == RegistryEvent.Kind.COORDINATOR_CHANGED
    services.orphanet_complete(notice=notice, user=j.dgos, communicated_on=datetime.date.today(), reference="ORPHA-1")
    notice.refresh_from_db()
    assert notice.is_done and notice.communicated_by == j.dgos


@pytest.mark.rule("CRMR-A1-date-effective")
def test_officialisation_binds_the_new_coordinator_account_and_unbinds_the_former_on_the_effective_date():
    from accounts.services import coordinator_access_sync

    j = Journey()
    j.to(State.OPINION_FAVOURABLE)
    new_account = UserFactory(username="alice", role="coordinator", person=j.s.successor)
    s = services.succession_officialise(succession=j.s, user=j.dgos)
    assert j.crmr in coordinated_crmrs(new_account)  # the incoming coordinator prepares the hand-over
    assert j.crmr in coordinated_crmrs(j.coordinator)  # the outgoing one coordinates until the date
    coordinator_access_sync(on=s.effective_on)  # the nightly task, on the effective date
    assert j.crmr not in coordinated_crmrs(j.coordinator)
    assert j.crmr in coordinated_crmrs(new_account)


@pytest.mark.rule("CRMR-A1-mig-transfert")
def test_same_establishment_succession_does_not_move_the_mig():
    j = Journey()
    j.to(State.OFFICIALISED)
    assert not RegistryEvent.objects.filter(kind=RegistryEvent.Kind.MIG_MOVED).exists()
    assert MigAllocation.objects.filter(crmr=j.crmr, end__isnull=True).count() == 1


@pytest.mark.rule("CRMR-A1-mig-transfert")
def test_transfer_moves_the_mig_to_the_receiving_establishment():
    crmr, other = multi_crmr()
    former = crmr.coordinating_establishment
    j = Journey(crmr, transfer_to=other)
    with_letter = j.to(State.OFFICIALISED)
    closed = MigAllocation.objects.get(crmr=crmr, establishment=former)
    opened = MigAllocation.objects.get(crmr=crmr, establishment=other)
    assert closed.end == with_letter.effective_on and opened.start == with_letter.effective_on
    assert opened.amount == closed.amount
    assert RegistryEvent.objects.filter(kind=RegistryEvent.Kind.MIG_MOVED, crmr=crmr, establishment=other).exists()
    letter = with_letter.letter
    assert len([a for a in letter.addressee_labels if "du directoire" in a]) == 2
    assert set(letter.establishments.all()) == {former, other}
    assert "Agence régionale de santé Pays de la Loire" in letter.copy_labels


@pytest.mark.rule("CRMR-A1-information-gp")
@pytest.mark.rule("CRMR-lettre-transmission-pieces-vp")
def test_dgos_forwarding_issues_a_transmission_letter_to_the_vice_president():
    j = Journey()
    s = j.to(State.FORWARDED_TO_GP)
    assert s.vp_informed_on is not None
    letter = Letter.objects.get(kind=Letter.Kind.GP_TRANSMISSION, object_id=s.pk)
    assert "Vice-présidence santé" in letter.addressee_labels[0]


def test_returned_dossier_keeps_dgos_message_in_the_trace():
    from django_fsm_log.models import StateLog

    j = Journey()
    j.to(State.DOSSIER_RETURNED)
    assert StateLog.objects.for_(j.s).get(transition="return_dossier").description == "Il manque la signature."
    assert j.act("submit_dossier", user=j.coordinator).state == State.DOSSIER_SUBMITTED


# --- Special cases ----------------------------------------------------------------------------------


@pytest.mark.rule("CRMR-A1-appel-projets-multi-sites")
def test_call_for_projects_of_a_multi_site_crmr_goes_to_the_other_sites_regions_and_the_filiere():
    crmr, other = multi_crmr(other_region="84")
    regions = services.concerned_regions(crmr)
    assert region("84") in regions and regions[region("84")] == "site du CRMR"
    assert region("53") in regions  # the filière (its CRMR's sites)


@pytest.mark.rule("CRMR-A1-appel-projets-mono-site")
def test_call_for_projects_of_a_mono_site_crmr_goes_to_the_filiere_regions():
    j = Journey()
    regions = services.concerned_regions(j.crmr)
    assert region("53") in regions and regions[region("53")].startswith("filière")


@pytest.mark.rule("CRMR-A1-hierarchisation-projets")
def test_ranking_is_required_when_a_region_sends_several_projects():
    j = Journey()
    j.to(State.CALL_OPEN)
    ars = ars_user("53")
    est = EstablishmentFactory(region=ars.region)
    p1 = services.project_add(
        succession=j.s,
        user=ars,
        title="Dr",
        first_name="A",
        last_name="Un",
        establishment=est,
        mig_amount=Decimal("1"),
        upload=pdf(),
    )
    p2 = services.project_add(
        succession=j.s,
        user=ars,
        title="Dr",
        first_name="B",
        last_name="Deux",
        establishment=est,
        mig_amount=Decimal("1"),
        upload=pdf(),
    )
    with pytest.raises(TransitionRefused, match="classez-les"):
        services.projects_transmit(succession=j.s, user=ars)
    with pytest.raises(ValidationError, match="sans ex æquo"):
        services.projects_rank(succession=j.s, user=ars, ranks={p1.pk: 1, p2.pk: 1})
    services.projects_rank(succession=j.s, user=ars, ranks={p1.pk: 2, p2.pk: 1})
    services.projects_transmit(succession=j.s, user=ars)
    assert list(Project.objects.filter(succession=j.s).order_by("rank").values_list("pk", flat=True)) == [p2.pk, p1.pk]


@pytest.mark.rule("CRMR-A1-hierarchisation-projets")
def test_ranking_only_within_the_ars_own_region():
    crmr, other = multi_crmr(other_region="52")
    j = Journey(crmr)
    j.to(State.CALL_OPEN)
    ars53, ars52 = ars_user("53"), ars_user("52")
    mine = services.project_add(
        succession=j.s,
        user=ars53,
        title="Dr",
        first_name="A",
        last_name="Un",
        establishment=EstablishmentFactory(region=ars53.region),
        mig_amount=1,
        upload=pdf(),
    )
    theirs = services.project_add(
        succession=j.s,
        user=ars52,
        title="Dr",
        first_name="B",
        last_name="Deux",
        establishment=other,
        mig_amount=1,
        upload=pdf(),
    )
    with pytest.raises(ValidationError, match="sa région"):
        services.projects_rank(succession=j.s, user=ars53, ranks={mine.pk: 1, theirs.pk: 2})


@pytest.mark.rule("CRMR-A1-hierarchisation-projets")
def test_a_region_with_one_project_transmits_it_without_rank():
    j = Journey()
    s = j.to(State.PROJECTS_RECEIVED)
    assert s.projects.get().rank is None


@pytest.mark.rule("CRMR-A1-retour-projets-via-ars")
def test_ars_records_projects_only_for_establishments_of_its_region():
    j = Journey()
    j.to(State.CALL_OPEN)
    with pytest.raises(ValidationError, match="votre région"):
        services.project_add(
            succession=j.s,
            user=ars_user("53"),
            title="Dr",
            first_name="A",
            last_name="B",
            establishment=EstablishmentFactory(region=region("11")),
            mig_amount=1,
            upload=pdf(),
        )


@pytest.mark.rule("CRMR-A1-avis-gp-projets")
def test_gp_opinion_is_required_on_every_transmitted_project():
    j = Journey()
    j.to(State.PROJECTS_RECEIVED)
    with pytest.raises(TransitionRefused, match="chacun des projets"):
        j.act("give_gp_opinion", user=j.gp)


@pytest.mark.rule("CRMR-A1-avis-gp-projets")
def test_unfavourable_gp_opinion_needs_reasons():
    j = Journey()
    j.to(State.PROJECTS_RECEIVED)
    with pytest.raises(ValidationError, match="Motivez"):
        services.project_record_opinion(project=j.project, user=j.gp, opinion="unfavourable", reasons="")


@pytest.mark.rule("CRMR-A1-mig-debasee")
@pytest.mark.rule("CRMR-A1-cas-particuliers-officialisation")
def test_special_case_officialisation_debases_the_initial_mig_and_assigns_the_project_amount():
    j = Journey()
    former = j.crmr.coordinating_establishment
    j.to(State.GP_OPINION_GIVEN)
    s = services.succession_officialise(succession=j.s, user=j.dgos, project=j.project, effective_on=in_months(3))
    assert s.state == State.OFFICIALISED
    assert MigAllocation.objects.get(crmr=j.crmr, establishment=former).end == s.effective_on
    assert MigAllocation.objects.get(crmr=j.crmr, establishment=j.project.establishment).amount == Decimal("120000")
    assert j.crmr.current_mandate(on=s.effective_on).person == j.project.candidate
    assert s.orphanet_notice is not None
    letter = s.letter
    assert set(letter.establishments.all()) == {former, j.project.establishment}
    assert letter.copy_labels == ["Agence régionale de santé Bretagne"]


@pytest.mark.rule("CRMR-A1-cas-particuliers-officialisation")
def test_special_case_officialisation_refuses_a_project_without_favourable_opinion():
    j = Journey()
    j.to(State.GP_OPINION_GIVEN)
    Project.objects.filter(pk=j.project.pk).update(gp_opinion="unfavourable")
    with pytest.raises(ValidationError, match="avis favorable"):
        services.succession_officialise(succession=j.s, user=j.dgos, project=j.project, effective_on=in_months(3))
    assert j.refresh().state == State.GP_OPINION_GIVEN


@pytest.mark.rule("CRMR-A1-cas-particuliers-information-dgos")
@pytest.mark.rule("CRMR-A1-cas-particuliers-motifs")
def test_special_case_needs_the_informing_letter():
    j = Journey()
    Succession.objects.filter(pk=j.s.pk).update(special_reason="other")
    with pytest.raises(TransitionRefused, match="courrier d'information"):
        run_transition(j.refresh(), "declare_special_case", user=j.dgos)


@pytest.mark.rule("CRMR-2-ars-succession")
@pytest.mark.rule("CRMR-A1-retour-projets-via-ars")
def test_call_for_projects_is_sent_to_the_concerned_ars_by_letter():
    crmr, _other = multi_crmr(other_region="84")
    j = Journey(crmr)
    s = j.to(State.CALL_OPEN)
    letter = Letter.objects.get(kind=Letter.Kind.CALL_FOR_PROJECTS, object_id=s.pk)
    assert "Agence régionale de santé Auvergne-Rhône-Alpes" in letter.addressee_labels
    assert {c.region.code for c in s.regional_calls.all()} >= {"84", "53"}


def test_only_one_open_succession_per_crmr():
    j = Journey()
    with pytest.raises(ValidationError, match="déjà en cours"):
        services.succession_start(crmr=j.crmr, user=j.coordinator)
