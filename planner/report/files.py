"""Writing files: whole or not at all, never over an input, nothing a spreadsheet would run."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# characters XML 1.0 cannot hold: a workbook holding one opens in no application
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(wb: Any) -> None:
    """Every text cell of every sheet as XML can hold it (U+FFFD for what it cannot)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and _NOT_XML.search(cell.value):
                    cell.value = _NOT_XML.sub("\ufffd", cell.value)


def safe_text_cells(ws: Any, min_row: int = 1) -> None:
    """Text a spreadsheet would run as a formula is kept as text, so nothing runs when a
    delegate opens the file."""
    for row in ws.iter_rows(min_row=min_row):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                cell.data_type = "s"
                cell.quotePrefix = True

WRAP_AT = 40  # characters: a longer cell wraps within a column this wide


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
    for row in ws.iter_rows(min_row=min_row):
        lines = 1
        for cell in row:
            if cell.row in skip or cell.value is None:
                continue
            text = str(cell.value)
            width = widths.get(cell.column, maximum)
            right = numeric.get(cell.column, False) and cell.row == min_row
            if len(text) > width or "\n" in text or right:
                cell.alignment = Alignment(wrap_text=True, vertical="top",
                                           horizontal="right" if right else None)
                lines = max(lines, _wrapped_lines(text, width))
        if lines > 1:
            # spreadsheet applications do not grow a row for wrapped text on opening a file
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines
            for cell in row:
                if cell.value is not None and not cell.alignment.wrap_text:
                    cell.alignment = Alignment(vertical="top")


LINE_HEIGHT = 15  # points: one line of 11 pt text


def _wrapped_lines(text: str, width: int) -> int:
    import textwrap

    return sum(max(1, len(textwrap.wrap(part, max(width, 1), break_long_words=True)))
               for part in text.splitlines() or [""])


def write_atomic(path: Path, write: Callable[[str], None]) -> None:
    """Whole or not at all: write to a temporary file beside path, then rename it over path
    (a rename within one folder is atomic), removing the temporary file on any failure. The
    environment's refusals (a read-only folder, a full disk, a name too long) are OutputError."""
    from planner.errors import OutputError

    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp",
                                   dir=path.parent)
        os.close(fd)
        # mkstemp makes the file private (0600); the output gets the mode the umask gives
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        write(tmp)
        os.replace(tmp, path)
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


def save_atomic(wb: Any, path: Path) -> None:
    xml_safe(wb)
    write_atomic(path, wb.save)

def write_csv(path: Path, frame: pd.DataFrame, forbidden: Sequence[Path] = ()) -> None:
    check_output_path(path, forbidden)
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
