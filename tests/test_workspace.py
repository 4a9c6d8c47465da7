"""The shared workspace (issue 25, first step): people and roles, nominations with versions,
the append-only log, in a real SQLite file, through the library and the command line."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner.errors import InputError
from planner.io.reader import shipped_cases
from planner.rules.profile import open_case
from planner.store.workspace import Forbidden, Stale, Workspace

from .test_cli import run

AF, AP = "African States", "Asia-Pacific States"


POSTGRES = os.environ.get("PLANNER_TEST_POSTGRES_URL", "")


@pytest.fixture()
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database: a SQLite file, or a new database on the PostgreSQL server whose URL
    PLANNER_TEST_POSTGRES_URL gives (.ci/postgres starts one), dropped afterwards."""
    if request.param == "sqlite":
        yield str(tmp_path / "w.sqlite")
        return
    if not POSTGRES:
        pytest.skip("no PostgreSQL server: set PLANNER_TEST_POSTGRES_URL (.ci/postgres "
                    "starts one, and .ci/run does)")
    from planner.store.workspace import database_url

    name = f"planner_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(database_url(POSTGRES), isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as db:
            db.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


BOTH = pytest.mark.parametrize("database", [
    "sqlite", pytest.param("postgresql", marks=pytest.mark.slow)], indirect=True)


@pytest.fixture()
def made(database: str) -> Iterator[tuple[Workspace, str, dict[str, str], str]]:
    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    ws, token = Workspace.create(database, profile.body, str(case.path), profile.name,
                                 "Secretariat")
    yield ws, token, case.group_of, database
    ws.engine.dispose()


def _stored(ws: Workspace, target: str) -> bytes:
    """All the workspace holds, as stored: the SQLite file's bytes, or every row of every
    table on PostgreSQL."""
    if Path(target).is_file():
        return Path(target).read_bytes()
    from planner.store.schema import metadata

    with ws.engine.connect() as db:
        return repr([db.execute(sa.select(t)).all() for t in metadata.sorted_tables]).encode()


@BOTH
def test_roles_are_enforced_for_every_caller(made: tuple[Workspace, str, dict[str, str], str]
                                            ) -> None:
    ws, secretariat_token, group_of, _target = made
    secretariat = ws.who(secretariat_token)
    assert secretariat is not None and secretariat.role == "secretariat"
    kenya = ws.who(ws.invite(secretariat, "Kenya (AG)", AF))
    japan = ws.who(ws.invite(None, "Japan (APG)", AP))
    assert kenya is not None and japan is not None and kenya.group == AF
    row = ws.nominate(kenya, "Nigeria", "Vice-President", 1, "A. Person", group_of)
    assert (row.group, row.version) == (AF, 1)
    # another group's nomination, however the request is made: refused
    with pytest.raises(Forbidden, match="Kenya \\(AG\\) coordinates the African States"):
        ws.nominate(kenya, "India", "Vice-President", 1, "", group_of)
    with pytest.raises(Forbidden):
        ws.nominate(japan, "Nigeria", "Vice-President", 2, "", group_of, version=1)
    with pytest.raises(Forbidden, match="only the secretariat"):
        ws.invite(kenya, "Someone", AF)
    with pytest.raises(Forbidden):
        ws.revoke(japan, "Kenya (AG)")
    # the secretariat changes any group's
    assert ws.nominate(secretariat, "India", "President", 1, "", group_of).group == AP
    assert [n.state for n in ws.nominations()] == ["Nigeria", "India"]


@BOTH
def test_the_second_of_two_changes_from_one_version_is_told_it_is_stale(
        made: tuple[Workspace, str, dict[str, str], str]) -> None:
    ws, token, group_of, _target = made
    secretariat = ws.who(token)
    assert secretariat is not None
    kenya = ws.who(ws.invite(secretariat, "Kenya (AG)", AF))
    assert kenya is not None
    ws.nominate(kenya, "Nigeria", "Vice-President", 1, "", group_of)
    ws.nominate(kenya, "Nigeria", "Vice-President", 2, "", group_of, version=1)
    with pytest.raises(Stale) as stale:
        ws.nominate(secretariat, "Nigeria", "Vice-President", 3, "", group_of, version=1)
    assert stale.value.current == 2
    with pytest.raises(Stale):  # a new one where one exists already
        ws.nominate(secretariat, "Nigeria", "Vice-President", 3, "", group_of)
    done = ws.nominate(kenya, "Nigeria", "Vice-President", 2, "", group_of, version=2,
                       withdrawn=True)
    assert done.withdrawn and done.version == 3


