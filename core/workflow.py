"""Running a declared django-fsm transition the one safe way.

Each procedure declares its state machine once, on its model (``@transition`` with ``permission`` and
``conditions``). Views and services never call a transition method directly: they call
:func:`run_transition`, which

1. locks the row (``select_for_update``) and re-reads the stored state, so two officers acting at the
   same moment are serialised;
2. refuses with 404-worthy :class:`PermissionDenied` when the user may not act, and with
   :class:`TransitionRefused` carrying French reasons when the state or a condition forbids it;
3. applies the transition, saves, and lets django-fsm-log write the trace (who, when, from, to, why)
   in the same transaction;
4. runs the optional ``side_effects`` callable inside that transaction (letters queued, registry updated).

Conditions carry their refusal message with :func:`condition`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description


def logged_transition(**kwargs):
    """``@transition(...)`` whose every run is logged by django-fsm-log with who (``by``) and why
    (``description``): the one decorator the workflows declare their transitions with."""

    def decorate(func):
        return fsm_log_by(fsm_log_description(transition(**kwargs)(func)))

    return decorate


class TransitionRefused(Exception):
    """A transition that the state or a rule of the texts forbids; ``reasons`` are French sentences."""

    def __init__(self, reasons: list[str]):
        self.reasons = [str(r) for r in reasons]
        super().__init__(" ".join(self.reasons))


def condition(message: str | Callable[[Any], str]):
    """Attach the French refusal message to an fsm condition (a string, or a callable of the instance)."""

    def decorate(func):
        func.refusal_message = message
        return func

    return decorate


def state_field(model: type[models.Model]) -> FSMFieldMixin | None:
    """The model's FSM field (its state), if it has one."""
    return next((f for f in model._meta.fields if isinstance(f, FSMFieldMixin)), None)


def _fsm_field(model: type[models.Model]) -> FSMFieldMixin:
    field = state_field(model)
    if field is None:
        raise TypeError(f"{model.__name__} has no FSM field")
    return field


def state_label(instance: models.Model) -> str:
    field = _fsm_field(type(instance))
    value = field.value_from_object(instance)
    return str(dict(field.flatchoices).get(value, value))


def refusal_reasons(instance: models.Model, name: str) -> list[str]:
    """Why the transition ``name`` cannot run now (state, then unmet conditions); [] when it can."""
    meta = getattr(instance, name)._django_fsm
    state = meta.field.get_state(instance)
    transition_ = meta.get_transition(state)
    if transition_ is None or not meta.has_transition(state):
        return [
            _("Cette action n'est pas possible lorsque le dossier est à l'état « %(state)s ».")
            % {"state": state_label(instance)}
        ]
    reasons = []
    for cond in transition_.conditions:
        if cond(instance):
            continue
        message = getattr(cond, "refusal_message", None)
        if callable(message):
            message = message(instance)
        reasons.append(message or _("Une condition de cette étape n'est pas remplie."))
    return reasons


def user_may(instance: models.Model, name: str, user) -> bool:
    """May ``user`` run the transition ``name`` from the current state (permission only, not conditions)?"""
    meta = getattr(instance, name)._django_fsm
    state = meta.field.get_state(instance)
    return meta.has_transition(state) and meta.has_transition_perm(instance, state, user)


@dataclass(frozen=True)
class AvailableAction:
    name: str
    label: str
    reasons: list[str]  # empty when the action can run now
    style: str = "primary"
    needs_comment: bool = False

    @property
    def enabled(self) -> bool:
        return not self.reasons


def available_actions(instance: models.Model, user) -> list[AvailableAction]:
    """The transitions the user may run from the current state, with why any is blocked.

    Labels and styles come from ``custom={"label": ..., "style": ..., "comment": bool}`` on the
    ``@transition`` declaration, so the workflow stays declared in one place.
    """
    field = _fsm_field(type(instance))
    actions = []
    state = field.get_state(instance)
    for transition_ in field.get_all_transitions(type(instance)):
        if transition_.source not in (state, "*") or transition_.custom.get("hidden"):
            continue
        if not user_may(instance, transition_.name, user):
            continue
        actions.append(
            AvailableAction(
                name=transition_.name,
                label=str(transition_.custom.get("label", transition_.name)),
                reasons=refusal_reasons(instance, transition_.name),
                style=transition_.custom.get("style", "primary"),
                needs_comment=bool(transition_.custom.get("comment", False)),
            )
        )
    return actions


def run_transition(
    instance: models.Model,
    name: str,
    *,
    user,
    comment: str = "",
    side_effects: Callable[[models.Model], None] | None = None,
    **kwargs,
) -> models.Model:
    """Lock, check, apply and log one transition; return the fresh instance. See the module docstring."""
    model = type(instance)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=instance.pk)
        meta = getattr(locked, name)._django_fsm
        state = meta.field.get_state(locked)
        if meta.has_transition(state) and not meta.has_transition_perm(locked, state, user):
            raise PermissionDenied(_("Vous n'êtes pas autorisé(e) à effectuer cette action."))
        reasons = refusal_reasons(locked, name)
        if reasons:
            raise TransitionRefused(reasons)
        getattr(locked, name)(by=user, description=comment or None, **kwargs)
        locked.save()
        if side_effects is not None:
            side_effects(locked)
    return locked


# --- Registry of procedures (dashboards, alerts, exports iterate over it) -----------------------


@dataclass(frozen=True)
class Procedure:
    model: type[models.Model]
    label: str
    region_lookup: str  # ORM path from the model to its Region, for an ARS officer's scope


_procedures: list[Procedure] = []


def register_procedure(model: type[models.Model], *, label: str, region_lookup: str) -> None:
    """Apps register each workflow model in ``AppConfig.ready``."""
    if all(p.model is not model for p in _procedures):
        _procedures.append(Procedure(model=model, label=label, region_lookup=region_lookup))


def procedures() -> list[Procedure]:
    return list(_procedures)
