"""The one helper the workflow tests build their transition × source-state matrices with
(docs/conventions.md): read from the state machine declared on the model, so a new transition or state
is in every matrix without editing a test."""

from __future__ import annotations

from dataclasses import dataclass

from core.workflow import state_field


@dataclass(frozen=True)
class Case:
    transition: str
    state: str
    allowed: bool  # the transition leaves this state (permission and conditions aside)

    @property
    def id(self) -> str:
        return f"{self.transition}-from-{self.state}"


def declared_transitions(model) -> list:
    """Every declared transition, one entry per (name, source) as django-fsm lists them."""
    return list(state_field(model).get_all_transitions(model))


def transition_names(model) -> list[str]:
    return sorted({t.name for t in declared_transitions(model)})


def sources(model) -> dict[str, set[str]]:
    """Transition name -> the states it leaves."""
    found: dict[str, set[str]] = {}
    for t in declared_transitions(model):
        found.setdefault(t.name, set()).add(t.source)
    return found


def states(model) -> list[str]:
    return [value for value, _label in state_field(model).flatchoices]


def transition_matrix(model) -> list[Case]:
    """Every transition × every state, with whether the declaration lets it leave that state."""
    leaving = sources(model)
    return [
        Case(name, state, state in leaving[name] or "*" in leaving[name])
        for name in transition_names(model)
        for state in states(model)
    ]


def allowed_pairs(model) -> list[tuple[str, str]]:
    """The (transition, source state) pairs the declaration allows, sorted."""
    return sorted((c.transition, c.state) for c in transition_matrix(model) if c.allowed)
