"""Issue 16, item 6: e-mail subjects as typed (no HTML escaping, no line break), 401 with a challenge for
anonymous API calls, French error pages in every mode, no 500 on a static path traversal under make run."""

import io
import sys

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from reporting.notifications import notification_dispatch
from tests.factories import UserFactory, ars_user

pytestmark = pytest.mark.django_db


def test_email_subject_is_plain_text_on_one_line(django_capture_on_commit_callbacks):
    user = UserFactory(notification_mode=User.Digest.INSTANT)
    with django_capture_on_commit_callbacks(execute=True):  # instant mails leave after the commit
        notification_dispatch(
            users=[user], subject="Dossier du CHR d'Orléans <urgent> & co\r\nBcc: x@example.org", summary="S", url="/"
        )
    subject = mail.outbox[0].subject
    assert subject == "[Centres experts] Dossier du CHR d'Orléans <urgent> & co Bcc: x@example.org"


@pytest.mark.parametrize("name", ["reporting:api-crmr-list", "reporting:api-ccmr-list", "reporting:api_schema"])
def test_anonymous_api_calls_get_401_with_a_challenge(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Session")


def test_a_signed_in_user_without_the_role_still_gets_403(client):
    client.force_login(UserFactory())
    assert client.get(reverse("reporting:api-crmr-list")).status_code == 403
    client.force_login(ars_user("53"))
    assert client.get(reverse("reporting:api-crmr-list")).status_code == 200


@pytest.mark.parametrize("debug", [False, True])
def test_an_api_address_that_matches_nothing_answers_json(client, settings, debug):
    settings.DEBUG = debug
    client.force_login(ars_user("53"))
    response = client.get("/pilotage/api/crmr/pas-un-nombre/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Introuvable."}


@pytest.mark.parametrize("debug", [False, True])
def test_404_page_is_french_in_every_mode(client, settings, debug):
    settings.DEBUG = debug
    client.force_login(ars_user("53"))
    for url in ("/cette-page-n-existe-pas/", reverse("labellisation:detail", args=[999999])):
        response = client.get(url)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Page introuvable" in page and 'lang="fr"' in page, url
        assert "Using the URLconf" not in page and "Page not found" not in page


@pytest.mark.parametrize("debug", [False, True])
def test_403_page_is_french_in_every_mode(client, settings, debug):
    from crmr_procedures.succession.models import State
    from tests.crmr_procedures.succession.helpers import Journey

    settings.DEBUG = debug
    s = Journey().to(State.DOSSIER_SUBMITTED)
    client.force_login(ars_user("53"))  # a reader of the dossier who tries to write
    response = client.post(reverse("crmr_procedures:succession_action", args=[s.pk]), {"transition": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Accès refusé" in page and 'lang="fr"' in page


def test_500_page_is_french(rf):
    from django.views import defaults

    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode() and 'lang="fr"' in response.content.decode()


def _wsgi_get(handler, path: str) -> str:
    status = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "127.0.0.1",
    }
    body = handler(environ, lambda s, headers, exc_info=None: status.append(s))
    b"".join(body)
    return status[0]


def test_make_run_answers_a_static_path_traversal_without_a_500(settings):
    """runserver under DEBUG: Django's static handler raised SuspiciousFileOperation (500); WhiteNoise
    serves static files instead and answers 404."""
    from django.core.management import get_commands, load_command_class

    settings.DEBUG = True
    command = load_command_class(get_commands()["runserver"], "runserver")
    options = vars(command.create_parser("manage.py", "runserver").parse_args([]))
    handler = command.get_handler(**options)
    assert not _wsgi_get(handler, "/static/..%2f..%2fconfig/settings/base.py").startswith("500")
    assert not _wsgi_get(handler, "/static/dsfr/../../../../etc/passwd").startswith("500")
