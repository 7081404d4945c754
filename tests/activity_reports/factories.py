"""Factories for the pilotage tests: a labelled CRC SEP, its activity reports, a small PDF."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from activity_reports.models import ActivityReport, OfsepBilan
from centres import models as c
from tests.factories import EstablishmentFactory, HospitalFactory, region


def labelled_centre(code: str = "53", *, establishment=None, name=None, tranche=1, labelled_on=None) -> c.CrcSepCentre:
    establishment = establishment or EstablishmentFactory(region=region(code))
    hospital = HospitalFactory(establishment=establishment)
    return c.CrcSepCentre.objects.create(
        name=name or f"CRC SEP {establishment.name}",
        establishment=establishment,
        hospital=hospital,
        region=establishment.region,
        tranche=c.Tranche.objects.get(number=tranche),
        labelled_on=labelled_on or datetime.date(2016, 9, 1),
    )


FIGURES = {name: 10 + i for i, name in enumerate(ActivityReport.FIGURE_FIELDS)}
# The establishment's administrative services' part (Annexe 1 §4: DIM, DAF)
ADMINISTRATIVE = {"dim_sep_stays": 1200, "dim_sep_patients": 380, "daf_expenses": "98500.00", "daf_staff_fte": "2.50"}


def team_user(centre, **kw):
    """The account of the centre's team (role "Équipe CRC SEP", bound to its centre)."""
    from accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(
        username=kw.pop("username", f"equipe-{centre.pk}"), role=Role.CRCSEP_TEAM, crc_sep_centre=centre, **kw
    )


def pdf_bytes(text: str = "Bilan OFSEP") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "bilan-ofsep.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def filled_report(
    centre, year: int, user, *, with_bilan: bool = True, administrative: bool = True, **figures
) -> ActivityReport:
    values = {**FIGURES, **(ADMINISTRATIVE if administrative else {}), **figures}
    report = ActivityReport.objects.create(centre=centre, year=year, **values)
    if with_bilan:
        bilan = OfsepBilan(report=report, semester=1, uploaded_by=user)
        bilan.attach(pdf_upload())
        bilan.save()
    return report
