"""The load test tells the truth: bench/wrk_report.lua counts every non-200 (a redirect included) and
reports latency percentiles; bench.phases.parse_wrk reads its line."""

import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.phases import WRK_SCRIPT, parse_wrk

SAMPLE = """Running 1s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
Requests/sec:    972.79
@@wrk {"requests": 973, "duration_s": 1.000, "rps": 972.79, "non_200": 12, "statuses": {"302": 10, "500": 2}, \
"socket_errors": {"connect": 0, "read": 1, "write": 0, "timeout": 2}, "p50_ms": 1.92, "p95_ms": 3.09, \
"p99_ms": 3.96, "max_ms": 5.13}
"""


def test_parse_counts_every_non_200_and_socket_error():
    result = parse_wrk(SAMPLE)
    assert result["errors"] == 12 + 1 + 2
    assert result["statuses"] == {"302": 10, "500": 2}
    assert (result["p50_ms"], result["p95_ms"], result["p99_ms"]) == (1.92, 3.09, 3.96)
    assert result["rps"] == 972.79


def test_a_run_without_any_answer_is_an_error():
    silent = SAMPLE.replace('"requests": 973', '"requests": 0').replace('"non_200": 12', '"non_200": 0')
    silent = silent.replace('"read": 1', '"read": 0').replace('"timeout": 2', '"timeout": 0')
    assert parse_wrk(silent)["errors"] == 1


def test_parse_refuses_output_without_the_script_line():
    with pytest.raises(ValueError):
        parse_wrk("Running 1s test\nRequests/sec: 10\n")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802  (http.server's name)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/login")
        else:
            self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
@pytest.mark.parametrize(("path", "counted"), [("/", False), ("/redirect", True)])
def test_script_counts_a_redirect_as_an_error(path, counted):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.handle_error = lambda request, address: None  # wrk closing its connections at the end
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        out = subprocess.run(
            ["wrk", "-t1", "-c2", "-d1s", "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{server.server_port}{path}"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
    finally:
        server.shutdown()
    result = parse_wrk(out)
    assert result["requests"] > 0
    assert (result["errors"] == result["requests"]) if counted else (result["errors"] == 0)
    assert result["p95_ms"] >= result["p50_ms"] > 0
