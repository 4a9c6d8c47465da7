"""A corpus of broken and awkward cases, each with what the user must see, run through every
command: a clear message and exit 2 (or a correct answer where the input is in fact readable),
never a traceback, no output file left behind, no input file changed."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from planner.io.tables import MAX_ROWS

from .factory import write_case, write_csv
from .test_cli import run

Edit = Callable[[Path], Path]  # changes the case folder, returns the CASE argument to give


@dataclass(frozen=True)
class Broken:
    id: str
    edit: Edit
    says: str  # the message the user must see (CASE/ stands for the case folder)
    code: int = 2  # 2: refused; 0 or 1: read and answered
    # every command reads the case through one reader; a costly input (100,000 rows) is put
    # to the first few only, to keep the suite quick
    commands: int | None = None


def rewrite(name: str, header: list[str] | None = None,
            rows: Callable[[list[list[str]]], list[list[str]]] = lambda r: r) -> Edit:
    """Edit one CSV table of the case: new header and/or changed rows."""
    def edit(case: Path) -> Path:
        path = case / f"{name}.csv"
        head, *body = list(csv.reader(path.open(encoding="utf-8")))
        write_csv(path, header or head, rows(body))
        return case
    return edit


def append(name: str, *lines: str) -> Edit:
    def edit(case: Path) -> Path:
        with (case / f"{name}.csv").open("a", encoding="utf-8") as fh:
            fh.write("".join(line + "\n" for line in lines))
        return case
    return edit


def write(name: str, data: bytes) -> Edit:
    def edit(case: Path) -> Path:
        (case / name).write_bytes(data)
        return case
    return edit


def remove(name: str) -> Edit:
    def edit(case: Path) -> Path:
        (case / name).unlink()
        return case
    return edit


def drop_column(name: str, column: str) -> Edit:
    def edit(case: Path) -> Path:
        path = case / f"{name}.csv"
        head, *body = list(csv.reader(path.open(encoding="utf-8")))
        i = head.index(column)
        write_csv(path, head[:i] + head[i + 1:], [r[:i] + r[i + 1:] for r in body])
        return case
    return edit


def encoded(name: str, encoding: str, sep: str = ",") -> Edit:
    def edit(case: Path) -> Path:
        path = case / f"{name}.csv"
        text = path.read_text(encoding="utf-8").replace(",", sep)
        path.write_bytes(text.encode(encoding))
        return case
    return edit


def as_workbook(change: Callable[[openpyxl.Workbook], None] | None = None) -> Edit:
    """The case as one workbook, changed by a person (or a program) in some way."""
    def edit(case: Path) -> Path:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)  # type: ignore[arg-type]
        for f in sorted(case.glob("*.csv")):
            ws = wb.create_sheet(f.stem)
            for row in csv.reader(f.open(encoding="utf-8")):
                ws.append(row)
        if change is not None:
            change(wb)
        book = case.parent / "case.xlsx"
        wb.save(book)
        return book
    return edit


def zipped(entries: dict[str, bytes]) -> Edit:
    def edit(case: Path) -> Path:
        book = case.parent / "case.xlsx"
        with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in entries.items():
                z.writestr(name, data)
        return book
    return edit


def merged_header(wb: openpyxl.Workbook) -> None:
    ws = wb["groups"]  # a title merged over the first two headers hides the second
    ws.merge_cells("A1:B1")


def formulas(cached: bool) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["session"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "session":
                row[1].value = "=3+3"  # openpyxl stores no cached value: Excel would
    return change


def hidden(wb: openpyxl.Workbook) -> None:
    wb["groups"].sheet_state = "hidden"


def too_many_rows(case: Path) -> Path:
    with (case / "attendance.csv").open("w", encoding="utf-8") as fh:
        fh.write("state\n" + "Kenya\n" * (MAX_ROWS + 1))
    return case


BOMB = b"<worksheet>" + b" " * (120 * 1024 * 1024) + b"</worksheet>"
ENTITIES = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><workbook>&lol2;</workbook>')

CORPUS: list[Broken] = [
    # tables and columns missing
    Broken("no groups table", remove("groups.csv"),
           "CASE: the case has no groups table (add groups.csv (or groups.xlsx) to the case "
           "folder)"),
    Broken("no session table", remove("session.csv"), "CASE: the case has no session table"),
    Broken("no instruments table", remove("instruments.csv"),
           "CASE: the case has no instruments table"),
    Broken("no ratifications", remove("ratifications.csv"),
           "no ratifications table and no status_file for convention, firearms, trafficking"),
    *[Broken(f"no column {table}.{column}", drop_column(table, column),
             f"CASE/{table}.csv, row 1: the {table} table has no column {column!r}")
      for table, column in [("instruments", "instrument"), ("instruments", "title"),
                            ("instruments", "kind"), ("instruments", "entry_into_force"),
                            ("ratifications", "state"), ("ratifications", "instrument"),
                            ("ratifications", "deposit_date"), ("groups", "state"),
                            ("groups", "group"), ("session", "key"), ("session", "value")]],
    # headers people write
    Broken("headers in capitals, spaced, reordered",
           rewrite("groups", [" Group ", "STATE"], lambda rows: [[g, s] for s, g in rows]),
           "", 0),
    # unknown names
    Broken("unknown State", append("groups", "Atlantis,African States"),
           "CASE/groups.csv, row 17, column state: unknown State 'Atlantis'"),
    Broken("misspelt State close to two", append("groups", "Nigerr,African States"),
           "CASE/groups.csv, row 17, column state: unknown State 'Nigerr' (did you mean "
           "'Niger' or 'Nigeria'"),
    Broken("unknown group", append("groups", "Kenya,Oceania"),
           "CASE/groups.csv, row 17, column group: unknown regional group 'Oceania' (use one "
           "of: African States;"),
    Broken("unknown instrument", append("ratifications", "Kenya,treaty,2004-06-16,"),
           "CASE/ratifications.csv, row 47, column instrument: unknown instrument 'treaty'"),
    Broken("unknown post", write("nominations.csv", b"state,post\nChina,Chairman\n"),
           "CASE/nominations.csv, row 2, column post: unknown post 'Chairman' (use one of: "
           "President, Vice-President, Rapporteur (the seats of a post held by several may be "
           "numbered: First Vice-Chair))"),
    # dates
    Broken("impossible date", append("ratifications", "Kenya,convention,31 Feb 2004,"),
           "CASE/ratifications.csv, row 47, column deposit_date: '31 Feb 2004' is not a date in "
           "the calendar (write dates as 2012-10-15 or 15 Oct 2012)"),
    Broken("ambiguous date", append("ratifications", "Kenya,convention,03/04/2004,"),
           "row 47, column deposit_date: '03/04/2004' is ambiguous: day/month or month/day "
           "cannot be told apart"),
    Broken("deposit in the future", append("ratifications", "Kenya,convention,2150-01-01,"),
           "CASE/ratifications.csv, row 47: Kenya's deposit for convention is dated 2150-01-01, "
           "in the future (put expected deposits in the expected_ratifications table)"),
    Broken("deposit before adoption", append("ratifications", "Kenya,convention,1999-01-01,"),
           "Kenya's deposit for convention is dated 1999-01-01, before the instrument was "
           "adopted (2000-11-15)"),
    Broken("session before the Convention", rewrite(
        "session", rows=lambda rows: [[k, "2003-01-01" if k == "opening_date" else v]
                                      for k, v in rows]),
        "the session opens on 2003-01-01, before the Convention entered into force "
        "(2003-09-29)"),
    # facts that do not fit
    Broken("Protocol without the Convention",
           append("ratifications", "Kenya,trafficking,2004-01-01,"),
           "Data warning: Kenya deposited its instrument for trafficking on 2004-01-01 without "
           "having deposited one for the Convention before", 0),
    Broken("duplicate rows that agree",
           append("ratifications", "Algeria,convention,2002-01-01,"), "", 0),
    Broken("duplicate rows that conflict",
           append("ratifications", "Algeria,convention,2002-02-01,"),
           "CASE/ratifications.csv, row 47: Algeria's deposit for convention is dated "
           "2002-02-01, but CASE/ratifications.csv, row 2 dates it 2002-01-01"),
    Broken("State in two groups", append("groups", "Algeria,Asia-Pacific States"),
           "CASE/groups.csv, row 17, column group: Algeria is in African States (row 2) and in "
           "Asia-Pacific States (mark the row that does not count for elections with "
           "counts_for_elections = no)"),
    Broken("nominated by another group",
           write("nominations.csv", b"state,post,group\nChina,President,African States\n"),
           "CASE/nominations.csv, row 2, column group: China is nominated by the African "
           "States, but it belongs to the Asia-Pacific States"),
    Broken("nominee absent", lambda c: (write("nominations.csv", b"state,post\nChina,President\n")(
        c), write("attendance.csv", b"state\n" + "\n".join(
            s for s in ("Algeria", "Benin", "Chad", "Fiji", "India", "Albania", "Belarus",
                        "Croatia", "Brazil", "Chile", "Cuba", "Austria", "Canada",
                        "France")).encode())(c))[1],
        "China is not present", 1),
    Broken("nominee not a party", lambda c: append("groups", "Japan,Asia-Pacific States")(
        write("nominations.csv", b"state,post\nJapan,President\n")(c)),
        "Japan is not a party: no instrument deposited", 1),
    # files that are not what they say
    Broken("empty file", write("groups.csv", b""), "CASE/groups.csv: the file is empty"),
    Broken("Latin-1 CSV", lambda c: encoded("groups", "cp1252")(
        append("groups", "Côte d'Ivoire,African States")(c)),
           "Data warning: CASE/groups.csv was read as Windows-1252 (Latin-1), not UTF-8", 0),
    Broken("UTF-16 CSV", encoded("groups", "utf-16"), "", 0),
    Broken("CSV with a BOM", encoded("groups", "utf-8-sig"), "", 0),
    Broken("semicolon separator", encoded("groups", "utf-8", ";"), "", 0),
    Broken("xlsx that is a CSV", lambda c: (c.parent / "case.xlsx").write_text(
        "state,group\n", encoding="utf-8") and c.parent / "case.xlsx",
        "case.xlsx: the file is not an .xlsx workbook (save it as 'Excel Workbook')"),
    Broken("zip that is not a workbook", zipped({"hello.txt": b"hello"}),
           "case.xlsx: the workbook cannot be read"),
    Broken("password-protected workbook", lambda c: (c.parent / "case.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) and c.parent / "case.xlsx",
        "case.xlsx: the workbook is password-protected, or an old .xls (save it as 'Excel "
        "Workbook' (.xlsx) without a password)"),
    Broken("merged header cells", as_workbook(merged_header),
           "sheet groups, row 1: the groups table has no column 'group'"),
    Broken("formula without a value", as_workbook(formulas(cached=False)),
           "sheet session, column key: the session table gives no session"),
    # a table a reader cannot see is not read (issue 22): it is refused, not silently used
    Broken("hidden sheet", as_workbook(hidden),
           "sheet groups: the sheet 'groups' is hidden: a reader of the workbook does not see "
           "the table it holds (unhide it, or delete it)"),
    Broken("more rows than the limit", too_many_rows,
           f"CASE/attendance.csv: the attendance table has {MAX_ROWS + 1:,} rows, more than "
           f"the {MAX_ROWS:,} a case may have", commands=3),
    Broken("decompression bomb", zipped({"xl/worksheets/sheet1.xml": BOMB}),
           "case.xlsx: the workbook is refused: it unpacks to 120 MiB, more than the 100 MiB a "
           "workbook may"),
    Broken("XML entity expansion", zipped({"xl/workbook.xml": ENTITIES}),
           "case.xlsx: the workbook is refused: it declares XML entities, which a workbook "
           "never needs"),
    # text that could do harm
    Broken("name that is a formula", append("groups", "=HYPERLINK(\"x\"),African States"),
           "column state: unknown State '=HYPERLINK(\"x\")'"),
    Broken("representative that is a formula",
           write("nominations.csv", b"state,post,representative\nChina,President,@SUM(1)\n"),
           "", 0),
    Broken("control characters", append("groups", "Ken\x07ya,African States"),
           "CASE/groups.csv, row 17, column state: the cell holds a control or invisible "
           "formatting character (U+0007), which can make it read otherwise than it is "
           "(retype the cell's text)"),
]


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def slate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid slate of the base case, for the commands that take one."""
    base = write_case(tmp_path_factory.mktemp("base") / "case")
    out = tmp_path_factory.mktemp("slate") / "slate.csv"
    assert run("solve", base, "--no-write", "--csv", out.parent).exit_code == 0
    produced = out.parent / "case-slate.csv"
    shutil.copy(produced, out)
    return out


