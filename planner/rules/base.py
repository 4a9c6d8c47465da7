"""What a rule is, what it is applied to (the election, the profile, a plan's view), and the
faces every rule shares.

A rule states its constraints once, through a Backend: evaluated on a given slate (plain Python
integers) they check it; built on CP-SAT variables they are posted to the model; built as linear
forms (planner.rules.forms) they let the enumeration count and list slates and let `carries`
(planner.rules.reduce) tell which rules an officer is needed for. So no face can drift from
another; tests hold them to it. Preferences and fairness rules are written the same way.

What a rule is and what it reads are defined together here, since each refers to the other (a
rule reads an election; an election holds its profile's rules): one module, so that no import
goes in a circle.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, repeat
from operator import attrgetter
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from planner.domain.body import Body
from planner.domain.case import Case, Nomination, PastOfficer
from planner.domain.names import normalise
from planner.domain.rotation import Turn
from planner.domain.slate import NO_GROUP, Slate, state_orders
from planner.domain.status import Assessment, StateStatus
from planner.rules.facts import FACTS, IMPLICIT
from planner.rules.forms import Form, FormBackend, Key, difference, form_range

E = TypeVar("E")
T = TypeVar("T")
Scope = tuple[str, ...]
OPS = ("==", ">=", "<=")
Term = Any  # a plan Backend's value, or a constant 0/1 from the history (folded where it decides)


class Backend(Protocol[E]):
    """What a rule may say about a slate: who holds what, sums, and caps."""

    def holds(self, state: str, post: str) -> E: ...

    def total(self, terms: Iterable[E]) -> E: ...

    def capped(self, expr: E, cap: int) -> E:
        """min(expr, cap)."""
        ...

    def scaled(self, expr: E, factor: int) -> E: ...


@dataclass(frozen=True)
class Need(Generic[E]):
    """One constraint: lhs op rhs, with what it says in words."""

    lhs: E
    op: str  # '==', '>=', '<='
    rhs: E | int
    says: str


class EvalBackend:
    """The rules evaluated on a given slate."""

    def __init__(self, slate: Slate) -> None:
        self.count = Counter((seat.state, seat.post) for seat in slate)
        self.seated = frozenset(seat.state for seat in slate)
        # each State's posts on the slate: a State holds one or two, the bureau has many
        self.posts_of: dict[str, list[str]] = {}
        for seat in slate:
            self.posts_of.setdefault(seat.state, []).append(seat.post)
        # seats whose officer remained in office pending a successor (not elected now)
        self.held_over = Counter((seat.state, seat.post) for seat in slate if seat.holdover)
        # the persons the slate names, by seat, over the nominations' persons
        self.persons = {(seat.state, seat.post): seat.representative
                        for seat in slate if seat.representative}

    def elected(self, state: str, post: str) -> int:
        return self.count[(state, post)] - self.held_over[(state, post)]

    def on_bureau(self, state: str, posts: Sequence[str]) -> int:
        # a State off the slate holds nothing: no need to ask post by post
        held = self.posts_of.get(state)
        return sum(1 for p in held if p in posts) if held else 0

    def holds(self, state: str, post: str) -> int:
        return self.count[(state, post)]

    def total(self, terms: Iterable[int]) -> int:
        return sum(terms)

    def capped(self, expr: int, cap: int) -> int:
        return min(expr, cap)

    def scaled(self, expr: int, factor: int) -> int:
        return expr * factor


def holds_need(need: Need[int]) -> bool:
    rhs = need.rhs
    assert isinstance(rhs, int)
    if need.op == "==":
        return need.lhs == rhs
    if need.op == ">=":
        return need.lhs >= rhs
    return need.lhs <= rhs


def who_may_hold(b: Backend[E], states: Iterable[str]) -> Iterable[str]:
    """The States whose terms can be other than zero: on a given slate, the States on it (the
    rest hold nothing, so a sum or a need of theirs is 0); in a model or a form, all."""
    if isinstance(b, EvalBackend):
        return [s for s in states if s in b.seated]
    return states


def on_bureau(el: Election, b: Backend[E], state: str) -> E:
    if isinstance(b, EvalBackend):
        return b.on_bureau(state, el.body.post_names)
    return b.total(b.holds(state, p) for p in el.body.post_names)


def officers(el: Election, b: Backend[E], states: Iterable[str]) -> E:
    if isinstance(b, EvalBackend):
        # the same sum, read only for the States on the slate (the rest hold nothing)
        posts = el.body.post_names
        if isinstance(states, Among) and len(b.seated) < len(states):
            return sum(b.on_bureau(s, posts) for s in b.seated if s in states.members)
        return sum(b.on_bureau(s, posts) for s in states if s in b.seated)
    return b.total(on_bureau(el, b, s) for s in states)


def listing(names: Sequence[str], limit: int = 6) -> str:
    names = list(names)
    if not names:
        return "none"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def group_label(group: str) -> str:
    return "States in no regional group" if group == NO_GROUP else f"the {group}"


# ---------------------------------------------------------------------------------------------
# A plan's view: several sessions' elections side by side (planner.rules.planning)


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



# ---------------------------------------------------------------------------------------------
# Kinds


@dataclass(frozen=True)
class Param:
    """How a profile gives one parameter of a kind: its words, and what it may be. The type
    is the field's default's (a whole number, text, true/false, a list of text)."""

    about: str
    choices: tuple[str, ...] = ()  # the values it may take, where they are fixed
    among: str = ""  # or one of the profile's own: "posts" (its posts' names)
    low: int = 0
    high: int = 1000
    required: bool = False  # a profile must give it


def param(default: T, about: str, *, choices: tuple[str, ...] = (), among: str = "",
          low: int = 0, high: int = 1000, required: bool = False) -> T:
    """A kind's parameter, read from the profile by the one generic reader
    (planner.rules.profile) and documented from `about`."""
    spec = Param(about, choices, among, low, high, required)
    made: T = field(default=default, metadata={"param": spec})
    return made



@dataclass(frozen=True)
class Complaint:
    """A profile's parameters that do not fit together: the key, what is wrong, the fix."""

    key: str
    message: str
    fix: str


