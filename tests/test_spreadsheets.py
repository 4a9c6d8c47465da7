"""The workbooks people fill in and read: init, edited by hand, read back; and every workbook
the planner writes opened in a real spreadsheet application (LibreOffice) and printed to PDF."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.domain.case import Case
from planner.errors import InputError
from planner.io.reader import load_case, shipped_cases
from planner.rules.profile import open_case

from .factory import UNTOC, visible
from .test_cli import run

COP6 = shipped_cases()["untoc-cop6-2012"]


def same_case(a: Case, b: Case) -> None:
    assert {(d.state, d.instrument, d.date) for d in a.deposits} == {
        (d.state, d.instrument, d.date) for d in b.deposits}
    assert a.memberships == b.memberships
    assert a.session == b.session
    assert [(n.state, n.post, n.priority, n.person, n.attributes) for n in a.nominations] == [
        (n.state, n.post, n.priority, n.person, n.attributes) for n in b.nominations]
    assert a.attributes == b.attributes
    assert [(i.id, i.kind, i.entry_into_force) for i in a.instruments] == [
        (i.id, i.kind, i.entry_into_force) for i in b.instruments]
    assert a.attendance == b.attendance and a.rotation == b.rotation
    assert a.schedule == b.schedule and a.history == b.history
    assert [(d.state, d.instrument, d.date) for d in a.expected] == [
        (d.state, d.instrument, d.date) for d in b.expected]
    assert a.members == b.members and a.constituencies == b.constituencies


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("books")
    names = ("init", "solve", "alternatives", "compare", "room", "plan", "replace", "candidates",
             "status")
    paths = {name: d / f"{name}.xlsx" for name in names}
    assert run("init", paths["init"], "--from", "untoc-cop6-2012").exit_code == 0
    assert run("solve", "--out", paths["solve"]).exit_code == 0
    assert run("alternatives", "-k", "3", "--out", paths["alternatives"]).exit_code == 0
    assert run("compare", paths["alternatives"], paths["solve"], "--out",
               paths["compare"]).exit_code == 0
    assert run("room", "--out", paths["room"]).exit_code == 0
    assert run("plan", "--sessions", "7-9", "--out", paths["plan"]).exit_code == 0
    assert run("replace", "--slate", paths["solve"], "--withdraw", "Benin", "--out",
               paths["replace"]).exit_code == 0
    assert run("candidates", "--slate", paths["solve"], "--post", "Rapporteur", "--out",
               paths["candidates"]).exit_code == 0
    assert run("status", "--out", paths["status"]).exit_code == 0
    return paths


def test_init_reads_back_as_the_case(books: dict[str, Path]) -> None:
    same_case(load_case(books["init"], UNTOC), load_case(COP6, UNTOC))
    wb = openpyxl.load_workbook(books["init"])
    assert wb.sheetnames[0] == "Instructions" and wb["Lists"].sheet_state == "hidden"
    rat = wb["ratifications"]
    assert rat.freeze_panes == "A2" and rat["A1"].font.b
    assert isinstance(rat["C2"].value, dt.datetime) and rat["C2"].number_format == "yyyy-mm-dd"
    lists = {str(v.formula1) for v in rat.data_validations.dataValidation}
    assert any("Lists!$A$2" in f for f in lists)


@pytest.mark.parametrize("name", sorted(shipped_cases()))
def test_init_from_every_shipped_case_reads_back_as_it(name: str, tmp_path: Path) -> None:
    from planner.io.schema import SCHEMA
    from planner.rules.profile import open_case

    case, profile = open_case(shipped_cases()[name])
    dest = tmp_path / "case.xlsx"
    assert run("init", dest, "--from", name).exit_code == 0
    same_case(load_case(dest, profile.body), case)
    # one schema: the template has a sheet per table the body uses, with the schema's columns
    wb = openpyxl.load_workbook(dest)
    wanted = [t for t in SCHEMA if t.applies(profile.body)]
    assert visible(wb.sheetnames) == ["Instructions", *(t.name for t in wanted), "Lists"]
    for t in wanted:
        headers = [c.value for c in wb[t.name][1] if c.value not in (None, "example")]
        assert headers == list(t.names), t.name


def test_the_reader_requires_the_schemas_columns(tmp_path: Path) -> None:
    from planner.io.schema import SCHEMA

    for t in SCHEMA:
        if not t.applies(UNTOC) or t.name == "session":
            continue
        for column in t.required:
            case = tmp_path / f"{t.name}-{column}"
            shutil.copytree(COP6, case)
            header = ",".join(c for c in t.names if c != column)
            (case / f"{t.name}.csv").write_text(header + "\n", encoding="utf-8")
            for other in case.glob(f"{t.name}.xlsx"):
                other.unlink()
            with pytest.raises(InputError) as err:
                load_case(case, UNTOC)
            assert column in str(err.value), (t.name, column)


def test_init_for_a_later_session_starts_it_afresh(tmp_path: Path) -> None:
    dest = tmp_path / "cop7.xlsx"
    assert run("init", dest, "--from", "untoc-cop6-2012", "--session", "7").exit_code == 0
    later = load_case(dest, UNTOC)
    assert later.session.number == 7 and later.session.opening_date == dt.date(2014, 10, 6)
    assert later.nominations == () and later.session.president_group is None
    original = load_case(COP6, UNTOC)
    assert later.history == original.history and later.schedule == original.schedule
    r = run("init", tmp_path / "x.xlsx", "--from", "untoc-cop6-2012", "--session", "30")
    assert r.exit_code == 2 and "give --opening" in r.output
    r = run("init", tmp_path / "y.xlsx", "--from", "untoc-cop6-2012", "--opening", "2014-01-01")
    assert r.exit_code == 2 and "--session N" in r.output


def test_init_blank_has_example_rows_that_are_ignored(tmp_path: Path) -> None:
    dest = tmp_path / "blank.xlsx"
    assert run("init", dest, "--session", "7", "--opening", "2014-10-06").exit_code == 0
    frame = pd.read_excel(dest, sheet_name="groups", engine="openpyxl")
    assert frame.loc[0, "example"].startswith("example")
    r = run("solve", dest, "--no-write")
    assert r.exit_code == 2
    assert "0 instruments are of kind 'convention'" in r.output  # the example row is ignored
    assert run("init", dest).exit_code == 2  # never overwrites a workbook


def test_edited_by_a_person(books: dict[str, Path], tmp_path: Path) -> None:
    edited = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(books["init"])
    groups = wb["groups"]
    groups.insert_rows(5, amount=3)  # blank rows in the middle
    groups["A2"].value = f"  {groups['A2'].value}  "  # trailing spaces
    groups.move_range("A1:A400", cols=4)  # the state column moved to the right
    session = wb["session"]
    for row in session.iter_rows(min_row=2):
        if row[0].value == "session":
            row[1].value = "6"  # a number stored as text
        if row[0].value == "opening_date":
            row[1].value = "15 Oct 2012"  # a date typed as text
    rat = wb["ratifications"]
    rat["C2"].value = rat["C2"].value.strftime("%Y-%m-%d")
    rat["A1"].value = " State "  # header in another case, with spaces
    wb.save(edited)
    same_case(load_case(edited, UNTOC), load_case(COP6, UNTOC))


def test_wrong_cells_are_reported_by_sheet_row_and_column(books: dict[str, Path],
                                                          tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(books["init"])
    wb["groups"]["A3"].value = "Nigerr"
    wb["ratifications"]["C4"].value = "31 Feb 2003"
    wb.save(bad)
    with pytest.raises(InputError) as err:
        load_case(bad, UNTOC)
    text = str(err.value)
    assert "bad.xlsx, sheet groups, row 3, column state: unknown State 'Nigerr'" in text
    assert "sheet ratifications, row 4, column deposit_date: '31 Feb 2003'" in text


def test_workbooks_read_back_with_pandas(books: dict[str, Path]) -> None:
    data = json.loads(run("solve", "--json", "--no-write").stdout)
    slate = pd.read_excel(books["solve"], sheet_name="Slate", engine="openpyxl")
    assert slate[["post", "state", "group"]].to_dict("records") == [
        {k: s[k] for k in ("post", "state", "group")} for s in data["slate"]]
    alt = json.loads(run("alternatives", "-k", "3", "--json", "--no-write").stdout)
    slates = pd.read_excel(books["alternatives"], sheet_name="Slates", engine="openpyxl",
                           dtype={"rank": str})
    for item in alt["slates"]:
        rows = slates[slates["rank"] == str(item["rank"])]
        assert rows["state"].tolist() == [s["state"] for s in item["slate"]]
    cmp = pd.read_excel(books["compare"], sheet_name="Comparison", engine="openpyxl")
    assert list(cmp.columns) == ["group", "post", "A", "B", "C", "D"]
    grid = cmp[cmp["post"].isin(["President", "Vice-President", "Rapporteur"])]
    assert len(grid) == 10 and (grid["A"] == grid["D"]).all()  # alternative 1 is solve's
    # rows under the grid in the preferences' names, as people read them
    under = cmp.set_index("group").loc[["rule check", "officers party to every instrument"]]
    # the planner's own tie-break is no rule: its internal value is not shown to delegates
    assert not {"tie_break", "tie-break"} & set(cmp["group"])
    assert list(under.loc["rule check", ["A", "B", "C", "D"]]) == ["valid"] * 4
    bureau = openpyxl.load_workbook(books["solve"])["Bureau"]
    values = [c.value for row in bureau.iter_rows() for c in row]
    assert "Proposed bureau" in values and "Rachmat Budiman" in values
    assert bureau.conditional_formatting
    assert openpyxl.load_workbook(books["solve"])["Instruments"]._charts
    props = openpyxl.load_workbook(books["solve"]).properties
    assert props.creator.startswith("bureau-planner") and props.title
    ws = openpyxl.load_workbook(books["solve"])["Eligibility"]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    assert "Page &P of &N" in ws.oddFooter.right.text


def test_csv_for_other_tools(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(COP6, case)
    (case / "nominations.csv").write_text(
        "state,post,representative\nIndonesia,President,=cmd|' /C calc'!A0\n", encoding="utf-8")
    r = run("solve", case, "--no-write", "--csv", tmp_path / "csv")
    assert r.exit_code == 0
    text = (tmp_path / "csv" / "case-slate.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert "'=cmd|' /C calc'!A0" in text.decode("utf-8-sig")
    assert "Côte d'Ivoire" in (tmp_path / "csv" / "case-eligibility.csv").read_text(
        encoding="utf-8-sig")
    r = run("alternatives", "-k", "2", "--no-write", "--csv", tmp_path / "alt")
    assert (tmp_path / "alt" / "untoc-cop6-2012-slates.csv").exists()


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# in CI (.ci/run installs both) a missing application is a failure, not a skip
NO_LO = not os.environ.get("CI") and (SOFFICE is None or shutil.which("pdftotext") is None)


# pdftotext -bbox gives each word's box, about 1.3 times the font size (measured here: 9 pt
# text gives 11.7 pt boxes, 11 pt text 14.3)
BOX_PER_POINT = 1.3


def text_heights(pdf: Path) -> list[float | None]:
    """The smallest word box on each page of a PDF, in points (None for a page without text)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    out: list[float | None] = []
    for page in html.split("<page ")[1:]:
        boxes = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" '
                           r'yMax="([\d.]+)"', page)
        out.append(min((float(b) - float(a) for a, b in boxes), default=None))
    return out


