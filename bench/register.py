"""Procedure generators contributed by each workflow, registered in ``bench.generate.PROCEDURE_GENERATORS``.

Each creates ``count`` dossiers spread over every state of its workflow (the FSM field is set at
creation, as a migration or an import would)."""

from __future__ import annotations

from .generate import PROCEDURE_GENERATORS


def labellisation_applications(scale, rng, users, crmrs, chus, centres, count) -> int:
    from centres.models import Tranche
    from labellisation.models import CRITERIA, Application, Criterion

    tranches = list(Tranche.objects.all())
    states = [s for s, _ in Application.State.choices]
    hospitals = {e.pk: e.hospitals.first() for e in chus}
    chus = chus[:10]  # applications come from ten CHU (AP-HP among them): ~10 each at the tiny scale
    apps = Application.objects.bulk_create(
        [
            Application(
                establishment=chus[n % len(chus)],
                hospital=hospitals[chus[n % len(chus)].pk],
                region=chus[n % len(chus)].region,
                tranche=tranches[n % 2],
                centre_name=f"Candidature {n}",
                coordinator_name="Pr Coordonnateur",
                nurse_name="Mme Infirmière",
                state=states[n % len(states)],
                created_by=users["dgos"],
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    Criterion.objects.bulk_create(
        [Criterion(application=a, code=spec.code, declared_fact="Déclaré") for a in apps for spec in CRITERIA],
        batch_size=5000,
    )
    return len(apps)


PROCEDURE_GENERATORS["labellisation.Application"] = labellisation_applications


def ccmr_requests(scale, rng, users, crmrs, chus, centres, count) -> int:
    from crmr_procedures.competence.models import CcmrRequest

    states = [s for s, _ in CcmrRequest.State.choices]
    rows = CcmrRequest.objects.bulk_create(
        [
            CcmrRequest(
                kind=CcmrRequest.Kind.CREATION,
                state=states[n % len(states)],
                crmr=crmrs[n % len(crmrs)],
                # every establishment gets one request in each state, in turn (AP-HP first)
                establishment=chus[(n // len(states)) % len(chus)],
                proposed_name=f"Centre de compétences demandé n°{n}",
                team="Équipe pluridisciplinaire",
                submitted_by=users["coord-1"],
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    return len(rows)


PROCEDURE_GENERATORS["crmr_procedures.CcmrRequest"] = ccmr_requests


def successions(scale, rng, users, crmrs, chus, centres, count) -> int:
    """Every state; one open succession at most per CRMR, the rest officialised (history)."""
    import datetime

    from crmr_procedures.succession.models import State, Succession

    open_states = [s for s, _ in State.choices if s != State.OFFICIALISED]
    rows = []
    for n in range(count):
        crmr = crmrs[n % len(crmrs)]
        state = open_states[(n // len(crmrs)) % len(open_states)] if n < len(crmrs) else State.OFFICIALISED
        rows.append(
            Succession(
                crmr=crmr,
                state=state,
                path="special" if state in (State.SPECIAL_INFORMED, State.CALL_OPEN) else "normal",
                former_coordinator=crmr.coordinator,
                former_establishment=crmr.coordinating_establishment,
                created_by=users["coord-1"],
                effective_on=datetime.date(2027, 1, 1) + datetime.timedelta(days=n % 300),
            )
        )
    return len(Succession.objects.bulk_create(rows, batch_size=1000))


PROCEDURE_GENERATORS["crmr_procedures.Succession"] = successions


def activity_reports(scale, centres, users) -> int:
    """``report_years`` years of reports for every labelled centre, the last year still in progress."""
    import datetime

    from activity_reports.models import ActivityReport

    this_year = datetime.date.today().year
    states = [s for s, _ in ActivityReport.State.choices]
    rows = [
        ActivityReport(
            centre=centre,
            year=this_year - 1 - k,
            state=ActivityReport.State.CONFIRMED if k else states[n % len(states)],
            active_file_patients=800 + n * 10 + k,
            consultations=2000 + n,
        )
        for n, centre in enumerate(centres)
        for k in range(scale.report_years)
    ]
    return len(ActivityReport.objects.bulk_create(rows, batch_size=1000))


PROCEDURE_GENERATORS["reports"] = activity_reports
