"""Party status at a date: instruments in force for each State, and who can sit on the bureau."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple

from planner.domain.body import MEMBERSHIP
from planner.domain.case import Case, Deposit, Instrument
from planner.domain.names import registry


def in_force_from(instrument: Instrument, deposit: dt.date) -> dt.date:
    """The later of the instrument's own entry into force and the deposit plus the delay."""
    return max(instrument.entry_into_force,
               deposit + dt.timedelta(days=instrument.days_after_deposit))


def instruments_in_force(case: Case, on: dt.date) -> tuple[Instrument, ...]:
    return tuple(i for i in case.instruments if i.entry_into_force <= on)


class StateStatus(NamedTuple):
    """A State's standing at the date asked (a named tuple, as a Deposit: an assessment holds
    one per State the case knows, and makes them in bulk)."""

    state: str
    group: str | None
    instruments: tuple[str, ...]  # ids of the instruments in force for the State
    present: bool
    eligible: bool
    reason: str  # why not eligible; '' when eligible
    party: bool  # party to the body's treaty (or member of the body) at the date


@dataclass(frozen=True)
class Assessment:
    date: dt.date
    in_force: tuple[Instrument, ...]
    states: tuple[StateStatus, ...]
    attendance_assumed: bool

    def by_state(self) -> dict[str, StateStatus]:
        return dict(zip(map(attrgetter("state"), self.states), self.states, strict=True))

    def eligible(self) -> tuple[StateStatus, ...]:
        return tuple(s for s in self.states if s.eligible)


def _party_reason(convention: Instrument, deposit: Deposit | None, signed: bool,
                  on: dt.date) -> str:
    if deposit is None:
        return "not a party: signed only" if signed else "not a party: no instrument deposited"
    if deposit.ended is not None and deposit.ended <= on:
        return f"no longer a party: its denunciation took effect on {deposit.ended.isoformat()}"
    start = in_force_from(convention, deposit.date)
    return f"not yet a party: the Convention enters into force for it on {start.isoformat()}"


def _standing(case: Case, state: str, held: tuple[str, ...], date: dt.date,
              signed: set[str], deposited: dict[str, Deposit]) -> tuple[bool, str]:
    """Whether the State is a party (or a member), and if not, why."""
    if case.body.eligibility == MEMBERSHIP:
        if case.members is None or state not in case.members:
            return False, "not a member of the body"
        terms = [t for t in case.terms if t.state == state]
        if not terms or any(t.covers(date) for t in terms):
            return True, ""
        ended = [t.end for t in terms if t.end is not None and t.end < date]
        if ended:
            return False, f"not a member on {date.isoformat()}: its term ended on " \
                          f"{max(ended).isoformat()}"
        begins = min(t.start for t in terms if t.start is not None)
        return False, f"not a member on {date.isoformat()}: its term begins on " \
                      f"{begins.isoformat()}"
    convention = case.convention
    if convention is None:
        return False, "not a party: the case names no treaty"
    if convention.id in held:
        return True, ""
    return False, _party_reason(convention, deposited.get(state), state in signed, date)


def assess(case: Case, on: dt.date | None = None,
           extra_states: frozenset[str] = frozenset()) -> Assessment:
    """Every State the case knows of (and extra_states), with its status at date on."""
    date = on or case.session.opening_date
    in_force = instruments_in_force(case, date)
    convention = case.convention
    signed = {s.state for s in case.signatures
              if convention is not None and s.instrument == convention.id}
    # an instrument in force on the date is in force for a State that deposited by the day
    # its delay before: one date to compare each deposit with (in_force_from, read once)
    last_of = {i.id: date - dt.timedelta(days=i.days_after_deposit) for i in in_force}
    rank = {ident: k for k, ident in enumerate(last_of)}
    # each State's instruments in force, in one pass over the deposits (read by position: a
    # large case holds one per row); where a case built by hand holds two deposits for one
    # instrument, the last one counts (as the reason reads it)
    holding: dict[str, dict[str, bool]] = {}
    deposited: dict[str, Deposit] = {}  # each State's deposit for the Convention, in force or not
    treaty = convention.id if convention is not None else None
    for d in case.deposits:
        if d[1] == treaty:
            deposited[d[0]] = d
        last = last_of.get(d[1])
        if last is not None:
            holding.setdefault(d[0], {})[d[1]] = d[2] <= last and (d[5] is None or date < d[5])
    ordered: dict[tuple[tuple[str, bool], ...], tuple[str, ...]] = {}  # a few among thousands
    listed = case.known_states()
    states = listed if not extra_states else tuple(sorted(set(listed) | extra_states))
    entries, group_of = registry().entries, case.group_of
    out: list[tuple[str, str | None, tuple[str, ...], bool, bool, str, bool]] = []
    for state in states:
        flags = holding.get(state)
        mine = tuple(flags.items()) if flags else ()
        held = ordered.get(mine)
        if held is None:
            held = ordered[mine] = tuple(sorted((i for i, now in mine if now),
                                                key=rank.__getitem__))
        party, why_not = _standing(case, state, held, date, signed, deposited)
        group = group_of.get(state)
        present = case.attendance is None or state in case.attendance
        known = entries.get(state)  # generated conferences use made-up names
        if known is not None and not known.is_state:
            reason = "not a State"
        elif group is None:
            reason = "in no regional group"
        elif not party:
            reason = why_not
        elif not present:
            reason = "not present"
        elif state in case.withdrawn:
            reason = "withdrawn from the election"
        else:
            reason = ""
        out.append((state, group, held, present, not reason, reason, party))
    # made in C, every field given (tuple.__new__, not the named tuple's __new__)
    return Assessment(date, in_force, tuple(map(tuple.__new__, repeat(StateStatus), out)),
                      case.attendance is None)
