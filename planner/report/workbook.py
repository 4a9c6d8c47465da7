"""Results as tables (plain rows, or DataFrames for the views that compute on them),
workbooks, JSON and terminal text."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner import __version__
from planner.domain.case import Case
from planner.domain.slate import NO_GROUP, Slate
from planner.report.files import (
    LINE_HEIGHT,
    WRAP_AT,
    Table,
    append_row,
    check_output_path,
    save_atomic,
    size_columns,
)
from planner.rules.base import Outcome, check
from planner.rules.election import Election
from planner.rules.kinds import CONDITION_LABELS, qualifies
from planner.rules.reduce import carries, needed_for

if TYPE_CHECKING:
    import pandas as pd

    from planner.rules.profile import Profile
    from planner.solve.result import Conflict, Result



# ---------------------------------------------------------------------------------------------
# Tables


def slate_frame(el: Election, slate: Slate) -> Table:
    return Table.of(
        ({"post": s.post, "state": s.state, "group": el.group(s.state) or "",
          "representative": s.representative,
          "needed for": needed_for(el, slate, s.state, s.post)} for s in slate),
        ["post", "state", "group", "representative", "needed for"],
    )


def outcome_rows(outcomes: Sequence[Outcome], el: Election | None = None
                 ) -> list[dict[str, Any]]:
    """Each rule instance: its name, citation, scope, pass or FAIL and the detail; the rule's
    id last, in the one technical column."""

    def name(rule_id: str) -> str:
        found = el.profile.rule(rule_id) if el is not None else None
        return found.name if found is not None else rule_id.replace("_", " ")

    return [{"rule": name(o.rule), "citation": o.citation, "scope": ", ".join(o.scope),
             "result": "pass" if o.passed else "FAIL", "detail": o.message, "id": o.rule}
            for o in outcomes]


def outcomes_frame(outcomes: Sequence[Outcome], el: Election | None = None) -> Table:
    return Table.of(outcome_rows(outcomes, el),
                    ["rule", "citation", "scope", "result", "detail", "id"])


def conflicts_frame(conflicts: Sequence[Conflict], profile: Profile | None = None) -> Table:
    """The rules in conflict by name, with their citation and words; the id last, in the one
    technical column."""
    return Table.of(
        ({"rule": c.name(profile), "citation": c.citation,
          "scope": ", ".join(c.scope), "message": c.message, "id": c.rule} for c in conflicts),
        ["rule", "citation", "scope", "message", "id"],
    )


def score_frame(el: Election, values: Mapping[str, int]) -> Table:
    return Table.of(
        ({"preference": r.name, "citation": r.citation, "value": values[r.id],
          "better": "higher" if r.maximise else "lower", "meaning": r.wording, "id": r.id}
         for r in el.profile.preferences if r.id in values),
        ["preference", "citation", "value", "better", "meaning", "id"],
    )


def eligibility_sheet(el: Election, eligible_only: bool = False) -> SheetData:
    """The long list of States, narrow enough to print two pages across."""
    frame = eligibility_frame(el)
    if eligible_only:
        frame = frame.where("eligible", "yes")
    return SheetData("Eligibility", frame, wrap=24, limits={"instruments in force": 44})


def eligibility_rows(el: Election) -> tuple[list[dict[str, Any]], list[str]]:
    """Every State the case knows: its group, standing and whether it can sit, and why not;
    a column for each standing the profile's rules ask about."""
    conditions = el.profile.conditions()
    rows = []
    for s in el.assessment.states:
        row: dict[str, Any] = {"state": s.state, "group": s.group or ""}
        if el.body.eligibility == "treaty":
            row["instruments in force"] = ", ".join(s.instruments)
        row["eligible"] = "yes" if s.eligible else "no"
        row["reason"] = s.reason
        for c in conditions:
            row[CONDITION_LABELS[c]] = "yes" if qualifies(el, s.state, c) else "no"
        rows.append(row)
    columns = ["state", "group", *(["instruments in force"] if el.body.eligibility == "treaty"
                                   else []), "eligible", "reason",
               *(CONDITION_LABELS[c] for c in conditions)]
    return rows, columns


