"""`planner init`: a case workbook for people to fill in, one sheet per table of the case
contract, with instructions, drop-down lists, date cells and example rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.domain.body import Body
from planner.domain.case import Case
from planner.domain.names import registry
from planner.domain.slate import state_order
from planner.io.schema import (
    EXAMPLE,
    SCHEMA,
    SESSION_KEY_NAMES,
    SESSION_KEYS,
    TableSpec,
    example_rows,
)

DATE_FORMAT = "yyyy-mm-dd"
LIST_ROWS = 2000  # rows that carry drop-down lists and date formats


HOW_TO = """\
How to fill in this case workbook

Each sheet is one table of the case; the planner reads them by their sheet names.
Row 1 of each sheet holds the column headers: keep them (their order does not matter).
Hover over a header for what the column means, and whether it is required.
Rows in grey italics marked "example" in the last column are ignored: overwrite or delete them.
Cells with a small arrow offer a drop-down list (States, groups, instruments, posts).
Dates are date cells; typed dates such as 2012-10-15 or 15 Oct 2012 are read too.
"""


def instructions(body: Body, profile: str) -> list[str]:
    """The Instructions sheet, from the one schema of the case."""
    lines = [*HOW_TO.splitlines(), "", f"Body: {body.conference} (profile {profile})", "",
             "The sheets:"]
    for t in SCHEMA:
        if t.applies(body):
            lines.append(f"  {t.name}: {t.about}.")
    lines += ["", "The keys of the session sheet:"]
    lines += [f"  {key}: {about}." for key, about in SESSION_KEYS]
    lines += ["", "Then run:  planner solve THIS-WORKBOOK.xlsx"]
    return lines


def _example(values: list[Any]) -> list[list[Any]]:
    return [[*values, EXAMPLE]]


def _session_rows(body: Body, profile: str, case: Case | None, session: int | None,
                  opening: dt.date | None) -> list[list[Any]]:
    if case is None:
        return [["profile", profile], ["conference", body.conference],
                ["session", session or ""], ["opening_date", opening or ""],
                ["president_group", ""], ["rapporteur_group", ""]]
    s = case.session
    later = session is not None and session != s.number
    rows: list[list[Any]] = [
        ["profile", profile], ["conference", s.conference], ["session", session or s.number],
        ["opening_date", opening or (dict(case.schedule).get(session) if later and session
                                     else s.opening_date) or ""],
        # whose turn it is, and the presidency, belong to the case's own session
        ["president_group", "" if later else s.president_group or ""],
        ["rapporteur_group", "" if later else s.rapporteur_group or ""],
    ]
    if s.rotation_cycle:
        rows.append(["rotation_cycle", "; ".join(s.rotation_cycle)])
    if s.rotation_start:
        rows.append(["rotation_start", s.rotation_start])
    if s.rapporteur_offset is not None:
        rows.append(["rapporteur_offset", s.rapporteur_offset])
    if s.presidency and not later:
        rows.append(["presidency", s.presidency])
    if s.venue and not later:
        rows.append(["venue", s.venue])
    return rows


def _rows(body: Body, profile: str, case: Case | None, session: int | None,
          opening: dt.date | None) -> dict[str, list[list[Any]]]:
    """Each table's rows: the case's own where a case is given, else one example row."""
    session_rows = _session_rows(body, profile, case, session, opening)
    examples = example_rows(body)
    if case is None:
        return {"session": session_rows, "constituencies": [], "suppositions": [], "states": [],
                **{name: _example(values) for name, values in examples.items()}}
    later = session is not None and session != case.session.number
    # nominations and attendance are the case's own session's; a later session starts afresh
    extras = nomination_attributes(case)
    nominations = [] if later else [
        [n.state, n.post, n.priority, n.person, "", *(n.attribute(a) or "" for a in extras)]
        for n in case.nominations]
    attendance = [] if later else [[st] for st in sorted(case.attendance or (),
                                                        key=state_order)]
    deposited = {(d.state, d.instrument) for d in case.deposits}
    return {
        "states": [[st] for st in sorted(case.declared)],
        "session": session_rows,
        "members": [[m] for m in sorted(case.members or (), key=state_order)],
        "constituencies": [[st, name] for name, states in case.constituencies
                           for st in sorted(states, key=state_order)],
        "instruments": [[i.id, i.title, i.kind, i.entry_into_force, i.days_after_deposit,
                         i.adopted or "", ""] for i in case.instruments],
        "ratifications": [
            *([d.state, d.instrument, d.date, d.action,
               _signed(case, d.state, d.instrument)] for d in case.deposits),
            *([g.state, g.instrument, "", "", g.date or ""] for g in case.signatures
              if (g.state, g.instrument) not in deposited),
        ],
        "groups": [[m.state, m.group, "yes"] for m in case.memberships],
        "attendance": attendance or _example(examples["attendance"]),
        # the example row padded to the officers' attributes, so its mark stays in a column
        # of its own and the row is read as an example, never as a nomination
        "nominations": nominations or _example([*examples["nominations"],
                                                *("" for _a in extras)]),
        # withdrawals, like nominations, are the case's own session's
        "withdrawals": ([] if later else [[st] for st in sorted(case.withdrawn, key=state_order)])
        or _example(examples["withdrawals"]),
        "rotation": [[r.session, r.post, r.group, "", ""] for r in case.rotation],
        "sessions": [[n, d] for n, d in case.schedule],
        "expected_ratifications": [[d.state, d.instrument, d.date] for d in case.expected],
        "bureau_history": [[h.session, h.post, h.state, h.person, "yes" if h.holdover else ""]
                           for h in case.history],
        "attributes": [[a.state, a.attribute, a.value] for a in case.attributes],
        # a later session's case starts from the facts alone
        "suppositions": [] if later else [[x] for x in case.suppositions],
    }


def nomination_attributes(case: Case | None) -> list[str]:
    """The officers' own attributes the case's nominations carry: columns of their own."""
    if case is None:
        return []
    return sorted({a for n in case.nominations for a, _v in n.attributes})


def headers_of(spec: TableSpec, case: Case | None) -> list[str]:
    """A table's columns: the schema's, and for nominations the attributes they carry."""
    extra = nomination_attributes(case) if spec.name == "nominations" else []
    return [*spec.names, *extra]


def case_tables(case: Case, profile: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The case as the tables of the schema (the same rows init writes), for a workbook to
    carry: (table, headers, rows)."""
    rows = _rows(case.body, profile, case, None, None)
    out = []
    for spec in SCHEMA:
        if not spec.applies(case.body):
            continue
        headers = headers_of(spec, case)
        # example rows (marked in an extra column) are for people filling in a template
        kept = [r for r in rows.get(spec.name, []) if len(r) <= len(headers)]
        out.append((spec.name, headers, kept))
    return out


