"""Words (issue 21): every command's printed output, on every shipped case, held to the README's
table of words a delegate never reads, and to no rule id appearing in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner.io.reader import named_profile
from planner.rules.profile import load_profile

from .test_cli import run

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.name for p in (ROOT / "inputs").iterdir() if (p / "session.csv").exists())
DEFAULT = "untoc-cop6-2012"


def never_said() -> list[tuple[str, re.Pattern[str]]]:
    """The README's "never" column, each phrase as a pattern (a number in it stands for any
    number, as its row says)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| never | instead |", 1)[1].split("\n\n", 1)[0]
    out = []
    for line in table.splitlines()[2:]:
        phrase = line.split("|")[1].strip()
        phrase = re.sub(r"\s*\(any number\)", "", phrase)
        pattern = re.sub(r"\d+", r"\\d+", re.escape(phrase))
        out.append((phrase, re.compile(pattern, re.IGNORECASE)))
    return out


def printed(case: str, tmp: Path) -> dict[str, str]:
    """What each command prints on the case, as a delegate runs it (no --json)."""
    out: dict[str, str] = {}

    def say(name: str, *args: str | Path) -> str:
        r = run(*args)
        assert r.exit_code in (0, 1), (name, r.output)
        out[name] = r.output
        return r.output

    slate = tmp / f"{case}-slate.xlsx"
    say("solve", "solve", case, "--out", slate)
    say("check", "check", case, slate)
    say("status", "status", case)
    say("rotation", "rotation", case)
    say("room", "room", case, "--no-write")
    alts = tmp / f"{case}-alternatives.xlsx"
    say("alternatives", "alternatives", case, "-k", "3", "--out", alts)
    say("compare", "compare", alts, "--no-write")
    profile = load_profile(named_profile(ROOT / "inputs" / case))
    posts = [p.name for p in profile.body.posts]
    say("candidates", "candidates", case, "--slate", slate, "--post", posts[-1], "--no-write")
    from openpyxl import load_workbook

    rows = load_workbook(slate, read_only=True)["Slate"].iter_rows(values_only=True)
    header, first = list(next(rows)), next(rows)
    officer = str(first[header.index("state")])
    say("replace", "replace", case, "--slate", slate, "--withdraw", officer, "--no-write")
    say("profile show", "profile", "show", profile.name)
    if case == DEFAULT:
        groups = [g.short for g in profile.body.groups]
        say("alternatives --vary", "alternatives", case, "--vary", groups[2], "-k", "6",
            "--no-write")
        say("plan", "plan", case, "--sessions", "7-8", "--no-write")
    return out


def held_to_the_table(outputs: dict[str, str], ids: set[str]) -> list[str]:
    """What in the outputs the README's words forbid: a phrase of its "never" table, a rule's
    id, a table's row wider than a terminal's 100 columns."""
    wrong = []
    for command, text in outputs.items():
        wrong += [f"{command} prints a row of {len(line)} columns: {line[:40]}..."
                  for line in text.splitlines() if "  " in line.strip() and len(line) > 100
                  and command != "profile show"]  # prose, a rule a line
        for phrase, pattern in never_said():
            if (m := pattern.search(text)) is not None:
                wrong.append(f"{command} says {m.group(0)!r} (the README: never {phrase!r})")
        # profile show is the reference for whoever writes a profile: it gives the ids
        for rule_id in ids if command != "profile show" else ():
            if re.search(rf"(?<![\w-]){re.escape(rule_id)}(?![\w-])", text):
                wrong.append(f"{command} names the rule id {rule_id!r}")
    return wrong


def _ids(case: str) -> set[str]:
    profile = load_profile(named_profile(ROOT / "inputs" / case))
    # ids that could pass for words (nominations) are not telling; ids with an underscore are
    return {r.id for r in (*profile.rules, *profile.preferences) if "_" in r.id}


def test_the_never_table_is_read() -> None:
    phrases = [p for p, _pattern in never_said()]
    assert "valid pairs" in phrases and len(phrases) >= 5
    # the held patterns do catch what they stand for
    pattern = dict(never_said())["tie-break 5310101"]
    assert pattern.search("Tie-break 42 chose it")


def test_every_command_on_the_default_case_speaks_the_readmes_words(tmp_path: Path) -> None:
    outputs = printed(DEFAULT, tmp_path)
    assert held_to_the_table(outputs, _ids(DEFAULT)) == []
    # room lists who is on some valid slate; "can sit" is status's word (eligible)
    assert "can sit" not in outputs["room"]
    assert "States can sit" in outputs["status"]


def test_a_rogue_word_is_caught() -> None:
    wrong = held_to_the_table({"solve": "2 valid pairs; breaks two_per_group\n"
                                        + "x  " * 40}, {"two_per_group"})
    assert len(wrong) == 3, wrong


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if c != DEFAULT])
def test_every_command_on_every_shipped_case_speaks_the_readmes_words(
        case: str, tmp_path: Path) -> None:
    assert held_to_the_table(printed(case, tmp_path), _ids(case)) == []
