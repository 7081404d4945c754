"""Issue 12, CRMR items 6 to 10: rules of Annexe 1 that the code read wrongly, each test marked with its rule.

- CRMR-A1-preavis-6-mois: "anticipation de 6 mois minimum", no waiver; a sudden departure is a special case.
- CRMR-A1-preavis-destinataires: the letter goes to the président du directoire of the CHU, copies CoSPro
  president and DGOS.
- CRMR-A1-ordre-etapes: DGOS passes the notice to the vice-président santé before the dossier is filed.
- CRMR-A1-mig-accord: on a transfer the MIG moves "le cas échéant … sur la base de l'accord intervenu entre eux".
- CRMR-A1-cas-particuliers-seance: opinions and officialisation at or after the groupe permanent's séance.
"""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from centres.models import MigAllocation
from core.typography import amount_fr
from core.workflow import TransitionRefused, available_actions, refusal_reasons
from crmr_procedures.succession import selectors, services
from crmr_procedures.succession.models import Document, Project, State, Succession
from tests.factories import EstablishmentFactory, coordinator_user, establishment_user

from .helpers import Journey, in_months, multi_crmr, pdf

pytestmark = pytest.mark.django_db


def url(name, s, *args):
    return reverse(f"crmr_procedures:{name}", args=[s.pk, *args])


def _force_state(succession, state):
    Succession.objects.filter(pk=succession.pk).update(state=state)
    return Succession.objects.get(pk=succession.pk)


# --- Item 9: six months minimum, no waiver; a sudden departure is a special case ("Autres") ------------


@pytest.mark.rule("CRMR-A1-preavis-6-mois")
def test_a_short_draft_is_not_in_the_dgos_inbox_any_more():
    j = Journey()
    j.notice(months=2)
    inbox = selectors.succession_inbox(j.dgos)
    assert j.s not in inbox
    assert j.s not in selectors.waiting_for(j.dgos, inbox)


@pytest.mark.rule("CRMR-A1-preavis-6-mois")
def test_a_sudden_departure_goes_to_the_special_cases_through_the_coordinator_letter():
    j = Journey()
    j.notice(months=1)
    s = services.succession_declare_special(
        user=j.coordinator,
        reason=Succession.SpecialReason.OTHER,
        informed_by=Succession.InformedBy.DIRECTOR,  # ignored: the coordinator sends his or her own letter
        letter=pdf("depart.pdf"),
        succession=j.s,
    )
    assert (s.state, s.path, s.special_reason, s.informed_by) == (
        State.SPECIAL_INFORMED,
        Succession.Path.SPECIAL,
        "other",
        "coordinator",
    )
    assert s.has_document(Document.Kind.INFORMING_LETTER)


@pytest.mark.rule("CRMR-A1-preavis-6-mois")
def test_another_crmr_coordinator_cannot_declare_the_special_case():
    j = Journey()
    j.notice(months=1)
    stranger = coordinator_user(multi_crmr()[0], username="other-coord")
    with pytest.raises(PermissionDenied):
        services.succession_declare_special(
            user=stranger, reason="other", informed_by="coordinator", letter=pdf(), succession=j.s
        )
    assert j.refresh().state == State.DRAFT


@pytest.mark.rule("CRMR-A1-preavis-6-mois")
def test_notice_page_refuses_a_short_notice_and_offers_the_special_case_path(client):
    j = Journey()
    client.force_login(j.coordinator)
    response = client.post(
        url("succession_notice", j.s),
        {"effective_on": in_months(1).isoformat(), "letter": pdf(), "send": "1"},
        follow=True,
    )
    body = response.content.decode()
    assert "au moins 6 mois" in body
    assert "Aucune dérogation n'est prévue" in body and "accepter un préavis plus court" not in body
    special = url("succession_special", j.s) + "?motif=other"
    assert special in body and "Déclarer un cas particulier (départ soudain)" in body
    assert j.refresh().state == State.DRAFT and j.s.effective_on == in_months(1)  # nothing lost

    page = client.get(special).content.decode()
    assert 'value="other" selected' in page and "Courrier reçu de" not in page
    response = client.post(special, {"reason": "other", "letter": pdf("depart.pdf")}, follow=True)
    assert "la succession suit la procédure des cas particuliers" in response.content.decode()
    assert j.refresh().state == State.SPECIAL_INFORMED and j.s.informed_by == "coordinator"


