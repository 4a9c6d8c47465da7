"""What the rules need to know about one election: the body's profile, who can sit, who is
nominated, whose turn it is."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from planner.domain.body import MEMBERSHIP, Body
from planner.domain.case import Case, Nomination
from planner.domain.rotation import Turn, cycle_of, turns
from planner.domain.slate import NO_GROUP, Seat, Slate, state_order
from planner.domain.status import Assessment, StateStatus, assess

if TYPE_CHECKING:
    from planner.rules.forms import Form, Key
    from planner.rules.profile import Profile


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

    @property
    def body(self) -> Body:
        return self.case.body

    @property
    def opening(self) -> dt.date:
        return self.assessment.date

    @cached_property
    def status(self) -> dict[str, StateStatus]:
        return self.assessment.by_state()

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
        return tuple(n for n in self.case.nominations
                     if n.post == post and (self.group(n.state) or NO_GROUP) == group)

    def facts(self) -> Callable[[str], tuple[object, ...]]:
        """What the election knows of a State under the facts its profile's kinds read
        (planner.rules.facts), as a function of the State: two States with the same facts are
        alike to every rule and preference (the tie-break apart)."""
        from planner.rules.facts import FACTS

        readers = [FACTS[name].reader(self) for name in self.profile.reads]
        return lambda state: tuple([read(state) for read in readers])

    def nominated_posts(self, state: str) -> frozenset[str]:
        return frozenset(n.post for n in self.case.nominations if n.state == state)

    @cached_property
    def rule_forms(self) -> tuple[tuple[str, Form, str, frozenset[Key]], ...]:
        """The rules' constraints as linear forms, built once for every officer's `carries`."""
        from planner.rules.base import rule_forms

        return rule_forms(self)

    @cached_property
    def preference_forms(self) -> tuple[tuple[str, Form, frozenset[Key]], ...]:
        from planner.rules.base import preference_forms

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
        order = sorted(self.universe, key=lambda s: (last.get(s, 0), state_order(s)))
        return {s: i for i, s in enumerate(order)}

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
        persons = getattr(b, "persons", {})
        named = {(n.state, n.post): n.person for n in self.case.nominations}
        return str(persons.get((state, post)) or named.get((state, post), ""))


def seat_order(el: Election, state: str, post: str) -> tuple[int, int, tuple[str, str]]:
    """Posts in the body's order, then by group, then by name."""
    groups = el.body.group_names
    group = el.group(state)
    return (el.body.post_rank(post), groups.index(group) if group in groups else len(groups),
            state_order(state))


def ordered_slate(el: Election, held: Iterable[tuple[str, str]]) -> Slate:
    """(state, post) pairs as a slate in bureau order, with the representatives the
    nominations name."""
    reps = {(n.state, n.post): n.person for n in el.case.nominations}
    return tuple(Seat(p, s, reps.get((s, p), ""))
                 for s, p in sorted(held, key=lambda k: seat_order(el, *k)))


def _rotation(case: Case) -> tuple[Turn, tuple[str, ...]]:
    turn = turns(case, [case.session.number])[0]
    said: list[str] = []
    if any("cycle from" in p.basis or "held the" in p.basis for p in turn.posts):
        cycle = cycle_of(case)
        said.append(f"Rotation: {turn.basis}.")
        if cycle.sure:
            said.append(f"Rotation: how sure: {cycle.sure}.")
        said.extend(f"Rotation: {b}." for b in cycle.breaks)
    return turn, tuple(said)


def prepare(case: Case, profile: Profile, on: dt.date | None = None,
            extra_states: frozenset[str] = frozenset()) -> Election:
    """The election at the case's session (or at date on), with extra_states in the universe."""
    assessment = assess(case, on, extra_states)
    turn, said = _rotation(case)
    notes: list[str] = []
    if assessment.attendance_assumed:
        what = "member" if case.body.eligibility == MEMBERSHIP else "State party"
        notes.append(f"No attendance list: every {what} is taken as present.")
    nominated = {n.state for n in case.nominations}
    universe = {s.state for s in assessment.states if s.eligible} | nominated | extra_states
    el = Election(
        case=case,
        profile=profile,
        assessment=assessment,
        turn=turn,
        notes=(),
        universe=tuple(sorted(universe, key=state_order)),
        rotation_said=said,
    )
    for kind in (*profile.rules, *profile.preferences):
        notes.extend(kind.notes(el))
    notes.extend(profile.unread(case))
    # each note once, in the order first said (two rotation rules share the rotation's)
    return dataclasses.replace(el, notes=tuple(dict.fromkeys(notes)))