@dataclass(frozen=True)
class SeatHeld:
    """A seat a rule sets apart (a constituency's, a quota's) and who on a slate holds it: of
    `holders`, `seats` hold it; where there are more holders than seats, any of them may be said
    to (a group whose three officers include two small island States)."""

    rule: str  # the rule's name
    group: str  # the regional group the seat falls in, or "" for the bureau as a whole
    holders: tuple[str, ...]
    seats: int

    def said(self) -> str:
        if self.seats >= len(self.holders):
            who = " and ".join(self.holders) if len(self.holders) < 3 else listing(
                list(self.holders), 10)
        elif self.seats == 1:
            who = " or ".join(self.holders) + " (either qualifies)" if len(
                self.holders) == 2 else f"one of {listing(list(self.holders), 10)}"
        else:
            who = f"{self.seats} of {listing(list(self.holders), 10)}"
        where = f" ({self.group})" if self.group else ""
        return f"{self.rule}{where}: {who}"


@dataclass(frozen=True)
class Kind:
    """What every rule and preference kind shares: its name in a profile, its citation and
    words, the facts it reads (planner.rules.facts: beyond a State's group and whether it may
    sit, which every kind reads), and its parameters (fields made with `param`)."""

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset()
    id: str
    citation: str
    wording: str
    label: str = field(default="", kw_only=True)  # a few words naming the rule, for tables

    @property
    def name(self) -> str:
        """What people read for the rule where its full wording does not fit."""
        return self.label or self.id.replace("_", " ")

    @classmethod
    def params(cls) -> tuple[tuple[str, Any, Param], ...]:
        """(name, default, how it is given) of each parameter, in the order written."""

        return tuple((f.name, f.default, f.metadata["param"]) for f in dataclasses.fields(cls)
                     if "param" in f.metadata)

    def validate(self, body: Body) -> Iterator[Complaint]:
        """What in its parameters does not fit the body (most kinds: nothing)."""
        return iter(())

    def notes(self, el: Election) -> Iterator[str]:
        """What the kind assumed at this election, to be said with every result."""
        return iter(())

    def most_officers(self, body: Body, group: str) -> int | None:
        """The most officers this kind alone lets one group hold (None: it does not bound
        them)."""
        return None

    def least_officers(self, body: Body, group: str) -> int:
        """The fewest officers this kind alone lets one group hold."""
        return 0

    def attributes_read(self) -> frozenset[str]:
        """The attributes (attributes table, nominations' own columns) the kind reads, by
        name as normalised (most kinds: none)."""
        return frozenset()

    def seats_set_apart(self, el: Election, slate: Slate) -> Iterator[SeatHeld]:
        """The seats this kind sets apart (a quota's, a constituency's) and who on the slate
        holds each (most kinds: none)."""
        return iter(())

    def pinned(self, el: Election) -> frozenset[str]:
        """The States this kind requires on the bureau one by one (a seat kept for a named
        State, the presiding State's post): a reduced election keeps them all, however alike
        (most kinds: none)."""
        return frozenset()

    def may_hold_seat(self, el: Election, state: str) -> bool | None:
        """Whether the State could hold a seat this kind sets apart (None: it sets none)."""
        return None

    def causes(self, el: Election, scope: Scope) -> Iterator[tuple[str, str]]:
        """Where this rule instance is in a conflict: the facts that most likely make it bind,
        in a sentence naming States, groups and posts, with what would settle it (most kinds:
        nothing; the rules' own words follow in any case)."""
        return iter(())


