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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django_fsm import FSMFieldMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from django_fsm_log.models import StateLog

from .perms import Access, require
from .search import Kind, register_search_kind


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


class CommentRequired(TransitionRefused, ValidationError):
    """A transition declared with a required comment (``custom={"comment": "Indiquez…"}``) asked without one:
    both a refused transition and invalid input, so a form can show it beside its comment field."""

    def __init__(self, prompt: str):
        ValidationError.__init__(self, prompt, code="comment_required")
        self.reasons = [str(prompt)]

    def __str__(self) -> str:
        return self.reasons[0]


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
        return [f"Cette action n'est pas possible lorsque le dossier est à l'état « {state_label(instance)} »."]
    reasons = []
    for cond in transition_.conditions:
        if cond(instance):
            continue
        message = getattr(cond, "refusal_message", None)
        if callable(message):
            message = message(instance)
        reasons.append(message or "Une condition de cette étape n'est pas remplie.")
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
            raise PermissionDenied("Vous n'êtes pas autorisé(e) à effectuer cette action.")
        reasons = refusal_reasons(locked, name)
        if reasons:
            raise TransitionRefused(reasons)
        getattr(locked, name)(by=user, description=comment or None, **kwargs)
        locked.save()
        if side_effects is not None:
            side_effects(locked)
    return locked


# --- The declaration of a procedure ------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """Someone told of a step without having to act (the président du directoire told of a notice)."""

    users: list
    subject: str
    summary: str
    url: str = ""


@dataclass(frozen=True)
class Procedure:
    """Everything the shared pages ask of a workflow, declared once in the workflow's ``procedure.py`` and
    registered in its ``AppConfig.ready``. Dashboards, alerts, notifications, letters, exports, search and
    the dossier pages read this and nothing else of the workflow (docs/conventions.md).

    ``effects`` run inside the transition's transaction, after the state is saved: ``effect(obj, user=...,
    comment=..., **data)`` (a letter issued, the registry updated). ``notices`` name who is told of a step
    (``notice(obj) -> Notice | None``), sent after commit by the notifications."""

    key: str
    label: str
    model: type[models.Model]
    access: Callable[[Any, Any], Access]  # (user, dossier) -> Access
    region_lookup: str  # ORM path from the dossier to its Region (an ARS officer's scope)
    open_states: tuple[str, ...]  # states of a dossier in progress
    awaiting: Callable[[Any], list]  # dossier -> the accounts that must act now
    # (dossiers queryset, accounts.directory.AccountDirectory) -> (dossier, account pks): the same answer for
    # many dossiers in a constant number of queries (the deadline alerts)
    awaiting_bulk: Callable[[Any, Any], Any] | None = None
    effects: Mapping[str, Callable[..., None]] = field(default_factory=dict)
    locks: Mapping[str, Callable[[Any], None]] = field(default_factory=dict)  # rows locked before the dossier
    notices: Mapping[str, Callable[[Any], Notice | None]] = field(default_factory=dict)
    related: tuple[str, ...] = ()  # select_related of the dossier page
    prefetch: tuple[str, ...] = ()  # prefetch_related of the dossier page
    quota_tranche_lookup: str | None = None  # ORM path to the Annexe 2 tranche: open dossiers take a place
    date_field: str | None = None  # a date the deadline alerts watch (the succession's effective date)
    created_field: str = "created_at"
    # The header search (core.search): a procedure with ``search_fields`` is one of its kinds.
    search_label: str = ""  # the group's heading ("Successions de coordonnateur")
    search_fields: tuple[str, ...] = ()  # text searched
    search_order: tuple[str, ...] = ("-pk",)
    search_scope: Callable[[Any], Any] | None = None  # user -> queryset of the dossiers the user may see
    search_row: Callable[[Any], Any] | None = None  # dossier -> core.search.Row

    @property
    def state_field(self) -> FSMFieldMixin:
        return _fsm_field(self.model)


_procedures: dict[type[models.Model], Procedure] = {}


def register_procedure(procedure: Procedure) -> None:
    """Called once per workflow, from its ``AppConfig.ready``."""
    _procedures[procedure.model] = procedure
    if procedure.search_fields:
        register_search_kind(
            Kind(
                key=procedure.key,
                label=procedure.search_label or procedure.label,
                scope=procedure.search_scope,
                fields=procedure.search_fields,
                order=procedure.search_order,
                row=procedure.search_row,
                numbered=True,
            )
        )


