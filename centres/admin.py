from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "annexe2_label"]
    search_fields = ["code", "name"]


class HospitalInline(admin.TabularInline):
    model = models.Hospital
    extra = 0


@admin.register(models.Establishment)
class EstablishmentAdmin(SimpleHistoryAdmin):
    list_display = ["finess_ej", "name", "kind", "city", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["finess_ej", "name", "city"]
    inlines = [HospitalInline]


@admin.register(models.Tranche)
class TrancheAdmin(SimpleHistoryAdmin):
    list_display = ["number", "label", "funding_year", "deadline", "planned_centres", "annual_amount_per_centre"]
    # Seed 000, Annexe 2: DGOS opens a tranche's campaign and sets its funding on its own page (with a reason)
    readonly_fields = ["funding_status", "budget_circular", "campaign_opens_on", "campaign_closes_on"]


@admin.register(models.RegionalQuota)
class RegionalQuotaAdmin(SimpleHistoryAdmin):
    list_display = ["region", "tranche", "quota"]
    list_filter = ["tranche"]


@admin.register(models.CrcSepCentre)
class CrcSepCentreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "establishment", "region", "tranche", "status", "labelled_on"]
    list_filter = ["tranche", "status", "region"]
    readonly_fields = ["status"]


@admin.register(models.Filiere)
class FiliereAdmin(admin.ModelAdmin):
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
class RegistryEventAdmin(admin.ModelAdmin):
    """Registry events are append-only (database trigger): the admin adds and reads, never edits."""

    list_display = ["effective_on", "kind", "summary", "letter_reference"]
    list_filter = ["kind"]
    search_fields = ["summary", "letter_reference"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Crmr)
class CrmrAdmin(SimpleHistoryAdmin):
    list_display = ["name", "filiere", "kind", "coordinating_establishment"]
    list_filter = ["kind", "filiere"]
    search_fields = ["name"]
    inlines = [CrmrSiteInline, MandateInline, MigAllocationInline]


@admin.register(models.Ccmr)
class CcmrAdmin(SimpleHistoryAdmin):
    list_display = ["name", "crmr", "establishment", "created_on", "abrogated_on"]
    list_filter = ["crmr__filiere", "establishment__region"]
    search_fields = ["name", "crmr__name", "establishment__name"]
    autocomplete_fields = ["crmr", "establishment", "team_lead"]


@admin.register(models.Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "title", "specialty", "email"]
    search_fields = ["last_name", "first_name", "email"]
