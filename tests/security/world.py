"""Two worlds for the access matrix: "ours" (Bretagne, CHU de Rennes, a Breton CRMR) where the local
accounts live, and "the other world" (Île-de-France, AP-HP, another CRMR, another user) where every
object has the same primary key ``OUT`` so that one URL per pattern reaches an out-of-scope object."""

from __future__ import annotations

import datetime

from centres import models as c
from letters.engine import ars_sender, letter_compose, letter_issue, letter_produce
from letters.models import Letter
from tests.factories import (
    CrmrFactory,
    EstablishmentFactory,
    HospitalFactory,
    UserFactory,
    admin_user,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
)

OUT = 900_000
MARKER = "HORS-PERIMETRE-7Q"
# URL names (regular expressions) private even to national roles.
PRIVATE_EVEN_TO_NATIONAL: dict[str, tuple[str, ...]] = {
    # Annexe 2, step 4: the cahier des charges and the contract are not copied to DGOS.
    # Annexe 2, step 4 (no copy to DGOS); another user's letters export is private to that user.
    "dgos": (r"crmr_procedures:ccmr_request_document", r"reporting:export_job.*"),
    "gp": (r"crmr_procedures:ccmr_request_document", r"reporting:export_job.*"),
    "admin": (r"crmr_procedures:ccmr_request_document", r"reporting:export_job.*"),
}


def _out(model, **fields):
    obj = model(pk=OUT, **fields)
    obj.save(force_insert=True)
    return obj


def build_worlds() -> dict:
    rennes = c.Establishment.objects.get(finess_ej="350005179")
    ours_crmr = CrmrFactory(coordinating_establishment=rennes)
    users = {
        "ars": ars_user("53"),
        "establishment": establishment_user(rennes),
        "coordinator": coordinator_user(ours_crmr),
        "dgos": dgos_user(),
        "gp": gp_user(),
        "admin": admin_user(),
    }
    other_user = UserFactory(username="autre-agent", role="ars", region=c.Region.objects.get(code="11"))

    idf = c.Region.objects.get(code="11")
    aphp = c.Establishment.objects.get(finess_ej="750712184")
    other_est = _out(
        c.Establishment,
        finess_ej=EstablishmentFactory.build().finess_ej,
        name="Établissement francilien",
        city="Paris",
        region=idf,
    )
    _out(c.Hospital, establishment=other_est, name="Hôpital francilien")
    person = _out(c.Person, first_name="Autre", last_name="Coordonnateur")
    other_crmr = _out(
        c.Crmr, name="CRMR francilien", filiere=c.Filiere.objects.first(), coordinating_establishment=aphp
    )
    _out(c.CrmrSite, crmr=other_crmr, establishment=aphp, is_coordinating=True)
    _out(c.CoordinatorMandate, crmr=other_crmr, person=person, establishment=aphp, start=datetime.date(2015, 1, 1))
    _out(
        c.Ccmr,
        name="Centre de compétences francilien",
        crmr=other_crmr,
        establishment=aphp,
        created_on=datetime.date(2016, 1, 1),
    )
    _out(
        c.CrcSepCentre,
        name="CRC SEP francilien",
        establishment=aphp,
        hospital=HospitalFactory(establishment=aphp),
        region=idf,
        tranche=c.Tranche.objects.get(number=1),
        labelled_on=datetime.date(2016, 6, 1),
    )

    from letters.senders import demo_signatories_load

    demo_signatories_load()  # a letter needs a signatory (issue 12, item 11)
    draft = letter_compose(
        kind=Letter.Kind.OTHER,
        sender=ars_sender(idf),
        subject=f"Courrier {MARKER}",
        body_template="letters/layout/test_body.html",
        context={"message": MARKER},
        addressees=["AP-HP"],
        region=idf,
        created_by=other_user,
    )
    draft.pk = OUT
    letter_produce(letter_issue(draft, establishments=[aphp]).pk)

    for build in WORLD_BUILDERS:
        build(
            users=users,
            other_user=other_user,
            other_region=idf,
            other_establishment=aphp,
            other_crmr=other_crmr,
            ours_crmr=ours_crmr,
        )
    return {"users": users, "other_user": other_user}


# Each workflow adds a builder creating its out-of-scope objects with pk=OUT and MARKER in a visible field.
WORLD_BUILDERS: list = []


