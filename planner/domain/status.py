"""Party status at a date: instruments in force for each State, and who can sit on the bureau."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.domain.case import Case, Deposit, Instrument
from planner.domain.names import registry


def in_force_from(instrument: Instrument, deposit: dt.date) -> dt.date:
    """The later of the instrument's own entry into force and the deposit plus the delay."""
    return max(instrument.entry_into_force,
               deposit + dt.timedelta(days=instrument.days_after_deposit))


def instruments_in_force(case: Case, on: dt.date) -> tuple[Instrument, ...]:
    return tuple(i for i in case.instruments if i.entry_into_force <= on)


@dataclass(frozen=True)
class StateStatus:
    state: str
    group: str | None
    instruments: tuple[str, ...]  # ids of the instruments in force for the State
    present: bool
    eligible: bool
    reason: str  # why not eligible; '' when eligible
    party_to_convention: bool
    protocol_seat: bool  # party to the Convention and to one or more Protocols in force
    all_protocols: bool  # party to the Convention and to every Protocol in force
    all_instruments: bool  # party to every instrument in force


@dataclass(frozen=True)
class Assessment:
    date: dt.date
    in_force: tuple[Instrument, ...]
    states: tuple[StateStatus, ...]
    attendance_assumed: bool

    def by_state(self) -> dict[str, StateStatus]:
        return {s.state: s for s in self.states}

    def eligible(self) -> tuple[StateStatus, ...]:
        return tuple(s for s in self.states if s.eligible)


def _party_reason(convention: Instrument, deposit: Deposit | None, signed: bool,
                  on: dt.date) -> str:
    if deposit is None:
        return "not a party: signed only" if signed else "not a party: no instrument deposited"
    start = in_force_from(convention, deposit.date)
    return f"not yet a party: the Convention enters into force for it on {start.isoformat()}"


def assess(case: Case, on: dt.date | None = None,
           extra_states: frozenset[str] = frozenset()) -> Assessment:
    """Every State the case knows of (and extra_states), with its status at date on."""
    date = on or case.session.opening_date
    in_force = instruments_in_force(case, date)
    protocols = [i for i in in_force if i.is_protocol]
    convention = case.convention
    signed = {s.state for s in case.signatures if s.instrument == convention.id}
    out: list[StateStatus] = []
    for state in sorted(set(case.known_states()) | extra_states):
        deposits = case.deposits_by_state.get(state, {})
        held = tuple(
            i.id for i in in_force
            if i.id in deposits and in_force_from(i, deposits[i.id].date) <= date
        )
        party = convention.id in held
        group = case.group_of.get(state)
        present = case.attendance is None or state in case.attendance
        known = registry().entries.get(state)  # generated conferences use made-up names
        if known is not None and not known.is_state:
            reason = "not a State"
        elif group is None:
            reason = "in no regional group"
        elif not party:
            reason = _party_reason(convention, deposits.get(convention.id), state in signed, date)
        elif not present:
            reason = "not present"
        else:
            reason = ""
        own_protocols = [p for p in protocols if p.id in held]
        out.append(StateStatus(
            state=state,
            group=group,
            instruments=held,
            present=present,
            eligible=not reason,
            reason=reason,
            party_to_convention=party,
            protocol_seat=party and bool(own_protocols),
            all_protocols=party and len(own_protocols) == len(protocols),
            all_instruments=len(held) == len(in_force),
        ))
    return Assessment(date, in_force, tuple(out), case.attendance is None)