@dataclass(frozen=True)
class Rule(Kind, ABC):
    """A hard rule: every slate must meet it. One instance per scope (a group, say).

    A scope whose first element is a group (or NO_GROUP) declares that the instance concerns
    that group's officers only; the enumeration checks the declaration against the
    constraints themselves."""

    # every post is filled as the profile's posts say (a slate leaving a seat empty breaks it)
    fills_posts: ClassVar[bool] = False
    # the bureau's own shape (posts filled, one post a State): in a conflict, never the rule
    # anyone would drop, so not listed among those that cannot all hold (the JSON has it)
    structural: ClassVar[bool] = False

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return ((),)

    @abstractmethod
    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]: ...

    @abstractmethod
    def conflict(self, el: Election, scope: Scope) -> str:
        """The facts that make this rule bind, for an explanation of infeasibility."""

    def title(self, scope: Scope) -> str:
        return f"{self.citation} ({', '.join(scope)})" if scope else self.citation

    def across(self, view: PlanView, bs: Sequence[PlanBackend[Any]]) -> Iterator[Need[Any]]:
        """What the rule asks across a plan's sessions, beyond each session alone (most rules:
        nothing)."""
        return iter(())

    def plan_notes(self, case: Case, sessions: Sequence[int]) -> Iterator[str]:
        """What a plan of these sessions cannot apply of the rule, in words (most: nothing)."""
        return iter(())


@dataclass(frozen=True)
class Preference(Kind, ABC):
    """A soft rule: among valid slates, one value to make as high (or low) as possible."""

    maximise: ClassVar[bool]
    # the planner's own order among equally good slates, not a rule: no officer is needed for
    # it, and what it decides is said as a tie-break
    planners_own: ClassVar[bool] = False
    # comes before a plan's fairness too: a plan meets it as each session alone can (seats
    # filled: a plan never leaves a seat open to be fairer)
    before_fairness: ClassVar[bool] = False

    @abstractmethod
    def value(self, el: Election, b: Backend[E]) -> E: ...

    def bounds(self, el: Election) -> tuple[int, int] | None:
        """Bounds of the value where a kind knows them without building its form (None: read
        them from the form)."""
        return None

    def signed(self, el: Election, b: Backend[E]) -> E:
        """The value to minimise."""
        v = self.value(el, b)
        return b.scaled(v, -1) if self.maximise else v


