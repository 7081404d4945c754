from django.contrib import admin

from . import models


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "annexe2_label"]
    search_fields = ["code", "name"]


class HospitalInline(admin.TabularInline):
    model = models.Hospital
    extra = 0


@admin.register(models.Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["finess_ej", "name", "kind", "city", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["finess_ej", "name", "city"]
    inlines = [HospitalInline]


@admin.register(models.Tranche)
class TrancheAdmin(admin.ModelAdmin):
    list_display = ["number", "label", "funding_year", "deadline", "planned_centres", "annual_amount_per_centre"]


@admin.register(models.RegionalQuota)
class RegionalQuotaAdmin(admin.ModelAdmin):
    list_display = ["region", "tranche", "quota"]
    list_filter = ["tranche"]


@admin.register(models.CrcSepCentre)
class CrcSepCentreAdmin(admin.ModelAdmin):
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


@admin.register(models.Crmr)
class CrmrAdmin(admin.ModelAdmin):
    list_display = ["name", "filiere", "kind", "coordinating_establishment"]
    list_filter = ["kind", "filiere"]
    search_fields = ["name"]
    inlines = [CrmrSiteInline, MandateInline]


@admin.register(models.Ccmr)
class CcmrAdmin(admin.ModelAdmin):
    list_display = ["name", "crmr", "establishment", "created_on", "abrogated_on"]
    search_fields = ["name"]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "title", "specialty", "email"]
    search_fields = ["last_name", "first_name", "email"]
