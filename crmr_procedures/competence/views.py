"""Views of the CCMR procedure: thin; they check ``perms``, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.services import coordinated_crmrs
from core.exports import EXPORT_CHUNK, Table, requested_format, table_export
from core.forms import form_again, remember_refused
from core.perms import Access, require
from core.storage import private_file_response
from core.workflow import (
    TransitionRefused,
    act,
    available_actions,
    dossier_or_404,
    refusal_messages,
    refusal_reasons,
    timeline,
    user_may,
)
from letters.models import Letter
from letters.rendering import letter_render_pdf

from . import perms, selectors, services
from .forms import CcmrRequestForm, CpomForm, DocumentForm, OfficialiseForm, OrphanetForm
from .models import CcmrRequest, CcmrRequestDocument


def _request_for(user, pk, needed=Access.READ) -> CcmrRequest:
    return dossier_or_404(user, CcmrRequest, pk, needed)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def ccmr_request_export_table(user, params) -> Table:
    """The list the page shows (same scope and view), every row, read by chunks (core.exports)."""
    everything = params.get("vue") == "toutes"
    qs = selectors.ccmr_requests_visible_to(user) if everything else selectors.ccmr_inbox(user)
    headers = ["Demande", "Nature", "CRMR", "Établissement", "Région", "Reçue le", "État"]
    rows = (
        (
            r.centre_name,
            r.get_kind_display(),
            r.crmr.name,
            r.establishment.name,
            r.establishment.region.name,
            timezone.localdate(r.submitted_at) if r.submitted_at else None,
            r.get_state_display(),
        )
        for r in qs.iterator(chunk_size=EXPORT_CHUNK)
    )
    return Table(headers, rows, "Demandes CCMR", "demandes-ccmr", count=qs.count)


@login_required
def ccmr_request_list(request):
    everything = request.GET.get("vue") == "toutes"
    qs = selectors.ccmr_requests_visible_to(request.user) if everything else selectors.ccmr_inbox(request.user)
    if fmt := requested_format(request):
        return table_export(request, ccmr_request_export_table, fmt)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "crmr_procedures/competence/request_list.html",
        {
            "title": "Centres de compétences : demandes",
            "page_obj": page,
            "everything": everything,
            "may_create": perms.may_create_request(request.user),
        },
    )


@login_required
def ccmr_request_create(request):
    if not perms.may_create_request(request.user):
        raise PermissionDenied
    crmrs = coordinated_crmrs(request.user).order_by("name")
    form = CcmrRequestForm(request.POST or None, request.FILES or None, crmrs=crmrs, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.ccmr_request_create(
                user=request.user,
                crmr=d["crmr"],
                kind=d["kind"],
                establishment=d["establishment"],
                proposed_name=d["proposed_name"],
                team_lead=form.team_lead(),
                team=d["team"],
                ccmr=d["ccmr"],
                letter_text=d["letter_text"],
                letter_file=d["letter_file"],
            )
        except (ValidationError, TransitionRefused) as exc:
            refusal_messages(request, exc)
        else:
            messages.success(request, "Votre demande a été adressée à la DGOS.")
            return redirect(created)
    return render(
        request,
        "crmr_procedures/competence/request_form.html",
        {"title": "Demander la création ou l'abrogation d'un centre de compétences", "form": form},
    )


@login_required
def ccmr_request_detail(request, pk):
    obj = _request_for(request.user, pk)
    user = request.user
    documents = list(obj.documents.all())
    for document in documents:
        document.request = obj  # the access check reads it: no query per document
    visible_docs = [d for d in documents if perms.document_access(user, d) >= Access.READ]
    hidden_docs = [d for d in documents if d not in visible_docs]
    letter_ids = [obj.transmission_letter_id, obj.opinion_letter_id, obj.cpom_letter_id]
    letters = Letter.objects.filter(  # the step letters and their corrections (issue 13, item 1)
        Q(pk__in=[pk for pk in letter_ids if pk])
        | Q(content_type=ContentType.objects.get_for_model(CcmrRequest), object_id=obj.pk, cites__isnull=False)
    ).order_by("created_at")
    context = {
        "title": str(obj),
        "obj": obj,
        "actions": available_actions(obj, user),
        "action_url": obj.get_absolute_url() + "action/",
        "timeline": timeline(obj),
        "documents": visible_docs,
        "hidden_documents": hidden_docs,
        "letters": letters,
        "notice": getattr(obj.registry_event, "orphanet_notice", None) if obj.registry_event_id else None,
        "may_upload": obj.state == CcmrRequest.State.AWAITING_DOCUMENTS and perms.may_upload_documents(user, obj),
    }
    if user_may(obj, "officialise_favourable", user):
        initial = {"decision": obj.gp_opinion} if obj.gp_opinion else {}
        context["officialise_form"] = form_again(
            request, f"ccmr-{obj.pk}-officialise", OfficialiseForm, initial=initial
        )
    if user_may(obj, "notify_cpom", user):
        context["cpom_form"] = form_again(request, f"ccmr-{obj.pk}-cpom", CpomForm)
        context["cpom_reasons"] = refusal_reasons(obj, "notify_cpom")
    if user_may(obj, "inform_orphanet", user):
        context["orphanet_form"] = form_again(request, f"ccmr-{obj.pk}-orphanet", OrphanetForm)
        context["orphanet_reasons"] = refusal_reasons(obj, "inform_orphanet")
    if context["may_upload"]:
        context["document_form"] = DocumentForm()
    return render(request, "crmr_procedures/competence/request_detail.html", context)


@login_required
@require_POST
def ccmr_request_action(request, pk):
    obj = _request_for(request.user, pk, Access.WRITE)
    try:
        act(
            obj,
            request.POST.get("transition", ""),
            user=request.user,
            comment=request.POST.get("comment", ""),
            from_button=True,
        )
    except (ValidationError, TransitionRefused) as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, "L'étape a été enregistrée.")
    return redirect(obj)


@login_required
@require_POST
def ccmr_request_officialise(request, pk):
    obj = _request_for(request.user, pk, Access.WRITE)
    if not user_may(obj, "officialise_favourable", request.user):
        raise PermissionDenied
    form = OfficialiseForm(request.POST)
    if not form.is_valid():
        remember_refused(request, f"ccmr-{obj.pk}-officialise")  # the page shows the errors and the typed text
        return redirect(obj)
    decision, paragraph = form.cleaned_data["decision"], form.cleaned_data["paragraph"]
    if "preview" in request.POST:
        draft = services.ccmr_request_opinion_letter(
            request=obj, user=request.user, decision=decision, paragraph=paragraph
        )
        return _pdf(letter_render_pdf(draft), "projet-courrier-avis.pdf")
    try:
        services.ccmr_request_officialise(request=obj, user=request.user, decision=decision, paragraph=paragraph)
    except (ValidationError, TransitionRefused) as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, "L'avis a été officialisé ; le courrier est émis.")
    return redirect(obj)


@login_required
@require_POST
def ccmr_request_upload(request, pk):
    obj = _request_for(request.user, pk, Access.WRITE)
    if not perms.may_upload_documents(request.user, obj):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        # Say why (e.g. "Le fichier soumis est vide."), not only what was expected.
        reasons = [error for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(["Choisissez la pièce et un fichier PDF.", *reasons]))
        return redirect(obj)
    try:
        services.ccmr_request_upload_document(
            request=obj, user=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, "La pièce a été déposée.")
    return redirect(obj)


@login_required
def ccmr_request_document(request, pk, doc_pk):
    document = get_object_or_404(
        CcmrRequestDocument.objects.select_related("request__establishment", "request__crmr"), pk=doc_pk, request_id=pk
    )
    require(perms.document_access(request.user, document), Access.READ)
    if not document.file:
        raise Http404
    return private_file_response(document.file, filename=document.original_name, content_type="application/pdf")


@login_required
@require_POST
def ccmr_request_cpom(request, pk):
    obj = _request_for(request.user, pk, Access.WRITE)
    if not user_may(obj, "notify_cpom", request.user):
        raise PermissionDenied
    form = CpomForm(request.POST)
    if not form.is_valid():
        remember_refused(request, f"ccmr-{obj.pk}-cpom")
        return redirect(obj)
    d = form.cleaned_data
    if "preview" in request.POST:
        draft = services.ccmr_request_cpom_letter(
            request=obj, user=request.user, reference=d["reference"], date=d["date"], paragraph=d["paragraph"]
        )
        return _pdf(letter_render_pdf(draft), "projet-notification-cpom.pdf")
    try:
        services.ccmr_request_notify_cpom(
            request=obj, user=request.user, reference=d["reference"], date=d["date"], paragraph=d["paragraph"]
        )
    except (ValidationError, TransitionRefused) as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, "L'avenant au CPOM est enregistré et le courrier de notification émis.")
    return redirect(obj)


@login_required
@require_POST
def ccmr_request_orphanet(request, pk):
    obj = _request_for(request.user, pk, Access.WRITE)
    if not user_may(obj, "inform_orphanet", request.user):
        raise PermissionDenied
    form = OrphanetForm(request.POST)
    if not form.is_valid():
        remember_refused(request, f"ccmr-{obj.pk}-orphanet")
        return redirect(obj)
    try:
        services.ccmr_request_inform_orphanet(
            request=obj,
            user=request.user,
            communicated_on=form.cleaned_data["communicated_on"],
            reference=form.cleaned_data["reference"],
        )
    except (ValidationError, TransitionRefused) as exc:
        refusal_messages(request, exc)
    else:
        messages.success(request, "L'information d'Orphanet est enregistrée : la demande est terminée.")
    return redirect(obj)
