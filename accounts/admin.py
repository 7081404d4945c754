from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.admin import AuditedAdmin, record_admin_change, snapshot
from core.models import AdminChange

from .models import User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "region", "establishment", "is_active"]
    list_filter = ["role", "region", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Rôle",
            {
                "fields": [
                    "role",
                    "region",
                    "establishment",
                    "crc_sep_centre",
                    "person",
                    "function",
                    "notification_mode",
                ],
                "description": "Équipe CRC SEP : choisir le centre (rapport annuel d'activité, annexe 1 §4).",
            },
        ),
    )

    def user_change_password(self, request, id, form_url=""):
        """The admin's separate "change password" page saves the user outside ``save_model``: record it in
        the journal too (issue 16, item 4: nothing changes in the admin without a trace). The password
        itself never enters the journal, only the marker that it changed."""
        user = self.get_object(request, id)
        old_hash = user.password if user is not None else None
        before = snapshot(user) if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and user is not None and response.status_code == 302:
            user.refresh_from_db()
            after = snapshot(user)
            if user.password != old_hash:  # two hashes have the same length: say which side is which
                before["password"] = "<ancien mot de passe>" if old_hash else ""
                after["password"] = "<nouveau mot de passe, modifié>" if user.has_usable_password() else ""
            record_admin_change(
                user=request.user, action=AdminChange.Action.CHANGE, obj=user, before=before, after=after
            )
        return response
