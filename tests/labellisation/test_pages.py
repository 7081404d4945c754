"""The dossier page: letters pending then downloadable, late badge, timeline, actions of the viewer."""

import pytest
from django.urls import reverse

from labellisation import services
from labellisation.models import Application
from letters.engine import letter_produce
from letters.models import Letter
from tests.factories import ars_user, dgos_user, establishment_user

from .factories import chu, make_application

pytestmark = pytest.mark.django_db


def test_decision_letter_is_announced_while_pending_then_downloadable_by_those_concerned(client):
    officer = ars_user("53")
    app = services.application_label(application=make_application(state="under_review"), user=officer)
    letter = Letter.objects.get(object_id=app.pk)  # on_commit not run here: still pending
    client.force_login(officer)
    page = client.get(reverse("labellisation:detail", args=[app.pk])).content.decode()
    assert "le courrier sera disponible dans quelques instants" in page
    assert "Décision tardive" in page

    letter_produce(letter.pk)
    pdf_url = reverse("letters:letter_pdf", args=[letter.pk])
    assert pdf_url in client.get(reverse("labellisation:detail", args=[app.pk])).content.decode()
    for user in (officer, establishment_user(chu()), dgos_user()):
        client.force_login(user)
        assert client.get(pdf_url).status_code == 200
    client.force_login(ars_user("11"))
    assert client.get(pdf_url).status_code == 404


def test_dossier_page_shows_the_timeline_and_only_the_viewers_actions(client):
    officer = ars_user("53")
    app = make_application(state="submitted")
    services.application_review(application=app, user=officer, comment="Dossier complet")
    client.force_login(officer)
    page = client.get(reverse("labellisation:detail", args=[app.pk])).content.decode()
    assert "Historique du dossier" in page and "Dossier complet" in page
    assert "Labelliser le centre" in page and "Prévisualiser le courrier" in page
    client.force_login(establishment_user(chu()))
    page = client.get(reverse("labellisation:detail", args=[app.pk])).content.decode()
    assert "Labelliser le centre" not in page and "Prévisualiser le courrier" not in page


def test_letter_preview_is_a_pdf_marked_as_draft(client):
    app = make_application(state=Application.State.UNDER_REVIEW)
    client.force_login(ars_user("53"))
    response = client.get(reverse("labellisation:letter_preview", args=[app.pk, "label"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    assert not Letter.objects.exists()  # a preview saves nothing


def test_sending_back_without_a_message_is_refused_with_a_french_error(client):
    app = make_application(state="submitted")
    client.force_login(ars_user("53"))
    response = client.post(
        reverse("labellisation:action", args=[app.pk]), {"transition": "send_back", "comment": ""}, follow=True
    )
    assert "Indiquez le message adressé à l&#x27;établissement" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "submitted"
