"""What a consultation asks, read from what people type (command-line options, or the board's
address): States fixed to a post, left out, withdrawn or absent, deposits and nominations
supposed. One reader for the command line and the board; every problem reported together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planner.domain.case import Case
from planner.errors import InputError, Problem, Where


@dataclass(frozen=True)
class Asks:
    fix: tuple[tuple[str, str], ...] = ()  # (state, post)
    exclude: tuple[str, ...] = ()
    withdraw: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    ratified: tuple[tuple[str, str, dt.date], ...] = ()  # (state, instrument, date)
    nominate: tuple[tuple[str, str], ...] = ()  # (state, post)


def read_asks(case: Case, *, fix: Sequence[str] = (), exclude: Sequence[str] = (),
              withdraw: Sequence[str] = (), absent: Sequence[str] = (),
              ratified: Sequence[str] = (), nominate: Sequence[str] = (),
              label: Callable[[str], str] = lambda name: name, open_seats: bool = False
              ) -> Asks:
    """fix as POST=STATE, ratified as STATE:INSTRUMENT:DATE, nominate as STATE:POST; label
    names where a value was given ('option --fix' on the command line). open_seats: the
    profile lets a seat be left open, and a seat may be fixed open ("Vice-President=open seat
    (WEOG)") or kept filled (--exclude "open seat (WEOG)"). Raises InputError."""
    from planner.domain.names import did_you_mean, registry
    from planner.io.dates import DATE_FIX, DateError, parse_date

    problems: list[Problem] = []
    known = set(case.known_states())
    ids = sorted(i.id for i in case.instruments)

    def state(text: str, where: str) -> str | None:
        text = text.strip()
        name = text if text in known else registry().lookup(text)
        opened = case.body.find_open_seat(text) if name is None else None
        if opened is not None and where in ("fix", "exclude"):
            if open_seats:
                return opened
            problems.append(Problem(Where(label(where)), f"{text!r} is a seat left open, and "
                                    "this body's profile lets no seat be left open",
                                    "name a State"))
            return None
        if name is None:
            problems.append(Problem(Where(label(where)), f"unknown State {text!r}",
                                    did_you_mean(text)))
        return name

    def post(text: str, where: str) -> str | None:
        found = case.body.find_post(text.strip())
        if found is None:
            problems.append(Problem(Where(label(where)), f"unknown post {text.strip()!r}",
                                    "use one of: " + ", ".join(case.body.post_names)))
        return found

    def shape(where: str, value: str, form: str) -> None:
        problems.append(Problem(Where(label(where)), f"{value[:60]!r} is not {form}"))

    def seats(values: Sequence[str], where: str, form: str) -> list[tuple[str, str]]:
        """(State, post) pairs written POST=STATE or STATE:POST, as form says."""
        out: list[tuple[str, str]] = []
        for value in values:
            if form == "POST=STATE":
                post_text, sep, state_text = value.partition("=")
            else:
                state_text, sep, post_text = value.rpartition(":")
            if not sep:
                shape(where, value, form)
                continue
            found_post, found_state = post(post_text, where), state(state_text, where)
            if found_post and found_state:
                out.append((found_state, found_post))
        return out

    fixed = seats(fix, "fix", "POST=STATE")
    deposits: list[tuple[str, str, dt.date]] = []
    for value in ratified:
        parts = value.split(":")
        if len(parts) != 3:
            shape("ratified", value, "STATE:INSTRUMENT:DATE")
            continue
        depositor = state(parts[0], "ratified")
        instrument = parts[1].strip()
        if instrument not in ids:
            problems.append(Problem(
                Where(label("ratified")), f"unknown instrument {instrument!r}",
                "use one of: " + ", ".join(ids) if ids else
                "this case has no instruments (membership decides who sits): a ratification "
                "changes nothing here"))
            continue
        try:
            date = parse_date(parts[2])
        except DateError as exc:
            problems.append(Problem(Where(label("ratified")), str(exc), DATE_FIX))
            continue
        if depositor:
            deposits.append((depositor, instrument, date))
    nominations = seats(nominate, "nominate", "STATE:POST")

    def states(values: Sequence[str], where: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for v in values if (s := state(v, where))))

    asks = Asks(tuple(dict.fromkeys(fixed)), states(exclude, "exclude"),
                states(withdraw, "withdraw"), states(absent, "absent"), tuple(deposits),
                tuple(dict.fromkeys(nominations)))
    if problems:
        # the same problem once, however often it was asked
        raise InputError(list(dict.fromkeys(problems)))
    return asks