@dataclass(frozen=True)
class FairnessRule(ABC):
    """A rule of a plan's fairness (planner.rules.fairness): a count to make as small as
    possible, per group."""

    id: ClassVar[str]
    wording: ClassVar[str]
    label: ClassVar[str]  # a few words, for tables
    # the facts it reads (planner.rules.facts), beyond a State's group and standing
    reads: ClassVar[frozenset[str]] = frozenset({"history"})
    # every breach needs a State on two bureaus (two of the plan, or one before it and one in
    # it): in a group where no State serves twice, nor at all after serving before, the rule
    # is never broken
    two_terms: ClassVar[bool] = False
    # what floors() reads of a group's States, beside the seats, in the words of a plan's note
    floors_read: ClassVar[str] = ""
    # whether the joint model is given the floors as bounds on the group's counts (besides
    # proving a plan that meets them, and stating a gap)
    floors_posted: ClassVar[bool] = True

    @abstractmethod
    def terms(self, view: PlanView, bs: Sequence[PlanBackend[Any]],
              skip: frozenset[str] = frozenset()) -> Iterator[tuple[str, Term]]:
        """(group, 0/1 or count) for each time the rule is broken, in every group but those
        in skip (whose terms are not even built: the joint model leaves out what it knows is
        0)."""

    @abstractmethod
    def most(self, view: PlanView) -> int:
        """An upper bound of the count on any plan of the view, for the lexicographic weights."""

    def at_zero(self, view: PlanView, bs: Sequence[PlanBackend[Any]]) -> Iterator[Need[Any]]:
        """What every plan that never breaks the rule also meets, said plainly (posted where
        the rule must hold, it lets the solver bound a plan; most rules: nothing)."""
        return iter(())

    def once_at_zero(self, view: PlanView) -> frozenset[str]:
        """The groups in which at_zero says no State serves twice, nor at all if it served
        before (most rules: none)."""
        return frozenset()

    def forced(self, view: PlanView, pinned: Sequence[frozenset[str]],
               seats: Callable[[int, str], int]) -> int:
        """How many times every plan of the view breaks the rule, counted: from the States
        the rules pin to the bureau of the plan's t-th session (pinned[t]) and the most
        officers a group can have there (seats(t, group)). A bound from below that lets a
        plan meeting it be known optimal without the joint model (most rules: 0)."""
        return 0

    def floors(self, view: PlanView) -> dict[str, int]:
        """How many times every plan of the view breaks the rule in each group, counted from
        who can take the seats the rules give the group at each session: a bound from below
        per group (posted to the joint model, where the solver alone cannot prove it; most
        rules: none)."""
        return {}



# ---------------------------------------------------------------------------------------------
# Standings under the treaty


# standings a rule may require of an officer, in the words the rules use
CONDITIONS = {
    "party_to_convention": "party to the Convention",
    "convention_and_a_protocol": "party to the Convention and to one or more of the Protocols "
                                 "in force",
    "convention_and_all_protocols": "party to the Convention and to all the Protocols in force",
    "all_instruments": "party to every instrument in force",
}


# the same standings, short, for column headers (a legend gives the words above)
CONDITION_LABELS = {
    "party_to_convention": "party",
    "convention_and_a_protocol": "Convention + a Protocol",
    "convention_and_all_protocols": "Convention + all Protocols",
    "all_instruments": "every instrument",
}


def qualifies(el: Election, state: str, condition: str) -> bool:
    """Whether the State meets a standing of CONDITIONS at the opening."""
    return state in meeting(el, condition)