@BOTH
def test_bad_input_lists_every_problem(made: tuple[Workspace, str, dict[str, str], str]
                                       ) -> None:
    ws, token, group_of, _target = made
    secretariat = ws.who(token)
    assert secretariat is not None
    with pytest.raises(InputError) as bad:
        ws.nominate(secretariat, "Atlantis", "Emperor", 0, "", group_of)
    said = [str(p) for p in bad.value.problems]
    assert len(said) == 3
    assert any("Atlantis" in s for s in said) and any("Emperor" in s for s in said)
    assert any("priority 0" in s for s in said)
    assert ws.log()[-1].action == "invite"  # nothing was logged for the refused change


@BOTH
def test_tokens_are_kept_hashed_revocable_and_the_log_is_append_only(
        made: tuple[Workspace, str, dict[str, str], str]) -> None:
    ws, token, _group_of, target = made
    coordinator = ws.invite(None, "Kenya (AG)", AF)
    raw = _stored(ws, target)
    assert token.encode() not in raw and coordinator.encode() not in raw
    ws.revoke(None, "Kenya (AG)")
    assert ws.who(coordinator) is None and ws.who("not a token") is None
    with ws.engine.begin() as db, pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db.execute(sa.text("UPDATE log SET who = 'someone else'"))
    with ws.engine.begin() as db, pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db.execute(sa.text("DELETE FROM log"))
    if ws.engine.dialect.name == "sqlite":  # an upsert that would replace a line
        with ws.engine.begin() as db, pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.execute(sa.text("INSERT OR REPLACE INTO log (id, at, who, action, detail) "
                               "VALUES (1, 'a', 'b', 'c', '{}')"))
    ws.save_round(None, "Round 1", {"status": "solved"})
    for change in ("UPDATE rounds SET name = 'x'", "DELETE FROM rounds"):
        with ws.engine.begin() as db, pytest.raises(sa.exc.DatabaseError, match="kept as"):
            db.execute(sa.text(change))
    assert [x.action for x in ws.log()] == ["invite", "invite", "revoke", "round"]


@BOTH
def test_a_workspace_reopened_keeps_everything_and_its_schema_is_the_declared_one(
        made: tuple[Workspace, str, dict[str, str], str]) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from planner.store.schema import metadata

    ws, token, group_of, target = made
    secretariat = ws.who(token)
    assert secretariat is not None
    ws.nominate(secretariat, "Nigeria", "Vice-President", 1, "A. Person", group_of)
    ws.engine.dispose()
    again = Workspace.open(target, ws.body)
    assert [(n.state, n.person, n.updated_by) for n in again.nominations()] == [
        ("Nigeria", "A. Person", "Secretariat")]
    assert again.who(token) is not None
    with again.engine.connect() as db:
        assert compare_metadata(MigrationContext.configure(db), metadata) == []


def test_the_command_line_sets_up_invites_lists_and_revokes(tmp_path: Path) -> None:
    target = tmp_path / "cop7.sqlite"
    r = run("workspace", "init", target, "--case", "untoc-cop6-2012", "--name", "Secretariat")
    assert r.exit_code == 0, r.output
    assert "token (shown once" in r.output and "/join#" in r.output
    r = run("workspace", "init", target, "--name", "Again")
    assert r.exit_code == 2 and "already holds a workspace" in r.output
    r = run("workspace", "invite", target, "--group", "african", "--name", "Kenya (AG)")
    assert r.exit_code == 0, r.output
    r = run("workspace", "invite", target, "--group", "Atlantis", "--name", "X")
    assert r.exit_code == 2 and "unknown regional group 'Atlantis'" in r.output
    r = run("workspace", "people", target, "--json")
    assert json.loads(r.stdout)["people"] == [
        {"name": "Secretariat", "role": "secretariat", "group": None, "revoked": False},
        {"name": "Kenya (AG)", "role": "coordinator", "group": AF, "revoked": False}]
    assert run("workspace", "revoke", target, "--name", "Kenya (AG)").exit_code == 0
    assert run("workspace", "revoke", target, "--name", "Kenya (AG)").exit_code == 2
    r = run("workspace", "log", target)
    assert r.exit_code == 0 and "revoke (name Kenya (AG))" in r.output
    assert run("workspace", "people", tmp_path / "none.sqlite").exit_code == 2