def _signed(case: Case, state: str, instrument: str) -> dt.date | str:
    return next((g.date for g in case.signatures if g.state == state
                 and g.instrument == instrument and g.date), "")


def _lists(case: Case | None, spec: Body) -> dict[str, Sequence[str]]:
    if case is not None:
        states = case.known_states()
        instruments = [i.id for i in case.instruments]
    else:
        states = tuple(sorted(registry().entries, key=state_order))
        instruments = ["convention"]
    return {"state": states, "group": spec.group_names, "post": spec.post_names,
            "instrument": instruments, "kind": ("convention", "protocol"),
            "yesno": ("yes", "no"), "constituency": spec.constituencies or ("",),
            "session_key": SESSION_KEY_NAMES}


def write_template(dest: Path, body: Body, profile: str, case: Case | None = None,
                   session: int | None = None, opening: dt.date | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from planner import __version__
    from planner.report.files import save_atomic
    from planner.report.workbook import bound_printing, print_setup

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Instructions"
    for line in instructions(body, profile):
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 100

    lists = wb.create_sheet("Lists")
    ranges: dict[str, str] = {}
    for col, (name, values) in enumerate(_lists(case, body).items(), start=1):
        letter = get_column_letter(col)
        lists.cell(1, col, name).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            lists.cell(row, col, value)
        ranges[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    grey = Font(italic=True, color="808080")
    all_rows = _rows(body, profile, case, session, opening)
    for spec in SCHEMA:
        if not spec.applies(body):
            continue
        name, columns = spec.name, spec.columns
        sheet = wb.create_sheet(name)
        headers = headers_of(spec, case)
        rows = all_rows[name]
        if any(len(r) > len(headers) for r in rows):
            headers.append("example")
        sheet.append(headers)
        for i, c in enumerate(columns, start=1):
            cell = sheet.cell(1, i)
            cell.font = Font(bold=True)
            cell.comment = Comment(c.about + (" (required)" if c.required else ""), "planner")
        if "example" in headers:
            sheet.cell(1, len(headers)).font = Font(bold=True, color="808080")
        for values in rows:
            sheet.append(values)
            if len(values) > len(columns):
                for cell in sheet[sheet.max_row]:
                    cell.font = grey
        for i, c in enumerate(columns, start=1):
            letter = get_column_letter(i)
            cells = f"{letter}2:{letter}{LIST_ROWS}"
            if c.choices:
                dv = DataValidation(type="list", formula1=f"={ranges[c.choices]}",
                                    allow_blank=True, showErrorMessage=True,
                                    errorStyle="warning", error="Not in the list: check it.")
                sheet.add_data_validation(dv)
                dv.add(cells)
            if c.date:
                for row in sheet.iter_rows(min_row=2, max_row=max(sheet.max_row, 200),
                                           min_col=i, max_col=i):
                    for cell in row:
                        cell.number_format = DATE_FORMAT
        if name == "session":
            for row in sheet.iter_rows(min_row=2):
                if row[0].value == "opening_date":
                    row[1].number_format = DATE_FORMAT
                    row[1].alignment = Alignment(horizontal="left")
        sheet.freeze_panes = "A2"
        for i, h in enumerate(headers, start=1):
            width = max([len(h)] + [len(str(r[i - 1])) for r in rows if len(r) >= i])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(10, width + 2), 60)
    for sheet in wb.worksheets:
        if sheet.title != "Lists":
            said = bound_printing(sheet, filled_in=True) if sheet.title != "Instructions" else ""
            print_setup(sheet, None, f"{body.conference_short} - case workbook"
                        + (f" - {said}" if said else ""))
    wb.move_sheet("Lists", offset=len(wb.sheetnames))
    wb.properties.title = "Bureau planner case"
    wb.properties.creator = f"bureau-planner {__version__}"
    save_atomic(wb, dest)
