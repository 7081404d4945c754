"""Admin guardrails (issue 16, item 4): every change made in the admin is recorded with its fields before
and after (``AdminChange``), whichever model it touches; the journal itself is read-only.

``AuditedAdmin`` is the base of every ModelAdmin of the project; third-party admins (groups, axes) are
registered again on it in this module, so that nothing is changed in the admin without a trace."""

from __future__ import annotations

import json

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, format_html_join
from dsfr.admin import DsfrConfigAdmin
from dsfr.models import DsfrConfig

from .models import AdminChange

SECRET_FIELDS = {"password"}


def snapshot(obj) -> dict:
    """The object's fields as JSON values (foreign keys by id, many-to-many as sorted ids); secrets are
    replaced by a fingerprint-free marker that still shows they changed."""
    data = {}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        if field.name in SECRET_FIELDS:
            value = f"<{len(str(value or ''))} car., modifié>" if value else ""
        data[field.attname] = value
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(o.pk for o in field.value_from_object(obj))
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _stored(obj) -> dict | None:
    if obj.pk is None:
        return None
    current = type(obj)._default_manager.filter(pk=obj.pk).first()
    return snapshot(current) if current is not None else None


def record_admin_change(*, user, action: str, obj, before: dict | None, after: dict | None) -> AdminChange | None:
    if action == AdminChange.Action.CHANGE and before == after:
        return None  # saved without any change: nothing happened
    return AdminChange.objects.create(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
    )


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every add, change and deletion (inlines included) is recorded in AdminChange."""

    def save_model(self, request, obj, form, change):
        before = _stored(obj) if change else None
        super().save_model(request, obj, form, change)
        request._audited_before = getattr(request, "_audited_before", {})
        request._audited_before[(type(obj), obj.pk)] = (before, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # many-to-many and inlines are saved here
        obj = form.instance
        before, changed = getattr(request, "_audited_before", {}).pop((type(obj), obj.pk), (None, change))
        action = AdminChange.Action.CHANGE if changed else AdminChange.Action.ADD
        record_admin_change(user=request.user, action=action, obj=obj, before=before, after=snapshot(obj))

    def save_formset(self, request, form, formset, change):
        befores = {f.instance.pk: _stored(f.instance) for f in formset.initial_forms if f.instance.pk is not None}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_admin_change(
                user=request.user, action=AdminChange.Action.ADD, obj=obj, before=None, after=snapshot(obj)
            )
        for obj, _fields in formset.changed_objects:
            record_admin_change(
                user=request.user,
                action=AdminChange.Action.CHANGE,
                obj=obj,
                before=befores.get(obj.pk),
                after=snapshot(obj),
            )
        for obj in formset.deleted_objects:
            record_admin_change(
                user=request.user, action=AdminChange.Action.DELETE, obj=obj, before=befores.get(obj.pk), after=None
            )

    def delete_model(self, request, obj):
        before, pk = snapshot(obj), obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        record_admin_change(user=request.user, action=AdminChange.Action.DELETE, obj=obj, before=before, after=None)

    def delete_queryset(self, request, queryset):
        objects = [(obj, snapshot(obj), obj.pk) for obj in queryset]
        super().delete_queryset(request, queryset)
        for obj, before, pk in objects:
            obj.pk = pk
            record_admin_change(user=request.user, action=AdminChange.Action.DELETE, obj=obj, before=before, after=None)


class ReadOnlyAdmin(AuditedAdmin):
    """Logs and traces: shown, never added, changed or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdminChange)
class AdminChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "content_type", "object_repr", "changed"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "user__username", "object_id"]
    list_select_related = ["user", "content_type"]
    fields = ["at", "user", "action", "content_type", "object_id", "object_repr", "differences"]
    readonly_fields = fields

    @admin.display(description="champs modifiés")
    def changed(self, obj):
        return ", ".join(obj.changed_fields)

    @admin.display(description="avant → après")
    def differences(self, obj):
        before, after = obj.before or {}, obj.after or {}
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            ((name, before.get(name, "—"), after.get(name, "—")) for name in obj.changed_fields),
        )
        header = format_html("<tr><th>{}</th><th>{}</th><th>{}</th></tr>", "champ", "avant", "après")
        return format_html("<table>{}{}</table>", header, rows)


# Third-party admins, registered again on the audited base: groups, the DSFR settings, and django-axes
# (deleting an access attempt unlocks an account: recorded; its logs are read-only).
def _reregister(model, admin_class):
    admin.site.unregister(model)
    admin.site.register(model, admin_class)


_reregister(Group, type("AuditedGroupAdmin", (AuditedAdmin, GroupAdmin), {}))
_reregister(DsfrConfig, type("AuditedDsfrConfigAdmin", (AuditedAdmin, DsfrConfigAdmin), {}))
_reregister(AccessAttempt, type("AuditedAccessAttemptAdmin", (AuditedAdmin, AccessAttemptAdmin), {}))
_reregister(AccessLog, type("ReadOnlyAccessLogAdmin", (ReadOnlyAdmin, AccessLogAdmin), {}))
_reregister(AccessFailureLog, type("ReadOnlyAccessFailureLogAdmin", (ReadOnlyAdmin, AccessFailureLogAdmin), {}))
