from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Letter


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    """Read-only: an issued letter never changes; a correction is a new letter."""

    list_display = ["reference", "kind", "issued_on", "subject", "status"]
    list_filter = ["kind", "status", "sender_code"]
    search_fields = ["reference", "subject"]
