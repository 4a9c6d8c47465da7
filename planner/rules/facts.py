"""The facts a rule may read of a State, each named once.

A rule, preference or fairness kind declares the facts it reads (its `reads`); the election's
split of States into those it knows the same of (planner.rules.reduce) is composed from the
facts its profile's kinds declare, never listed by hand. Two States with the same declared facts
are then alike to every rule, and the reduction may set all but the first few aside. A kind that
read a fact it did not declare could make the reduction merge States it tells apart, and give a
wrong answer in silence; tests/test_facts.py runs every registered kind on generated cases with
each undeclared fact moved from State to State, and fails the kind whose constraints change.

Every kind reads the two implicit facts (a State's group, and whether it may sit); the others it
names. Each fact also says what of it a case supplies, so that a case giving data no rule of its
profile reads (nominations with no nominations rule, say) is told so instead of silently ignored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from planner.domain.case import Case
from planner.domain.status import StateStatus


class Election(Protocol):
    """What a fact reads of an election (planner.rules.base.Election): facts sit beneath the
    rules and the election, which compose them."""

    @property
    def case(self) -> Case: ...

    @property
    def status(self) -> Mapping[str, StateStatus]: ...

    def group_or_none(self, state: str) -> str: ...


@dataclass(frozen=True)
class Fact:
    name: str
    about: str  # what the fact is, in words
    # what the election knows of each State under it: given the election, a function of the
    # State (its indexes built once per election, as the reduction asks of every State)
    reader: Callable[[Election], Callable[[str], Hashable]]
    # what the case gives of the fact, in words ("a nominations table"), or None
    supplied: Callable[[Case], str | None]
    # the case with the fact's records moved between States by a mapping (for the tests that
    # hold kinds to their declarations); None for facts that name no State
    moved: Callable[[Case, Mapping[str, str]], Case] | None

    def of(self, el: Election, state: str) -> Hashable:
        return self.reader(el)(state)


def _index(rows: Iterable[tuple[str, Hashable]]) -> Callable[[str], Hashable]:
    out: dict[str, list[Hashable]] = {}
    for state, record in rows:
        out.setdefault(state, []).append(record)
    done = {s: tuple(sorted(v, key=repr)) for s, v in out.items()}
    return lambda state: done.get(state, ())


def _group(el: Election) -> Callable[[str], Hashable]:
    return el.group_or_none


def _eligibility(el: Election) -> Callable[[str], Hashable]:
    status, members = el.status, el.case.members

    def read(state: str) -> Hashable:
        st = status.get(state)
        member = members is not None and state in members
        return None if st is None else (st.present, st.eligible, st.reason, st.party, member)
    return read


def _instruments(el: Election) -> Callable[[str], Hashable]:
    status = el.status

    def read(state: str) -> Hashable:
        st = status.get(state)
        return None if st is None else st.instruments
    return read


def _nominations(el: Election) -> Callable[[str], Hashable]:
    return _index((n.state, (n.post, n.priority, n.person, n.attributes))
                  for n in el.case.nominations)


def _history(el: Election) -> Callable[[str], Hashable]:
    return _index((h.state, (h.session, h.post, h.person, h.holdover)) for h in el.case.history)


def _attributes(el: Election) -> Callable[[str], Hashable]:
    return _index([*((a.state, (a.attribute, a.value)) for a in el.case.attributes),
                   *((s, ("constituency", name)) for name, states in el.case.constituencies
                     for s in states)])


def _presiding(el: Election) -> Callable[[str], Hashable]:
    presiding = el.case.session.presidency
    return lambda state: state == presiding


def _alike(el: Election) -> Callable[[str], Hashable]:
    return lambda state: None


def _rename(mapping: Mapping[str, str], state: str) -> str:
    return mapping.get(state, state)


def _moved_deposits(case: Case, m: Mapping[str, str]) -> Case:
    return dataclasses.replace(
        case, deposits=tuple(d._replace(state=_rename(m, d.state))
                             for d in case.deposits),
        signatures=tuple(dataclasses.replace(g, state=_rename(m, g.state))
                         for g in case.signatures))


def _moved_nominations(case: Case, m: Mapping[str, str]) -> Case:
    return dataclasses.replace(case, nominations=tuple(
        dataclasses.replace(n, state=_rename(m, n.state)) for n in case.nominations))


def _moved_history(case: Case, m: Mapping[str, str]) -> Case:
    return dataclasses.replace(case, history=tuple(
        dataclasses.replace(h, state=_rename(m, h.state)) for h in case.history))


def _moved_attributes(case: Case, m: Mapping[str, str]) -> Case:
    return dataclasses.replace(
        case, attributes=tuple(dataclasses.replace(a, state=_rename(m, a.state))
                               for a in case.attributes),
        constituencies=tuple((name, frozenset(_rename(m, s) for s in states))
                             for name, states in case.constituencies))


def _moved_presidency(case: Case, m: Mapping[str, str]) -> Case:
    p = case.session.presidency
    return case if p is None else dataclasses.replace(
        case, session=dataclasses.replace(case.session, presidency=_rename(m, p)))


def _rows(what: str, n: int) -> str | None:
    return f"{what} ({n} row{'s' if n != 1 else ''})" if n else None


def _rotation_given(case: Case) -> str | None:
    s = case.session
    given = []
    if case.rotation:
        given.append(_rows("a rotation table", len(case.rotation)) or "")
    for key, value in (("president_group", s.president_group),
                       ("rapporteur_group", s.rapporteur_group),
                       ("rotation_cycle", s.rotation_cycle)):
        if value:
            given.append(f"the session key {key}")
    return " and ".join(given) or None


FACTS: dict[str, Fact] = {f.name: f for f in (
    Fact("group", "the State's regional group (every kind reads it)", _group,
         lambda c: None, None),
    Fact("eligibility", "whether the State may sit, and if not why (every kind reads it)",
         _eligibility, lambda c: None, None),
    Fact("instruments", "the instruments in force for the State at the opening",
         _instruments, lambda c: None, _moved_deposits),
    Fact("nominations", "the nominations naming the State (post, priority, person, "
         "the officer's attributes)", _nominations,
         lambda c: _rows("a nominations table", len(c.nominations)), _moved_nominations),
    Fact("history", "the bureau history naming the State (session, post, person, hold-over)",
         _history, lambda c: _rows("a bureau_history table", len(c.history)), _moved_history),
    Fact("attributes", "the State's attributes (attributes table) and constituencies",
         _attributes,
         lambda c: _rows("an attributes table", len(c.attributes))
         or _rows("a constituencies table", sum(len(s) for _n, s in c.constituencies)),
         _moved_attributes),
    Fact("presidency", "whether the State presides at the session (session key presidency)",
         _presiding,
         lambda c: f"the presiding State ({c.session.presidency})" if c.session.presidency
         else None, _moved_presidency),
    # the record of whose turn it was names groups, not States: every State alike
    Fact("rotation", "whose turn it is for the rotating posts (rotation table, session keys)",
         _alike, _rotation_given, None),
)}

# the facts every kind reads: without them there is no election to speak of
IMPLICIT = ("group", "eligibility")


def unknown_facts(names: frozenset[str]) -> list[str]:
    return sorted(n for n in names if n not in FACTS)
