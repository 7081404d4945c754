"""The rules of the instruction, each pinned by a test named after it (2016 instruction, Annexe 1 and 2)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from centres.models import CrcSepCentre, RegistryEvent, Tranche
from core.workflow import TransitionRefused
from labellisation import services
from labellisation.models import Application
from letters.models import Letter
from tests.factories import ars_user, establishment_user

from .factories import chu, make_application, non_chu, open_campaign

pytestmark = pytest.mark.django_db


@pytest.mark.rule("SEP-A1-1-chu")
def test_only_a_chu_may_apply():
    establishment = non_chu()
    with pytest.raises(ValidationError) as exc:
        services.application_create(
            user=establishment_user(establishment),
            establishment=establishment,
            hospital=establishment.hospitals.create(name="Site de Vitré"),
            tranche=Tranche.objects.get(number=1),
            centre_name="CRC SEP de Vitré",
        )
    assert "Seul un centre hospitalier universitaire (CHU)" in exc.value.messages[0]
    assert not Application.objects.exists()


def test_application_is_created_with_every_criterion_and_the_establishment_region():
    rennes = chu()
    app = services.application_create(
        user=establishment_user(rennes),
        establishment=rennes,
        hospital=rennes.hospitals.get(name="Hôpital Pontchaillou"),
        tranche=Tranche.objects.get(number=1),
        centre_name="CRC SEP de Rennes",
    )
    assert app.region == rennes.region
    assert app.state == Application.State.DRAFT
    assert app.criteria.count() == 15


def test_several_centres_of_one_region_may_belong_to_the_same_chu_at_different_hospitals():
    aphp = chu("750712184")
    officer = ars_user("11")
    for hospital in aphp.hospitals.all()[:3]:
        app = make_application(establishment=aphp, hospital=hospital, state=Application.State.UNDER_REVIEW)
        services.application_label(application=app, user=officer)
    assert CrcSepCentre.objects.filter(establishment=aphp, status="labelled").count() == 3


@pytest.mark.rule("SEP-A1-2-4-ofsep-adherent")
@pytest.mark.rule("SEP-A1-2-4-export-edmus")
def test_labelling_needs_every_mandatory_criterion_evidenced_and_names_what_is_missing():
    app = make_application(state=Application.State.UNDER_REVIEW)
    app.criteria.filter(code__in=["ofsep_edmus", "annual_report"]).update(declared_fact="")
    app.criteria.filter(code="external_professionals").update(declared_fact="")  # optional: not required
    with pytest.raises(TransitionRefused) as exc:
        services.application_label(application=app, user=ars_user("53"))
    reason = exc.value.reasons[0]
    assert "Membre de l'OFSEP" in reason and "PIRAMIG" in reason
    assert "spécialistes extérieurs" not in reason
    assert not CrcSepCentre.objects.exists()


@pytest.mark.rule("SEP-A2-quota-region-tranche")
def test_labelling_beyond_regional_quota_is_refused():
    officer = ars_user("53")  # Bretagne: 1 centre in tranche 1
    first = make_application(state=Application.State.UNDER_REVIEW)
    second = make_application(state=Application.State.UNDER_REVIEW, name="Autre")
    services.application_label(application=first, user=officer)
    with pytest.raises(TransitionRefused) as exc:
        services.application_label(application=second, user=officer)
    assert "quota de l'annexe 2 est atteint pour Bretagne" in exc.value.reasons[0]
    assert "1 centre(s) labellisé(s) sur 1" in exc.value.reasons[0]
    second.refresh_from_db()
    assert second.state == Application.State.UNDER_REVIEW


@pytest.mark.rule("SEP-A2-quota-region-tranche")
def test_region_without_quota_in_a_tranche_cannot_label():
    open_campaign(2)  # the campaign is open: the quota, not the campaign, refuses
    app = make_application(state=Application.State.UNDER_REVIEW, tranche=2)  # Bretagne: 0 in tranche 2
    with pytest.raises(TransitionRefused) as exc:
        services.application_label(application=app, user=ars_user("53"))
    assert "sur 0" in exc.value.reasons[0]


@pytest.mark.rule("SEP-lettre-echeance-septembre-2016")
def test_decision_after_the_tranche_deadline_is_allowed_but_flagged():
    app = services.application_label(
        application=make_application(state=Application.State.UNDER_REVIEW), user=ars_user("53")
    )
    assert app.tranche.deadline == datetime.date(2016, 9, 30)
    assert app.state == Application.State.LABELLED and app.late_decision
    letter = Letter.objects.get(kind=Letter.Kind.CRCSEP_LABELLING)
    assert "après la date limite de labellisation de la tranche" in letter.body_html


@pytest.mark.rule("SEP-lettre-echeance-septembre-2016")
def test_decision_within_a_tranche_without_deadline_is_not_flagged():
    from tests.factories import EstablishmentFactory, region

    strasbourg = EstablishmentFactory(region=region("44"), name="Hôpitaux universitaires de Strasbourg")
    open_campaign(2)  # Annexe 2: tranche 2 is labelled only once DGOS opened its campaign
    app = make_application(establishment=strasbourg, tranche=2, state=Application.State.UNDER_REVIEW)
    app = services.application_label(application=app, user=ars_user("44"))
    assert app.state == Application.State.LABELLED and not app.late_decision


@pytest.mark.rule("SEP-lettre-100000-euros")
@pytest.mark.rule("SEP-lettre-financement-identique")
def test_labelled_application_enters_the_registry_with_its_funding():
    app = services.application_label(
        application=make_application(state=Application.State.UNDER_REVIEW), user=ars_user("53")
    )
    centre = app.centre
    assert centre.status == CrcSepCentre.Status.LABELLED
    assert centre.annual_funding == 100000
    assert (centre.region, centre.tranche, centre.hospital) == (app.region, app.tranche, app.hospital)
    event = RegistryEvent.objects.get(kind=RegistryEvent.Kind.CRC_SEP_LABELLED)
    assert event.crc_sep_centre == centre
    assert event.letter_reference == Letter.objects.get().reference


def test_withdrawal_frees_the_quota_and_records_an_event():
    officer = ars_user("53")
    app = services.application_label(application=make_application(state=Application.State.UNDER_REVIEW), user=officer)
    services.application_withdraw(application=app, user=officer, comment="Départ du coordonnateur non remplacé")
    app.refresh_from_db()
    assert app.state == Application.State.WITHDRAWN
    assert app.centre.status == CrcSepCentre.Status.WITHDRAWN
    event = RegistryEvent.objects.get(kind=RegistryEvent.Kind.CRC_SEP_WITHDRAWN)
    letter = Letter.objects.get(kind=Letter.Kind.CRCSEP_WITHDRAWAL)
    assert event.letter_reference == letter.reference
    assert "Départ du coordonnateur non remplacé" in letter.body_html
    # The quota is free again: another Breton centre may be labelled.
    other = make_application(state=Application.State.UNDER_REVIEW, name="Autre")
    assert services.application_label(application=other, user=officer).state == Application.State.LABELLED


def test_withdrawal_needs_a_reason():
    officer = ars_user("53")
    app = services.application_label(application=make_application(state=Application.State.UNDER_REVIEW), user=officer)
    with pytest.raises(ValidationError) as exc:
        services.application_withdraw(application=app, user=officer, comment=" ")
    assert "motif du retrait" in exc.value.messages[0]


def test_refusal_issues_a_letter_with_the_reason():
    app = services.application_reject(
        application=make_application(state=Application.State.UNDER_REVIEW),
        user=ars_user("53"),
        comment="Absence de programme d'ETP autorisé",
    )
    assert app.state == Application.State.REJECTED
    letter = Letter.objects.get(kind=Letter.Kind.CRCSEP_REFUSAL)
    assert "Absence de programme d&#x27;ETP autorisé" in letter.body_html
    assert list(letter.establishments.all()) == [app.establishment]


@pytest.mark.rule("SEP-A1-3-equipe-minimum")
@pytest.mark.rule("SEP-A1-3-coordonne-le-centre")
@pytest.mark.rule("SEP-A1-1-equipe-pluriprofessionnelle")
def test_submission_needs_the_team_declared():
    rennes = chu()
    app = make_application(complete=False)
    with pytest.raises(TransitionRefused) as exc:
        services.application_submit(application=app, user=establishment_user(rennes))
    assert "coordonnateur" in exc.value.reasons[0]


def test_awaiting_names_the_accounts_that_must_act():
    rennes = chu()
    applicant, officer = establishment_user(rennes), ars_user("53")
    ars_user("11")
    assert make_application().awaiting() == [applicant]
    assert make_application(state=Application.State.SUBMITTED).awaiting() == [officer]
    assert make_application(state=Application.State.REJECTED).awaiting() == []
