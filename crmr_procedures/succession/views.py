"""Pages of the succession procedure (Annexe 1). Thin: parse, ask perms.py, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.services import coordinated_crmrs
from centres.models import Crmr
from core.exports import EXPORT_CHUNK, Table, requested_format, table_export
from core.forms import form_again, remember_refused
from core.perms import Access, require
from core.storage import private_file_response
from core.workflow import TransitionRefused, act, available_actions, dossier_or_404, refusal_messages, timeline
from letters.models import Letter
from letters.rendering import _weasy, letter_render_pdf, static_only_url_fetcher

from . import perms, selectors, services
from .forms import (
    CvEntryFormSet,
    CvForm,
    DocumentForm,
    MigAgreementForm,
    NoticeForm,
    OfficialiseForm,
    OpinionForm,
    OrphanetForm,
    ProjectForm,
    SessionForm,
    SpecialCaseForm,
    SuccessorForm,
)
from .models import CV_LIMITS, Document, Project, State, Succession, earliest_effective_date

# --- Inbox and creation ---------------------------------------------------------------------------


def succession_export_table(user, params) -> Table:
    """The list the page shows (same scope and filter), every row, read by chunks (core.exports)."""
    qs = selectors.succession_inbox(user)
    if params.get("filtre") == "a-traiter":
        qs = selectors.waiting_for(user, qs)
    headers = ["CRMR", "Filière", "Voie", "État", "Date effective", "Séance", "Coordonnateur sortant", "Successeur"]
    rows = (
        (
            s.crmr.name,
            s.crmr.filiere.name if s.crmr.filiere_id else "",
            s.get_path_display(),
            s.get_state_display(),
            s.effective_on,
            s.session_date,
            s.former_coordinator or "",
            s.successor or "",
        )
        for s in qs.iterator(chunk_size=EXPORT_CHUNK)
    )
    return Table(headers, rows, "Successions", "successions-crmr", count=qs.count)


@login_required
def succession_list(request):
    user = request.user
    qs = selectors.succession_inbox(user)
    only_waiting = request.GET.get("filtre") == "a-traiter"
    if fmt := requested_format(request):
        return table_export(request, succession_export_table, fmt)
    page = Paginator(selectors.waiting_for(user, qs) if only_waiting else qs, 25).get_page(request.GET.get("page"))
    waiting_ids = set(selectors.waiting_for(user, qs.filter(pk__in=[s.pk for s in page])).values_list("pk", flat=True))
    context = {
        "title": "Successions de coordonnateurs de CRMR",
        "page_obj": page,
        "only_waiting": only_waiting,
        "waiting_ids": waiting_ids,
        "crmrs": list(coordinated_crmrs(user)) if user.is_coordinator else [],
        "all_crmrs": Crmr.objects.only("pk", "name") if user.is_dgos else [],
        "projects_awaiting": list(selectors.projects_awaiting_opinion()[:50]) if user.is_gp else [],
    }
    return render(request, "crmr_procedures/succession/list.html", context)


@login_required
@require_POST
def succession_start(request):
    crmr = get_object_or_404(Crmr, pk=request.POST.get("crmr"))
    if not perms.may_start_succession(request.user, crmr):
        raise Http404
    try:
        succession = services.succession_start(crmr=crmr, user=request.user)
    except ValidationError as exc:
        refusal_messages(request, exc)
        return redirect("crmr_procedures:succession_list")
    messages.success(request, "Préavis ouvert : renseignez la date effective et déposez votre courrier.")
    return redirect("crmr_procedures:succession_notice", pk=succession.pk)


@login_required
def succession_special_new(request, pk=None):
    """DGOS records a letter informing it of a succession difficulty, or the coordinator sends his or hers
    (Annexe 1, special cases, step 1: "un courrier du coordonnateur ou du président du directoire")."""
    user = request.user
    succession = dossier_or_404(request.user, Succession, pk) if pk else None
    if not user.is_dgos:
        if succession is None or not user.is_coordinator:
            raise Http404
        require(perms.special_case_access(user, succession), Access.WRITE)
    by_coordinator = user.is_coordinator
    initial = (
        {"reason": request.GET.get("motif")} if request.GET.get("motif") in Succession.SpecialReason.values else {}
    )
    form = SpecialCaseForm(request.POST or None, request.FILES or None, by_coordinator=by_coordinator, initial=initial)
    crmrs = Crmr.objects.only("pk", "name")
    if request.method == "POST" and form.is_valid():
        crmr = succession.crmr if succession else get_object_or_404(Crmr, pk=request.POST.get("crmr"))
        try:
            succession = services.succession_declare_special(
                user=request.user,
                reason=form.cleaned_data["reason"],
                informed_by=Succession.InformedBy.COORDINATOR if by_coordinator else form.cleaned_data["informed_by"],
                letter=form.cleaned_data["letter"],
                succession=succession,
                crmr=crmr,
            )
        except (ValidationError, TransitionRefused) as exc:
            refusal_messages(request, exc)
        else:
            messages.success(
                request,
                "Votre courrier a été transmis à la DGOS : la succession suit la procédure des cas particuliers."
                if by_coordinator
                else "Cas particulier enregistré.",
            )
            return redirect(succession)
    return render(
        request,
        "crmr_procedures/succession/special.html",
        {
            "title": "Informer la DGOS d'une difficulté de succession"
            if by_coordinator
            else "Enregistrer un cas particulier",
            "form": form,
            "succession": succession,
            "crmrs": crmrs,
            "by_coordinator": by_coordinator,
        },
    )


# --- The dossier page ------------------------------------------------------------------------------


@login_required
def succession_detail(request, pk):
    succession = dossier_or_404(request.user, Succession, pk)
    user = request.user
    projects = succession.projects.select_related("candidate", "establishment", "region", "gp_opinion_by")
    if user.is_ars:  # another region's projects are visible once transmitted to DGOS
        projects = projects.filter(Q(region=user.region_id) | Q(transmitted_at__isnull=False))
    letters = Letter.objects.filter(
        content_type__app_label="crmr_procedures", content_type__model="succession", object_id=succession.pk
    ).order_by("created_at")
    context = {
        "title": str(succession),
        "s": succession,
        "actions": available_actions(succession, user),
        "action_url": reverse("crmr_procedures:succession_action", args=[succession.pk]),
        "timeline": timeline(succession),
        "missing": succession.missing_pieces() if succession.path == Succession.Path.NORMAL else [],
        "required": [(k, Document.Kind(k).label, succession.has_document(k)) for k in succession.required_pieces()],
        "projects": projects,
        "regional_calls": succession.regional_calls.select_related("region", "transmitted_by"),
        "letters": letters,
        "earliest": earliest_effective_date(),
        "has_notice": succession.has_document(Document.Kind.NOTICE_LETTER),
        "access": {
            "notice": perms.notice_access(user, succession) == Access.WRITE,
            "dossier": perms.dossier_access(user, succession) == Access.WRITE,
            "projects": perms.projects_access(user, succession) == Access.WRITE,
            "opinion": perms.opinion_access(user, succession) == Access.WRITE,
            "session": perms.session_access(user, succession) == Access.WRITE,
            "dgos": perms.dgos_access(user, succession) == Access.WRITE and user.is_dgos,
        },
        "can_special": perms.special_case_access(user, succession) == Access.WRITE,
        "session_pending": bool(
            succession.path == Succession.Path.SPECIAL
            and succession.session_date
            and succession.session_date > timezone.localdate()
        ),
        "can_record_mig": user.is_dgos and perms.mig_agreement_access(user, succession) == Access.WRITE,
        "can_officialise": user.is_dgos and succession.state in (State.OPINION_FAVOURABLE, State.GP_OPINION_GIVEN),
        # A refused small form comes back once with its errors and what was typed (issue 17, item 2).
        "session_form": form_again(request, f"succession-{succession.pk}-session", SessionForm),
        "opinion_form": form_again(request, f"succession-{succession.pk}-opinion", OpinionForm),
        "orphanet_form": form_again(request, f"succession-{succession.pk}-orphanet", OrphanetForm),
    }
    return render(request, "crmr_procedures/succession/detail.html", context)


@login_required
@require_POST
def succession_action(request, pk):
    succession = dossier_or_404(request.user, Succession, pk, Access.WRITE)
    try:
        act(
            succession,
            request.POST.get("transition", ""),
            user=request.user,
            comment=request.POST.get("comment", ""),
            from_button=True,
        )
    except TransitionRefused as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, "Étape enregistrée.")
    return redirect(succession)


# --- Coordinator: notice, dossier, CV -------------------------------------------------------------


@login_required
def succession_notice(request, pk):
    succession = dossier_or_404(request.user, Succession, pk)
    access = perms.notice_access(request.user, succession)
    if request.method == "POST":
        require(access, Access.WRITE)
    initial = {"effective_on": succession.effective_on}
    form = NoticeForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.succession_record_notice(
                succession=succession,
                user=request.user,
                effective_on=form.cleaned_data["effective_on"],
                letter=form.cleaned_data["letter"],
            )
            if "send" in request.POST:
                services.succession_send_notice(succession=succession, user=request.user)
                messages.success(request, "Préavis envoyé à la DGOS.")
                return redirect(succession)
        except ValidationError as exc:
            form.add_error("letter", exc)
        except TransitionRefused as exc:
            refusal_messages(request, exc)
        else:
            messages.success(request, "Préavis enregistré.")
            return redirect("crmr_procedures:succession_notice", pk=succession.pk)
    return render(
        request,
        "crmr_procedures/succession/notice.html",
        {
            "title": "Préavis de cessation d'activité",
            "s": succession,
            "form": form,
            "earliest": earliest_effective_date(),
            "writable": access == Access.WRITE,
            "has_letter": succession.has_document(Document.Kind.NOTICE_LETTER),
            # A sudden departure has no waiver: the special cases ("Autres") are offered instead.
            "too_short": succession.effective_on is not None and succession.effective_on < earliest_effective_date(),
            "can_special": perms.special_case_access(request.user, succession) == Access.WRITE,
        },
    )


@login_required
def succession_dossier(request, pk):
    succession = dossier_or_404(request.user, Succession, pk)
    access = perms.dossier_access(request.user, succession)
    require(access, Access.WRITE)
    crmr = succession.crmr
    initial = {
        "case": succession.case,
        "establishment": succession.successor_establishment_id or succession.former_establishment_id,
    }
    if succession.successor:
        p = succession.successor
        initial.update(
            civility=p.civility,
            title=p.title,
            first_name=p.first_name,
            last_name=p.last_name,
            specialty=p.specialty,
            email=p.email,
        )
    op = request.POST.get("op")
    successor_form = SuccessorForm(request.POST if op == "successor" else None, crmr=crmr, initial=initial)
    # Once the case is known, offer only its pieces (Annexe 1 lists them per case).
    kinds = (
        succession.required_pieces()
        if succession.case
        else [k for k in Document.Kind.values if k not in (Document.Kind.NOTICE_LETTER, Document.Kind.INFORMING_LETTER)]
    )
    document_form = DocumentForm(request.POST if op == "document" else None, request.FILES or None, kinds=kinds)
    if op == "successor" and successor_form.is_valid():
        try:
            services.succession_propose_successor(
                succession=succession, user=request.user, **successor_form.cleaned_data
            )
        except ValidationError as exc:
            successor_form.add_error(None, exc)
        else:
            messages.success(request, "Successeur enregistré.")
            return redirect("crmr_procedures:succession_dossier", pk=pk)
    mig_form = MigAgreementForm(
        request.POST if op == "mig" else None,
        request.FILES if op == "mig" else None,
        initial={"amount": succession.mig_agreed_amount},
    )
    if op == "mig" and mig_form.is_valid() and _mig_record(request, succession, mig_form):
        return redirect("crmr_procedures:succession_dossier", pk=pk)
    if op == "document" and document_form.is_valid():
        try:
            services.document_attach(
                succession=succession,
                user=request.user,
                kind=document_form.cleaned_data["kind"],
                upload=document_form.cleaned_data["file"],
            )
        except ValidationError as exc:
            document_form.add_error("file", exc)
        else:
            messages.success(request, "Pièce déposée.")
            return redirect("crmr_procedures:succession_dossier", pk=pk)
    succession = dossier_or_404(request.user, Succession, pk)
    return render(
        request,
        "crmr_procedures/succession/dossier.html",
        {
            "title": "Dossier de succession",
            "s": succession,
            "successor_form": successor_form,
            "document_form": document_form,
            "mig_form": mig_form,
            "current_mig": succession.current_mig_amount() if succession.is_transfer else None,
            "missing": succession.missing_pieces(),
            "required": [(k, Document.Kind(k).label, succession.has_document(k)) for k in succession.required_pieces()],
            "actions": [a for a in available_actions(succession, request.user) if a.name == "submit_dossier"],
            "action_url": reverse("crmr_procedures:succession_action", args=[succession.pk]),
        },
    )


def _mig_record(request, succession, form) -> bool:
    try:
        services.mig_agreement_record(
            succession=succession,
            user=request.user,
            amount=form.cleaned_data["amount"],
            upload=form.cleaned_data["file"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, "Accord sur la dotation MIG enregistré.")
    return True


@login_required
def succession_mig(request, pk):
    """DGOS records or corrects the establishments' agreement on the MIG until the officialisation
    (Annexe 1, "Affectation de la dotation MIG"); the coordinator does it on the dossier page."""
    succession = dossier_or_404(request.user, Succession, pk)
    if not request.user.is_dgos:
        raise PermissionDenied
    if request.method == "POST":
        require(perms.mig_agreement_access(request.user, succession), Access.WRITE)
    form = MigAgreementForm(
        request.POST or None, request.FILES or None, initial={"amount": succession.mig_agreed_amount}
    )
    if request.method == "POST" and form.is_valid() and _mig_record(request, succession, form):
        return redirect(succession)
    return render(
        request,
        "crmr_procedures/succession/mig.html",
        {
            "title": "Accord sur la dotation MIG",
            "s": succession,
            "form": form,
            "current_mig": succession.current_mig_amount(),
        },
    )


@login_required
def succession_cv(request, pk):
    succession = dossier_or_404(request.user, Succession, pk)
    require(perms.dossier_access(request.user, succession), Access.WRITE)
    cv = getattr(succession, "cv", None)
    initial = None
    if cv is None:
        p = succession.successor
        initial = {
            "centre_name": succession.crmr.name,
            "establishment_name": str(succession.successor_establishment or ""),
            "first_name": p.first_name if p else "",
            "last_name": p.last_name if p else "",
            "email": p.email if p else "",
        }
    form = CvForm(request.POST or None, instance=cv, initial=initial)
    entries_initial = [{"kind": e.kind, "year": e.year, "title": e.title} for e in cv.entries.all()] if cv else []
    formset = CvEntryFormSet(request.POST or None, initial=entries_initial, prefix="entries")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        entries = [
            {"kind": f.cleaned_data["kind"], "year": f.cleaned_data["year"], "title": f.cleaned_data["title"]}
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            services.cv_save(succession=succession, user=request.user, data=data, entries=entries)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Curriculum vitae enregistré.")
            return redirect("crmr_procedures:succession_dossier", pk=pk)
    return render(
        request,
        "crmr_procedures/succession/cv_form.html",
        {
            "title": "Curriculum vitae du successeur (modèle DGOS)",
            "s": succession,
            "form": form,
            "formset": formset,
            "limits": CV_LIMITS,
        },
    )


@login_required
def succession_cv_pdf(request, pk):
    succession = dossier_or_404(request.user, Succession, pk)
    cv = getattr(succession, "cv", None)
    if cv is None:
        raise Http404
    HTML, fonts_css, font_config = _weasy()
    html = render_to_string("crmr_procedures/succession/cv_pdf.html", {"cv": cv, "entries": cv.entries.all()})
    pdf = HTML(string=html, url_fetcher=static_only_url_fetcher()).write_pdf(
        stylesheets=[fonts_css], font_config=font_config
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cv-successeur-{succession.pk}.pdf"'
    return response


@login_required
def succession_document(request, pk, doc_pk):
    succession = dossier_or_404(request.user, Succession, pk)
    doc = get_object_or_404(Document, pk=doc_pk, succession=succession)
    return private_file_response(
        doc.file, filename=doc.original_name, as_attachment=True, content_type="application/pdf"
    )


# --- Special cases: session, call for projects, opinions ----------------------------------------


@login_required
@require_POST
def succession_session(request, pk):
    succession = dossier_or_404(request.user, Succession, pk)
    require(perms.session_access(request.user, succession), Access.WRITE)
    form = SessionForm(request.POST)
    if not form.is_valid():
        remember_refused(request, f"succession-{succession.pk}-session")  # errors and typed text on the page
        return redirect(succession)
    try:
        services.succession_set_session(succession=succession, user=request.user, **form.cleaned_data)
    except TransitionRefused as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, "Séance de délibération fixée.")
    return redirect(succession)


@login_required
def succession_projects(request, pk):
    """The ARS's page for the call: its region's projects, ranking, transmission."""
    succession = dossier_or_404(request.user, Succession, pk)
    access = perms.projects_access(request.user, succession)
    if not request.user.is_ars:
        raise Http404
    if request.method == "POST":
        require(access, Access.WRITE)
    region = request.user.region
    op = request.POST.get("op")
    form = ProjectForm(request.POST if op == "add" else None, request.FILES or None, region=region)
    try:
        if op == "add" and form.is_valid():
            data = form.cleaned_data
            services.project_add(succession=succession, user=request.user, upload=data.pop("file"), **data)
            messages.success(request, "Projet enregistré.")
            return redirect("crmr_procedures:succession_projects", pk=pk)
        if op == "rank":
            ranks = {}
            for key, value in request.POST.items():
                if key.startswith("rank-") and value.strip():
                    try:
                        ranks[int(key[5:])] = int(value)
                    except ValueError:
                        raise ValidationError("Les rangs sont des nombres entiers.") from None
            services.projects_rank(succession=succession, user=request.user, ranks=ranks)
            messages.success(request, "Classement enregistré.")
            return redirect("crmr_procedures:succession_projects", pk=pk)
        if op == "transmit":
            services.projects_transmit(succession=succession, user=request.user)
            messages.success(request, "Projets transmis à la DGOS.")
            return redirect(succession)
    except ValidationError as exc:
        if op == "add":
            form.add_error(None, exc)
        else:
            refusal_messages(request, exc)
    except TransitionRefused as exc:
        refusal_messages(request, exc)
    call = succession.regional_calls.filter(region=region).first()
    projects = succession.projects.filter(region=region).select_related("candidate", "establishment")
    return render(
        request,
        "crmr_procedures/succession/projects.html",
        {
            "title": "Appel à projets",
            "s": succession,
            "form": form,
            "projects": projects,
            "call": call,
            "writable": access == Access.WRITE,
        },
    )


@login_required
def succession_project_file(request, pk, project_pk):
    succession = dossier_or_404(request.user, Succession, pk)
    project = get_object_or_404(Project, pk=project_pk, succession=succession)
    if request.user.is_ars and project.region_id != request.user.region_id and project.transmitted_at is None:
        raise Http404
    return private_file_response(
        project.file, filename=project.original_name, as_attachment=True, content_type="application/pdf"
    )


@login_required
@require_POST
def succession_opinion(request, pk, project_pk):
    succession = dossier_or_404(request.user, Succession, pk)
    require(perms.opinion_access(request.user, succession), Access.WRITE)
    project = get_object_or_404(Project, pk=project_pk, succession=succession)
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            services.project_record_opinion(project=project, user=request.user, **form.cleaned_data)
        except (ValidationError, TransitionRefused) as exc:
            refusal_messages(request, exc)
        else:
            messages.success(request, "Avis enregistré.")
    else:
        remember_refused(request, f"succession-{succession.pk}-opinion")
    return redirect(succession)


# --- DGOS: officialisation, preview, Orphanet ------------------------------------------------------


@login_required
def succession_officialise(request, pk):
    succession = dossier_or_404(request.user, Succession, pk)
    if request.method == "POST":
        require(perms.dgos_access(request.user, succession), Access.WRITE)
    elif not request.user.is_dgos:
        raise PermissionDenied
    special = succession.path == Succession.Path.SPECIAL
    initial = {"project": succession.chosen_project_id, "effective_on": succession.effective_on}
    form = OfficialiseForm(request.POST or None, succession=succession, initial=initial) if special else None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            if "preview" in request.POST and special:
                services.succession_choose_project(succession=succession, user=request.user, **data)
                return redirect("crmr_procedures:succession_preview", pk=pk)
            services.succession_officialise(succession=succession, user=request.user, **data)
        except (ValidationError, TransitionRefused) as exc:
            refusal_messages(request, exc)
        else:
            messages.success(request, "Nouveau coordonnateur officialisé : le courrier est en cours de production.")
            return redirect(succession)
    return render(
        request,
        "crmr_procedures/succession/officialise.html",
        {"title": "Officialiser le nouveau coordonnateur", "s": succession, "form": form},
    )


@login_required
def succession_preview(request, pk):
    succession = dossier_or_404(request.user, Succession, pk)
    require(perms.dgos_access(request.user, succession), Access.WRITE)
    if succession.new_coordinator is None:
        raise Http404("Le nouveau coordonnateur n'est pas encore désigné.")
    draft, _establishments = services.succession_letter_draft(succession, request.user)
    response = HttpResponse(letter_render_pdf(draft), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="projet-courrier-succession-{succession.pk}.pdf"'
    return response


@login_required
@require_POST
def succession_orphanet(request, pk):
    succession = dossier_or_404(request.user, Succession, pk)
    require(perms.dgos_access(request.user, succession), Access.WRITE)
    if not request.user.is_dgos or succession.orphanet_notice is None:
        raise PermissionDenied
    form = OrphanetForm(request.POST)
    if form.is_valid():
        try:
            services.orphanet_complete(notice=succession.orphanet_notice, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refusal_messages(request, exc)
        else:
            messages.success(request, "Information d'Orphanet enregistrée.")
    else:
        remember_refused(request, f"succession-{succession.pk}-orphanet")
    return redirect(succession)
