"""Every kind reads only the facts it declares (planner.rules.facts), so that the reduction,
which merges States with the same declared facts, never merges States a rule tells apart.

For every registered rule, preference and fairness kind, on generated cases of every profile
shape: each fact the kind does not declare is moved from State to State (among States the
election otherwise sees alike), and the kind's constraints must not change. A kind written to
read a fact it did not declare fails here (test_a_kind_reading_an_undeclared_fact_is_caught).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import assume
from hypothesis import strategies as st

from planner.domain.case import Case
from planner.rules.base import Need, Rule, Scope
from planner.rules.election import Election, prepare
from planner.rules.facts import FACTS, IMPLICIT
from planner.rules.fairness import FAIRNESS_KINDS, FairnessRule
from planner.rules.forms import FormBackend, difference
from planner.rules.kinds import RULE_KINDS
from planner.rules.planning import PlanView
from planner.rules.preferences import PREFERENCE_KINDS
from planner.rules.profile import Profile

from .kinds_lab import (
    EXAMPLES,
    KIND_IDS,
    KINDS,
    PREFERENCE_PARAMS,
    RULE_PARAMS,
    cases,
    drawn,
    profile_data,
    profile_of,
    shapes,
)


class SymBackend:
    """Every operation kept as a tree, sums in a canonical order: two readings are the same
    tree exactly when they say the same thing of the same pairs."""

    def holds(self, state: str, post: str) -> Any:
        return ("x", state, post)

    def total(self, terms: Iterable[Any]) -> Any:
        return ("+", tuple(sorted((t for t in terms), key=repr)))

    def capped(self, expr: Any, cap: int) -> Any:
        return ("min", expr, cap)

    def scaled(self, expr: Any, factor: int) -> Any:
        return ("*", expr, factor)

    def at_least(self, expr: Any, k: int) -> Any:
        return (">=", expr, k)


def reading(el: Election, section: str, kind: str) -> Any:
    """What the kind under test says on the election, as forms or trees."""
    if section == "rules":
        rule = next(r for r in el.profile.rules if r.kind == kind)
        return reading_of_rule(el, rule)
    if section == "preferences":
        pref = next(p for p in el.profile.preferences if p.kind == kind)
        return pref.signed(el, FormBackend())
    fair = FAIRNESS_KINDS[kind]
    view = PlanView((el.case.session.number,), (el,), el.case.history, lambda s, n: True)
    return sorted(((g, repr(t)) for g, t in fair.terms(view, [SymBackend()])), key=repr)


def reading_of_rule(el: Election, rule: Rule) -> Any:
    fb = FormBackend()
    return [(scope, [(n.op, difference(n.lhs, n.rhs)) for n in rule.needs(el, scope, fb)])
            for scope in rule.scopes(el)]


def declared(el: Election, section: str, kind: str) -> frozenset[str]:
    if section == "rules":
        return RULE_KINDS[kind].reads
    if section == "preferences":
        return PREFERENCE_KINDS[kind].reads
    return FAIRNESS_KINDS[kind].reads


def alike_classes(el: Election) -> list[list[str]]:
    """The universe's States by their implicit facts: moving a fact among them leaves who
    may sit, and in which group, as it was."""
    by: dict[Any, list[str]] = {}
    for s in el.universe:
        by.setdefault(tuple(FACTS[f].of(el, s) for f in IMPLICIT), []).append(s)
    return [v for v in by.values() if len(v) > 1]


def moved_case(case: Case, fact: str, mapping: dict[str, str]) -> Case:
    move = FACTS[fact].moved
    assert move is not None
    return move(case, mapping)


def undeclared_reads(el: Election, section: str, kind: str,
                     mappings: Sequence[dict[str, str]],
                     reads: frozenset[str] | None = None) -> set[str]:
    """The facts the kind does not declare but whose moving changes what it says."""
    reads = declared(el, section, kind) if reads is None else reads
    before = reading(el, section, kind)
    out = set()
    for fact, f in FACTS.items():
        if fact in reads or fact in IMPLICIT or f.moved is None:
            continue
        for mapping in mappings:
            other = prepare(moved_case(el.case, fact, mapping), el.profile)
            if other.universe != el.universe or any(
                    FACTS[i].of(other, s) != FACTS[i].of(el, s)
                    for i in IMPLICIT for s in el.universe):
                continue  # the move changed who may sit: not a test of this fact
            if reading(other, section, kind) != before:
                out.add(fact)
    return out


@st.composite
def mappings(draw: st.DrawFn, el: Election) -> list[dict[str, str]]:
    out = []
    for _ in range(2):
        mapping: dict[str, str] = {}
        for part in alike_classes(el):
            for a, b in zip(part, draw(st.permutations(part)), strict=True):
                mapping[a] = b
        out.append(mapping)
    return out


@pytest.mark.parametrize("examples", EXAMPLES)
@pytest.mark.parametrize(("section", "kind"), KINDS, ids=KIND_IDS)
def test_every_kind_reads_only_the_facts_it_declares(section: str, kind: str,
                                                     examples: int) -> None:
    drawn(examples, lambda data: reads_only_what_it_declares(section, kind, data))


def reads_only_what_it_declares(section: str, kind: str, data: st.DataObject) -> None:
    shape = data.draw(shapes())
    profile = profile_of(profile_data(data.draw, shape, section, kind))
    el = prepare(data.draw(cases(profile, shape)), profile)
    assume(alike_classes(el))
    assert undeclared_reads(el, section, kind, data.draw(mappings(el))) == set()


def test_every_registered_kind_is_drawn() -> None:
    """A kind added to a registry is drawn by the lab, so every test over KINDS covers it."""
    assert set(RULE_KINDS) == set(RULE_PARAMS)
    assert set(PREFERENCE_KINDS) == set(PREFERENCE_PARAMS)
    assert {k for s, k in KINDS if s == "fairness"} == set(FAIRNESS_KINDS)
    for kinds in (RULE_KINDS, PREFERENCE_KINDS):
        for cls in kinds.values():
            assert cls.reads <= set(FACTS), cls
    for fair in FAIRNESS_KINDS.values():
        assert isinstance(fair, FairnessRule) and fair.reads <= set(FACTS)


@dataclass(frozen=True)
class NomineesSeated(Rule):
    """A rule written as a careless contributor might: it reads the nominations but
    declares nothing."""

    kind = "nominees_seated"

    def needs(self, el: Election, scope: Scope, b: Any) -> Iterator[Need[Any]]:
        yield Need(b.total(b.holds(n.state, n.post) for n in el.case.nominations), ">=", 1,
                   "nominees seated")

    def conflict(self, el: Election, scope: Scope) -> str:
        return "no nominee"


def test_a_kind_reading_an_undeclared_fact_is_caught() -> None:
    from .factory import AF, NAMES, full_parties, make_case, prep

    a, b = NAMES[AF][:2]
    case = make_case(full_parties(2), nominations=[(a, "President", 1)])
    el = prep(case)
    rogue = NomineesSeated("rogue", "r", "w")
    profile: Profile = dataclasses.replace(el.profile, rules=(*el.profile.rules, rogue))
    el = prepare(case, profile)
    found = undeclared_reads(el, "rules", "nominees_seated", [{a: b, b: a}],
                             reads=frozenset())
    assert found == {"nominations"}
    # declared, it passes
    assert undeclared_reads(el, "rules", "nominees_seated", [{a: b, b: a}],
                            reads=frozenset({"nominations"})) == set()


def test_the_split_by_facts_is_composed_from_the_declarations() -> None:
    """The election's facts are those its profile's kinds read: a profile with no
    nominations rule does not tell nominees apart, one with it does."""
    from .factory import AF, NAMES, UNTOC_PROFILE, full_parties, make_case

    a = NAMES[AF][0]
    case = make_case(full_parties(2), nominations=[(a, "President", 1)])
    assert "nominations" in UNTOC_PROFILE.reads
    plain = dataclasses.replace(
        UNTOC_PROFILE, rules=tuple(r for r in UNTOC_PROFILE.rules if not r.reads & {
            "nominations"}), preferences=tuple(p for p in UNTOC_PROFILE.preferences
                                               if not p.reads & {"nominations"}))
    assert "nominations" not in plain.reads
    el = prepare(case, plain)
    assert any("no rule of the untoc-cop profile reads nominations" in n for n in el.notes)
    assert not any("reads nominations" in n for n in prepare(case, UNTOC_PROFILE).notes)
