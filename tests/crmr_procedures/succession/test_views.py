"""Pages and permissions per role: outsiders get 404, readers who write get 403; inbox query counts."""

import pytest
from django.urls import reverse

from core.perms import Access
from crmr_procedures.succession import perms, services
from crmr_procedures.succession.models import State
from tests.factories import (
    CrmrFactory,
    EstablishmentFactory,
    ars_user,
    coordinator_user,
    establishment_user,
    gp_user,
)

from .helpers import Journey, in_months, multi_crmr, pdf

pytestmark = pytest.mark.django_db


def url(name, s, *args):
    return reverse(f"crmr_procedures:{name}", args=[s.pk, *args])


READ_VIEWS = ["succession_detail"]


@pytest.fixture
def officialised():
    j = Journey()
    j.to(State.OFFICIALISED)
    return j


def test_outsiders_get_404_on_every_page(client):
    j = Journey()
    s = j.to(State.DOSSIER_SUBMITTED)
    doc = s.documents.first()
    outsiders = [
        coordinator_user(CrmrFactory(), username="other-coord"),
        ars_user("11"),
        establishment_user(EstablishmentFactory(region=j.crmr.region)),
    ]
    pages = [
        ("get", url("succession_detail", s)),
        ("get", url("succession_notice", s)),
        ("get", url("succession_dossier", s)),
        ("get", url("succession_cv", s)),
        ("get", url("succession_cv_pdf", s)),
        ("get", url("succession_document", s, doc.pk)),
        ("get", url("succession_projects", s)),
        ("get", url("succession_officialise", s)),
        ("get", url("succession_preview", s)),
        ("post", url("succession_action", s)),
        ("post", url("succession_session", s)),
        ("post", url("succession_orphanet", s)),
    ]
    for user in outsiders:
        client.force_login(user)
        for method, page in pages:
            assert getattr(client, method)(page).status_code == 404, (user, page)


def test_readers_who_try_to_write_get_403(client):
    j = Journey()
    s = j.to(State.DOSSIER_SUBMITTED)
    readers = [gp_user(username="gp2"), ars_user("53"), establishment_user(j.crmr.coordinating_establishment)]
    for user in readers:
        client.force_login(user)
        assert client.get(url("succession_detail", s)).status_code == 200
        assert client.post(url("succession_action", s), {"transition": "check_complete"}).status_code == 403, user
        assert client.post(url("succession_notice", s), {}).status_code == 403
        assert client.get(url("succession_dossier", s)).status_code == 403
        assert client.post(url("succession_session", s), {"session_date": "2030-01-01"}).status_code == 403
        assert client.post(url("succession_orphanet", s), {}).status_code == 403
        assert client.get(url("succession_preview", s)).status_code in (403, 404)
    assert j.refresh().state == State.DOSSIER_SUBMITTED


def test_coordinator_cannot_run_dgos_steps(client):
    j = Journey()
    s = j.to(State.DOSSIER_SUBMITTED)
    client.force_login(j.coordinator)
    assert client.post(url("succession_action", s), {"transition": "check_complete"}).status_code == 403
    assert client.post(url("succession_officialise", s), {}).status_code == 403


def test_access_levels_per_role():
    j = Journey()
    s = j.to(State.NOTICE_RECEIVED)
    assert perms.succession_access(j.dgos, s) == Access.WRITE
    assert perms.succession_access(j.coordinator, s) == Access.WRITE
    assert perms.succession_access(j.gp, s) == Access.READ
    assert perms.succession_access(ars_user("53"), s) == Access.READ
    assert perms.succession_access(ars_user("11"), s) == Access.NONE
    assert perms.succession_access(establishment_user(j.crmr.coordinating_establishment), s) == Access.READ


def test_a_draft_notice_is_hidden_from_gp_ars_and_establishments():
    j = Journey()
    for user in (j.gp, ars_user("53"), establishment_user(j.crmr.coordinating_establishment)):
        assert perms.succession_access(user, j.s) == Access.NONE


def test_ars_of_a_concerned_region_writes_projects_only_during_the_call():
    j = Journey()
    s = j.to(State.CALL_OPEN)
    ars = ars_user("53")
    assert perms.projects_access(ars, s) == Access.WRITE
    assert perms.projects_access(ars_user("11"), s) == Access.NONE


@pytest.mark.rule("CRMR-A1-preavis-6-mois")
def test_coordinator_notice_form_refuses_a_short_date_with_the_earliest_date(client):
    j = Journey()
    client.force_login(j.coordinator)
    response = client.post(
        url("succession_notice", j.s),
        {"effective_on": in_months(2).isoformat(), "addressees": "PDG", "letter": pdf(), "send": "1"},
        follow=True,
    )
    assert "au moins 6 mois" in response.content.decode()
    assert j.refresh().state == State.DRAFT
    assert j.s.effective_on == in_months(2)  # nothing lost


