"""Who may see and download an official letter: the people it concerns, and DGOS."""

from django.db.models import Q

from core.perms import Access, dossier_access


def letter_access(user, letter) -> Access:
    if not user.is_authenticated:
        return Access.NONE
    if user.is_dgos or user.is_platform_admin:
        return Access.READ
    if user.is_ars and letter.region_id and letter.region_id == user.region_id:
        return Access.READ
    if (
        user.is_establishment
        and user.establishment_id
        and any(e.pk == user.establishment_id for e in letter.establishments.all())
    ):
        return Access.READ
    if letter.dossier is not None and dossier_access(user, letter.dossier) >= Access.READ:
        return Access.READ
    return Access.NONE


# --- Annual activity reports (Annexe 1 §4): the team and the direction write, DGOS and the region's ARS read ---


def _is_team(user, centre) -> bool:
    return bool(user.is_crcsep_team and user.crc_sep_centre_id == centre.pk)


def _is_direction(user, centre) -> bool:
    return bool(user.is_establishment and user.establishment_id == centre.establishment_id)


def activity_centre_access(user, centre) -> Access:
    """May ``user`` see (READ) or file (WRITE: open a report, fill its part) the reports of a CRC SEP?"""
    if not user.is_authenticated or centre is None:
        return Access.NONE
    if _is_team(user, centre) or _is_direction(user, centre):
        return Access.WRITE
    if user.is_dgos or user.is_platform_admin:
        return Access.READ
    if user.is_ars and user.region_id == centre.region_id:
        return Access.READ
    return Access.NONE


def may_edit_activity(user, report) -> bool:
    """The team fills the activity per mission and the OFSEP bilan while the report is a draft."""
    return report.state == report.State.DRAFT and _is_team(user, report.centre)


def may_edit_administrative(user, report) -> bool:
    """The direction fills the DIM/DAF part until it validates (draft or transmitted)."""
    return report.state in (report.State.DRAFT, report.State.SUBMITTED) and _is_direction(user, report.centre)


def activity_report_access(user, report) -> Access:
    """WRITE while the user may fill a part of the report now, READ otherwise (within scope)."""
    access = activity_centre_access(user, report.centre)
    if access == Access.WRITE and not (may_edit_activity(user, report) or may_edit_administrative(user, report)):
        return Access.READ
    return access


def activity_reports_visible(user, queryset):
    """The reports (or centres, with ``prefix=""``) a user may list: same rules as above."""
    return _scope(user, queryset, "centre__")


def activity_centres_visible(user, queryset):
    return _scope(user, queryset, "")


def _scope(user, queryset, prefix: str):
    if not user.is_authenticated:
        return queryset.none()
    if user.is_dgos or user.is_platform_admin:
        return queryset
    if user.is_ars:
        return queryset.filter(**{f"{prefix}region_id": user.region_id})
    if user.is_establishment:
        return queryset.filter(**{f"{prefix}establishment_id": user.establishment_id})
    if user.is_crcsep_team:
        return queryset.filter(**{f"{prefix}pk": user.crc_sep_centre_id})
    return queryset.none()


# --- Pilotage: dashboards, letter exports, Orphanet feed ---------------------------------------


def can_see_dashboard(user) -> bool:
    return user.is_authenticated and (user.is_dgos or user.is_platform_admin or user.is_ars)


def can_export_letters(user) -> bool:
    """Bulk export of notification letters: administrators and DGOS (issue 6)."""
    return user.is_authenticated and (user.is_dgos or user.is_platform_admin)


def export_job_access(user, job) -> Access:
    """Only the person who asked may follow and download an export; everybody else gets 404."""
    if user.is_authenticated and job.requested_by_id == user.pk:
        return Access.READ
    return Access.NONE


def orphanet_access(user) -> Access:
    """DGOS tracks the communications to Orphanet (WRITE); an ARS reads its region's changes."""
    if not user.is_authenticated:
        return Access.NONE
    if user.is_dgos or user.is_platform_admin:
        return Access.WRITE
    if user.is_ars:
        return Access.READ
    return Access.NONE


def letters_visible(user, queryset):
    """Same rules as ``perms.letter_access`` for a list: national roles all, ARS its region, an
    establishment the letters addressed to it, a coordinator the letters of his or her CRMR's procedures."""
    if user.is_dgos or user.is_platform_admin:
        return queryset
    if user.is_ars:
        return queryset.filter(region_id=user.region_id)
    if user.is_establishment:
        return queryset.filter(establishments=user.establishment_id)
    if user.is_coordinator:
        return queryset.filter(_coordinated_dossiers(user))
    return queryset.none()


def _coordinated_dossiers(user) -> Q:
    """The letters of the procedures of the coordinator's CRMR: every registered workflow model with a
    ``crmr`` foreign key, whose dossier access lets a coordinator open the procedures of the CRMR he or
    she coordinates (succession, CCMR requests). One subquery per model, no query of its own."""
    from django.contrib.contenttypes.models import ContentType

    from accounts.services import coordinated_crmrs
    from centres.models import Crmr
    from core.workflow import procedures

    crmrs = coordinated_crmrs(user).values("pk")
    scope = Q(pk__in=[])
    for procedure in procedures():
        model = procedure.model
        field = next((f for f in model._meta.fields if f.name == "crmr"), None)
        if field is None or field.related_model is not Crmr:
            continue
        dossiers = model._default_manager.filter(crmr__in=crmrs).values("pk")
        scope |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=dossiers)
    return scope
