"""WeasyPrint fetches nothing but the application's own static files (issue 16, item 6): whatever a
letter's frozen HTML contains, no file of the server and no URL is read into a PDF."""

import http.server
import threading
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from letters.engine import dgos_sender, letter_compose, letter_render_pdf, static_only_url_fetcher
from tests.factories import dgos_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def http_server():
    """A local web server counting the requests it receives."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_a_letter_with_external_resources_renders_without_fetching_them(http_server, tmp_path):
    base, hits = http_server
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    draft = letter_compose(
        kind="other",
        sender=dgos_sender(),
        subject="Objet",
        body_template="letters/layout/test_body.html",
        context={"message": "Corps"},
        addressees=["Madame la directrice"],
        created_by=dgos_user(),
    )
    draft.body_html = (
        f'<p>Corps</p><img src="{base}/pixel.svg"><link rel="stylesheet" href="{secret.as_uri()}">'
        f'<img src="file:///etc/hostname"><div style="background: url({base}/bg.svg)">x</div>'
    )
    pdf = letter_render_pdf(draft)
    assert pdf.startswith(b"%PDF-")
    assert hits == []


def test_the_fetcher_serves_static_files_and_data_uris_and_refuses_the_rest(http_server):
    base, hits = http_server
    fetcher = static_only_url_fetcher()
    font = Path(finders.find("dsfr/dist/fonts/Marianne-Regular.woff2"))
    response = fetcher(font.as_uri())
    assert response.read(4) == b"wOF2"
    response.close()
    assert fetcher("data:text/plain,ok").read() == b"ok"
    for url in (
        f"{base}/x",
        "file:///etc/passwd",
        font.as_uri().replace("Marianne-Regular.woff2", "../../../../../../../../etc/passwd"),
        "ftp://127.0.0.1/x",
    ):
        with pytest.raises(ValueError):
            fetcher(url)
    assert hits == []
