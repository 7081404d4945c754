"""E-mails to the people a step asks something of, instantly or in a daily digest (their choice).

Every registered procedure is covered: the ``post_transition`` receiver (signals.py) asks its declaration
who must act now and calls :func:`notification_dispatch` once the transaction commits.

Every message is first a row (``PendingNotification``); the mail goes out over SMTP (``EMAIL_URL``) from a
Celery task that retries while the server refuses, and the row is marked sent only once the server
accepted the mail: a failed send loses nothing, and the sweep ``dispatch_pending_notifications`` queues
again what a broker outage or exhausted retries left behind."""

from __future__ import annotations

import logging

from django.db import transaction

from core.workflow import procedure_for

from .models import PendingNotification
from .tasks import notification_enqueue

logger = logging.getLogger(__name__)


def notification_dispatch(*, users, subject: str, summary: str, url: str = "") -> int:
    """Tell each user that something awaits them: a mail now (``instant``) or a line in tomorrow's digest
    (``daily``). Users without an e-mail address are skipped. Returns the number of users reached.

    The instant mails are sent by a task queued once the rows are committed."""
    from accounts.models import User

    reached = 0
    for user in users:
        if not user.email or not user.is_active:
            continue
        instant = user.notification_mode != User.Digest.DAILY
        row = PendingNotification.objects.create(user=user, subject=subject, body=summary, url=url, instant=instant)
        if instant:
            transaction.on_commit(lambda pk=row.pk: notification_enqueue(pk))
        reached += 1
    return reached


def notify_step(instance, *, by=None, target_label: str = "") -> int:
    """The step reached by ``instance`` asks something of the accounts its procedure declares as
    ``awaiting``: tell them (not the actor)."""
    procedure = procedure_for(instance)
    if procedure is None:
        return 0
    users = [u for u in procedure.awaiting(instance) if by is None or u.pk != getattr(by, "pk", None)]
    if not users:
        return 0
    url = instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else ""
    subject = f"Action attendue : {instance}"
    summary = f"Le dossier « {instance} » est désormais à l'étape « {target_label} » et attend votre action."
    return notification_dispatch(users=users, subject=subject, summary=summary, url=url)


def notify_declared_notice(instance, transition: str) -> int:
    """Those the procedure declares as told of ``transition`` without having to act (``notices``)."""
    procedure = procedure_for(instance)
    notice = procedure.notices.get(transition) if procedure else None
    told = notice(instance) if notice else None
    if told is None:
        return 0
    return notification_dispatch(users=told.users, subject=told.subject, summary=told.summary, url=told.url)


def notify_step_on_commit(instance, *, by=None, target_label: str = "", transition: str = "") -> None:
    def send():
        try:
            notify_step(instance, by=by, target_label=target_label)
        except Exception:  # a mail failure must never undo or block a decision
            logger.exception("Notification of %r failed", instance)
        try:
            notify_declared_notice(instance, transition)
        except Exception:  # nor the information of a third party (Annexe 1: the notice's addressee)
            logger.exception("Notice of %r after %s failed", instance, transition)

    transaction.on_commit(send)
