"""Reading slates (post, state [, representative]) that someone wrote or the planner wrote:
a .csv, the Slate sheet of a solve or replace workbook, or every slate of an alternatives
workbook (its Slates sheet, one rank per slate)."""

from __future__ import annotations

from pathlib import Path

from planner.domain.body import Body
from planner.domain.names import did_you_mean, registry
from planner.domain.slate import Seat, Slate
from planner.errors import InputError, Problem, Problems, Where
from planner.io.reader import unknown_post
from planner.io.tables import (
    Row,
    Table,
    read_table_file,
    read_workbook,
    require_file,
    table_from_sheet,
)


def _tables(path: Path, problems: Problems) -> Table | None:
    if path.suffix.lower() == ".xlsx":
        sheets = read_workbook(path, str(path), problems)
        if sheets is None:
            return None
        by_name = {s.strip().lower(): s for s in sheets}
        named = by_name.get("slates") or by_name.get("slate")
        name = named or next(iter(sheets), None)
        if name is None:
            problems.add(Where(str(path)), "the workbook has no sheet", "add a Slate sheet")
            return None
        table = table_from_sheet("slate", str(path), name, sheets[name], problems)
        if named is None and not (table.has("post") and table.has("state")):
            # a workbook the planner wrote without a slate (no slate found, a plan, a room):
            # say so, rather than read its first sheet's columns as a slate's
            shown = ", ".join(s for s in sheets if not s.lower().startswith("case."))
            problems.add(Where(str(path)), f"the workbook holds no slate (its sheets: {shown})",
                         "give a workbook with a Slate sheet (as solve, replace and "
                         "alternatives write when they find one), or a .csv slate with post "
                         "and state columns")
            return None
        return table
    return read_table_file("slate", path, str(path), problems)


def _seat(table: Table, row: Row, spec: Body, problems: Problems) -> Seat | None:
    text = row.text("post")
    post = spec.find_post(text)
    if post is None:
        problems.add(table.where(row.number, "post"), *unknown_post(spec, text))
    name = row.text("state")
    state = registry().lookup(name) if name else None
    if state is None:
        problems.add(table.where(row.number, "state"),
                     f"unknown State {name!r}" if name else "the State is missing",
                     did_you_mean(name) if name else "fill in the State's name")
    # the person who holds the seat, under either heading
    representative = row.text("representative") or row.text("person")
    text = row.text("holdover").lower()
    holdover = text in ("yes", "y", "true", "1")
    if text and not holdover and text not in ("no", "n", "false", "0"):
        problems.add(table.where(row.number, "holdover"), f"{row.text('holdover')!r} is "
                     "neither yes nor no", "write yes where the officer remained in office "
                     "pending a successor, else no or nothing")
    if post is None or state is None:
        return None
    return Seat(post, state, representative, holdover)


def _complete(table: Table, rows: list[tuple[Row, Seat]], label: str, spec: Body,
              problems: Problems) -> None:
    """A whole bureau: each post as many times as the rules fill it, each State once."""
    total = spec.total_posts
    if len(rows) != total:
        counts = ", ".join(p.counted for p in spec.posts)
        problems.add(table.where(rows[-1][0].number if rows else None),
                     f"{label} has {len(rows)} rows; a bureau has {total} posts ({counts})",
                     "list one row per post")
    for post in spec.posts:
        held = [r for r, s in rows if s.post == post.name]
        if len(held) > post.count:
            numbers = ", ".join(str(r.number) for r in held)
            problems.add(table.where(held[-1].number, "post"),
                         f"{label} names {post.name} {len(held)} times (rows {numbers})",
                         f"a bureau has {post.count} {post.name}")
    seen: dict[str, int] = {}
    for r, s in rows:
        if s.state in seen:
            problems.add(table.where(r.number, "state"),
                         f"{s.state} is named twice (rows {seen[s.state]} and {r.number})",
                         "each State holds one post at most")
        seen.setdefault(s.state, r.number)


def load_slates(path: Path | str, spec: Body, whole: bool = False
                ) -> list[tuple[str, Slate]]:
    """Every slate in the file, with a label (the file name, and the rank where there are
    several). whole: refuse slates that are not a complete bureau (exit 2), for commands that
    compare or edit slates rather than check them."""
    p = Path(path)
    require_file(p, "give a .csv or .xlsx file with columns post and state")
    problems = Problems()
    table = _tables(p, problems)
    if table is None or not table.require(problems, "post", "state"):
        problems.raise_if_any()
        raise AssertionError("unreachable")
    ranked = table.has("rank")
    groups: dict[str, list[tuple[Row, Seat]]] = {}
    for row in table.rows:
        seat = _seat(table, row, spec, problems)
        key = row.text("rank") if ranked else ""
        if seat is not None:
            groups.setdefault(key, []).append((row, seat))
    if not groups and not problems:
        problems.add(table.where(), "the slate has no rows", "list one row per post")
    out: list[tuple[str, Slate]] = []
    for key, rows in groups.items():
        label = f"{p.name} #{key}" if ranked else p.name
        if whole:
            _complete(table, rows, f"the slate {label}" if ranked else "the slate", spec,
                      problems)
        out.append((label, tuple(s for _r, s in rows)))
    problems.raise_if_any()
    return out


def load_slate(path: Path | str, spec: Body, whole: bool = False) -> Slate:
    slates = load_slates(path, spec, whole)
    if len(slates) > 1:
        raise InputError([Problem(Where(str(path)), f"the file holds {len(slates)} slates",
                                  "give a file with one slate, or use planner compare")])
    return slates[0][1]
