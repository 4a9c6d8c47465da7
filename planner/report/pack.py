"""The Bureau sheet of the consultation pack: the bureau as a secretariat lays it out, the rule
check panel with pass/fail colours, and a chart of the bureau by group and by instrument."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from planner.consult.rounds import open_seats_left, substitutes, substitutes_by_instrument
from planner.domain.case import Instrument
from planner.domain.slate import Slate
from planner.rules.base import Outcome, seats_held
from planner.rules.election import Election, data_currency, seat_order
from planner.rules.reduce import needed_for

if TYPE_CHECKING:
    from planner.solve.result import Conflict

PASS_FILL = "C6EFCE"
SUPPOSED_FILL = "FFE699"
# the width of an A4 landscape page in column units, margins aside, as LibreOffice prints it
# where Calibri is not installed (its stand-in is wider; measured by tests/test_spreadsheets.py)
PAGE_UNITS = 96
FAIL_FILL = "FFC7CE"


def bureau_rows(el: Election, slate: Slate) -> list[tuple[str, str, str, str, str]]:
    """(office, State, group, representative, what it is needed for): the President, then the
    Vice-Presidents group by group, then the Rapporteur."""
    rows = []
    for seat in sorted(slate, key=lambda s: seat_order(el, s.state, s.post)):
        rows.append((seat.post, seat.state, el.group(seat.state) or "", seat.representative,
                     needed_for(el, slate, seat.state, seat.post)))
    return rows


def instrument_labels(instruments: Sequence[Instrument]) -> dict[str, str]:
    """Each instrument's short name for a column or a chart's legend (its full title is given
    under the table): its id in words, or the ids themselves where two would read alike."""
    words = {i.id: i.id.replace("_", " ").replace("-", " ") for i in instruments}
    if len(set(words.values())) < len(words):
        return {i.id: i.id for i in instruments}
    return {k: v[:1].upper() + v[1:] for k, v in words.items()}


def instrument_counts(el: Election, slate: Slate) -> list[list[Any]]:
    """Per group, how many of its officers are parties to each instrument in force."""
    ids = [i.id for i in el.assessment.in_force]
    label = instrument_labels(el.assessment.in_force)
    table: list[list[Any]] = [["group", *(label[i] for i in ids)]]
    for g in el.body.group_names:
        officers = [s.state for s in slate if el.group(s.state) == g]
        table.append([el.body.group(g).short,
                      *[sum(i in el.status[s].instruments for s in officers) for i in ids]])
    return table


def bureau_builder(el: Election, slate: Slate, outcomes: Sequence[Outcome],
                   conflicts: Sequence[Conflict], status: str) -> Any:
    def build(ws: Any) -> None:
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import Alignment, Font, PatternFill

        from planner.report.files import fit_rows, size_columns

        s = el.case.session
        bold = Font(bold=True)
        ws.append([s.conference])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([f"Session {s.number}, opening {s.opening_date.isoformat()}"])
        ws.append(["Proposed bureau" if status == "solved" else "No bureau meets the rules"])
        ws["A3"].font = Font(bold=True, size=12)
        # the data older than the question: said where delegates read the slate, in the
        # box of what it rests on where there is one
        currency = data_currency(el.case, el.opening)
        if el.case.suppositions:
            # what the slate rests on besides the facts, in a box no reader can miss
            ws.append(["This slate rests on suppositions, not facts: "
                       + "; ".join(el.case.suppositions) + "."
                       + (f" {currency}" if currency else "")])
            ws["A4"].font = Font(bold=True)
            ws["A4"].fill = PatternFill("solid", fgColor=SUPPOSED_FILL)
        elif currency:
            ws.append([currency])
            ws["A4"].font = Font(italic=True)
        ws.append([])
        header = ["Office", "State", "Regional group", "Representative", "Needed for"]
        ws.append(header)
        top = ws.max_row
        for cell in ws[top]:
            cell.font = bold
        for row in bureau_rows(el, slate):
            ws.append(list(row))
        held_apart = seats_held(el, slate)
        if held_apart:
            ws.append([])  # the officers' table ends here (the slate reader stops at a blank)

        replaced = substitutes(el, slate)
        opened = open_seats_left(el, slate)
        if (replaced or opened) and not held_apart:
            ws.append([])  # the officers' table ends here (the slate reader stops at a blank)
        lines = [("Seat set apart", held.said()) for held in held_apart]
        lines += [("Seat left open", x.said()) for x in opened]
        # who sits for an officer at a meeting of parties its State is not a party to: one
        # line per instrument, so that the page stays one page
        lines += [("Substitutes", f"{title}: {text}.")
                  for title, text in substitutes_by_instrument(el, slate)]
        for label, text in lines:
            # who holds a seat the rules set apart, which the groups' column alone hides
            ws.append([label, text])
            row = ws.max_row
            ws.cell(row, 1).font = bold
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
            ws.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        ws.append([])
        if status == "solved":
            # the verdict only: the Rule check sheet has every rule instance
            failed = [o for o in outcomes if not o.passed]
            verdict = ("pass" if not failed else "FAIL")
            said = (f"the slate meets every rule ({len(outcomes)} checks; see the Rule check "
                    "sheet)" if not failed else
                    "the slate breaks " + "; ".join(f"{o.citation}" for o in failed))
            ws.append(["Rule check", verdict, said])
            row = ws.max_row
            ws.cell(row, 1).font = bold
            ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
            ws.cell(row, 3).alignment = Alignment(wrap_text=True, vertical="top")
            cells = f"B{row}"
            ws.conditional_formatting.add(cells, CellIsRule(  # type: ignore[no-untyped-call]
                operator="equal", formula=['"pass"'],
                fill=PatternFill("solid", fgColor=PASS_FILL, bgColor=PASS_FILL)))
            ws.conditional_formatting.add(cells, CellIsRule(  # type: ignore[no-untyped-call]
                operator="equal", formula=['"FAIL"'],
                fill=PatternFill("solid", fgColor=FAIL_FILL, bgColor=FAIL_FILL)))
        else:
            ws.append(["Rules that cannot all hold"])
            ws[f"A{ws.max_row}"].font = bold
            for c in conflicts:
                ws.append([c.name(el.profile), c.message])
                row = ws.max_row
                ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
                ws.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
                ws.row_dimensions[row].height = 15 * (len(c.message) // 80 + 1)
        titles = frozenset(c.row for c in ws["A"] if c.font and c.font.b and c.row > top
                           and not all(ws.cell(c.row, k).value for k in range(2, 4)))
        # the page's width shared out: each column as wide as its longest value, within a
        # bound, and what an officer is needed for (which may name several rules) the rest
        limits = {"Regional group": 22, "Needed for": 60}
        size_columns(ws, maximum=18, min_row=top, skip=titles, limits=limits)
        rest = PAGE_UNITS - sum(ws.column_dimensions[c].width or 9 for c in "ABCD") - 2
        # again, the last column within what the others leave (its long cells then wrap)
        size_columns(ws, maximum=18, min_row=top, skip=titles,
                     limits={**limits, "Needed for": max(18, rest)})
        for r in range(1, top - 1):  # the titles run across the table's width, wrapped
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
            ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        fit_rows(ws)
        # no repeated header row: the sheet holds several tables, one after another
        ws.freeze_panes = f"A{top + 1}"

    return build


def chart_builder(el: Election, slate: Slate) -> Any:
    """The officers party to each instrument in force, by group: the counts, the instruments'
    titles and a chart, on a page of their own beside the Bureau page."""
    def build(ws: Any) -> None:
        from openpyxl.chart import BarChart, Reference
        from openpyxl.styles import Alignment, Font

        counts = instrument_counts(el, slate)
        ws.append(["Officers party to each instrument in force, by group"])
        ws["A1"].font = Font(bold=True)
        first = ws.max_row + 1
        for values in counts:
            ws.append(values)
        for cell in ws[first]:
            cell.font = Font(bold=True)
        label = instrument_labels(el.assessment.in_force)
        for instrument in el.assessment.in_force:
            ws.append([label[instrument.id], instrument.title])
            row = ws.max_row
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(counts[0]))
            ws.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        chart = BarChart()
        chart.type = "col"
        chart.title = "Officers party to each instrument"
        chart.y_axis.title = "officers"
        chart.y_axis.majorUnit = 1
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = max(el.profile.most_officers(g) for g in el.body.group_names)
        width = len(counts[0])
        data = Reference(ws, min_col=2, max_col=width, min_row=first,
                         max_row=first + len(counts) - 1)
        names = Reference(ws, min_col=1, min_row=first + 1, max_row=first + len(counts) - 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(names)
        chart.width, chart.height = 16, 7
        ws.add_chart(chart, f"A{ws.max_row + 2}")
        ws.column_dimensions["A"].width = 28
        for col in "BCDEFG"[:len(counts[0]) - 1]:
            ws.column_dimensions[col].width = 14

    return build

