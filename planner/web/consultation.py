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
from planner.store.workspace import NominationRow, Person, Round, Workspace
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


def _nomination(n: NominationRow) -> dict[str, Any]:
    return {"group": n.group, "state": n.state, "post": n.post, "priority": n.priority,
            "person": n.person}


def take_round(shared: SharedBoard, name: str, by: Person | None = None) -> Round:
    """A round: the board as the workspace stands (its best slate, counts and check, as solve
    --json gives them), with the nominations and asks it was taken with, saved under a name.
    The secretariat's."""
    version, board = shared.current()
    rows = [_nomination(n) for n in shared.ws.nominations() if not n.withdrawn]
    snapshot = {**board.solve,
                "counts": {"exact": board.room.get("exact"),
                           "total_slates": board.room.get("total_slates"),
                           "not_exact_because": board.room.get("not_exact_because")},
                "workspace": {"version": version, "asks": board.state.query(),
                              "nominations": rows}}
    return shared.ws.save_round(by, name, snapshot)


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


def restore_round(shared: SharedBoard, old: str, new: str, by: Person | None) -> Round:
    """A round's nominations and asks put back (each change logged), then taken as a new round
    of its own name."""
    shared.ws.restore(by, old, new)
    return take_round(shared, new, by)
