"""Reading a case folder or workbook into the typed case; every problem collected at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import math
import os
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import compress, islice, repeat
from operator import and_, attrgetter, eq, gt, is_, itemgetter, le, lt
from pathlib import Path
from typing import Any, cast

from planner.domain.body import ORDINALS, TREATY, Body
from planner.domain.case import (
    Attribute,
    Case,
    Deposit,
    InputFile,
    Instrument,
    Membership,
    MemberTerm,
    Nomination,
    PastOfficer,
    RotationEntry,
    Session,
    Signature,
    TableDate,
)
from planner.domain.names import did_you_mean, normalise, registry
from planner.errors import CarriedCaseEdited, InputError, Problem, Problems, Where
from planner.io.dates import DATE_FIX, DateError, iso_dates, parse_date, parse_untc_consent
from planner.io.paths import Refused, named_file
from planner.io.schema import (
    EXAMPLE,
    SESSION_KEY_NAMES,
    TABLES,
    example_rows,
    required_columns,
    required_tables,
    table,
)
from planner.io.tables import (
    Row,
    Sheets,
    Table,
    cell_text,
    read_table_file,
    read_workbook,
    sha256_of,
    table_digest,
    table_from_sheet,
)
from planner.limits import MAX_DAYS_AFTER_DEPOSIT, MAX_FILE_BYTES, MAX_PRIORITY, MAX_SESSION

SESSION_KEYS = SESSION_KEY_NAMES


def _provenance(record: Path) -> dict[str, tuple[dt.date | None, str, str]]:
    """Per table, the day an imported status table speaks for, its source, and what changed
    since the table it replaced, from the provenance.csv planner data import writes beside it
    (empty: none there, or none readable)."""
    import csv

    out: dict[str, tuple[dt.date | None, str, str]] = {}
    try:
        with record.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                day = row.get("data_date") or ""
                try:
                    out[row.get("table") or ""] = (
                        dt.date.fromisoformat(day) if day else None,
                        f"{row.get('source', '')} ({row.get('form', '')}, read "
                        f"{row.get('read_at', '')[:10]})", row.get("changes") or "")
                except ValueError:
                    continue
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return out


# the nominations table's own columns; any other is an attribute of the nominated officer
NOMINATION_COLUMNS = frozenset({"state", "post", "priority", "person", "representative",
                                "group", "example"})
EMBEDDED = "case."  # the prefix of the sheets on which a written workbook carries its case


def carries_case(path: Path | str) -> bool:
    """Whether a file is a workbook the planner wrote with its case inside."""
    import zipfile

    p = Path(path)
    if not p.is_file() or p.suffix.lower() != ".xlsx" or not zipfile.is_zipfile(p):
        return False
    try:
        with zipfile.ZipFile(p) as z:
            book = z.read("xl/workbook.xml")[:200_000]
    except (KeyError, OSError, zipfile.BadZipFile):
        return False
    return f'name="{EMBEDDED}session"'.encode() in book


# ---------------------------------------------------------------------------------------------
# Loading


class DepositColumns:
    """Deposits, and their States, instruments and dates column by column, each column taken
    once (the checks of a large case read them by column, in C) or given as the
    ratifications table's columns were read."""

    def __init__(self, items: list[Deposit], states: list[str] | None = None,
                 instruments: list[str] | None = None,
                 dates: list[dt.date] | None = None) -> None:
        self.items = items
        self._states = states
        self._instruments = instruments
        self._dates = dates

    @property
    def states(self) -> list[str]:
        if self._states is None:
            self._states = list(map(itemgetter(0), self.items))
        return self._states

    @property
    def instruments(self) -> list[str]:
        if self._instruments is None:
            self._instruments = list(map(itemgetter(1), self.items))
        return self._instruments

    @property
    def dates(self) -> list[dt.date]:
        if self._dates is None:
            self._dates = list(map(itemgetter(2), self.items))
        return self._dates


