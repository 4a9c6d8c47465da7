"""Dates as users write them: ISO text, Excel date cells and serials, and UNTC style."""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache

from planner.limits import EARLIEST_DATE, LATEST_DATE

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_UNTC = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")
# Excel's 1900 date system, counting its fictitious 29 February 1900
_EXCEL_EPOCH = dt.date(1899, 12, 30)

UNTC_ACTIONS = {
    "": "ratification",
    "a": "accession",
    "A": "acceptance",
    "AA": "approval",
    "d": "succession",
    "c": "formal confirmation",
    # a definitive signature, in a "Definitive signature(s), Ratification, ..." column (XII-6)
    "s": "definitive signature",
    # "Participation(P)" (XVIII-2, XXV-2-a), "Consent to be bound(P)" (XXVI-2-a), "Simplified
    # procedure(p)" (XXI-6-a): each a consent to be bound
    "P": "participation",
    "p": "simplified procedure",
}


class DateError(ValueError):
    """A value that is not a date we can read; the message says why and how to write it."""


def _make(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"{text!r} is not a date in the calendar") from None


def parse_date(value: object) -> dt.date:
    """Read one date cell. Raises DateError with a message fit for the user."""
    if isinstance(value, str) and len(value) > 64:
        # no date is written in more; a long run of digits would cost int() dearly
        raise DateError(f"{value[:20]!r}... ({len(value):,} characters) is not a date")
    date = _parse_date(value)
    if not EARLIEST_DATE <= date <= LATEST_DATE:
        raise DateError(f"{date.isoformat()} is outside the dates the planner reads "
                        f"({EARLIEST_DATE.year} to {LATEST_DATE.year})")
    return date


def _parse_date(value: object) -> dt.date:
    if value.__class__ is str:
        return _parse_text(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise DateError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            raise DateError(f"{value!r} is not a date")
        serial = int(value)
        if not 1 <= serial <= 2958465:
            raise DateError(f"{value!r} is not a date")
        return _EXCEL_EPOCH + dt.timedelta(days=serial)
    return _parse_text(str(value))


@lru_cache(maxsize=1 << 14)  # deposits share their dates; an error is raised again each time
def _parse_text(value: str) -> dt.date:
    text = value.strip()
    if not text:
        raise DateError("the date is empty")
    m = _ISO.match(text)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]), text)
    m = _UNTC.match(text)
    if m:
        month = _MONTHS.get(m[2].lower())
        if month is None:
            raise DateError(f"{text!r}: {m[2]!r} is not a month")
        return _make(int(m[3]), month, int(m[1]), text)
    m = _NUMERIC.match(text)
    if m:
        a, b = int(m[1]), int(m[2])
        if a <= 12 and b <= 12 and a != b:
            raise DateError(
                f"{text!r} is ambiguous: day/month or month/day cannot be told apart"
            )
        raise DateError(f"{text!r} is written with numbers only")
    if text.isdigit() and len(text) >= 5:  # an Excel serial stored as text
        return parse_date(int(text))
    raise DateError(f"{text!r} is not a date")


# many texts joined by NUL, each a date written 2012-10-15 in ASCII digits
_ISO_JOINED = re.compile("(?:[0-9]{4}-[0-9]{2}-[0-9]{2}\x00)*")


def iso_dates(texts: list[str]) -> list[dt.date] | None:
    """parse_date() of each text, where each is a date written 2012-10-15 (as a large case
    writes them), in the calendar and among the dates the planner reads: read in C, not one
    by one. None where one is not (parse_date then says why)."""
    if not texts or _ISO_JOINED.fullmatch("\x00".join(texts) + "\x00") is None:
        return None
    try:
        dates = list(map(dt.date.fromisoformat, texts))
    except ValueError:  # a day not in the calendar, or a text holding a NUL
        return None
    if min(dates) < EARLIEST_DATE or max(dates) > LATEST_DATE:
        return None
    return dates


DATE_FIX = "write dates as 2012-10-15 or 15 Oct 2012"


def in_words(date: dt.date) -> str:
    """A date as people write it: 2 April 2014."""
    return f"{date.day} {date:%B} {date.year}"


def untc_style(date: dt.date | None) -> str:
    """A date as the UN Treaty Collection's tables write it: 2 Apr 2014 ('' for none)."""
    return f"{date.day} {date:%b} {date.year}" if date else ""


def parse_untc_consent(text: str) -> tuple[dt.date, str]:
    """A UNTC consent cell such as '17 Feb 2010 a': the date and the kind of consent."""
    parts = text.strip().split()
    suffix = ""
    if parts and parts[-1] in UNTC_ACTIONS:
        suffix = parts.pop()
    return parse_date(" ".join(parts)), UNTC_ACTIONS[suffix]
