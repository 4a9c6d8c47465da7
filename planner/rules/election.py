"""What the rules need to know about one election: the body's profile, who can sit, who is
nominated, whose turn it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from planner.domain.body import MEMBERSHIP, Body
from planner.domain.case import Case, Nomination
from planner.domain.rotation import cycle_of, turns
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
    president_group: str | None  # the group whose turn it is for the rotating (head) post
    rapporteur_group: str | None  # the group whose turn it is for the following post
    rotation_basis: str
    notes: tuple[str, ...]  # assumptions the planner made, to be shown with every result
    universe: tuple[str, ...]  # States that may appear in a slate: eligible, nominated, given
    # in a reduced election (planner.rules.reduce): how many States of the whole universe each
    # State stands for in counts; 1 where absent
    counts_for: Mapping[str, int] = field(default_factory=dict, compare=False)
    # and its kinds of State that stand for States left out: (the kind's States kept, how many
    # of its States were left out)
    alike: tuple[tuple[tuple[str, ...], int], ...] = field(default=(), compare=False)

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

    @property
    def groups_in_play(self) -> tuple[str, ...]:
        """The body's groups, then States in no group where the universe has any."""
        extra = (NO_GROUP,) if self.members(NO_GROUP) else ()
        return (*self.body.group_names, *extra)

    def nominees(self, group: str, post: str) -> tuple[Nomination, ...]:
        return tuple(n for n in self.case.nominations
                     if n.post == post and (self.group(n.state) or NO_GROUP) == group)

    @cached_property
    def _facts(self) -> dict[str, tuple[object, ...]]:
        case = self.case
        out: dict[str, list[object]] = {}
        for n in case.nominations:
            out.setdefault(n.state, []).append(("nominated", n.post, n.priority))
        for h in case.history:
            out.setdefault(h.state, []).append(("served", h.session, h.post))
        for name, listed in case.constituencies:
            for s in listed:
                out.setdefault(s, []).append(("in", name))
        if case.session.host is not None:
            out.setdefault(case.session.host, []).append(("host",))
        return {s: tuple(sorted(v, key=repr)) for s, v in out.items()}

    def facts(self, state: str) -> tuple[object, ...]:
        """All the election knows of a State but its name: its standing at the opening and
        every record of the case that names it (nominations, past posts, constituencies, the
        host). Rules and preferences see a State only through these (the tie-break apart)."""
        st = self.status.get(state)
        standing = None if st is None else (st.group, st.instruments, st.present, st.eligible,
                                            st.reason, st.party)
        members = self.case.members
        return (standing, members is not None and state in members,
                self._facts.get(state, ()))

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

    def post_group(self, post: str) -> str | None:
        if post == self.body.rotating_post:
            return self.president_group
        if post == self.body.following_post:
            return self.rapporteur_group
        return None


def seat_order(el: Election, state: str, post: str) -> tuple[int, int, tuple[str, str]]:
    """Posts in the body's order, then by group, then by name."""
    groups = el.body.group_names
    group = el.group(state)
    return (el.body.post_rank(post), groups.index(group) if group in groups else len(groups),
            state_order(state))


def ordered_slate(el: Election, held: Iterable[tuple[str, str]]) -> Slate:
    """(state, post) pairs as a slate in bureau order, with the representatives the
    nominations name."""
    reps = {(n.state, n.post): n.representative for n in el.case.nominations}
    return tuple(Seat(p, s, reps.get((s, p), ""))
                 for s, p in sorted(held, key=lambda k: seat_order(el, *k)))


def _rotation(case: Case) -> tuple[str | None, str | None, str, list[str]]:
    body = case.body
    turn = turns(case, [case.session.number])[0]
    notes = []
    for post, group in ((body.rotating_post, turn.president_group),
                        (body.following_post, turn.rapporteur_group)):
        if post is not None and group is None:
            notes.append(f"No regional group is named for the {post} at session "
                         f"{case.session.number}: the post is open to every group.")
    used = "cycle from" in turn.basis or "presidency at session" in turn.basis
    if used:
        notes.append(f"Rotation: {turn.basis}.")
        notes.extend(f"Rotation: {b}." for b in cycle_of(case).breaks)
    return turn.president_group, turn.rapporteur_group, turn.basis, notes


def prepare(case: Case, profile: Profile, on: dt.date | None = None,
            extra_states: frozenset[str] = frozenset()) -> Election:
    """The election at the case's session (or at date on), with extra_states in the universe."""
    assessment = assess(case, on, extra_states)
    president, rapporteur, basis, notes = _rotation(case)
    if assessment.attendance_assumed:
        what = "member" if case.body.eligibility == MEMBERSHIP else "State party"
        notes.insert(0, f"No attendance list: every {what} is taken as present.")
    status = assessment.by_state()
    nominated = {n.state for n in case.nominations}
    body = case.body
    for n in case.nominations:
        group = status[n.state].group
        turn = {body.rotating_post: president, body.following_post: rapporteur}.get(n.post)
        if group is None:
            notes.append(f"{n.state} is nominated for {n.post} but is in no regional group, "
                         "so it cannot hold a group's seat.")
        elif turn is not None and turn != group:
            notes.append(f"{n.state} ({group}) is nominated for {n.post}, but the {n.post} comes "
                         f"from the {turn} at this session.")
    for rule in profile.rules:
        if rule.kind == "host_post" and case.session.host is None:
            notes.append(f"No host is named (session key host): {rule.citation} "
                         f"({rule.id}) does not apply at this session.")
    universe = {s.state for s in assessment.states if s.eligible} | nominated | extra_states
    return Election(
        case=case,
        profile=profile,
        assessment=assessment,
        president_group=president,
        rapporteur_group=rapporteur,
        rotation_basis=basis,
        notes=tuple(notes),
        universe=tuple(sorted(universe, key=state_order)),
    )
