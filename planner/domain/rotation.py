"""Whose turn it is: the President's and the Rapporteur's groups session by session.

Rule 22(3) says the two offices "normally" rotate among the five groups. The planner takes the
presidency to follow a fixed cycle of the groups, one session each, and the Rapporteur to come
from the group that held the presidency `rapporteur_offset` sessions before (1 by default, as at
the 6th session, when the African States, presiding at the 5th, gave the Rapporteur). Both are
assumptions, said as such in every output that relies on them.

The cycle comes, in this order, from: the case's setting (session keys rotation_cycle and
rotation_start); the history (rotation table, and this session's own groups), when the sessions
it covers fix every group's place in the cycle; or the conference's default cycle. Where the
history disagrees with the cycle used, the planner says which session breaks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.domain.case import Case


@dataclass(frozen=True)
class Turn:
    session: int
    president_group: str | None
    rapporteur_group: str | None
    basis: str


@dataclass(frozen=True)
class Cycle:
    order: tuple[str, ...] | None  # order[i] presides at sessions s with (s - start) % n == i
    start: int
    source: str  # setting | history | default | none
    evidence: str
    breaks: tuple[str, ...]  # sessions of the history that do not fit, in words


def infer_cycle(history: Sequence[tuple[int, str]], groups: Sequence[str]
                ) -> tuple[tuple[str, ...] | None, tuple[int, ...]]:
    """The cycle the presidency history fixes, if it fixes one, and the sessions that break
    the cycle set by the sessions before them."""
    n = len(groups)
    place: dict[int, str] = {}
    breaks: list[int] = []
    for session, group in sorted(history):
        pos = session % n
        if place.get(pos, group) != group or (group in place.values()
                                              and place.get(pos) != group):
            breaks.append(session)
            continue
        place[pos] = group
    if len(place) == n - 1:  # the last group takes the last place
        missing = next(g for g in groups if g not in place.values())
        place[next(p for p in range(n) if p not in place)] = missing
    if len(place) < n:
        return None, tuple(breaks)
    return tuple(place[p] for p in range(n)), tuple(breaks)


def _presidency_history(case: Case) -> list[tuple[int, str]]:
    rows = [(r.session, r.president_group) for r in case.rotation if r.president_group]
    s = case.session
    if s.president_group and not any(session == s.number for session, _g in rows):
        rows.append((s.number, s.president_group))
    return [(session, g) for session, g in rows if g]


def _sessions(items: Iterable[int]) -> str:
    return ", ".join(str(s) for s in sorted(items))


def cycle_of(case: Case) -> Cycle:
    spec = case.body
    groups = spec.group_names
    n = len(groups)
    history = _presidency_history(case)
    derived, history_breaks = infer_cycle(history, groups)
    setting = case.session.rotation_cycle
    if setting:
        order = tuple(setting)
        start = case.session.rotation_start or _align(order, history) or 1
        source, evidence = "setting", "the case's rotation setting"
    elif derived is not None:
        order = tuple(derived[(p) % n] for p in range(n))
        start = 0  # places are session % n
        sessions = _sessions(s for s, _g in history if s not in history_breaks)
        source, evidence = "history", f"the presidency history of sessions {sessions}"
    elif spec.rotating_post is None:
        return Cycle(None, 1, "none", "no post rotates among the groups in this body", ())
    elif spec.default_cycle:
        order = spec.default_cycle
        start = spec.default_cycle_start
        source = "default"
        evidence = "the default cycle (" + ", ".join(spec.group(g).short for g in order) + \
            f", from session {start}), an assumption: the history does not fix the cycle"
    else:
        return Cycle(None, 1, "none", "no rotation is known", ())
    breaks = []
    for session, group in sorted(history):
        expected = order[(session - start) % n]
        if expected != group:
            breaks.append(f"session {session} breaks the cycle: its President came from the "
                          f"{group}, the cycle gives the {expected}")
    return Cycle(order, start, source, evidence, tuple(breaks))


def _align(order: Sequence[str], history: Sequence[tuple[int, str]]) -> int | None:
    """The session where order[0] presides, from the first history row that fits."""
    for session, group in sorted(history):
        if group in order:
            return session - order.index(group)
    return None


def turns(case: Case, sessions: Iterable[int]) -> list[Turn]:
    """For each session, which groups give the President and the Rapporteur, and why."""
    cycle = cycle_of(case)
    offset = case.session.rapporteur_offset
    rows = {r.session: r for r in case.rotation}
    s = case.session
    body = case.body

    def president(session: int) -> tuple[str | None, str]:
        if session == s.number and s.president_group:
            return s.president_group, "session table"
        row = rows.get(session)
        if row and row.president_group:
            return row.president_group, f"rotation table, session {session}"
        if body.rotating_post is None:
            return None, "open to every group: the post does not rotate in this body"
        if cycle.order is not None and session >= 1:
            group = cycle.order[(session - cycle.start) % len(cycle.order)]
            return group, f"cycle from {cycle.evidence}"
        return None, "open to every group: no rotation is known"

    head = body.rotating_post or body.head_post
    out = []
    for session in sorted(set(sessions)):
        pg, pbasis = president(session)
        rg: str | None
        if body.following_post is None:
            rg, rbasis = None, "no post follows the presidency's rotation in this body"
            out.append(Turn(session, pg, rg, f"{head}: {pbasis}"))
            continue
        if session == s.number and s.rapporteur_group:
            rg, rbasis = s.rapporteur_group, "session table"
        elif rows.get(session) and rows[session].rapporteur_group:
            rg, rbasis = rows[session].rapporteur_group, f"rotation table, session {session}"
        elif session - offset >= 1:
            rg, why = president(session - offset)
            rbasis = (f"the group that held the presidency at session {session - offset} "
                      f"(offset {offset}, an assumption; that presidency: {why})")
            if rg is None:
                rbasis = "open to every group: the earlier presidency is not known"
        else:
            rg, rbasis = None, (f"open to every group: no session {session - offset} "
                                "to take the Rapporteur from")
        out.append(Turn(session, pg, rg, f"{head}: {pbasis}; {body.following_post}: {rbasis}"))
    return out
