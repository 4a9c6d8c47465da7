"""Whose turn it is (planner.domain.rotation): the cycle read from the recent record, a swap
given back, older departures kept as history, posts that follow the head post at any offset,
rotation tables (the case's, the profile's) that win over the cycle; and the one-step
prediction measured on the public record of UNFCCC presidencies."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from planner.domain.case import Case, PastOfficer, RotationEntry
from planner.domain.rotation import cycle_of, read_record, turns
from planner.io.reader import load_case, shipped_cases
from planner.rules.election import prepare
from planner.rules.profile import load_profile, open_case, profile_from_data

from .factory import AF, AP, EE, LA, UNTOC, WE, full_parties, make_case, prep
from .test_cli import run

CYCLE = (AP, EE, LA, WE, AF)
GROUPS = (AF, AP, EE, LA, WE)
DATA = Path(__file__).parent / "data"


def test_a_complete_run_fixes_the_cycle() -> None:
    reading = read_record(dict(zip(range(1, 6), CYCLE, strict=True)), GROUPS)
    assert reading is not None and reading.fits == 5 and not reading.owed
    assert [reading.order[s % 5] for s in range(1, 11)] == list(CYCLE) * 2


def test_four_sessions_fix_the_fifth() -> None:
    reading = read_record({1: AP, 2: EE, 3: LA, 4: WE}, GROUPS)
    assert reading is not None and reading.order[5 % 5] == AF


def test_too_short_a_record_leaves_places_open_without_a_default() -> None:
    reading = read_record({1: AP, 5: AF, 6: AP}, GROUPS)
    assert reading is not None and reading.order.count(None) == 3


def test_the_recent_record_wins_over_the_oldest() -> None:
    """Ten sessions in one order, then three runs in another: the recent order is read,
    where the earliest sessions used to fix it."""
    old = dict(zip(range(1, 11), CYCLE * 2, strict=True))
    shifted = (EE, AP, LA, WE, AF)
    new = dict(zip(range(11, 26), shifted * 3, strict=True))
    reading = read_record({**old, **new}, GROUPS)
    assert reading is not None
    assert [reading.order[s % 5] for s in range(26, 31)] == list(shifted)


def test_a_group_that_took_a_turn_gives_it_back() -> None:
    """COP 15 and 16: Denmark presided in the Latin American and Caribbean States' place, and
    Mexico took the next turn, the Western European and other States'."""
    record = dict(zip(range(6, 15), (WE, AF, AP, EE, LA, WE, AF, AP, EE), strict=True))
    record[15] = WE
    reading = read_record(record, GROUPS)
    assert reading is not None and reading.owed == ((16, LA),)


def with_rotation(case: Case, rows: list[tuple[int, str, str]], **session: object) -> Case:
    return dataclasses.replace(
        case, rotation=tuple(RotationEntry(*r) for r in rows),
        session=dataclasses.replace(case.session, **session))  # type: ignore[arg-type]


def test_turns_from_the_record_and_the_rapporteur_offset() -> None:
    base = make_case(full_parties(2))
    case = with_rotation(base, [(s, "President", g) for s, g in zip(range(1, 5), CYCLE[:4],
                                                                      strict=True)],
                         president_group=None, rapporteur_group=None)
    cycle = cycle_of(case)
    assert cycle.source == "record" and "sessions 1 to 4" in cycle.evidence
    assert cycle.sure.startswith("4 of the 4 session(s) read fit it")
    t = {x.session: x for x in turns(case, range(6, 9))}
    assert (t[6].president_group, t[6].rapporteur_group) == (AP, AF)
    assert (t[7].president_group, t[7].rapporteur_group) == (EE, AP)
    two = dataclasses.replace(case, session=dataclasses.replace(case.session,
                                                                rapporteur_offset=2))
    t2 = {x.session: x for x in turns(two, range(7, 9))}
    assert t2[8].rapporteur_group == t[6].president_group == AP
    assert "at session 6 (offset 2" in t2[8].basis


def test_a_record_that_departs_from_the_setting_names_the_session() -> None:
    base = make_case(full_parties(2))
    case = with_rotation(base, [(1, "President", AP), (2, "President", LA)],
                         president_group=None, rapporteur_group=None, rotation_cycle=CYCLE,
                         rotation_start=1)
    cycle = cycle_of(case)
    assert cycle.source == "setting"
    assert cycle.breaks == ("session 2 departs from the cycle: its President came from the "
                            "Latin American and Caribbean States, the cycle gives the Eastern "
                            "European States",)
    el = prep(case)
    assert any("the record departs from it at session(s) 2 " in n for n in el.notes)


def test_the_bureau_history_is_read_as_the_record() -> None:
    base = make_case(full_parties(2), president=None)
    history = tuple(PastOfficer(s, "President", state) for s, state in
                    zip(range(1, 6), ("China", "Albania", "Brazil", "Austria", "Algeria"),
                        strict=True))
    case = dataclasses.replace(base, history=history,
                               memberships=(*base.memberships,))
    cycle = cycle_of(case)
    assert cycle.source == "record" and cycle.at(6) == AP