def _labellisation(*, other_establishment, other_user, **_):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from centres.models import Tranche
    from labellisation.models import Application, Criterion, CriterionDocument
    from tests.labellisation.factories import pdf_bytes

    app = _out(
        Application,
        establishment=other_establishment,
        hospital=other_establishment.hospitals.first(),
        region=other_establishment.region,
        tranche=Tranche.objects.get(number=1),
        centre_name=f"CRC SEP {MARKER}",
        coordinator_name=MARKER,
        state=Application.State.SUBMITTED,
        created_by=other_user,
    )
    criterion = _out(Criterion, application=app, code="chu_hosting", declared_fact=MARKER)
    doc = CriterionDocument(pk=OUT, criterion=criterion, uploaded_by=other_user)
    doc.attach(SimpleUploadedFile("piece.pdf", pdf_bytes(MARKER), content_type="application/pdf"))
    doc.save(force_insert=True)


WORLD_BUILDERS.append(_labellisation)


def _competence(*, other_establishment, other_user, other_crmr, **_):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from crmr_procedures.competence.models import CcmrRequest, CcmrRequestDocument
    from tests.labellisation.factories import pdf_bytes

    request = _out(
        CcmrRequest,
        kind=CcmrRequest.Kind.CREATION,
        state=CcmrRequest.State.AWAITING_CPOM,
        crmr=other_crmr,
        establishment=other_establishment,
        proposed_name=f"CCMR {MARKER}",
        team=MARKER,
        submitted_by=other_user,
        decision=CcmrRequest.Opinion.FAVOURABLE,
    )
    doc = CcmrRequestDocument(
        pk=OUT, request=request, kind=CcmrRequestDocument.Kind.SPECIFICATIONS, uploaded_by=other_user
    )
    doc.attach(SimpleUploadedFile("cdc.pdf", pdf_bytes(MARKER), content_type="application/pdf"))
    doc.save(force_insert=True)


WORLD_BUILDERS.append(_competence)


def _succession(*, other_establishment, other_user, other_crmr, other_region, **_):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from crmr_procedures.succession.models import Document, Project, RegionalCall, State, Succession, SuccessorCv
    from tests.labellisation.factories import pdf_bytes

    succession = _out(
        Succession,
        crmr=other_crmr,
        state=State.CALL_OPEN,
        path="special",
        former_coordinator=other_crmr.coordinator,
        former_establishment=other_establishment,
        created_by=other_user,
        effective_on=datetime.date.today() + datetime.timedelta(days=200),
        notice_director_name=MARKER,
    )
    doc = Document(pk=OUT, succession=succession, kind=Document.Kind.NOTICE_LETTER, uploaded_by=other_user)
    doc.attach(SimpleUploadedFile("preavis.pdf", pdf_bytes(MARKER), content_type="application/pdf"))
    doc.save(force_insert=True)
    _out(
        SuccessorCv,
        succession=succession,
        centre_name=MARKER,
        establishment_name=MARKER,
        last_name=MARKER,
        first_name="X",
        address="X",
        phone="0",
        email="x@example.fr",
        specialty_and_titles="X",
        experience="X",
    )
    _out(RegionalCall, succession=succession, region=other_region, reason=MARKER)
    project = Project(
        pk=OUT,
        succession=succession,
        region=other_region,
        candidate=other_crmr.coordinator,
        establishment=other_establishment,
        mig_amount=100000,
        uploaded_by=other_user,
    )
    project.attach(SimpleUploadedFile("projet.pdf", pdf_bytes(MARKER), content_type="application/pdf"))
    project.save(force_insert=True)


WORLD_BUILDERS.append(_succession)


def _reporting(*, other_user, other_establishment, **_):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from activity_reports.models import ActivityReport, OfsepBilan
    from reporting.models import ExportJob
    from tests.labellisation.factories import pdf_bytes

    report = _out(
        ActivityReport,
        centre=c.CrcSepCentre.objects.get(pk=OUT),
        year=2025,
        state=ActivityReport.State.SUBMITTED,
        research_details=MARKER,
    )
    bilan = OfsepBilan(pk=OUT, report=report, semester=1, uploaded_by=other_user)
    bilan.attach(SimpleUploadedFile("bilan.pdf", pdf_bytes(MARKER), content_type="application/pdf"))
    bilan.save(force_insert=True)
    _out(ExportJob, requested_by=other_user, filters={"region": "11"}, status=ExportJob.Status.DONE, total=1, done=1)
    event = _out(
        c.RegistryEvent,
        kind=c.RegistryEvent.Kind.CCMR_CREATED,
        effective_on=datetime.date(2026, 1, 1),
        summary=MARKER,
        ccmr=c.Ccmr.objects.get(pk=OUT),
        establishment=other_establishment,
    )
    _out(c.OrphanetNotice, event=event)


WORLD_BUILDERS.append(_reporting)
