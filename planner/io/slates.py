"""Reading slates (post, state [, representative]) that someone wrote or the planner wrote:
a .csv, the Slate sheet of a solve or replace workbook, or every slate of an alternatives
workbook (its Slates sheet, one rank per slate)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.domain.body import Body
from planner.domain.names import did_you_mean, registry
from planner.domain.slate import Seat, Slate
from planner.errors import InputError, Problem, Problems, Where
from planner.io.reader import unknown_post
from planner.io.tables import (
    Row,
    Table,
    cell_text,
    read_table_file,
    read_workbook,
    require_file,
    table_from_sheet,
)

# the page for delegates: a solve or replace workbook's Bureau sheet, whose table of officers
# starts under a header row with these words
BUREAU_SHEET = "bureau"
BUREAU_HEADER = ("office", "state")


def _bureau_seats(frame: Any) -> list[tuple[int, str, str]]:
    """The officers the Bureau sheet shows, as (row number, office, State) as written: the
    rows under its header row, down to the first empty one."""
    out: list[tuple[int, str, str]] = []
    started = False
    for i, values in enumerate(frame, start=1):
        first = [cell_text(v) for v in list(values)[:2]]
        if not started:
            started = tuple(v.lower() for v in first) == BUREAU_HEADER
            continue
        if not any(first):
            break
        out.append((i, first[0], first[1]))
    return out


def _tables(path: Path, problems: Problems,
            bureau: list[tuple[int, str, str]] | None = None) -> Table | None:
    """The slate's table; where the workbook also has a Bureau sheet (the page for
    delegates), its officers go into `bureau`, to be held to the slate."""
    if path.suffix.lower() == ".xlsx":
        sheets = read_workbook(path, str(path), problems)
        if sheets is None:
            return None
        # what is judged is what a reader of the workbook sees: a hidden sheet by the name of
        # one read is refused, never read in place of the visible one
        for read in ("slates", "slate", BUREAU_SHEET):
            sheet = sheets.named(read)
            if sheet is not None and sheet in sheets.hidden:
                problems.add(Where(str(path), sheet),
                             f"the sheet {sheet!r} is hidden: a reader of the workbook does not "
                             "see the slate it holds", "unhide it, or delete it")
                return None
        visible = [s for s in sheets if s not in sheets.hidden]
        shown_as = {s.strip().lower(): s for s in visible}
        if bureau is not None and BUREAU_SHEET in shown_as and "slate" in shown_as:
            bureau.extend(_bureau_seats(sheets[shown_as[BUREAU_SHEET]]))
        named = shown_as.get("slates") or shown_as.get("slate")
        name = named or next(iter(visible), None)
        if name is None:
            problems.add(Where(str(path)), "the workbook has no sheet", "add a Slate sheet")
            return None
        table = table_from_sheet("slate", str(path), name, sheets[name], problems)
        if named is None and not (table.has("post") and table.has("state")):
            # a workbook the planner wrote without a slate (no slate found, a plan, a room):
            # say so, rather than read its first sheet's columns as a slate's
            shown = ", ".join(visible)
            problems.add(Where(str(path)), f"the workbook holds no slate (its sheets: {shown})",
                         "give a workbook with a Slate sheet (as solve, replace and "
                         "alternatives write when they find one), or a .csv slate with post "
                         "and state columns")
            return None
        return table
    return read_table_file("slate", path, str(path), problems)


def _seat(table: Table, row: Row, spec: Body, problems: Problems,
          known: frozenset[str] = frozenset(), open_seats: bool = False) -> Seat | None:
    text = row.text("post")
    post = spec.find_post(text)
    if post is None:
        problems.add(table.where(row.number, "post"), *unknown_post(spec, text))
    name = row.text("state")
    # a State the case declares itself (a generated body) is known by its name as written
    state = (name if name in known else registry().lookup(name)) if name else None
    opened = spec.find_open_seat(name) if name and state is None else None
    if opened is not None and not open_seats:
        problems.add(table.where(row.number, "state"), f"{name!r} leaves the seat open, and "
                     "this body's profile lets no seat be left open",
                     "name a State for the post (a profile lets a seat be left open with "
                     "open_seats; see docs/profiles.md)")
        return None
    state = state or opened
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


def load_slates(path: Path | str, spec: Body, whole: bool = False,
                known: frozenset[str] = frozenset(), open_seats: bool = False
                ) -> list[tuple[str, Slate]]:
    """Every slate in the file, with a label (the file name, and the rank where there are
    several). whole: refuse slates that are not a complete bureau (exit 2), for commands that
    compare or edit slates rather than check them. known: the States the case declares.
    open_seats: the profile lets a seat be left open ("open seat (GROUP)" in the state
    column)."""
    p = Path(path)
    require_file(p, "give a .csv or .xlsx file with columns post and state")
    problems = Problems()
    bureau: list[tuple[int, str, str]] = []
    table = _tables(p, problems, bureau)
    if table is None or not table.require(problems, "post", "state"):
        problems.raise_if_any()
        raise AssertionError("unreachable")
    ranked = table.has("rank")
    groups: dict[str, list[tuple[Row, Seat]]] = {}
    for row in table.rows:
        seat = _seat(table, row, spec, problems, known, open_seats)
        key = row.text("rank") if ranked else ""
        if seat is not None:
            groups.setdefault(key, []).append((row, seat))
    if not groups and not problems:
        problems.add(table.where(), "the slate has no rows", "list one row per post")
    if bureau and not problems:
        _same_as_bureau(p, bureau, [s for _r, s in groups.get("", [])], spec, problems)
    out: list[tuple[str, Slate]] = []
    for key, rows in groups.items():
        label = f"{p.name} #{key}" if ranked else p.name
        if whole:
            _complete(table, rows, f"the slate {label}" if ranked else "the slate", spec,
                      problems)
        out.append((label, tuple(s for _r, s in rows)))
    problems.raise_if_any()
    return out


def _same_as_bureau(path: Path, bureau: list[tuple[int, str, str]], seats: list[Seat],
                    spec: Body, problems: Problems) -> None:
    """The Bureau sheet and the Slate sheet show one bureau: an officer changed on one of
    them (the page delegates read and edit) is never passed over for the other."""
    shown: dict[str, list[tuple[int, str]]] = {}
    for number, office, state in bureau:
        post = spec.find_post(office) or office
        shown.setdefault(post, []).append((number, registry().lookup(state) or state))
    slate: dict[str, list[str]] = {}
    for seat in seats:
        slate.setdefault(seat.post, []).append(seat.state)
    for post in sorted(set(shown) | set(slate), key=spec.post_rank):
        on_bureau = [state for _n, state in shown.get(post, [])]
        only_bureau = [(n, st) for n, st in shown.get(post, []) if st not in slate.get(post, [])]
        only_slate = [st for st in slate.get(post, []) if st not in on_bureau]
        for k, (number, state) in enumerate(only_bureau):
            other = (f"the Slate sheet {only_slate[k]}" if k < len(only_slate)
                     else f"the Slate sheet no such {post}")
            problems.add(Where(str(path), "Bureau", number, "State"),
                         f"the Bureau sheet shows {state} as {post}, {other}",
                         "correct one of them: the two sheets must show the same bureau")
        for state in only_slate[len(only_bureau):]:
            problems.add(Where(str(path), "Slate"),
                         f"the Slate sheet shows {state} as {post}, the Bureau sheet does not",
                         "correct one of them: the two sheets must show the same bureau")


def load_slate(path: Path | str, spec: Body, whole: bool = False,
               known: frozenset[str] = frozenset(), open_seats: bool = False) -> Slate:
    """The one slate of a file; known: the States the case declares itself."""
    slates = load_slates(path, spec, whole, known, open_seats)
    if len(slates) > 1:
        raise InputError([Problem(Where(str(path)), f"the file holds {len(slates)} slates",
                                  "give a file with one slate, or use planner compare")])
    return slates[0][1]


# a workbook's sheet of substitutes at the meetings of the parties to the instruments the bureau
# also serves (solve writes it), and the columns a file of substitutions gives
SUBSTITUTES_SHEET = "substitutes"
SUBSTITUTE_COLUMNS = ("instrument", "state", "substitute")


def load_substitutions(path: Path | str, instruments: dict[str, str],
                       known: frozenset[str] = frozenset(), required: bool = True
                       ) -> tuple[tuple[str, str, str | None], ...]:
    """The substitutions a file gives, as (instrument id, officer's State, substitute or None
    where the file says none can be had): a .csv with columns instrument, state, substitute,
    or the Substitutes sheet of a workbook (as solve writes it). instruments: each instrument
    id the case knows, by its id and title. required: a workbook without the sheet is an error
    (else: no substitutions). Every problem is reported together (exit 2)."""
    p = Path(path)
    require_file(p, "give a .csv or .xlsx file with columns instrument, state and substitute")
    problems = Problems()
    table: Table | None
    if p.suffix.lower() == ".xlsx":
        sheets = read_workbook(p, str(p), problems)
        name = sheets.named(SUBSTITUTES_SHEET) if sheets is not None else None
        if sheets is not None and name is not None and name in sheets.hidden:
            problems.add(Where(str(p), name), "the Substitutes sheet is hidden",
                         "unhide it, or delete it")
            name = None
        if sheets is None or name is None:
            if required and sheets is not None and not problems:
                problems.add(Where(str(p)), "the workbook has no Substitutes sheet",
                             "give a workbook solve wrote for a body that serves other "
                             "meetings, or a .csv with columns instrument, state, substitute")
            problems.raise_if_any()
            return ()
        table = table_from_sheet("substitutes", str(p), name, sheets[name], problems)
    else:
        table = read_table_file("substitutes", p, str(p), problems)
    if table is None or not table.require(problems, *SUBSTITUTE_COLUMNS):
        problems.raise_if_any()
        return ()
    by_key = {k.casefold(): v for k, v in instruments.items()}
    out: list[tuple[str, str, str | None]] = []

    def state(row: Row, column: str, none_ok: bool) -> tuple[bool, str | None]:
        text = row.text(column)
        if not text or (none_ok and text.casefold() in ("none", "no substitute", "-")):
            if none_ok:
                return True, None
            problems.add(table.where(row.number, column), "the State is missing",
                         "fill in the State's name")
            return False, None
        name = text if text in known else registry().lookup(text)
        if name is None:
            problems.add(table.where(row.number, column), f"unknown State {text!r}",
                         did_you_mean(text))
            return False, None
        return True, name

    for row in table.rows:
        given = row.text("instrument")
        instrument = by_key.get(given.casefold())
        if instrument is None:
            problems.add(table.where(row.number, "instrument"),
                         f"unknown instrument {given!r}",
                         "use one of the case's instrument ids: " + ", ".join(
                             sorted({v for v in instruments.values()})))
        ok_state, officer = state(row, "state", False)
        ok_sub, substitute = state(row, "substitute", True)
        if instrument is not None and ok_state and ok_sub and officer is not None:
            out.append((instrument, officer, substitute))
    problems.raise_if_any()
    return tuple(out)