@pytest.mark.slow
@pytest.mark.skipif(NO_LO, reason="LibreOffice or pdftotext is not installed (apt-get install "
                    "libreoffice-calc-nogui poppler-utils); .ci/run installs them")
def test_libreoffice_opens_and_prints_every_workbook(books: dict[str, Path],
                                                     tmp_path: Path) -> None:
    assert SOFFICE is not None
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, books.values())],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    messages = (done.stdout + done.stderr).lower()
    assert "error" not in messages and "repair" not in messages and "corrupt" not in messages
    assert messages.count("convert ") == len(books)
    texts = {}
    for name in books:
        pdf = out / f"{name}.pdf"
        assert pdf.stat().st_size > 1000
        texts[name] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                                     capture_output=True, text=True, check=True).stdout
    solve = texts["solve"]
    for word in ("Proposed bureau", "Indonesia", "Rachmat Budiman", "Vice-President",
                 "Rapporteur", "Rule check", "pass", "protocol_seat", "Page 1 of"):
        assert word in solve, word
    assert "FAIL" not in solve
    assert "Indonesia" in texts["alternatives"] and "slate 3" in texts["alternatives"]
    # every page readable: no text under 8.5 pt, nothing shrunk to fit
    for name in books:
        pages = text_heights(out / f"{name}.pdf")
        smallest = min(h for h in pages if h is not None)
        assert smallest >= 8.5 * BOX_PER_POINT, (name, smallest)
    # no sheet prints on more than 10 pages (a longer table prints its first rows, and says
    # so in its page header), and the planner's own estimate agrees with LibreOffice
    from openpyxl import load_workbook

    from planner.report.workbook import MOST_PAGES, printed_pages

    for name, book in books.items():
        by_sheet = pages_by_sheet(out / f"{name}.pdf")
        assert max(by_sheet.values()) <= MOST_PAGES, (name, by_sheet)
        if name == "init":
            continue  # the template's sheets are read on screen, filled in, not printed
        wb = load_workbook(book)
        for sheet, n in by_sheet.items():
            if wb[sheet].print_area is None:
                # as LibreOffice lays it out, or more (the estimate errs on the long side)
                assert n <= printed_pages(wb[sheet]) <= n + 3, (name, sheet, n)
    solve_pages = pages_by_sheet(out / "solve.pdf")
    assert "printed: the first" in solve  # the Eligibility sheet's page header says so
    # the docs' page counts are what LibreOffice prints
    said = DOCS_PAGES.search(_doc("consultations.md"))
    assert said is not None
    assert int(said.group(1)) == sum(solve_pages.values()), solve_pages
    listed = {m.group(1).strip(): int(m.group(2))
              for m in re.finditer(r"([A-Z][a-z]+(?: [a-z]+)?) (\d+)", said.group(2))}
    assert listed == solve_pages, (listed, solve_pages)
    assert f"prints on {sum(solve_pages.values())} A4 landscape pages" in _doc("cases.md")
    plan = texts["plan"]
    assert "session 7 - opening 2014-10-06" in plan and "session 6 - opening" not in plan
    assert "in A," in texts["compare"] and "valid" in texts["compare"]
    assert "Instructions" in texts["init"] or "How to fill in" in texts["init"]


