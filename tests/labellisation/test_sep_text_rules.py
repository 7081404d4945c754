"""Issue 12, CRC SEP items: the rules of 2016 instruction as written (tranche campaigns, team, CHU, quota 0,
coordination tools). Each test names the rule it proves."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from centres.models import CrcSepCentre, Establishment, Tranche
from core.typography import amount_fr
from core.workflow import TransitionRefused
from labellisation import services
from labellisation.models import Application
from letters.models import Letter
from tests.factories import EstablishmentFactory, admin_user, ars_user, dgos_user, establishment_user, region

from .factories import chu, make_application, open_campaign

pytestmark = pytest.mark.django_db


def _create(establishment, tranche_number, name="CRC SEP"):
    return services.application_create(
        user=establishment_user(establishment),
        establishment=establishment,
        hospital=establishment.hospitals.first(),
        tranche=Tranche.objects.get(number=tranche_number),
        centre_name=name,
    )


# --- 1. Tranche campaigns (Annexe 2, cover letter) ------------------------------------------------


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_reference_data_open_tranche_1_notified_by_the_2015_circular_and_leave_tranche_2_closed():
    first, second = Tranche.objects.get(number=1), Tranche.objects.get(number=2)
    assert first.is_notified and first.campaign_is_open()
    assert "DGOS/R1/2015/332 du 30 octobre 2015" in first.budget_circular
    assert first.campaign_opens_on == datetime.date(2016, 5, 27)
    assert not second.is_notified and not second.campaign_is_open()
    assert second.funding_status == Tranche.FundingStatus.PLANNED and second.budget_circular == ""


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_reloading_reference_data_keeps_the_campaign_dgos_opened():
    from core.reference import load_reference_data

    open_campaign(2)
    load_reference_data()
    assert Tranche.objects.get(number=2).campaign_is_open()


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_no_application_in_a_tranche_whose_campaign_dgos_has_not_opened():
    strasbourg = EstablishmentFactory(region=region("44"), name="Hôpitaux universitaires de Strasbourg")
    strasbourg.hospitals.create(name="Hôpital civil")
    with pytest.raises(ValidationError) as exc:
        _create(strasbourg, 2)
    message = exc.value.messages[0]
    assert "campagne de la tranche 2 (prévisionnel 2017) n'est pas ouverte" in message
    assert "prévisionnel (financement à l'étude)" in message
    assert not Application.objects.exists()
    open_campaign(2)
    assert _create(strasbourg, 2).state == Application.State.DRAFT


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_an_ars_cannot_label_in_a_tranche_that_is_not_open():
    strasbourg = EstablishmentFactory(region=region("44"), name="Hôpitaux universitaires de Strasbourg")
    app = make_application(establishment=strasbourg, tranche=2, state=Application.State.UNDER_REVIEW)
    with pytest.raises(TransitionRefused) as exc:
        services.application_label(application=app, user=ars_user("44"))
    assert any("n'est pas ouverte" in r and "DGOS" in r for r in exc.value.reasons)
    assert not CrcSepCentre.objects.exists()


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_a_closed_campaign_refuses_new_applications():
    tranche = Tranche.objects.get(number=1)
    tranche.campaign_closes_on = datetime.date(2016, 12, 31)
    tranche.save()
    with pytest.raises(ValidationError) as exc:
        _create(chu(), 1)
    assert "close depuis le 31/12/2016" in exc.value.messages[0]


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_dgos_opens_a_campaign_with_a_trace_and_a_notified_funding_needs_its_circular():
    dgos = dgos_user()
    tranche = Tranche.objects.get(number=2)
    with pytest.raises(ValidationError) as exc:
        services.tranche_campaign_update(
            tranche=tranche,
            user=dgos,
            funding_status=Tranche.FundingStatus.NOTIFIED,
            budget_circular="",
            campaign_opens_on=datetime.date(2017, 3, 1),
            campaign_closes_on=None,
            reason="Crédits 2017",
        )
    assert "circulaire budgétaire" in exc.value.message_dict["budget_circular"][0]
    assert not Tranche.objects.get(number=2).campaign_is_open()

    services.tranche_campaign_update(
        tranche=tranche,
        user=dgos,
        funding_status=Tranche.FundingStatus.PLANNED,
        budget_circular="",
        campaign_opens_on=datetime.date(2017, 3, 1),
        campaign_closes_on=None,
        reason="Ouverture de la campagne 2017",
    )
    tranche.refresh_from_db()
    assert tranche.campaign_is_open() and not tranche.is_notified
    record = tranche.history.latest()
    assert record.history_user == dgos and record.history_change_reason == "Ouverture de la campagne 2017"
    assert record.campaign_opens_on == datetime.date(2017, 3, 1)


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_only_dgos_changes_a_campaign():
    tranche = Tranche.objects.get(number=2)
    for user in (ars_user("44"), admin_user()):
        with pytest.raises(PermissionDenied):
            services.tranche_campaign_update(
                tranche=tranche,
                user=user,
                funding_status="previsionnel",
                budget_circular="",
                campaign_opens_on=datetime.date(2017, 1, 1),
                campaign_closes_on=None,
                reason="x",
            )
    assert not Tranche.objects.get(number=2).campaign_is_open()


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_campaign_pages_dgos_writes_ars_reads_others_get_404(client):
    edit_url = reverse("labellisation:campaign_edit", args=[2])
    client.force_login(establishment_user(chu()))
    assert client.get(reverse("labellisation:campaigns")).status_code == 404
    client.force_login(ars_user("44"))
    page = client.get(reverse("labellisation:campaigns")).content.decode()
    assert "Non ouverte" in page and "Notifié" in page
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"funding_status": "previsionnel", "reason": "x"}).status_code == 403

    client.force_login(dgos_user(first_name="Julien", last_name="Moreau"))
    bad = client.post(
        edit_url,
        {"funding_status": "notifie", "budget_circular": "", "campaign_opens_on": "2017-03-01", "reason": "Notif"},
    )
    assert bad.status_code == 200 and "circulaire budgétaire" in bad.content.decode()
    assert not Tranche.objects.get(number=2).campaign_is_open()  # nothing half-saved
    ok = client.post(
        edit_url,
        {
            "funding_status": "notifie",
            "budget_circular": "Circulaire N°DGOS/R1/2017/145 (test)",
            "campaign_opens_on": "2017-03-01",
            "campaign_closes_on": "",
            "reason": "Crédits de la tranche 2 notifiés",
        },
    )
    assert ok.status_code == 302
    page = client.get(reverse("labellisation:campaigns")).content.decode()
    assert "Crédits de la tranche 2 notifiés" in page and "Julien Moreau" in page
    assert Tranche.objects.get(number=2).is_notified


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_letters_state_the_funding_according_to_the_tranche_status():
    officer = ars_user("53")
    app = make_application(state=Application.State.UNDER_REVIEW)
    draft = services.application_letter_draft(application=app, decision="label", user=officer)
    assert f"{amount_fr(100000, 0)} par an" in draft.body_html and "DGOS/R1/2015/332" in draft.body_html

    open_campaign(2)
    strasbourg = EstablishmentFactory(region=region("44"), name="Hôpitaux universitaires de Strasbourg")
    planned = make_application(establishment=strasbourg, tranche=2, state=Application.State.UNDER_REVIEW)
    services.application_label(application=planned, user=ars_user("44"))
    body = Letter.objects.get(kind=Letter.Kind.CRCSEP_LABELLING).body_html
    assert "100 000" not in body
    assert "prévisionnel" in body and "à l'étude" in body and "ne vaut pas engagement de financement" in body


# --- 2. The team (Annexe 1 §3) ---------------------------------------------------------------------

TEAM_CASES = [  # literal rule ids: the catalogue scanner reads them without importing the tests
    pytest.param(
        "SEP-A1-3-coordinateur-neurologue",
        {"coordinator_neurologist": False},
        "qualifié en neurologie",
        marks=pytest.mark.rule("SEP-A1-3-coordinateur-neurologue"),
        id="SEP-A1-3-coordinateur-neurologue",
    ),
    pytest.param(
        "SEP-A1-3-coordinateur-3-ans",
        {"coordinator_years_expert": 2},
        "au moins trois ans",
        marks=pytest.mark.rule("SEP-A1-3-coordinateur-3-ans"),
        id="SEP-A1-3-coordinateur-3-ans",
    ),
    pytest.param(
        "SEP-A1-3-coordinateur-recherche",
        {"coordinator_research": ""},
        "expérience en matière de recherche",
        marks=pytest.mark.rule("SEP-A1-3-coordinateur-recherche"),
        id="SEP-A1-3-coordinateur-recherche",
    ),
    pytest.param(
        "SEP-A1-3-infirmiere-specialisee",
        {"nurse_ms_specialised": False},
        "soins requis pour la SEP",
        marks=pytest.mark.rule("SEP-A1-3-infirmiere-specialisee"),
        id="SEP-A1-3-infirmiere-specialisee",
    ),
    pytest.param(
        "SEP-A1-3-infirmiere-etp",
        {"nurse_etp_trained": False},
        "formé(e) à l'éducation thérapeutique",
        marks=pytest.mark.rule("SEP-A1-3-infirmiere-etp"),
        id="SEP-A1-3-infirmiere-etp",
    ),
    pytest.param(
        "SEP-A1-3-infirmiere-accueil",
        {"nurse_information_support": False},
        "l'accueil et l'orientation",
        marks=pytest.mark.rule("SEP-A1-3-infirmiere-accueil"),
        id="SEP-A1-3-infirmiere-accueil",
    ),
]


@pytest.mark.parametrize(("rule_id", "change", "expected"), TEAM_CASES)
def test_each_team_rule_is_checked_at_submission_and_at_labelling(rule_id, change, expected):
    draft = make_application()
    Application.objects.filter(pk=draft.pk).update(**change)
    draft.refresh_from_db()
    with pytest.raises(TransitionRefused) as exc:
        services.application_submit(application=draft, user=establishment_user(chu()))
    assert any("annexe 1, §3" in r and expected in r for r in exc.value.reasons)
    draft.refresh_from_db()
    assert draft.state == Application.State.DRAFT

    reviewed = make_application(state=Application.State.UNDER_REVIEW, name="Autre")
    Application.objects.filter(pk=reviewed.pk).update(**change)
    reviewed.refresh_from_db()
    with pytest.raises(TransitionRefused) as exc:
        services.application_label(application=reviewed, user=ars_user("53"))
    assert any(expected in r for r in exc.value.reasons)
    assert not CrcSepCentre.objects.exists()


@pytest.mark.rule("SEP-A1-3-coordinateur-3-ans")
def test_three_years_exactly_is_enough():
    app = make_application()
    Application.objects.filter(pk=app.pk).update(coordinator_years_expert=3)
    app.refresh_from_db()
    assert services.application_submit(application=app, user=establishment_user(chu())).state == "submitted"


@pytest.mark.rule("SEP-A1-3-coordinateur-neurologue")
@pytest.mark.rule("SEP-A1-3-infirmiere-etp")
def test_the_ars_sees_which_team_rules_are_met_on_the_dossier(client):
    app = make_application(state=Application.State.SUBMITTED)
    Application.objects.filter(pk=app.pk).update(coordinator_neurologist=False)
    client.force_login(ars_user("53"))
    page = client.get(reverse("labellisation:detail", args=[app.pk])).content.decode()
    section = page[page.index('data-testid="team-rules"') :]
    section = section[: section.index("</ul>")]
    assert section.count("✓") == 5 and section.count("✗") == 1
    assert "Non respectée :</span> Le coordonnateur est un médecin spécialiste qualifié en neurologie" in " ".join(
        section.split()
    )


@pytest.mark.rule("SEP-A1-3-coordinateur-neurologue")
def test_the_team_form_records_the_structured_answers(client):
    app = make_application(complete=False)
    client.force_login(establishment_user(chu()))
    form_page = client.get(reverse("labellisation:edit", args=[app.pk])).content.decode()
    for name in ("coordinator_neurologist", "nurse_ms_specialised", "nurse_etp_trained", "nurse_information_support"):
        assert f'name="{name}"' in form_page
    response = client.post(
        reverse("labellisation:edit", args=[app.pk]),
        {
            "centre_name": "CRC SEP de Rennes",
            "coordinator_name": "Pr Gilles Edan",
            "coordinator_specialty": "Neurologie",
            "coordinator_neurologist": "on",
            "coordinator_years_expert": "12",
            "coordinator_research": "Essais de phase III",
            "nurse_name": "Mme Anne Soignante",
            "nurse_ms_specialised": "on",
            "nurse_etp_trained": "on",
            "nurse_reception_orientation": "on",
            "nurse_information_support": "on",
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.coordinator_neurologist and app.nurse_ms_specialised and not app.unmet_team_rules()


# --- 3. "Implanté au sein d'un CHU" (Annexe 1 §1, §2.4) --------------------------------------------


@pytest.mark.rule("SEP-A1-1-chu")
def test_the_two_chr_are_loaded_as_chr_from_the_reference_data():
    assert Establishment.objects.get(finess_ej="570005165").kind == Establishment.Kind.CHR  # Metz-Thionville
    assert Establishment.objects.get(finess_ej="450000088").kind == Establishment.Kind.CHR  # Orléans
    assert Establishment.objects.get(finess_ej="540002078").kind == Establishment.Kind.CHU  # CHRU de Nancy


@pytest.mark.rule("SEP-A1-1-chu")
def test_establishment_category_has_no_default_and_the_admin_requires_it(client):
    field = Establishment._meta.get_field("kind")
    assert not field.has_default() and not field.blank
    client.force_login(admin_user())
    response = client.post(
        reverse("admin:centres_establishment_add"),
        {"finess_ej": "350005179", "name": "Sans catégorie", "city": "Rennes", "region": region("53").pk},
    )
    assert response.status_code == 200 and "Ce champ est obligatoire" in response.content.decode()


@pytest.mark.rule("SEP-A1-1-chu")
def test_a_chr_cannot_apply_nor_be_labelled():
    metz = Establishment.objects.get(finess_ej="570005165")
    open_campaign(2)
    with pytest.raises(ValidationError) as exc:
        _create(metz, 2)
    assert "« CHR Metz-Thionville » est classé « Centre hospitalier régional (CHR) », pas CHU" in exc.value.messages[0]

    app = make_application(establishment=metz, tranche=2, state=Application.State.UNDER_REVIEW)
    with pytest.raises(TransitionRefused) as exc:
        services.application_label(application=app, user=ars_user("44"))
    assert any("implanté au sein d'un CHU" in r and "CHR Metz-Thionville" in r for r in exc.value.reasons)


# --- 4. Coordination tools only "encouragés" (§2.2) ------------------------------------------------


@pytest.mark.rule("SEP-A1-2-2-outils-coordination")
def test_coordination_tools_never_block_labelling_and_show_as_a_recommendation(client):
    officer = ars_user("53")
    app = make_application(state=Application.State.UNDER_REVIEW)
    app.criteria.filter(code="coordination_tools").update(declared_fact="")
    assert not app.missing_mandatory_criteria()
    client.force_login(officer)
    page = client.get(reverse("labellisation:detail", args=[app.pk])).content.decode()
    assert "« encouragés », non bloquant" in page and "Recommandé" in page
    services.application_label(application=app, user=officer)
    app.refresh_from_db()
    assert app.state == Application.State.LABELLED


# --- 5. Quota 0 refused at creation and submission (Annexe 2) -------------------------------------


@pytest.mark.rule("SEP-A2-quota-region-tranche")
def test_quota_zero_refuses_creation_naming_the_annexe_2_line():
    nancy = Establishment.objects.get(finess_ej="540002078")  # Grand Est: 0 in tranche 1, 3 in tranche 2
    with pytest.raises(ValidationError) as exc:
        _create(nancy, 1)
    message = exc.value.messages[0]
    assert "« Alsace, Champagne-Ardenne, Lorraine »" in message and "tranche 1 (financée en 2015)" in message
    assert not Application.objects.exists()

    open_campaign(2)
    with pytest.raises(ValidationError) as exc:
        _create(chu(), 2)  # Bretagne: 1 in tranche 1, 0 in tranche 2
    assert "ligne « Bretagne » dans la tranche 2" in exc.value.messages[0]


@pytest.mark.rule("SEP-A2-quota-region-tranche")
def test_a_region_absent_from_annexe_2_cannot_apply():
    guadeloupe = Establishment.objects.get(finess_ej="970100228")
    with pytest.raises(ValidationError) as exc:
        _create(guadeloupe, 1)
    assert "Guadeloupe ne figure pas au tableau de l'annexe 2" in exc.value.messages[0]


@pytest.mark.rule("SEP-A2-quota-region-tranche")
def test_quota_zero_refuses_submission_of_an_existing_draft():
    open_campaign(2)
    draft = make_application(tranche=2)  # Bretagne, tranche 2: quota 0 (a draft made before this rule)
    with pytest.raises(TransitionRefused) as exc:
        services.application_submit(application=draft, user=establishment_user(chu()))
    assert any("ligne « Bretagne »" in r for r in exc.value.reasons)


@pytest.mark.rule("SEP-A2-quota-region-tranche")
def test_the_create_page_redisplays_the_refusal_in_french(client):
    nancy = Establishment.objects.get(finess_ej="540002078")
    client.force_login(establishment_user(nancy))
    response = client.post(
        reverse("labellisation:create"),
        {
            "establishment": nancy.pk,
            "hospital": nancy.hospitals.first().pk,
            "tranche": Tranche.objects.get(number=1).pk,
            "centre_name": "CRC SEP de Nancy",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Alsace, Champagne-Ardenne, Lorraine" in page
    assert "CRC SEP de Nancy" in page  # the typed name is kept
    assert not Application.objects.exists()


# --- The 2016 instruction read again: the §2.3 mission and the cover letter's measure 8 ---------------------------


@pytest.mark.rule("SEP-A1-2-3-harmonisation-formation")
def test_the_training_and_harmonisation_mission_must_be_evidenced_before_labelling():
    app = make_application(state=Application.State.UNDER_REVIEW)
    app.criteria.filter(code="training_harmonisation").update(declared_fact="")
    with pytest.raises(TransitionRefused) as exc:
        services.application_label(application=app, user=ars_user("53"))
    assert any("Harmonisation des pratiques, formation des personnels" in r and "§2.3" in r for r in exc.value.reasons)
    assert not CrcSepCentre.objects.exists()


@pytest.mark.rule("SEP-lettre-mesure-8-innovations")
def test_measure_8_of_the_pmnd_is_weighed_but_never_blocks(client):
    officer = ars_user("53")
    app = make_application(state=Application.State.UNDER_REVIEW)
    app.criteria.filter(code="pmnd_measure_8").update(declared_fact="")
    client.force_login(officer)
    page = client.get(reverse("labellisation:detail", args=[app.pk])).content.decode()
    assert "mesure 8 du PMND" in page and "à prendre en compte : « élément important », non bloquant" in page
    services.application_label(application=app, user=officer)
    app.refresh_from_db()
    assert app.state == Application.State.LABELLED


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_the_admin_cannot_open_a_campaign_behind_dgos_back(client):
    client.force_login(admin_user())
    tranche = Tranche.objects.get(number=2)
    page = client.get(reverse("admin:centres_tranche_change", args=[tranche.pk])).content.decode()
    assert 'name="campaign_opens_on"' not in page and 'name="funding_status"' not in page
