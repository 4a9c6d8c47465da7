"""Reading tables from CSV and .xlsx files into DataFrames, and rows out of them.

Every cell is kept as read (text, number or date) so that dates are never guessed by pandas;
rows carry the number the spreadsheet shows, so that problems can name them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import operator
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice, repeat
from pathlib import Path
from typing import Any, Literal, NamedTuple, overload

from planner.errors import Problems, Where
from planner.io.xlsx_scan import unsafe_workbook
from planner.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
)

_HEADER_SPACE = re.compile(r"[\s\-]+")


def header_key(text: object) -> str:
    return _HEADER_SPACE.sub("_", str(text).strip().lower())


def cell_text(value: Any) -> str:
    """A cell as text: '' for empty cells, '6' for a number stored as 6.0."""
    if value.__class__ is str:  # most cells, and every CSV cell
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return "" if text.lower() in {"nan", "nat"} and not isinstance(value, str) else text


class Row(NamedTuple):
    """One row of a table: its number as the spreadsheet numbers it, its cells as read, and
    where each column is among them (one index, shared by every row of the table: a row is a
    tuple, not a dictionary of its own)."""

    number: int
    values: Sequence[Any]
    at: Mapping[str, int]

    def text(self, column: str) -> str:
        i = self.at.get(column)
        if i is None:
            return ""
        value = self.values[i]
        # most cells are text (every CSV cell): stripped here, without a further call
        return value.strip() if value.__class__ is str else cell_text(value)

    def raw(self, column: str) -> Any:
        i = self.at.get(column)
        return None if i is None else self.values[i]

    @property
    def cells(self) -> dict[str, Any]:
        return {key: self.values[i] for key, i in self.at.items()}


class LazyRows(Sequence[Row]):
    """A CSV table's rows, each made when the rows are first asked for: a table read column by
    column (Table.columns), as the reader reads every large table where nothing is wrong,
    never asks, and making and freeing a Row for each of its rows would cost a twentieth of
    the reading."""

    __slots__ = ("_made", "at", "start", "values")

    def __init__(self, values: Sequence[Sequence[Any]], start: int,
                 at: Mapping[str, int]) -> None:
        self.values = values  # every line read, the header among them
        self.start = start  # the index of the first row after the header
        self.at = at
        self._made: tuple[Row, ...] | None = None

    def made(self) -> tuple[Row, ...]:
        if self._made is None:
            # each Row made in C (tuple.__new__), not through the named tuple's own __new__,
            # a Python function: half the time, on a table of 87,000 rows
            self._made = tuple(map(tuple.__new__, repeat(Row),
                                   zip(range(self.start + 1, len(self.values) + 1),
                                       islice(self.values, self.start, None), repeat(self.at))))
        return self._made

    def numbers(self) -> list[int]:
        return list(range(self.start + 1, len(self.values) + 1))

    def __len__(self) -> int:
        return len(self.values) - self.start

    @overload
    def __getitem__(self, i: int) -> Row: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Row, ...]: ...

    def __getitem__(self, i: int | slice) -> Row | tuple[Row, ...]:
        return self.made()[i]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.made())

    def __eq__(self, other: object) -> bool:
        return (self.made() == tuple(other) if isinstance(other, (LazyRows, tuple))
                else NotImplemented)

    def __hash__(self) -> int:
        return hash(self.made())

    def __repr__(self) -> str:
        return f"LazyRows({len(self)} rows)"


@dataclass(frozen=True)
class Table:
    """One table of a case: where it came from, its columns, its non-blank rows."""

    name: str
    file: str
    sheet: str | None
    headers: dict[str, str]  # normalised key -> header as written
    rows: Sequence[Row]  # a tuple, or a CSV table's LazyRows
    # rows marked in an "example" column (as planner init writes them): not data unless they
    # hold something else than the example (planner.io.reader decides, knowing the example)
    examples: tuple[Row, ...] = ()
    # every cell is text (a CSV file's): a column is read without looking at its cells' types
    texts_only: bool = False
    # the rows' cells column by column (by position, as in a row), where the reader took them
    # while the rows were at hand: a column gathered from the rows later costs as much again
    columns: tuple[tuple[Any, ...], ...] | None = None

    def where(self, row: int | None = None, column: str | None = None) -> Where:
        shown = self.headers.get(column, column) if column else None
        return Where(self.file, self.sheet, row, shown)

    def has(self, column: str) -> bool:
        return column in self.headers

    def column(self, key: str) -> list[Any]:
        """A column's cells as read, one per row (None each where the table lacks it): a
        reader that walks a table column by column asks each distinct cell once."""
        rows = self.rows
        if not rows:
            return []
        i = (rows.at if isinstance(rows, LazyRows) else rows[0].at).get(key)  # one index
        if i is None:
            return [None] * len(self.rows)
        if self.columns is not None:
            return list(self.columns[i])
        return [r.values[i] for r in self.rows]

    def numbers(self) -> list[int]:
        """Each row's number, as the spreadsheet numbers it."""
        if isinstance(self.rows, LazyRows):
            return self.rows.numbers()
        return [r.number for r in self.rows]

    def all_text(self, key: str, cells: list[Any]) -> bool:
        """Whether each of a column's cells (as column() gives them) is text."""
        return (self.texts_only and key in self.headers) or set(map(type, cells)) <= {str}

    def texts(self, key: str) -> list[str]:
        """A column's cells as text, stripped (Row.text of each row: '' where the table lacks
        the column)."""
        if key not in self.headers:
            return [""] * len(self.rows)
        cells = self.column(key)
        if self.all_text(key, cells):  # read in C
            return list(map(str.strip, cells))
        return [v.strip() if v.__class__ is str else cell_text(v) for v in cells]

    def unstripped(self, key: str) -> list[str]:
        """A column's cells as text, as a dictionary of what each distinct text says can be
        keyed by them: a CSV table's cells as read (str.strip of one is its text), else
        texts(key). A large CSV table's column is not stripped cell by cell, only each of its
        distinct texts."""
        if self.texts_only and key in self.headers:
            return self.column(key)
        return self.texts(key)

    def require(self, problems: Problems, *columns: str) -> bool:
        """Report each missing column; True when all are there."""
        ok = True
        for column in columns:
            if column not in self.headers:
                problems.add(
                    self.where(1),
                    f"the {self.name} table has no column {column!r}",
                    f"add a column headed {column!r}; columns found: "
                    + ", ".join(repr(h) for h in self.headers.values()),
                )
                ok = False
        return ok


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