@pytest.mark.rule("CRMR-A1-preavis-6-mois")
def test_special_case_page_is_404_to_an_outsider_and_403_to_a_reader(client):
    j = Journey()
    s = j.to(State.NOTICE_RECEIVED)
    client.force_login(coordinator_user(multi_crmr()[0], username="other-coord"))
    assert client.get(url("succession_special", s)).status_code == 404
    client.force_login(establishment_user(j.crmr.coordinating_establishment))
    assert client.get(url("succession_special", s)).status_code == 404
    late = Journey(multi_crmr()[0])
    late.to(State.OPINION_FAVOURABLE)  # past the point where a succession can turn into a special case
    client.force_login(late.coordinator)
    assert client.post(url("succession_special", late.s), {"reason": "other"}).status_code == 403


# --- Item 8: addressees from the registry, the président du directoire notified ------------------------


@pytest.mark.rule("CRMR-A1-preavis-destinataires")
def test_notice_goes_to_the_chu_director_from_the_registry_with_copies_to_cospro_and_dgos():
    j = Journey()
    est = j.s.former_establishment
    est.director_name = "Mme Claire Martin"
    est.save()
    s = j.refresh()
    assert s.notice_addressee == f"Mme Claire Martin, présidence du directoire — {est.name}"  # civility unknown
    est.director_civility = "Mme"
    est.save()
    s = j.refresh()
    assert s.notice_addressee == f"Mme Claire Martin, présidente du directoire — {est.name}"  # agreed, no "(e)"
    assert s.notice_copies() == [
        "Présidence du comité de suivi et de prospective (CoSPro) du PNMR 2011-2014",
        "Direction générale de l'offre de soins (DGOS) — bureau PF2",
    ]
    assert not hasattr(s, "notice_addressees")  # no free text any more


@pytest.mark.rule("CRMR-A1-preavis-destinataires")
def test_the_addressee_is_kept_as_sent_when_the_registry_changes_later():
    j = Journey()
    est = j.s.former_establishment
    est.director_name = "M. Paul Avant"
    est.save()
    s = j.to(State.NOTICE_RECEIVED)
    assert (s.notice_director_name, s.notice_sent_on) == ("M. Paul Avant", timezone.localdate())
    est.director_name = "Mme Jeanne Après"
    est.save()
    assert "M. Paul Avant" in j.refresh().notice_addressee


@pytest.mark.rule("CRMR-A1-preavis-destinataires")
def test_the_chu_director_is_notified_when_the_notice_is_sent(django_capture_on_commit_callbacks):
    j = Journey()
    director = establishment_user(j.s.former_establishment)
    director.email = "direction@chu.example.fr"
    director.save()
    elsewhere = establishment_user(EstablishmentFactory(), username="direction-ailleurs")
    elsewhere.email = "ailleurs@chu.example.fr"
    elsewhere.save()
    j.notice()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.succession_send_notice(succession=j.s, user=j.coordinator)
    to_director = [m for m in mail.outbox if m.to == ["direction@chu.example.fr"]]
    assert len(to_director) == 1
    assert "Préavis de cessation d'activité" in to_director[0].subject
    assert j.crmr.name in to_director[0].subject
    assert not [m for m in mail.outbox if m.to == ["ailleurs@chu.example.fr"]]


@pytest.mark.rule("CRMR-A1-preavis-destinataires")
def test_notice_page_shows_the_recipients_and_has_no_free_text_field(client):
    j = Journey()
    est = j.s.former_establishment
    est.director_name = "Mme Claire Martin"
    est.director_civility = "Mme"
    est.save()
    client.force_login(j.coordinator)
    body = client.get(url("succession_notice", j.s)).content.decode()
    assert 'name="addressees"' not in body
    assert "Mme Claire Martin, présidente du directoire" in body
    assert "Copie : Présidence du comité de suivi et de prospective (CoSPro)" in body
    assert "Destinataire : Mme Claire Martin" in body
    assert "Copie : Direction générale de l&#x27;offre de soins (DGOS)" in body


