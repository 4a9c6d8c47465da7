"""Reading tables from CSV and .xlsx files into DataFrames, and rows out of them.

Every cell is kept as read (text, number or date) so that dates are never guessed by pandas;
rows carry the number the spreadsheet shows, so that problems can name them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problems, Where

if TYPE_CHECKING:
    import pandas as pd

_HEADER_SPACE = re.compile(r"[\s\-]+")


def header_key(text: object) -> str:
    return _HEADER_SPACE.sub("_", str(text).strip().lower())


def cell_text(value: Any) -> str:
    """A cell as text: '' for empty cells, '6' for a number stored as 6.0."""
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


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, Any]

    def text(self, column: str) -> str:
        return cell_text(self.cells.get(column))

    def raw(self, column: str) -> Any:
        return self.cells.get(column)


@dataclass(frozen=True)
class Table:
    """One table of a case: where it came from, its columns, its non-blank rows."""

    name: str
    file: str
    sheet: str | None
    headers: dict[str, str]  # normalised key -> header as written
    rows: tuple[Row, ...]
    frame: pd.DataFrame = field(repr=False, compare=False)

    def where(self, row: int | None = None, column: str | None = None) -> Where:
        shown = self.headers.get(column, column) if column else None
        return Where(self.file, self.sheet, row, shown)

    def has(self, column: str) -> bool:
        return column in self.headers

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


def _from_frame(name: str, file: str, sheet: str | None, frame: pd.DataFrame) -> Table:
    """The first row of frame is the header; rows are numbered from 1 as in a spreadsheet."""
    headers: dict[str, str] = {}
    positions: list[tuple[int, str]] = []
    if len(frame.index) > 0:
        for pos, value in enumerate(frame.iloc[0].tolist()):
            text = cell_text(value)
            if text:
                key = header_key(text)
                if key not in headers:
                    headers[key] = text
                    positions.append((pos, key))
    rows: list[Row] = []
    for number, values in enumerate(frame.iloc[1:].itertuples(index=False, name=None), start=2):
        cells = {key: values[pos] for pos, key in positions}
        # rows marked in an "example" column (as planner init writes them) are not data
        if any(cell_text(v) for v in cells.values()) and not cell_text(cells.get("example")):
            rows.append(Row(number, cells))
    return Table(name, file, sheet, headers, tuple(rows), frame)


def read_csv_table(name: str, path: Path, shown: str, problems: Problems) -> Table | None:
    import pandas as pd

    where = Where(shown)
    try:
        frame = pd.read_csv(
            path,
            header=None,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            skip_blank_lines=False,
        )
    except UnicodeDecodeError:
        problems.add(where, "the file is not UTF-8 text", "save it as 'CSV UTF-8' from Excel")
        return None
    except pd.errors.EmptyDataError:
        problems.add(where, "the file is empty", f"put the {name} table in it, with a header row")
        return None
    except (pd.errors.ParserError, ValueError) as exc:
        problems.add(where, f"the file is not a readable CSV table ({exc})", "save it as CSV")
        return None
    except OSError as exc:
        problems.add(where, f"cannot read the file ({exc.strerror})", "check the path and rights")
        return None
    table = _from_frame(name, shown, None, frame)
    if not table.headers:
        problems.add(where, "the file is empty", f"put the {name} table in it, with a header row")
        return None
    return table


def read_workbook(path: Path, shown: str, problems: Problems) -> dict[str, pd.DataFrame] | None:
    """All sheets of an .xlsx workbook, keyed by sheet name, cells as read."""
    import pandas as pd

    where = Where(shown)
    if not zipfile.is_zipfile(path):
        problems.add(where, "the file is not an .xlsx workbook", "save it as 'Excel Workbook'")
        return None
    try:
        sheets: dict[str, pd.DataFrame] = pd.read_excel(
            path, sheet_name=None, header=None, dtype=object, engine="openpyxl"
        )
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        problems.add(
            where, f"the workbook cannot be read ({type(exc).__name__})", "save it again in Excel"
        )
        return None
    return sheets


def table_from_sheet(name: str, shown: str, sheet: str, frame: pd.DataFrame) -> Table:
    return _from_frame(name, shown, sheet, frame)


def read_table_file(name: str, path: Path, shown: str, problems: Problems) -> Table | None:
    """A table from a .csv file, or from the first sheet of an .xlsx file."""
    if path.suffix.lower() == ".xlsx":
        sheets = read_workbook(path, shown, problems)
        if sheets is None:
            return None
        if not sheets:
            problems.add(Where(shown), "the workbook has no sheet", "add a sheet with the table")
            return None
        sheet, frame = next(iter(sheets.items()))
        table = table_from_sheet(name, shown, sheet, frame)
        if not table.headers:
            problems.add(Where(shown, sheet), "the sheet is empty", "put the table in it")
            return None
        return table
    return read_csv_table(name, path, shown, problems)


def iter_rows(table: Table) -> Iterator[Row]:
    return iter(table.rows)