def meeting(el: Election, condition: str) -> frozenset[str]:
    """The States that meet a standing at the opening, read once per assessment (which a
    reduced election shares with the whole one)."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}")
    known: dict[str, frozenset[str]] = el.assessment.__dict__.setdefault("_meeting", {})
    if condition not in known:
        in_force = el.assessment.in_force
        convention = next((i.id for i in in_force if i.kind == "convention"), None)
        protocols = [i.id for i in in_force if i.is_protocol]
        every = [i.id for i in in_force]

        def meets(held: tuple[str, ...]) -> bool:
            party = convention is not None and convention in held
            if condition == "party_to_convention":
                return party
            if condition == "convention_and_a_protocol":
                return party and any(p in held for p in protocols)
            if condition == "convention_and_all_protocols":
                return party and all(p in held for p in protocols)
            return bool(every) and all(i in held for i in every)

        # States hold a few sets of instruments between them: each set is asked once
        states = el.assessment.states
        held = list(map(attrgetter("instruments"), states))
        fits = {h: meets(h) for h in set(held)}
        known[condition] = frozenset(compress(map(attrgetter("state"), states),
                                              map(fits.__getitem__, held)))
    return known[condition]


class Among(tuple[str, ...]):
    """States in a fixed order, with their set: a sum over them on a given slate reads the
    slate's few States, not the thousands of a large group (officers)."""

    members: frozenset[str]

    @classmethod
    def of(cls, states: Iterable[str]) -> Among:
        made = cls(states)
        made.members = frozenset(made)
        return made


def members_meeting(el: Election, states: tuple[str, ...], condition: str) -> Among:
    """The States among `states` (a group's members or the universe: the election's own
    tuples, kept with the answer) that meet a standing, in their order: read once per
    election, however many slates are checked and scored."""
    known: dict[tuple[int, str], tuple[tuple[str, ...], Among]] = el.__dict__.setdefault(
        "_members_meeting", {})
    hit = known.get((id(states), condition))
    if hit is None or hit[0] is not states:
        able = meeting(el, condition)
        hit = known[(id(states), condition)] = (states, Among.of(s for s in states if s in able))
    return hit[1]




# ---------------------------------------------------------------------------------------------
# The election and the profile


