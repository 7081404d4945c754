"""Every view × every role: those concerned see, the applicant edits only while editable, only the
region's ARS decides, DGOS reads (403 on writes), anyone else gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centres.models import Tranche
from labellisation.models import Application, CriterionDocument
from tests.factories import CrmrFactory, ars_user, coordinator_user, dgos_user, establishment_user, gp_user

from .factories import chu, make_application, pdf_bytes

pytestmark = pytest.mark.django_db

ROLES = ["applicant", "ars", "dgos", "other_ars", "other_establishment", "coordinator", "gp"]


def make_user(role: str):
    return {
        "applicant": lambda: establishment_user(chu()),
        "ars": lambda: ars_user("53"),
        "dgos": lambda: dgos_user(),
        "other_ars": lambda: ars_user("11"),
        "other_establishment": lambda: establishment_user(chu("750712184")),
        "coordinator": lambda: coordinator_user(CrmrFactory()),
        "gp": lambda: gp_user(),
    }[role]()


def with_document(app: Application) -> CriterionDocument:
    doc = CriterionDocument(criterion=app.criteria.get(code="ofsep_edmus"), uploaded_by=app.created_by)
    doc.attach(SimpleUploadedFile("convention.pdf", pdf_bytes(), content_type="application/pdf"))
    doc.save()
    return doc


OUTSIDERS = {"other_ars": 404, "other_establishment": 404, "coordinator": 404, "gp": 404}

# (view, state, method, expected status per role)
MATRIX = [
    ("detail", "draft", "get", {"applicant": 200, "ars": 200, "dgos": 200, **OUTSIDERS}),
    ("edit", "draft", "get", {"applicant": 200, "ars": 200, "dgos": 403, **OUTSIDERS}),
    ("edit", "submitted", "get", {"applicant": 403, "ars": 403, "dgos": 403, **OUTSIDERS}),
    ("evidence", "sent_back", "get", {"applicant": 200, "ars": 200, "dgos": 403, **OUTSIDERS}),
    ("evidence", "under_review", "get", {"applicant": 403, "ars": 403, "dgos": 403, **OUTSIDERS}),
    ("action", "submitted", "post", {"applicant": 403, "ars": 302, "dgos": 403, **OUTSIDERS}),
    ("letter_preview", "under_review", "get", {"applicant": 403, "ars": 200, "dgos": 403, **OUTSIDERS}),
    ("document", "submitted", "get", {"applicant": 200, "ars": 200, "dgos": 200, **OUTSIDERS}),
    ("document_delete", "draft", "post", {"applicant": 302, "ars": 302, "dgos": 403, **OUTSIDERS}),
]
CASES = [(view, state, method, role, codes[role]) for view, state, method, codes in MATRIX for role in ROLES]


def url_for(view: str, app: Application, doc: CriterionDocument) -> str:
    if view in ("document", "document_delete"):
        return reverse(f"labellisation:{view}", args=[app.pk, doc.pk])
    if view == "letter_preview":
        return reverse("labellisation:letter_preview", args=[app.pk, "label"])
    return reverse(f"labellisation:{view}", args=[app.pk])


@pytest.mark.parametrize(
    ("view", "state", "method", "role", "expected"), CASES, ids=[f"{v}-{s}-{r}" for v, s, _, r, _ in CASES]
)
@pytest.mark.rule("SEP-lettre-labellisation-par-ars")
def test_dossier_views_answer_each_role(client, view, state, method, role, expected):
    app = make_application(state=state)
    doc = with_document(app)
    client.force_login(make_user(role))
    data = {"transition": "review"} if view == "action" else {}
    response = getattr(client, method)(url_for(view, app, doc), data)
    assert response.status_code == expected
    if expected == 404:
        assert app.centre_name.encode() not in response.content


@pytest.mark.parametrize(
    ("view", "codes"),
    [
        ("inbox", {"applicant": 302, "ars": 200, "dgos": 200, "coordinator": 404, "gp": 404}),
        ("mine", {"applicant": 200, "ars": 404, "dgos": 404, "coordinator": 404, "gp": 404}),
        ("create", {"applicant": 200, "ars": 200, "dgos": 404, "coordinator": 404, "gp": 404}),
    ],
)
@pytest.mark.parametrize("role", ["applicant", "ars", "dgos", "coordinator", "gp"])
def test_list_and_create_views_answer_each_role(client, view, codes, role):
    client.force_login(make_user(role))
    assert client.get(reverse(f"labellisation:{view}")).status_code == codes[role]


def test_anonymous_visitor_is_sent_to_login(client):
    app = make_application()
    response = client.get(reverse("labellisation:detail", args=[app.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_region_inbox_does_not_list_the_dossier(client):
    app = make_application(state="submitted")
    client.force_login(ars_user("11"))
    assert app.centre_name not in client.get(reverse("labellisation:inbox")).content.decode()
    client.force_login(ars_user("53"))
    assert app.centre_name in client.get(reverse("labellisation:inbox")).content.decode()


def test_ars_may_prepare_an_application_on_behalf_of_a_chu_of_its_region(client):
    rennes = chu()
    client.force_login(ars_user("53"))
    response = client.post(
        reverse("labellisation:create"),
        {
            "establishment": rennes.pk,
            "hospital": rennes.hospitals.first().pk,
            "tranche": Tranche.objects.get(number=1).pk,
            "centre_name": "CRC SEP de Rennes",
        },
    )
    app = Application.objects.get()
    assert response.status_code == 302 and app.establishment == rennes and app.region.code == "53"


def test_ars_cannot_prepare_an_application_for_a_chu_of_another_region(client):
    aphp = chu("750712184")
    client.force_login(ars_user("53"))
    response = client.post(
        reverse("labellisation:create"),
        {
            "establishment": aphp.pk,
            "hospital": aphp.hospitals.first().pk,
            "tranche": Tranche.objects.get(number=1).pk,
            "centre_name": "X",
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Application.objects.exists()


def test_refused_action_shows_the_french_reason(client):
    make_application(state="labelled", name="Déjà")  # an application labelled elsewhere does not count…
    from labellisation import services

    officer = ars_user("53")
    services.application_label(application=make_application(state="under_review", name="Premier"), user=officer)
    second = make_application(state="under_review", name="Second")
    client.force_login(officer)
    response = client.post(reverse("labellisation:action", args=[second.pk]), {"transition": "label"}, follow=True)
    assert "quota de l&#x27;annexe 2 est atteint pour Bretagne" in response.content.decode()
    second.refresh_from_db()
    assert second.state == "under_review"


def test_home_tile_counts_what_waits_for_the_officer(client):
    make_application(state="submitted")
    make_application(state="under_review", name="Autre")
    client.force_login(ars_user("53"))
    assert "2 dossiers à instruire" in client.get("/").content.decode()


@pytest.mark.rule("SEP-A1-1-chu")
def test_a_non_chu_establishment_applying_gets_a_french_refusal(client):
    from .factories import non_chu

    vitre = non_chu()
    site = vitre.hospitals.create(name="Site de Vitré")
    client.force_login(establishment_user(vitre))
    response = client.post(
        reverse("labellisation:create"),
        {
            "establishment": vitre.pk,
            "hospital": site.pk,
            "tranche": Tranche.objects.get(number=1).pk,
            "centre_name": "CRC SEP de Vitré",
        },
    )
    assert response.status_code == 200
    assert "Seul un centre hospitalier universitaire (CHU) peut candidater" in response.content.decode()
    assert not Application.objects.exists()
