"""Writing files: whole or not at all, never over an input, nothing a spreadsheet would run."""

from __future__ import annotations

import collections
import contextlib
import contextvars
import os
import re
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """Rows under named columns, for a sheet, a CSV file or the terminal: what a result's
    tables need, without importing pandas (about 0.2 s) to write a workbook."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    @classmethod
    def of(cls, records: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None
           ) -> Table:
        """Rows from records; the columns given, or those the records name, in the order
        they first name them."""
        records = list(records)
        if columns is None:
            columns = list(dict.fromkeys(k for r in records for k in r))
        return cls(tuple(columns), tuple(tuple(r.get(c) for c in columns) for r in records))

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def where(self, column: str, value: Any) -> Table:
        i = self.columns.index(column)
        return Table(self.columns, tuple(r for r in self.rows if r[i] == value))

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(list(self.rows), columns=list(self.columns))

# characters XML 1.0 cannot hold: a workbook holding one opens in no application
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(wb: Any, clean: frozenset[str] = frozenset()) -> None:
    """Every text cell of every sheet as XML can hold it (U+FFFD for what it cannot), and
    written as text, never as a formula a spreadsheet would run, whatever sheet it is on (the
    template's hidden lists too); the sheets named in clean were written so (append_row)."""
    for ws in wb.worksheets:
        if ws.title in clean:
            continue
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value.__class__ is not str:
                    continue
                if _NOT_XML.search(value):
                    cell.value = value = _NOT_XML.sub("\ufffd", value)
                if cell.data_type == "f" or _runs(value):
                    _keep_as_text(cell)


def append_row(ws: Any, values: Sequence[Any]) -> None:
    """One row at the end of a sheet, as xml_safe would leave it at saving, in one
    pass: text XML cannot hold is mended, and text a spreadsheet would run stays text."""
    row = [_NOT_XML.sub("\ufffd", v) if isinstance(v, str) else v for v in values]
    ws.append(row)
    for i, v in enumerate(row):
        if _runs(v):
            _keep_as_text(ws.cell(ws.max_row, i + 1))


def _runs(value: Any) -> bool:
    """Whether a spreadsheet would run this value as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _keep_as_text(cell: Any) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True



WRAP_AT = 40  # characters: a longer cell wraps within a column this wide
LINE_HEIGHT = 15  # points: one line of the default 11 pt font


def fit_rows(ws: Any, min_row: int = 1) -> None:
    """Each row as tall as its wrapped text: the lines the longest cell needs in its column
    (or in the columns it is merged across), at its font's size, so that no row prints taller
    than its text (an application's own guess for merged cells can be several times too
    tall)."""
    import textwrap

    from openpyxl.utils import get_column_letter

    def width(col: int) -> float:
        return ws.column_dimensions[get_column_letter(col)].width or 9

    spans = {(m.min_row, m.min_col): sum(width(c) for c in range(m.min_col, m.max_col + 1))
             for m in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=min_row):
        height = float(LINE_HEIGHT)
        for cell in row:
            if cell.value is None or cell.value == "":
                continue
            # a column's width is in characters of the 11 pt font: larger text holds fewer
            scale = (cell.font.sz or 11) / 11 if cell.font is not None else 1
            room = max(1, int((spans.get((cell.row, cell.column), width(cell.column)) - 1)
                              / scale))
            lines = sum(len(textwrap.wrap(part, room) or [""])
                        for part in str(cell.value).splitlines())
            height = max(height, LINE_HEIGHT * scale * lines)
        if row:
            ws.row_dimensions[row[0].row].height = height


def size_columns(ws: Any, minimum: int = 6, maximum: int = WRAP_AT, min_row: int = 1,
                 skip: frozenset[int] = frozenset(),
                 limits: Mapping[str, int] | None = None) -> None:
    """Columns sized to their values from the header row min_row down (not to a title above
    it, nor to the rows in skip, such as section titles): a header wraps at its spaces rather
    than widen its column, text longer than the column wraps onto more lines, top-aligned, and
    a column of numbers has its header over the numbers (right)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    numeric: dict[int, bool] = {}
    # a column whose header is in limits wraps at that many characters instead
    most = {cell.column: (limits or {}).get(str(cell.value), maximum)
            for cell in ws[min_row] if cell.value is not None}
    for row in ws.iter_rows(min_row=min_row):
        for cell in row:
            if cell.value is None or cell.value == "" or cell.row in skip:
                continue
            text = str(cell.value)
            if cell.row == min_row:
                longest = max(len(word) for word in text.split() or [""])
            else:
                longest = max(len(part) for part in text.splitlines() or [""])
                is_number = isinstance(cell.value, int | float) and not isinstance(
                    cell.value, bool)
                numeric[cell.column] = numeric.get(cell.column, True) and is_number
            widths[cell.column] = max(widths.get(cell.column, 0),
                                      min(longest, most.get(cell.column, maximum)))
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, w + 2)
    # one of each alignment, shared by the cells (openpyxl checks each one made)
    wrapped = {right: Alignment(wrap_text=True, vertical="top",
                                horizontal="right" if right else None)
               for right in (False, True)}
    top = Alignment(vertical="top")
    for row in ws.iter_rows(min_row=min_row):
        lines = 1
        plain = []
        for cell in row:
            if cell.row in skip or cell.value is None:
                continue
            text = str(cell.value)
            width = widths.get(cell.column, maximum)
            right = numeric.get(cell.column, False) and cell.row == min_row
            if len(text) > width or "\n" in text or right:
                cell.alignment = wrapped[right]
                lines = max(lines, _wrapped_lines(text, width))
            else:
                plain.append(cell)
        if lines > 1:
            # spreadsheet applications do not grow a row for wrapped text on opening a file
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines
            for cell in plain:
                cell.alignment = top