@dataclass(frozen=True)
class Election:
    case: Case
    profile: Profile
    assessment: Assessment
    turn: Turn  # whose turn it is for each rotating post, and why
    notes: tuple[str, ...]  # assumptions the planner made, to be shown with every result
    universe: tuple[str, ...]  # States that may appear in a slate: eligible, nominated, given
    # in a reduced election (planner.rules.reduce): how many States of the whole universe each
    # State stands for in counts; 1 where absent
    counts_for: Mapping[str, int] = field(default_factory=dict, compare=False)
    # and its kinds of State that stand for States left out: (the kind's States kept, how many
    # of its States were left out)
    alike: tuple[tuple[tuple[str, ...], int], ...] = field(default=(), compare=False)
    # what the rotation assumed at this session, in words (said by the rotation rules)
    rotation_said: tuple[str, ...] = field(default=(), compare=False)
    # the seats a group may leave open (planner.rules.kinds.OpenSeats), one per group, each
    # standing on a slate as a State of the group would (planner.domain.slate.open_seat)
    open_seats: tuple[StateStatus, ...] = field(default=(), compare=False)

    @property
    def body(self) -> Body:
        return self.case.body

    @property
    def opening(self) -> dt.date:
        return self.assessment.date

    @cached_property
    def status(self) -> dict[str, StateStatus]:
        return {**self.assessment.by_state(), **{o.state: o for o in self.open_seats}}

    def group(self, state: str) -> str | None:
        return self.status[state].group

    def group_or_none(self, state: str) -> str:
        return self.status[state].group or NO_GROUP

    @cached_property
    def _members(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for s in self.universe:
            out.setdefault(self.group(s) or NO_GROUP, []).append(s)
        return {g: tuple(v) for g, v in out.items()}

    def members(self, group: str) -> tuple[str, ...]:
        return self._members.get(group, ())

    @cached_property
    def groupless(self) -> tuple[str, ...]:
        """The States of the body (parties or members) that are in no group: they hold no
        group's seat, and every reading of the bureau says so."""
        return tuple(st.state for st in self.assessment.states
                     if st.party and st.group is None and st.reason == "in no regional group")

    @property
    def groups_in_play(self) -> tuple[str, ...]:
        """The body's groups, then States in no group where the universe has any."""
        extra = (NO_GROUP,) if self.members(NO_GROUP) else ()
        return (*self.body.group_names, *extra)

    def nominees(self, group: str, post: str) -> tuple[Nomination, ...]:
        """The group's nominees for the post; a State that withdrew is nominee no more."""
        return tuple(n for n in self.case.nominations
                     if n.post == post and (self.group(n.state) or NO_GROUP) == group
                     and n.state not in self.case.withdrawn)

    def facts(self) -> Callable[[str], tuple[object, ...]]:
        """What the election knows of a State under the facts its profile's kinds read
        (planner.rules.facts), as a function of the State: two States with the same facts are
        alike to every rule and preference (the tie-break apart)."""
        readers = [FACTS[name].reader(self) for name in self.profile.reads]
        return lambda state: tuple([read(state) for read in readers])

    @cached_property
    def alike_in_facts(self) -> tuple[tuple[str, ...], ...]:
        """The universe split into States the election knows the same facts of (finer than
        the kinds, and linear in the number of States): asked once per election, however
        many reductions a command makes of it."""
        by_facts: dict[Any, list[str]] = {}
        facts = self.facts()
        for state in self.universe:
            by_facts.setdefault(facts(state), []).append(state)
        return tuple(tuple(v) for v in by_facts.values())

    def nominated_posts(self, state: str) -> frozenset[str]:
        return frozenset(n.post for n in self.case.nominations if n.state == state)

    @cached_property
    def rule_forms(self) -> tuple[tuple[str, Form, str, frozenset[Key]], ...]:
        """The rules' constraints as linear forms, built once for every officer's `carries`."""
        return rule_forms(self)

    @cached_property
    def preference_forms(self) -> tuple[tuple[str, Form, frozenset[Key]], ...]:
        return preference_forms(self)

    @cached_property
    def rank(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.universe)}

    @cached_property
    def last_served(self) -> dict[str, int]:
        """The last session each State was on the bureau, from the bureau history."""
        out: dict[str, int] = {}
        for h in self.case.history:
            if h.session < self.case.session.number:
                out[h.state] = max(out.get(h.state, 0), h.session)
        return out

    @cached_property
    def turn_rank(self) -> dict[str, int]:
        """The tie-break's order: States that never served, then those that served longest
        ago (bureau history), then alphabetical order."""
        last = self.last_served
        # the keys made in C and sorted as tuples (state_order ends with the name itself, so
        # no two keys tie): no Python key function called per State of thousands
        keyed = sorted(zip(map(last.get, self.universe, repeat(0)),
                           state_orders(self.universe), strict=True))
        return {name: i for i, (_last, (_key, name)) in enumerate(keyed)}

    @property
    def tie_basis(self) -> str:
        """What the tie-break goes by, in words."""
        if any(s in self.last_served for s in self.universe):
            return ("States that served on the bureau least recently (bureau history) first, "
                    "then alphabetical order")
        return "alphabetical order (no bureau history to go by)"

    @property
    def president_group(self) -> str | None:
        """The head rotating post's group at this session."""
        return self.turn.president_group

    @property
    def rapporteur_group(self) -> str | None:
        """The group of the post that follows the head post."""
        return self.turn.rapporteur_group

    @property
    def rotation_basis(self) -> str:
        return self.turn.basis

    def post_group(self, post: str) -> str | None:
        return self.turn.group(post)

    def turn_basis(self, post: str) -> str:
        """Why the post's group is the one whose turn it is, in words."""
        found = self.turn.of(post)
        return found.basis if found is not None else "the post does not rotate"

    def rotation_notes(self, post: str) -> tuple[str, ...]:
        """What the rotation assumed for the post at this session."""
        session = self.case.session.number
        out: list[str] = []
        if self.post_group(post) is None:
            out.append(f"No regional group is named for the {post} at session {session}: the "
                       "post is open to every group.")
        out.extend(self.rotation_said)
        return tuple(out)

    def person_of(self, b: object, state: str, post: str) -> str:
        """The person who holds the seat: the slate's representative where the backend reads
        a slate that names one, else the nomination's person (else '')."""
        on_slate = b.persons.get((state, post)) if isinstance(b, EvalBackend) else None
        return on_slate or next((n.person for n in self.case.nominations
                                 if (n.state, n.post) == (state, post)), "")


