"""The typed case: frozen domain objects (the reader in planner.io.reader builds them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from planner.domain.body import Body
from planner.domain.slate import Seat
from planner.errors import Where


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    kind: str  # convention | protocol
    entry_into_force: dt.date
    days_after_deposit: int
    adopted: dt.date | None = None

    @property
    def is_protocol(self) -> bool:
        return self.kind == "protocol"


class Deposit(NamedTuple):
    """One State's deposit of one instrument (a named tuple, not a dataclass: a large case
    holds one per row of its ratifications, made three times as fast)."""

    state: str
    instrument: str
    date: dt.date
    action: str
    # where it was read: the table, and its row unless `row` gives the row apart (as the
    # reader does: one place per table, not one made per row). Two deposits are the same
    # when every field is: the reader gives every row apart, so that one place is written
    # one way
    source: Where
    # the day a denunciation or withdrawal takes effect: no longer a party from then on
    ended: dt.date | None = None
    row: int | None = None

    @property
    def where(self) -> Where:
        """Where it was read, row and all."""
        return self.source if self.row is None else self.source._replace(row=self.row)


@dataclass(frozen=True)
class Signature:
    state: str
    instrument: str
    date: dt.date | None


class Membership(NamedTuple):
    """A State's regional group (a named tuple, as Deposit: a large case holds one per
    State)."""

    state: str
    group: str


@dataclass(frozen=True)
class MemberTerm:
    """A State's term as a member of the body (a commission's or a council's members turn
    over): from and until are the first and last days it is a member (None: open)."""

    state: str
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Session:
    conference: str
    number: int
    opening_date: dt.date
    president_group: str | None
    rapporteur_group: str | None
    rotation_cycle: tuple[str, ...] | None = None  # the groups in presidency order
    rotation_start: int | None = None  # a session whose President is rotation_cycle[0]
    # the first follower's group held the head post this many sessions before (None: as the
    # profile says, 1 unless it says otherwise)
    rapporteur_offset: int | None = None
    # the State that presides (session key presidency; key host, in cases written before
    # presidency and venue were told apart, is read as it): not always where the session meets
    presidency: str | None = None
    profile: str | None = None  # the profile the case names for itself
    venue: str | None = None  # where the session meets, in words (a city, a country)
    # groups settled for this session's rotating posts, (post, group): a plan sets them for
    # the sessions it plans, as the rotation gave them
    settled: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Nomination:
    state: str
    post: str
    priority: int
    person: str  # the person the State would seat, if the nomination names one
    where: Where = field(compare=False)
    # the officer's own attributes the nomination carries (e.g. ("gender", "female")): extra
    # columns of the nominations table, sorted by attribute
    attributes: tuple[tuple[str, str], ...] = ()

    def attribute(self, name: str) -> str | None:
        return next((v for a, v in self.attributes if a == name), None)


@dataclass(frozen=True)
class Attribute:
    """One row of the attributes table: a State's value of an attribute (`ldc` yes, `region`
    AFRO); the planner never learns what an attribute means, the profile's rules name it."""

    state: str
    attribute: str
    value: str


@dataclass(frozen=True)
class RotationEntry:
    """One row of the rotation table: the group that gives a post at a session, recorded (a
    past session) or published (a later one)."""

    session: int
    post: str
    group: str


@dataclass(frozen=True)
class PastOfficer:
    """An officer of an earlier bureau (bureau_history)."""

    session: int
    post: str
    state: str
    person: str = ""  # who held it, where the record names the person
    # remained in office pending a successor (not elected at that session): not a new term
    holdover: bool = False


@dataclass(frozen=True)
class TableDate:
    """The day a treaty's status table speaks for: its own date where it was imported with its
    provenance (planner data import), else the newest date it holds."""

    instrument: str
    table: str  # the table as the case names it
    date: dt.date | None
    said: str  # where the date comes from, in words
    imported: bool = False  # dated by planner data import's provenance
    changes: str = ""  # what changed since the table it replaced, in words (import says)


