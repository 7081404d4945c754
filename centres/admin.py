from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AuditedAdmin, ReadOnlyAdmin

from . import models


@admin.register(models.Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "annexe2_label"]
    search_fields = ["code", "name"]


class HospitalInline(admin.TabularInline):
    model = models.Hospital
    extra = 0


@admin.register(models.Establishment)
class EstablishmentAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ["finess_ej", "name", "kind", "city", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["finess_ej", "name", "city"]
    inlines = [HospitalInline]


@admin.register(models.Tranche)
class TrancheAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ["number", "label", "funding_year", "deadline", "planned_centres", "annual_amount_per_centre"]
    # 2016 instruction, Annexe 2: DGOS opens a tranche's campaign and sets its funding on its own page (with a reason)
    readonly_fields = ["funding_status", "budget_circular", "campaign_opens_on", "campaign_closes_on"]


class RegionalQuotaForm(forms.ModelForm):
    class Meta:
        model = models.RegionalQuota
        fields = ["region", "tranche", "quota"]

    def clean_quota(self):
        """Annexe 2: a quota cannot go below the centres already labelled in that region and tranche."""
        quota = self.cleaned_data["quota"]
        row = self.instance
        if row.pk is not None and quota is not None:
            labelled = models.CrcSepCentre.objects.filter(
                region_id=row.region_id, tranche_id=row.tranche_id, status=models.CrcSepCentre.Status.LABELLED
            ).count()
            if quota < labelled:
                raise forms.ValidationError(
                    "Le quota ne peut pas être inférieur au nombre de CRC SEP déjà labellisés "
                    f"dans cette région pour cette tranche ({labelled})."
                )
        return quota


@admin.register(models.RegionalQuota)
class RegionalQuotaAdmin(AuditedAdmin, SimpleHistoryAdmin):
    form = RegionalQuotaForm
    list_display = ["region", "tranche", "quota"]
    list_filter = ["tranche"]

    def get_readonly_fields(self, request, obj=None):
        # Changing the region or the tranche of a row would move the quota (and its labelled centres).
        return ["region", "tranche"] if obj is not None else []


@admin.register(models.CrcSepCentre)
class CrcSepCentreAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "establishment", "region", "tranche", "status", "labelled_on"]
    list_filter = ["tranche", "status", "region"]

    def get_readonly_fields(self, request, obj=None):
        # A labelled centre belongs to the region whose ARS labelled it, within its quota (issue 16).
        if obj is not None:
            return ["status", "region", "establishment", "hospital", "tranche"]
        return ["status"]


@admin.register(models.Filiere)
class FiliereAdmin(AuditedAdmin):
    search_fields = ["name"]


class CrmrSiteInline(admin.TabularInline):
    model = models.CrmrSite
    extra = 0


class MandateInline(admin.TabularInline):
    model = models.CoordinatorMandate
    extra = 0


class MigAllocationInline(admin.TabularInline):
    model = models.MigAllocation
    extra = 0


@admin.register(models.RegistryEvent)
class RegistryEventAdmin(ReadOnlyAdmin):
    """Registry events are append-only (database trigger) and written by the workflows' acts only: the
    admin reads them (issue 16, item 4)."""

    list_display = ["effective_on", "kind", "summary", "letter_reference"]
    list_filter = ["kind"]
    search_fields = ["summary", "letter_reference"]


@admin.register(models.Crmr)
class CrmrAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "filiere", "kind", "coordinating_establishment"]
    list_filter = ["kind", "filiere"]
    search_fields = ["name"]
    inlines = [CrmrSiteInline, MandateInline, MigAllocationInline]


@admin.register(models.Ccmr)
class CcmrAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "crmr", "establishment", "created_on", "abrogated_on"]
    list_filter = ["crmr__filiere", "establishment__region"]
    search_fields = ["name", "crmr__name", "establishment__name"]
    autocomplete_fields = ["crmr", "establishment", "team_lead"]


@admin.register(models.Person)
class PersonAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "title", "specialty", "email"]
    search_fields = ["last_name", "first_name", "email"]
