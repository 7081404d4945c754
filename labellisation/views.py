"""Views: thin, they parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from centres.models import Tranche
from core.exports import EXPORT_CHUNK, Table, requested_format, table_export
from core.perms import Access, require
from core.storage import private_file_response
from core.workflow import TransitionRefused, act, available_actions, dossier_or_404, refusal_messages, timeline
from letters.models import Letter
from letters.rendering import letter_render_pdf

from . import selectors, services
from .forms import ApplicationCreateForm, ApplicationTeamForm, EvidenceForm, FilterForm, TrancheCampaignForm
from .models import Application, Criterion, CriterionDocument
from .perms import application_access, campaign_access, may_create, may_decide, may_see_inbox


def _application_for(request, pk, needed: Access = Access.READ) -> Application:
    return dossier_or_404(request.user, Application, pk, needed)


def _filtered(request):
    state = request.GET.get("state", "")
    tranche = request.GET.get("tranche", "")
    return selectors.applications_filtered(request.user, state=state, tranche=tranche)


def application_export_table(user, params) -> Table:
    """The list the page shows (same scope and filters), every row, read by chunks (core.exports)."""
    qs = selectors.applications_filtered(user, state=params.get("state", ""), tranche=params.get("tranche", ""))
    headers = ["Centre", "Établissement", "Site", "Région", "Tranche", "État", "Décidée le", "Mis à jour"]
    rows = (
        (
            app.centre_name,
            app.establishment.name,
            app.hospital.name,
            app.region.name,
            app.tranche.label,
            app.get_state_display(),
            app.decided_on,
            timezone.localdate(app.updated_at),
        )
        for app in qs.iterator(chunk_size=EXPORT_CHUNK)
    )
    return Table(headers, rows, "Candidatures CRC SEP", "candidatures-crc-sep", count=qs.count)


def _list_context(request, *, title: str) -> dict:
    filters = FilterForm(request.GET or None)
    qs = _filtered(request)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return {
        "title": title,
        "page_obj": page,
        "applications": page.object_list,
        "filters": filters,
        "counts": selectors.state_counts(request.user),
        "awaiting": selectors.awaiting_count(request.user),
        "may_create": may_create(request.user),
    }


@login_required
def inbox(request):
    """The ARS officer's inbox of its region's dossiers (DGOS: every region)."""
    if not may_see_inbox(request.user):
        if request.user.is_establishment:
            return redirect("labellisation:mine")
        raise Http404
    if fmt := requested_format(request):
        return table_export(request, application_export_table, fmt)
    title = f"Candidatures CRC SEP — {request.user.region.name}" if request.user.is_ars else "Candidatures CRC SEP"
    return render(request, "labellisation/inbox.html", _list_context(request, title=title))


@login_required
def mine(request):
    """The applicant establishment's own applications."""
    if not request.user.is_establishment:
        raise Http404
    if fmt := requested_format(request):
        return table_export(request, application_export_table, fmt)
    return render(request, "labellisation/mine.html", _list_context(request, title="Mes candidatures CRC SEP"))


@login_required
def create(request):
    if not may_create(request.user):
        raise Http404
    form = ApplicationCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Candidature créée. Complétez l'équipe puis les critères du cahier des charges.")
            return redirect("labellisation:edit", pk=app.pk)
    return render(request, "labellisation/create.html", {"form": form, "title": "Nouvelle candidature CRC SEP"})


@login_required
def campaigns(request):
    """Annexe 2: each tranche's campaign (dates, funding status, budget circular) and its history."""
    access = campaign_access(request.user)
    require(access, Access.READ)
    tranches = list(Tranche.objects.all())
    history = list(Tranche.history.select_related("history_user").order_by("-history_date", "-history_id"))
    statuses = dict(Tranche.FundingStatus.choices)
    for record in history:
        record.funding_status_label = statuses.get(record.funding_status, record.funding_status)
    return render(
        request,
        "labellisation/campaigns.html",
        {
            "title": "Campagnes de labellisation CRC SEP",
            "tranches": tranches,
            "history": history,
            "may_manage": access == Access.WRITE,
        },
    )


