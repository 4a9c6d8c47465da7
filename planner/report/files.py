"""Writing files: whole or not at all, never over an input, nothing a spreadsheet would run."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

def safe_text_cells(ws: Any, min_row: int = 1) -> None:
    """Text a spreadsheet would run as a formula is kept as text, so nothing runs when a
    delegate opens the file."""
    for row in ws.iter_rows(min_row=min_row):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                cell.data_type = "s"
                cell.quotePrefix = True

def size_columns(ws: Any, minimum: int = 8, maximum: int = 80, min_row: int = 1) -> None:
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=min_row):
        for cell in row:
            if cell.value is not None:
                n = min(len(str(cell.value)), maximum)
                widths[cell.column] = max(widths.get(cell.column, 0), n)
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, w + 2)

def write_atomic(path: Path, write: Callable[[str], None]) -> None:
    """Whole or not at all: write to a temporary file beside path, then rename it over path
    (a rename within one folder is atomic), removing the temporary file on any failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

def save_atomic(wb: Any, path: Path) -> None:
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
