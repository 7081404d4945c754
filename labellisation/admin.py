from django.contrib import admin

from core.admin import AuditedAdmin

from .models import Application, Criterion, CriterionDocument

DECIDED_STATES = (Application.State.LABELLED, Application.State.REJECTED, Application.State.WITHDRAWN)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("code", "declared_fact")
    readonly_fields = ("code",)


@admin.register(Application)
class ApplicationAdmin(AuditedAdmin):
    """Issue 16, item 4: a decided dossier is read-only; the region, establishment, site and tranche of a
    dossier are never changed here (its ARS would lose it, another would read its letter)."""

    list_display = ("centre_name", "establishment", "region", "tranche", "state", "late_decision")
    list_filter = ("state", "tranche", "region")
    search_fields = ("centre_name", "establishment__name", "establishment__finess_ej")
    readonly_fields = ("state", "late_decision", "decided_on", "centre", "created_by")
    list_select_related = ("establishment", "region", "tranche")
    inlines = [CriterionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return (*self.readonly_fields, "establishment", "hospital", "region", "tranche")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.state in DECIDED_STATES:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.state != Application.State.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(CriterionDocument)
class CriterionDocumentAdmin(AuditedAdmin):
    list_display = ("original_name", "criterion", "size", "uploaded_at", "uploaded_by")
    readonly_fields = ("file", "original_name", "size", "sha256", "uploaded_by")