def eligibility_frame(el: Election) -> Table:
    rows, columns = eligibility_rows(el)
    return Table.of(rows, columns)


def library_version(dist: str) -> str:
    """An installed library's version: its module's own where it is imported, else read from
    its .dist-info folder's name (importing importlib.metadata alone takes about 30 ms)."""
    found = getattr(sys.modules.get(dist), "__version__", None)
    if isinstance(found, str):
        return found
    prefix = dist.replace("-", "_").lower() + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.lower().startswith(prefix) and name.endswith(".dist-info"):
                return name[len(prefix):-len(".dist-info")]
    from importlib.metadata import version  # another layout (an egg, a zip)

    return version(dist)


def provenance(case: Case, options: Mapping[str, Any]) -> dict[str, Any]:
    """What produced an output, for JSON: versions, options and every input's SHA-256."""
    return {
        "planner": __version__,
        "python": platform.python_version(),
        **{lib: library_version(lib) for lib in ("pandas", "openpyxl", "ortools")},
        "options": dict(options),
        "inputs": [{"path": f.path, "sha256": f.sha256} for f in case.files],
    }


def run_info(case: Case, options: Mapping[str, Any], solver: Mapping[str, Any] | None,
             notes: Sequence[str]) -> list[tuple[str, str]]:
    made = provenance(case, options)
    rows: list[tuple[str, str]] = [
        ("written", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
        *((k, str(made[k])) for k in ("planner", "python", "pandas", "openpyxl", "ortools")),
        ("command", " ".join(["planner", *sys.argv[1:]]) if sys.argv else "planner"),
        ("case", str(case.path)),
        ("conference", case.session.conference),
        ("session", str(case.session.number)),
        ("opening date", case.session.opening_date.isoformat()),
    ]
    rows += [(f"option {k}", str(v)) for k, v in options.items()]
    if solver:
        rows += [(f"solver {k}", str(v)) for k, v in solver.items()]
    rows += [("assumption", n) for n in notes]
    rows += [("data warning", w) for w in case.warnings]
    rows += [(f"input {i['path']}", f"sha256 {i['sha256']}") for i in made["inputs"]]
    # the day each treaty status table speaks for, and where that day comes from
    rows += [(f"status table {t.table}",
              f"{t.instrument}: data of {t.date.isoformat() if t.date else 'no date'}, {t.said}"
              + (f"; since the table it replaced: {t.changes}" if t.changes else ""))
             for t in case.tables]
    return rows


# ---------------------------------------------------------------------------------------------
# Workbooks


def safe_cell(value: Any) -> Any:
    """Numbers and dates as they are; text that a spreadsheet would run as a formula is kept
    as text by the caller (see _write_sheet)."""
    if value is None or isinstance(value, (str, int)):
        return value
    pd = sys.modules.get("pandas")  # a missing value of a DataFrame's (never imported here)
    if pd is not None:
        try:
            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


@dataclass(frozen=True)
class SheetData:
    """A sheet: a frame written as a named table, or a custom layout (build)."""

    title: str
    frame: pd.DataFrame | Table | None = None
    style: Callable[[Any], None] | None = None  # applied to the worksheet once written
    build: Callable[[Any], None] | None = None  # lays the sheet out itself (Bureau)
    header: str | None = None  # the printed page header, where not the workbook's
    wrap: int | None = None  # wrap text at this many characters (a long list: narrower)
    limits: Mapping[str, int] | None = None  # the same, for the columns of these headers


@dataclass(frozen=True)
class BookMeta:
    """What the printed pages and the file's properties say about the workbook."""

    title: str
    subject: str
    header: str


def book_meta(case: Case, what: str, span: str = "") -> BookMeta:
    """span: what the workbook covers where it is not the case's own session ("sessions
    7-11")."""
    s = case.session
    if span:
        return BookMeta(title=f"{what}: {span}", subject=s.conference,
                        header=f"{case.body.conference_short} - {span}")
    return BookMeta(
        title=f"{what}: session {s.number}",
        subject=s.conference,
        header=f"{case.body.conference_short} - session {s.number} - opening "
               f"{s.opening_date.isoformat()}",
    )






def _table_name(title: str, used: set[str]) -> str:
    base = "".join(c if c.isalnum() else "_" for c in title).strip("_") or "Table"
    if not base[0].isalpha():
        base = "T_" + base
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name.lower())
    return name


