"""The Bureau sheet of the consultation pack: the bureau as a secretariat lays it out, the rule
check panel with pass/fail colours, and a chart of the bureau by group and by instrument."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from planner.domain.slate import Slate
from planner.rules.base import Outcome, carries
from planner.rules.election import Election, seat_order

if TYPE_CHECKING:
    from planner.solve.model import Conflict

PASS_FILL = "C6EFCE"
FAIL_FILL = "FFC7CE"


def bureau_rows(el: Election, slate: Slate) -> list[tuple[str, str, str, str, str]]:
    """(office, State, group, representative, rules carried): the President, then the
    Vice-Presidents group by group, then the Rapporteur."""
    rows = []
    for seat in sorted(slate, key=lambda s: seat_order(el, s.state, s.post)):
        rows.append((seat.post, seat.state, el.group(seat.state) or "", seat.representative,
                     "; ".join(carries(el, slate, seat.state, seat.post))))
    return rows


def instrument_counts(el: Election, slate: Slate) -> list[list[Any]]:
    """Per group, how many of its officers are parties to each instrument in force."""
    ids = [i.id for i in el.assessment.in_force]
    table: list[list[Any]] = [["group", *ids]]
    for g in el.body.group_names:
        officers = [s.state for s in slate if el.group(s.state) == g]
        table.append([el.body.group(g).short,
                      *[sum(i in el.status[s].instruments for s in officers) for i in ids]])
    return table


def bureau_builder(el: Election, slate: Slate, outcomes: Sequence[Outcome],
                   conflicts: Sequence[Conflict], status: str) -> Any:
    def build(ws: Any) -> None:
        from openpyxl.chart import BarChart, Reference
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import Alignment, Font, PatternFill

        from planner.report.files import safe_text_cells, size_columns

        s = el.case.session
        bold = Font(bold=True)
        ws.append([s.conference])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([f"Session {s.number}, opening {s.opening_date.isoformat()}"])
        ws.append(["Proposed bureau" if status == "solved" else "No bureau meets the rules"])
        ws["A3"].font = Font(bold=True, size=12)
        ws.append([])
        header = ["Office", "State", "Regional group", "Representative", "Rules carried"]
        ws.append(header)
        top = ws.max_row
        for cell in ws[top]:
            cell.font = bold
        for row in bureau_rows(el, slate):
            ws.append(list(row))
        ws.append([])
        if status == "solved":
            ws.append(["Rule check", "Scope", "Citation", "Result"])
            first = ws.max_row + 1
            for cell in ws[ws.max_row]:
                cell.font = bold
            for o in outcomes:
                ws.append([o.rule, ", ".join(o.scope), o.citation.split(" (")[0],
                           "pass" if o.passed else "FAIL"])
            last = ws.max_row
            cells = f"D{first}:D{last}"
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
                ws.append([c.rule, c.message])
                ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True)
        if status == "solved":
            counts = instrument_counts(el, slate)
            ws.append([])
            ws.append(["Officers party to each instrument in force, by group"])
            ws[f"A{ws.max_row}"].font = bold
            first = ws.max_row + 1
            for values in counts:
                ws.append(values)
            for cell in ws[first]:
                cell.font = bold
            chart = BarChart()
            chart.type = "col"
            chart.title = "Officers party to each instrument"
            chart.y_axis.title = "officers"
            chart.y_axis.majorUnit = 1
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = max(el.profile.most_officers(g)
                                           for g in el.body.group_names)
            width = len(counts[0])
            data = Reference(ws, min_col=2, max_col=width, min_row=first,
                             max_row=first + len(counts) - 1)
            names = Reference(ws, min_col=1, min_row=first + 1, max_row=first + len(counts) - 1)
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(names)
            chart.width, chart.height = 16, 7
            ws.add_chart(chart, f"A{first + len(counts) + 1}")
        safe_text_cells(ws)
        size_columns(ws, maximum=50, min_row=top)
        ws.print_title_rows = f"{top}:{top}"
        ws.freeze_panes = f"A{top + 1}"

    return build
