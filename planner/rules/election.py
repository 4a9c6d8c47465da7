"""What the rules need to know about one election: who can sit, who is nominated, whose turn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from planner.domain.body import POST_ORDER, PRESIDENT, RAPPORTEUR, BureauSpec
from planner.domain.case import Case, Nomination
from planner.domain.rotation import cycle_of, turns
from planner.domain.slate import NO_GROUP, Seat, Slate, state_order
from planner.domain.status import Assessment, StateStatus, assess


@dataclass(frozen=True)
class Election:
    case: Case
    assessment: Assessment
    president_group: str | None
    rapporteur_group: str | None
    rotation_basis: str
    notes: tuple[str, ...]  # assumptions the planner made, to be shown with every result
    universe: tuple[str, ...]  # States that may appear in a slate: eligible, nominated, given

    @property
    def spec(self) -> BureauSpec:
        return self.case.spec

    @property
    def opening(self) -> dt.date:
        return self.assessment.date

    @cached_property
    def status(self) -> dict[str, StateStatus]:
        return self.assessment.by_state()

    def group(self, state: str) -> str | None:
        return self.status[state].group

    @cached_property
    def _members(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for s in self.universe:
            out.setdefault(self.group(s) or NO_GROUP, []).append(s)
        return {g: tuple(v) for g, v in out.items()}

    def members(self, group: str) -> tuple[str, ...]:
        return self._members.get(group, ())

    def nominees(self, group: str, post: str) -> tuple[Nomination, ...]:
        return tuple(n for n in self.case.nominations
                     if n.post == post and (self.group(n.state) or NO_GROUP) == group)

    def nominated_posts(self, state: str) -> frozenset[str]:
        return frozenset(n.post for n in self.case.nominations if n.state == state)

    @cached_property
    def rank(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.universe)}

    def post_group(self, post: str) -> str | None:
        if post == PRESIDENT:
            return self.president_group
        if post == RAPPORTEUR:
            return self.rapporteur_group
        return None


def seat_order(el: Election, state: str, post: str) -> tuple[int, int, tuple[str, str]]:
    """President, then Vice-Presidents by group then name, then Rapporteur."""
    groups = el.spec.group_names
    group = el.group(state)
    return (POST_ORDER.get(post, 1), groups.index(group) if group in groups else len(groups),
            state_order(state))


def ordered_slate(el: Election, held: Iterable[tuple[str, str]]) -> Slate:
    """(state, post) pairs as a slate in bureau order, with the representatives the
    nominations name."""
    reps = {(n.state, n.post): n.representative for n in el.case.nominations}
    return tuple(Seat(p, s, reps.get((s, p), ""))
                 for s, p in sorted(held, key=lambda k: seat_order(el, *k)))


def _rotation(case: Case) -> tuple[str | None, str | None, str, list[str]]:
    turn = turns(case, [case.session.number])[0]
    notes = []
    for post, group in ((PRESIDENT, turn.president_group), (RAPPORTEUR, turn.rapporteur_group)):
        if group is None:
            notes.append(f"No regional group is named for the {post} at session "
                         f"{case.session.number}: the post is open to every group.")
    used = "cycle from" in turn.basis or "presidency at session" in turn.basis
    if used:
        notes.append(f"Rotation: {turn.basis}.")
        notes.extend(f"Rotation: {b}." for b in cycle_of(case).breaks)
    return turn.president_group, turn.rapporteur_group, turn.basis, notes


def prepare(case: Case, on: dt.date | None = None,
            extra_states: frozenset[str] = frozenset()) -> Election:
    """The election at the case's session (or at date on), with extra_states in the universe."""
    assessment = assess(case, on, extra_states)
    president, rapporteur, basis, notes = _rotation(case)
    if assessment.attendance_assumed:
        notes.insert(0, "No attendance list: every State party is taken as present.")
    status = assessment.by_state()
    nominated = {n.state for n in case.nominations}
    for n in case.nominations:
        group = status[n.state].group
        turn = {PRESIDENT: president, RAPPORTEUR: rapporteur}.get(n.post)
        if group is None:
            notes.append(f"{n.state} is nominated for {n.post} but is in no regional group, "
                         "so it cannot hold a group's seat.")
        elif turn is not None and turn != group:
            notes.append(f"{n.state} ({group}) is nominated for {n.post}, but the {n.post} comes "
                         f"from the {turn} at this session.")
    universe = {s.state for s in assessment.states if s.eligible} | nominated | extra_states
    return Election(
        case=case,
        assessment=assessment,
        president_group=president,
        rapporteur_group=rapporteur,
        rotation_basis=basis,
        notes=tuple(notes),
        universe=tuple(sorted(universe, key=state_order)),
    )