def test_shipped_untoc_case_keeps_its_turns() -> None:
    case = load_case(shipped_cases()["untoc-cop6-2012"], UNTOC)
    t = turns(case, range(6, 11))
    assert [x.president_group for x in t] == [AP, EE, LA, WE, AF]
    assert [x.rapporteur_group for x in t] == [AF, AP, EE, LA, WE]
    assert "the default cycle gives the rest" in cycle_of(case).evidence


def test_the_cnd_rapporteur_follows_the_chairs_cycle() -> None:
    case, profile = open_case(shipped_cases()["cnd-69-2026"])
    el = prepare(case, profile)
    assert el.post_group("Chair") == EE
    assert el.post_group("Rapporteur") == AP  # India chaired the 68th session
    # the history's numbered posts read as the profile's posts
    assert {h.post for h in case.history} == {"Chair", "Vice-Chair", "Rapporteur"}


def test_a_published_table_wins_for_any_post(tmp_path: Path) -> None:
    """A profile's published rotation table, and a case's rotation table in rows of session,
    post and group, settle the group of a post at a session over the cycle."""
    data = {
        "name": "published", "conference": "A body", "source": "its rules",
        "eligibility": "membership",
        "posts": [{"name": "Chair", "count": 1}, {"name": "Vice-Chair", "count": 3},
                  {"name": "Rapporteur", "count": 1}],
        "rotation": {"post": "Chair", "follows": [{"post": "Rapporteur", "offset": -1}],
                     "default_cycle": list(GROUPS), "default_start": 1,
                     "published": [{"session": 9, "post": "Rapporteur", "group": WE}]},
        "rules": [{"kind": "post_counts", "citation": "r", "text": "t"},
                  {"kind": "one_post_per_state", "citation": "r", "text": "t"},
                  {"kind": "eligibility", "citation": "r", "text": "t"}],
    }
    profile = profile_from_data(data, "published.toml")
    body = profile.body
    assert body.followers == (("Rapporteur", -1),)
    case = dataclasses.replace(make_case(full_parties(2)), body=body,
                               session=dataclasses.replace(make_case({}).session,
                                                           president_group=None,
                                                           rapporteur_group=None))
    t = {x.session: x for x in turns(case, range(6, 10))}
    # the Rapporteur's group is the one whose turn comes next, but where published
    assert t[6].group("Rapporteur") == t[7].group("Chair")
    assert t[9].group("Rapporteur") == WE and "rotation table" in t[9].of("Rapporteur").basis
    case = with_rotation(case, [(7, "Chair", LA)])
    assert turns(case, [7])[0].group("Chair") == LA


def test_the_rotation_table_reads_both_forms(tmp_path: Path) -> None:
    from .factory import write_case, write_csv

    root = write_case(tmp_path / "case")
    write_csv(root / "rotation.csv", ["session", "post", "group"],
              [(4, "President", "WEOG"), (4, "Rapporteur", "GRULAC")])
    case = load_case(root, UNTOC)
    assert case.rotation_rows() == ((4, "President", WE), (4, "Rapporteur", LA))
    write_csv(root / "rotation.csv", ["session", "president_group", "rapporteur_group"],
              [(4, "WEOG", "GRULAC")])
    assert load_case(root, UNTOC).rotation_rows() == ((4, "President", WE),
                                                      (4, "Rapporteur", LA))
    write_csv(root / "rotation.csv", ["session", "post", "group"],
              [(4, "Vice-President", "WEOG")])
    r = run("solve", root, "--no-write")
    assert r.exit_code == 2 and "the Vice-President does not rotate in this body" in r.output


def _unfccc_record() -> dict[int, str]:
    with (DATA / "unfccc_presidencies.csv").open(encoding="utf-8") as fh:
        return {int(r["session"]): r["group"] for r in csv.DictReader(fh) if r["group"]}


def one_step(record: dict[int, str], first: int = 5) -> tuple[int, int, list[int]]:
    """Each session from `first` on predicted as `planner rotation` would at that session,
    from the record of the sessions before it alone (a case of the UNFCCC profile whose
    rotation table holds them): right, out of, and the sessions missed."""
    case, _profile = open_case(shipped_cases()["unfccc-cop29-2024"])
    right, missed = 0, []
    for k in sorted(s for s in record if s >= first):
        before = with_rotation(case, [(s, "President", g) for s, g in sorted(record.items())
                                      if s < k],
                               number=k, president_group=None, presidency=None)
        before = dataclasses.replace(before, history=())
        if turns(before, [k])[0].president_group == record[k]:
            right += 1
        else:
            missed.append(k)
    return right, len([s for s in record if s >= first]), missed


def test_one_step_prediction_on_the_unfccc_record_beats_the_default_cycle() -> None:
    record = _unfccc_record()
    assert len(record) == 30
    right, total, missed = one_step(record)
    body = load_profile("unfccc-cop").body
    default = sum(1 for k in range(5, 31) if record[k] == body.default_cycle[
        (k - body.default_cycle_start) % 5])
    assert (right, total, default) == (24, 26, 23), missed
    assert missed == [9, 15]

