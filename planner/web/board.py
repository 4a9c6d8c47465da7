"""The consultation board: what the page shows for a board state, computed by the same services
as the command line (no rule, count or message written a second time)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from planner.domain.case import Case
from planner.errors import InputError, Problem, Where
from planner.rules.profile import Profile


@dataclass(frozen=True)
class BoardState:
    """Everything a board holds, as the page's URL carries it (so a board can be bookmarked
    or sent to a colleague who runs the same case)."""

    fix: tuple[tuple[str, str], ...] = ()  # (post, state)
    exclude: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    withdraw: tuple[str, ...] = ()  # States that withdrew: their nominations lapse
    ratified: tuple[tuple[str, str, str], ...] = ()  # (state, instrument, date)
    nominate: tuple[tuple[str, str], ...] = ()  # (state, post)
    k: int = 5
    case: str = ""  # an uploaded case's id (never a path)
    seat: tuple[str, str] | None = None  # (post, group): the seat whose candidates are shown
    compare: tuple[int, int] | None = None  # two ranks among the best slates, side by side

    def query(self, **change: Any) -> str:
        """The URL query of this state, changed."""
        data = {**self.__dict__, **change}
        pairs: list[tuple[str, str]] = []
        pairs += [("fix", f"{p}={s}") for p, s in data["fix"]]
        pairs += [("exclude", s) for s in data["exclude"]]
        pairs += [("absent", s) for s in data["absent"]]
        pairs += [("withdraw", s) for s in data["withdraw"]]
        pairs += [("ratified", f"{s}:{i}:{d}") for s, i, d in data["ratified"]]
        pairs += [("nominate", f"{s}:{p}") for s, p in data["nominate"]]
        if data["k"] != 5:
            pairs.append(("k", str(data["k"])))
        if data["case"]:
            pairs.append(("case", data["case"]))
        if data["seat"]:
            pairs.append(("seat", f"{data['seat'][0]}:{data['seat'][1]}"))
        if data["compare"]:
            pairs.append(("compare", f"{data['compare'][0]},{data['compare'][1]}"))
        return "?" + urlencode(pairs) if pairs else "?"

    def hidden(self) -> list[tuple[str, str]]:
        """The state as hidden form fields, so that a form adds to the board, not replaces it."""
        from urllib.parse import parse_qsl

        return parse_qsl(self.query().lstrip("?"))

    def without(self, what: str, item: Any) -> str:
        return self.query(**{what: tuple(x for x in getattr(self, what) if x != item)})

    def adding(self, what: str, item: Any) -> str:
        items = getattr(self, what)
        return self.query(**{what: items if item in items else (*items, item)})

    def with_choice(self, what: str, item: Any) -> BoardState:
        """The board with one choice about a State (what: fix, exclude, absent or withdraw),
        which replaces what the board said of that State before: one choice a State."""
        import dataclasses

        state = item[1] if what == "fix" else item
        kept: dict[str, Any] = {
            "fix": tuple(x for x in self.fix if x[1] != state),
            "exclude": tuple(x for x in self.exclude if x != state),
            "absent": tuple(x for x in self.absent if x != state),
            "withdraw": tuple(x for x in self.withdraw if x != state),
        }
        kept[what] = (*kept[what], item)
        return dataclasses.replace(self, **kept)

    def choosing(self, what: str, item: Any, **change: Any) -> str:
        """The query of the board with one choice about a State (with_choice), changed."""
        return self.with_choice(what, item).query(**change)


def parse_state(params: Mapping[str, Sequence[str]], case: Case, open_seats: bool = False
                ) -> BoardState:
    """A board state from URL parameters, every value checked against the case: unknown
    States, posts or dates are refused with the planner's own messages. open_seats: the
    profile lets a seat be left open, and a seat may be fixed open."""
    from planner.io.asks import read_asks
    from planner.limits import MAX_ALTERNATIVES

    problems: list[Problem] = []

    def post(text: str, where: str) -> str | None:
        found = case.body.find_post(text)
        if found is None:
            problems.append(Problem(Where(where), f"unknown post {text!r}",
                                    "use one of: " + ", ".join(case.body.post_names)))
        return found

    # one click of the board's forms: an action on a State (and a post, to fix it there)
    given: dict[str, list[str]] = {k: list(v) for k, v in params.items()}
    act, who = given.pop("act", [""])[0], given.pop("act_state", [""])[0]
    where = given.pop("act_post", [""])[0]
    asks = chosen = None
    try:
        # the same reader, and the same words, as the command line's options
        asks = read_asks(case, fix=given.get("fix", []), exclude=given.get("exclude", []),
                          withdraw=given.get("withdraw", []), absent=given.get("absent", []),
                          ratified=[v for v in given.get("ratified", []) if v.strip()],
                          nominate=[v for v in given.get("nominate", []) if v.strip()],
                          open_seats=open_seats)
        if act in ("fix", "exclude", "absent", "withdraw") and who and (where or act != "fix"):
            # the click itself, read the same way; applied below as one choice of a State
            one = read_asks(case, fix=[f"{where}={who}"] if act == "fix" else [],
                            exclude=[who] if act == "exclude" else [],
                            absent=[who] if act == "absent" else [],
                            withdraw=[who] if act == "withdraw" else [],
                            open_seats=open_seats)
            chosen = ((one.fix[0][1], one.fix[0][0]) if act == "fix"
                      else getattr(one, act)[0])
    except InputError as exc:
        problems += exc.problems
    params = given
    def number(text: str) -> int | None:
        return int(text) if text.isascii() and text.isdecimal() and len(text) <= 6 else None

    k = 5
    if params.get("k"):
        text = params["k"][0]
        asked = number(text)
        if asked is not None and 1 <= asked <= min(MAX_ALTERNATIVES, 50):
            k = asked
        else:
            problems.append(Problem(Where("k"), f"{text!r} is not a number of slates from 1 "
                                    "to 50"))
    seat = None
    if params.get("seat"):
        seat_post, _sep, seat_group = params["seat"][0].partition(":")
        found_post, found_group = post(seat_post, "seat"), case.body.find_group(seat_group)
        if found_group is None:
            problems.append(Problem(Where("seat"), f"unknown regional group {seat_group!r}",
                                    "use one of: " + "; ".join(case.body.group_names)))
        elif found_post:
            seat = (found_post, found_group)
    compare = None
    if params.get("compare") or params.get("compare_a"):
        text = params["compare"][0] if params.get("compare") else (
            f"{params.get('compare_a', [''])[0]},{params.get('compare_b', [''])[0]}")
        a, _sep, b = text.partition(",")
        first, second = number(a), number(b)
        if first is not None and second is not None and first != second \
                and 1 <= first <= k and 1 <= second <= k:
            compare = (first, second)
        else:
            problems.append(Problem(Where("compare"), f"{text[:40]!r} is not two different "
                                    f"ranks among the {k} best slates",
                                    "choose two ranks such as 1,2"))
    if problems or asks is None:
        # the same problem once, however often the address repeats it
        raise InputError(list(dict.fromkeys(problems)))
    case_id = params.get("case", [""])[0]
    state = BoardState(tuple((p, s) for s, p in asks.fix), asks.exclude, asks.absent,
                       asks.withdraw, tuple((s, i, d.isoformat()) for s, i, d in asks.ratified),
                       asks.nominate, k, case_id if case_id.isalnum() else "", seat, compare)
    return state.with_choice(act, chosen) if chosen is not None else state


@dataclass
class Board:
    """What the page shows."""

    state: BoardState
    case: Case
    profile: Profile
    said: tuple[str, ...] = ()  # the what-ifs, in words
    solve: dict[str, Any] = field(default_factory=dict)  # as solve --json gives it
    room: dict[str, Any] = field(default_factory=dict)  # as room --json gives it
    alternatives: dict[str, Any] = field(default_factory=dict)
    rotation: list[dict[str, Any]] = field(default_factory=list)
    seat: dict[str, Any] = field(default_factory=dict)  # one seat's candidates, when asked
    pack: Any = None  # the solve renderer of the board, for its workbook
    compared: dict[str, Any] = field(default_factory=dict)  # two slates side by side
    seconds: float = 0.0


def build(case: Case, profile: Profile, state: BoardState) -> Board:
    """The board for a state: the best slate, the exact counts, the rule check, the conflicts
    in words, the next best slates and the rotation, through the same services and renderers
    as the command line."""
    import time

    from planner.consult.rounds import alternatives, equally_good, what_if
    from planner.domain.rotation import turns
    from planner.report.render import AlternativesView, RoomView, SolveView
    from planner.rules.base import check, score
    from planner.rules.election import prepare
    from planner.solve.model import explain
    from planner.solve.result import Result

    started = time.perf_counter()
    ratified = [(s, i, dt.date.fromisoformat(d)) for s, i, d in state.ratified]
    # what the board's choices suppose, so that every paper made from it says so
    choices = [f"{s} as {p} (a choice on the board)" for p, s in state.fix]
    choices += [f"{s} left out (a choice on the board)" for s in state.exclude]
    choices += [f"{s} withdrawn (a choice on the board)" for s in state.withdraw]
    changed, said = what_if(case, state.absent, ratified, state.nominate, state.withdraw,
                            choices=choices)
    fixed = [(s, p) for p, s in state.fix]
    el = prepare(changed, profile, extra_states=frozenset(s for s, _p in fixed))
    # the k best slates; the first is the best (the same as solve): one search for both
    alts = alternatives(el, state.k, fixed, state.exclude)
    status = alts.status
    if status == "solved":
        slate = alts.slates[0]
        result = Result("solved", slate, score(el, slate), (),
                        {"engine": alts.first, "optimal": True,
                         "seconds": round(time.perf_counter() - started, 3)})
        outcomes = check(el, slate)
    else:
        result = Result(status, (), {}, alts.conflicts or explain(el), {})
        outcomes = ()
    options: dict[str, Any] = {"board": state.query()}
    solve_view = SolveView(changed, options, el.notes, {}, "Proposed bureau", el=el,
                           result=result, outcomes=outcomes, fixed=fixed,
                           equally_good=equally_good(el) if status == "solved" and not fixed
                           and not state.exclude else None)
    room_view = RoomView(changed, options, el.notes, {}, "Room", el=el,
                         # counted by kind: the board shows counts and the States on some
                         # valid slate, no pairs
                         room=_room(case, state, el, fixed))
    seat: dict[str, Any] = {}
    if state.seat and status == "solved":
        from planner.consult.rounds import candidates, left_out
        from planner.report.render import CandidatesView

        post, group = state.seat
        # never a State the board left out: who else means who else may sit
        found = [c for c in candidates(el, slate, post, group) if c.state not in state.exclude]
        seat = {**CandidatesView(changed, options, el.notes, {}, "Candidates", el=el, post=post,
                                 group=group, found=found).data(),
                "left_out": [{"state": s, "why": why}
                             for s, why in left_out(el, slate, post, group)]}
    compared: dict[str, Any] = {}
    if state.compare and status == "solved" and max(state.compare) <= len(alts.slates):
        from planner.report.workbook import differences, side_by_side

        a, b = state.compare
        pair = [alts.slates[a - 1], alts.slates[b - 1]]
        names = [f"slate {a}", f"slate {b}"]
        grid, changed_rows = side_by_side(el, pair, names)
        compared = {"names": names, "rows": grid.records(),
                    "changed": list(changed_rows),
                    "differences": differences(el, pair, names)}
    first = changed.session.number
    solved = {**solve_view.data(), "why": solve_view.why_this() if status == "solved" else "",
              "outcomes": [{"rule": o.rule, "name": _name(profile, o.rule),
                            "citation": o.citation, "passed": o.passed, "message": o.message}
                           for o in outcomes]}
    nominated = {n.state for n in changed.nominations}
    for seat_row in solved["slate"]:
        # the JSON names rules by id; people read their names
        seat_row["needed_for_names"] = [_name(profile, i) for i in seat_row["needed_for"]]
        # a nominee left out keeps its nomination, which then cannot be met: it withdraws
        seat_row["nominee"] = seat_row["state"] in nominated
    return Board(
        state=state, case=changed, profile=profile, said=tuple(said),
        solve=solved,
        room=room_view.data(),
        alternatives=AlternativesView(changed, options, el.notes, {}, "Alternatives", el=el,
                                      result=alts, k=state.k).data() if status == "solved"
        else {},
        rotation=[{"session": t.session, "president": t.president_group,
                   "rapporteur": t.rapporteur_group}
                  for t in turns(changed, range(first, first + 5))],
        seat=seat,
        compared=compared,
        pack=solve_view,
        seconds=round(time.perf_counter() - started, 3),
    )


# Where the rules do not decompose, the room is asked of the model over the election alone:
# the board's fixes and exclusions do not enter it (the Room says so), so every click that
# only fixes or leaves out States shares it. Kept per case object (held here, so that its id
# names no other case while kept) and per what changes the election itself.
_NOT_EXACT_ROOMS: OrderedDict[tuple[Any, ...], tuple[Case, Any]] = OrderedDict()
_ROOMS_KEPT = 16
_rooms_lock = threading.Lock()


def _room(case: Case, state: BoardState, el: Any, fixed: Sequence[tuple[str, str]]) -> Any:
    from planner.consult.rounds import Room, room

    key = (id(case), state.absent, state.withdraw, state.ratified, state.nominate,
           tuple(sorted({s for s, _p in fixed})))
    with _rooms_lock:
        kept = _NOT_EXACT_ROOMS.get(key)
    if kept is not None and kept[0] is case:
        shared: Room = kept[1]
        # said as room() says it for these fixes and exclusions
        said = shared.not_exact.split("; who is on some valid slate")[0] + (
            "; who is on some valid slate is shown without the fixes and exclusions"
            if fixed or state.exclude else "")
        return Room(None, shared.groups, shared.conflicts, said)
    found = room(el, None, fixed, state.exclude, by_class=True)
    if found.total is None:
        with _rooms_lock:
            _NOT_EXACT_ROOMS[key] = (case, found)
            while len(_NOT_EXACT_ROOMS) > _ROOMS_KEPT:
                _NOT_EXACT_ROOMS.popitem(last=False)
    return found


def _name(profile: Profile, rule_id: str) -> str:
    """A rule's or preference's name, as the workbooks and the text give it."""
    found = profile.rule(rule_id)
    return found.name if found is not None else rule_id
