"""Small cases built in memory (domain objects) or on disk (CSV tables), for tests."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from planner.domain.body import Body, GroupSpec, PostSpec
from planner.domain.case import Case, Deposit, Instrument, Membership, Nomination, Session
from planner.domain.slate import Slate
from planner.errors import Where
from planner.rules.base import check
from planner.rules.election import Election, ordered_slate, prepare
from planner.rules.kinds import GroupOfficers, PartyTo
from planner.rules.profile import Profile, load_profile

UNTOC_PROFILE = load_profile("untoc-cop")
UNTOC = UNTOC_PROFILE.body
AF, AP, EE, LA, WE = UNTOC.group_names
_PROFILES: dict[Body, Profile] = {UNTOC: UNTOC_PROFILE}


def untoc_like(body: Body, seats: int = 2, min_all: int = 2) -> Profile:
    """Rule 22's profile over another body shape, with other seat numbers."""
    rules = tuple(
        dataclasses.replace(r, count=seats) if isinstance(r, GroupOfficers)
        else dataclasses.replace(r, at_least=min_all)
        if isinstance(r, PartyTo) and r.scope == "bureau" else r
        for r in UNTOC_PROFILE.rules)
    profile = dataclasses.replace(UNTOC_PROFILE, body=body, rules=rules)
    _PROFILES[body] = profile
    return profile


def profile_of(case: Case) -> Profile:
    return _PROFILES.get(case.body, UNTOC_PROFILE)


def prep(case: Case, *args: Any, **kwargs: Any) -> Election:
    """The election of a test case under the profile it was made with."""
    return prepare(case, _PROFILES.get(case.body, UNTOC_PROFILE), *args, **kwargs)
OPENING = dt.date(2012, 10, 15)
EARLY = dt.date(2002, 1, 1)  # in force for every instrument by the opening

INSTRUMENTS = (
    Instrument("convention", "Convention", "convention", dt.date(2003, 9, 29), 30),
    Instrument("trafficking", "Trafficking Protocol", "protocol", dt.date(2003, 12, 25), 30),
    Instrument("firearms", "Firearms Protocol", "protocol", dt.date(2005, 7, 3), 30),
)
ALL = ("convention", "trafficking", "firearms")
CONV = ("convention",)
CONV_P = ("convention", "trafficking")

# a 2-group conference small enough to enumerate every slate
TINY = untoc_like(dataclasses.replace(
    UNTOC,
    conference="Tiny conference",
    conference_short="Tiny",
    groups=(GroupSpec(AF, "African"), GroupSpec(AP, "Asia-Pacific")),
    posts=(PostSpec("President", 1), PostSpec("Vice-President", 2), PostSpec("Rapporteur", 1)),
    default_cycle=(),
))

# real State names, a handful per group
NAMES = {
    AF: ["Algeria", "Benin", "Chad", "Egypt", "Ghana", "Kenya"],
    AP: ["China", "Fiji", "India", "Japan", "Nepal", "Oman"],
    EE: ["Albania", "Belarus", "Croatia", "Estonia", "Latvia", "Poland"],
    LA: ["Brazil", "Chile", "Cuba", "Haiti", "Mexico", "Peru"],
    WE: ["Austria", "Canada", "France", "Italy", "Malta", "Spain"],
}


def make_case(
    parties: Mapping[str, Iterable[str]],
    *,
    groups: Mapping[str, str] | None = None,
    spec: Profile = UNTOC_PROFILE,
    president: str | None = None,
    rapporteur: str | None = None,
    nominations: Iterable[tuple[str, str, int]] = (),
    attendance: Iterable[str] | None = None,
    deposits_on: Mapping[str, dt.date] | None = None,
    opening: dt.date = OPENING,
) -> Case:
    """parties: State -> instruments it deposited (on 2002-01-01 unless deposits_on says)."""
    group_of = dict(groups) if groups is not None else {
        s: g for g, names in NAMES.items() for s in names if s in parties
    }
    deposits = tuple(
        Deposit(s, i, (deposits_on or {}).get(s, EARLY), "ratification", Where("test"))
        for s, ids in sorted(parties.items()) for i in ids
    )
    return Case(
        name="test",
        path=Path("test"),
        body=spec.body,
        instruments=INSTRUMENTS,
        deposits=deposits,
        signatures=(),
        memberships=tuple(Membership(s, g) for s, g in sorted(group_of.items())),
        session=Session("Test conference", 6, opening, president, rapporteur),
        attendance=frozenset(attendance) if attendance is not None else None,
        nominations=tuple(Nomination(s, p, k, "", Where("test")) for s, p, k in nominations),
        rotation=(),
        warnings=(),
        files=(),
    )


