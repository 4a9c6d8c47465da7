"""Papers that cannot mislead (issue 21): what a delegate's page shows is what the planner
reads, and examples stay examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_cli import run


def _edit_bureau(pack: Path, old: str, new: str) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(pack)
    ws = wb["Bureau"]
    for row in ws.iter_rows():
        if row[1].value == old:
            row[1].value = new
            break
    else:
        raise AssertionError(f"{old} is not on the Bureau sheet")
    wb.save(pack)


@pytest.mark.slow  # 1.8 s: the quick suite keeps its margin under a minute
def test_an_edited_bureau_sheet_is_seen(tmp_path: Path) -> None:
    """Finland changed to Japan on the page for delegates: check refuses, naming both sheets,
    instead of passing the Slate sheet it reads."""
    pack = tmp_path / "cop6.xlsx"
    assert run("solve", "--out", pack).exit_code == 0
    assert run("check", pack).exit_code == 0
    _edit_bureau(pack, "Finland", "Japan")
    r = run("check", pack)
    assert r.exit_code == 2, r.output
    assert "the Bureau sheet shows Japan as Vice-President, the Slate sheet Finland" in r.output
    assert "sheet Bureau, row" in r.output
    # every command that reads the slate from the workbook refuses too
    for args in (("replace", "--slate", pack, "--withdraw", "Albania", "--no-write"),
                 ("candidates", "--slate", pack, "--post", "Rapporteur", "--no-write"),
                 ("compare", pack, pack, "--no-write")):
        assert run(*args).exit_code == 2, args


def test_a_nomination_typed_over_the_example_row_is_read_and_said(tmp_path: Path) -> None:
    """Typing a nomination on the init workbook's example row, as one does in Excel, with its
    mark left in the last cell: the nomination counts, and a note says the row was read."""
    import json

    from openpyxl import load_workbook

    book = tmp_path / "cop7.xlsx"
    assert run("init", book, "--from", "untoc-cop6-2012", "--session", "7").exit_code == 0
    untouched = run("solve", book, "--json", "--no-write")
    assert untouched.exit_code == 0 and "marked 'example" not in untouched.output
    wb = load_workbook(book)
    ws = wb["nominations"]
    assert ws.cell(2, ws.max_column).value == "example: this row is ignored"
    # the 7th session's President comes from the Eastern European States
    ws.cell(2, 1).value, ws.cell(2, 2).value = "Poland", "President"
    wb.save(book)
    r = run("solve", book, "--json", "--no-write")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert ("President", "Poland") in {(s["post"], s["state"]) for s in data["slate"]}
    assert ("President", "Poland") not in {(s["post"], s["state"]) for s in json.loads(
        untouched.stdout)["slate"]}
    assert any("marked 'example: this row is ignored' but holds other data" in w
               for w in data["warnings"])


@pytest.mark.slow
def test_the_elected_bureau_is_recorded_and_the_next_session_starts_from_it(
        tmp_path: Path) -> None:
    """The quick start: the 7th session's bureau recorded in its case's history, the 8th
    started from it; the tie-break of the 8th reads it."""
    from planner.io.reader import load_case
    from planner.rules.profile import load_profile

    body = load_profile("untoc-cop").body
    cop7 = tmp_path / "cop7.xlsx"
    assert run("init", cop7, "--from", "untoc-cop6-2012", "--session", "7").exit_code == 0
    slate = tmp_path / "cop7-slate.xlsx"
    assert run("solve", cop7, "--out", slate).exit_code == 0
    elected = tmp_path / "cop7-elected.xlsx"
    r = run("record", slate, "--out", elected)
    assert r.exit_code == 0, r.output
    assert "Recorded the bureau elected at session 7 (10 officers)" in r.output
    history = load_case(elected, body).history
    seven = {(h.post, h.state) for h in history if h.session == 7}
    assert len(seven) == 10
    # recording again replaces that session's rows, and an existing file is kept
    assert run("record", slate, "--out", elected).exit_code == 2
    assert run("record", slate, "--out", elected, "--force").exit_code == 0
    assert sum(1 for h in load_case(elected, body).history if h.session == 7) == 10
    cop8 = tmp_path / "cop8.xlsx"
    assert run("init", cop8, "--from", elected, "--session", "8",
               "--opening", "2016-10-17").exit_code == 0
    assert {(h.post, h.state) for h in load_case(cop8, body).history
            if h.session == 7} == seven
    eight = run("solve", cop8, "--json", "--no-write")
    import json

    served = {state for _post, state in seven}
    assert not served & {s["state"] for s in json.loads(eight.stdout)["slate"]}
    # a slate that is not a whole bureau is not recorded
    part = tmp_path / "part.csv"
    from .factory import write_csv

    write_csv(part, ["post", "state"], [("President", "Poland")])
    assert run("record", cop7, part, "--out", tmp_path / "x.xlsx").exit_code == 2


@pytest.mark.slow
def test_compare_judges_each_slate_under_its_own_case(tmp_path: Path) -> None:
    """A replacement made after a withdrawal is valid under its own case: compare says so,
    where it used to judge it under the first file's case (the withdrawn nominee's)."""
    import json

    pack = tmp_path / "cop6.xlsx"
    assert run("solve", "--out", pack).exit_code == 0
    after = tmp_path / "after.xlsx"
    r = run("replace", "--slate", pack, "--withdraw", "Indonesia", "--out", after)
    assert r.exit_code == 0, r.output
    r = run("compare", pack, after, "--json", "--no-write")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [s["valid"] for s in data["slates"]] == [True, True]
    assert any("judged under the case its own workbook carries" in n
               for n in data["assumptions"])
    # with a case named, every slate is judged under it, and the replacement fails there
    named = json.loads(run("compare", pack, after, "--case", "untoc-cop6-2012", "--json",
                           "--no-write").stdout)
    assert [s["valid"] for s in named["slates"]] == [True, False]


def test_replace_says_when_the_state_withdrawn_holds_no_post(tmp_path: Path) -> None:
    pack = tmp_path / "cop6.xlsx"
    assert run("solve", "--out", pack).exit_code == 0
    r = run("replace", "--slate", pack, "--withdraw", "Japan", "--no-write")
    assert r.exit_code == 0
    assert "Japan holds no post on this slate: its withdrawal changes no seat" in r.output
    assert "0 post(s) change hands." in r.output


def test_no_slate_says_its_cause_and_its_fix_first(tmp_path: Path) -> None:
    """A group's nominee absent: the first lines name the nominee, the group, the post and
    the fix; the rules that follow leave out the bureau's own shape; the fix works."""
    import csv
    import shutil

    from planner.io.reader import shipped_cases

    from .factory import write_csv

    folder = tmp_path / "cop6"
    shutil.copytree(shipped_cases()["untoc-cop6-2012"], folder)
    with (folder / "nominations.csv").open("a", encoding="utf-8") as fh:
        fh.write("Canada,Vice-President,1,\n")
    with (folder / "groups.csv").open(encoding="utf-8") as fh:
        present = sorted({r["state"] for r in csv.DictReader(fh)} - {"Canada"})
    write_csv(folder / "attendance.csv", ["state"], [(s,) for s in present])
    r = run("solve", folder, "--no-write")
    assert r.exit_code == 1
    lines = r.output.splitlines()
    cause = next(i for i, line in enumerate(lines) if line.startswith("Cause:"))
    assert lines[cause].startswith("Cause: Canada, nominated by the Western European and other "
                                   "States for Vice-President, is not present. To settle it:")
    assert "withdrawals table" in lines[cause]
    assert not any("the body elects" in line for line in lines)  # the shape is no cause
    write_csv(folder / "withdrawals.csv", ["state"], [("Canada",)])
    assert run("solve", folder, "--no-write").exit_code == 0


