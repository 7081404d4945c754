"""The main forms of every workflow, fuzzed with hypothesis (issue 7, Security: hostile input).

Each form is posted by the account entitled to use it with generated data: text with control characters,
very long strings, unusual unicode, SQL- and HTML-looking strings, out-of-range numbers and dates, missing
fields. Whatever comes in: no server error (an exception would surface through the test client), a refusal
shows its reasons in French in the page, and a refused POST leaves the object and the row counts as they
were. Each example runs inside a savepoint rolled back afterwards, so examples do not see each other."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.contrib.messages import constants, get_messages
from django.db import transaction
from django.forms.formsets import BaseFormSet
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .scenes import activity_report_open, ccmr_world, labellisation_draft, succession_journey

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible in CI
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported at once, as generated
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE_STRINGS = [
    "'; DROP TABLE labellisation_application; --",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}{% debug %}",
    "${jndi:ldap://x/a}",
    "\x00",
    "a\x00b",
    "\x1b[31m\x07\x08\x7f",
    "\u202e\u200b\ufeff",
    "𝕳𝖊𝖑𝖑𝖔 🧠 Zalgo Z̷̢͈a̵l̴g̸o",
    "../../etc/passwd",
    "%00%0a%0d",
    " ",
    "-1",
    "1e309",
    "NaN",
    "9" * 40,
]
# Any character but lone surrogates (they cannot be encoded in the request at all).
TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.sampled_from(HOSTILE_STRINGS),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["A", "é", "<", "\x01", "中"]), st.integers(90, 12_000)),
)
NUMBER = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.integers(-5, 5000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    TEXT,
)
DATE = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(datetime.date.isoformat),
    st.sampled_from(["2026-02-30", "0000-00-00", "99999-01-01", "31/12/2026", "2026-13-01", "", "-2026-01-01"]),
    TEXT,
)
ENGLISH = re.compile(r"\b(This field|Enter a|Ensure this|Select a valid|is required|must be|Invalid|not a valid)\b")


def form_data(**fields) -> st.SearchStrategy[dict]:
    """Every field may be missing."""
    return st.fixed_dictionaries({}, optional=fields)


def _errors(response) -> list[str]:
    found: list[str] = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, forms.BaseForm) and value.is_bound:
                found += [str(e) for errors in value.errors.values() for e in errors]
            elif isinstance(value, BaseFormSet) and value.is_bound:
                found += [str(e) for e in value.non_form_errors()]
                found += [str(e) for form_errors in value.errors for errors in form_errors.values() for e in errors]
    found += [str(m) for m in get_messages(response.wsgi_request) if m.level >= constants.ERROR]
    return list(dict.fromkeys(found))


@dataclass
class Scene:
    user: Any
    url: str
    snapshot: Callable[[], Any]
    base: dict | None = None  # fields sent as they are unless the example overrides them


def post_and_check(client, scene: Scene, data: dict) -> None:
    client.cookies.pop("messages", None)  # messages left by the previous example (the cookie jar is not rolled back)
    with transaction.atomic():
        before = scene.snapshot()
        # A browser always sends the CSRF token, so a POST is never empty (``Form(request.POST or None)``).
        response = client.post(scene.url, {"csrfmiddlewaretoken": "-", **(scene.base or {}), **data})
        assert response.status_code < 500
        errors = _errors(response)
        if errors:
            page = html.unescape(response.content.decode()) if response.status_code == 200 else ""
            for error in errors:
                assert not ENGLISH.search(error), f"not French: {error!r}"
                if response.status_code == 200:
                    assert html.unescape(error) in page, f"error not shown: {error!r}"
            assert scene.snapshot() == before, "a refused POST changed something"
        else:
            assert response.status_code == 302, "the form was re-displayed without any reason"
        transaction.set_rollback(True)


def row(model, pk) -> dict:
    return model.objects.filter(pk=pk).values().get()


# --- Labellisation (Annexe 1: application, team, criteria) ---------------------------------------


@pytest.fixture
def draft(client):
    scene = labellisation_draft()
    client.force_login(scene.user)
    return scene


@FUZZ
@given(data=form_data(establishment=NUMBER, hospital=NUMBER, tranche=NUMBER, centre_name=TEXT))
def test_application_create_form_survives_hostile_input(client, draft, data):
    from labellisation.models import Application

    scene = Scene(draft.user, reverse("labellisation:create"), lambda: Application.objects.count())
    post_and_check(client, scene, data)


@FUZZ
@given(
    data=form_data(
        centre_name=TEXT,
        coordinator_name=TEXT,
        coordinator_specialty=TEXT,
        coordinator_years_expert=NUMBER,
        coordinator_research=TEXT,
        nurse_name=TEXT,
        nurse_etp_trained=TEXT,
        external_specialists=TEXT,
        other_professionals=TEXT,
    )
)
def test_application_team_form_survives_hostile_input(client, draft, data):
    from labellisation.models import Application

    app = draft.obj
    scene = Scene(draft.user, reverse("labellisation:edit", args=[app.pk]), lambda: row(Application, app.pk))
    post_and_check(client, scene, data)


@FUZZ
@given(data=form_data(fact_care_offer=TEXT, fact_rcp=TEXT, fact_chu_hosting=TEXT, fact_ofsep_edmus=TEXT))
def test_criteria_form_survives_hostile_input(client, draft, data):
    app = draft.obj

    def snapshot():
        return sorted(app.criteria.values_list("code", "declared_fact")), app.criteria.model.objects.count()

    scene = Scene(draft.user, draft.url, snapshot, base=draft.data)
    post_and_check(client, scene, data)


# --- Succession (Annexe 1: notice, dossier, CV) ----------------------------------------------------


@pytest.fixture
def succession(client):
    from crmr_procedures.succession.models import State

    journey = succession_journey(State.NOTICE_FORWARDED)
    client.force_login(journey.coordinator)
    return journey


@pytest.fixture
def succession_draft(client):
    journey = succession_journey()
    client.force_login(journey.coordinator)
    return journey


@FUZZ
@given(data=form_data(effective_on=DATE, addressees=TEXT))
def test_succession_notice_form_survives_hostile_input(client, succession_draft, data):
    from crmr_procedures.succession.models import Document, Succession

    s = succession_draft.s
    scene = Scene(
        succession_draft.coordinator,
        reverse("crmr_procedures:succession_notice", args=[s.pk]),
        lambda: (row(Succession, s.pk), Document.objects.count()),
    )
    post_and_check(client, scene, data)


@FUZZ
@given(
    data=form_data(
        case=st.one_of(st.sampled_from(["same_establishment", "transfer"]), TEXT),
        establishment=NUMBER,
        title=TEXT,
        first_name=TEXT,
        last_name=TEXT,
        specialty=TEXT,
        email=st.one_of(st.emails(), TEXT),
    )
)
def test_succession_successor_form_survives_hostile_input(client, succession, data):
    from centres.models import Person
    from crmr_procedures.succession.models import Succession

    s = succession.s
    scene = Scene(
        succession.coordinator,
        reverse("crmr_procedures:succession_dossier", args=[s.pk]),
        lambda: (row(Succession, s.pk), Person.objects.count()),
        base={"op": "successor", "establishment": s.former_establishment_id},
    )
    post_and_check(client, scene, data)


ENTRY = form_data(
    kind=st.one_of(st.sampled_from(["communication", "publication", "work", ""]), TEXT),
    year=NUMBER,
    title=TEXT,
    DELETE=st.sampled_from(["", "on"]),
)


@FUZZ
@given(
    cv=form_data(
        centre_name=TEXT,
        establishment_name=TEXT,
        last_name=TEXT,
        first_name=TEXT,
        address=TEXT,
        phone=TEXT,
        email=st.one_of(st.emails(), TEXT),
        specialty_and_titles=TEXT,
        experience=TEXT,
    ),
    entries=st.lists(ENTRY, max_size=4),
    # a tampered management form (a large valid count would only render 1,000 empty rows, slowly)
    total=st.one_of(st.none(), st.sampled_from(["", "-1", "abc", "1e9", "٣", "\x00", "4" * 30])),
)
def test_succession_cv_form_survives_hostile_input(client, succession, cv, entries, total):
    from crmr_procedures.succession.models import CvEntry, Succession, SuccessorCv
    from tests.crmr_procedures.succession.helpers import CV_DATA

    s = succession.s
    data = {**cv, "entries-INITIAL_FORMS": "0", "entries-TOTAL_FORMS": str(len(entries)) if total is None else total}
    for n, entry in enumerate(entries):
        data.update({f"entries-{n}-{key}": value for key, value in entry.items()})

    def snapshot():
        cv = SuccessorCv.objects.filter(succession=s).values().first()
        return row(Succession, s.pk), cv, SuccessorCv.objects.count(), list(CvEntry.objects.values().order_by("pk"))

    scene = Scene(succession.coordinator, reverse("crmr_procedures:succession_cv", args=[s.pk]), snapshot, CV_DATA)
    post_and_check(client, scene, data)


# --- CCMR (Annexe 2, step 1: the coordinator's request) ---------------------------------------------


@pytest.fixture
def ccmr(client):
    world = ccmr_world()
    client.force_login(world["coordinator"])
    return world


@FUZZ
@given(
    data=form_data(
        kind=st.one_of(st.sampled_from(["creation", "abrogation"]), TEXT),
        crmr=NUMBER,
        proposed_name=TEXT,
        establishment=NUMBER,
        lead_title=TEXT,
        lead_first_name=TEXT,
        lead_last_name=TEXT,
        lead_specialty=TEXT,
        lead_email=st.one_of(st.emails(), TEXT),
        team=TEXT,
        ccmr=NUMBER,
        letter_text=TEXT,
    )
)
def test_ccmr_request_form_survives_hostile_input(client, ccmr, data):
    from crmr_procedures.competence.models import CcmrRequest, CcmrRequestDocument

    world = ccmr
    scene = Scene(
        world["coordinator"],
        reverse("crmr_procedures:ccmr_request_create"),
        lambda: (CcmrRequest.objects.count(), CcmrRequestDocument.objects.count()),
        base={"kind": "creation", "crmr": world["crmr"].pk, "establishment": world["centre_est"].pk},
    )
    post_and_check(client, scene, data)


# --- Pilotage: activity report (Annexe 1 §4), Orphanet, letters export -----------------------------


@pytest.fixture
def report(client):
    report, user = activity_report_open()
    client.force_login(user)
    return report


def _report_fields():
    from activity_reports.models import ActivityReport

    return {
        **{name: NUMBER for name in ActivityReport.FIGURE_FIELDS},
        **{name: TEXT for name in ActivityReport.TEXT_FIELDS},
    }


@FUZZ
@given(data=form_data(**_report_fields()))
def test_activity_report_form_survives_hostile_input(client, report, data):
    from activity_reports.models import ActivityReport, OfsepBilan
    from tests.activity_reports.factories import FIGURES

    scene = Scene(
        None,
        reverse("activity_reports:report_edit", args=[report.pk]),
        lambda: (row(ActivityReport, report.pk), OfsepBilan.objects.count()),
        base=FIGURES,
    )
    post_and_check(client, scene, data)


@pytest.fixture
def notice(client):
    from centres.models import OrphanetNotice, RegistryEvent
    from tests.factories import CrmrFactory, dgos_user

    event = RegistryEvent.objects.create(
        kind=RegistryEvent.Kind.COORDINATOR_CHANGED,
        effective_on=datetime.date(2026, 1, 1),
        summary="Nouveau coordonnateur",
        letter_reference="DGOS-PF2/2026/00001",
        crmr=CrmrFactory(),
    )
    client.force_login(dgos_user())
    return OrphanetNotice.objects.create(event=event)


@FUZZ
@given(data=form_data(communicated_on=DATE, reference=TEXT))
def test_orphanet_communication_form_survives_hostile_input(client, notice, data):
    from centres.models import OrphanetNotice

    scene = Scene(None, reverse("reporting:orphanet_record", args=[notice.pk]), lambda: row(OrphanetNotice, notice.pk))
    post_and_check(client, scene, data)


@pytest.fixture
def exporter(client):
    from tests.factories import dgos_user

    client.force_login(dgos_user())


@FUZZ
@given(data=form_data(date_from=DATE, date_to=DATE, kind=TEXT, region=NUMBER))
def test_letters_export_form_survives_hostile_input(client, exporter, data):
    from reporting.models import ExportJob

    scene = Scene(None, reverse("reporting:letter_export"), lambda: ExportJob.objects.count())
    post_and_check(client, scene, data)
