"""Helpers building CRC SEP applications in any state (the FSM field may be set only at creation)."""

from __future__ import annotations

import datetime
import io

from centres.models import Establishment, Tranche
from labellisation.models import CRITERIA, Application, Criterion
from tests.factories import EstablishmentFactory, HospitalFactory, UserFactory


def chu(finess: str = "350005179") -> Establishment:
    return Establishment.objects.get(finess_ej=finess)


def make_application(
    *,
    establishment: Establishment | None = None,
    hospital=None,
    tranche: int = 1,
    state: str = Application.State.DRAFT,
    complete: bool = True,
    created_by=None,
    name: str = "CRC SEP",
) -> Application:
    """An application; ``complete`` declares the team and evidences every criterion with a fact."""
    establishment = establishment or chu()
    hospital = hospital or establishment.hospitals.first() or HospitalFactory(establishment=establishment)
    app = Application.objects.create(
        establishment=establishment,
        hospital=hospital,
        region=establishment.region,
        tranche=Tranche.objects.get(number=tranche),
        centre_name=f"{name} {hospital.name}",
        coordinator_name="Pr Gilles Edan" if complete else "",
        coordinator_neurologist=complete,
        coordinator_years_expert=10 if complete else None,
        coordinator_research="Investigateur principal d'essais thérapeutiques" if complete else "",
        nurse_name="Mme Anne Soignante" if complete else "",
        nurse_ms_specialised=complete,
        nurse_etp_trained=complete,
        nurse_reception_orientation=complete,
        nurse_information_support=complete,
        state=state,
        created_by=created_by or UserFactory(username="createur"),
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                application=app, code=spec.code, declared_fact="Élément déclaré et vérifiable" if complete else ""
            )
            for spec in CRITERIA
        ]
    )
    return app


def open_campaign(number: int = 2, *, notified: bool = False, on: datetime.date | None = None) -> Tranche:
    """DGOS opens a tranche's campaign (Annexe 2), as the reference data leave tranche 2 closed."""
    tranche = Tranche.objects.get(number=number)
    tranche.campaign_opens_on = on or datetime.date(2017, 1, 1)
    if notified:
        tranche.funding_status = Tranche.FundingStatus.NOTIFIED
        tranche.budget_circular = "Circulaire budgétaire 2017 (exemple de test)"
    tranche.save()
    return tranche


def non_chu(region_code: str = "53") -> Establishment:
    from tests.factories import region

    return EstablishmentFactory(
        kind=Establishment.Kind.CH, name="Centre hospitalier de Vitré", region=region(region_code)
    )


def pdf_bytes(text: str = "Piece justificative") -> bytes:
    """A small valid one-page PDF, built by hand (no JavaScript, not encrypted)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
