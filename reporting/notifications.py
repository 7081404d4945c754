"""E-mails to the people a step asks something of, instantly or in a daily digest (their choice).

Any workflow model with ``awaiting()`` is covered: the ``post_transition`` receiver (signals.py) asks it
who must act now and calls :func:`notification_dispatch` once the transaction commits."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

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


def notification_dispatch(*, users, subject: str, summary: str, url: str = "") -> int:
    """Tell each user that something awaits them: a mail now (``instant``) or a line in tomorrow's digest
    (``daily``). Users without an e-mail address are skipped. Returns the number of users reached."""
    from accounts.models import User

    reached = 0
    for user in users:
        if not user.email or not user.is_active:
            continue
        if user.notification_mode == User.Digest.DAILY:
            PendingNotification.objects.create(user=user, subject=subject, body=summary, url=url)
        else:
            _send(user=user, template="step", context={"subject": subject, "summary": summary, "url": _absolute(url)})
        reached += 1
    return reached


def notify_step(instance, *, by=None, target_label: str = "") -> int:
    """The step reached by ``instance`` asks something of ``instance.awaiting()``: tell them (not the actor)."""
    awaiting = getattr(instance, "awaiting", None)
    if not callable(awaiting):
        return 0
    users = [u for u in awaiting() if by is None or u.pk != getattr(by, "pk", None)]
    if not users:
        return 0
    url = instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else ""
    subject = _("Action attendue : %(dossier)s") % {"dossier": instance}
    summary = _("Le dossier « %(dossier)s » est désormais à l'étape « %(step)s » et attend votre action.") % {
        "dossier": instance,
        "step": target_label,
    }
    return notification_dispatch(users=users, subject=subject, summary=summary, url=url)


def notify_step_on_commit(instance, *, by=None, target_label: str = "") -> None:
    def send():
        try:
            notify_step(instance, by=by, target_label=target_label)
        except Exception:  # a mail failure must never undo or block a decision
            logger.exception("Notification of %r failed", instance)

    transaction.on_commit(send)


def digest_send(*, now=None) -> int:
    """Send each user who chose the digest one mail with the pending lines and their open alerts."""
    from accounts.models import User

    now = now or timezone.now()
    pending_users = PendingNotification.objects.filter(sent_at__isnull=True).values_list("user_id", flat=True)
    alert_users = Alert.objects.values_list("user_id", flat=True)
    users = User.objects.filter(is_active=True, notification_mode=User.Digest.DAILY).filter(
        pk__in=pending_users.union(alert_users)
    )
    sent = 0
    for user in users.exclude(email=""):
        items = list(PendingNotification.objects.filter(user=user, sent_at__isnull=True))
        alerts = list(Alert.objects.filter(user=user))
        if not items and not alerts:
            continue
        for item in items:
            item.url = _absolute(item.url)
        for alert in alerts:
            alert.url = _absolute(alert.url)
        _send(user=user, template="digest", context={"items": items, "alerts": alerts, "date": now})
        PendingNotification.objects.filter(pk__in=[i.pk for i in items]).update(sent_at=now)
        sent += 1
    return sent
