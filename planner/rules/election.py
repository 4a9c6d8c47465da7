"""An election prepared: who can sit, who is nominated, whose turn it is, what was assumed
(the Election itself is defined with what a rule is, in planner.rules.base)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from planner.domain.body import MEMBERSHIP
from planner.domain.case import Case
from planner.domain.rotation import Turn, cycle_of, turns
from planner.domain.slate import (
    Seat,
    Slate,
    in_state_order,
    open_seat,
    open_seat_group,
    state_order,
)
from planner.domain.status import StateStatus, assess
from planner.io.dates import in_words
from planner.rules.base import Election as Election
from planner.rules.base import Profile


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


def _rotation(case: Case, turn: Turn | None = None) -> tuple[Turn, tuple[str, ...]]:
    """Whose turn it is (turn: where a plan has settled it), and one short note where the
    cycle (not a settled group) decided: the groups, where the cycle comes from, how sure;
    `planner rotation` gives the rest."""
    turn = turn or turns(case, [case.session.number])[0]
    said: list[str] = []
    if any(p.source in ("cycle", "swap", "follows") for p in turn.posts):
        cycle = cycle_of(case)
        groups = ", ".join(f"the {p.post} from the {p.group}" for p in turn.posts if p.group)
        sure = f"; {cycle.sure}" if cycle.sure else ""
        departs = (f"; the record departs from it at session(s) "
                   f"{', '.join(map(str, cycle.departures))}" if cycle.departures else "")
        said.append(f"Whose turn it is: {groups}, by the cycle from {cycle.evidence}{sure}"
                    f"{departs} (planner rotation gives the whole reading).")
    return turn, tuple(said)


def data_currency(case: Case, on: dt.date) -> str | None:
    """What the treaty tables cannot speak for at a date, in words, or None: they hold deposits
    up to their newest, and a question about a later day gets that day's answer only as far as
    they go (a supposed deposit is no fact of the tables)."""
    dated = [t.date for t in case.tables if t.imported and t.date]
    if case.tables and len(dated) == len(case.tables):
        # every table imported with its own date: the data speaks as far as the oldest
        oldest = min(dated)
        if on <= oldest:
            return None
        return (f"The case's treaty tables speak for the treaties up to {in_words(oldest)}, as "
                f"imported: a deposit made after that day and before {in_words(on)} is not "
                "known to them.")
    newest = max((d.date for d in case.deposits if d.action != "supposed"), default=None)
    if case.body.eligibility == MEMBERSHIP or newest is None or on <= newest:
        return None
    return (f"The case's treaty tables hold deposits up to {in_words(newest)}: a deposit made "
            f"after that day and before {in_words(on)} is not known to them.")


def prepare(case: Case, profile: Profile, on: dt.date | None = None,
            extra_states: frozenset[str] = frozenset(), turn: Turn | None = None) -> Election:
    """The election at the case's session (or at date on), with extra_states in the universe;
    turn: whose turn it is, where a plan read it for all its sessions at once (a session's
    own reading would take the sessions planned before it as the record)."""
    # a seat left open is no State to assess
    extra_states = frozenset(s for s in extra_states if open_seat_group(s) is None)
    assessment = assess(case, on, extra_states)
    turn, said = _rotation(case, turn)
    notes: list[str] = []
    if case.suppositions:
        notes.append("This case rests on suppositions, not facts: "
                     + "; ".join(case.suppositions) + ".")
    currency = data_currency(case, assessment.date)
    if currency:
        notes.append(currency)
    if assessment.attendance_assumed:
        what = "member" if case.body.eligibility == MEMBERSHIP else "State party"
        notes.append(f"No attendance list: every {what} is taken as present.")
    nominated = {n.state for n in case.nominations}
    universe = {s.state for s in assessment.states if s.eligible} | nominated | extra_states
    # a group's open seat, where the profile lets one be left open: after the States
    opened = tuple(StateStatus(open_seat(g), g, (), True, True, "", False)
                   for g in case.body.group_names
                   if profile.open_seats)
    el = Election(
        case=case,
        profile=profile,
        assessment=assessment,
        turn=turn,
        notes=(),
        universe=(*in_state_order(universe - {o.state for o in opened}),
                  *(o.state for o in opened)),
        rotation_said=said,
        open_seats=opened,
    )
    for kind in (*profile.rules, *profile.preferences):
        notes.extend(kind.notes(el))
    notes.extend(profile.unread(case))
    # each note once, in the order first said (two rotation rules share the rotation's)
    return dataclasses.replace(el, notes=tuple(dict.fromkeys(notes)))