# what XML cannot hold, which a workbook's writer replaces (U+FFFD): the digest of a table
# is taken of the text as it reads back
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def table_digest(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """SHA-256 of a table's cells as a reader sees them (cell_text: numbers, dates and text
    alike however the workbook stores them; trailing empty cells and empty rows dropped): the
    same for the rows a writer puts on a sheet and for the sheet read back."""
    digest = hashlib.sha256()
    for values in (headers, *rows):
        cells = [_NOT_XML.sub("\ufffd", cell_text(v)) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            digest.update(("\x1f".join(cells) + "\x1e").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def combined_digest(digests: Mapping[str, str]) -> str:
    """One SHA-256 for several tables' digests, by table name."""
    return hashlib.sha256("".join(f"{k}:{v};" for k, v in sorted(digests.items())).encode()
                          ).hexdigest()


# control characters, and the invisible ones that change how text reads (direction overrides
# and isolates, zero-width characters): a name holding one can show one State and be another
CONTROLS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
            "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff")
_CONTROL = re.compile(f"[{CONTROLS}]")
_ASCII_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


# the control bytes of plain ASCII text made NUL, and per separator the characters a blank
# line may hold with the \r of a \r\n line end: dropped from the text (bytes.translate), for
# one look at it for both
_CONTROLS_AS_NUL = bytes.maketrans(_ASCII_CONTROLS, bytes(len(_ASCII_CONTROLS)))
_BLANK_BYTES = {sep: f' \t\r"{sep}'.encode() for sep in (",", ";", "\t")}


def _looked_over(text: str, lines: list[str], sep: str) -> tuple[bool, bool]:
    """Whether a text holds a control or invisible formatting character (_holds_control),
    and whether a line of it may be a blank row (_may_hold_blank_row; said True where it holds
    a control character). Plain ASCII text is looked over once, in C."""
    if text.isascii():
        kept = text.encode("ascii").translate(_CONTROLS_AS_NUL, _BLANK_BYTES[sep])
        if b"\x00" in kept:
            return True, True
        # with no control character a line ends at \n, \r\n or \r alone. Where none ends at
        # \r alone (as many lines as \n's, and the last one's if it has no end), each line of
        # the blank characters dropped ends at \n: a blank line is a \n at the start or after
        # another (looked for, not split into lines). A \r alone, dropped, would join the
        # next line to its own
        if "\r" not in text or len(lines) == text.count("\n") + (text[-1:] not in "\r\n"):
            # a last line with no end that held only blank characters is gone with them
            return False, kept[:1] == b"\n" or b"\n\n" in kept or (
                text[-1:] not in ("", "\n") and kept[-1:] in (b"", b"\n"))
    elif _holds_control(text):
        return True, True
    return False, _may_hold_blank_row(lines, sep)


def _may_hold_blank_row(lines: list[str], sep: str) -> bool:
    """Whether a line (its end kept or not) holds nothing but separators, quotes and blank
    space (of any kind: a row of no-break spaces is blank too): the only lines a blank row
    can begin with. Asked of every line, in C."""
    if all(map(str.isascii, lines)):
        return "" in map(operator.methodcaller("strip", f' \t\r\n"{sep}'), lines)
    drop = operator.methodcaller("translate", {ord(sep): None, ord('"'): None})
    return "" in map(str.strip, map(drop, lines))


def _holds_control(text: str) -> bool:
    """Whether a text holds a control or invisible formatting character (CONTROLS)."""
    if text.isascii():  # most files: one pass in C that drops the control bytes, if any
        raw = text.encode("ascii")
        return len(raw.translate(None, _ASCII_CONTROLS)) != len(raw)
    return _CONTROL.search(text) is not None


def control_said(text: str) -> str | None:
    """The first control or invisible formatting character in a text, in words (None: none)."""
    import unicodedata

    found = _CONTROL.search(text)
    if found is None:
        return None
    ch = found[0]
    return f"U+{ord(ch):04X}" + (f" {unicodedata.name(ch)}" if unicodedata.name(ch, "") else "")
# where str.splitlines ends a line and a file opened with newline="" does not, controls aside
_LINE_BREAKS_OF_SPLITLINES = re.compile("[\x85\u2028\u2029]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _from_values(name: str, file: str, sheet: str | None, values_list: Sequence[Sequence[Any]],
                 width: int, problems: Problems | None = None,
                 clean: bool | Literal["no blank row"] = False,
                 columns: tuple[tuple[Any, ...], ...] | None = None) -> Table:
    """The first non-blank row is the header; rows are numbered from 1 as in a spreadsheet.
    Text with control characters is reported, not read (clean: the caller has looked at the
    whole text already and found no cell too long and no control character; columns: the
    cells of the rows after the first, column by column, where the caller took them)."""
    headers: dict[str, str] = {}
    positions: list[tuple[int, str]] = []
    if problems is not None and width > MAX_COLUMNS:
        problems.add(Where(file, sheet), f"the {name} table has {width:,} columns, "
                     f"more than the {MAX_COLUMNS} a table may have",
                     "check that this is the right file")
        return Table(name, file, sheet, {}, ())
    top = next((i for i, r in enumerate(values_list) if any(cell_text(v) for v in r)), None)
    if top is not None:
        for pos, value in enumerate(values_list[top]):
            text = cell_text(value)
            if text:
                key = header_key(text)
                if key not in headers:
                    headers[key] = text
                    positions.append((pos, key))
                elif problems is not None:
                    problems.add(Where(file, sheet, top + 1, text),
                                 f"two columns are headed {headers[key]!r} and {text!r}",
                                 "keep one of them")
    rows: list[Row] = []
    examples: list[Row] = []
    start = (top or 0) + 1
    at = {key: pos for pos, key in positions}
    at_example = at.get("example")
    read = [pos for pos, _key in positions]
    if clean == "no blank row" and at_example is None and len(read) == width:
        # every column headed and no blank line (read_csv_table looked at the whole text):
        # the rows are the lines after the header, made Rows only if asked for
        lazy = LazyRows(values_list, start, at)
        if problems is not None and len(lazy) > MAX_ROWS:
            return _bounded(name, file, sheet, headers, [], examples, problems, len(lazy))
        if columns is None or start != 1:
            columns = tuple(zip(*islice(values_list, start, None), strict=True))
        return Table(name, file, sheet, headers, lazy, columns=columns)
    # the headed cells of a row in one call; a row whose headed cells are all text (a CSV
    # file's) is blank when each is empty once stripped, asked in one pass
    picked = (operator.itemgetter(*read) if len(read) > 1 else
              (lambda v: (v[read[0]],)) if read else (lambda v: ()))
    for number, values in enumerate(values_list[start:], start=start + 1):
        if at_example is not None and cell_text(values[at_example]):
            examples.append(Row(number, values, at))
            continue
        headed = picked(values)
        try:
            blank = not any(map(str.strip, headed))
        except TypeError:  # a number or a date among them (a workbook's cells)
            blank = not any(map(cell_text, headed))
        if not blank:
            rows.append(Row(number, values, at))
            if problems is not None and not clean and _may_be_unreadable(
                    cells := {key: values[pos] for pos, key in positions}):
                for key, v in cells.items():
                    if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                        problems.add(Where(file, sheet, number, headers[key]),
                                     f"the cell holds {len(v):,} characters, more than the "
                                     f"{MAX_CELL_CHARS:,} a cell may", "shorten it")
                    elif isinstance(v, str) and (said := control_said(v)) is not None:
                        problems.add(Where(file, sheet, number, headers[key]),
                                     "the cell holds a control or invisible formatting "
                                     f"character ({said}), which can make it read otherwise "
                                     "than it is", "retype the cell's text")
    return _bounded(name, file, sheet, headers, rows, examples, problems)


def _bounded(name: str, file: str, sheet: str | None, headers: dict[str, str], rows: list[Row],
             examples: list[Row], problems: Problems | None, count: int | None = None) -> Table:
    """The table, or none of its rows where it has more than a case may (count: how many,
    where the rows are not given)."""
    count = len(rows) if count is None else count
    if problems is not None and count > MAX_ROWS:
        problems.add(Where(file, sheet), f"the {name} table has {count:,} rows, more than "
                     f"the {MAX_ROWS:,} a case may have", "check that this is the right file")
        rows = rows[:0]
    return Table(name, file, sheet, headers, tuple(rows), tuple(examples[:MAX_ROWS]))


def _may_be_unreadable(cells: dict[str, Any]) -> bool:
    """Whether a row may hold a cell too long or with a control character: one look at the
    row's text together, before the cell-by-cell look that says which."""
    joined = "".join(v for v in cells.values() if isinstance(v, str))
    return len(joined) > MAX_CELL_CHARS or _CONTROL.search(joined) is not None


def require_file(path: Path, fix: str) -> None:
    """A file a command was given: there, and a regular file (InputError otherwise)."""
    from planner.errors import InputError, Problem

    if not path.is_file():
        what = ("is not a regular file (a pipe, a device or a folder)" if path.exists()
                else "no such file")
        raise InputError([Problem(Where(str(path)), what, fix)])


def _too_big(path: Path, where: Where, problems: Problems) -> bool:
    """Whether a file must not be read: not a regular file (a pipe or a device would block or
    never end), unreadable, or too large."""
    import stat

    try:
        info = path.stat()
        size = info.st_size
    except OSError as exc:
        problems.add(where, f"cannot read the file ({exc.strerror})", "check the path and rights")
        return True
    if not stat.S_ISREG(info.st_mode):
        problems.add(where, "is not a regular file (a pipe, a device or a socket)",
                     "give the path of a .csv or .xlsx file")
        return True
    if not os.access(path, os.R_OK):
        problems.add(where, "cannot read the file (permission denied)",
                     "check the file's rights")
        return True
    if size > MAX_FILE_BYTES:
        problems.add(where, f"the file is {size / 2**20:.0f} MiB, more than the "
                     f"{MAX_FILE_BYTES // 2**20} MiB an input may have",
                     "check that this is the right file")
        return True
    return False


def _decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was read in: UTF-8 (with or without BOM), UTF-16 with BOM, or
    Windows-1252 (Latin-1 as Excel writes it) as the last resort."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict"), "Windows-1252"


class FlatRows(Sequence[list[str]]):
    """A plain CSV text's lines as rows, each a slice of its cells taken in one list (line
    after line, as wide as each other): rows made only if asked for."""

    __slots__ = ("cells", "width")

    def __init__(self, cells: list[str], width: int) -> None:
        self.cells = cells
        self.width = width

    def __len__(self) -> int:
        return len(self.cells) // self.width

    @overload
    def __getitem__(self, i: int) -> list[str]: ...

    @overload
    def __getitem__(self, i: slice) -> list[list[str]]: ...

    def __getitem__(self, i: int | slice) -> list[str] | list[list[str]]:
        if isinstance(i, slice):
            return list(self)[i]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        start = (i % len(self)) * self.width
        return self.cells[start:start + self.width]

    def __iter__(self) -> Iterator[list[str]]:
        w = self.width
        return map(self.cells.__getitem__, map(slice, range(0, len(self.cells), w),
                                                 range(w, len(self.cells) + w, w)))


def plain_cells(text: str, lines: list[str], sep: str, uncontrolled: bool) -> FlatRows | None:
    """The rows of a CSV text as the csv module reads them (as read from a file opened with
    newline=""), where it would read them by splitting each line at its separators: no cell
    quoted, each line ended by \n or \r\n and holding as many separators as the first, and
    no control character nor other character at which splitlines ends a line (lines: its
    splitlines; uncontrolled: whether it holds no control character). Read in a few calls over
    the whole text, not line by line. None where the text is not so plain. (Asked of a text
    no line of which is longer than a cell may be, well within the csv module's own limit on
    a cell, which it would enforce.)"""
    if (not lines or not uncontrolled or '"' in text
            or not (text.isascii() or _LINE_BREAKS_OF_SPLITLINES.search(text) is None)):
        return None
    width = lines[0].count(sep) + 1
    if set(map(str.count, lines, repeat(sep))) != {width - 1}:
        return None  # lines of different widths
    flat = text.replace("\r\n", "\n") if "\r" in text else text
    if "\r" in flat:
        return None  # a line ended by a \r alone
    if width == 1 and (flat.startswith("\n") or "\n\n" in flat):
        return None  # an empty line, in which the csv module reads no cell, not one empty
    cells = flat.replace("\n", sep).split(sep)
    if flat.endswith("\n"):
        cells.pop()  # nothing after the last line's end
    return FlatRows(cells, width) if len(cells) == len(lines) * width else None


def csv_records(text: str, split: list[str], sep: str,
                uncontrolled: bool) -> list[list[str]]:
    """The csv module's records of a text (as read from a file opened with newline=""), given
    its lines as text.splitlines(keepends=True) gives them, and whether it holds no control
    character. Raises csv.Error."""
    import csv
    import io

    # splitlines ends a line where a file opened with newline="" does (at \n, \r and \r\n)
    # and at a few characters more: where the text holds none of those (the rest of them are
    # control characters), the csv module reads the lines already split, a third faster than
    # reading them again from the text. (The csv module, not pandas: a CSV case is read
    # without importing pandas at all.)
    if uncontrolled and (text.isascii() or _LINE_BREAKS_OF_SPLITLINES.search(text) is None):
        return list(csv.reader(split, delimiter=sep))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


def read_csv_table(name: str, path: Path, shown: str, problems: Problems) -> Table | None:
    import csv
    import io

    where = Where(shown)
    if _too_big(path, where, problems):
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(where, f"cannot read the file ({exc.strerror})", "check the path and rights")
        return None
    if raw.startswith(b"PK\x03\x04") or raw.startswith(_OLE_MAGIC):
        problems.add(where, "the file is a workbook, not CSV text", f"save it as {name}.xlsx, or "
                     "export it as CSV")
        return None
    try:
        text, encoding = _decode(raw)
    except UnicodeDecodeError:
        problems.add(where, "the file is not text in a known encoding",
                     "save it as 'CSV UTF-8' from Excel")
        return None
    if "\x00" in text:
        problems.add(where, "the file is not CSV text (it holds NUL bytes)", "save it as CSV")
        return None
    if encoding == "Windows-1252":
        problems.notice(f"{shown} was read as Windows-1252 (Latin-1), not UTF-8; check its "
                        "accented names")
    end = text.find("\n")  # the first line, not the rest of the text copied as split would
    first = text if end < 0 else text[:end]
    sep = max([",", ";", "\t"], key=first.count) if first.strip() else ","
    # each line with its end, as the csv module reads a file opened with newline=""
    split = text.splitlines(keepends=True)
    # counted before the table is parsed: an oversized table is refused at once (a quoted
    # cell may run over lines, so this counts lines, at least as many as rows)
    if len(split) > MAX_ROWS + 1 and sum(1 for line in split if line.strip()) > MAX_ROWS + 1:
        records = sum(1 for record in csv.reader(io.StringIO(text, newline=""), delimiter=sep)
                      if any(c.strip() for c in record)) - 1  # the header row aside
        if records > MAX_ROWS:
            problems.add(where, f"the {name} table has {records:,} rows, more than the "
                         f"{MAX_ROWS:,} a case may have", "check that this is the right file")
            return None
    longest = max(map(len, split), default=0)
    # a line holds fewer separators than characters: only a line longer than the columns a
    # table may have can hold too many, and only then are the separators counted
    widest = (max(map(operator.methodcaller("count", sep), split), default=-1) + 1
              if longest >= MAX_COLUMNS else 0)
    if widest > MAX_COLUMNS:
        problems.add(where, f"a row has {widest:,} columns, more than the {MAX_COLUMNS} a table "
                     "may have", "check that this is the right file")
        return None
    # one look at the whole text: no line longer than a cell may be and no control character
    # means no cell of it is either, and the rows need no look of their own
    controlled, blank = _looked_over(text, split, sep)
    uncontrolled = not controlled
    clean: bool | Literal["no blank row"] = longest <= MAX_CELL_CHARS and uncontrolled
    if clean and not blank:
        clean = "no blank row"  # and the rows need no blank test of their own either
    # a plain text (no cell quoted, no blank line, lines as wide as each other: as a large
    # case comes) is split at its separators at once, in C, and its columns sliced from the
    # cells: about half the csv module's time, and no list made per row
    flat = plain_cells(text, split, sep, uncontrolled) if clean == "no blank row" else None
    columns: tuple[tuple[str, ...], ...] | None = None
    values: Sequence[list[str]]
    if flat is not None:
        width, values = flat.width, flat
        # (a table of headers alone has no column of cells, as the csv module's reading
        # gives it)
        columns = (tuple(tuple(flat.cells[width + i::width]) for i in range(width))
                   if len(flat) > 1 else ())
    else:
        try:
            lines = csv_records(text, split, sep, uncontrolled)
        except csv.Error as exc:
            problems.add(where, f"the file is not a readable CSV table ({exc})",
                         "save it as CSV, one row per line")
            return None
        if not any(any(c.strip() for c in line) for line in lines):
            problems.add(where, "the file is empty",
                         f"put the {name} table in it, with a header row")
            return None
        if clean == "no blank row":
            # the rows' cells column by column, every row found as wide as the header on
            # the way (a look of its own at each row's width costs as much again)
            with contextlib.suppress(ValueError):  # rows of different widths
                columns = tuple(zip(*islice(lines, 1, None), strict=True))
            if columns is not None and len(columns) != len(lines[0]):
                columns = None
        width = len(lines[0]) if columns is not None else max(map(len, lines))
        # each row as wide as the widest (the csv module's lists kept: copying them would
        # cost a tenth of the reading)
        values = (lines if columns is not None or min(map(len, lines)) == width else
                  [line if len(line) == width else line + [""] * (width - len(line))
                   for line in lines])
    table = _from_values(name, shown, None, values, width, problems, clean, columns)
    if not table.headers:
        problems.add(where, "the file is empty", f"put the {name} table in it, with a header row")
        return None
    return replace(table, texts_only=True)  # the csv module reads text alone


SheetRows = list[tuple[Any, ...]]  # a sheet's rows from its first, each as wide as the sheet


def _cell(value: Any) -> Any:
    """A cell as calamine reads it, as the case reader takes it: a whole number stored as a
    float is the number (6.0 is 6), a date is a datetime at midnight, an empty cell None."""
    if value.__class__ is str:
        return value if value else None
    if value.__class__ is float:
        return int(value) if value.is_integer() else value
    if value.__class__ is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


class Sheets(dict[str, SheetRows]):
    """A workbook's sheets by name, cells as read, and which of them a person reading the
    workbook does not see (hidden or very hidden)."""

    hidden: frozenset[str] = frozenset()

    def named(self, name: str) -> str | None:
        """The sheet of this name (spaces around it and case aside), if one."""
        return next((s for s in self if s.strip().lower() == name), None)


# the workbooks read in this process, by file, size and time of change: a command reading one
# workbook for its case, its profile and its slate scans and reads it once
_READ: dict[tuple[str, int, int], tuple[Sheets | None, list[Any]]] = {}
_READ_KEPT = 8


def forget_workbooks() -> None:
    """Forget the workbooks read: the next read of each reads it again."""
    _READ.clear()


def read_workbook(path: Path, shown: str, problems: Problems) -> Sheets | None:
    """All sheets of an .xlsx workbook, keyed by sheet name, cells as read, with which are
    hidden (each problem added to problems, once read or read before)."""
    import dataclasses

    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        return _read_workbook(path, shown, problems)
    if key not in _READ:
        found = Problems()
        _READ[key] = (_read_workbook(path, shown, found), found.items)
        while len(_READ) > _READ_KEPT:
            del _READ[next(iter(_READ))]
    sheets, said = _READ[key]
    # the file named as this caller names it
    problems.items.extend(dataclasses.replace(p, where=p.where._replace(file=shown))
                          for p in said)
    return sheets


def _read_workbook(path: Path, shown: str, problems: Problems) -> Sheets | None:
    where = Where(shown)
    if _too_big(path, where, problems):
        return None
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic == _OLE_MAGIC:
        problems.add(where, "the workbook is password-protected, or an old .xls",
                     "save it as 'Excel Workbook' (.xlsx) without a password")
        return None
    if not zipfile.is_zipfile(path):
        problems.add(where, "the file is not an .xlsx workbook", "save it as 'Excel Workbook'")
        return None
    # what the workbook declares, counted by an XML parser before a reader allocates it
    unsafe = unsafe_workbook(path)
    if unsafe:
        problems.add(where, f"the workbook is refused: {unsafe}", "save it again in Excel")
        return None
    try:
        from python_calamine import CalamineWorkbook, SheetVisibleEnum

        # straight from calamine (no pandas to import): every cell as stored, dates as dates
        book = CalamineWorkbook.from_path(str(path))
        sheets = Sheets()
        for meta in book.sheets_metadata:
            rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets[meta.name] = [tuple(_cell(v) for v in row) for row in rows]
        sheets.hidden = frozenset(m.name for m in book.sheets_metadata
                                  if m.visible != SheetVisibleEnum.Visible)
    except BaseException as exc:  # the readers raise many kinds on a broken workbook
        # calamine's own panics reach Python as pyo3's PanicException, which derives from
        # BaseException, not Exception: a broken workbook, never an interruption
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        problems.add(
            where, f"the workbook cannot be read ({type(exc).__name__})", "save it again in Excel"
        )
        return None
    names = [s.strip().lower() for s in sheets]
    twins = sorted({s for s in sheets if names.count(s.strip().lower()) > 1})
    if twins:
        # two sheets a reader cannot tell apart: which one was meant is not for us to guess
        problems.add(where, f"the workbook has sheets named alike ({', '.join(map(repr, twins))})",
                     "rename or delete all but one of them")
        return None
    return sheets


def table_from_sheet(name: str, shown: str, sheet: str, rows: SheetRows,
                     problems: Problems | None = None) -> Table:
    return _from_values(name, shown, sheet, rows, max((len(r) for r in rows), default=0),
                        problems)


def read_table_file(name: str, path: Path, shown: str, problems: Problems) -> Table | None:
    """A table from a .csv file, or from the first sheet of an .xlsx file a reader sees (a
    hidden sheet is never read in its place)."""
    if path.suffix.lower() == ".xlsx":
        sheets = read_workbook(path, shown, problems)
        if sheets is None:
            return None
        visible = [s for s in sheets if s not in sheets.hidden]
        if not visible:
            problems.add(Where(shown), "the workbook has no sheet a reader sees",
                         "add a visible sheet with the table")
            return None
        sheet = visible[0]
        table = table_from_sheet(name, shown, sheet, sheets[sheet], problems)
        if not table.headers:
            problems.add(Where(shown, sheet), "the sheet is empty", "put the table in it")
            return None
        return table
    return read_csv_table(name, path, shown, problems)