@dataclass(frozen=True)
class InputFile:
    path: str
    sha256: str


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    body: Body
    instruments: tuple[Instrument, ...]
    deposits: tuple[Deposit, ...]
    signatures: tuple[Signature, ...]
    memberships: tuple[Membership, ...]
    session: Session
    attendance: frozenset[str] | None
    nominations: tuple[Nomination, ...]
    rotation: tuple[RotationEntry, ...]
    warnings: tuple[str, ...]
    files: tuple[InputFile, ...] = field(compare=False)
    schedule: tuple[tuple[int, dt.date], ...] = ()  # sessions table: later openings
    expected: tuple[Deposit, ...] = ()  # expected_ratifications: forecasts, not facts
    history: tuple[PastOfficer, ...] = ()  # bureau_history
    members: frozenset[str] | None = None  # the body's members, where membership decides
    # their terms, where the members table gives them (a member without one: always)
    terms: tuple[MemberTerm, ...] = ()
    tables: tuple[TableDate, ...] = ()  # the UNTC status tables the case reads, and their days
    constituencies: tuple[tuple[str, frozenset[str]], ...] = ()  # (name, States)
    withdrawn: frozenset[str] = frozenset()  # States that withdrew their candidacy
    attributes: tuple[Attribute, ...] = ()  # the attributes table
    # what the case supposes, not facts (the what-ifs of a consultation), in words: every
    # result made from the case says it rests on them
    suppositions: tuple[str, ...] = ()
    # States the case declares beyond the UN's (the states table, where the profile allows)
    declared: frozenset[str] = frozenset()

    def rotation_rows(self) -> tuple[tuple[int, str, str], ...]:
        """The rotation table as (session, post, group)."""
        return tuple((r.session, r.post, r.group) for r in self.rotation)

    @cached_property
    def group_of(self) -> dict[str, str]:
        return {m.state: m.group for m in self.memberships}

    @cached_property  # read for each State of the assessment
    def convention(self) -> Instrument | None:
        return next((i for i in self.instruments if i.kind == "convention"), None)

    def constituency(self, name: str) -> frozenset[str]:
        return next((states for n, states in self.constituencies if n == name), frozenset())

    def known_states(self) -> tuple[str, ...]:
        state = attrgetter("state")  # in C: a large case names its States row after row
        names = set(map(state, self.memberships))
        for rows in (self.deposits, self.signatures, self.nominations, self.expected,
                     self.history):
            names.update(map(state, rows))
        names |= self.attendance or frozenset()
        names |= self.members or frozenset()
        names |= self.withdrawn
        return tuple(sorted(names))


def case_differences(a: Case, b: Case) -> list[str]:
    """What differs between two cases, in words (empty when they agree on everything the rules
    read)."""
    out: list[str] = []
    if a.body.conference != b.body.conference:
        out.append(f"the body ({a.body.conference} / {b.body.conference})")
    if a.session.number != b.session.number:
        out.append(f"the session ({a.session.number} / {b.session.number})")
    if a.session.opening_date != b.session.opening_date:
        out.append(f"the opening date ({a.session.opening_date} / {b.session.opening_date})")
    if (a.session.president_group, a.session.rapporteur_group, a.session.presidency) != (
            b.session.president_group, b.session.rapporteur_group, b.session.presidency):
        out.append("whose turn it is, or the presiding State")
    pairs = (
        ("the nominations", lambda c: set(c.nominations)),
        ("the attributes", lambda c: set(c.attributes)),
        ("the suppositions", lambda c: set(c.suppositions)),
        ("the regional groups", lambda c: set(c.memberships)),
        ("the deposits", lambda c: {(d.state, d.instrument, d.date) for d in c.deposits}),
        ("the instruments", lambda c: {(i.id, i.entry_into_force) for i in c.instruments}),
        ("the attendance", lambda c: c.attendance),
        ("the withdrawals", lambda c: c.withdrawn),
        ("the members", lambda c: c.members),
        ("the members' terms", lambda c: set(c.terms)),
        ("the constituencies", lambda c: set(c.constituencies)),
        ("the bureau history", lambda c: set(c.history)),
    )
    for what, key in pairs:
        if key(a) != key(b):
            out.append(what)
    return out


def with_bureau(case: Case, seats: Iterable[Seat]) -> Case:
    """The case with the bureau elected at its session in its bureau history (persons and
    hold-overs as the slate gives them), in place of any rows of that session: what the next
    session's tie-break, term limits, rotation and plans read."""
    number = case.session.number
    kept = [h for h in case.history if h.session != number]
    elected = [PastOfficer(number, s.post, s.state, s.representative, s.holdover) for s in seats]
    return dataclasses.replace(case, history=tuple(sorted(
        [*kept, *elected], key=lambda h: (h.session, h.post, h.state, h.person))))
