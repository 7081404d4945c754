"""Builders for succession tests: CRMR set-ups and a succession brought to any state through the services."""

from __future__ import annotations

import io
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from centres import models as c
from core.workflow import act
from crmr_procedures.succession import services
from crmr_procedures.succession.models import Document, State, Succession
from tests.factories import (
    CrmrFactory,
    EstablishmentFactory,
    PersonFactory,
    ars_user,
    coordinator_user,
    dgos_user,
    gp_user,
    region,
)


def pdf_bytes(text: str = "Document") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf(name: str = "piece.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def in_months(n: int, days: int = 0):
    return timezone.localdate() + relativedelta(months=n, days=days)


def mono_crmr(**kw) -> c.Crmr:
    return CrmrFactory(kind=c.Crmr.Kind.MONO, **kw)


def multi_crmr(other_region: str = "52") -> tuple[c.Crmr, c.Establishment]:
    """A multi-site CRMR coordinated in Bretagne (53) with a constitutive site in ``other_region``."""
    crmr = CrmrFactory(kind=c.Crmr.Kind.MULTI)
    other = EstablishmentFactory(region=region(other_region), name="CHU d'accueil")
    c.CrmrSite.objects.create(crmr=crmr, establishment=other)
    return crmr, other


CV_DATA = {
    "centre_name": "Centre de référence",
    "establishment_name": "CHU",
    "last_name": "Durand",
    "first_name": "Alice",
    "address": "1 rue de l'Hôpital, Rennes",
    "phone": "02 99 00 00 00",
    "email": "alice.durand@chu.example.fr",
    "specialty_and_titles": "Neurologie, PU-PH",
    "experience": "Praticienne hospitalière depuis 2008",
}


def cv_entries(n_comm=2, n_pub=3, n_work=1, year=None):
    year = year or timezone.localdate().year - 1
    return (
        [{"kind": "communication", "year": year, "title": f"Communication {i}"} for i in range(n_comm)]
        + [{"kind": "publication", "year": year, "title": f"Publication {i}"} for i in range(n_pub)]
        + [{"kind": "work", "year": year, "title": f"Travaux {i}"} for i in range(n_work)]
    )


class Journey:
    """One succession and the accounts that act on it; ``to(state)`` walks the workflow there."""

    def __init__(
        self,
        crmr: c.Crmr | None = None,
        *,
        transfer_to: c.Establishment | None = None,
        mig_agreed: Decimal | None = None,
        session_date=None,
    ):
        self.crmr = crmr or mono_crmr()
        self.transfer_to = transfer_to
        self.mig_agreed = mig_agreed  # None: the whole current MIG moves
        # The groupe permanent's séance; opinions are recorded at or after it (Annexe 1, "Examen en séance").
        self.session_date = session_date or timezone.localdate()
        self.coordinator = coordinator_user(self.crmr)
        from accounts.models import User

        self.dgos = User.objects.filter(username="dgos").first() or dgos_user()
        self.gp = User.objects.filter(username="gp").first() or gp_user()
        self.s = services.succession_start(crmr=self.crmr, user=self.coordinator)

    def refresh(self) -> Succession:
        self.s = Succession.objects.get(pk=self.s.pk)
        return self.s

    def notice(self, months: int = 7):
        services.succession_record_notice(
            succession=self.s, user=self.coordinator, effective_on=in_months(months), letter=pdf()
        )
        return self.refresh()

    def dossier(self):
        s = self.s
        if self.transfer_to:
            case, est = Succession.Case.TRANSFER, self.transfer_to
        else:
            case, est = Succession.Case.SAME_ESTABLISHMENT, s.former_establishment
        services.succession_propose_successor(
            succession=s,
            user=self.coordinator,
            case=case,
            establishment=est,
            civility="Mme",
            title="Pr",
            first_name="Alice",
            last_name="Durand",
        )
        self.refresh()
        for kind in self.s.required_pieces():
            services.document_attach(succession=self.s, user=self.coordinator, kind=kind, upload=pdf(f"{kind}.pdf"))
        services.cv_save(succession=self.s, user=self.coordinator, data=CV_DATA, entries=cv_entries())
        if self.transfer_to:  # Annexe 1, MIG step: the establishments' agreement (here: the whole MIG)
            services.mig_agreement_record(
                succession=self.s,
                user=self.coordinator,
                amount=self.mig_agreed if self.mig_agreed is not None else self.refresh().current_mig_amount(),
                upload=pdf("accord-mig.pdf"),
            )
        return self.refresh()

    def act(self, name, user=None, comment=""):
        user = user or self.dgos
        act(self.s, name, user=user, comment=comment, from_button=True)
        return self.refresh()

    def special(self):
        services.succession_declare_special(
            user=self.dgos,
            reason=Succession.SpecialReason.NO_SUCCESSOR,
            informed_by="coordinator",
            letter=pdf(),
            succession=self.s,
        )
        return self.refresh()

    def to(self, state: str) -> Succession:
        """Bring the succession to ``state`` the way the users would."""
        normal = [
            State.DRAFT,
            State.NOTICE_RECEIVED,
            State.NOTICE_FORWARDED,
            State.DOSSIER_SUBMITTED,
            State.DOSSIER_COMPLETE,
            State.FORWARDED_TO_GP,
            State.OPINION_FAVOURABLE,
            State.OFFICIALISED,
        ]
        if state == State.DRAFT:
            return self.s
        if state == State.DOSSIER_RETURNED:
            self.to(State.DOSSIER_SUBMITTED)
            return self.act("return_dossier", comment="Il manque la signature.")
        if state in normal:
            self.notice()
            self.act("send_notice", user=self.coordinator)
            steps = {
                State.NOTICE_FORWARDED: ["forward_notice"],
                State.DOSSIER_SUBMITTED: ["forward_notice", "submit_dossier"],
                State.DOSSIER_COMPLETE: ["forward_notice", "submit_dossier", "check_complete"],
                State.FORWARDED_TO_GP: ["forward_notice", "submit_dossier", "check_complete", "forward_to_gp"],
                State.OPINION_FAVOURABLE: [
                    "forward_notice",
                    "submit_dossier",
                    "check_complete",
                    "forward_to_gp",
                    "record_favourable_opinion",
                ],
                State.OFFICIALISED: [
                    "forward_notice",
                    "submit_dossier",
                    "check_complete",
                    "forward_to_gp",
                    "record_favourable_opinion",
                ],
            }.get(state, [])
            if "submit_dossier" in steps:
                self.dossier()
            for name in steps:
                self.act(name, user=self.coordinator if name == "submit_dossier" else self.dgos)
            if state == State.OFFICIALISED:
                services.succession_officialise(succession=self.s, user=self.dgos)
            return self.refresh()
        # Special cases.
        self.notice()
        self.special()
        if state == State.SPECIAL_INFORMED:
            return self.s
        self.act("forward_special_to_gp")
        if state == State.SPECIAL_FORWARDED:
            return self.s
        services.succession_set_session(succession=self.s, user=self.gp, session_date=self.session_date)
        self.refresh()
        if state == State.SESSION_SET:
            return self.s
        self.act("launch_call")
        if state == State.CALL_OPEN:
            return self.s
        ars = ars_user(self.crmr.coordinating_establishment.region.code)
        self.project = services.project_add(
            succession=self.s,
            user=ars,
            title="Dr",
            first_name="Bruno",
            last_name="Martin",
            establishment=EstablishmentFactory(region=ars.region),
            mig_amount=Decimal("120000"),
            upload=pdf(),
        )
        services.projects_transmit(succession=self.s, user=ars)
        self.act("close_call")
        if state == State.PROJECTS_RECEIVED:
            return self.s
        services.project_record_opinion(project=self.project, user=self.gp, opinion="favourable", reasons="Solide")
        self.act("give_gp_opinion", user=self.gp)
        if state == State.GP_OPINION_GIVEN:
            return self.s
        raise AssertionError(state)


__all__ = ["Journey", "PersonFactory", "mono_crmr", "multi_crmr", "pdf", "in_months", "Document"]