def test_readme_lists_every_table_of_the_schema() -> None:
    from planner.io.schema import SCHEMA

    readme = (Path(__file__).parent.parent / "docs" / "cases.md").read_text(encoding="utf-8")
    contract = readme[readme.index("## A case: the input contract"):]
    rows = [line for line in contract.splitlines() if line.startswith("| `")]
    named = {line.split("`")[1] for line in rows}
    assert named == {t.name for t in SCHEMA}
    for t in SCHEMA:
        row = next(line for line in rows if line.startswith(f"| `{t.name}`"))
        for column in t.required:
            assert column in row, (t.name, column)


@pytest.mark.slow
def test_a_pack_carries_its_case(tmp_path: Path) -> None:
    """A workbook e-mailed on its own can be checked and revised: it carries its case."""
    from planner.io.reader import carries_case

    case7 = tmp_path / "cop7.xlsx"
    assert run("init", case7, "--from", "untoc-cop6-2012", "--session", "7").exit_code == 0
    pack = tmp_path / "pack.xlsx"
    assert run("solve", case7, "--out", pack).exit_code == 0
    assert carries_case(pack) and not carries_case(case7)
    wb = openpyxl.load_workbook(pack)
    hidden = [ws for ws in wb.worksheets if ws.title.startswith("case.")]
    assert hidden and all(ws.sheet_state == "hidden" and ws.protection.sheet for ws in hidden)
    info = dict(wb["Run info"].iter_rows(min_row=2, values_only=True))
    assert "SHA-256" in str(info["case carried"])
    same_case(load_case(pack, UNTOC), load_case(case7, UNTOC))
    # alone: the carried case is used (session 7, another President than the shipped case's)
    r = run("check", pack)
    assert r.exit_code == 0 and "The case is the one inside" in r.output
    for args in (["replace", "--slate", pack, "--withdraw", "Albania"],
                 ["candidates", "--slate", pack, "--post", "Rapporteur"]):
        r = run(*args, "--no-write")
        assert r.exit_code == 0 and "The case is the one inside" in r.output, r.output
    r = run("compare", pack, pack, "--no-write")
    assert r.exit_code == 0 and "The case is the one inside" in r.output
    # with another case named, it says what differs, and uses the named one
    r = run("check", "untoc-cop6-2012", pack)
    assert "made from another case than untoc-cop6-2012" in r.output
    assert "the session (7 / 6)" in r.output and r.exit_code == 1
    # a CSV slate carries no case: it says which case it used
    csv_dir = tmp_path / "csv"
    assert run("solve", case7, "--no-write", "--csv", csv_dir).exit_code == 0
    r = run("check", next(csv_dir.glob("*-slate.csv")))
    assert "the slate has none inside" in r.output


