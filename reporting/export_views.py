"""Bulk export of issued letters (administrators, DGOS): request, progress (JSON polled by a static
script), download by the requester only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from centres.models import Region
from core.exports import FORMATS
from core.perms import Access, require
from core.storage import private_file_response
from core.typography import numero
from letters.models import Letter

from .forms import LetterExportForm
from .models import ExportJob
from .perms import can_export_letters, export_job_access
from .selectors import letters_for_export
from .services import export_job_request


def _job_for(request, pk) -> ExportJob:
    job = get_object_or_404(ExportJob, pk=pk)
    require(export_job_access(request.user, job), Access.READ)
    return job


@login_required
def letter_export(request):
    if not can_export_letters(request.user):
        raise Http404
    form = LetterExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = export_job_request(user=request.user, filters=form.filters())
        messages.info(request, "L'export est lancé ; la page suit sa progression.")
        return redirect("reporting:export_job", job.pk)
    jobs = ExportJob.objects.filter(requested_by=request.user)[:10]
    return render(
        request, "reporting/letter_export.html", {"title": "Export des courriers", "form": form, "jobs": jobs}
    )


@login_required
def export_job(request, pk):
    job = _job_for(request, pk)
    if job.is_table:
        return render(
            request,
            "reporting/export_job.html",
            {
                "title": f"Export {numero(job.pk)} : {job.filters.get('title', '')}",
                "job": job,
                "unit": "lignes",
                "status_url": reverse("reporting:export_job_status", args=[job.pk]),
                "download_url": reverse("reporting:export_job_download", args=[job.pk]),
            },
        )
    count = None if job.status == ExportJob.Status.DONE else letters_for_export(job.filters).count()
    kind = dict(Letter.Kind.choices).get(job.filters.get("kind"), "")
    region = Region.objects.filter(code=job.filters.get("region") or None).first()
    return render(
        request,
        "reporting/export_job.html",
        {
            "title": f"Export de courriers {numero(job.pk)}",
            "job": job,
            "unit": "courriers",
            "count": count,
            "kind_label": kind,
            "region": region,
            "status_url": reverse("reporting:export_job_status", args=[job.pk]),
            "download_url": reverse("reporting:export_job_download", args=[job.pk]),
        },
    )


@never_cache
@login_required
def export_job_status(request, pk):
    job = _job_for(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "download_url": reverse("reporting:export_job_download", args=[job.pk]) if job.is_downloadable else None,
            "error": job.error,
        }
    )


@login_required
def export_job_download(request, pk):
    job = _job_for(request, pk)
    if not job.is_downloadable:
        raise Http404("L'export n'est pas (ou plus) disponible.")
    if job.is_table:
        fmt = job.format
        name = f"{job.filters.get('filename', 'export')}-{timezone.localdate(job.finished_at).isoformat()}.{fmt}"
        return private_file_response(job.file, filename=name, content_type=FORMATS[fmt])
    return private_file_response(job.file, filename=f"courriers-export-{job.pk}.zip", content_type="application/zip")