@dataclass(frozen=True)
class Profile:
    name: str
    body: Body
    rules: tuple[Rule, ...]
    preferences: tuple[Preference, ...]  # in order; the tie-break is always last
    fairness: tuple[str, ...]  # the plan's fairness rules, in order
    fairness_condition: str | None  # the standing protocol_seat_repeats follows
    source: str
    notes: tuple[str, ...]  # what the profile assumes where a text was not found
    default_case: str | None
    path: str
    # the facts the profile's fairness rules read (planner.rules.fairness), beyond its rules'
    fairness_reads: frozenset[str] = frozenset()

    def most_officers(self, group: str) -> int:
        """The most officers the rules let one group hold: the least any rule allows it, and
        never more than the posts left once every other group has the fewest its rules
        allow (the bureau has so many posts, and the rules fill them)."""
        body = self.body
        most = body.total_posts
        for r in self.rules:
            bound = r.most_officers(body, group)
            if bound is not None:
                most = min(most, bound)
        others = sum(max((r.least_officers(body, g) for r in self.rules), default=0)
                     for g in body.group_names if g != group)
        return max(0, min(most, body.total_posts - others))

    @property
    def open_seats(self) -> bool:
        """Whether a group may leave a seat open (a rule of kind open_seats)."""
        return any(r.kind == "open_seats" for r in self.rules)

    def conditions(self) -> tuple[str, ...]:
        """The standings the rules and preferences ask about, in CONDITIONS order."""
        used = {getattr(x, "condition", None) for x in (*self.rules, *self.preferences)}
        used.add(self.fairness_condition)
        return tuple(c for c in CONDITIONS if c in used)

    @cached_property
    def reads(self) -> tuple[str, ...]:
        """The facts the profile's kinds read (planner.rules.facts), in the registry's order:
        the two every kind reads, and those its rules, preferences and fairness rules
        declare."""
        named = {f for x in (*self.rules, *self.preferences) for f in x.reads}
        named |= self.fairness_reads
        return tuple(f for f in FACTS if f in IMPLICIT or f in named)

    def unread(self, case: Case) -> tuple[str, ...]:
        """Notes for the data a case gives that no rule of the profile reads: it changes
        nothing, and the user should know."""
        out = []
        for name, fact in FACTS.items():
            given = fact.supplied(case)
            if given and name not in self.reads:
                out.append(f"The case gives {given}, but no rule of the {self.name} profile "
                           f"reads {name.replace('_', ' ')}: it changes nothing here.")
        read = {a for x in (*self.rules, *self.preferences) for a in x.attributes_read()}
        # the attributes table's names where the table is read at all (else the note above
        # says so once), and the nominations' own columns
        given_names = {a.attribute for a in case.attributes} if "attributes" in self.reads \
            else set()
        given_names |= {a for n in case.nominations for a, _v in n.attributes}
        if given_names:
            for attribute in sorted(given_names, key=normalise):
                if normalise(attribute) not in read:
                    out.append(f"The case gives the attribute {attribute!r}, but no rule of the "
                               f"{self.name} profile reads it: it changes nothing here (a "
                               "misspelt name?).")
        return tuple(out)

    def rule(self, rule_id: str) -> Rule | Preference | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return next((p for p in self.preferences if p.id == rule_id), None)


