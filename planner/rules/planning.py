"""What a plan's rules see: several sessions' elections side by side, with the bureau history.

A plan's own rules (the fairness rules, and the hard rules that reach across sessions, such as a
limit on consecutive terms) are written once against one Backend per session, like the rules of
one slate: evaluated on planned slates they check a plan, built on CP-SAT variables they are
posted to the joint model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# the view itself, and its backends, are defined with what a rule is (planner.rules.base)
from planner.rules.base import PlanBackend as PlanBackend
from planner.rules.base import PlanView as PlanView
from planner.rules.base import Term as Term


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