class _Loader:
    """Reads one case; every problem is collected, and raised together at the end."""

    def __init__(self, path: Path, body: Body) -> None:
        self.path = path
        self.body = body
        self.problems = Problems()
        self.warnings: list[str] = []
        self.files: dict[Path, str] = {}
        self.table_dates: list[TableDate] = []
        self.provenances: dict[Path, dict[str, tuple[dt.date | None, str, str]]] = {}
        self.sheets: Sheets | None = None
        self.carried_edit: Problem | None = None  # the case carried, edited since written
        self.membership_of: dict[str, str] = {}
        self.declared: frozenset[str] = frozenset()  # States the case declares itself
        # each text that names a State, as states_in read it (None: no State), and the States
        # declared when it was read
        self.names: dict[str, str | None] = {}
        self.named_in: frozenset[str] = frozenset()
        self.base = path if path.is_dir() else path.parent

    # -- locating tables

    def unknown_files(self) -> None:
        """A table file the planner does not know is a misspelling until shown otherwise: it
        would be ignored, and the result change without a word."""
        from planner.domain.names import did_you_mean_among

        for p in sorted(self.path.iterdir()):
            if p.suffix.lower() in (".csv", ".xlsx") and p.stem not in TABLES:
                self.problems.add(Where(self.shown(p)), "is not a table of a case",
                                  did_you_mean_among(p.stem, list(TABLES), "table") + "; "
                                  "rename it, or move it out of the case folder")

    def shown(self, p: Path) -> str:
        try:
            return str(p.relative_to(Path.cwd()))
        except ValueError:
            return str(p)

    def record(self, p: Path) -> None:
        if p.is_file():
            self.files[p.resolve()] = self.shown(p)

    def tables(self) -> dict[str, Table]:
        found: dict[str, Table] = {}
        if self.path.is_dir():
            self.unknown_files()
            for name in TABLES:
                # exists(), not is_file(): a pipe or a device in its place is reported
                candidates = [
                    self.path / f"{name}{ext}"
                    for ext in (".csv", ".xlsx")
                    if (self.path / f"{name}{ext}").exists()
                ]
                if len(candidates) > 1:
                    self.problems.add(
                        Where(self.shown(self.path)),
                        f"the case has both {candidates[0].name} and {candidates[1].name}",
                        "keep one of them",
                    )
                    continue
                if candidates:
                    self.record(candidates[0])
                    table = read_table_file(
                        name, candidates[0], self.shown(candidates[0]), self.problems
                    )
                    if table is not None:
                        found[name] = self.with_examples(table)
        else:
            self.record(self.path)
            self.sheets = read_workbook(self.path, self.shown(self.path), self.problems)
            if self.sheets is None:
                return found
            by_key = {s.strip().lower(): s for s in self.sheets}
            # a workbook the planner wrote carries its case on hidden sheets named case.TABLE
            prefix = EMBEDDED if f"{EMBEDDED}session" in by_key else ""
            for name in TABLES:
                sheet = by_key.get(prefix + name)
                if sheet is None:
                    continue
                if not prefix and sheet in self.sheets.hidden:
                    # a table a reader of the workbook cannot see is not read
                    self.problems.add(Where(self.shown(self.path), sheet),
                                      f"the sheet {sheet!r} is hidden: a reader of the "
                                      "workbook does not see the table it holds",
                                      "unhide it, or delete it")
                    continue
                found[name] = self.with_examples(table_from_sheet(
                    name, self.shown(self.path), sheet, self.sheets[sheet], self.problems
                ))
            if prefix:
                self.check_carried(self.sheets, by_key)
        for name in required_tables(self.body):
            if name not in found and not self.problems:
                where = Where(self.shown(self.path))
                if self.path.is_dir():
                    fix = f"add {name}.csv (or {name}.xlsx) to the case folder"
                else:
                    fix = f"add a sheet named {name!r} to the workbook"
                self.problems.add(where, f"the case has no {name} table", fix)
        return found

    def check_carried(self, sheets: Sheets, by_key: dict[str, str]) -> None:
        """The case a workbook carries is the one it was written with: each case.* sheet's
        digest, as read back, against the one its Run info records (where it records them).
        An edited sheet is named, with which record to trust."""
        info = sheets.named("run info")
        if info is None:
            return
        recorded: dict[str, str] = {}
        row_number = None
        for number, values in enumerate(sheets[info], start=1):
            cells = [cell_text(v) for v in values]
            if len(cells) > 1 and cells[0] == "case sheets, SHA-256 (first 12)":
                row_number = number
                for part in cells[1].split(";"):
                    table_name, _, digest = part.strip().rpartition(" ")
                    recorded[table_name] = digest
        if not recorded:
            # no record to hold the case to (a workbook written before the planner kept one,
            # or its record row removed): read as it is, and said
            self.warnings.append(
                f"{self.shown(self.path)}: the case this workbook carries could not be held to "
                "a record of it (its Run info gives no digests of the case.* sheets): it is "
                "read as it is; name the case the slate is for to be sure (planner check CASE "
                "WORKBOOK).")
            return
        edited = []
        for name in sorted({*recorded, *(k[len(EMBEDDED):] for k in by_key
                                         if k.startswith(EMBEDDED))}):
            sheet = by_key.get(EMBEDDED + name)
            if sheet is None:
                edited.append(f"{EMBEDDED}{name} (gone)")
                continue
            rows = [list(v) for v in sheets[sheet]]
            got = table_digest(rows[0] if rows else [], rows[1:])
            if not got.startswith(recorded.get(name, "-")):
                edited.append(EMBEDDED + name + ("" if name in recorded else " (added)"))
        if edited:
            self.carried_edit = Problem(
                Where(self.shown(self.path), info, row_number, "value"),
                f"the case this workbook carries was changed after the planner wrote it: the "
                f"hidden sheet(s) {', '.join(edited)} differ from what Run info records",
                "the record is to be trusted, not the edited sheets: ask for the workbook "
                "again, or name the case the slate is for (planner check CASE WORKBOOK)")

    def with_examples(self, t: Table) -> Table:
        """A row marked as an example is ignored only where it still holds the example: one
        typed over (a nomination written on the example row, its mark left) is data, read,
        and said."""
        if not t.examples:
            return t
        expected = example_rows(self.body).get(t.name)
        kept = []
        for row in t.examples:
            if expected is not None and _holds_example(row, table(t.name).names, expected):
                continue
            kept.append(row)
            self.warnings.append(
                f"{t.where(row.number)}: the row is marked {EXAMPLE!r} but holds other data "
                "than the example: it is read as data (clear the mark in its last column; "
                "delete the row if it is not meant).")
        if not kept:
            return t
        return dataclasses.replace(t, rows=tuple(sorted([*t.rows, *kept],
                                                        key=lambda r: r.number)))

    # -- cell readers

    def state(self, t: Table, row: Row, column: str) -> str | None:
        text = row.text(column)
        if not text:
            self.problems.add(t.where(row.number, column), "the State is missing",
                              "fill in the State's name")
            return None
        if text in self.declared:
            return text
        name = registry().lookup(text)
        if name is None:
            self.problems.add(t.where(row.number, column), f"unknown State {text!r}",
                              did_you_mean(text))
        return name

    def instrument(self, t: Table, row: Row, instruments: set[str]) -> str | None:
        ident = row.text("instrument")
        if ident not in instruments:
            self.problems.add(t.where(row.number, "instrument"), f"unknown instrument {ident!r}",
                              "use an id from the instruments table: "
                              + ", ".join(sorted(instruments)))
            return None
        return ident

    def date(self, t: Table, row: Row, column: str, required: bool = True) -> dt.date | None:
        value = row.raw(column)
        if not row.text(column):
            if required:
                self.problems.add(t.where(row.number, column), "the date is missing", DATE_FIX)
            return None
        try:
            return parse_date(value)
        except DateError as exc:
            self.problems.add(t.where(row.number, column), str(exc), DATE_FIX)
            return None

    def group(self, t: Table, row: Row, column: str) -> str | None:
        text = row.text(column)
        found = self.body.find_group(text) if text else None
        if found is None:
            self.problems.add(
                t.where(row.number, column),
                f"unknown regional group {text!r}" if text else "the regional group is missing",
                "use one of: " + "; ".join(self.body.group_names),
            )
        return found

    def integer(self, t: Table, row: Row, column: str, default: int, low: int,
                high: int = MAX_SESSION) -> int | None:
        text = row.text(column)
        if not text:
            return default
        try:
            number = float(text)
            if not math.isfinite(number) or not number.is_integer():
                raise ValueError
            value = int(number)
        except (ValueError, OverflowError):
            self.problems.add(t.where(row.number, column), f"{text!r} is not a whole number",
                              f"write a whole number from {low} to {high}")
            return None
        if not low <= value <= high:
            self.problems.add(t.where(row.number, column),
                              f"{text!r} is out of range", f"write a whole number from {low} "
                              f"to {high}")
            return None
        return value

    # -- tables

    def instruments(self, t: Table) -> tuple[list[Instrument], dict[str, tuple[Row, str]]]:
        out: list[Instrument] = []
        status_files: dict[str, tuple[Row, str]] = {}
        if not t.require(self.problems, *required_columns("instruments")):
            return out, status_files
        seen: set[str] = set()
        for row in t.rows:
            ident = row.text("instrument")
            kind = row.text("kind").lower()
            if not ident:
                self.problems.add(t.where(row.number, "instrument"), "the instrument id is missing",
                                  "give each instrument a short id, such as 'convention'")
                continue
            if ident in seen:
                self.problems.add(t.where(row.number, "instrument"),
                                  f"instrument {ident!r} is listed twice", "keep one row")
                continue
            seen.add(ident)
            if kind not in {"convention", "protocol"}:
                self.problems.add(t.where(row.number, "kind"), f"unknown kind {kind!r}",
                                  "write 'convention' or 'protocol'")
            eif = self.date(t, row, "entry_into_force")
            days = self.integer(t, row, "days_after_deposit", 30, 0, MAX_DAYS_AFTER_DEPOSIT)
            adopted = self.date(t, row, "adopted", required=False) if t.has("adopted") else None
            if t.has("status_file") and row.text("status_file"):
                status_files[ident] = (row, row.text("status_file"))
            if eif is not None and days is not None and kind in {"convention", "protocol"}:
                out.append(Instrument(ident, row.text("title") or ident, kind, eif, days,
                                      adopted))
        conventions = [i for i in out if i.kind == "convention"]
        if len(out) == len(seen) and len(conventions) != 1:
            self.problems.add(t.where(), f"{len(conventions)} instruments are of kind 'convention'",
                              "mark exactly one instrument as the convention")
        return out, status_files

    def imported(self, path: Path) -> tuple[dt.date | None, str, str] | None:
        """What planner data import recorded of a status table (read once per folder, and
        recorded among the case's inputs: it dates the table in every output)."""
        record = path.parent / "provenance.csv"
        if record not in self.provenances:
            self.provenances[record] = _provenance(record) if record.is_file() else {}
            if self.provenances[record]:
                self.record(record)
        return self.provenances[record].get(path.name)

    def untc(self, instrument: str, t: Table, row: Row, ref: str,
             deposits: list[Deposit], signatures: list[Signature]) -> None:
        """A UN Treaty Collection status table, as published."""
        imported: tuple[dt.date | None, str, str] | None = None  # a sheet is no imported file
        if self.sheets is not None and ref.strip().lower() in {s.lower() for s in self.sheets}:
            sheet = next(s for s in self.sheets if s.lower() == ref.strip().lower())
            if sheet in self.sheets.hidden and not sheet.lower().startswith(EMBEDDED):
                # a table a reader of the workbook cannot see is not read
                self.problems.add(t.where(row.number, "status_file"),
                                  f"the status sheet {sheet!r} is hidden: a reader of the "
                                  "workbook does not see the table it holds",
                                  "unhide it, or delete it")
                return
            status = table_from_sheet(f"{instrument} status", self.shown(self.path), sheet,
                                      self.sheets[sheet], self.problems)
        else:
            # one rule for every file a case names (planner.io.paths)
            found = named_file(self.base, ref, "status file", MAX_FILE_BYTES)
            if isinstance(found, Refused):
                self.problems.add(t.where(row.number, "status_file"), found.message, found.fix)
                return
            path = self.base / ref
            self.record(path)
            read = read_table_file(f"{instrument} status", path, self.shown(path), self.problems)
            if read is None:
                return
            status = read
            imported = self.imported(path)
        consent = next(
            (k for k in status.headers
             if any(w in k for w in ("ratification", "accession", "approval", "acceptance"))),
            None,
        )
        if not status.require(self.problems, "participant") or consent is None:
            if consent is None:
                self.problems.add(
                    status.where(1),
                    "no consent column (Ratification, Acceptance(A), Approval(AA), Accession(a), "
                    "Succession(d))",
                    "copy the status table from the UN Treaty Collection with its three columns",
                )
            return
        first = len(deposits)
        ending = next((k for k in status.headers
                       if any(w in k for w in ("denunciation", "withdrawal"))), None)
        for r in status.rows:
            state = self.state(status, r, "participant")
            ended = (self.date(status, r, ending, required=False)
                     if ending is not None and r.text(ending) else None)
            signed = None
            if status.has("signature") and r.text("signature"):
                signed = self.date(status, r, "signature", required=False)
            text = r.text(consent)
            if state is None:
                continue
            if not text:
                signatures.append(Signature(state, instrument, signed))
                continue
            try:
                date, action = parse_untc_consent(text)
            except DateError as exc:
                self.problems.add(status.where(r.number, consent), str(exc),
                                  "write the date as in the UNTC table, e.g. '17 Feb 2010 a'")
                continue
            deposits.append(Deposit(state, instrument, date, action, status.where(), ended,
                                    r.number))
            if signed is not None:
                signatures.append(Signature(state, instrument, signed))

        newest = max((d.date for d in deposits[first:]), default=None)
        if imported is not None:
            day, source, changes = imported
            self.table_dates.append(TableDate(instrument, ref, day, f"imported from {source}",
                                              True, changes))
        else:
            self.table_dates.append(TableDate(instrument, ref, newest, "the newest date it holds"))

    def ratifications(self, t: Table, instruments: set[str], deposits: list[Deposit],
                      signatures: list[Signature]
                      ) -> tuple[list[str], list[str], list[dt.date]] | None:
        """The table's deposits and signatures, added to those given; and the new deposits'
        States, instruments and dates as read, where every row was a deposit."""
        if not t.require(self.problems, *required_columns("ratifications")):
            return None
        # column by column: each distinct name, instrument and date is read once (a large
        # case repeats them row after row), each row's problems are still its own
        states = self.states_in(t, "state")
        idents = self.instruments_in(t, instruments)
        # a row's dates are read only where its instrument is known, as they always were
        known = None not in idents
        unknown = None if known else [ident is None for ident in idents]
        dates = self.dates_in(t, "deposit_date", required=False, skip=unknown)
        signed = (self.dates_in(t, "signature_date", required=False, skip=unknown)
                  if t.has("signature_date") else [None] * len(t.rows))
        actions = t.unstripped("action")
        kinds = {a: a.strip().lower() or "ratification" for a in dict.fromkeys(actions)}
        kept: Callable[[Iterable[Any]], Iterable[Any]] = iter
        whole = known and None not in states and None not in dates
        if not whole:
            # not every row the deposit of a known State of a known instrument (as every row
            # of a large case is, taken whole): each row asked
            read = [s is not None and i is not None for s, i in zip(states, idents, strict=True)]
            deposited = [ok and d is not None for ok, d in zip(read, dates, strict=True)]
            for row, ok, date, state, ident, on in zip(t.rows, read, dates, states, idents,
                                                       signed, strict=True):
                # a known State and instrument with no deposit date: a signature only
                if ok and date is None and not row.text("deposit_date"):
                    signatures.append(Signature(state, ident, on))
            kept = partial(compress, selectors=deposited)
        # the deposits made in bulk, in C (tuple.__new__ with every field, as the named
        # tuples' own __new__ would fill them): an object per row, not a call per row, and
        # the table's place shared by them all, each with its row number apart
        deposits.extend(map(tuple.__new__, repeat(Deposit),
                            zip(kept(states), kept(idents), kept(dates),
                                map(kinds.__getitem__, kept(actions)), repeat(t.where()),
                                repeat(None), kept(t.numbers()))))
        return (cast("list[str]", states), cast("list[str]", idents),
                cast("list[dt.date]", dates)) if whole else None

    def states_in(self, t: Table, column: str) -> list[str | None]:
        """Each row's State (state() of each row), each distinct name looked up once, and
        each row with no State reported at its own row, as state() reports it."""
        cells = t.unstripped(column)
        names = self.names
        if self.named_in is not self.declared:  # States declared after the names were read
            names.clear()
            self.named_in = self.declared
        # each cell looked up where read before (as a large case's names are from its
        # states table on), the new ones gathered only if one is missing
        found = list(map(names.get, cells))
        if None in found and (new := set(cells).difference(names)):
            # one table after another names the same States: each cell is looked up once (as
            # its text, stripped), a declared State as itself
            fresh = list(new)
            texts = list(map(str.strip, fresh))
            own = self.declared.intersection(texts)
            known = registry().lookup_all(set(texts).difference(own, ("",)))
            known.update(zip(own, own, strict=True))
            known[""] = None
            names.update(zip(fresh, map(known.__getitem__, texts), strict=True))
            found = list(map(names.__getitem__, cells))
        if None in found:
            for row, name in zip(t.rows, found, strict=True):
                if name is None:
                    self.state(t, row, column)
        return found

    def instruments_in(self, t: Table, instruments: set[str]) -> list[str | None]:
        cells = t.column("instrument")
        if instruments.issuperset(cells):
            return cells  # every row names a known instrument, as it is written
        idents: list[str | None] = list(t.texts("instrument"))
        return [ident if ident in instruments else self.instrument(t, row, instruments)
                for row, ident in zip(t.rows, idents, strict=True)]

    def dates_in(self, t: Table, column: str, required: bool = True,
                 skip: Sequence[bool] | None = None) -> list[dt.date | None]:
        """Each row's date (date() of each row), each distinct cell read once; None, unread,
        where skip says."""
        values = t.column(column)
        if not (skip and any(skip)) and t.all_text(column, values):
            # the common case, text throughout: each distinct text parsed once, and only the
            # rows of a text that is no date (or a missing one, where required) read again,
            # to be reported at each as date() reports it
            distinct = list(dict.fromkeys(values))
            parsed = iso_dates(distinct)  # all at once, where each is written 2012-10-15
            known: dict[str, dt.date | None] = {}
            bad: set[str] = set()
            if parsed is not None:
                known.update(zip(distinct, parsed, strict=True))
            else:
                for value in distinct:
                    known[value] = None
                    if value.strip():
                        try:
                            known[value] = parse_date(value)
                        except DateError:
                            bad.add(value)
                    elif required:
                        bad.add(value)
            if bad:
                for row, value in zip(t.rows, values, strict=True):
                    if value in bad:
                        self.date(t, row, column, required)
            return list(map(known.__getitem__, values))
        seen: dict[Any, dt.date] = {}
        out: list[dt.date | None] = []
        for row, value, passed in zip(t.rows, values, skip or [False] * len(t.rows),
                                      strict=True):
            if passed:
                out.append(None)
                continue
            date = seen.get(value) if value.__class__ is str else None
            if date is None:
                date = self.date(t, row, column, required)
                if date is not None and value.__class__ is str:
                    seen[value] = date
            out.append(date)
        return out

    def plausible_dates(self, deposits: DepositColumns, instruments: list[Instrument]) -> None:
        """A deposit cannot come before its instrument was adopted, nor after today."""
        adopted = {i.id: i.adopted for i in instruments}
        today = dt.date.today()
        dates = deposits.dates
        latest = max((a for a in adopted.values() if a is not None), default=dt.date.min)
        if not dates or (max(dates) <= today and min(dates) >= latest):
            return  # every deposit after every adoption and none in the future
        for d in deposits.items:
            when = adopted.get(d.instrument)
            if when is not None and d.date < when:
                self.problems.add(d.where, f"{d.state}'s deposit for {d.instrument} is dated "
                                  f"{d.date}, before the instrument was adopted ({when})",
                                  "check the date")
            if d.date > today:
                self.problems.add(d.where, f"{d.state}'s deposit for {d.instrument} is dated "
                                  f"{d.date}, in the future",
                                  "put expected deposits in the expected_ratifications table")

    def unique_deposits(self, deposits: DepositColumns) -> DepositColumns:
        """The deposits by State and instrument, one each; two rows that date one deposit
        otherwise are reported."""
        # a table written State by State, each State's instruments in order (as a large case
        # comes), is taken as it is: the States never go back and a State's instruments
        # always go forward, asked in C of neighbouring deposits
        states = deposits.states
        if all(map(le, states, islice(states, 1, None))):
            idents = deposits.instruments
            same = list(map(eq, states, islice(states, 1, None)))
            if all(map(lt, compress(idents, same), compress(islice(idents, 1, None), same))):
                return deposits
        # by State, then instrument: two stable sorts on the fields as they are (no key
        # tuple made per deposit), each over runs the rows mostly come in already
        ordered = DepositColumns(sorted(deposits.items, key=itemgetter(1)))
        ordered.items.sort(key=itemgetter(0))
        states = ordered.states
        idents = ordered.instruments
        if not any(map(and_, map(eq, states, islice(states, 1, None)),
                       map(eq, idents, islice(idents, 1, None)))):
            return ordered  # no State and instrument twice: nothing to report or drop
        by_key: dict[tuple[str, str], Deposit] = {}
        for d in deposits.items:
            first = by_key.get((d.state, d.instrument))
            if first is None:
                by_key[(d.state, d.instrument)] = d
            elif first.date != d.date:
                self.problems.add(
                    d.where,
                    f"{d.state}'s deposit for {d.instrument} is dated {d.date}, but {first.where} "
                    f"dates it {first.date}",
                    "keep one of the two rows",
                )
        return DepositColumns(sorted(by_key.values(), key=attrgetter("state", "instrument")))

    def groups(self, t: Table) -> list[Membership]:
        if not t.require(self.problems, *required_columns("groups")):
            return []
        counting: dict[str, tuple[str, Row]] = {}
        states = self.states_in(t, "state")
        cells = t.unstripped("group")
        flags = t.texts("counts_for_elections")
        # each distinct group and flag read once; the rows read one by one only where one
        # needs reporting (the common case, every row a State of a known group that counts,
        # each State once, is taken whole)
        find = self.body.find_group
        known = {cell: find(text) if (text := cell.strip()) else None
                 for cell in dict.fromkeys(cells)}
        groups = list(map(known.__getitem__, cells))
        if (None not in known.values() and set(flags) <= {"", "yes", "y", "true"}
                and None not in states):
            named = cast("list[str]", states)
            # States in order, each after the one before, are distinct (as a large case
            # comes: asked in C of neighbours, no set of them made)
            ordered = all(map(lt, named, islice(named, 1, None)))
            if ordered or len(set(named)) == len(named):
                undeclared = (() if self.declared.issuperset(named)
                              else set(named).difference(self.declared))
                if all(registry().get(state).is_state for state in undeclared):
                    pairs = zip(named, groups, strict=True)
                    return list(map(tuple.__new__, repeat(Membership),  # made in C
                                    pairs if ordered else sorted(pairs)))
        # a row with no State or of no known group, a flag neither yes nor no, a State twice
        # or a name that is no State's: each row read
        for row, state, group, flag in zip(t.rows, states, groups, flags, strict=True):
            if group is None:
                self.group(t, row, "group")  # reported at its row
            flag = flag.lower()
            if flag not in {"", "yes", "no", "y", "n", "true", "false"}:
                self.problems.add(t.where(row.number, "counts_for_elections"),
                                  f"{flag!r} is neither yes nor no", "write yes or no")
                continue
            if state is None or group is None or flag in {"no", "n", "false"}:
                continue
            if state not in self.declared and not registry().get(state).is_state:
                self.problems.add(t.where(row.number, "state"),
                                  f"{state} is not a State and cannot belong to a regional group",
                                  "remove the row")
                continue
            earlier = counting.get(state)
            if earlier is not None and earlier[0] != group:
                self.problems.add(
                    t.where(row.number, "group"),
                    f"{state} is in {earlier[0]} (row {earlier[1].number}) and in {group}",
                    "mark the row that does not count for elections with "
                    "counts_for_elections = no",
                )
                continue
            counting[state] = (group, row)
        return [Membership(s, g) for s, (g, _r) in sorted(counting.items())]

    def session(self, t: Table, convention: Instrument | None) -> Session | None:
        if not t.require(self.problems, *required_columns("session")):
            return None
        values: dict[str, tuple[Row, str]] = {}
        for row in t.rows:
            key = row.text("key").strip().lower().replace(" ", "_")
            if key not in SESSION_KEYS:
                self.problems.add(t.where(row.number, "key"), f"unknown key {row.text('key')!r}",
                                  "use one of: " + ", ".join(SESSION_KEYS))
                continue
            if key in values and values[key][1] != row.text("value"):
                self.problems.add(t.where(row.number, "key"),
                                  f"the key {key!r} is given twice ({values[key][1]!r} in row "
                                  f"{values[key][0].number}, {row.text('value')!r} here)",
                                  "keep one row for it")
            values[key] = (row, row.text("value"))
        for key in ("session", "opening_date"):
            if not values.get(key, (None, ""))[1]:
                self.problems.add(t.where(None, "key"), f"the session table gives no {key}",
                                  f"add a row with key {key!r} and its value")
        if not all(values.get(k, (None, ""))[1] for k in ("session", "opening_date")):
            return None
        row, _ = values["session"]
        number = self.integer(t, row, "value", 1, 1)
        row, _ = values["opening_date"]
        opening = self.date(t, row, "value")
        groups: dict[str, str | None] = {}
        for key in ("president_group", "rapporteur_group"):
            if values.get(key, (None, ""))[1]:
                groups[key] = self.group(t, values[key][0], "value")
        cycle = None
        if values.get("rotation_cycle", (None, ""))[1]:
            row, text = values["rotation_cycle"]
            names = [self.body.find_group(part) for part in text.replace(",", ";").split(";")
                     if part.strip()]
            if None in names or sorted(n for n in names if n) != sorted(self.body.group_names):
                self.problems.add(t.where(row.number, "value"),
                                  f"{text!r} is not an order of the {len(self.body.groups)} "
                                  "regional groups",
                                  "list every group once, separated by ';', e.g. Asia-Pacific; "
                                  "Eastern European; GRULAC; WEOG; African")
            else:
                cycle = tuple(n for n in names if n)
        start = (self.integer(t, values["rotation_start"][0], "value", 1, 1)
                 if values.get("rotation_start", (None, ""))[1] else None)
        offset = (self.integer(t, values["rapporteur_offset"][0], "value", 1, 1)
                  if values.get("rapporteur_offset", (None, ""))[1] else None)
        if number is None or opening is None or (offset is None and values.get(
                "rapporteur_offset", (None, ""))[1]):
            return None
        if convention is not None and opening < convention.entry_into_force:
            self.problems.add(
                t.where(values["opening_date"][0].number, "value"),
                f"the session opens on {opening}, before the Convention entered into force "
                f"({convention.entry_into_force})",
                "check the opening date",
            )
        conference = values.get("conference", (None, ""))[1] or self.body.conference
        presidency = self.presidency(t, values)
        profile = values.get("profile", (None, ""))[1] or None
        venue = values.get("venue", (None, ""))[1] or None
        return Session(conference, number, opening, groups.get("president_group"),
                       groups.get("rapporteur_group"), cycle, start, offset, presidency,
                       profile, venue)

    def presidency(self, t: Table, values: dict[str, tuple[Row, str]]) -> str | None:
        """The presiding State: key presidency, or key host as cases wrote it before the
        presidency and the venue were told apart (COP 23 met in Bonn with Fiji presiding)."""
        named = {key: self.state(t, values[key][0], "value")
                 for key in ("presidency", "host") if values.get(key, (None, ""))[1]}
        if "host" in named and "presidency" in named and named["host"] != named["presidency"]:
            self.problems.add(t.where(values["host"][0].number, "key"),
                              f"the key host names {named['host']} and the key presidency "
                              f"{named['presidency']}; host is read as the presiding State",
                              "keep presidency (the State that presides) and write where the "
                              "session meets under venue")
            return None
        if "host" in named and "presidency" not in named and named["host"]:
            self.warnings.append(
                f"The session table's key host ({named['host']}) is read as the presiding "
                "State (key presidency); where the session meets goes under key venue.")
        return named.get("presidency") or named.get("host")

    def declared_states(self, t: Table) -> frozenset[str]:
        """States the case declares itself, where its profile allows them."""
        if not self.body.extra_states:
            self.problems.add(t.where(None), "this body's cases cannot declare States",
                              "remove the states table, or use a profile with "
                              "extra_states = true")
            return frozenset()
        if not t.require(self.problems, *required_columns("states")):
            return frozenset()
        found = registry().lookup_all(set(t.texts("state")).difference(("",)))
        declared = frozenset(compress(found, map(is_, found.values(), repeat(None))))
        # the names read: each table that names States after this one finds them known, a
        # declared State as itself
        self.names = dict(found)
        self.names.update(zip(declared, declared, strict=True))
        self.named_in = declared
        return declared

    def members(self, t: Table) -> tuple[frozenset[str], tuple[MemberTerm, ...]]:
        """The members, and their terms where the table gives from or until."""
        if not t.require(self.problems, *required_columns("members")):
            return frozenset(), ()
        states: set[str] = set()
        terms: list[MemberTerm] = []
        for row in t.rows:
            state = self.state(t, row, "state")
            start = self.date(t, row, "from", required=False) if t.has("from") else None
            end = self.date(t, row, "until", required=False) if t.has("until") else None
            if start is not None and end is not None and end < start:
                self.problems.add(t.where(row.number, "until"),
                                  f"the term ends ({end.isoformat()}) before it begins "
                                  f"({start.isoformat()})",
                                  "give the last day of the term, on or after its first")
            if state is not None:
                states.add(state)
                terms.append(MemberTerm(state, start, end))
        # a State with no term given is a member throughout, whatever its other rows say
        open_ended = {m.state for m in terms if m.start is None and m.end is None}
        kept = tuple(sorted((m for m in terms if m.state not in open_ended),
                            key=lambda m: (m.state, m.start or dt.date.min)))
        return frozenset(states), kept

    def constituencies(self, t: Table) -> tuple[tuple[str, frozenset[str]], ...]:
        if not t.require(self.problems, *required_columns("constituencies")):
            return ()
        out: dict[str, set[str]] = {}
        for row in t.rows:
            state = self.state(t, row, "state")
            text = row.text("constituency")
            name = self.body.find_constituency(text)
            if name is None:
                self.problems.add(
                    t.where(row.number, "constituency"),
                    f"unknown constituency {text!r}" if text else "the constituency is missing",
                    ("use one of: " + "; ".join(self.body.constituencies))
                    if self.body.constituencies else
                    "this body's profile uses no constituency; remove the table")
            elif state is not None:
                out.setdefault(name, set()).add(state)
        return tuple((n, frozenset(s)) for n, s in sorted(out.items()))

    def attendance(self, t: Table) -> frozenset[str]:
        if not t.require(self.problems, *required_columns("attendance")):
            return frozenset()
        return frozenset(s for s in self.states_in(t, "state") if s)

    def withdrawals(self, t: Table) -> frozenset[str]:
        if not t.require(self.problems, *required_columns("withdrawals")):
            return frozenset()
        return frozenset(s for s in self.states_in(t, "state") if s)

    def nominations(self, t: Table) -> list[Nomination]:
        if not t.require(self.problems, *required_columns("nominations")):
            return []
        out: dict[tuple[str, str], Nomination] = {}
        for row in t.rows:
            state = self.state(t, row, "state")
            post = self.post(t, row, "post")
            priority = (self.integer(t, row, "priority", 1, 1, MAX_PRIORITY)
                        if t.has("priority") else 1)
            person = row.text("person") or row.text("representative")
            if row.text("person") and row.text("representative") and normalise(
                    row.text("person")) != normalise(row.text("representative")):
                self.problems.add(t.where(row.number, "representative"),
                                  f"the person is {row.text('person')!r} and the representative "
                                  f"{row.text('representative')!r}",
                                  "give the person once (the two headings say the same)")
            attributes = tuple(sorted(
                (t.headers[c], row.text(c)) for c in t.headers
                if c not in NOMINATION_COLUMNS and row.text(c)))
            if t.has("group") and row.text("group"):
                nominating = self.group(t, row, "group")
                own = self.membership_of.get(state or "")
                if nominating and state and own != nominating:
                    self.problems.add(
                        t.where(row.number, "group"),
                        f"{state} is nominated by the {nominating}, but it "
                        + (f"belongs to the {own}" if own else "is in no regional group"),
                        "a group nominates its own States; check the State or the group")
            if state is None or post is None or priority is None:
                continue
            new = Nomination(state, post, priority, person, t.where(row.number), attributes)
            old = out.get((state, post))
            if old is not None and (old.priority, old.person, old.attributes) != (
                    priority, person, attributes):
                self.problems.add(t.where(row.number),
                                  f"{state} is nominated for {post} twice, differently "
                                  f"(see {old.where})", "keep one row")
                continue
            out[(state, post)] = new
        return sorted(out.values(), key=lambda n: (n.post, n.priority, n.state))

    def schedule(self, t: Table) -> list[tuple[int, dt.date]]:
        if not t.require(self.problems, *required_columns("sessions")):
            return []
        out: dict[int, dt.date] = {}
        for row in t.rows:
            number = self.integer(t, row, "session", 1, 1)
            date = self.date(t, row, "opening_date")
            if number is not None and date is not None:
                if number in out and out[number] != date:
                    self.problems.add(t.where(row.number, "opening_date"),
                                      f"session {number} is given two opening dates",
                                      "keep one row per session")
                out[number] = date
        return sorted(out.items())

    def expected(self, t: Table, instruments: set[str]) -> list[Deposit]:
        if not t.require(self.problems, *required_columns("expected_ratifications")):
            return []
        out = []
        for row in t.rows:
            state = self.state(t, row, "state")
            ident = self.instrument(t, row, instruments)
            if ident is None:
                continue
            date = self.date(t, row, "expected_date")
            if state is not None and date is not None:
                out.append(Deposit(state, ident, date, "expected", t.where(row.number)))
        return out

    def history(self, t: Table) -> list[PastOfficer]:
        if not t.require(self.problems, *required_columns("bureau_history")):
            return []
        out = []
        foreign: dict[str, list[int]] = {}
        for row in t.rows:
            number = self.integer(t, row, "session", 1, 1)
            text = row.text("post")
            post = self.body.find_post(text)
            if post is None and text:
                # a post this profile's body does not have (the history of a body read under
                # another profile): still service on the bureau, under the post's own words
                foreign.setdefault(text, []).append(row.number)
                post = text
            elif post is None:
                self.problems.add(t.where(row.number, "post"), "the post is missing",
                                  "write the post held")
            state = self.state(t, row, "state")
            holdover = self.yes_no(t, row, "holdover")
            if number is not None and post is not None and state is not None:
                out.append(PastOfficer(number, post, state, row.text("person"),
                                       bool(holdover)))
        self.holders(t, out)
        for text, rows in sorted(foreign.items()):
            self.warnings.append(
                f"{t.where()}: the post {text!r} (row{'s' if len(rows) > 1 else ''} "
                f"{', '.join(map(str, rows))}) is none of this body's posts "
                f"({', '.join(self.body.post_names)}): read as service on the bureau under no "
                "post of the profile (check the spelling, or the profile).")
        return sorted(out, key=lambda h: (h.session, h.post, h.state, h.person))

    def holders(self, t: Table, rows: list[PastOfficer]) -> None:
        """No session holds a post by more States than the body has seats of it (a holder
        replaced during the term is the same State's; a hold-over is not counted)."""
        by_key: dict[tuple[int, str], set[str]] = {}
        for h in rows:
            if not h.holdover and h.post in self.body.post_names:
                by_key.setdefault((h.session, h.post), set()).add(h.state)
        for (session, post), states in sorted(by_key.items()):
            count = self.body.post(post).count
            if len(states) > count:
                self.problems.add(t.where(None, "state"),
                                  f"session {session} has {len(states)} States holding the "
                                  f"{post} ({', '.join(sorted(states))}); the body has {count}",
                                  "keep the holders elected at that session (a hold-over: mark "
                                  "it holdover yes)")

    def yes_no(self, t: Table, row: Row, column: str) -> bool | None:
        """A yes/no cell (empty: no); None where it is neither, reported."""
        text = row.text(column).lower()
        if text in ("", "no", "n", "false", "0"):
            return False
        if text in ("yes", "y", "true", "1"):
            return True
        self.problems.add(t.where(row.number, column), f"{row.text(column)!r} is neither yes "
                          "nor no", "write yes or no")
        return None

    def suppositions(self, t: Table) -> list[str]:
        if not t.require(self.problems, *required_columns("suppositions")):
            return []
        return list(dict.fromkeys(row.text("supposition") for row in t.rows
                                  if row.text("supposition")))

    def attributes(self, t: Table) -> list[Attribute]:
        if not t.require(self.problems, *required_columns("attributes")):
            return []
        out: dict[tuple[str, str], tuple[Attribute, Row]] = {}
        for row in t.rows:
            state = self.state(t, row, "state")
            name, value = row.text("attribute"), row.text("value")
            for column, text in (("attribute", name), ("value", value)):
                if not text:
                    self.problems.add(t.where(row.number, column), f"the {column} is missing",
                                      f"write the {column}, or delete the row")
            if state is None or not name or not value:
                continue
            key = (state, normalise(name))
            earlier = out.get(key)
            if earlier is not None and normalise(earlier[0].value) != normalise(value):
                self.problems.add(t.where(row.number, "value"),
                                  f"{state}'s {name} is {earlier[0].value!r} in row "
                                  f"{earlier[1].number} and {value!r} here",
                                  "keep one value for each State and attribute")
                continue
            out[key] = (Attribute(state, name, value), row)
        return sorted((a for a, _r in out.values()),
                      key=lambda a: (normalise(a.attribute), a.state))

    def rotation(self, t: Table) -> list[RotationEntry]:
        """The rotation table, recorded or published: one row per session and post (session,
        post, group), or per session with the head post's and its first follower's groups in
        columns (president_group, rapporteur_group), as cases wrote it before."""
        if not t.require(self.problems, *required_columns("rotation")):
            return []
        body = self.body
        wide = {"president_group": body.rotating_post, "rapporteur_group": body.following_post}
        out: dict[tuple[int, str], tuple[RotationEntry, Row]] = {}
        unread = sorted(k for k, post in wide.items() if post is None and t.has(k)
                        and any(row.text(k) for row in t.rows))
        if unread:
            self.warnings.append(
                f"{t.where()}: column{'s' if len(unread) > 1 else ''} {', '.join(unread)} "
                "not read: no post of this body's profile follows that turn.")
        for row in t.rows:
            number = self.integer(t, row, "session", 1, 1)
            entries: list[tuple[str | None, str | None]] = []
            for key, post in wide.items():
                if post is not None and t.has(key) and row.text(key):
                    entries.append((post, self.group(t, row, key)))
            if t.has("post") and (row.text("post") or row.text("group")):
                post = self.post(t, row, "post")
                if post is not None and post not in body.rotating_posts:
                    self.problems.add(t.where(row.number, "post"),
                                      f"the {post} does not rotate in this body",
                                      "use one of: " + ", ".join(body.rotating_posts))
                    post = None
                group = self.group(t, row, "group") if t.has("group") else None
                entries.append((post, group))
            for post, group in entries:
                if number is None or post is None or group is None:
                    continue
                earlier = out.get((number, post))
                if earlier is not None and earlier[0].group != group:
                    self.problems.add(t.where(row.number), f"session {number}'s {post} is "
                                      f"given to the {earlier[0].group} in row "
                                      f"{earlier[1].number} and to the {group} here",
                                      "keep one row for each session and post")
                    continue
                out[(number, post)] = (RotationEntry(number, post, group), row)
        return sorted((e for e, _r in out.values()), key=lambda r: (r.session, r.post))

    def post(self, t: Table, row: Row, column: str) -> str | None:
        """A post as the profile or the record names it (an alias, or an ordinal: "First
        Vice-Chair"); reported where it is none of the body's."""
        text = row.text(column)
        post = self.body.find_post(text)
        if post is None:
            self.problems.add(t.where(row.number, column), *unknown_post(self.body, text))
        return post

    # -- the whole case

    def load(self) -> Case:
        tables = self.tables()
        if "states" in tables:
            self.declared = self.declared_states(tables["states"])
        instruments: list[Instrument] = []
        status_files: dict[str, tuple[Row, str]] = {}
        if "instruments" in tables:
            instruments, status_files = self.instruments(tables["instruments"])
        ids = {i.id for i in instruments}
        deposits: list[Deposit] = []
        signatures: list[Signature] = []
        for ident, (row, ref) in sorted(status_files.items()):
            self.untc(ident, tables["instruments"], row, ref, deposits, signatures)
        read = None
        if "ratifications" in tables:
            read = self.ratifications(tables["ratifications"], ids, deposits, signatures)
        elif (self.body.eligibility == TREATY and instruments
              and len(status_files) < len(instruments) and not self.problems):
            missing = sorted(ids - set(status_files))
            self.problems.add(
                tables["instruments"].where(None, "status_file"),
                "no ratifications table and no status_file for " + ", ".join(missing),
                "add a ratifications table, or name each instrument's UNTC status table",
            )
        # the ratifications table's columns as read, where its rows are all the deposits
        columns = DepositColumns(deposits, *read) if read and len(deposits) == len(read[0]) \
            else DepositColumns(deposits)
        self.plausible_dates(columns, instruments)
        unique = self.unique_deposits(columns)
        memberships = self.groups(tables["groups"]) if "groups" in tables else []
        self.membership_of = dict(memberships)  # each a (state, group) pair: made in C
        convention = next((i for i in instruments if i.kind == "convention"), None)
        session = self.session(tables["session"], convention) if "session" in tables else None
        # an attendance table with no rows (as planner init leaves it) means not given
        attendance = (self.attendance(tables["attendance"])
                      if "attendance" in tables and tables["attendance"].rows else None)
        nominations = self.nominations(tables["nominations"]) if "nominations" in tables else []
        withdrawn = (self.withdrawals(tables["withdrawals"]) if "withdrawals" in tables
                     else frozenset())
        rotation = self.rotation(tables["rotation"]) if "rotation" in tables else []
        schedule = self.schedule(tables["sessions"]) if "sessions" in tables else []
        expected = (self.expected(tables["expected_ratifications"], ids)
                    if "expected_ratifications" in tables else [])
        history = self.history(tables["bureau_history"]) if "bureau_history" in tables else []
        members, terms = (self.members(tables["members"]) if "members" in tables
                          else (None, ()))
        constituencies = (self.constituencies(tables["constituencies"])
                          if "constituencies" in tables else ())
        attributes = self.attributes(tables["attributes"]) if "attributes" in tables else []
        suppositions = (self.suppositions(tables["suppositions"])
                        if "suppositions" in tables else [])
        self.problems.raise_if_any()
        if self.carried_edit is not None:
            raise CarriedCaseEdited([self.carried_edit])
        assert session is not None
        self.warn_rotation_against_history(rotation, history, session)
        if convention is not None:
            self.warn_protocols_without_convention(unique, convention)
        return Case(
            name=self.path.stem if self.path.is_file() else self.path.name,
            path=self.path,
            body=self.body,
            instruments=tuple(instruments),
            deposits=tuple(unique.items),
            signatures=tuple(sorted(set(signatures), key=_signature_key)),
            memberships=tuple(memberships),
            session=session,
            attendance=attendance,
            nominations=tuple(nominations),
            rotation=tuple(rotation),
            warnings=tuple(self.problems.notices + self.warnings),
            files=tuple(InputFile(shown, sha256_of(p))
                        for p, shown in sorted(self.files.items(), key=lambda kv: kv[1])),
            schedule=tuple(schedule),
            expected=tuple(sorted(expected, key=lambda d: (d.state, d.instrument, d.date))),
            history=tuple(history),
            members=members,
            terms=terms,
            tables=tuple(self.table_dates),
            constituencies=constituencies,
            withdrawn=withdrawn,
            attributes=tuple(attributes),
            suppositions=tuple(suppositions),
            declared=self.declared,
        )

    def warn_rotation_against_history(self, rotation: list[RotationEntry],
                                      history: list[PastOfficer], session: Session) -> None:
        """Where the rotation table (or the session table) and the bureau history give a
        session's head post to different groups, the table is read: say so."""
        head = self.body.rotating_post
        if head is None:
            return
        group_of = self.membership_of
        held = {h.session: (h.state, group_of.get(h.state)) for h in history
                if h.post == head and not h.holdover}
        given = {r.session: r.group for r in rotation if r.post == head}
        if session.president_group:
            given[session.number] = session.president_group
        for number, group in sorted(given.items()):
            state, own = held.get(number, (None, None))
            if own is not None and own != group:
                self.warnings.append(
                    f"Session {number}: the rotation gives the {head} to the {group}, but the "
                    f"bureau history's {head}, {state}, is of the {own}; the rotation table "
                    "is read.")

    def warn_protocols_without_convention(self, deposits: DepositColumns,
                                          convention: Instrument) -> None:
        # read column by column, in C: a large case holds a deposit per row
        states = deposits.states
        dates = deposits.dates
        own = list(map(eq, deposits.instruments, repeat(convention.id)))
        first = dict(zip(compress(states, own), compress(dates, own), strict=True))
        # a deposit is one State's for one instrument: a Convention deposit is its State's
        # first, never after itself, and only the protocols' deposits can come before it
        early = list(map(gt, map(first.get, states, repeat(dt.date.max)), dates))
        for d in compress(deposits.items, early):
            self.warnings.append(
                f"{d.state} deposited its instrument for {d.instrument} on {d.date} without "
                f"having deposited one for the Convention before (Convention art. 37(2)); "
                f"see {d.where}"
            )