@BOTH
def test_the_json_api_enforces_roles_versions_and_input(
        made: tuple[Workspace, str, dict[str, str], str]) -> None:
    """GET /api/board, POST /api/nominations and GET /api/log with Bearer tokens: 401 without
    one, 403 for another group's nomination by any crafted request, 409 on a stale version,
    422 with every problem listed, and the board as the nominations stand."""
    import warnings

    with warnings.catch_warnings():  # as tests/test_web.py imports it
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from planner.web.app import create_app

    ws, token, _group_of, _target = made
    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    api = TestClient(create_app(case, profile, workspace=ws), base_url="http://127.0.0.1")
    kenya = ws.invite(None, "Kenya (AG)", AF)

    def auth(t: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {t}"}

    assert api.get("/api/board").status_code == 401
    assert api.get("/api/board", headers=auth("forged")).status_code == 401
    assert api.get(f"/api/board?token={kenya}").status_code == 401  # never in the address
    ok = api.post("/api/nominations", headers=auth(kenya),
                  json={"state": "Nigeria", "post": "Vice-President", "priority": 1,
                        "person": "A. Person"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["nomination"]["version"] == 1
    # another group's State, by the State's name, another spelling, or a group field sent
    for crafted in ({"state": "India", "post": "Vice-President"},
                    {"state": "india", "post": "vice-president", "group": AF},
                    {"state": "Republic of India", "post": "Vice-President"}):
        r = api.post("/api/nominations", headers=auth(kenya), json=crafted)
        assert r.status_code in (403, 422), (crafted, r.text)
        assert r.status_code == 403 or "unknown State" in r.text
    stale = api.post("/api/nominations", headers=auth(token),
                     json={"state": "Nigeria", "post": "Vice-President", "priority": 2})
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    bad = api.post("/api/nominations", headers=auth(token),
                   json={"state": "Atlantis", "post": "Emperor", "priority": 0})
    assert bad.status_code == 422 and len(bad.json()["problems"]) == 3
    assert api.post("/api/nominations", headers=auth(token), content=b"[1]").status_code == 400
    board = api.get("/api/board", headers=auth(kenya))
    assert board.status_code == 200
    said = board.json()
    assert [n["state"] for n in said["nominations"]] == ["Nigeria"]
    assert said["solve"]["status"] == "solved" and said["version"] == len(ws.log())
    assert any(s["state"] == "Nigeria" for s in said["solve"]["slate"])
    tracked = {(t["group"], t["post"]): t["status"] for t in said["tracker"]}
    assert tracked[AF, "Vice-President"] == "received"
    assert tracked[AF, "President"] == "not this group's turn"
    log = api.get("/api/log?since=2", headers=auth(token)).json()["log"]
    assert [x["action"] for x in log] == ["nominate"]


@BOTH
def test_the_tracker_says_received_pending_late_and_whose_turn(
        made: tuple[Workspace, str, dict[str, str], str]) -> None:
    import datetime as dt

    from planner.rules.election import prepare

    ws, token, group_of, target = made
    secretariat = ws.who(token)
    assert secretariat is not None
    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    turn = prepare(case, profile).turn
    president = turn.group("President")
    assert president == AP  # the 6th session: the Asia-Pacific States' turn
    ws.nominate(secretariat, "Nigeria", "Vice-President", 1, "A. Person", group_of)
    ws.nominate(secretariat, "Kenya", "Vice-President", 2, "", group_of)
    ws.nominate(secretariat, "Kenya", "Vice-President", 2, "", group_of, version=1,
                withdrawn=True)
    by = {(t.group, t.post): t for t in ws.tracker(turn)}
    got = by[AF, "Vice-President"]
    assert got.status == "received" and [n.state for n in got.received] == ["Nigeria"]
    assert by[AP, "Vice-President"].status == "pending"
    assert by[AF, "President"].status == "not this group's turn"
    assert by[AP, "President"].status == "pending"
    ws.set_deadline(None, dt.datetime(2012, 10, 1, 18, tzinfo=dt.UTC))
    late = {(t.group, t.post): t.status for t in ws.tracker(turn)}
    assert late[AP, "President"] == "late" and late[AF, "Vice-President"] == "received"
    assert ws.log()[-1].action == "deadline"
    r = run("workspace", "tracker", target, "--json")
    assert r.exit_code == 0, r.output
    rows = {(t["group"], t["post"]): t for t in json.loads(r.stdout)["tracker"]}
    assert rows[AP, "President"]["status"] == "late"
    assert rows[AF, "Vice-President"]["received"] == [
        {"state": "Nigeria", "priority": 1, "person": "A. Person"}]
    assert run("workspace", "deadline", target, "--at", "soon").exit_code == 2
    assert run("workspace", "deadline", target, "--at", "2030-01-01T12:00").exit_code == 0
    r = run("workspace", "tracker", target)
    assert "Asia-Pacific States, President: pending" in r.output


def test_a_round_is_a_dated_snapshot_and_an_old_workspace_is_migrated(tmp_path: Path) -> None:
    """A workspace made at the first schema version is brought to the newest when opened
    (Alembic), keeping its people; a round saved then holds the best slate as the nominations
    stood, at the log's last line; only the secretariat saves one; names are unique."""
    from alembic import command
    from alembic.config import Config

    from planner.store.workspace import _engine
    from planner.web.consultation import SharedBoard, take_round

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    target = tmp_path / "old.sqlite"
    engine = _engine(f"sqlite:///{target}")
    config = Config()
    config.set_main_option("script_location", str(
        Path(__file__).parent.parent / "planner" / "store" / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with engine.connect() as db:
        assert "rounds" not in sa.inspect(db).get_table_names()
    with engine.begin() as db:
        db.execute(sa.text("INSERT INTO settings VALUES ('case', :c), ('profile', :p)"),
                   {"c": str(case.path), "p": profile.name})
    # the person as version 0001 kept them (written by hand: today's code writes today's schema)
    from planner.store.workspace import _hash

    token = "a token of the old workspace"
    with engine.begin() as db:
        db.execute(sa.text("INSERT INTO people (name, role, token_hash, created_at) VALUES "
                           "('Secretariat', 'secretariat', :h, '2026-01-01T00:00:00+00:00')"),
                   {"h": _hash(token)})
    engine.dispose()
    ws = Workspace.open(target, profile.body)  # migrated to the newest version
    secretariat = ws.who(token)
    assert secretariat is not None
    ws.nominate(secretariat, "Indonesia", "President", 1, "Rachmat Budiman", case.group_of)
    kenya = ws.who(ws.invite(secretariat, "Kenya (AG)", AF))
    assert kenya is not None
    shared = SharedBoard(ws, case, profile)
    with pytest.raises(Forbidden):
        take_round(shared, "Round 1", kenya)
    first = take_round(shared, "Round 1", secretariat)
    assert first.snapshot["status"] == "solved" and first.log_id == len(ws.log()) - 1
    president = next(s for s in first.snapshot["slate"] if s["post"] == "President")
    assert (president["state"], president["representative"]) == ("Indonesia", "Rachmat Budiman")
    with pytest.raises(InputError, match="already"):
        take_round(shared, "Round 1", secretariat)
    r = run("workspace", "rounds", target, "--json")
    assert [x["name"] for x in json.loads(r.stdout)["rounds"]] == ["Round 1"]
    r = run("workspace", "round", target, "--name", "Round 2")
    assert r.exit_code == 0 and "Round 2 saved at" in r.output
    assert "Round 2 (" in run("workspace", "rounds", target).output
    # the Asia-Pacific States change their candidate: the next round shows it, side by side
    ws.nominate(secretariat, "Indonesia", "President", 1, "", case.group_of, version=1,
                withdrawn=True)
    ws.nominate(secretariat, "India", "President", 1, "", case.group_of)
    take_round(shared, "Round 3", secretariat)
    r = run("workspace", "compare", target, "Round 1", "Round 3", "--json")
    said = json.loads(r.stdout)
    changed = {(x["post"], x["Round 1"], x["Round 3"]) for x in said["seats"] if x["changed"]}
    assert ("President", "Indonesia", "") in changed and ("President", "", "India") in changed
    r = run("workspace", "compare", target, "Round 1", "Round 9")
    assert r.exit_code == 2 and "no round named 'Round 9'" in r.output


@BOTH
def test_a_drawing_of_lots_is_logged_and_repeats_from_the_log_whatever_the_order(
        made: tuple[Workspace, str, dict[str, str], str]) -> None:
    from planner.domain.lots import drawn_order

    ws, token, _group_of, target = made
    secretariat = ws.who(token)
    kenya = ws.who(ws.invite(secretariat, "Kenya (AG)", AF))
    assert secretariat is not None and kenya is not None
    among = ["Indonesia", "India", "Philippines"]
    drawn = ws.draw(secretariat, "the President's seat", among, seed="2026-12-05 plenary")
    # the order given plays no part: the same seed and names, any order, the same result
    assert drawn_order("2026-12-05 plenary", list(reversed(among))) == list(drawn.order)
    assert sorted(drawn.order) == sorted(among) and drawn.drawn == drawn.order[0]
    line = ws.log()[-1]
    assert line.action == "draw" and line.detail["seed"] == "2026-12-05 plenary"
    assert line.detail["among"] == sorted(among) and line.detail["drawn"] == drawn.drawn
    # repeated by hand from the log's words, with hashlib as any tool would
    import hashlib
    by_hand = sorted(line.detail["among"], key=lambda n: hashlib.sha256(
        f"{line.detail['seed']}\n{n}".encode()).hexdigest())
    assert by_hand == line.detail["order"]
    assert ws.draws() == [(drawn, True)]
    unseeded = ws.draw(secretariat, "the Rapporteur's seat", ["Chile", "Peru"])
    assert len(unseeded.seed) == 16
    with pytest.raises(Forbidden):
        ws.draw(kenya, "anything", among)
    with pytest.raises(InputError) as bad:
        ws.draw(secretariat, " ", ["Chile"])
    assert len(bad.value.problems) == 2
    r = run("workspace", "draws", target)
    assert r.exit_code == 0 and "computed again from the log: the same" in r.output
    assert "given by the secretariat" in r.output and "made at the drawing" in r.output
    # one drawing a question; a name twice, however written, is refused (two tickets)
    with pytest.raises(InputError, match=r"(?i)lots were drawn for the President's seat"):
        ws.draw(secretariat, "the president's seat", ["Chile", "Peru"])
    with pytest.raises(InputError) as twice:
        ws.draw(secretariat, "the Vice-Presidency", ["India", "india", "INDIA\u200b", "China"])
    said = " ".join(p.message for p in twice.value.problems)
    assert "'india' is India again" in said and "invisible formatting character" in said
    with pytest.raises(InputError, match="more than 200 names"):
        ws.draw(secretariat, "a seat", [f"name {i}" for i in range(201)])


def test_a_round_restored_is_a_new_round_and_its_pack_is_checked(tmp_path: Path) -> None:
    """A round restored puts back its nominations and asks (logged) as a new round; a round's
    pack carries the case as the nominations stood and the log, and planner check reads it."""
    import openpyxl

    target = tmp_path / "w.sqlite"
    r = run("workspace", "init", target, "--case", "untoc-cop6-2012", "--name", "Secretariat")
    assert r.exit_code == 0, r.output
    ws, case, _profile = Workspace.open_with_case(target)
    (secretariat,) = ws.people()
    ws.nominate(secretariat, "Indonesia", "President", 1, "Rachmat Budiman", case.group_of)
    assert run("workspace", "round", target, "--name", "Round 1").exit_code == 0
    ws.nominate(secretariat, "Indonesia", "President", 1, "", case.group_of, version=1,
                withdrawn=True)
    ws.nominate(secretariat, "India", "President", 1, "", case.group_of)
    assert run("workspace", "round", target, "--name", "Round 2").exit_code == 0
    before = (ws.nominations(), ws.log())
    # a name already taken (or none) is refused before anything is done
    for taken in ("Round 2", "round 2", " "):
        r = run("workspace", "restore", target, "Round 1", "--name", taken)
        assert r.exit_code == 2, r.output
        assert (ws.nominations(), ws.log()) == before
    r = run("workspace", "restore", target, "Round 1", "--name", "Round 3")
    assert r.exit_code == 0, r.output
    now = {(n.state, n.post): n for n in ws.nominations()}
    assert not now[("Indonesia", "President")].withdrawn
    assert now[("India", "President")].withdrawn
    r = run("workspace", "compare", target, "Round 1", "Round 3", "--json")
    assert not any(x["changed"] for x in json.loads(r.stdout)["seats"])
    # one change, one log line: the nominations put back, each said, and the new round
    lines = ws.log()
    restored = lines[-1]
    assert restored.action == "restore" and restored.detail["as"] == "Round 3"
    assert sorted(restored.detail["changed"]) == [
        "India for President: withdrawn", "Indonesia for President: priority 1, Rachmat Budiman"]
    assert [r.name for r in ws.rounds()] == ["Round 1", "Round 2", "Round 3"]
    # every change says the round it was made after
    first_round = next(i for i, x in enumerate(lines) if x.action == "round")
    assert "after_round" not in lines[first_round].detail  # the first round follows none
    assert lines[first_round + 1].detail["after_round"] == "Round 1"
    assert restored.detail["after_round"] == "Round 2"
    pack = tmp_path / "round-1.xlsx"
    r = run("workspace", "pack", target, "Round 1", "--out", pack)
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(pack, read_only=True)
    assert "Log" in book.sheetnames
    said = [row[4] for row in book["Log"].iter_rows(min_row=2, values_only=True)]
    assert any("Rachmat Budiman" in str(x) for x in said)
    assert not any("India" in str(x) for x in said)  # the log stops at the round
    r = run("check", pack)
    assert r.exit_code == 0, r.output
    carried = [s for s in book.sheetnames if s.startswith("case.") and "nominat" in s]
    assert carried and any("Indonesia" in str(row) for row in book[carried[0]].iter_rows(
        values_only=True))


def test_the_workspace_pages_enforce_roles_csrf_and_origin_and_show_conflicts(
        tmp_path: Path) -> None:
    """The pages a person works in (planner.web.wspages), through HTTP: signing in by the
    invitation's token (kept as an HttpOnly cookie, never in an address or a page), the
    coordinator's forms refused for another group's State and for the secretariat's actions
    however crafted, every form refused without its CSRF token or from another origin, a
    stale change shown beside what is there now, the version the pages poll."""
    import re
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from planner.web.app import create_app

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    ws, token = Workspace.create(tmp_path / "w.sqlite", profile.body, str(case.path),
                                 profile.name, "Secretariat")
    kenya_token = ws.invite(None, "Kenya (AG)", AF)
    app = create_app(case, profile, workspace=ws)
    here = {"origin": "http://127.0.0.1"}

    def signed_in(given: str) -> tuple[TestClient, str]:
        client = TestClient(app, base_url="http://127.0.0.1")
        r = client.post("/session", data={"token": given}, headers=here, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/ws")
        assert "httponly" in r.headers["set-cookie"].lower()
        assert "samesite=strict" in r.headers["set-cookie"].lower()
        page = client.get("/ws")
        assert page.status_code == 200 and given not in page.text
        assert page.headers["referrer-policy"] == "no-referrer"
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert found is not None
        return client, found.group(1)

    outsider = TestClient(app, base_url="http://127.0.0.1")
    assert outsider.get("/ws", follow_redirects=False).headers["location"] == "/join"
    assert outsider.get("/ws/version").status_code == 401
    r = outsider.post("/session", data={"token": "guess"}, headers=here)
    assert r.status_code == 401
    r = outsider.post("/session", data={"token": token}, headers={"origin": "http://evil"})
    assert r.status_code == 403
    secretariat, csrf = signed_in(token)
    kenya, kcsrf = signed_in(kenya_token)
    assert "Enter a nomination" in kenya.get("/ws").text
    assert 'id="secretariat"' not in kenya.get("/ws").text

    def post(client: TestClient, path: str, **data: str) -> int:
        return client.post(path, data=data, headers=here, follow_redirects=False).status_code

    assert post(kenya, "/ws/nominations", csrf=kcsrf, state="Nigeria", post="Vice-President",
                priority="1", version="0") == 303
    # another group's State, however written; the secretariat's actions: refused
    for state in ("India", "india", "Republic of India"):
        assert post(kenya, "/ws/nominations", csrf=kcsrf, state=state,
                    post="Vice-President", version="0") in (403, 422)
    assert post(kenya, "/ws/nominations", csrf=kcsrf, state="India", post="Vice-President",
                version="0", group=AF) == 403
    assert post(kenya, "/ws/rounds", csrf=kcsrf, name="Round 1") == 403
    assert post(kenya, "/ws/draws", csrf=kcsrf, among="India\nChina", **{"for": "x"}) == 403
    assert post(kenya, "/ws/asks", csrf=kcsrf, exclude="India") == 403
    assert post(kenya, "/ws/restore", csrf=kcsrf, round="Round 1", name="x") == 403
    # no CSRF token, another's token, another origin, no origin
    assert post(kenya, "/ws/nominations", state="Nigeria", post="President") == 403
    assert post(kenya, "/ws/nominations", csrf=csrf, state="Nigeria", post="President") == 403
    assert kenya.post("/ws/nominations", data={"csrf": kcsrf}, headers={
        "origin": "http://evil.example"}).status_code == 403
    assert kenya.post("/ws/nominations", data={"csrf": kcsrf}).status_code == 403
    big = kenya.post("/ws/nominations", content=b"x" * 70_000, headers={
        **here, "content-type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413
    # two changes from one version: the second is shown what is there now, and decides
    before = secretariat.get("/ws/version").json()["version"]
    assert post(kenya, "/ws/nominations", csrf=kcsrf, state="Nigeria", post="Vice-President",
                priority="2", version="1") == 303
    r = secretariat.post("/ws/nominations", data={
        "csrf": csrf, "state": "Nigeria", "post": "Vice-President", "priority": "3",
        "person": "B. Okafor", "version": "1"}, headers=here)
    assert r.status_code == 409
    assert "Changed meanwhile" in r.text and "priority 2" in r.text and "B. Okafor" in r.text
    assert 'name="version" value="2"' in r.text  # the decision is made from what is there now
    assert secretariat.get("/ws/version").json()["version"] == before + 1
    assert post(secretariat, "/ws/nominations", csrf=csrf, state="Nigeria",
                post="Vice-President", priority="3", person="B. Okafor", version="2") == 303
    # bad input: every problem listed, 422
    r = secretariat.post("/ws/nominations", data={"csrf": csrf, "state": "Atlantis",
                                                  "post": "Emperor", "version": "0"},
                         headers=here)
    assert r.status_code == 422 and "Atlantis" in r.text and "Emperor" in r.text
    # the secretariat's asks, a round, a drawing, a pack
    assert post(secretariat, "/ws/asks", csrf=csrf, exclude="Algeria", version="0") == 303
    # made from what the board supposed before that: stale, and what was typed is kept
    r = secretariat.post("/ws/asks", data={"csrf": csrf, "exclude": "Chad\nJapan",
                                           "version": "0"}, headers=here)
    assert r.status_code == 409 and "Chad\nJapan" in r.text
    assert post(secretariat, "/ws/asks", csrf=csrf, exclude="Algeria", version="abc") == 409
    # a line with an ampersand is one supposition, not several
    r = secretariat.post("/ws/asks", data={"csrf": csrf, "fix": "President=Kenya&exclude=India",
                                           "version": str(ws.asks_version())}, headers=here)
    assert r.status_code == 422 and ws.asks() == "?exclude=Algeria"
    assert post(secretariat, "/ws/rounds", csrf=csrf, name="Round 1") == 303
    assert ws.rounds()[0].snapshot["workspace"]["asks"] == "?exclude=Algeria"
    assert "Algeria" not in {s["state"] for s in ws.rounds()[0].snapshot["slate"]}
    assert post(secretariat, "/ws/draws", csrf=csrf, among="India\nChina",
                **{"for": "the President's seat"}) == 303
    page = kenya.get("/ws").text
    assert "Round 1" in page and "drawn from China, India" in page
    r = kenya.get("/ws/pack", params={"round": "Round 1"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert kenya.get("/ws/pack", params={"round": "Round 9"}).status_code == 404
    # signing out forgets the cookie
    r = kenya.post("/ws/leave", data={"csrf": kcsrf}, headers=here, follow_redirects=False)
    assert r.status_code == 303
    assert kenya.get("/ws/version").status_code == 401


def test_every_action_has_its_json_api(tmp_path: Path) -> None:
    """Rounds (take, list, restore, pack), drawings of lots, the secretariat's asks and the
    version, each through the JSON API with its person's Bearer token and its status codes."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from planner.web.app import create_app

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    ws, token = Workspace.create(tmp_path / "w.sqlite", profile.body, str(case.path),
                                 profile.name, "Secretariat")
    kenya = {"Authorization": f"Bearer {ws.invite(None, 'Kenya (AG)', AF)}"}
    me = {"Authorization": f"Bearer {token}"}
    api = TestClient(create_app(case, profile, workspace=ws), base_url="http://127.0.0.1")
    assert api.get("/api/version").status_code == 401
    assert api.post("/api/rounds", json={"name": "Round 1"}).status_code == 401
    assert api.get("/api/board", headers=me).json()["asks_version"] == 0
    r = api.post("/api/asks", headers=me, json={"exclude": ["Algeria"], "version": 0})
    assert r.status_code == 200 and r.json()["asks"] == "?exclude=Algeria"
    assert api.post("/api/asks", headers=me, json={"exclude": ["Atlantis"], "version": 0}
                    ).status_code == 422
    assert api.post("/api/asks", headers=me, json={"exclude": ["Chad"], "version": 0}
                    ).status_code == 409  # made from the asks before the last change
    assert api.post("/api/asks", headers=me, json={"exclude": ["Chad"]}
                    ).status_code == 422  # the version seen is required
    assert api.post("/api/asks", headers=kenya, json={"exclude": ["Chad"], "version": 0}
                    ).status_code == 403
    assert api.post("/api/asks", headers=me, json={"exclude": "Chad", "version": 0}
                    ).status_code == 422
    assert api.get("/api/log", headers=me, params={"since": "9" * 40}).status_code == 422
    r = api.post("/api/nominations", headers=kenya, json={
        "state": "Kenya", "post": "Rapporteur", "person": "Ms\u0001 A" + "x" * 300})
    assert r.status_code == 422 and len(r.json()["problems"]) == 1
    assert api.post("/api/nominations", headers=kenya, json={
        "state": "Nigeria", "post": "Vice-President"}).status_code == 200
    r = api.post("/api/rounds", headers=me, json={"name": "Round 1"})
    assert r.status_code == 200 and r.json()["round"]["status"] == "solved"
    assert api.post("/api/rounds", headers=kenya, json={"name": "Round 2"}).status_code == 403
    assert api.post("/api/rounds", headers=me, json={"name": "Round 1"}).status_code == 422
    assert api.post("/api/rounds", headers=me, json={}).status_code == 422
    assert [x["name"] for x in api.get("/api/rounds", headers=kenya).json()["rounds"]] == [
        "Round 1"]
    assert api.get("/api/board", headers=kenya).json()["round"] == "Round 1"
    r = api.post("/api/rounds/restore", headers=me, json={"round": "Round 1", "name": "R2"})
    assert r.status_code == 200 and r.json()["round"]["name"] == "R2"
    assert api.post("/api/rounds/restore", headers=me, json={"round": "Round 9", "name": "x"}
                    ).status_code == 422
    r = api.get("/api/rounds/pack", headers=kenya, params={"round": "Round 1"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert api.get("/api/rounds/pack", headers=kenya, params={"round": "no"}).status_code == 404
    r = api.post("/api/draws", headers=me, json={"for": "the President's seat",
                                                 "among": ["India", "China"], "seed": "s"})
    assert r.status_code == 200 and r.json()["draws"][0]["drawn"] in ("India", "China")
    assert api.post("/api/draws", headers=kenya, json={"for": "x", "among": ["A", "B"]}
                    ).status_code == 403
    assert api.post("/api/draws", headers=me, json={"for": "x", "among": "A"}).status_code == 422
    said = api.get("/api/draws", headers=kenya).json()
    assert said["draws"][0]["repeats"] and "SHA-256" in said["method"]


def test_a_crash_mid_write_leaves_the_last_whole_state(tmp_path: Path) -> None:
    """A process killed in the middle of a change (its row written, its log line not, nothing
    committed) leaves the workspace as it was before the change, whole and readable."""
    import subprocess
    import sys

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    target = tmp_path / "w.sqlite"
    ws, token = Workspace.create(target, profile.body, str(case.path), profile.name,
                                 "Secretariat")
    secretariat = ws.who(token)
    assert secretariat is not None
    ws.nominate(secretariat, "Nigeria", "Vice-President", 1, "", case.group_of)
    before = (ws.nominations(), ws.log())
    ws.engine.dispose()
    child = (
        "import os, sys\n"
        "from planner.rules.profile import open_case\n"
        "from planner.store.workspace import Workspace\n"
        "import planner.store.workspace as w\n"
        "ws, case, profile = Workspace.open_with_case(sys.argv[1])\n"
        "who = ws.who(sys.argv[2])\n"
        "real = w.log.insert\n"
        "class Crash:\n"
        "    def values(self, **kw):\n"
        "        os._exit(9)  # killed between the row and its log line\n"
        "w.log.insert = lambda: Crash()\n"
        "ws.nominate(who, 'India', 'President', 1, '', case.group_of)\n")
    done = subprocess.run([sys.executable, "-c", child, str(target), token], check=False)
    assert done.returncode == 9
    again = Workspace.open(target, profile.body)
    assert (again.nominations(), again.log()) == before
    with again.engine.connect() as db:
        assert db.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
