"""Private files (uploads, letters, export archives) through Django's storage API: the local folder
MEDIA_ROOT, or an S3-compatible bucket when S3_BUCKET is set (config/settings/base.py).

Nothing here checks permissions: every view calls its app's ``perms.py`` first, then hands the file to
:func:`private_file_response`. No file has a public address."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


def is_object_storage(storage=None) -> bool:
    """Whether files live in a bucket (shared by every host) rather than on this host's disk."""
    return not isinstance(storage or default_storage, FileSystemStorage)


def private_file_response(field_file, *, filename: str, as_attachment: bool = True, content_type: str | None = None):
    """The file of ``field_file`` for a user the caller has already allowed to read it.

    Streamed by the application, whatever the storage; with object storage and S3_SIGNED_URLS=1, a
    redirect to a signed URL valid S3_URL_EXPIRY seconds (the bucket then sends the bytes, with the same
    file name and type): the URL is made only now, after the check, and is useless a minute later."""
    storage = field_file.storage
    if settings.S3_SIGNED_URLS and is_object_storage(storage):
        parameters = {"ResponseContentDisposition": content_disposition_header(as_attachment, filename)}
        if content_type:
            parameters["ResponseContentType"] = content_type
        url = storage.url(field_file.name, parameters=parameters, expire=settings.S3_URL_EXPIRY)
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "no-store"
        return response
    return FileResponse(
        field_file.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
    )


PROBE_DIR = "healthz"


def storage_state() -> str:
    """For /healthz: ``ok`` if the storage answers (the bucket exists and our keys may read it; the local
    folder is writable), else the error's class name."""
    import os

    try:
        if is_object_storage():
            default_storage.listdir(PROBE_DIR)  # one listing request: the bucket exists, our keys may read it
        else:
            root = settings.MEDIA_ROOT
            os.makedirs(root, exist_ok=True)
            if not os.access(root, os.W_OK):
                return "error: not writable"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"