@login_required
def campaign_edit(request, number):
    require(campaign_access(request.user), Access.WRITE)
    tranche = get_object_or_404(Tranche, number=number)
    form = TrancheCampaignForm(request.POST or None, instance=tranche)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            services.tranche_campaign_update(
                tranche=tranche, user=request.user, reason=form.cleaned_data["reason"], **data
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, f"Campagne de la {tranche.label.lower()} enregistrée.")
            return redirect("labellisation:campaigns")
    return render(
        request,
        "labellisation/campaign_form.html",
        {"title": f"Campagne — {tranche.label}", "form": form, "tranche": tranche},
    )


@login_required
def detail(request, pk):
    app = _application_for(request, pk)
    criteria = sorted(
        Criterion.objects.filter(application=app).prefetch_related(
            Prefetch("documents", queryset=CriterionDocument.objects.order_by("uploaded_at"))
        ),
        key=lambda c: c.order,
    )
    letters = list(
        Letter.objects.filter(content_type=ContentType.objects.get_for_model(Application), object_id=app.pk).order_by(
            "-created_at"
        )
    )
    actions = available_actions(app, request.user)
    missing = {spec.code for spec in app.missing_mandatory_criteria()} if criteria else set()
    return render(
        request,
        "labellisation/detail.html",
        {
            "title": app.centre_name,
            "application": app,
            "criteria": criteria,
            "missing": missing,
            "timeline": timeline(app),
            "letters": letters,
            "actions": actions,
            "action_url": app.get_absolute_url() + "action/",
            "letter_decisions": [a for a in actions if a.name in services.DECISION_LETTERS],
            "may_edit": application_access(request.user, app) == Access.WRITE,
            "quota": app.quota_usage(),
            "team_rules": app.team_rule_results(),
        },
    )


@login_required
def edit(request, pk):
    app = _application_for(request, pk, Access.WRITE)
    form = ApplicationTeamForm(request.POST or None, instance=app)
    if request.method == "POST" and form.is_valid():
        services.application_update(application=app, fields=form.cleaned_data)
        messages.success(request, "Équipe du centre enregistrée.")
        return redirect("labellisation:evidence", pk=app.pk)
    return render(request, "labellisation/edit.html", {"form": form, "application": app, "title": "Équipe du centre"})


@login_required
def evidence(request, pk):
    app = _application_for(request, pk, Access.WRITE)
    form = EvidenceForm(request.POST or None, request.FILES or None, application=app)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.application_record_evidence(
                    application=app, user=request.user, facts=form.facts, uploads=form.uploads
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Critères du cahier des charges enregistrés.")
                return redirect("labellisation:detail", pk=app.pk)
        messages.error(request, "Le formulaire contient des erreurs : rien n'a été enregistré.")
    return render(
        request,
        "labellisation/evidence.html",
        {"form": form, "application": app, "title": "Critères du cahier des charges"},
    )


@login_required
def document(request, pk, doc_pk):
    app = _application_for(request, pk)
    doc = get_object_or_404(CriterionDocument, pk=doc_pk, criterion__application=app)
    return private_file_response(doc.file, filename=doc.original_name, content_type="application/pdf")


@login_required
@require_POST
def document_delete(request, pk, doc_pk):
    app = _application_for(request, pk, Access.WRITE)
    doc = get_object_or_404(CriterionDocument, pk=doc_pk, criterion__application=app)
    services.document_delete(document=doc)
    messages.success(request, "Pièce supprimée.")
    return redirect("labellisation:evidence", pk=app.pk)


@login_required
@require_POST
def action(request, pk):
    app = _application_for(request, pk)
    name = request.POST.get("transition", "")
    try:
        act(app, name, user=request.user, comment=request.POST.get("comment", ""), from_button=True)
    except (TransitionRefused, ValidationError) as exc:
        refusal_messages(request, exc)
    else:
        app.refresh_from_db()
        text = f"Action effectuée : le dossier est désormais « {app.get_state_display()} »."
        if name in services.DECISION_LETTERS:
            text += " Le courrier sera disponible dans quelques instants."
        messages.success(request, text)
    return redirect("labellisation:detail", pk=app.pk)


@login_required
def letter_preview(request, pk, decision):
    """The deciding officer previews the decision letter (PDF, reference « PROJET ») before deciding."""
    app = _application_for(request, pk)
    if decision not in services.DECISION_LETTERS:
        raise Http404
    if not may_decide(app, request.user):
        raise PermissionDenied
    draft = services.application_letter_draft(
        application=app, decision=decision, user=request.user, comment=request.GET.get("comment", "")
    )
    response = HttpResponse(letter_render_pdf(draft), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="projet-courrier-{app.pk}.pdf"'
    return response