def _write_sheet(ws: Any, frame: pd.DataFrame | Table, table_name: str | None,
                 wrap: int | None = None, limits: Mapping[str, int] | None = None) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.table import Table as NamedTable
    from openpyxl.worksheet.table import TableStyleInfo

    headers = [str(c) for c in frame.columns]
    rows = frame.rows if isinstance(frame, Table) else frame.itertuples(index=False, name=None)
    append_row(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        append_row(ws, [safe_cell(v) for v in values])
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    if headers and ws.max_row > 1 and table_name:
        # a named table carries its own filter buttons; a sheet filter beside it is an error
        table = NamedTable(displayName=table_name, ref=ws.dimensions)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    elif headers:
        ws.auto_filter.ref = ws.dimensions
    size_columns(ws, maximum=wrap or WRAP_AT, limits=limits)


# the column width (in characters) a landscape A4 page holds between half-inch margins, as
# LibreOffice prints it at 100 % (measured: 21 columns of width 5)
PAGE_WIDTH = 105


# the height (points) of the rows an A4 landscape page holds between its margins, header and
# footer, as LibreOffice prints it (measured on the room workbook's list of pairs: 70 pages of
# 34,200 points of rows)
PAGE_HEIGHT = 480
# a printed table of more pages than this prints its first rows only, and says so
MOST_PAGES = 10


def _across(ws: Any, columns: int | None = None) -> int:
    """The pages across a sheet (its first `columns` columns) prints on, from its columns'
    widths (the first column repeated on each page where the sheet is wider than one)."""
    from openpyxl.utils import get_column_letter

    widths = [ws.column_dimensions[get_column_letter(c)].width or 9
              for c in range(1, (columns or ws.max_column) + 1)]
    repeated = widths[0] if sum(widths) > PAGE_WIDTH else 0
    across, used = 1, 0.0
    for w in widths:
        if used + w > PAGE_WIDTH and used > repeated:
            across, used = across + 1, repeated
        used += w
    return across


def _pages_down(heights: Sequence[float], most: int | None = None) -> tuple[int, int]:
    """(pages down, the last row printed) for rows of these heights, the first (the header)
    repeated on every page; with `most`, the rows stop where a page more would be needed."""
    down, used, last = 1, heights[0], 1
    for row, h in enumerate(heights[1:], start=2):
        if used + h > PAGE_HEIGHT:
            if most is not None and down == most:
                break
            down, used = down + 1, heights[0]
        used, last = used + h, row
    return down, last


def printed_pages(ws: Any) -> int:
    """The pages the sheet prints on, estimated as LibreOffice lays them out (tested against
    its PDF): pages across times pages down."""
    heights = [ws.row_dimensions[r].height or LINE_HEIGHT for r in range(1, ws.max_row + 1)]
    return _across(ws) * _pages_down(heights)[0]


def bound_printing(ws: Any, filled_in: bool = False) -> str:
    """A table that would print on more than MOST_PAGES pages prints its first rows only, as
    many as fit (its print area); returns what the page header says of it ("" where it prints
    whole). The whole table stays in the file, to read on screen or print by clearing the
    print area."""
    from openpyxl.utils import get_column_letter

    if ws.max_row < 2 or printed_pages(ws) <= MOST_PAGES:
        return ""
    # a sheet wider than the bound prints its first columns, as many as fit across it
    columns = ws.max_column
    while columns > 1 and _across(ws, columns) > MOST_PAGES:
        columns -= 1
    heights = [ws.row_dimensions[r].height or LINE_HEIGHT for r in range(1, ws.max_row + 1)]
    _down, last = _pages_down(heights, max(1, MOST_PAGES // _across(ws, columns)))
    ws.print_area = f"A1:{get_column_letter(columns)}{last}"
    cut = (f" and {columns} of its {ws.max_column} columns" if columns < ws.max_column
           else "")
    if filled_in:
        # a table to fill in grows: say what was printed in words that stay true
        return (f"printed: the first {last - 1:,} rows{cut} as planner init wrote them; clear "
                "the print area to print them all")
    return (f"printed: the first {last - 1:,} of {ws.max_row - 1:,} rows{cut}; the whole "
            "table is in the file")


def print_setup(ws: Any, meta: BookMeta | None, header: str | None = None) -> None:
    """A4 landscape at full size: a wide sheet runs across pages with its header row (and its
    first column) repeated, never shrunk to fit."""
    from openpyxl.utils import get_column_letter

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = 100
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = ws.page_margins.top = 0.5
    ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.gridLines = True
    width = sum((ws.column_dimensions[get_column_letter(c)].width or 9)
                for c in range(1, ws.max_column + 1))
    if width > PAGE_WIDTH and ws.max_column > 1:
        ws.print_title_cols = "A:A"
    text = header or (meta.header if meta is not None else None)
    if text:
        ws.oddHeader.center.text = text.replace("&", "&&")
        ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"


def write_workbook(path: Path, sheets: Sequence[SheetData], forbidden: Sequence[Path] = (),
                   meta: BookMeta | None = None,
                   embedded: Sequence[tuple[str, list[str], list[list[Any]]]] = ()) -> None:
    """Write all sheets at once: to a temporary file beside path, then renamed over it."""
    from openpyxl import Workbook

    check_output_path(path, forbidden)
    wb = Workbook()
    used: set[str] = set()
    clean: set[str] = set()  # sheets whose every cell went through append_row
    for i, sheet in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = sheet.title
        if sheet.build is not None:
            sheet.build(ws)
        elif sheet.frame is not None:
            _write_sheet(ws, sheet.frame, _table_name(sheet.title, used), sheet.wrap,
                         sheet.limits)
            if sheet.style is None:
                clean.add(ws.title)
        if sheet.style is not None:
            sheet.style(ws)
        header = sheet.header or (meta.header if meta is not None else None)
        said = bound_printing(ws) if sheet.build is None else ""
        print_setup(ws, meta, f"{header} - {said}" if header and said else said or header)
    for name, headers, rows in embedded:
        # the case the workbook was made from: hidden, protected, read back as the case
        ws = wb.create_sheet(f"case.{name}")
        append_row(ws, headers)
        for values in rows:
            append_row(ws, [safe_cell(v) for v in values])
        clean.add(ws.title)
        ws.sheet_state = "hidden"
        ws.protection.sheet = True
    if meta is not None:
        wb.properties.title = meta.title
        wb.properties.subject = meta.subject
    wb.properties.creator = f"bureau-planner {__version__}"
    wb.properties.description = f"Written by bureau-planner {__version__}"
    save_atomic(wb, path, frozenset(clean))










def input_paths(case: Case) -> list[Path]:
    return [case.path, *(Path(f.path) for f in case.files)]


def info_frame(rows: Sequence[tuple[str, str]]) -> Table:
    return Table(("item", "value"), tuple(rows))


def solve_sheets(el: Election, result: Result, outcomes: Sequence[Outcome]) -> list[SheetData]:
    from planner.report.pack import bureau_builder, chart_builder

    sheets = [
        SheetData("Bureau", build=bureau_builder(el, result.slate, outcomes, result.conflicts,
                                                 result.status)),
        SheetData("Slate", slate_frame(el, result.slate)),
    ]
    if result.status == "infeasible":
        sheets.append(SheetData("Conflicts", conflicts_frame(result.conflicts, el.profile)))
    else:
        sheets.append(SheetData("Rule check", outcomes_frame(outcomes, el)))
        sheets.append(SheetData("Score", score_frame(el, result.score)))
        if el.assessment.in_force:
            sheets.append(SheetData("Instruments", build=chart_builder(el, result.slate)))
    if el.body.serves and result.slate:
        sheets.append(SheetData("Substitutes", substitutes_frame(el, result.slate)))
    sheets.append(eligibility_sheet(el))
    return sheets


def substitutes_frame(el: Election, slate: Slate) -> Table:
    """Who substitutes for each officer not party to an instrument whose meetings the bureau
    also serves: the sheet `check` reads back (planner.io.slates.load_substitutions)."""
    from planner.consult.rounds import substitutes

    return Table.of(({"instrument": x.title, "post": x.post, "state": x.state,
                      "substitute": x.substitute or "none"} for x in substitutes(el, slate)),
                    ["instrument", "post", "state", "substitute"])


# ---------------------------------------------------------------------------------------------
# JSON and text


def slate_json(el: Election, slate: Slate) -> list[dict[str, Any]]:
    return [
        {"post": s.post, "state": s.state, "group": el.group(s.state),
         "representative": s.representative or None,
         "needed_for": list(carries(el, slate, s.state, s.post))}
        for s in slate
    ]


def table_text(frame: pd.DataFrame | Table | Sequence[Mapping[str, Any]], columns: Sequence[str],
               limit: int = 60, width: int = 100) -> str:
    """A terminal table no wider than width: the widest columns are narrowed and their cells
    wrapped onto more lines. frame: a DataFrame, or rows as dicts (no pandas needed)."""
    import textwrap

    records = (frame.records() if isinstance(frame, Table) else
               frame.to_dict("records") if hasattr(frame, "to_dict") else frame)
    rows = [[str(r.get(c, "")) for c in columns] for r in records]
    widths = [max(1, min(max([max((len(x) for x in c.split()), default=0)]
                             + [len(r[i]) for r in rows]), limit)) for i, c in enumerate(columns)]
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 6:
        widths[widths.index(max(widths))] -= 1
    lines = []
    heads = [textwrap.wrap(c, w) or [""] for c, w in zip(columns, widths, strict=True)]
    for k in range(max(len(h) for h in heads)):
        lines.append("  ".join((h[k] if k < len(h) else "").ljust(w)
                               for h, w in zip(heads, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        cells = [textwrap.wrap(v, w, break_long_words=True) or [""]
                 for v, w in zip(r, widths, strict=True)]
        for k in range(max(len(c) for c in cells)):
            lines.append("  ".join((c[k] if k < len(c) else "").ljust(w)
                                   for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Several slates side by side


def labels(n: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ..."""
    out = []
    for i in range(n):
        text = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            text = chr(65 + r) + text
        out.append(text)
    return out


def _by_group_post(el: Election, slate: Slate) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for s in slate:
        out.setdefault((el.group(s.state) or NO_GROUP, s.post), []).append(s.state)
    return out


def side_by_side(el: Election, slates: Sequence[Slate], names: Sequence[str]
                 ) -> tuple[Table, list[bool]]:
    """One row per post, grouped by regional group, one column per slate; and for each row
    whether the slates differ there. States common to every slate share a row."""
    held = [_by_group_post(el, s) for s in slates]
    rows: list[dict[str, str]] = []
    changed: list[bool] = []
    for group in (*el.body.group_names, NO_GROUP):
        for post in el.body.post_names:
            lists = [sorted(h.get((group, post), []), key=el.rank.__getitem__) for h in held]
            if not any(lists):
                continue
            common = [s for s in lists[0] if all(s in other for other in lists[1:])]
            columns = [common + [s for s in one if s not in common] for one in lists]
            for i in range(max(len(c) for c in columns)):
                cells = [c[i] if i < len(c) else "" for c in columns]
                rows.append({"group": group, "post": post,
                             **dict(zip(names, cells, strict=True))})
                changed.append(len(set(cells)) > 1)
    return Table.of(rows, ["group", "post", *names]), changed


def differences(el: Election, slates: Sequence[Slate], names: Sequence[str]) -> list[str]:
    """In words, how each slate differs from the first."""
    out = []
    base = _by_group_post(el, slates[0])
    for name, slate in zip(names[1:], slates[1:], strict=True):
        other = _by_group_post(el, slate)
        for group in (*el.body.group_names, NO_GROUP):
            for post in el.body.post_names:
                a = set(base.get((group, post), []))
                b = set(other.get((group, post), []))
                if a != b:
                    only_a = ", ".join(sorted(a - b, key=el.rank.__getitem__)) or "nobody"
                    only_b = ", ".join(sorted(b - a, key=el.rank.__getitem__)) or "nobody"
                    out.append(f"{post} ({group}): {only_a} in {names[0]}, {only_b} in {name}")
    return out


def mark_changed(ws: Any, changed: Sequence[bool], first_col: int, last_col: int) -> None:
    """Fill the cells of rows where the slates differ, so a reader sees them at once."""
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor="FFF2CC")
    for i, flag in enumerate(changed, start=2):
        if flag:
            for col in range(first_col, last_col + 1):
                ws.cell(row=i, column=col).fill = fill


def side_by_side_style(judges: Sequence[Election], slates: Sequence[Slate],
                       changed: Sequence[bool]) -> Callable[[Any], None]:
    """Changed rows filled, and under the grid each slate's rule check and score, each under
    the election it is judged by."""
    def style(ws: Any) -> None:
        from openpyxl.styles import Font

        from planner.rules.base import score

        el = judges[0]
        mark_changed(ws, changed, 3, 2 + len(slates))
        ws.append([])
        checks = []
        for judge, slate in zip(judges, slates, strict=True):
            failed = sorted({o.rule for o in check(judge, slate) if not o.passed})
            names = [r.name if (r := el.profile.rule(i)) is not None else i for i in failed]
            checks.append("valid" if not failed else "FAILS " + "; ".join(names))
        ws.append(["rule check", "", *checks])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        scores = [score(judge, slate) for judge, slate in zip(judges, slates, strict=True)]
        # the planner's own tie-break is no rule: its internal value is for the JSON only
        for rule in (p for p in el.profile.preferences if not p.planners_own):
            better = "higher" if rule.maximise else "lower"
            ws.append([rule.name, f"{better} is better", *[sc[rule.id] for sc in scores]])
    return style


def slates_frame(el: Election, slates: Sequence[Slate], names: Sequence[str]) -> Table:
    """Every slate's officers, one after another, each row headed by its slate's rank."""
    rows = []
    columns: tuple[str, ...] = ()
    for name, slate in zip(names, slates, strict=True):
        f = slate_frame(el, slate)
        columns = ("rank", *f.columns)
        rows += [(name, *row) for row in f.rows]
    return Table(columns, tuple(rows))


def scores_frame(judges: Election | Sequence[Election], slates: Sequence[Slate],
                 names: Sequence[str]) -> Table:
    """Each slate's score and rule check, under the election it is judged by (one for all,
    or one a slate)."""
    from planner.rules.base import score

    each = [judges] * len(slates) if not isinstance(judges, Sequence) else list(judges)
    rows = []
    # the planner's own tie-break is no rule: its internal value is for the JSON only
    words = ({p.id: p.name for p in each[0].profile.preferences if not p.planners_own}
             if each else {})
    for name, slate, el in zip(names, slates, each, strict=True):
        outcomes = check(el, slate)
        failed = [o for o in outcomes if not o.passed]
        values = score(el, slate)
        rows.append({"slate": name, **{words[k]: v for k, v in values.items() if k in words},
                     "rule check": "valid" if not failed else
                     "fails " + "; ".join(sorted({o.citation for o in failed}))})
    # the columns in the order the rows first give them
    return Table.of(rows, list(dict.fromkeys(k for r in rows for k in r)))
