"""`planner init`: a case workbook for people to fill in, one sheet per table of the case
contract, with instructions, drop-down lists, date cells and example rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.domain.body import TREATY, Body
from planner.domain.case import Case
from planner.domain.names import registry
from planner.domain.slate import state_order

EXAMPLE = "example: this row is ignored"
DATE_FORMAT = "yyyy-mm-dd"
LIST_ROWS = 2000  # rows that carry drop-down lists and date formats


@dataclass(frozen=True)
class Column:
    name: str
    about: str
    choices: str = ""  # a column of the Lists sheet, for a drop-down
    date: bool = False


SHEETS: dict[str, tuple[Column, ...]] = {
    "session": (
        Column("key", "what the value is"),
        Column("value", "the value"),
    ),
    "instruments": (
        Column("instrument", "a short id, used in the other sheets"),
        Column("title", "the instrument's title"),
        Column("kind", "convention or protocol", "kind"),
        Column("entry_into_force", "the instrument's own entry into force", date=True),
        Column("days_after_deposit", "days from a later deposit to entry into force for that "
               "State (30)"),
    ),
    "ratifications": (
        Column("state", "the State (UN name)", "state"),
        Column("instrument", "the instrument's id", "instrument"),
        Column("deposit_date", "date of the instrument of ratification, acceptance, approval "
               "or accession; empty if signed only", date=True),
        Column("action", "ratification, accession, acceptance, approval, succession"),
        Column("signature_date", "date of signature, if any", date=True),
    ),
    "groups": (
        Column("state", "the State (UN name)", "state"),
        Column("group", "its regional group", "group"),
        Column("counts_for_elections", "yes, or no for the second group of a State in two",
               "yesno"),
    ),
    "attendance": (
        Column("state", "a State present at the opening; leave the sheet empty to take every "
               "State party as present", "state"),
    ),
    "nominations": (
        Column("state", "the nominated State", "state"),
        Column("post", "President, Vice-President or Rapporteur", "post"),
        Column("priority", "1 for the first choice, 2 for the next ..."),
        Column("representative", "the representative's name, if known"),
    ),
    "members": (
        Column("state", "a member of the body (where membership, not a treaty, decides who "
               "may sit)", "state"),
    ),
    "constituencies": (
        Column("state", "a State of a constituency the profile names", "state"),
        Column("constituency", "the constituency, e.g. small island developing States"),
    ),
    "rotation": (
        Column("session", "an earlier session's number"),
        Column("president_group", "the group that held the presidency", "group"),
        Column("rapporteur_group", "the group that held the Rapporteur's post", "group"),
    ),
}

INSTRUCTIONS = """\
How to fill in this case workbook

Each sheet is one table of the case; the planner reads them by their sheet names.
Row 1 of each sheet holds the column headers: keep them (their order does not matter).
Rows in grey italics marked "example" in the last column are ignored: overwrite or delete them.
Cells with a small arrow offer a drop-down list (States, groups, instruments, posts).
Dates are date cells; typed dates such as 2012-10-15 or 15 Oct 2012 are read too.

session: conference, session number, opening date; president_group and rapporteur_group if the
  Conference has settled whose turn it is (they override the rotation sheet).
instruments: the Convention and its Protocols, with their entry into force.
ratifications: one row per State and instrument deposited (or signed only).
groups: the regional group of each State; a State listed twice counts in the row marked yes.
attendance: the States present at the opening (empty: every State party taken as present).
nominations: the groups' nominations; priority 1 is the first choice.
rotation: earlier sessions' President and Rapporteur groups.

Then run:  planner solve THIS-WORKBOOK.xlsx
"""


def _rows(body: Body, profile: str, case: Case | None, session: int | None,
          opening: dt.date | None) -> dict[str, list[list[Any]]]:
    if case is None:
        return {
            "members": [["Kenya", EXAMPLE]],
            "constituencies": [],
            "session": [["profile", profile], ["conference", body.conference],
                        ["session", session or ""],
                        ["opening_date", opening or ""], ["president_group", ""],
                        ["rapporteur_group", ""]],
            "instruments": [["convention", "United Nations Convention against Transnational "
                             "Organized Crime", "convention", dt.date(2003, 9, 29), 30, EXAMPLE]],
            "ratifications": [["Kenya", "convention", dt.date(2004, 6, 16), "accession", "",
                               EXAMPLE]],
            "groups": [["Kenya", "African States", "yes", EXAMPLE]],
            "attendance": [["Kenya", EXAMPLE]],
            "nominations": [["Kenya", "Vice-President", 1, "", EXAMPLE]],
            "rotation": [[5, "African States", "", EXAMPLE]],
        }
    s = case.session
    return {
        "members": [[m] for m in sorted(case.members or (), key=state_order)],
        "constituencies": [[st, name] for name, states in case.constituencies
                           for st in sorted(states, key=state_order)],
        "session": [["profile", profile], ["conference", s.conference],
                    ["session", session or s.number],
                    ["opening_date", opening or s.opening_date],
                    ["president_group", "" if session else s.president_group or ""],
                    ["rapporteur_group", "" if session else s.rapporteur_group or ""]],
        "instruments": [[i.id, i.title, i.kind, i.entry_into_force, i.days_after_deposit]
                        for i in case.instruments],
        "ratifications": [
            *([d.state, d.instrument, d.date, d.action,
               _signed(case, d.state, d.instrument)] for d in case.deposits),
            *([g.state, g.instrument, "", "", g.date or ""] for g in case.signatures
              if not any(d.state == g.state and d.instrument == g.instrument
                         for d in case.deposits)),
        ],
        "groups": [[m.state, m.group, "yes"] for m in case.memberships],
        "attendance": [[st] for st in sorted(case.attendance or (), key=state_order)]
        or [["Kenya", EXAMPLE]],
        "nominations": [[n.state, n.post, n.priority, n.representative]
                        for n in case.nominations] or [["Kenya", "Vice-President", 1, "",
                                                       EXAMPLE]],
        "rotation": [[r.session, r.president_group or "", r.rapporteur_group or ""]
                     for r in case.rotation],
    }


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
            "yesno": ("yes", "no")}


def write_template(dest: Path, body: Body, profile: str, case: Case | None = None,
                   session: int | None = None, opening: dt.date | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from planner import __version__
    from planner.report.files import safe_text_cells, save_atomic

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Instructions"
    for line in INSTRUCTIONS.splitlines():
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
    unused = ({"members"} if body.eligibility == TREATY else {"instruments", "ratifications"})
    if not body.constituencies:
        unused.add("constituencies")
    all_rows = _rows(body, profile, case, session, opening)
    for name, columns in SHEETS.items():
        if name in unused:
            continue
        sheet = wb.create_sheet(name)
        headers = [c.name for c in columns]
        rows = all_rows[name]
        if any(len(r) > len(headers) for r in rows):
            headers.append("example")
        sheet.append(headers)
        for i, c in enumerate(columns, start=1):
            cell = sheet.cell(1, i)
            cell.font = Font(bold=True)
            cell.comment = Comment(c.about, "planner")
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
        safe_text_cells(sheet, 2)
        sheet.freeze_panes = "A2"
        for i, h in enumerate(headers, start=1):
            width = max([len(h)] + [len(str(r[i - 1])) for r in rows if len(r) >= i])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(10, width + 2), 60)
    wb.move_sheet("Lists", offset=len(wb.sheetnames))
    wb.properties.title = "Bureau planner case"
    wb.properties.creator = f"bureau-planner {__version__}"
    save_atomic(wb, dest)