def test_a_table_reads_as_records_filters_and_becomes_a_frame() -> None:
    """The rows a workbook's sheets are written from, without pandas; the same as a
    DataFrame where one is needed (CSV)."""
    from planner.report.files import Table

    t = Table.of([{"state": "Chad", "eligible": "yes"}, {"state": "Fiji", "eligible": "no",
                                                        "extra": 1}], ["state", "eligible"])
    assert t.columns == ("state", "eligible")
    assert t.records() == [{"state": "Chad", "eligible": "yes"},
                           {"state": "Fiji", "eligible": "no"}]
    assert t.where("eligible", "yes").rows == (("Chad", "yes"),)
    frame = t.to_frame()
    assert list(frame.columns) == ["state", "eligible"] and frame["state"].tolist() == [
        "Chad", "Fiji"]


def test_library_versions_as_importlib_reads_them() -> None:
    """Run info's versions, read without importing importlib.metadata, are the installed
    ones, whether the library is imported or not."""
    from importlib.metadata import version

    from planner.report.workbook import library_version

    for lib in ("pandas", "openpyxl", "ortools"):
        assert library_version(lib) == version(lib), lib
        with pytest.MonkeyPatch.context() as mp:  # as if not imported: from its dist-info
            mp.delitem(sys.modules, lib, raising=False)
            assert library_version(lib) == version(lib), lib