@pytest.mark.rule("CRMR-A1-preavis-destinataires")
def test_migration_keeps_only_free_texts_that_said_more_than_the_registry():
    migration = importlib.import_module("crmr_procedures.migrations.0003_succession_notice_recipients_mig_agreement")
    default = Journey()
    default.to(State.NOTICE_RECEIVED)
    est = default.s.former_establishment
    Succession.objects.filter(pk=default.s.pk).update(
        legacy_notice_addressees=migration._default_text(est.name), notice_director_name="", notice_sent_on=None
    )
    custom = Journey(multi_crmr()[0])
    Succession.objects.filter(pk=custom.s.pk).update(legacy_notice_addressees="Pr X, président du directoire")
    migration.forwards(django_apps, None)
    default_s, custom_s = default.refresh(), custom.refresh()
    assert default_s.legacy_notice_addressees == ""
    assert default_s.notice_sent_on == timezone.localdate()  # from the trace of send_notice
    assert default_s.notice_director_name == est.director_name
    assert custom_s.legacy_notice_addressees == "Pr X, président du directoire"  # kept, read-only
    assert custom_s.notice_sent_on is None  # a draft: never sent


# --- Item 7: DGOS passes the notice to the vice-président santé before the dossier --------------------


@pytest.mark.rule("CRMR-A1-ordre-etapes")
def test_the_dossier_cannot_be_filed_before_dgos_passed_the_notice_to_the_vice_president():
    j = Journey()
    j.to(State.NOTICE_RECEIVED)
    j.dossier()
    with pytest.raises(TransitionRefused) as refused:
        j.act("submit_dossier", user=j.coordinator)
    assert "vice-président santé" in refused.value.reasons[0]
    assert j.refresh().state == State.NOTICE_RECEIVED
    s = j.act("forward_notice")
    assert s.notice_forwarded_on == timezone.localdate()
    assert j.act("submit_dossier", user=j.coordinator).state == State.DOSSIER_SUBMITTED


@pytest.mark.rule("CRMR-A1-ordre-etapes")
@pytest.mark.parametrize("state", State.values)
def test_filing_the_dossier_is_possible_only_after_the_forwarding(state):
    """Every source state: with a complete dossier, filing is allowed only in the states that follow DGOS's
    forwarding of the notice (and a dossier returned to the coordinator)."""
    j = Journey()
    j.to(State.NOTICE_FORWARDED)
    j.dossier()
    s = _force_state(j.s, state)
    reasons = refusal_reasons(s, "submit_dossier")
    if state in (State.NOTICE_FORWARDED, State.DOSSIER_RETURNED):
        assert reasons == []
    elif state == State.NOTICE_RECEIVED:
        assert any("communiquer le courrier de cessation d'activité au vice-président santé" in r for r in reasons)
    else:
        assert reasons and "n'est pas possible" in reasons[0]


@pytest.mark.rule("CRMR-A1-ordre-etapes")
def test_the_coordinator_sees_why_the_dossier_cannot_be_filed_yet(client):
    j = Journey()
    j.to(State.NOTICE_RECEIVED)
    j.dossier()
    [action] = [a for a in available_actions(j.refresh(), j.coordinator) if a.name == "submit_dossier"]
    assert not action.enabled
    client.force_login(j.coordinator)
    body = client.get(url("succession_dossier", j.s)).content.decode()
    assert "responsable du groupe permanent : le dossier de succession ne peut être déposé qu&#x27;ensuite" in body


# --- Item 6: the MIG moves on the basis of the establishments' agreement ---------------------------------


def _transfer(mig_agreed=None):
    crmr, other = multi_crmr()
    return Journey(crmr, transfer_to=other, mig_agreed=mig_agreed), other