def test_dossier_page_lists_missing_pieces(client):
    j = Journey()
    s = j.to(State.NOTICE_FORWARDED)
    client.force_login(j.coordinator)
    body = client.get(url("succession_dossier", s)).content.decode()
    assert "Pièces manquantes" in body and "Lettre de motivation signée du successeur" in body


def test_cv_form_refuses_an_old_publication_and_keeps_the_input(client):
    j = Journey()
    s = j.to(State.NOTICE_FORWARDED)
    client.force_login(j.coordinator)
    data = {
        "centre_name": "C",
        "establishment_name": "E",
        "last_name": "Durand",
        "first_name": "Alice",
        "address": "A",
        "phone": "1",
        "email": "a@b.fr",
        "specialty_and_titles": "Neuro",
        "experience": "X",
        "entries-TOTAL_FORMS": "1",
        "entries-INITIAL_FORMS": "0",
        "entries-0-kind": "publication",
        "entries-0-year": "1990",
        "entries-0-title": "Vieille publication",
    }
    body = client.post(url("succession_cv", s), data).content.decode()
    assert "antérieur aux 5 dernières années" in body and "Vieille publication" in body


def test_officialisation_letter_is_downloadable_by_the_ars_and_the_establishment(
    client, officialised, django_capture_on_commit_callbacks
):
    letter = officialised.s.letter
    from letters.engine import letter_produce

    letter_produce(letter.pk)
    for user in (ars_user("53"), establishment_user(officialised.crmr.coordinating_establishment)):
        client.force_login(user)
        assert client.get(reverse("letters:letter_pdf", args=[letter.pk])).status_code == 200
    client.force_login(ars_user("11"))
    assert client.get(reverse("letters:letter_pdf", args=[letter.pk])).status_code == 404


def test_dgos_preview_renders_a_pdf_before_issuing(client):
    j = Journey()
    s = j.to(State.OPINION_FAVOURABLE)
    client.force_login(j.dgos)
    response = client.get(url("succession_preview", s))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert j.refresh().letter is None


def _successions(n):
    """``n`` successions whose notice DGOS has received, one per CRMR; returns the first journey."""
    from crmr_procedures.succession import services
    from crmr_procedures.succession.models import Succession

    first = Journey()
    for _ in range(n - 1):
        crmr = CrmrFactory()
        services.succession_start(crmr=crmr, user=coordinator_user(crmr))
    Succession.objects.update(effective_on=in_months(7), state=State.NOTICE_RECEIVED)
    return first


@pytest.mark.parametrize("role", ["dgos", "gp", "ars", "establishment"])
def test_inbox_query_count_does_not_grow_with_rows(client, role):
    def count(n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        j = _successions(n)
        user = {
            "dgos": j.dgos,
            "gp": gp_user(username="gp-inbox"),
            "ars": ars_user("53"),
            "establishment": establishment_user(j.crmr.coordinating_establishment),
        }[role]
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("crmr_procedures:succession_list")).status_code == 200
        return len(ctx)

    small = count(3)
    from crmr_procedures.succession.models import Succession

    Succession.objects.all().delete()
    large = count(30)
    assert small == large


def test_dgos_inbox_orders_by_notice_deadline_soonest_first(client):
    j = Journey()
    j.to(State.NOTICE_RECEIVED)
    other = Journey(CrmrFactory())
    other.notice(months=12)
    other.act("send_notice", user=other.coordinator)
    client.force_login(j.dgos)
    body = client.get(reverse("crmr_procedures:succession_list")).content.decode()
    assert body.index(j.crmr.name) < body.index(other.crmr.name)
    assert j.s.effective_on.strftime("%d/%m/%Y") in body


def test_coordinator_sees_only_his_crmr_procedures(client):
    j = Journey()
    other = Journey(CrmrFactory())
    client.force_login(j.coordinator)
    body = client.get(reverse("crmr_procedures:succession_list")).content.decode()
    assert j.crmr.name in body and other.crmr.name not in body


def test_home_tile_counts_what_waits(client):
    j = Journey()
    j.to(State.NOTICE_RECEIVED)
    client.force_login(j.dgos)
    assert "1 dossier en attente de votre action" in client.get(reverse("home")).content.decode()


def test_steps_with_side_effects_cannot_be_run_through_the_generic_action_button(client):
    j = Journey()
    s = j.to(State.OPINION_FAVOURABLE)
    client.force_login(j.dgos)
    response = client.post(url("succession_action", s), {"transition": "officialise"}, follow=True)
    assert "ne peut pas être effectuée ici" in response.content.decode()
    assert j.refresh().state == State.OPINION_FAVOURABLE