def full_parties(per_group: int = 3, groups: Iterable[str] = UNTOC.group_names
                 ) -> dict[str, tuple[str, ...]]:
    """Every group with per_group States, all parties to everything."""
    return {s: ALL for g in groups for s in NAMES[g][:per_group]}


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_case(root: Path, parties: Mapping[str, Iterable[str]] | None = None,
               nominations: Iterable[tuple[str, str]] = (), president: str = AP,
               rapporteur: str = AF) -> Path:
    """A small valid case folder with a ratifications table (not UNTC files)."""
    parties = parties if parties is not None else full_parties()
    write_csv(root / "instruments.csv",
              ["instrument", "title", "kind", "adopted", "entry_into_force",
               "days_after_deposit"],
              [(i.id, i.title, i.kind, "2000-11-15", i.entry_into_force.isoformat(),
                i.days_after_deposit) for i in INSTRUMENTS])
    write_csv(root / "ratifications.csv", ["state", "instrument", "deposit_date", "action"],
              [(s, i, "2002-01-01", "") for s, ids in parties.items() for i in ids])
    write_csv(root / "groups.csv", ["state", "group"],
              [(s, g) for g, names in NAMES.items() for s in names if s in parties])
    write_csv(root / "session.csv", ["key", "value"],
              [("session", 6), ("opening_date", "2012-10-15"), ("president_group", president),
               ("rapporteur_group", rapporteur)])
    if nominations:
        write_csv(root / "nominations.csv", ["state", "post"], nominations)
    return root


def write_case_with_keys(root: Path, parties: Mapping[str, Iterable[str]], name: str,
                         keys: str) -> Path:
    """A small case folder (write_case) whose profile is the shipped UNTOC profile renamed and
    with some top-level TOML keys added, as a file `name`.toml in the case's folder."""
    from planner.rules.profile import shipped_profiles

    case = write_case(root, parties)
    text = shipped_profiles()["untoc-cop"].read_text(encoding="utf-8")
    text = text.replace('name = "untoc-cop"', f'name = "{name}"\n{keys}')
    (case / f"{name}.toml").write_text(text, encoding="utf-8")
    session = case / "session.csv"
    session.write_text(session.read_text(encoding="utf-8") + f"profile,{name}.toml\n",
                       encoding="utf-8")
    return case


def brute_force_slates(el: Election) -> list[Slate]:
    """Every assignment of the posts to distinct States of the universe that passes check,
    Vice-Presidents unordered. Tiny cases only: it grows as n^posts."""
    posts = [p.name for p in el.body.posts for _ in range(p.count)]
    out: dict[frozenset[tuple[str, str]], Slate] = {}
    for states in itertools.permutations(el.universe, len(posts)):
        held = frozenset(zip(states, posts, strict=True))
        if held not in out:
            slate = ordered_slate(el, held)
            if all(o.passed for o in check(el, slate)):
                out[held] = slate
    return list(out.values())


def visible(sheetnames: Iterable[str]) -> list[str]:
    """A workbook's sheets a person sees: not the hidden ones that carry its case."""
    return [n for n in sheetnames if not n.startswith("case.")]


def crafted_workbook(out: Path, edit: Callable[[str, bytes], bytes],
                     add: Mapping[str, str | bytes] | None = None, hidden: int = 0) -> Path:
    """A workbook as openpyxl writes it (a slate's header on its sheet, and `hidden` hidden
    sheets beside it), each part passed through edit(name, bytes), the parts in add added: the
    way to write XML no spreadsheet application would."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["post", "state"])
    for i in range(1, hidden + 1):
        wb.create_sheet(f"S{i}").sheet_state = "hidden"
    plain = out.with_name(f".plain-{out.name}")
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, edit(item.filename, src.read(item)))
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    plain.unlink()
    return out