@pytest.mark.rule("CRMR-A1-mig-accord")
@pytest.mark.parametrize("share", ["all", "part", "none"])
def test_the_agreed_amount_all_part_or_none_is_recorded_and_exposed(share):
    j, other = _transfer()
    j.to(State.NOTICE_FORWARDED)
    j.dossier()
    current = j.s.current_mig_amount()
    assert current > 0
    amount = {"all": current, "part": (current / 2).quantize(Decimal("0.01")), "none": Decimal("0")}[share]
    s = services.mig_agreement_record(succession=j.s, user=j.coordinator, amount=amount, upload=pdf("accord.pdf"))
    assert s.mig_agreed_amount == amount and s.mig_agreement_recorded_by == j.coordinator
    assert s.agreed_mig_amount == amount
    assert s.documents.filter(kind=Document.Kind.MIG_AGREEMENT).count() == 1


@pytest.mark.rule("CRMR-A1-mig-accord")
@pytest.mark.parametrize("wrong", ["negative", "above"])
def test_the_agreed_amount_must_lie_between_zero_and_the_current_mig(wrong):
    j, _other = _transfer()
    j.to(State.NOTICE_FORWARDED)
    j.dossier()
    current = j.s.current_mig_amount()
    amount = Decimal("-1") if wrong == "negative" else current + Decimal("0.01")
    with pytest.raises(ValidationError, match="compris entre 0 € et la dotation MIG actuelle"):
        services.mig_agreement_record(succession=j.s, user=j.coordinator, amount=amount, upload=pdf())
    assert j.refresh().mig_agreed_amount == current  # the previous agreement stays


@pytest.mark.rule("CRMR-A1-mig-accord")
def test_the_agreement_needs_its_document_and_concerns_a_transfer_only():
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
    with pytest.raises(ValidationError, match="document d'accord"):
        services.mig_agreement_record(succession=j.refresh(), user=j.coordinator, amount=Decimal("0"))
    same = Journey()
    same.to(State.NOTICE_FORWARDED)
    same.dossier()
    with pytest.raises(ValidationError, match="ne concerne qu'un transfert"):
        services.mig_agreement_record(succession=same.s, user=same.coordinator, amount=Decimal("0"), upload=pdf())
    assert same.refresh().agreed_mig_amount is None


@pytest.mark.rule("CRMR-A1-mig-accord")
def test_a_transfer_dossier_without_the_agreement_cannot_be_filed_nor_officialised():
    j, _other = _transfer()
    j.to(State.NOTICE_FORWARDED)
    j.dossier()
    Succession.objects.filter(pk=j.s.pk).update(mig_agreed_amount=None)
    with pytest.raises(TransitionRefused, match="accord des établissements sur la dotation MIG"):
        j.act("submit_dossier", user=j.coordinator)
    # A dossier filed before this rule: officialisation waits for the agreement, which DGOS may record.
    s = _force_state(j.refresh(), State.OPINION_FAVOURABLE)
    with pytest.raises(TransitionRefused, match="l'accord intervenu entre les établissements sur la dotation MIG"):
        services.succession_officialise(succession=s, user=j.dgos)
    services.mig_agreement_record(succession=s, user=j.dgos, amount=Decimal("1000"))
    assert services.succession_officialise(succession=j.refresh(), user=j.dgos).state == State.OFFICIALISED


@pytest.mark.rule("CRMR-A1-mig-accord")
def test_the_agreement_cannot_change_after_the_officialisation():
    j, _other = _transfer()
    j.to(State.OFFICIALISED)
    with pytest.raises(ValidationError, match="n'est plus modifiable"):
        services.mig_agreement_record(succession=j.s, user=j.dgos, amount=Decimal("0"), upload=pdf())


@pytest.mark.rule("CRMR-A1-mig-accord")
def test_the_officialisation_letter_states_the_agreed_amount():
    j, other = _transfer(mig_agreed=Decimal("25000"))
    s = j.to(State.OPINION_FAVOURABLE)
    current = s.current_mig_amount()
    draft, _establishments = services.succession_letter_draft(s, j.dgos)
    assert "Sur la base de l'accord intervenu entre les établissements" in draft.body_html
    assert f"à hauteur de {amount_fr(Decimal('25000'))}" in draft.body_html
    assert f"(sur une dotation de {amount_fr(current)})" in draft.body_html
    none, _other = _transfer(mig_agreed=Decimal("0"))
    draft, _establishments = services.succession_letter_draft(none.to(State.OPINION_FAVOURABLE), none.dgos)
    assert "n'est pas redéployée" in draft.body_html


