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
                establishment=chus[(n * 3) % len(chus)],
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
