"""The workspace's board: the case as the groups' nominations and the secretariat's asks stand,
computed once for each version of the workspace (a change moves the version on; every person
looking at the same version is shown the same board, computed once); rounds taken from it,
restored, and their packs."""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from planner.domain.case import Case, Nomination
from planner.errors import Where
from planner.rules.profile import Profile
from planner.store.workspace import Person, Round, Workspace
from planner.web.board import Board, BoardState, build, parse_state

KEPT_BOARDS = 4  # versions kept: a board just replaced may still be asked for


def asked(case: Case, profile: Profile, query: str) -> BoardState:
    """The secretariat's asks (a board's query) read against the case, as the board reads its
    address."""
    return parse_state(parse_qs(query.lstrip("?")), case, profile.open_seats)


def with_nominations(case: Case, rows: list[dict[str, Any]], where: str) -> Case:
    return dataclasses.replace(case, nominations=tuple(
        Nomination(n["state"], n["post"], n["priority"], n["person"], Where(where))
        for n in rows if not n.get("withdrawn")))


class SharedBoard:
    """The workspace's board for its current version, built once per version (in the caller's
    thread; two asking at once for a version not yet built wait for one build)."""

    def __init__(self, ws: Workspace, case: Case, profile: Profile) -> None:
        self.ws, self.case, self.profile = ws, case, profile
        self._boards: OrderedDict[int, Board] = OrderedDict()
        self._lock = threading.Lock()

    def current(self) -> tuple[int, Board]:
        version = self.ws.version()
        with self._lock:
            if version not in self._boards:
                # the version read before the nominations: a change landing between the two
                # moves the version on, and the next request builds again
                nominated = self.ws.case_with_nominations(self.case)
                self._boards[version] = build(nominated, self.profile,
                                              asked(nominated, self.profile, self.ws.asks()))
                while len(self._boards) > KEPT_BOARDS:
                    self._boards.popitem(last=False)
            return version, self._boards[version]


def _snapshot(board: Board, version: int, group_of: dict[str, str]) -> dict[str, Any]:
    """What a round keeps: its board (the best slate, its score, counts and check, as solve
    --json gives them) and the nominations and asks that board was built from, read from the
    board itself (so that a change landing meanwhile cannot mix two versions)."""
    rows = [{"group": group_of.get(n.state, ""), "state": n.state, "post": n.post,
             "priority": n.priority, "person": n.person} for n in board.case.nominations]
    return {**board.solve,
            "counts": {"exact": board.room.get("exact"),
                       "total_slates": board.room.get("total_slates"),
                       "not_exact_because": board.room.get("not_exact_because")},
            "workspace": {"version": version, "asks": board.state.query(),
                          "nominations": rows}}


def take_round(shared: SharedBoard, name: str, by: Person | None = None) -> Round:
    """A round: the board as the workspace stands, with the nominations and asks it was built
    from, saved under a name. The secretariat's."""
    version, board = shared.current()
    return shared.ws.save_round(by, name, _snapshot(board, version, shared.case.group_of))


def round_board(case: Case, profile: Profile, taken: Round) -> Board:
    """A round's board, built again from the nominations and asks it was taken with (the same
    slate: the planner is deterministic)."""
    kept = taken.snapshot.get("workspace") or {}
    nominated = with_nominations(case, kept.get("nominations", []), f"round {taken.name}")
    return build(nominated, profile, asked(nominated, profile, kept.get("asks", "")))


def write_round_pack(ws: Workspace, case: Case, profile: Profile, taken: Round,
                     target: Path) -> None:
    """A round's consultation pack: the solve workbook of its board, its case inside (the
    nominations as they stood), and the log up to the round."""
    from planner.report.files import Table
    from planner.report.render import log_said, write_book
    from planner.report.workbook import SheetData

    board = round_board(case, profile, taken)
    view = board.pack
    lines = [x for x in ws.log() if x.id <= taken.log_id]
    _data, words = log_said(lines)
    log = Table(("Line", "When (UTC)", "Who", "What", "Said"), tuple(
        (x.id, x.at, x.who, x.action, w.split(": ", 1)[-1])
        for x, w in zip(lines, words, strict=True)))
    options = {**view.options, "round": taken.name, "round taken": taken.at,
               "log lines": f"1 to {taken.log_id}"}
    write_book(target, [*view.sheets(), SheetData("Log", log)], view.case, options, view.notes,
               view.solver, f"Round: {taken.name}", "", view.carried_profile())


def round_pack_bytes(ws: Workspace, case: Case, profile: Profile, taken: Round) -> bytes:
    """A round's pack (write_round_pack), as the bytes of a download."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="planner-pack-") as folder:
        target = Path(folder) / "pack.xlsx"
        write_round_pack(ws, case, profile, taken, target)
        return target.read_bytes()


def restore_round(shared: SharedBoard, old: str, new: str, by: Person | None,
                  version: int = 0) -> Round:
    """A round's nominations and asks put back and taken as a new round of its own name, in
    one transaction (planner.store.workspace.Workspace.restore): the new round's board is
    built first, from what the old round kept, as restoring it will make the workspace."""
    shared.ws.secretariat_only(by, "restore rounds")
    (taken,) = shared.ws.rounds_named(old)
    board = round_board(shared.case, shared.profile, taken)
    snapshot = _snapshot(board, 0, shared.case.group_of)
    return shared.ws.restore(by, old, new, snapshot, version)
