"""Open seats (issue 23): where a profile allows it, a group may leave a seat open pending its
consultations. The seat is left open only where no valid slate fills it, is said with why on
every face, may be fixed open, and is refused where the profile does not allow it."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

from openpyxl import load_workbook

from planner.rules.election import prepare
from planner.rules.profile import Profile, profile_from_data, shipped_profiles
from planner.solve.best import solve

from .factory import (
    AF,
    ALL,
    CONV,
    CONV_P,
    UNTOC,
    full_parties,
    make_case,
    write_case,
    write_case_with_keys,
)
from .test_cli import run

OTHERS = [g for g in UNTOC.group_names if g != AF]
WEOG = "Western European and other States"


def _case(tmp_path: Path, parties: dict[str, tuple[str, ...]], allow: str = "true") -> Path:
    """A UNTOC case whose profile lets a group leave a seat open (allow: the key's value)."""
    return write_case_with_keys(tmp_path / "case", parties, "open", f"open_seats = {allow}")


def test_a_group_short_of_states_leaves_its_seat_open_and_says_why(tmp_path: Path) -> None:
    # the African States have one State present: their second seat stays open
    case = _case(tmp_path, {**full_parties(3, OTHERS), "Algeria": ALL})
    r = run("solve", case, "--json", "--no-write")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "solved"
    opened = [s for s in data["slate"] if s["state"].startswith("open seat")]
    assert [(s["state"], s["group"]) for s in opened] == [(f"open seat ({AF})", AF)]
    [said] = data["open_seats"]
    assert said["group"] == AF and said["post"] == opened[0]["post"]
    assert "fewer than the 2 officers the group holds" in said["why"]
    assert "Algeria" in said["why"]
    out = run("solve", case, "--no-write").output
    assert f"Seat left open: a {said['post']} seat of the {AF} is left open: no valid" in out
    assert "seats left open 1 (lower is better)" in out
    # the Bureau page says it too, and the pack reads back as the slate it shows
    pack = tmp_path / "pack.xlsx"
    assert run("solve", case, "--out", pack).exit_code == 0
    page = list(load_workbook(pack)["Bureau"].iter_rows(values_only=True))
    assert any(row[0] == "Seat left open" and AF in str(row[1]) for row in page)
    shutil.copy(case / "open.toml", tmp_path / "open.toml")  # the pack names its profile
    assert run("check", pack).exit_code == 0


def test_a_seat_is_never_left_open_where_the_rules_fill_it() -> None:
    """The same slate with and without open seats allowed, wherever a full slate exists; and a
    conflict no group's seat causes stays a conflict."""
    data = tomllib.loads(shipped_profiles()["untoc-cop"].read_text(encoding="utf-8"))
    allowing = profile_from_data({**data, "open_seats": True}, "open.toml")
    without = profile_from_data(data, "plain.toml")
    for parties in (full_parties(2), {**full_parties(2, OTHERS), "Algeria": ALL,
                                      "Benin": CONV}):
        case = make_case(parties, spec=without)
        a, b = solve(prepare(case, allowing)), solve(prepare(case, without))
        assert a.status == b.status == "solved"
        assert [(s.post, s.state) for s in a.slate] == [(s.post, s.state) for s in b.slate]
    # no African State party to a Protocol: an open seat meets no standing, so it cannot
    # stand for the party the group must have, and the slate stays impossible
    case = make_case({**full_parties(2, OTHERS), "Algeria": CONV, "Benin": CONV},
                     spec=without)
    result = solve(prepare(case, allowing))
    assert result.status == "infeasible"
    assert solve(prepare(case, without)).status == "infeasible"


def _untoc_allowing(posts: list[str]) -> tuple[Profile, Profile]:
    data = tomllib.loads(shipped_profiles()["untoc-cop"].read_text(encoding="utf-8"))
    return (profile_from_data({**data, "open_seats": posts}, "open.toml"),
            profile_from_data(data, "plain.toml"))


def test_only_the_posts_named_may_be_left_open() -> None:
    # the presidency is the African States' turn and Algeria their one State present: it
    # presides, and their other seat is a Vice-Presidency left open
    allowing, plain = _untoc_allowing(["Vice-President"])
    parties = {**full_parties(3, OTHERS), "Algeria": ALL}
    result = solve(prepare(make_case(parties, spec=plain, president=AF), allowing))
    assert result.status == "solved"
    held = {(s.post, s.state) for s in result.slate}
    assert ("President", "Algeria") in held and ("Vice-President", f"open seat ({AF})") in held
    # a Rapporteur's seat may be left open, a Vice-President's not: with the Rapporteur's
    # turn another group's, the African States' second seat cannot be open, and the rule
    # that says so is named
    allowing, plain = _untoc_allowing(["Rapporteur"])
    result = solve(prepare(make_case(parties, spec=plain, president=AF), allowing))
    assert result.status == "infeasible"
    assert "open_seats" in {x.rule for x in result.conflicts}


def test_a_seat_fixed_open_is_said_as_asked(tmp_path: Path) -> None:
    case = _case(tmp_path, full_parties(3))
    r = run("alternatives", case, "-k", "1", "--json", "--no-write",
            "--fix", f"Vice-President=open seat ({WEOG})")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    slate = data["slates"][0]["slate"]
    assert {"post": "Vice-President", "state": f"open seat ({WEOG})"}.items() <= next(
        s for s in slate if s["state"].startswith("open seat")).items()


def test_an_open_seat_is_refused_where_the_profile_allows_none(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case", {**full_parties(3, OTHERS), "Algeria": CONV_P})
    solved = json.loads(run("solve", case, "--json", "--no-write").stdout)
    assert solved["status"] == "infeasible"
    rows = ["post,state"]
    slate = tmp_path / "slate.csv"
    rows += [f"{s['post']},{s['state']}" for s in json.loads(
        run("solve", _case(tmp_path / "other", {**full_parties(3, OTHERS), "Algeria": CONV_P}),
            "--json", "--no-write").stdout)["slate"]]
    slate.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = run("check", case, slate)
    assert r.exit_code == 2
    assert "lets no seat be left open" in r.output and "state" in r.output
    r = run("alternatives", case, "--no-write", "--fix", f"Vice-President=open seat ({AF})")
    assert r.exit_code == 2 and "lets no seat be left open" in r.output
    # and where it allows one, the same slate passes
    r = run("check", _case(tmp_path / "again", {**full_parties(3, OTHERS), "Algeria": CONV_P}),
            slate)
    assert r.exit_code == 0, r.output


def test_the_board_shows_the_open_seat_and_fixes_one_open(tmp_path: Path) -> None:
    import warnings

    from planner.rules.profile import open_case
    from planner.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    case, profile = open_case(_case(tmp_path, {**full_parties(3, OTHERS), "Algeria": ALL}))
    client = TestClient(create_app(case, profile), base_url="http://127.0.0.1")
    r = client.get("/")
    assert r.status_code == 200
    assert f"Seat left open: a Vice-President seat of the {AF} is left open" in r.text
    # a seat fixed open from the address, as "keep here" makes it; a State's group refused
    r = client.get("/", params={"fix": f"Vice-President=open seat ({WEOG})"})
    assert r.status_code == 200
    assert f"of the {WEOG} is left open: asked for" in r.text
    plain, _p = open_case(write_case(tmp_path / "plain", full_parties(3)))
    other = TestClient(create_app(plain, _p), base_url="http://127.0.0.1")
    r = other.get("/", params={"fix": f"Vice-President=open seat ({WEOG})"})
    assert r.status_code == 400 and "lets no seat be left open" in r.text


def test_a_plan_never_leaves_a_seat_open_to_be_fairer() -> None:
    """The African States have two States, both needed at every session: a plan of two
    sessions has them serve twice (a breach of fairness) rather than leave a seat open."""
    from planner.consult.plan import plan

    allowing, plain = _untoc_allowing(["Vice-President", "Rapporteur"])
    case = make_case({**full_parties(4, OTHERS), "Algeria": ALL, "Benin": ALL}, spec=plain)
    result = plan(case, allowing, [6, 7])
    assert result.status == "solved"
    for session in result.sessions:
        assert not [s for s in session.slate if s.state.startswith("open seat")], session.slate
        assert {"Algeria", "Benin"} <= {s.state for s in session.slate}


def test_a_seat_left_open_is_not_recorded_as_served(tmp_path: Path) -> None:
    """UNEA-6's Bureau, recorded with its vacant seat: the history holds the nine officers, the
    recorded case reads back, and the record says which seat it left out."""
    record = Path(__file__).parent / "data" / "unea6-bureau.csv"
    out = tmp_path / "elected.xlsx"
    r = run("record", "unea-6-2024", record, "--out", out)
    assert r.exit_code == 0, r.output
    assert ("Not recorded: a Vice-President seat of the Western European and other States, "
            "left open") in r.output
    assert "(9 officers)" in r.output
    again = run("solve", out, "--json", "--no-write")
    assert again.exit_code == 0, again.output


def test_a_group_leaves_one_seat_open_at_most(tmp_path: Path) -> None:
    record = (Path(__file__).parent / "data" / "unea6-bureau.csv").read_text(encoding="utf-8")
    two = tmp_path / "two.csv"
    two.write_text(record.replace("Vice-President,Portugal,",
                                  f"Vice-President,open seat ({WEOG}),"), encoding="utf-8")
    r = run("check", "unea-6-2024", two, "--json")
    assert r.exit_code == 1
    [broken] = json.loads(r.stdout)["violations"]
    assert broken["rule"] == "one_post_per_state"
    assert f"seats the {WEOG} leave open: the rule allows at most 1" in broken["message"]