# ---------------------------------------------------------------------------------------------
# The checking face


@dataclass(frozen=True)
class Outcome:
    rule: str
    citation: str
    scope: Scope
    passed: bool
    message: str


BOUND_WORDS = {"==": "exactly", ">=": "at least", "<=": "at most"}


def asked(op: str, rhs: object) -> str:
    """What a rule asks of a count, in words: "the rule allows none", "the rule asks for at
    least 2"."""
    if rhs == 0 and op in ("==", "<="):
        return "the rule allows none"
    if op == "<=":
        return f"the rule allows at most {rhs}"
    return f"the rule asks for {BOUND_WORDS[op]} {rhs}"


def check(el: Election, slate: Slate) -> tuple[Outcome, ...]:
    """Each rule instance, passed or failed with the reason, on a given slate."""
    b = EvalBackend(slate)
    out: list[Outcome] = []
    for rule in el.profile.rules:
        for scope in rule.scopes(el):
            failed = [n for n in rule.needs(el, scope, b) if not holds_need(n)]
            if failed:
                text = f"{rule.citation}: " + "; ".join(
                    f"{n.says}: {asked(n.op, n.rhs)}, this slate has {n.lhs}" for n in failed)
            else:
                text = rule.wording
            out.append(Outcome(rule.id, rule.title(scope), scope, not failed, text))
    return tuple(out)


def seats_held(el: Election, slate: Slate) -> tuple[SeatHeld, ...]:
    """Every seat the rules set apart, with who on the slate holds it."""
    return tuple(x for rule in el.profile.rules for x in rule.seats_set_apart(el, slate))


def score(el: Election, slate: Slate) -> dict[str, int]:
    b = EvalBackend(slate)
    return {p.id: p.value(el, b) for p in el.profile.preferences}


def preference_weights(el: Election) -> dict[str, int]:
    """Weights that make one weighted sum order slates exactly as the preferences in turn do:
    each level weighs more than the whole range of every level after it."""
    weights: dict[str, int] = {}
    weight = 1
    for pref in reversed(el.profile.preferences):
        weights[pref.id] = weight
        known = pref.bounds(el)
        lo, hi = known if known is not None else form_range(pref.value(el, FormBackend()),
                                                            el.body.total_posts)
        weight *= hi - lo + 1
    return weights


def objective(el: Election, b: Backend[E], weights: dict[str, int] | None = None) -> E:
    """The preferences as one weighted sum to minimise: the one objective every face uses."""
    weights = weights or preference_weights(el)
    return b.total(b.scaled(p.signed(el, b), weights[p.id]) for p in el.profile.preferences)


def cost(el: Election, slate: Slate, weights: dict[str, int] | None = None) -> int:
    """The objective on a given slate (lower is better)."""
    return objective(el, EvalBackend(slate), weights)


def rule_forms(el: Election) -> tuple[tuple[str, Form, str, frozenset[Key]], ...]:
    """Every constraint of every rule instance as (rule id, lhs - rhs, op, the pairs it names),
    read through the linear-form backend."""
    fb = FormBackend()
    out = []
    for rule in el.profile.rules:
        for scope in rule.scopes(el):
            for need in rule.needs(el, scope, fb):
                diff = difference(need.lhs, need.rhs)
                out.append((rule.id, diff, need.op, frozenset(diff.support())))
    return tuple(out)


def preference_forms(el: Election) -> tuple[tuple[str, Form, frozenset[Key]], ...]:
    """Each preference's value to minimise as a linear form, but the tie-break: it is no rule,
    and no State is needed for it."""
    fb = FormBackend()
    out = []
    for pref in el.profile.preferences:
        if not pref.planners_own:
            form = pref.signed(el, fb)
            out.append((pref.id, form, frozenset(form.support())))
    return tuple(out)