@pytest.mark.rule("CRMR-A1-orphanet")
def test_dgos_records_the_orphanet_communication_on_the_dossier(client, officialised):
    client.force_login(officialised.dgos)
    response = client.post(
        url("succession_orphanet", officialised.s),
        {"communicated_on": "2026-12-01", "reference": "ORPHA-2026-12"},
        follow=True,
    )
    assert "Orphanet informé le 01/12/2026" in response.content.decode()


def test_dgos_turns_a_received_notice_into_a_special_case_through_the_page(client):
    j = Journey()
    s = j.to(State.NOTICE_RECEIVED)
    client.force_login(j.dgos)
    response = client.post(
        url("succession_special", s),
        {"reason": "disagreement", "informed_by": "director", "letter": pdf("courrier.pdf")},
        follow=True,
    )
    assert "Cas particulier : DGOS informée" in response.content.decode()
    assert j.refresh().path == "special" and j.s.special_reason == "disagreement"


def test_ars_pages_of_the_call_for_projects(client):
    crmr, other = multi_crmr(other_region="52")
    j = Journey(crmr)
    s = j.to(State.CALL_OPEN)
    ars53, ars52 = ars_user("53"), ars_user("52")
    services.project_add(
        succession=s,
        user=ars52,
        title="Dr",
        first_name="B",
        last_name="Secret",
        establishment=other,
        mig_amount=1,
        upload=pdf(),
    )
    client.force_login(ars53)
    assert client.get(url("succession_projects", s)).status_code == 200
    assert "Secret" not in client.get(url("succession_detail", s)).content.decode()  # not transmitted yet
    project = s.projects.get()
    assert client.get(url("succession_project_file", s, project.pk)).status_code == 404
    client.force_login(ars_user("11"))
    assert client.get(url("succession_projects", s)).status_code == 404
    client.force_login(ars52)
    client.post(url("succession_projects", s), {"op": "transmit"})
    assert client.post(url("succession_projects", s), {"op": "transmit"}).status_code == 403  # already sent


def test_inbox_filter_shows_only_what_waits_for_the_user(client):
    waiting = Journey()
    waiting.to(State.NOTICE_RECEIVED)
    elsewhere = Journey(CrmrFactory())
    elsewhere.to(State.NOTICE_FORWARDED)  # the coordinator's turn
    client.force_login(waiting.dgos)
    body = client.get(reverse("crmr_procedures:succession_list") + "?filtre=a-traiter").content.decode()
    assert waiting.crmr.name in body and elsewhere.crmr.name not in body


def test_successor_form_asks_the_civility_and_keeps_the_input_when_it_is_missing(client):
    j = Journey()
    s = j.to(State.NOTICE_FORWARDED)
    client.force_login(j.coordinator)
    data = {
        "op": "successor",
        "case": "same",
        "establishment": s.former_establishment_id,
        "title": "Pr",
        "first_name": "Alice",
        "last_name": "Durand",
    }
    page = client.post(url("succession_dossier", s), data).content.decode()
    assert "Ce champ est obligatoire" in page and 'value="Durand"' in page
    s.refresh_from_db()
    assert s.successor_id is None
    response = client.post(url("succession_dossier", s), {**data, "civility": "Mme"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.successor.civility == "Mme"


def test_the_officialisation_letter_agrees_the_function_with_the_successors_civility():
    from letters.models import Letter

    j = Journey()
    s = j.to(State.OFFICIALISED)
    letter = Letter.objects.get(
        object_id=s.pk, content_type__model="succession", kind=Letter.Kind.SUCCESSION_OFFICIALISATION
    )
    assert "désignée" in letter.body_html and "coordonnatrice du centre de référence" in letter.body_html
    assert "(e)" not in letter.body_html


def test_a_refused_session_date_comes_back_with_the_error_summary_and_the_typed_value(client):
    """Issue 17, item 2: the small form posts elsewhere and redirects; the page shows the errors once."""
    j = Journey()
    s = j.to(State.SPECIAL_FORWARDED)
    client.force_login(j.gp)
    page = client.post(url("succession_session", s), {"session_date": "31/02/2030"}, follow=True).content.decode()
    assert 'id="error-summary"' in page and 'href="#id_session_date"' in page
    assert 'value="31/02/2030"' in page
    s.refresh_from_db()
    assert s.session_date is None and s.state == State.SPECIAL_FORWARDED
    again = client.get(url("succession_detail", s)).content.decode()
    assert 'id="error-summary"' not in again
