"""The holes hostile input found, class by class, each with several instances: exit 2 with a
clear message (or the right answer), never 3, no traceback, inputs unchanged, nothing left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from .factory import AP, write_case, write_csv
from .test_cli import run, snapshot

PLANNER = str(Path(sys.executable).parent / "planner")


def refused(r: object, says: str) -> None:
    out = r.output  # type: ignore[attr-defined]
    assert r.exit_code == 2, out  # type: ignore[attr-defined]
    assert says in out, out
    assert "Traceback" not in out and "internal error" not in out


# 1. numbers without bounds


@pytest.mark.parametrize("priority", ["9223372036854775807", "1e13", "inf", "-1", "2.5"])
def test_priorities_are_bounded(tmp_path: Path, priority: str) -> None:
    case = write_case(tmp_path / "case")
    write_csv(case / "nominations.csv", ["state", "post", "priority"],
              [("China", "President", priority)])
    refused(run("solve", case, "--no-write"), "nominations.csv, row 2, column priority")


@pytest.mark.parametrize("args, says", [
    (["solve", "--time-limit", "nan"], "is not a number of seconds"),
    (["solve", "--time-limit", "inf"], "is not in the range"),
    (["plan", "--sessions", "4000-4001"], "sessions 1 to 999"),
    (["plan", "--sessions", "7-50,60-99"], "more than the 50 one plan may hold"),
    (["plan", "--sessions", ",".join(str(n) for n in range(7, 200, 2))], "more than"),
    (["replace", "--slate", "x.csv", "--ratified", "Angola:convention:9999-12-30"],
     "outside the dates the planner reads"),
    (["alternatives", "-k", "17000"], "1<=x<=1000"),
])
def test_options_are_bounded(args: list[str], says: str) -> None:
    r = run(*args, "--no-write")
    assert r.exit_code == 2 and says in r.output, r.output


def test_days_after_deposit_is_bounded(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    text = (case / "instruments.csv").read_text(encoding="utf-8").replace(",30\n", ",999999999\n")
    (case / "instruments.csv").write_text(text, encoding="utf-8")
    refused(run("solve", case, "--no-write"), "column days_after_deposit: '999999999' is out")


# 2. small workbooks that would exhaust memory


def test_a_cell_far_away_is_refused_before_reading(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    (case / "groups.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["state", "group"])
    ws.append(["Kenya", "African States"])
    ws.cell(1048576, 16384, "x")
    wb.save(case / "groups.xlsx")
    refused(run("solve", case, "--no-write"), "cells a sheet may span")
    refused(run("check", case, case / "groups.xlsx"), "cells a sheet may span")


def _book(path: Path, sheet: bytes, shared: bytes = b"") -> Path:
    """A minimal .xlsx written by hand, as an attacker would."""
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = b'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b'<Types xmlns="http://schemas.openxmlformats.org/'
                   b'package/2006/content-types"><Default Extension="xml" ContentType="'
                   b'application/xml"/><Default Extension="rels" ContentType="application/'
                   b'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/'
                   b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   b'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.'
                   b'xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   b'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
                   b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                   b'sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", b'<Relationships xmlns="http://schemas.openxmlformats.org/'
                   b'package/2006/relationships"><Relationship Id="r1" Type="' + rel +
                   b'/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", b"<workbook " + ns + b' xmlns:r="' + rel + b'"><sheets>'
                   b'<sheet name="slate" sheetId="1" r:id="r1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", b'<Relationships xmlns="http://schemas.'
                   b'openxmlformats.org/package/2006/relationships"><Relationship Id="r1" '
                   b'Type="' + rel + b'/worksheet" Target="worksheets/sheet1.xml"/>'
                   b'<Relationship Id="r2" Type="' + rel + b'/sharedStrings" '
                   b'Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet " + ns + b"><sheetData>" + sheet
                   + b"</sheetData></worksheet>")
        z.writestr("xl/sharedStrings.xml", b"<sst " + ns + b">" + shared + b"</sst>")
    return path


def test_repeated_shared_text_is_refused(tmp_path: Path) -> None:
    cells = b"".join(b'<row r="%d"><c r="B%d" t="s"><v>0</v></c></row>' % (n, n)
                     for n in range(1, 9001))
    book = _book(tmp_path / "slate.xlsx", cells,
                 b"<si><t>" + b"x" * (8 << 20) + b"</t></si>")
    assert book.stat().st_size < 200_000
    refused(run("check", book), "more than a workbook may unpack to")
    far = _book(tmp_path / "far.xlsx", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    refused(run("check", far), "cells a sheet may span")


def test_wide_and_long_cells_are_refused(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    (case / "attendance.csv").write_text(",".join(["state"] * 300) + "\nKenya\n",
                                         encoding="utf-8")
    refused(run("solve", case, "--no-write"), "columns, more than the 200")
    (case / "attendance.csv").write_text("state\n" + "K" * 40_000 + "\n", encoding="utf-8")
    refused(run("solve", case, "--no-write"), "more than the 32,767 a cell may")


# 3. an output never over an input


def test_no_output_over_what_a_command_reads(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run("alternatives", case, "-k", "2", "--out", a).exit_code == 0
    assert run("solve", case, "--out", b).exit_code == 0
    before = snapshot(tmp_path)
    pool = tmp_path / "pool.csv"
    pool.write_text("state\nChina\n", encoding="utf-8")
    before = snapshot(tmp_path)
    for args in (["compare", a, b, "--case", case, "--out", a],
                 ["replace", case, "--slate", b, "--withdraw", "China", "--out", b],
                 ["candidates", case, "--slate", b, "--post", "Rapporteur", "--out", b]):
        refused(run(*args), "refusing to write")
    r = run("plan", case, "--sessions", "6", "--pool", pool, "--out", tmp_path / "pool.csv")
    assert r.exit_code == 2
    assert snapshot(tmp_path) == before


# 4. the environment is not a bug


def test_the_environment_is_exit_2(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    refused(run("solve", case, "--out", tmp_path / "afile" / "x.xlsx"),
            "a file stands where its folder should be")
    refused(run("solve", case, "--out", tmp_path / ("n" * 300 + ".xlsx")), "file name too long")
    refused(run("solve", case, "--out", "/proc/x.xlsx"), "cannot write /proc/x.xlsx")
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        refused(run("solve", case, "--out", locked / "x.xlsx"), "permission denied")


def test_a_full_disk_for_the_terminal_is_exit_2() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([PLANNER, "solve", "--no-write"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 2 and "cannot print the result" in done.stderr
    assert "Traceback" not in done.stderr


# 5. conflicting duplicates and unknown table files


def test_duplicates_and_unknown_files_are_reported(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    with (case / "session.csv").open("a", encoding="utf-8") as fh:
        fh.write("president_group,African States\nsession,7\n")
    r = run("solve", case, "--no-write")
    refused(r, "the key 'president_group' is given twice")
    assert "the key 'session' is given twice" in r.output
    case = write_case(tmp_path / "case2", nominations=[("China", "President")])
    (case / "nominations.csv").rename(case / "nomination.csv")
    refused(run("solve", case, "--no-write"), "nomination.csv: is not a table of a case "
            "(did you mean 'nominations'?")
    case = write_case(tmp_path / "case3")
    (case / "groups.csv").write_text("state,group,Group\nKenya,African States,x\n",
                                     encoding="utf-8")
    refused(run("solve", case, "--no-write"), "two columns are headed 'group' and 'Group'")


# 6. text a workbook cannot hold


def test_text_xml_cannot_hold_is_replaced(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case", nominations=[("China", "President")])
    write_csv(case / "nominations.csv", ["state", "post", "representative"],
              [("China", "President", "Li \ufffe Wei \uffff")])
    out = tmp_path / "s.xlsx"
    assert run("solve", case, "--out", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    for sheet in ("Slate", "Bureau", "case.nominations"):
        values = [c.value for row in book[sheet].iter_rows() for c in row]
        assert any("Li \ufffd Wei \ufffd" in str(v) for v in values), sheet


# 7. only regular files


def test_pipes_are_not_read(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    os.mkfifo(case / "attendance.csv")
    refused(run("solve", case, "--no-write"), "is not a regular file")
    fifo = tmp_path / "slate.csv"
    os.mkfifo(fifo)
    r = run("check", write_case(tmp_path / "other"), fifo)
    assert r.exit_code == 2


# 8. every signal that ends a write cleans up


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signals_leave_nothing(tmp_path: Path, sig: int) -> None:
    proc = subprocess.Popen([PLANNER, "alternatives", "-k", "1000", "--out",
                             str(tmp_path / "big.xlsx")], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # imported and working: the handler is in place
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_csv_names_checked_are_the_names_written(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    r = run("solve", case, "--no-write", "--csv", case)  # into the case folder: refused
    assert r.exit_code == 2
    assert sorted(p.name for p in case.iterdir()) == ["groups.csv", "instruments.csv",
                                                      "ratifications.csv", "session.csv"]


# 9. paths confined to the case, entities anywhere


def test_status_file_stays_in_the_case(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    secret = tmp_path / "secret.csv"
    secret.write_text("top secret line\n", encoding="utf-8")
    text = (case / "instruments.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",status_file"
    text[1] += ",../secret.csv"
    (case / "instruments.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    r = run("solve", case, "--no-write")
    refused(r, "is outside the case folder")
    assert "top secret" not in r.output


def test_entities_late_in_a_part_are_refused(tmp_path: Path) -> None:
    from .factory import crafted_workbook

    def sheet(change: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
        return lambda name, data: change(data) if name == "xl/worksheets/sheet1.xml" else data

    evil = tmp_path / "evil.xlsx"
    crafted_workbook(evil, sheet(lambda d: d.replace(
        b"<sheetData", b" " * 8000 + b"<!ENTITY x 'y'><sheetData")))
    # not even XML where it stands: refused by the parser, before any reader
    refused(run("check", evil), "the workbook is refused")
    # declared as XML declares them, in a DTD: refused as such
    crafted_workbook(evil, sheet(lambda d: b"<!DOCTYPE worksheet [<!ENTITY x 'y'>]>" + d))
    refused(run("check", evil), "declares XML entities")


def test_case_a_president_group_is_a_group(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case", president=AP)
    assert run("solve", case, "--no-write").exit_code == 0


def test_the_limits_table_is_documented() -> None:
    from planner.limits import LIMITS

    root = Path(__file__).parent.parent
    for doc in (root / "README.md", root / "docs" / "trust.md"):
        text = doc.read_text(encoding="utf-8")
        for what, bound in LIMITS:
            assert f"| {what} | {bound} |" in text, (doc.name, what)


def test_a_full_disk_for_a_workbook_is_exit_2(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import zipfile as zf

    real = zf.ZipFile.writestr

    def full(self: zf.ZipFile, *args: object, **kwargs: object) -> None:
        if str(getattr(self, "filename", "")).endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zf.ZipFile, "writestr", full)
    r = run("solve", "--out", tmp_path / "s.xlsx")
    refused(r, "no space left on device")
    assert list(tmp_path.iterdir()) == []
