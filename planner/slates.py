"""Reading a slate (post, state [, representative]) that someone wrote or the planner wrote."""

from __future__ import annotations

from pathlib import Path

from .election import Seat, Slate
from .errors import InputError, Problem, Problems, Where
from .names import did_you_mean, registry
from .spec import BureauSpec
from .tables import Table, read_table_file, read_workbook, table_from_sheet


def _table(path: Path, problems: Problems) -> Table | None:
    if path.suffix.lower() == ".xlsx":
        sheets = read_workbook(path, str(path), problems)
        if sheets is None:
            return None
        # a workbook the planner wrote has its slate on the sheet named Slate
        name = next((s for s in sheets if s.strip().lower() == "slate"), None)
        if name is None:
            name = next(iter(sheets), None)
        if name is None:
            problems.add(Where(str(path)), "the workbook has no sheet", "add a Slate sheet")
            return None
        return table_from_sheet("slate", str(path), name, sheets[name])
    return read_table_file("slate", path, str(path), problems)


def load_slate(path: Path | str, spec: BureauSpec) -> Slate:
    p = Path(path)
    if not p.is_file():
        raise InputError([Problem(Where(str(p)), "no such file",
                                  "give a .csv or .xlsx file with columns post and state")])
    problems = Problems()
    table = _table(p, problems)
    if table is None or not table.require(problems, "post", "state"):
        problems.raise_if_any()
        raise AssertionError("unreachable")
    seats: list[Seat] = []
    for row in table.rows:
        text = row.text("post")
        post = spec.find_post(text)
        if post is None:
            problems.add(table.where(row.number, "post"),
                         f"unknown post {text!r}" if text else "the post is missing",
                         "use one of: " + ", ".join(spec.post_names))
        name = row.text("state")
        state = registry().lookup(name) if name else None
        if state is None:
            problems.add(table.where(row.number, "state"),
                         f"unknown State {name!r}" if name else "the State is missing",
                         did_you_mean(name) if name else "fill in the State's name")
        representative = row.text("representative") if table.has("representative") else ""
        if post is not None and state is not None:
            seats.append(Seat(post, state, representative))
    if not seats and not problems:
        problems.add(table.where(), "the slate has no rows", "list one row per post")
    problems.raise_if_any()
    return tuple(seats)
