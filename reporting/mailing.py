"""Sending the notifications over SMTP: one instant mail, or each user's daily digest (run by the tasks;
the rows are written by ``notifications.notification_dispatch``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Alert, PendingNotification

logger = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url and url.startswith("/") else url


def _send(*, user, template: str, context: dict) -> None:
    context = {**context, "user": user, "site_url": getattr(settings, "SITE_URL", "")}
    subject = " ".join(render_to_string(f"reporting/emails/{template}_subject.txt", context).split())
    text = render_to_string(f"reporting/emails/{template}_body.txt", context)
    html = render_to_string(f"reporting/emails/{template}_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def notification_send(*, notification_id: int) -> bool:
    """Send one instant notification over SMTP; mark it sent only after the server accepted it.

    Idempotent: the row is locked while sending, and a row already sent is left alone (a second delivery
    of the task, or the sweep, sends nothing twice). A refusal is recorded (attempts, last error) and
    raised for the task to retry. Returns whether a mail went out."""
    failure = None
    with transaction.atomic():
        row = PendingNotification.objects.select_for_update().select_related("user").get(pk=notification_id)
        if row.sent_at is not None:
            return False
        try:
            _send(
                user=row.user,
                template="step",
                context={"subject": row.subject, "summary": row.body, "url": _absolute(row.url)},
            )
        except Exception as exc:
            failure = exc
        else:
            PendingNotification.objects.filter(pk=row.pk).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
            return True
    PendingNotification.objects.filter(pk=notification_id).update(
        attempts=F("attempts") + 1, last_error=f"{failure.__class__.__name__}: {failure}"[:300]
    )
    raise failure


class DigestIncomplete(Exception):
    """Some digests were refused by the SMTP server; the others went out (``user_ids``: to retry)."""

    def __init__(self, *, sent: int, user_ids: list[int]):
        super().__init__(f"{len(user_ids)} digest(s) not sent")
        self.sent, self.user_ids = sent, user_ids


def digest_send(*, now=None, user_ids=None) -> int:
    """Send each user who chose the digest one mail with the pending lines and their open alerts.

    The lines are marked sent only after the server accepted the mail. A refused mail does not stop the
    others: at the end :class:`DigestIncomplete` names the users to try again (``user_ids``)."""
    from accounts.models import User

    now = now or timezone.now()
    pending_users = PendingNotification.objects.filter(sent_at__isnull=True, instant=False).values_list(
        "user_id", flat=True
    )
    alert_users = Alert.objects.values_list("user_id", flat=True)
    users = User.objects.filter(is_active=True, notification_mode=User.Digest.DAILY).filter(
        pk__in=pending_users.union(alert_users)
    )
    if user_ids is not None:
        users = users.filter(pk__in=user_ids)
    sent, failed = 0, []
    for user in users.exclude(email=""):
        items = list(PendingNotification.objects.filter(user=user, sent_at__isnull=True, instant=False))
        alerts = list(Alert.objects.filter(user=user))
        if not items and not alerts:
            continue
        for item in items:
            item.url = _absolute(item.url)
        for alert in alerts:
            alert.url = _absolute(alert.url)
        try:
            _send(user=user, template="digest", context={"items": items, "alerts": alerts, "date": now})
        except Exception as exc:
            logger.warning("Digest of user %s refused: %s", user.pk, exc)
            PendingNotification.objects.filter(pk__in=[i.pk for i in items]).update(
                attempts=F("attempts") + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:300]
            )
            failed.append(user.pk)
            continue
        PendingNotification.objects.filter(pk__in=[i.pk for i in items]).update(
            sent_at=now, attempts=F("attempts") + 1, last_error=""
        )
        sent += 1
    if failed:
        raise DigestIncomplete(sent=sent, user_ids=failed)
    return sent