def procedures() -> list[Procedure]:
    return list(_procedures.values())


def procedure_for(model_or_instance) -> Procedure | None:
    model = model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)
    return _procedures.get(model._meta.concrete_model)


def awaiting(obj) -> list:
    """The accounts that must act now on a registered dossier (its procedure's ``awaiting``)."""
    return procedure_for(obj).awaiting(obj)


def dossier_access(user, obj) -> Access:
    """The access of ``user`` to any registered dossier (NONE for what is not a dossier)."""
    procedure = procedure_for(obj) if obj is not None else None
    return procedure.access(user, obj) if procedure else Access.NONE


# --- The one way to act on a dossier -------------------------------------------------------------------


def comment_prompt(instance: models.Model, name: str) -> str | None:
    """The French prompt of a transition that requires a comment (``custom={"comment": "Indiquez…"}``);
    None when the comment is optional."""
    meta = getattr(instance, name)._django_fsm
    for transition_ in meta.transitions.values():
        required = transition_.custom.get("comment")
        if required:
            return "Un message est obligatoire pour cette action." if required is True else str(required)
    return None


def act(
    instance: models.Model,
    name: str,
    *,
    user,
    comment: str = "",
    from_button: bool = False,
    **data,
) -> models.Model:
    """Run the transition ``name`` of a registered dossier: the required comment, then (locked) the
    permission, the state and conditions, the transition logged with who and why, and the declared effects,
    all in one transaction. ``from_button``: the generic action form of a dossier page, which may run
    only the transitions that are not ``hidden`` (those with their own form go through their service).

    Raises ``PermissionDenied`` (the user may not run it), ``TransitionRefused`` (the state, a condition, a
    missing comment or an unknown action)."""
    procedure = procedure_for(instance)
    if procedure is None:
        raise TypeError(f"{type(instance).__name__} is not a registered procedure")
    transitions = {t.name: t for t in procedure.state_field.get_all_transitions(procedure.model)}
    if name not in transitions or (from_button and transitions[name].custom.get("hidden")):
        raise TransitionRefused(["Cette action ne peut pas être effectuée ici."])
    comment = (comment or "").strip()
    prompt = comment_prompt(instance, name)
    if prompt and not comment:
        raise CommentRequired(prompt)
    effect = procedure.effects.get(name)
    side_effects = (lambda locked: effect(locked, user=user, comment=comment, **data)) if effect else None
    with transaction.atomic():
        if lock := procedure.locks.get(name):
            lock(instance)  # e.g. the Annexe 2 quota row, so that two decisions on one quota are serialised
        return run_transition(instance, name, user=user, comment=comment, side_effects=side_effects)


# --- What every dossier page shares ----------------------------------------------------------------


def dossier_or_404(user, model: type[models.Model], pk, needed: Access = Access.READ, queryset=None):
    """The dossier ``pk`` with the declared related rows, or 404 outside the user's scope, 403 when the user
    reads it but ``needed`` is WRITE."""
    procedure = procedure_for(model)
    if queryset is None:
        queryset = model._default_manager.select_related(*procedure.related).prefetch_related(*procedure.prefetch)
    qs = queryset
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    require(procedure.access(user, obj), needed)
    return obj


def refusal_messages(request, exc: Exception) -> None:
    """Put the French reasons of a refused action (``TransitionRefused`` or ``ValidationError``) in the
    page's messages, one each."""
    reasons = exc.reasons if isinstance(exc, TransitionRefused) else getattr(exc, "messages", [str(exc)])
    for reason in reasons:
        messages.error(request, reason)


def timeline(instance: models.Model) -> list:
    """The dossier's history: every logged transition (who, when, from, to, why) with its states' French
    labels, in time order."""
    labels = dict(_fsm_field(type(instance)).flatchoices)
    logs = list(StateLog.objects.for_(instance).select_related("by").order_by("timestamp", "pk"))
    for log in logs:
        log.source_label = str(labels.get(log.source_state, log.source_state or "—"))
        log.target_label = str(labels.get(log.state, log.state))
    return logs