def test_persons_holdovers_and_attributes_survive_the_workbook(tmp_path: Path) -> None:
    """A case's persons, hold-overs, attributes and officers' own attributes are carried by
    the init workbook and by the pack solve writes, and read back as they were."""
    import shutil

    from planner.rules.profile import open_case

    from .factory import write_csv

    case_dir = tmp_path / "cnd"
    shutil.copytree(shipped_cases()["cnd-69-2026"], case_dir)
    write_csv(case_dir / "nominations.csv", ["state", "post", "person", "gender"],
              [("Armenia", "Chair", "A. Hovhannisyan", "male"),
               ("China", "Rapporteur", "Person C", "female")])
    write_csv(case_dir / "attributes.csv", ["state", "attribute", "value"],
              [("Burkina Faso", "ldc", "yes")])
    history = (case_dir / "bureau_history.csv").read_text(encoding="utf-8")
    (case_dir / "bureau_history.csv").write_text(
        history.replace("session,post,state,person", "session,post,state,person,holdover")
        .replace("68,Chair,India,\n", "68,Chair,India,,yes\n"), encoding="utf-8")
    case, profile = open_case(case_dir)
    assert any(h.holdover for h in case.history)
    book = tmp_path / "init.xlsx"
    assert run("init", book, "--from", case_dir).exit_code == 0
    same_case(load_case(book, profile.body), case)
    pack = tmp_path / "pack.xlsx"
    assert run("solve", case_dir, "--out", pack).exit_code == 0
    same_case(load_case(pack, profile.body), case)