@pytest.mark.slow  # 1.7 s: the quick suite keeps its margin under a minute
def test_a_supposition_stays_a_supposition(tmp_path: Path) -> None:
    """A ratification supposed with replace --ratified and an absence: the pack carries them
    as suppositions (the deposit's action says so), its Bureau page says what the slate rests
    on, and check, reading the pack, says so too."""
    import json

    from openpyxl import load_workbook

    pack = tmp_path / "cop6.xlsx"
    assert run("solve", "--out", pack).exit_code == 0
    supposed = tmp_path / "supposed.xlsx"
    r = run("replace", "--slate", pack, "--withdraw", "Japan", "--absent", "Belgium",
            "--ratified", "Japan:convention:2012-09-01", "--out", supposed)
    assert r.exit_code == 0, r.output
    wb = load_workbook(supposed)
    bureau = " ".join(str(c.value) for row in wb["Bureau"].iter_rows() for c in row if c.value)
    assert ("This slate rests on suppositions, not facts: Belgium absent; Japan supposed to "
            "deposit for convention on 2012-09-01.") in bureau
    deposits = [row for row in wb["case.ratifications"].iter_rows(values_only=True)
                if row[0] == "Japan" and row[1] == "convention"]
    assert deposits and deposits[0][3] == "supposed"
    checked = json.loads(run("check", supposed, "--json").stdout)
    assert any("rests on suppositions, not facts: Belgium absent" in n
               for n in checked["assumptions"])
    # the next session starts from the facts alone
    nxt = tmp_path / "cop7.xlsx"
    assert run("init", nxt, "--from", supposed, "--session", "7").exit_code == 0
    assert "suppositions" not in json.dumps(json.loads(
        run("solve", nxt, "--json", "--no-write").stdout)["assumptions"])


