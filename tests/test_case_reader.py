"""The case reader on the optional tables: attendance, rotation, warnings, and workbook cells."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from planner.errors import InputError
from planner.io.reader import load_case
from planner.solve.best import solve

from .factory import AF, AP, EE, LA, NAMES, UNTOC, prep, write_case, write_csv


def test_attendance_limits_who_can_sit(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    present = [s for names in NAMES.values() for s in names[:3] if s != "Albania"]
    write_csv(case / "attendance.csv", ["state"], [(s,) for s in present])
    el = prep(load_case(case, UNTOC))
    assert el.status["Albania"].reason == "not present"
    assert not any("attendance" in n for n in el.notes)
    assert "Albania" not in {s.state for s in solve(el).slate}


def test_rotation_table_applies_without_override(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    write_csv(case / "session.csv", ["key", "value"],
              [("session", 7), ("opening_date", "2014-10-06")])
    write_csv(case / "rotation.csv", ["session", "president_group", "rapporteur_group"],
              [(6, "Asia-Pacific", "Africa"), (7, "EEG", "Asia-Pacific")])
    el = prep(load_case(case, UNTOC))
    assert (el.president_group, el.rapporteur_group) == (EE, AP)
    assert "rotation table, session 7" in el.rotation_basis
    slate = solve(el).slate
    assert el.group(slate[0].state) == EE and el.group(slate[-1].state) == AP


def test_session_override_beats_rotation(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case", president=LA, rapporteur=AF)
    write_csv(case / "rotation.csv", ["session", "president_group"], [(6, "Asia-Pacific")])
    el = prep(load_case(case, UNTOC))
    assert el.president_group == LA


def test_protocol_deposit_without_convention_is_a_warning(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    rows = (case / "ratifications.csv").read_text(encoding="utf-8")
    rows += "Kenya,trafficking,2005-01-01,\n"
    (case / "ratifications.csv").write_text(rows, encoding="utf-8")
    c = load_case(case, UNTOC)
    assert len(c.warnings) == 1
    assert c.warnings[0].startswith("Kenya deposited its instrument for trafficking on "
                                    "2005-01-01 without having deposited one for the Convention")
    assert "ratifications.csv, row" in c.warnings[0]


def test_excel_cells_dates_numbers_as_text(tmp_path: Path) -> None:
    folder = write_case(tmp_path / "case")
    book = tmp_path / "case.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "session"
    ws.append(["Key ", " VALUE"])  # headers in another case, with spaces
    ws.append(["session", "6"])  # a number stored as text
    ws.append(["opening_date", dt.datetime(2012, 10, 15)])  # a real date cell
    ws.append(["president_group", "Asia-Pacific States"])
    for name in ("instruments", "ratifications", "groups"):
        sheet = wb.create_sheet(name)
        for line in (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines():
            cells: list[object] = line.split(",")
            if name == "ratifications" and cells[2] != "deposit_date":
                cells[2] = 37257  # 2002-01-01 as an Excel serial
            sheet.append(cells)
    wb.save(book)
    c = load_case(book, UNTOC)
    assert c.session.opening_date == dt.date(2012, 10, 15) and c.session.number == 6
    assert {d.date for d in c.deposits} == {dt.date(2002, 1, 1)}
    assert solve(prep(c)).status == "solved"


def test_missing_sheet_in_workbook(tmp_path: Path) -> None:
    book = tmp_path / "case.xlsx"
    wb = openpyxl.Workbook()
    wb.save(book)
    with pytest.raises(InputError) as err:
        load_case(book, UNTOC)
    assert "add a sheet named 'instruments' to the workbook" in str(err.value)


def test_help_imports_no_heavy_library() -> None:
    code = ("import sys; from planner.cli.main import cli; "
            "assert not {'pandas', 'ortools', 'openpyxl'} & set(sys.modules), sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_rows_read_column_by_column_keep_each_rows_problems(tmp_path: Path) -> None:
    """The reader asks each distinct name and date once: a bad name or date repeated is still
    reported at each of its rows, a good one read alike wherever it stands, and blank rows (of
    spaces, separators or empty quotes) are passed over with the rows numbered as written."""
    case = write_case(tmp_path / "case")
    rows = (case / "ratifications.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")
    rows[1:1] = ["Atlantis,convention,2002-01-01,", " , ,, ", "Atlantis,convention,2002-01-01,",
                 '"","","",', "Kenya,convention,2002-13-01,", "Kenya,convention,2002-13-01,"]
    (case / "ratifications.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(case, UNTOC)
    said = [(p.where.row, p.where.column, p.message) for p in err.value.problems]
    assert said == [(2, "state", "unknown State 'Atlantis'"),
                    (4, "state", "unknown State 'Atlantis'"),
                    (6, "deposit_date", "'2002-13-01' is not a date in the calendar"),
                    (7, "deposit_date", "'2002-13-01' is not a date in the calendar")]
    del rows[1:2], rows[2:3]  # Atlantis gone, the blank rows and the bad dates kept
    rows[3:5] = ["Kenya,convention, 2002-01-01 ,", "Kenya,convention,2002-01-01,"]
    (case / "ratifications.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    kenya = [d for d in load_case(case, UNTOC).deposits
             if (d.state, d.instrument) == ("Kenya", "convention")]
    assert [(d.date, d.where.row) for d in kenya] == [(dt.date(2002, 1, 1), 4)]


def test_rows_of_blank_space_of_any_kind_are_blank(tmp_path: Path) -> None:
    """A row of no-break or ideographic spaces (as Excel exports) is blank, as a row of plain
    spaces is; a row whose instrument is unknown is reported for that, its date not read."""
    case = write_case(tmp_path / "case")
    rows = (case / "ratifications.csv").read_text(encoding="utf-8")
    (case / "ratifications.csv").write_text(rows + "\u00a0,\u3000, ,\n", encoding="utf-8")
    assert len(load_case(case, UNTOC).deposits) == rows.count("\n") - 1
    (case / "ratifications.csv").write_text(rows + "Kenya,bogus,notadate,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(case, UNTOC)
    assert [p.message for p in err.value.problems] == [
        "unknown instrument 'bogus'"], err.value.problems


def test_the_columns_kept_with_the_deposits_are_theirs(tmp_path: Path) -> None:
    """The ratifications table's columns, kept through the checks where every row is a
    deposit, are the deposits' own States, instruments and dates; where a row is not a deposit
    (an unknown State, a signature alone), none are kept."""
    from operator import itemgetter

    from planner.domain.case import Deposit
    from planner.io.reader import _Loader

    from .factory import ALL

    case = write_case(tmp_path / "case")
    loader = _Loader(case, UNTOC)
    tables = loader.tables()
    ids = set(ALL)
    deposits: list[Deposit] = []
    read = loader.ratifications(tables["ratifications"], ids, deposits, [])
    assert read is not None and deposits
    assert read == tuple(list(map(itemgetter(i), deposits)) for i in range(3))
    rows = (case / "ratifications.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")
    rows.append("Kenya,firearms,,")  # a signature alone: no deposit
    (case / "ratifications.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    loader = _Loader(case, UNTOC)
    kept: list[Deposit] = []
    assert loader.ratifications(loader.tables()["ratifications"], ids, kept, []) is None
    assert kept == deposits
