from django.contrib import admin

from .models import Application, Criterion, CriterionDocument


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("code", "declared_fact")
    readonly_fields = ("code",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("centre_name", "establishment", "region", "tranche", "state", "late_decision")
    list_filter = ("state", "tranche", "region")
    search_fields = ("centre_name", "establishment__name", "establishment__finess_ej")
    readonly_fields = ("state", "late_decision", "decided_on", "centre", "created_by")
    list_select_related = ("establishment", "region", "tranche")
    inlines = [CriterionInline]


@admin.register(CriterionDocument)
class CriterionDocumentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "criterion", "size", "uploaded_at", "uploaded_by")
    readonly_fields = ("file", "original_name", "size", "sha256", "uploaded_by")