def commands(case: Path, slate: Path, out: Path) -> list[list[str | Path]]:
    return [
        ["solve", case, "--out", out / "a.xlsx"],
        ["status", case, "--out", out / "b.xlsx"],
        ["check", case, slate],
        ["alternatives", case, "-k", "3", "--out", out / "c.xlsx"],
        ["room", case, "--out", out / "d.xlsx"],
        ["compare", slate, slate, "--case", case, "--out", out / "e.xlsx"],
        ["replace", case, "--slate", slate, "--withdraw", "Algeria", "--out", out / "f.xlsx"],
        ["candidates", case, "--slate", slate, "--post", "Rapporteur", "--out",
         out / "g.xlsx"],
        ["plan", case, "--sessions", "6-7", "--out", out / "h.xlsx"],
        ["rotation", case],
        ["init", out / "i.xlsx", "--from", case],
    ]


# the slowest to build, in the slow suite
SLOW = {"more rows than the limit"}


@pytest.mark.parametrize("broken", [pytest.param(b, marks=pytest.mark.slow) if b.id in SLOW
                                    else b for b in CORPUS], ids=[b.id for b in CORPUS])
def test_corpus(broken: Broken, slate: Path, tmp_path: Path) -> None:
    case = broken.edit(write_case(tmp_path / "case"))
    before = digest(tmp_path)
    out = tmp_path.parent / f"{tmp_path.name}-out"
    out.mkdir()
    says = broken.says.replace("CASE", str(tmp_path / "case"))
    if broken.code == 2:
        for args in commands(case, slate, out)[:broken.commands]:
            r = run(*args)
            assert r.exit_code == 2, (args[0], r.output)
            assert says in r.output, (args[0], r.output)
            assert "Traceback" not in r.output
        assert not list(out.iterdir()), "a refused input left an output behind"
    else:
        r = run("solve", case, "--out", out / "a.xlsx")
        assert r.exit_code == broken.code, r.output
        assert says in r.output
        assert "Traceback" not in r.output
        assert run("status", case, "--no-write" if False else "--json").exit_code == 0
        if broken.code == 0:
            assert openpyxl.load_workbook(out / "a.xlsx")["Slate"].max_row == 11
    assert digest(tmp_path) == before, "an input file was changed"
    shutil.rmtree(out)


def test_folder_without_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    case = write_case(tmp_path / "case")
    case.chmod(0)
    if os.geteuid() == 0:  # root reads every folder: let the access check see what others would
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == case
                            else real(p, mode))
    try:
        r = run("solve", case, "--no-write")
        assert r.exit_code == 2 and "Traceback" not in r.output
        assert f"{case}: permission denied: the planner cannot read it" in r.output
    finally:
        case.chmod(0o755)