def test_a_nomination_not_honoured_says_why(tmp_path: Path) -> None:
    """UNFCCC: the African States nominate Kenya for Chair of the SBI, and the slate gives
    that post to another group: solve says so, and why, instead of passing over it."""
    import json
    import shutil

    from planner.io.reader import shipped_cases

    from .factory import write_csv

    folder = tmp_path / "cop29"
    shutil.copytree(shipped_cases()["unfccc-cop29-2024"], folder)
    write_csv(folder / "nominations.csv", ["state", "post"], [("Kenya", "Chair of the SBI")])
    r = run("solve", folder, "--json", "--no-write")
    data = json.loads(r.stdout)
    seated = {(s["state"], s["post"]) for s in data["slate"]}
    assert ("Kenya", "Chair of the SBI") not in seated  # the tie-break gives it elsewhere
    assert data["nominations_not_honoured"] == [
        "Kenya's nomination for Chair of the SBI is not honoured: the African States hold "
        "no Chair of the SBI seat on this slate; the rules let the post go to another group."]


def test_nominations_that_settle_every_seat_are_said(tmp_path: Path) -> None:
    """Every seat nominated: alternatives, room and candidates say the nominations settle the
    bureau, and what to suppose to weigh others, instead of dead-ending."""
    import shutil

    from planner.io.reader import shipped_cases

    from .factory import write_csv

    folder = tmp_path / "cnd"
    shutil.copytree(shipped_cases()["cnd-69-2026"], folder)
    write_csv(folder / "nominations.csv", ["state", "post"],
              [("Armenia", "Chair"), ("Kenya", "Vice-Chair"), ("Argentina", "Vice-Chair"),
               ("Austria", "Vice-Chair"), ("China", "Rapporteur")])
    said = "The nominations settle every seat: no other valid slate exists."
    assert said in run("alternatives", folder, "-k", "3", "--no-write").output
    assert said in run("room", folder, "--no-write").output
    pack = tmp_path / "cnd.xlsx"
    assert run("solve", folder, "--out", pack).exit_code == 0
    r = run("candidates", "--slate", pack, "--post", "Rapporteur", "--no-write")
    assert "Its group's nomination settles it" in r.output


def test_the_seat_set_apart_and_its_holder_are_marked(tmp_path: Path) -> None:
    """UNFCCC: the Latin American and Caribbean States hold three seats; the small island
    developing States' seat is said, with who holds it, in the terminal, the JSON, the Bureau
    page, the board and room."""
    import json
    import warnings

    from openpyxl import load_workbook

    from planner.io.reader import shipped_cases
    from planner.rules.profile import open_case
    from planner.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    seat = ("the small island developing States' seat (Latin American and Caribbean States): "
            "Antigua and Barbuda or Bahamas (either qualifies)")
    pack = tmp_path / "cop29.xlsx"
    r = run("solve", "unfccc-cop29-2024", "--out", pack)
    assert f"Seat set apart: {seat}." in r.output
    data = json.loads(run("solve", "unfccc-cop29-2024", "--json", "--no-write").stdout)
    assert data["seats_set_apart"] == [{
        "rule": "the small island developing States' seat",
        "group": "Latin American and Caribbean States",
        "holders": ["Antigua and Barbuda", "Bahamas"], "seats": 1, "said": seat}]
    page = [[c for c in row if c] for row in load_workbook(pack)["Bureau"].iter_rows(
        values_only=True)]
    assert ["Seat set apart", seat] in page
    # the pack with the mark is still read as one bureau by check
    assert run("check", pack).exit_code == 0
    case, profile = open_case(shipped_cases()["unfccc-cop29-2024"])
    html = TestClient(create_app(case, profile), base_url="http://127.0.0.1").get("/").text
    assert "Seat set apart: " + seat.replace("'", "&#39;") in html
    room = run("room", "unfccc-cop29-2024", "--no-write").output
    assert "could hold the small island developing States' seat: Antigua and Barbuda" in room
    assert "Eastern European States" in room and "none of its States" in room


def test_a_nomination_out_of_turn_is_said_once(tmp_path: Path) -> None:
    """France nominated for President when the presidency is the Asia-Pacific States' turn:
    solve says it once (why it is not honoured), not again as a note; status, which shows no
    slate, keeps the note."""
    import shutil

    from planner.io.reader import shipped_cases

    folder = tmp_path / "cop6"
    shutil.copytree(shipped_cases()["untoc-cop6-2012"], folder)
    with (folder / "nominations.csv").open("a", encoding="utf-8") as f:
        f.write("France,President,1,\n")
    out = run("solve", folder, "--no-write").output
    assert out.count("France") == 1, out
    assert "France's nomination for President is not honoured" in out
    assert "France (Western European and other States) is nominated for President" in run(
        "status", folder).output
