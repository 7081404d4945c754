"""Every declared transition of any workflow model notifies the accounts that must act next."""

from django.dispatch import receiver
from django_fsm.signals import post_transition

from .notifications import notify_step_on_commit


@receiver(post_transition, dispatch_uid="reporting_notify_step")
def notify_after_transition(sender, instance, name, source, target, **kwargs):
    if not callable(getattr(instance, "awaiting", None)):
        return
    by = (kwargs.get("method_kwargs") or {}).get("by")
    field = kwargs.get("field")
    label = str(dict(field.flatchoices).get(target, target)) if field is not None else str(target)
    notify_step_on_commit(instance, by=by, target_label=label)
