from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.admin import AuditedAdmin

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
