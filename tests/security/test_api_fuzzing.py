"""API fuzzing (issue 16, item 7): schemathesis runs against the OpenAPI document on every endpoint, with
the session of each role and anonymously: no 500, every status code documented, every response matching
its schema. The live server serves a small world with data in two regions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import (
    CcmrFactory,
    CrmrFactory,
    EstablishmentFactory,
    admin_user,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
    region,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def _world():
    import datetime

    from centres.models import RegistryEvent

    for code in ("53", "11"):
        crmr = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region(code)))
        ccmr = CcmrFactory(crmr=crmr, establishment=EstablishmentFactory(region=region(code)))
        RegistryEvent.objects.create(
            kind=RegistryEvent.Kind.CCMR_CREATED,
            effective_on=datetime.date(2026, 3, 1),
            summary=f"Création {code}",
            letter_reference=f"DGOS-PF2/2026/000{code}",
            crmr=crmr,
            ccmr=ccmr,
        )
    return crmr


ROLES = {
    "dgos": lambda crmr: dgos_user(),
    "admin": lambda crmr: admin_user(),
    "ars": lambda crmr: ars_user("53"),
    "gp": lambda crmr: gp_user(),
    "coordinator": lambda crmr: coordinator_user(crmr),
    "establishment": lambda crmr: establishment_user(crmr.coordinating_establishment),
    "anonymous": lambda crmr: None,
}


@pytest.fixture
def openapi(tmp_path):
    from drf_spectacular.generators import SchemaGenerator

    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
    return path


def _schemathesis(openapi: Path, base_url: str, headers: list[str], workdir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(SCHEMATHESIS),
            "run",
            str(openapi),
            "--url",
            base_url,
            *headers,
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "10",
            "--workers",
            "1",
            "--seed",
            "16",
            "--generation-database",
            "none",
            "--request-timeout",
            "20",
            "--no-color",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=workdir,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )


def test_the_api_holds_under_fuzzing_for_every_role(live_server, openapi, tmp_path):
    """One schemathesis run per role (a session each, and one anonymous), side by side on the live server."""
    crmr = _world()
    runs = {}
    for role, make_user in ROLES.items():
        user = make_user(crmr)
        headers = []
        if user is not None:
            client = Client()
            client.force_login(user)
            headers = ["-H", f"Cookie: sessionid={client.cookies['sessionid'].value}"]
        workdir = tmp_path / role
        workdir.mkdir()
        runs[role] = _schemathesis(openapi, live_server.url, headers, workdir)
    failures = {}
    for role, process in runs.items():
        output, _ = process.communicate(timeout=600)
        if process.returncode != 0 or "6 selected" not in output:
            failures[role] = output[-5000:]
    assert not failures, "\n\n".join(f"=== {role} ===\n{out}" for role, out in failures.items())
