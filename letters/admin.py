"""Letters in the admin: sender identities and their signatories editable (journaled), letters read-only."""

from __future__ import annotations

from django.contrib import admin

from core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Letter, SenderIdentity, Signatory


class SignatoryInline(admin.StackedInline):
    model = Signatory
    extra = 0
    fields = ["civility", "first_name", "last_name", "title", "delegation", "position", "is_active", "is_demo"]


@admin.register(SenderIdentity)
class SenderIdentityAdmin(AuditedAdmin):
    """Reference data of the letters' senders (issue 12, item 11): editable, never a constant."""

    list_display = ["code", "name", "seat_city", "instruction_reference", "signatory"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "seat_city"]
    inlines = [SignatoryInline]

    @admin.display(description="Signataire")
    def signatory(self, obj):
        signatory = obj.current_signatory()
        if signatory is None:
            return "— aucun —"
        return f"{signatory}{' (démonstration)' if signatory.is_demo else ''}"


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    """Read-only: an issued letter never changes; a correction is a new letter."""

    list_display = ["reference", "kind", "issued_on", "subject", "status"]
    list_filter = ["kind", "status", "sender_code"]
    search_fields = ["reference", "subject"]
