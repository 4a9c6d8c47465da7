"""The consultation commands end to end: alternatives, room, compare, replace, candidates."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from .factory import AF, AP, NAMES, full_parties, visible, write_case, write_csv
from .test_cli import run


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_case(tmp_path_factory.mktemp("c") / "case", full_parties(3), president=AP,
                      rapporteur=AF)


@pytest.fixture(scope="module")
def slate(case: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("s") / "slate.xlsx"
    assert run("solve", case, "--out", out).exit_code == 0
    return out


def test_alternatives_json_and_workbook(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "alt.xlsx"
    r = run("alternatives", case, "-k", "4", "--json", "--out", out)
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert [s["rank"] for s in data["slates"]] == [1, 2, 3, 4]
    keys = {frozenset((x["post"], x["state"]) for x in s["slate"]) for s in data["slates"]}
    assert len(keys) == 4
    assert set(data["slates"][0]["score"]) == {"nomination_priority", "protocol_seat_all",
                                               "all_instruments_count", "tie_break"}
    first = json.loads(run("solve", case, "--json", "--no-write").stdout)["slate"]
    assert data["slates"][0]["slate"] == first
    wb = openpyxl.load_workbook(out)
    assert visible(wb.sheetnames) == ["Slates", "Side by side", "Scores", "Run info"]
    rows = list(wb["Slates"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 40 and {r[0] for r in rows} == {"1", "2", "3", "4"}
    grid = wb["Side by side"]
    assert grid.cell(1, 3).value == "slate 1"
    filled = [grid.cell(r, 3).fill.fgColor.rgb for r in range(2, grid.max_row + 1)]
    assert any(str(c).endswith("FFF2CC") for c in filled)
    scores = list(wb["Scores"].iter_rows(min_row=2, values_only=True))
    assert all(row[-1] == "valid" for row in scores)


def test_alternatives_options(case: Path) -> None:
    r = run("alternatives", case, "-k", "3", "--fix", "Vice-President=Benin", "--exclude",
            "Albania", "--json", "--no-write")
    data = json.loads(r.stdout)
    for s in data["slates"]:
        states = {(x["post"], x["state"]) for x in s["slate"]}
        assert ("Vice-President", "Benin") in states
        assert "Albania" not in {x["state"] for x in s["slate"]}
    r = run("alternatives", case, "--vary", "WEOG", "-k", "50", "--json", "--no-write")
    assert len(json.loads(r.stdout)["slates"]) == 3  # C(3, 2) pairs
    r = run("alternatives", case, "--exclude", "Nigerr", "--no-write")
    assert r.exit_code == 2 and "option --exclude: unknown State 'Nigerr'" in r.output
    assert "did you mean 'Niger' or 'Nigeria'" in r.output
    r = run("alternatives", case, "--fix", "Chair-Benin", "--no-write")
    assert r.exit_code == 2 and "is not POST=STATE" in r.output
    r = run("alternatives", case, "--vary", "Oceania", "--no-write")
    assert r.exit_code == 2 and "unknown regional group 'Oceania'" in r.output


def test_alternatives_text_marks_differences(case: Path) -> None:
    r = run("alternatives", case, "-k", "2", "--no-write")
    assert r.exit_code == 0
    assert "* marks the posts where the slates differ" in r.output
    assert any(line.startswith("*") for line in r.output.splitlines())


def test_room(case: Path) -> None:
    r = run("room", case, "--json", "--no-write")
    data = json.loads(r.stdout)
    assert data["total_slates"] > 0
    ap = next(g for g in data["groups"] if g["group"] == AP)
    assert ap["valid_pairs"] == 3
    assert sorted(ap["single_posts"]["President"]) == sorted(NAMES[AP][:3])
    r = run("room", case, "--no-write")
    assert f"Valid slates in all: {data['total_slates']:,}" in r.output


def test_compare(case: Path, slate: Path, tmp_path: Path) -> None:
    alt = tmp_path / "alt.xlsx"
    run("alternatives", case, "-k", "2", "--out", alt)
    out = tmp_path / "cmp.xlsx"
    r = run("compare", alt, slate, "--case", case, "--out", out)
    assert r.exit_code == 0
    assert "A: alt.xlsx #1" in r.output and "C: slate.xlsx" in r.output
    assert " in A, " in r.output
    data = json.loads(run("compare", alt, slate, "--case", case, "--json", "--no-write").stdout)
    assert [s["label"] for s in data["slates"]] == ["A", "B", "C"]
    assert data["slates"][0]["slate"] == data["slates"][2]["slate"]
    assert data["differences"] and all(" in A, " in d for d in data["differences"])
    wb = openpyxl.load_workbook(out)
    assert visible(wb.sheetnames) == ["Comparison", "Differences", "Checks", "Slates", "Run info"]
    header = [c.value for c in wb["Comparison"][1]]
    assert header == ["group", "post", "A", "B", "C"]
    checks = list(wb["Checks"].iter_rows(min_row=2, values_only=True))
    assert [row[-1] for row in checks] == ["valid"] * 3


def test_compare_refuses_broken_slates(case: Path, slate: Path, tmp_path: Path) -> None:
    data = json.loads(run("solve", case, "--json", "--no-write").stdout)
    rows = [(s["post"], s["state"]) for s in data["slate"]]
    eleven = write_csv(tmp_path / "eleven.csv", ["post", "state"],
                       [*rows, ("Vice-President", "Malta")])
    r = run("compare", slate, eleven, "--case", case, "--no-write")
    assert r.exit_code == 2
    assert "the slate has 11 rows; a bureau has 10 posts" in r.output
    twice = write_csv(tmp_path / "twice.csv", ["post", "state"],
                      [("President", rows[1][1]), *rows[1:]])
    r = run("compare", slate, twice, "--case", case, "--no-write")
    assert r.exit_code == 2
    assert "names Vice-President 9 times" not in r.output
    twice2 = write_csv(tmp_path / "twice2.csv", ["post", "state"],
                       [rows[0], ("President", rows[2][1]), *rows[2:]])
    r = run("compare", slate, twice2, "--case", case, "--no-write")
    assert r.exit_code == 2 and "names President 2 times (rows 2, 3)" in r.output
    assert "is named twice" in r.output
    r = run("compare", slate, "--case", case, "--no-write")
    assert r.exit_code == 2 and "two or more slates" in r.output


def test_replace(case: Path, slate: Path, tmp_path: Path) -> None:
    data = json.loads(run("solve", case, "--json", "--no-write").stdout)
    vp = next(s["state"] for s in data["slate"] if s["post"] == "Vice-President")
    out = tmp_path / "rep.xlsx"
    r = run("replace", case, "--slate", slate, "--withdraw", vp, "--json", "--out", out)
    assert r.exit_code == 0
    rep = json.loads(r.stdout)
    assert rep["status"] == "solved" and vp not in {s["state"] for s in rep["slate"]}
    assert len(rep["changes"]) == 1 and rep["changes"][0]["why"] == f"{vp} withdrew"
    assert visible(openpyxl.load_workbook(out).sheetnames) == ["Bureau", "Slate", "Changes",
                                                               "Rule check", "Run info"]
    r = run("replace", case, "--slate", slate, "--withdraw", "Nigerr", "--no-write")
    assert r.exit_code == 2 and "option --withdraw: unknown State 'Nigerr'" in r.output
    r = run("replace", case, "--slate", slate, "--no-write")
    assert r.exit_code == 2 and "say what changed" in r.output
    r = run("replace", case, "--slate", slate, "--ratified", "Kenya:treaty:2003-01-01",
            "--no-write")
    assert r.exit_code == 2 and "unknown instrument 'treaty'" in r.output


def test_replace_what_if_absent(case: Path, slate: Path) -> None:
    data = json.loads(run("solve", case, "--json", "--no-write").stdout)
    president = data["slate"][0]["state"]
    r = run("replace", case, "--slate", slate, "--absent", president, "--json", "--no-write")
    rep = json.loads(r.stdout)
    assert rep["slate"][0]["state"] != president
    assert any(f"rests on suppositions, not facts: {president} absent" in n
               for n in rep["assumptions"])
    reason = next(c["why"] for c in rep["changes"] if c["before"] == president)
    assert reason.startswith("could not stay: rule 22(1)")


def test_candidates(case: Path, slate: Path) -> None:
    r = run("candidates", case, "--slate", slate, "--post", "Rapporteur", "--json",
            "--no-write")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    states = [c["state"] for c in data["candidates"]]
    on_slate = {s["state"] for s in json.loads(run("solve", case, "--json",
                                                   "--no-write").stdout)["slate"]}
    assert states and set(states) <= set(NAMES[AF][:3]) - on_slate
    assert all("needed_for" in c and "change" in c for c in data["candidates"])
    r = run("candidates", case, "--slate", slate, "--post", "President", "--group", "EEG",
            "--no-write")
    assert r.exit_code == 2 and "the slate has no President of the Eastern European" in r.output


def test_candidates_when_nobody_can(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case", full_parties(2), president=AP, rapporteur=AF)
    out = tmp_path / "s.xlsx"
    run("solve", case, "--out", out)
    r = run("candidates", case, "--slate", out, "--post", "Rapporteur", "--no-write")
    assert r.exit_code == 1 and "Nobody can take the Rapporteur seat" in r.output
    # and why: two States a group, both on the slate; the rules that bind say so
    assert "These rules cannot all hold together" in r.output
    assert "  - the other officers stay as they are" in r.output
    data = json.loads(run("candidates", case, "--slate", out, "--post", "Rapporteur",
                          "--json", "--no-write").stdout)
    assert data["candidates"] == [] and data["why_nobody"]


def test_candidates_list_each_state_once(case: Path, slate: Path) -> None:
    r = run("candidates", case, "--slate", slate, "--post", "Vice-President", "--group",
            "WEOG", "--json", "--no-write")
    states = [c["state"] for c in json.loads(r.stdout)["candidates"]]
    assert states and len(states) == len(set(states))


def test_a_question_with_no_answer_names_its_choices(case: Path) -> None:
    r = run("alternatives", case, "--fix", "President=Algeria", "--no-write")
    assert r.exit_code == 1
    assert "at this session the President comes from the Asia-Pacific States" in r.output
    assert "asked for: Algeria as President" in r.output
