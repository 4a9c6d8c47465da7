"""The command line, end to end: exit codes, messages, JSON, and the workbooks it writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from planner.cli.main import cli
from planner.io.reader import shipped_cases

from .factory import AF, AP, EE, NAMES, full_parties, visible, write_case, write_csv

COP6 = shipped_cases()["untoc-cop6-2012"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_help_lists_every_command() -> None:
    out = run("--help").output
    for command in ("solve", "check", "status"):
        assert command in out
        assert "Example:" in run(command, "--help").output


def test_solve_default_case_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "slate.xlsx"
    r = run("solve", "--out", out)
    assert r.exit_code == 0, r.output
    assert "Indonesia" in r.output and "President" in r.output
    assert "every State party is taken as present" in r.output
    wb = openpyxl.load_workbook(out)
    assert visible(wb.sheetnames) == ["Bureau", "Slate", "Rule check", "Score", "Instruments",
                                      "Eligibility", "Run info"]
    slate = list(wb["Slate"].iter_rows(values_only=True))
    assert slate[0] == ("post", "state", "group", "representative", "needed for")
    assert slate[1][:4] == ("President", "Indonesia", "Asia-Pacific States", "Rachmat Budiman")
    assert len(slate) == 11
    assert wb["Slate"].freeze_panes == "A2" and "Slate" in wb["Slate"].tables
    checks = list(wb["Rule check"].iter_rows(min_row=2, values_only=True))
    assert checks and all(row[3] == "pass" for row in checks)
    info = dict(wb["Run info"].iter_rows(min_row=2, values_only=True))
    assert info["solver status"] == "solved"
    assert info["solver engine"] == "exact enumeration by group"
    assert info["solver optimal"] == "True"
    assert any(k.startswith("input ") and k.endswith("18-12.csv") for k in info)
    assert all(str(v).startswith("sha256 ") for k, v in info.items() if k.startswith("input "))
    # the day each status table speaks for (issue 24)
    assert info["status table untc/18-12-c.csv"] == ("firearms: data of 2014-03-21, the newest "
                                                     "date it holds")
    assert not list(tmp_path.glob(".*tmp"))


def test_solve_json(tmp_path: Path) -> None:
    r = run("solve", "untoc-cop1-2004", "--json", "--out", tmp_path / "a.xlsx")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["status"] == "solved" and data["conflicts"] == []
    assert [s["post"] for s in data["slate"]].count("Vice-President") == 8
    assert {"post", "state", "group"} <= set(data["slate"][0])
    assert any("Rapporteur" in a and "open to every group" in a for a in data["assumptions"])


def test_solve_is_deterministic(tmp_path: Path) -> None:
    a = json.loads(run("solve", "--json", "--no-write").stdout)["slate"]
    b = json.loads(run("solve", "--json", "--no-write").stdout)["slate"]
    assert a == b


def test_infeasible_case_exits_1_with_rules_in_words(tmp_path: Path) -> None:
    parties = full_parties(3)
    for s in NAMES[EE][:3]:
        parties[s] = ("convention",)
    case = write_case(tmp_path / "case", parties)
    out = tmp_path / "slate.xlsx"
    r = run("solve", case, "--out", out)
    assert r.exit_code == 1
    assert ("rule 22(3): One of each group's two officers is from a State party to the "
            "Convention and to one or more of the Protocols in force at the opening. None of the "
            "Eastern European States present is.") in r.output
    assert "[protocol_seat]" not in r.output  # ids stay in JSON and the technical column
    wb = openpyxl.load_workbook(out)
    header = next(wb["Conflicts"].iter_rows(max_row=1, values_only=True))
    conflicts = list(wb["Conflicts"].iter_rows(min_row=2, values_only=True))
    # the rule by its name first, the id only in the last (technical) column
    assert header[0] == "rule" and header[-1] == "id"
    assert conflicts[0][0] == "a Protocol party in each group"
    assert conflicts[0][-1] == "protocol_seat"
    bureau = " ".join(str(c.value) for row in wb["Bureau"].iter_rows() for c in row if c.value)
    assert "No bureau meets the rules" in bureau and "a Protocol party in each group" in bureau
    assert "protocol_seat" not in bureau
    data = json.loads(run("solve", case, "--json", "--no-write").stdout)
    assert data["status"] == "infeasible" and data["slate"] == []
    # no slate is no optimum: the enumeration found none, CP-SAT named the rules
    assert data["solver"]["optimal"] is False and "CP-SAT" in data["solver"]["conflicts"]
    assert data["conflicts"][0]["rule"] == "protocol_seat"


def test_check_valid_and_invalid(tmp_path: Path) -> None:
    out = tmp_path / "slate.xlsx"
    assert run("solve", "--out", out).exit_code == 0
    r = run("check", out)
    assert r.exit_code == 0 and "meets every rule" in r.output
    bad = write_csv(tmp_path / "bad.csv", ["post", "state"],
                    [("President", "Japan"), ("Vice-President", "Kenya")])
    r = run("check", COP6, bad)
    assert r.exit_code == 1
    data = json.loads(run("check", bad, "--json").stdout)
    assert data["valid"] is False
    rules = {v["rule"] for v in data["violations"]}
    assert {"post_counts", "eligibility", "two_per_group", "protocol_seat"} <= rules
    japan = next(v for v in data["violations"] if v["rule"] == "eligibility")
    assert "Japan: not a party: signed only" in japan["message"]


def test_check_catches_a_state_twice(tmp_path: Path) -> None:
    out = tmp_path / "slate.csv"
    data = json.loads(run("solve", "--json", "--no-write").stdout)
    rows = [(s["post"], s["state"]) for s in data["slate"]]
    rows[2] = ("Vice-President", rows[1][1])
    write_csv(out, ["post", "state"], rows)
    violations = json.loads(run("check", out, "--json").stdout)["violations"]
    assert "one_post_per_state" in {v["rule"] for v in violations}


def test_status_json_and_out(tmp_path: Path) -> None:
    r = run("status", "--json", "--out", tmp_path / "status.csv")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["opening_date"] == "2012-10-15"
    assert data["instruments_in_force"] == ["convention", "trafficking", "smuggling", "firearms"]
    civ = next(s for s in data["states"] if s["state"] == "Côte d'Ivoire")
    assert civ["eligible"] is False and "2012-11-24" in civ["reason"]
    assert (tmp_path / "status.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    r = run("status", "untoc-cop1-2004", "--date", "2004-06-28", "--out", tmp_path / "s.xlsx")
    assert "firearms" not in r.output.split("instruments in force:")[1].split(";")[0]
    assert openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames == ["Eligibility", "Run info"]
    assert run("status", "--date", "31 Feb 2012").exit_code == 2


# ---------------------------------------------------------------------------------------------
# Bad input: every problem at once, file/row/column, a fix, exit 2, nothing written


def broken_case(tmp_path: Path) -> Path:
    case = write_case(tmp_path / "case")
    rat = (case / "ratifications.csv").read_text(encoding="utf-8").splitlines()
    rat.append("Nigerr,convention,2002-01-01,")
    rat.append("Kenya,convention,31 Feb 2003,")
    rat.append("Algeria,convention,2003-01-01,")  # conflicts with 2002-01-01
    rat.append("Chad,treaty,2002-01-01,")
    (case / "ratifications.csv").write_text("\n".join(rat) + "\n", encoding="utf-8")
    groups = (case / "groups.csv").read_text(encoding="utf-8") + "Algeria,Asia-Pacific\n"
    groups += "Ghana,Africa Group\n"
    (case / "groups.csv").write_text(groups, encoding="utf-8")
    return case


def test_bad_input_reports_every_problem(tmp_path: Path) -> None:
    case = broken_case(tmp_path)
    before = snapshot(case)
    out = tmp_path / "out.xlsx"
    r = run("solve", case, "--out", out)
    assert r.exit_code == 2
    err = r.stderr if hasattr(r, "stderr") else r.output
    assert "Traceback" not in r.output
    assert "the input has 6 problems" in err
    assert ("ratifications.csv, row 47, column state: unknown State 'Nigerr' (did you mean "
            "'Niger' or 'Nigeria'") in err
    assert "row 48, column deposit_date: '31 Feb 2003' is not a date in the calendar" in err
    assert "Algeria's deposit for convention is dated 2003-01-01" in err
    assert "row 50, column instrument: unknown instrument 'treaty'" in err
    assert "Algeria is in African States (row 2) and in Asia-Pacific States" in err
    assert "unknown regional group 'Africa Group'" in err
    assert not out.exists()
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: (c / "groups.csv").unlink(), "the case has no groups table"),
        (lambda c: (c / "session.csv").write_text("", encoding="utf-8"), "the file is empty"),
        (lambda c: (c / "groups.csv").write_text("state,grp\nKenya,African\n",
                                                 encoding="utf-8"),
         "the groups table has no column 'group'"),
        (lambda c: (c / "session.csv").write_text("key,value\nsession,6\n", encoding="utf-8"),
         "the session table gives no opening_date"),
        (lambda c: (c / "session.csv").write_text(
            "key,value\nsession,6\nopening_date,2003-01-01\n", encoding="utf-8"),
         "before the Convention entered into force"),
        (lambda c: (c / "session.csv").write_text(
            "key,value\nsession,6\nopening_date,03/04/2012\n", encoding="utf-8"),
         "is ambiguous"),
        (lambda c: (c / "nominations.csv").write_text("state,post\nKenya,Chairman\n",
                                                      encoding="utf-8"),
         "unknown post 'Chairman'"),
        (lambda c: (c / "groups.csv").write_bytes(b"state,group\nC\x81te,African\n"),
         "not text in a known encoding"),
    ],
)
def test_bad_tables(tmp_path: Path, edit: object, message: str) -> None:
    case = write_case(tmp_path / "case")
    edit(case)  # type: ignore[operator]
    r = run("solve", case, "--out", tmp_path / "out.xlsx")
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert not (tmp_path / "out.xlsx").exists()


def test_not_a_case(tmp_path: Path) -> None:
    fake = tmp_path / "case.xlsx"
    fake.write_text("state,group\n", encoding="utf-8")
    r = run("solve", fake, "--no-write")
    assert r.exit_code == 2 and "not an .xlsx workbook" in r.output
    r = run("solve", tmp_path / "missing")
    assert r.exit_code == 2 and "no such file or folder" in r.output
    r = run("check", COP6, tmp_path / "missing.csv")
    assert r.exit_code == 2


def test_unknown_option_is_a_usage_error() -> None:
    assert run("solve", "--frobnicate").exit_code == 2


def test_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case")
    before = snapshot(case)
    r = run("solve", case, "--out", case / "groups.xlsx")
    assert r.exit_code == 2 and "refusing to write" in r.output
    r = run("solve", case, "--out", tmp_path / "slate.csv")
    assert r.exit_code == 2 and "must end in .xlsx" in r.output
    r = run("status", case, "--out", case / "groups.csv")
    assert r.exit_code == 2
    assert snapshot(case) == before


def test_formulas_are_written_as_text(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case", nominations=[("China", "President")])
    write_csv(case / "nominations.csv", ["state", "post", "representative"],
              [("China", "President", "=HYPERLINK(\"http://x\",\"y\")"),
               ("Chad", "Rapporteur", "@SUM(1)")])
    out = tmp_path / "slate.xlsx"
    assert run("solve", case, "--out", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["Slate"]
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row}
    cell = cells["=HYPERLINK(\"http://x\",\"y\")"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert cells["@SUM(1)"].data_type == "s"
    # the case carried inside keeps them as text too
    hidden = openpyxl.load_workbook(out)["case.nominations"]
    carried = {c.value: c for row in hidden.iter_rows(min_row=2) for c in row}
    assert carried["@SUM(1)"].data_type == "s" and carried["@SUM(1)"].quotePrefix


def test_case_as_one_workbook_matches_the_folder(tmp_path: Path) -> None:
    folder = write_case(tmp_path / "case", nominations=[("India", "President")])
    book = tmp_path / "case.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    import csv

    for f in sorted(folder.glob("*.csv")):
        ws = wb.create_sheet(f.stem)
        for row in csv.reader(f.open(encoding="utf-8")):
            ws.append([int(v) if v.isdigit() and len(v) < 4 else v for v in row])
    wb.save(book)
    a = json.loads(run("solve", folder, "--json", "--no-write").stdout)
    b = json.loads(run("solve", book, "--json", "--no-write").stdout)
    assert a["slate"] == b["slate"] and a["status"] == "solved"


def test_installed_case_is_found_from_anywhere(tmp_path: Path, monkeypatch:
                                               pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("solve", "--no-write", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["slate"][0]["state"] == "Indonesia"


def test_groups_with_turkey_in_two_groups_are_read(tmp_path: Path) -> None:
    case = tmp_path / "cop6"
    shutil.copytree(COP6, case)
    lines = (case / "groups.csv").read_text(encoding="utf-8").replace(
        "Turkey,Asia-Pacific States,no", "Turkey,Asia-Pacific States,yes")
    (case / "groups.csv").write_text(lines, encoding="utf-8")
    r = run("status", case)
    assert r.exit_code == 2 and "Türkiye is in Asia-Pacific States" in r.output
    assert "counts_for_elections = no" in r.output


def test_nominee_of_another_turn_is_noted(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case", nominations=[("Algeria", "President")],
                      president=AP, rapporteur=AF)
    r = run("solve", case, "--no-write")
    assert r.exit_code == 0
    # said once, as the nomination not honoured (the note the status gives is not repeated)
    assert ("Algeria's nomination for President is not honoured: the African States hold no "
            "President seat on this slate (the President comes from the Asia-Pacific States at "
            "this session)") in r.output
    assert "Algeria (African States) is nominated for President" not in r.output
    assert "Algeria (African States) is nominated for President" in run(
        "status", case).output
    assert NAMES[AF][0] in r.output


def test_json_records_what_produced_it() -> None:
    for args in (("solve", "--json", "--no-write"), ("status", "--json")):
        run_data = json.loads(run(*args).stdout)["run"]
        assert run_data["planner"] and run_data["ortools"]
        paths = {i["path"].replace("\\", "/").split("/")[-1] for i in run_data["inputs"]}
        assert {"18-12.csv", "groups.csv", "session.csv"} <= paths
        assert all(len(i["sha256"]) == 64 for i in run_data["inputs"])


def test_shuffled_rows_give_the_same_slate(tmp_path: Path) -> None:
    import random

    a = tmp_path / "a"
    shutil.copytree(COP6, a)
    b = tmp_path / "b"
    shutil.copytree(COP6, b)
    rng = random.Random(7)
    for f in [b / "groups.csv", *sorted((b / "untc").glob("*.csv"))]:
        head, *rows = f.read_text(encoding="utf-8").splitlines()
        rng.shuffle(rows)
        f.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    first = json.loads(run("solve", a, "--json", "--no-write").stdout)["slate"]
    second = json.loads(run("solve", b, "--json", "--no-write").stdout)["slate"]
    assert first == second


def test_delegates_read_words_not_code(tmp_path: Path) -> None:
    """The rules' words in the pages delegates read; ids stay in JSON and in the one technical
    column (what every command prints is held to the README's words by tests/test_words.py)."""
    pack = tmp_path / "pack.xlsx"
    assert run("solve", "--out", pack).exit_code == 0
    ids = ("two_per_group", "protocol_seat", "all_instruments", "nomination_priority",
           "tie_break", "president_rotation", "carries", "relies on", "Rules carried")
    bureau = openpyxl.load_workbook(pack)["Bureau"]
    cells = " ".join(str(c.value) for row in bureau.iter_rows() for c in row if c.value)
    for word in ids:
        assert word not in cells, word
    assert "Needed for" in cells
    # the instruments by short name, each with its full title under the table, on a page of
    # their own (the Bureau page is one page)
    instruments = openpyxl.load_workbook(pack)["Instruments"]
    cells = " ".join(str(c.value) for row in instruments.iter_rows() for c in row if c.value)
    assert "Trafficking" in cells and ("Protocol to Prevent, Suppress and Punish Trafficking in "
                                       "Persons") in cells
    for word in ids:
        assert word not in cells, word
    check = openpyxl.load_workbook(pack)["Rule check"]
    header = [c.value for c in check[1]]
    assert header[-1] == "id" and "two_per_group" in [c.value for c in check["F"]]


@pytest.mark.slow
def test_light_commands_stay_light(tmp_path: Path) -> None:
    """status, check and rotation on a CSV case import neither pandas nor OR-Tools; solve
    (where the enumeration answers) pays openpyxl only for the workbook it writes."""
    import subprocess
    import sys

    slate = tmp_path / "slate.csv"
    slate.write_text("post,state\nPresident,Indonesia\n", encoding="utf-8")
    book = str(tmp_path / "s.xlsx")
    for args, expected in ((["status"], "[]"), (["check", str(slate)], "[]"),
                           (["rotation"], "[]"), (["--help"], "[]"),
                           (["solve", "--no-write"], "[]"),
                           (["solve", "--out", book], "['openpyxl']")):
        code = ("import sys\nfrom planner.cli.main import cli\n"
                f"try:\n    cli({args!r}, prog_name='planner')\nexcept SystemExit:\n    pass\n"
                "print(sorted(m for m in ('pandas', 'ortools', 'openpyxl') if m in sys.modules),"
                " file=sys.stderr)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60)
        assert done.stderr.strip().splitlines()[-1] == expected, (args, done.stderr)
    assert openpyxl.load_workbook(book)["Slate"]["B2"].value == "Indonesia"


@pytest.mark.parametrize("name", ["montreal-mop34-2022", "cnd-69-2026", "unfccc-cop29-2024"])
def test_a_pack_of_any_body_is_read_with_its_own_profile(name: str, tmp_path: Path) -> None:
    """The case a pack carries names its profile: check, candidates and replace read the pack
    alone under that body's rules, not the default body's."""
    pack = tmp_path / "pack.xlsx"
    assert run("solve", name, "--out", pack).exit_code == 0
    checked = run("check", pack)
    assert checked.exit_code == 0, checked.output
    assert "The slate meets every rule." in checked.output
    rows = list(openpyxl.load_workbook(pack)["Slate"].iter_rows(min_row=2, values_only=True))
    last = rows[-1][1]  # the last post in the body's order: not the host's presidency
    replaced = run("replace", "--slate", pack, "--withdraw", last, "--no-write")
    assert replaced.exit_code == 0, replaced.output


def test_candidates_name_the_preferences_as_people_read_them(tmp_path: Path) -> None:
    pack = tmp_path / "pack.xlsx"
    assert run("solve", "--out", pack).exit_code == 0
    book = tmp_path / "candidates.xlsx"
    out = run("candidates", "--slate", pack, "--post", "Rapporteur", "--out", book)
    assert out.exit_code == 0
    assert "all_instruments_count" not in out.output and "nomination_priority" not in out.output
    headers = [c.value for c in openpyxl.load_workbook(book)["Candidates"][1]]
    assert "change in officers party to every instrument" in headers
    assert not any("_" in str(h) for h in headers), headers


def test_a_second_round_keeps_a_withdrawn_state_out(tmp_path: Path) -> None:
    """replace writes the withdrawal into the case its workbook carries: a second round from
    that workbook never brings the State back, and status says why it cannot sit."""
    pack, first = tmp_path / "pack.xlsx", tmp_path / "r1.xlsx"
    assert run("solve", "cnd-69-2026", "--out", pack).exit_code == 0
    chair = next(r[1] for r in openpyxl.load_workbook(pack)["Slate"].iter_rows(
        min_row=2, values_only=True))
    assert run("replace", "--slate", pack, "--withdraw", chair, "--out", first).exit_code == 0
    successor = next(r[1] for r in openpyxl.load_workbook(first)["Slate"].iter_rows(
        min_row=2, values_only=True))
    assert successor != chair
    second = run("replace", "--slate", first, "--withdraw", successor, "--no-write", "--json")
    assert second.exit_code == 0, second.output
    assert chair not in {s["state"] for s in json.loads(second.stdout)["slate"]}
    status = run("status", first)
    assert any(chair in line and "withdrawn from the election" in line
               for line in status.output.splitlines()), status.output


def test_slates_of_other_cases_and_bodies_are_said_or_refused(tmp_path: Path) -> None:
    """compare judges every slate under one case: where a workbook carries another case of the
    same body it says so; a workbook of another body is refused, naming both bodies."""
    u6, u1, mop = tmp_path / "u6.xlsx", tmp_path / "u1.xlsx", tmp_path / "mop.xlsx"
    for name, book in (("untoc-cop6-2012", u6), ("untoc-cop1-2004", u1),
                       ("montreal-mop34-2022", mop)):
        assert run("solve", name, "--out", book).exit_code == 0
    same = run("compare", u6, u1, "--no-write")
    assert same.exit_code == 0
    assert "u1.xlsx was made from another case than" in same.output
    assert "the session (1 / 6)" in same.output
    for args in (("compare", u6, mop, "--no-write"), ("check", "untoc-cop6-2012", mop)):
        refused = run(*args)
        assert refused.exit_code == 2
        assert "carries a case of another body (montreal-mop)" in refused.output
        assert "no instruments table" not in refused.output


def test_the_host_withdrawing_is_said_in_words_that_agree(tmp_path: Path) -> None:
    pack = tmp_path / "cop29.xlsx"
    assert run("solve", "unfccc-cop29-2024", "--out", pack).exit_code == 0
    out = run("replace", "--slate", pack, "--withdraw", "Azerbaijan", "--no-write")
    assert out.exit_code == 1
    assert "the presiding State, Azerbaijan, is withdrawn from the election" in out.output
    assert "can sit" not in out.output
    left_out = run("alternatives", "unfccc-cop29-2024", "-k", "1", "--exclude", "Azerbaijan",
                   "--no-write")
    assert left_out.exit_code == 1 and "(the presiding State is Azerbaijan)" in left_out.output


def test_the_bureau_sheet_of_a_membership_body_has_no_instrument_block(tmp_path: Path) -> None:
    pack = tmp_path / "cnd.xlsx"
    assert run("solve", "cnd-69-2026", "--out", pack).exit_code == 0
    values = [c.value for row in openpyxl.load_workbook(pack)["Bureau"].iter_rows()
              for c in row if c.value is not None]
    assert not any("party to each instrument" in str(v) for v in values)
    untoc = tmp_path / "untoc.xlsx"
    assert run("solve", "--out", untoc).exit_code == 0
    assert "Instruments" not in openpyxl.load_workbook(pack).sheetnames
    values = [c.value for row in openpyxl.load_workbook(untoc)["Instruments"].iter_rows()
              for c in row if c.value is not None]
    assert any("party to each instrument" in str(v) for v in values)


def test_a_workbook_without_a_slate_is_said_to_hold_none(tmp_path: Path) -> None:
    plan = tmp_path / "plan.xlsx"
    assert run("plan", "--sessions", "7-8", "--out", plan).exit_code == 0
    out = run("check", plan)
    assert out.exit_code == 2
    assert "the workbook holds no slate (its sheets: Session 7, Session 8" in out.output
    assert "no column 'post'" not in out.output


def test_a_pack_made_with_a_profile_file_is_read_beside_it_or_says_what_it_needs(
        tmp_path: Path) -> None:
    """A pack names its profile file by its file name; sent on without it, the pack says what
    it needs; with the file beside it, it is read as before."""
    from planner.rules.profile import shipped_profiles

    home, away = tmp_path / "home", tmp_path / "away"
    home.mkdir()
    away.mkdir()
    mine = home / "my-mop.toml"
    shutil.copy(shipped_profiles()["montreal-mop"], mine)
    pack = home / "pack.xlsx"
    assert run("solve", "montreal-mop34-2022", "--profile", mine, "--out", pack).exit_code == 0
    sent = away / "pack.xlsx"
    shutil.move(pack, sent)
    mine.unlink()
    missing = run("check", sent)
    assert missing.exit_code == 2
    assert "the profile file 'my-mop.toml' is not in the case folder" in missing.output
    assert "--profile FILE" in missing.output and str(tmp_path) not in missing.output.replace(
        str(sent), "")
    shutil.copy(shipped_profiles()["montreal-mop"], away / "my-mop.toml")
    assert run("check", sent).exit_code == 0
