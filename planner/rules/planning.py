"""What a plan's rules see: several sessions' elections side by side, with the bureau history.

A plan's own rules (the fairness rules, and the hard rules that reach across sessions, such as a
limit on consecutive terms) are written once against one Backend per session, like the rules of
one slate: evaluated on planned slates they check a plan, built on CP-SAT variables they are
posted to the joint model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from planner.domain.case import PastOfficer
from planner.rules.base import Backend, on_bureau

if TYPE_CHECKING:
    from planner.rules.election import Election

E = TypeVar("E")
Term = Any  # a Backend's value, or a constant 0/1 from the history (folded where it decides)


class PlanBackend(Backend[E], Protocol[E]):
    def at_least(self, expr: E, k: int) -> E:
        """1 where expr >= k, else 0."""
        ...


@dataclass(frozen=True)
class PlanView:
    sessions: tuple[int, ...]  # in order
    elections: tuple[Election, ...]  # one per session
    history: tuple[PastOfficer, ...]  # the bureau history (sessions before the plan)
    willing: Callable[[str, int], bool]  # whether a State may be planned at a session at all
    known: dict[int, str] = field(default_factory=dict)  # session -> its head post's known holder

    @cached_property
    def _history_by_session(self) -> dict[int, frozenset[str]]:
        out: dict[int, set[str]] = {}
        for h in self.history:
            out.setdefault(h.session, set()).add(h.state)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def served_before(self) -> frozenset[str]:
        """States on a bureau before the plan's first session."""
        first = self.sessions[0]
        return frozenset(h.state for h in self.history if h.session < first)

    def on(self, bs: Sequence[PlanBackend[Any]], session: int, state: str) -> Term:
        """Whether the State is on the bureau of a session: planned (a Backend's value) or from
        the history (0 or 1)."""
        if session in self.sessions:
            t = self.sessions.index(session)
            el = self.elections[t]
            return on_bureau(el, bs[t], state) if state in el.rank else 0
        return int(state in self._history_by_session.get(session, frozenset()))


def any_of(b: PlanBackend[Any], terms: Sequence[Term]) -> Term:
    """1 if any term is 1 (terms are 0/1), folding constants so that a plain evaluation and
    the model take the same path."""
    if any(isinstance(t, int) and t >= 1 for t in terms):
        return 1
    live = [t for t in terms if not isinstance(t, int)]
    return b.at_least(b.total(live), 1) if live else 0


def all_of(b: PlanBackend[Any], terms: Sequence[Term]) -> Term:
    """1 if every term is 1 (terms are 0/1)."""
    if any(isinstance(t, int) and t <= 0 for t in terms):
        return 0
    live = [t for t in terms if not isinstance(t, int)]
    return b.at_least(b.total(live), len(live)) if live else 1


def is_zero(term: object) -> bool:
    """Whether a term is the constant 0 (a model's expression never is)."""
    return isinstance(term, int) and term == 0


def negated(b: PlanBackend[Any], term: Term) -> Term:
    return 1 - term if isinstance(term, int) else b.total([1, b.scaled(term, -1)])
