from django.contrib import admin

from .models import Letter


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Read-only: an issued letter never changes; a correction is a new letter."""

    list_display = ["reference", "kind", "issued_on", "subject", "status"]
    list_filter = ["kind", "status", "sender_code"]
    search_fields = ["reference", "subject"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