def _holds_example(row: Row, columns: tuple[str, ...], example: list[Any]) -> bool:
    """Whether a marked row still holds the template's example, and nothing else."""
    def text(value: Any) -> str:
        return normalise(value.isoformat() if isinstance(value, dt.date) else str(value))

    values = dict(zip(columns, example, strict=False))
    return all(normalise(row.text(key)) == text(values.get(key, ""))
               for key in row.cells if key != "example")


def unknown_post(body: Body, text: str) -> tuple[str, str]:
    """What is wrong with a post's name, and the fix."""
    if not text:
        return "the post is missing", "write the post: " + ", ".join(body.post_names)
    first, _space, rest = text.strip().partition(" ")
    numbered = body.find_post(rest) if rest and normalise(first) in ORDINALS else None
    if numbered is not None:
        count = body.post(numbered).count
        return (f"{text!r} is beyond the body's {count} {numbered} seat"
                f"{'s' if count != 1 else ''}", f"number the seats from 1 to {count}, or "
                f"write {numbered!r}")
    return (f"unknown post {text!r}", "use one of: " + ", ".join(body.post_names)
            + " (the seats of a post held by several may be numbered: First Vice-Chair)")


def _signature_key(s: Signature) -> tuple[str, str, dt.date]:
    return (s.state, s.instrument, s.date or dt.date.min)


