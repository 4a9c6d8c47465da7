"""Protocol substitutes (issue 23): where the bureau also serves the meetings of the parties to
an instrument (Cartagena Protocol art. 29(3), Nagoya Protocol art. 26(3)), an officer whose
State is not a party to it is replaced there by a substitute from its group and the
instrument's parties; the slate says so in the terminal, the JSON and the Bureau page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .factory import AF, ALL, CONV, CONV_P, UNTOC, full_parties, write_case_with_keys
from .test_cli import run

OTHERS = [g for g in UNTOC.group_names if g != AF]


def _case(tmp_path: Path, parties: dict[str, tuple[str, ...]]) -> Path:
    # the bureau also serves the meetings of the Trafficking Protocol's parties
    return write_case_with_keys(tmp_path / "case", parties, "serving",
                                'serves = ["trafficking"]')


def test_an_officer_not_party_to_a_protocol_served_is_substituted(tmp_path: Path) -> None:
    # the African States: Benin (the Convention only) beside Algeria; Chad, party to the
    # Trafficking Protocol, off the bureau, substitutes for Benin
    parties = {**full_parties(2, OTHERS), "Algeria": ALL, "Benin": CONV, "Chad": CONV_P}
    case = _case(tmp_path, parties)
    data = json.loads(run("solve", case, "--json", "--no-write").stdout)
    seated = {s["state"] for s in data["slate"]}
    assert {"Algeria", "Benin"} <= seated and "Chad" not in seated
    said = data["substitutes"][0].pop("said")
    assert data["substitutes"] == [{"post": next(s["post"] for s in data["slate"]
                                                 if s["state"] == "Benin"),
                                    "state": "Benin", "instrument": "trafficking",
                                    "substitute": "Chad"}]
    assert said.endswith("Chad substitutes for it")
    out = run("solve", case, "--no-write").output
    assert "Substitute: Benin (" in out and "Chad substitutes for it" in out
    pack = tmp_path / "pack.xlsx"
    assert run("solve", case, "--out", pack).exit_code == 0
    from openpyxl import load_workbook

    page = [[c for c in row if c] for row in load_workbook(pack)["Bureau"].iter_rows(
        values_only=True)]
    assert any(row and row[0] == "Substitutes" and "Trafficking Protocol" in row[1]
               and "Chad for Benin" in row[1] for row in page)
    # the pack is still read as one bureau, and carries its profile's file name
    shutil.copy(case / "serving.toml", tmp_path / "serving.toml")
    assert run("check", pack).exit_code == 0


def test_no_party_in_the_group_to_substitute_is_said(tmp_path: Path) -> None:
    parties = {**full_parties(2, OTHERS), "Algeria": ALL, "Benin": CONV}
    data = json.loads(run("solve", _case(tmp_path, parties), "--json", "--no-write").stdout)
    said = data["substitutes"][0].pop("said")
    assert data["substitutes"] == [{"post": next(s["post"] for s in data["slate"]
                                                 if s["state"] == "Benin"),
                                    "state": "Benin", "instrument": "trafficking",
                                    "substitute": None}]
    assert "no State of its group that is can substitute for it" in said


def test_an_instrument_served_that_the_case_does_not_name_is_said(tmp_path: Path) -> None:
    case = _case(tmp_path, full_parties(2))
    profile = case / "serving.toml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        'serves = ["trafficking"]', 'serves = ["nagoya"]'), encoding="utf-8")
    out = run("solve", case, "--no-write").output
    assert "also serves the meetings of the parties to 'nagoya'" in out
    assert "no substitutes are proposed for it" in out


def test_check_verifies_a_substitution_given(tmp_path: Path) -> None:
    parties = {**full_parties(2, OTHERS), "Algeria": ALL, "Benin": CONV, "Chad": CONV_P,
               "Cameroon": CONV}
    case = _case(tmp_path, parties)
    pack = tmp_path / "pack.xlsx"
    assert run("solve", case, "--out", pack).exit_code == 0
    from openpyxl import load_workbook

    rows = list(load_workbook(pack)["Substitutes"].iter_rows(values_only=True))
    assert rows[0] == ("instrument", "post", "state", "substitute")
    assert [r[2:] for r in rows[1:]] == [("Benin", "Chad")]
    # the pack is checked against its own Substitutes sheet
    shutil.copy(case / "serving.toml", tmp_path / "serving.toml")
    r = run("check", pack, "--json")
    assert r.exit_code == 0, r.output
    [held] = [o for o in json.loads(r.stdout)["outcomes"] if o["rule"] == "substitutes"]
    assert held["passed"]
    # a substitution given by hand: Chad is right; a State of another group, one on the
    # bureau, one not a party, and an officer that needs none are each refused, with why
    slate = tmp_path / "slate.csv"
    slate.write_text("post,state\n" + "".join(
        f"{s['post']},{s['state']}\n" for s in json.loads(
            run("solve", case, "--json", "--no-write").stdout)["slate"]), encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("instrument,state,substitute\ntrafficking,Benin,Chad\n", encoding="utf-8")
    assert run("check", case, slate, "--substitutes", good).exit_code == 0
    on_bureau = next(s for s in json.loads(run("solve", case, "--json", "--no-write").stdout)
                     ["slate"] if s["state"] not in ("Algeria", "Benin"))["state"]
    for substitute, why in (("Cameroon", "is not a party to the"),
                            (on_bureau, "holds a seat on the bureau"),
                            ("China", "is not of its group")):
        bad = tmp_path / "bad.csv"
        bad.write_text(f"instrument,state,substitute\ntrafficking,Benin,{substitute}\n",
                       encoding="utf-8")
        r = run("check", case, slate, "--substitutes", bad, "--json")
        assert r.exit_code == 1, (substitute, r.output)
        [failed] = json.loads(r.stdout)["violations"]
        assert why in failed["message"], (substitute, failed)
    missing = tmp_path / "missing.csv"
    missing.write_text("instrument,state,substitute\ntrafficking,Algeria,Chad\n",
                       encoding="utf-8")
    r = run("check", case, slate, "--substitutes", missing, "--json")
    assert r.exit_code == 1
    [failed] = json.loads(r.stdout)["violations"]
    assert failed["rule"] == "substitutes" and failed["scope"] == ["Trafficking Protocol"]
    assert "Algeria is a party to the Trafficking Protocol" in failed["message"]
    assert "no substitute is given for it (Chad could be one)" in failed["message"]
    # bad input: an unknown instrument and an unknown State, both said, nothing checked
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("instrument,state,substitute\nsmuggling-x,Benin,Atlantis\n",
                     encoding="utf-8")
    r = run("check", case, slate, "--substitutes", wrong)
    assert r.exit_code == 2
    assert "unknown instrument 'smuggling-x'" in r.output and "unknown State 'Atlantis'" in r.output