DOCS_PAGES = re.compile(r"the solve pack prints on (\d+) pages \(([^)]*)\)")


def _doc(name: str) -> str:
    text = (Path(__file__).parent.parent / "docs" / name).read_text(encoding="utf-8")
    return " ".join(text.split())


def pages_by_sheet(pdf: Path) -> dict[str, int]:
    """How many pages each sheet prints on, read from the footer the planner writes (the
    sheet's name at the bottom left of each page)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    out: dict[str, int] = {}
    for page in text.split("\f"):
        lines = [line for line in page.strip().splitlines() if line.strip()]
        if lines:
            name = re.split(r"\s{2,}", lines[-1].strip())[0]
            out[name] = out.get(name, 0) + 1
    return out


@pytest.mark.slow
@pytest.mark.skipif(NO_LO, reason="LibreOffice or pdftotext is not installed (apt-get install "
                    "libreoffice-calc-nogui poppler-utils); .ci/run installs them")
def test_the_bureau_page_is_one_page_for_every_shipped_body(tmp_path: Path) -> None:
    """The page for delegates prints on one A4 landscape page for every shipped body of up to
    sixteen officers (two for the General Assembly's General Committee, 28), its text no
    smaller than 8.5 pt, as LibreOffice prints it: never shrunk to fit."""
    assert SOFFICE is not None
    books = []
    for name in sorted(shipped_cases()):
        book = tmp_path / f"{name}.xlsx"
        assert run("solve", name, "--out", book).exit_code == 0
        books.append(book)
    out = tmp_path / "pdf"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, books)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for book in books:
        pdf = out / f"{book.stem}.pdf"
        pages = pages_by_sheet(pdf)
        officers = open_case(shipped_cases()[book.stem])[1].body.total_posts
        assert pages["Bureau"] == (1 if officers <= 16 else 2), (book.stem, pages)
        assert pages.get("Instruments", 1) == 1, (book.stem, pages)
        smallest = min(h for h in text_heights(pdf) if h is not None)
        assert smallest >= 8.5 * BOX_PER_POINT, (book.stem, smallest)


@pytest.mark.slow
@pytest.mark.skipif(NO_LO, reason="LibreOffice is not installed (apt-get install "
                    "libreoffice-calc-nogui); .ci/run installs it")
def test_a_pack_saved_again_by_a_spreadsheet_still_holds_to_its_record(tmp_path: Path) -> None:
    """A delegate opens the pack and saves it (here LibreOffice): the case it carries still
    matches the digests its Run info records, so no edit is reported where none was made; the
    pre-scan passes the file as the application writes it."""
    assert SOFFICE is not None
    pack = tmp_path / "pack.xlsx"
    assert run("solve", "--out", pack).exit_code == 0
    out = tmp_path / "saved"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(pack)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    r = run("check", out / "pack.xlsx")
    assert r.exit_code == 0, r.output
    assert "changed after the planner wrote it" not in r.output
    assert "could not be held to a record" not in r.output


def test_a_table_wider_than_ten_pages_prints_its_first_columns() -> None:
    """The bound on printed pages holds across as well as down: a table of 60 wide columns
    prints the columns that fit in 10 pages across, and its header says so."""
    from openpyxl import Workbook
    from openpyxl.utils import column_index_from_string, get_column_letter

    from planner.report.workbook import MOST_PAGES, _across, bound_printing

    ws = Workbook().active
    assert ws is not None
    ws.append([f"column {i}" for i in range(60)])
    ws.append(["x" * 30 for _ in range(60)])
    for c in range(1, 61):
        ws.column_dimensions[get_column_letter(c)].width = 30
    said = bound_printing(ws)
    corner = ws.print_area.split(":")[-1]  # 'Sheet'!$A$1:$K$2 -> $K$2
    columns = column_index_from_string(corner.split("$")[1])
    assert columns < 60 and _across(ws, columns) <= MOST_PAGES
    assert f"and {columns} of its 60 columns" in said