def load_case(path: Path | str, body: Body) -> Case:
    """Read a case folder or workbook. Raises InputError with every problem found."""
    p = Path(path)
    if not p.exists():
        raise InputError([Problem(Where(str(p)), "no such file or folder",
                                  "give the path of a case folder or workbook")])
    if not os.access(p, os.R_OK | (os.X_OK if p.is_dir() else 0)):
        raise InputError([Problem(Where(str(p)), "permission denied: the planner cannot read it",
                                  "ask for read access, or copy the case somewhere readable")])
    if p.is_file() and p.suffix.lower() != ".xlsx":
        raise InputError([Problem(Where(str(p)), "a case is a folder or an .xlsx workbook",
                                  "give the case folder, or a workbook with one sheet per table")])
    # the collector paused while the case is read: reading makes an object or two per row
    # (hundreds of thousands at scale) and no cycle among them, which the collector would
    # walk again and again for nothing (a seventh of the reading, measured at 20,000 States)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Loader(p, body).load()
    finally:
        if collecting:
            # what was read is counted young all the same, and the collector would walk it all
            # at the next allocation (a fourteenth of the reading at 20,000 States): a case
            # lives as long as its command or request, so its objects join the oldest
            # generation at once (frozen, then thawed into it), which a full collection still
            # walks. (Objects a process froze itself would be thawed too: the planner freezes
            # only as a command ends, after its last reading.)
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def named_profile(path: Path | str) -> str | None:
    """The profile a case names in its session table (key 'profile'), if it names one and the
    table can be read; the full reading reports any problem with it."""
    p = Path(path)
    problems = Problems()
    table: Table | None = None
    try:
        if p.is_dir():
            found = [p / f"session{ext}" for ext in (".csv", ".xlsx")
                     if (p / f"session{ext}").is_file()]
            if len(found) == 1:
                table = read_table_file("session", found[0], str(found[0]), problems)
        elif p.is_file() and p.suffix.lower() == ".xlsx":
            sheets = read_workbook(p, str(p), problems)
            by_key = {s.strip().lower(): s for s in sheets or {}}
            # a written workbook carries its case on sheets of its own, as the reader reads it
            name = f"{EMBEDDED}session" if f"{EMBEDDED}session" in by_key else "session"
            if sheets is not None and name in by_key:
                table = table_from_sheet("session", str(p), by_key[name],
                                         sheets[by_key[name]], problems)
    except OSError:
        return None
    if table is None or not table.has("key") or not table.has("value"):
        return None
    for row in table.rows:
        if row.text("key").strip().lower() == "profile" and row.text("value"):
            return row.text("value").strip()
    return None


def default_case_path() -> Path:
    """The shipped 6th-session case, wherever planner is installed or run from."""
    from importlib import resources

    return Path(str(resources.files("planner.cases").joinpath("untoc-cop6-2012")))


def shipped_cases() -> dict[str, Path]:
    from importlib import resources

    root = Path(str(resources.files("planner.cases")))
    return {p.name: p for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith("_")}


