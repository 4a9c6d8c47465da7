"""New rules written in TOML and CSV alone, as a secretariat would add them: "at least one
officer from the least developed countries" on the UNFCCC COP (the UN's list of November 2024
as an attributes table) and "at least three women" on the CND (the representatives' gender
carried by the nominations). Each solves, checks and counts correctly: the count with the rule
is the count without it less the slates the opposite rule counts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from planner.io.reader import shipped_cases
from planner.rules.profile import shipped_profiles

from .factory import write_csv
from .test_cli import run

DATA = Path(__file__).parent / "data"

LDC_RULE = '''
[[rules]]
kind = "quota"
id = "ldc_officer"
label = "an officer from the least developed countries"
citation = "an example decision"
text = "At least one officer is from the least developed countries."
attribute = "ldc"
value = "yes"
bound = "{bound}"
count = {count}
officers = "from the least developed countries"
'''

WOMEN_RULE = '''
[[rules]]
kind = "quota"
id = "women"
label = "three women"
citation = "an example decision"
text = "At least three officers are women."
attribute = "gender"
value = "female"
bound = "{bound}"
count = {count}
officers = "who are women"
'''


def _profile(tmp_path: Path, shipped: str, rule: str, bound: str, count: int) -> Path:
    text = shipped_profiles()[shipped].read_text(encoding="utf-8")
    path = tmp_path / f"{shipped}-{bound}-{count}.toml"
    path.write_text(text.replace(f'name = "{shipped}"', f'name = "{shipped}-quota"')
                    + rule.format(bound=bound, count=count), encoding="utf-8")
    return path


def _count(case: Path, profile: Path | str) -> int:
    r = run("room", case, "--profile", profile, "--json", "--no-write")
    assert r.exit_code in (0, 1), r.output
    total = json.loads(r.stdout)["total_slates"]
    assert isinstance(total, int)
    return total


@pytest.mark.slow
def test_at_least_one_ldc_officer_in_toml_and_csv(tmp_path: Path) -> None:
    case = tmp_path / "cop29"
    shutil.copytree(shipped_cases()["unfccc-cop29-2024"], case)
    sids = (case / "attributes.csv").read_text(encoding="utf-8")
    ldc = (DATA / "ldc_2024-11.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    (case / "attributes.csv").write_text(sids + ldc, encoding="utf-8")
    rule = _profile(tmp_path, "unfccc-cop", LDC_RULE, "at_least", 1)
    none = _profile(tmp_path, "unfccc-cop", LDC_RULE, "at_most", 0)
    # solve: a slate with an officer from the least developed countries, which check passes
    r = run("solve", case, "--profile", rule, "--json", "--out", tmp_path / "ldc.xlsx")
    assert r.exit_code == 0, r.output
    listed = {line.split(",")[0] for line in ldc.splitlines() if line}
    slate = json.loads(r.stdout)["slate"]
    assert any(s["state"] in listed for s in slate)
    assert run("check", tmp_path / "ldc.xlsx").exit_code == 0
    # a slate with none fails it, the rule named in its words, and passes the shipped profile
    r = run("solve", case, "--profile", none, "--json", "--no-write")
    assert r.exit_code == 0, r.output
    without = json.loads(r.stdout)["slate"]
    assert not any(s["state"] in listed for s in without)
    plain = tmp_path / "plain.csv"
    write_csv(plain, ["post", "state"], [(s["post"], s["state"]) for s in without])
    bad = run("check", case, plain, "--profile", rule, "--json")
    assert bad.exit_code == 1
    assert [v["rule"] for v in json.loads(bad.stdout)["violations"]] == ["ldc_officer"]
    assert "officers from the least developed countries: the rule asks for at least 1" in bad.stdout
    assert run("check", case, plain).exit_code == 0
    # count: every valid slate has an officer from the list, or none
    assert _count(case, rule) + _count(case, none) == _count(case, "unfccc-cop") > 0
    assert _count(case, none) > 0


def test_at_least_three_women_in_toml_and_csv(tmp_path: Path) -> None:
    """The nominations carry each representative's gender in a column of their own; the
    groups' first choices are men, so the rule moves seats to their second choices."""
    case = tmp_path / "cnd"
    shutil.copytree(shipped_cases()["cnd-69-2026"], case)
    write_csv(case / "nominations.csv", ["state", "post", "priority", "person", "gender"], [
        ("Armenia", "Chair", 1, "A. Hovhannisyan", "male"),
        ("Kenya", "Vice-Chair", 1, "Person K", "male"),
        ("Ghana", "Vice-Chair", 2, "Person G", "female"),
        ("Argentina", "Vice-Chair", 1, "Person B", "male"),
        ("Mexico", "Vice-Chair", 2, "Person M", "female"),
        ("Austria", "Vice-Chair", 1, "Person A", "male"),
        ("Spain", "Vice-Chair", 2, "Person S", "female"),
        ("Japan", "Rapporteur", 1, "Person J", "male"),
        ("China", "Rapporteur", 2, "Person C", "female"),
    ])
    rule = _profile(tmp_path, "ecosoc-commission", WOMEN_RULE, "at_least", 3)
    fewer = _profile(tmp_path, "ecosoc-commission", WOMEN_RULE, "at_most", 2)
    r = run("solve", case, "--profile", rule, "--json", "--out", tmp_path / "women.xlsx")
    assert r.exit_code == 0, r.output
    slate = json.loads(r.stdout)["slate"]
    women = {"Ghana", "Mexico", "Spain", "China"}
    assert sum(s["state"] in women for s in slate) == 3
    assert all(s["representative"] for s in slate)  # the nominations' persons
    assert run("check", tmp_path / "women.xlsx").exit_code == 0
    # the groups' first choices alone: two women short, named in the rule's words
    firsts = tmp_path / "firsts.csv"
    write_csv(firsts, ["post", "state"], [
        ("Chair", "Armenia"), ("Vice-Chair", "Kenya"), ("Vice-Chair", "Argentina"),
        ("Vice-Chair", "Austria"), ("Rapporteur", "Japan")])
    bad = run("check", case, firsts, "--profile", rule, "--json")
    assert bad.exit_code == 1
    assert [v["rule"] for v in json.loads(bad.stdout)["violations"]] == ["women"]
    assert "officers who are women: the rule asks for at least 3, this slate has 0" in bad.stdout
    assert _count(case, rule) + _count(case, fewer) == _count(case, "ecosoc-commission") > 0


def test_an_attribute_no_rule_reads_is_said(tmp_path: Path) -> None:
    """A misspelt column is not silently taken for another: the note names it."""
    case = tmp_path / "cnd"
    shutil.copytree(shipped_cases()["cnd-69-2026"], case)
    write_csv(case / "nominations.csv", ["state", "post", "gendr"],
              [("Armenia", "Chair", "female")])
    rule = _profile(tmp_path, "ecosoc-commission", WOMEN_RULE, "at_least", 1)
    r = run("solve", case, "--profile", rule, "--no-write")
    assert "the attribute 'gendr', but no rule of the ecosoc-commission-quota profile reads it" in (
        r.output)