LINE_HEIGHT = 15  # points: one line of 11 pt text


def _wrapped_lines(text: str, width: int) -> int:
    import textwrap

    return sum(max(1, len(textwrap.wrap(part, max(width, 1), break_long_words=True)))
               for part in text.splitlines() or [""])


# the outputs of one command, staged as temporary files until all are written (None: each
# output is put in place as soon as it is written)
_STAGED: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar(
    "staged", default=None)
# the last outputs this process has put in place, so that an interruption says what it left
# (bounded: a long-running server writes many)
COMMITTED: collections.deque[Path] = collections.deque(maxlen=20)
_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP held back (delivered after) for a step that must not be cut
    in two: a temporary file made and recorded, outputs renamed into place."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _put_in_place(pairs: Sequence[tuple[str, Path]]) -> None:
    with _signals_held():
        for tmp, path in pairs:
            os.replace(tmp, path)
            COMMITTED.append(path)


@contextlib.contextmanager
def written_together() -> Iterator[None]:
    """Every output written inside is put in place together once all are written, or none is
    (a failure, a full disk, a signal: the temporary files are removed, nothing is changed)."""
    from planner.errors import OutputError

    staged: list[tuple[str, Path]] = []
    token = _STAGED.set(staged)
    try:
        yield
        try:
            _put_in_place(staged)
        except OSError as exc:
            raise OutputError(staged[0][1] if staged else "", exc) from None
    finally:
        _STAGED.reset(token)
        for tmp, _path in staged:
            Path(tmp).unlink(missing_ok=True)  # the ones not put in place


def write_atomic(path: Path, write: Callable[[str], None]) -> None:
    """Whole or not at all: write to a temporary file beside path, then rename it over path
    (a rename within one folder is atomic), removing the temporary file on any failure. Inside
    written_together, the rename waits for the command's other outputs. The environment's
    refusals (a read-only folder, a full disk, a name too long) are OutputError."""
    from planner.errors import OutputError

    tmp = ""
    staged = _STAGED.get()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _signals_held():  # made and recorded as one step: never left behind
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp",
                                       dir=path.parent)
            if staged is not None:
                staged.append((tmp, path))
        os.close(fd)
        # mkstemp makes the file private (0600); the output gets the mode the umask gives
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        write(tmp)
        if staged is None:
            _put_in_place([(tmp, path)])
    except OSError as exc:
        _collect_quietly()
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, exc) from None
    except BaseException:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise


def _collect_quietly() -> None:
    """A writer left open by a failed write (a full disk) tries again when it is collected and
    prints a traceback; collect it now, with that message silenced: the failure is reported."""
    import gc
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _args: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def save_atomic(wb: Any, path: Path, clean: frozenset[str] = frozenset()) -> None:
    xml_safe(wb, clean)
    write_atomic(path, wb.save)

def write_csv(path: Path, frame: pd.DataFrame | Table, forbidden: Sequence[Path] = ()) -> None:
    check_output_path(path, forbidden)
    if isinstance(frame, Table):
        frame = frame.to_frame()
    safe = frame.map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_PREFIXES)
                     else v)
    write_atomic(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))

def check_output_path(path: Path, forbidden: Sequence[Path]) -> None:
    target = path.resolve()
    for p in forbidden:
        q = p.resolve()
        if target == q or (q.is_dir() and q in target.parents):
            raise UsageError(f"refusing to write {path}: it is one of the inputs "
                             "(or inside the case folder); choose another --out")
