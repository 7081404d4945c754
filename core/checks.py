"""Deployment checks (``manage.py check --deploy``) for the settings of issue 16."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def antivirus_configured(app_configs, **kwargs):
    if settings.ANTIVIRUS_REQUIRED and not settings.CLAMD_SOCKET:
        return [
            Warning(
                "CLAMD_SOCKET is not set: every upload will be refused (the antivirus fails closed).",
                hint="Set CLAMD_SOCKET to clamd's socket path or tcp://host:3310 (docker-compose: tcp://clamav:3310).",
                id="core.W001",
            )
        ]
    return []