@pytest.mark.rule("CRMR-A1-mig-accord")
def test_special_cases_keep_the_project_amount():
    """Special cases: the initial MIG is "débasée puis affectée au nouveau CRMR en fonction du projet établi"."""
    j = Journey()
    j.to(State.GP_OPINION_GIVEN)
    services.succession_choose_project(succession=j.s, user=j.dgos, project=j.project, effective_on=in_months(3))
    assert j.refresh().agreed_mig_amount == Decimal("120000")
    s = services.succession_officialise(succession=j.s, user=j.dgos, project=j.project, effective_on=in_months(3))
    assert MigAllocation.objects.get(crmr=j.crmr, establishment=j.project.establishment).amount == Decimal("120000")
    assert s.state == State.OFFICIALISED


@pytest.mark.rule("CRMR-A1-mig-accord")
def test_dossier_page_refuses_an_amount_above_the_current_mig_and_keeps_the_input(client):
    j, _other = _transfer()
    j.to(State.NOTICE_FORWARDED)
    j.dossier()
    Succession.objects.filter(pk=j.s.pk).update(mig_agreed_amount=None)
    current = j.refresh().current_mig_amount()
    client.force_login(j.coordinator)
    body = client.post(
        url("succession_dossier", j.s), {"op": "mig", "amount": str(current + 1), "file": pdf()}
    ).content.decode()
    assert "compris entre 0 € et la dotation MIG actuelle" in body and f'value="{current + 1}"' in body
    assert j.refresh().mig_agreed_amount is None
    response = client.post(url("succession_dossier", j.s), {"op": "mig", "amount": "12000", "file": pdf()}, follow=True)
    assert "Accord sur la dotation MIG enregistré." in response.content.decode()
    assert j.refresh().mig_agreed_amount == Decimal("12000")


@pytest.mark.rule("CRMR-A1-mig-accord")
def test_dgos_records_the_agreement_on_its_page_readers_get_403(client):
    j, _other = _transfer()
    s = j.to(State.DOSSIER_SUBMITTED)
    client.force_login(j.dgos)
    assert "Enregistrer l'accord sur la dotation MIG" in client.get(url("succession_detail", s)).content.decode()
    response = client.post(url("succession_mig", s), {"amount": "0"}, follow=True)
    assert j.refresh().mig_agreed_amount == Decimal("0")
    assert "Accord sur la dotation MIG enregistré." in response.content.decode()
    client.force_login(j.gp)
    assert client.post(url("succession_mig", s), {"amount": "5"}).status_code == 403
    assert j.refresh().mig_agreed_amount == Decimal("0")


# --- Item 10: opinions and officialisation at or after the séance ------------------------------------------


def _before_the_session():
    later = timezone.localdate() + datetime.timedelta(days=30)
    j = Journey(session_date=later)
    j.to(State.PROJECTS_RECEIVED)
    return j, later


@pytest.mark.rule("CRMR-A1-cas-particuliers-seance")
def test_no_opinion_on_a_project_before_the_session():
    j, later = _before_the_session()
    with pytest.raises(TransitionRefused) as refused:
        services.project_record_opinion(project=j.project, user=j.gp, opinion="favourable", reasons="Solide")
    assert later.strftime("%d/%m/%Y") in refused.value.reasons[0] and "séance" in refused.value.reasons[0]
    assert Project.objects.get(pk=j.project.pk).gp_opinion == ""


@pytest.mark.rule("CRMR-A1-cas-particuliers-seance")
def test_the_groupe_permanent_cannot_transmit_its_opinion_before_the_session():
    j, later = _before_the_session()
    Project.objects.filter(pk=j.project.pk).update(gp_opinion="favourable")  # even if one slipped in
    with pytest.raises(TransitionRefused, match="la séance est fixée au"):
        j.act("give_gp_opinion", user=j.gp)
    assert j.refresh().state == State.PROJECTS_RECEIVED


