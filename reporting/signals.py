"""Every declared transition of a registered procedure notifies the accounts that must act next, and those
its declaration names as told of that step."""

from django.dispatch import receiver
from django_fsm.signals import post_transition

from core.workflow import procedure_for

from .notifications import notify_step_on_commit


@receiver(post_transition, dispatch_uid="reporting_notify_step")
def notify_after_transition(sender, instance, name, source, target, **kwargs):
    if procedure_for(instance) is None:
        return
    by = (kwargs.get("method_kwargs") or {}).get("by")
    field = kwargs.get("field")
    label = str(dict(field.flatchoices).get(target, target)) if field is not None else str(target)
    notify_step_on_commit(instance, by=by, target_label=label, transition=name)