@pytest.mark.rule("CRMR-A1-cas-particuliers-seance")
def test_dgos_cannot_officialise_before_the_session():
    j, later = _before_the_session()
    Project.objects.filter(pk=j.project.pk).update(gp_opinion="favourable")
    s = _force_state(j.s, State.GP_OPINION_GIVEN)
    with pytest.raises(TransitionRefused, match="la séance est fixée au"):
        services.succession_officialise(succession=s, user=j.dgos, project=j.project, effective_on=in_months(3))
    assert j.refresh().state == State.GP_OPINION_GIVEN and j.s.letter is None


@pytest.mark.rule("CRMR-A1-cas-particuliers-seance")
def test_on_the_session_day_opinions_are_recorded_and_the_letter_cites_the_session_held():
    j = Journey()  # séance today
    s = j.to(State.GP_OPINION_GIVEN)
    services.succession_choose_project(succession=s, user=j.dgos, project=j.project, effective_on=in_months(3))
    draft, _establishments = services.succession_letter_draft(j.refresh(), j.dgos)
    held = timezone.localdate()
    assert s.session_date == held
    from django.utils.dateformat import format as date_format

    assert f"séance de délibération du {date_format(held, 'j F Y')}" in draft.body_html


@pytest.mark.rule("CRMR-A1-cas-particuliers-seance")
def test_the_opinion_form_is_not_offered_before_the_session(client):
    j, later = _before_the_session()
    client.force_login(j.gp)
    body = client.get(url("succession_detail", j.s)).content.decode()
    assert f"Avis à enregistrer en séance, à compter du {later.strftime('%d/%m/%Y')}" in body
    assert "Enregistrer l'avis sur" not in body
    response = client.post(url("succession_opinion", j.s, j.project.pk), {"opinion": "favourable"}, follow=True)
    assert "la séance est fixée au" in response.content.decode()
    assert Project.objects.get(pk=j.project.pk).gp_opinion == ""


@pytest.mark.rule("CRMR-A1-mig-debasee")
def test_the_initial_mig_debased_is_the_one_at_the_time_of_the_call_for_projects():
    """ "la MIG initiale du CRMR, au moment de l'appel à projet, est débasée puis affectée au nouveau CRMR en
    fonction du projet établi": noted when the call opens, cited by the letter beside the project's amount."""
    j = Journey()
    before = j.s.current_mig_amount()
    s = j.to(State.GP_OPINION_GIVEN)
    assert s.mig_at_call == before
    MigAllocation.objects.filter(crmr=j.crmr, end__isnull=True).update(amount=before + 1)  # a later change
    assert j.refresh().current_mig_amount() == before + 1 and j.s.mig_at_call == before
    services.succession_choose_project(succession=j.s, user=j.dgos, project=j.project, effective_on=in_months(3))
    draft, _establishments = services.succession_letter_draft(j.refresh(), j.dgos)
    assert f"soit {amount_fr(before)} au moment de l'appel à projets" in draft.body_html
    assert f"pour un montant de {amount_fr(Decimal('120000'))}" in draft.body_html


@pytest.mark.rule("CRMR-A1-mig-initiale-appel")
def test_the_registry_debases_the_mig_noted_at_the_call_not_a_later_amount():
    j = Journey()
    before = j.s.current_mig_amount()
    j.to(State.GP_OPINION_GIVEN)
    MigAllocation.objects.filter(crmr=j.crmr, end__isnull=True).update(amount=before + 1)  # a later change
    on = in_months(3)
    s = services.succession_officialise(succession=j.refresh(), user=j.dgos, project=j.project, effective_on=on)
    former = MigAllocation.objects.active_on(on).filter(crmr=j.crmr, establishment=s.former_establishment)
    assert sum(a.amount for a in former) == 1  # what came after the call stays with the former establishment
    new = MigAllocation.objects.active_on(on).get(crmr=j.crmr, establishment=j.project.establishment)
    assert new.amount == Decimal("120000")
