"""One renderer per result type: the same result as terminal text, as one JSON object, and as
the sheets of its workbook. The CLI runs a service, hands its result to a renderer, and emits
what was asked for; nothing is worded twice."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.consult.rounds import (
    SETTLED,
    open_seats_left,
    repeated_notes,
    settled_by_nominations,
    substitutes,
    unhonoured,
)
from planner.domain.slate import open_seat_group
from planner.report.files import Table
from planner.report.workbook import (
    SheetData,
    conflicts_frame,
    outcomes_frame,
    provenance,
    scores_frame,
    side_by_side,
    side_by_side_style,
    slate_frame,
    slate_json,
    slates_frame,
    table_text,
)
from planner.rules.base import Rule, seats_held

if TYPE_CHECKING:
    from planner.consult.plan import PlanResult
    from planner.consult.rounds import Alternatives, Candidate, Replacement, Room
    from planner.domain.body import Body
    from planner.domain.case import Case
    from planner.domain.rotation import Cycle, Turn
    from planner.domain.slate import Slate
    from planner.rules.base import Outcome
    from planner.rules.election import Election
    from planner.rules.profile import Profile
    from planner.solve.result import Conflict, Result

def write_book(target: Path, sheets: list[SheetData], case: Case, options: dict[str, Any],
               notes: Sequence[str], solver: dict[str, Any] | None = None,
               what: str = "Bureau planner", span: str = "",
               profile: Profile | None = None) -> None:
    """A result's workbook with its Run info sheet, written whole or not at all; with a
    profile, it also carries its case (hidden sheets)."""
    from planner.io.tables import combined_digest, table_digest
    from planner.report.template import case_tables
    from planner.report.workbook import (
        book_meta,
        info_frame,
        input_paths,
        run_info,
        write_workbook,
    )
    from planner.rules.profile import profile_reference

    rows = run_info(case, options, solver, notes)
    tables = case_tables(case, profile_reference(profile)) if profile is not None else []
    if tables:
        # each table's digest, as it will read back: a reader finds which sheet was edited
        digests = {name: table_digest(headers, values) for name, headers, values in tables}
        rows.append(("case carried", f"on hidden sheets case.*, SHA-256 "
                                     f"{combined_digest(digests)}"))
        rows.append(("case sheets, SHA-256 (first 12)",
                     "; ".join(f"{name} {d[:12]}" for name, d in digests.items())))
    write_workbook(target, [*sheets, SheetData("Run info", info_frame(rows))],
                   input_paths(case), book_meta(case, what, span), tables)


NO_SLATE_HEAD = ("No slate can meet the rules. These rules cannot all hold together "
                 "(drop any one and the rest can):")


def conflict_lines(conflicts: Sequence[Conflict], el: Election | None = None) -> list[str]:
    """No slate, in words: first the cause and what would settle it, where the rules in the
    conflict can tell (naming States, groups and posts); then the rules that cannot all hold,
    but the bureau's own shape (posts filled, one post a State), which no one would drop."""
    if not conflicts:
        return ["No slate can meet the rules; which of them conflict could not be narrowed "
                "down within the time limit (see planner profile show for the rules)."]
    if el is None:
        return [NO_SLATE_HEAD, *(f"  - {x.message}" for x in conflicts)]
    causes, shown = diagnosis(el, conflicts)
    out = ["No slate can meet the rules."]
    out += [f"Cause: {cause} To settle it: {fix}." for cause, fix in causes]
    return [*out, conflicts_head(shown, conflicts), *(f"  - {x.message}" for x in shown)]


def diagnosis(el: Election, conflicts: Sequence[Conflict]
              ) -> tuple[list[tuple[str, str]], list[Conflict]]:
    """The causes the rules in conflict can name (cause, fix), and the rules to list: every
    one but the bureau's own shape (posts filled, one post a State), which no one would drop."""
    causes: dict[str, str] = {}
    shown: list[Conflict] = []
    for x in conflicts:
        rule = el.profile.rule(x.rule)
        if isinstance(rule, Rule):
            causes.update(rule.causes(el, x.scope))
            if rule.structural:
                continue
        shown.append(x)
    return list(causes.items()), shown


def conflicts_head(shown: Sequence[Conflict], conflicts: Sequence[Conflict]) -> str:
    return ("These rules cannot all hold together (drop any one and the rest can"
            + (", the bureau's own shape aside" if len(shown) < len(conflicts) else "") + "):")


def conflicts_json(conflicts: Sequence[Conflict]) -> list[dict[str, Any]]:
    return [{"rule": x.rule, "citation": x.citation, "scope": list(x.scope),
             "message": x.message} for x in conflicts]


def note_lines(notes: Sequence[str], warnings: Sequence[str] = ()) -> list[str]:
    return [*(f"Note: {n}" for n in notes), *(f"Data warning: {w}" for w in warnings)]


def seat_lines(el: Election, slate: Slate) -> list[str]:
    """Who on the slate holds each seat the rules set apart (a constituency's, a quota's)."""
    return [f"Seat set apart: {x.said()}." for x in seats_held(el, slate)]


def seat_takers(el: Election, states: Sequence[str]) -> dict[str, list[str]]:
    """For each seat the rules set apart: which of these States could hold it."""
    out: dict[str, list[str]] = {}
    for rule in el.profile.rules:
        said = [(s, rule.may_hold_seat(el, s)) for s in states]
        if any(v is not None for _s, v in said):
            out[rule.name] = [s for s, v in said if v]
    return out


def substitute_lines(el: Election, slate: Slate) -> list[str]:
    """At the meetings of the parties to the instruments the bureau also serves: who
    substitutes for each officer not party to one, in words."""
    out = [f"Substitute: {x.said()}." for x in substitutes(el, slate)]
    known = {i.id for i in el.case.instruments}
    out += [f"Note: the bureau also serves the meetings of the parties to {i!r}, which the "
            "case's instruments do not name: no substitutes are proposed for it."
            for i in el.body.serves if i not in known]
    return out


def open_seat_lines(el: Election, slate: Slate, fixed: Sequence[tuple[str, str]] = ()
                    ) -> list[str]:
    """The seats the slate leaves open pending a group's consultations, each with why."""
    return [f"Seat left open: {x.said()}." for x in open_seats_left(el, slate, fixed)]


def open_seats_json(el: Election, slate: Slate, fixed: Sequence[tuple[str, str]] = ()
                    ) -> list[dict[str, Any]]:
    return [{"post": x.post, "group": x.group, "why": x.why, "said": x.said()}
            for x in open_seats_left(el, slate, fixed)]


def substitutes_json(el: Election, slate: Slate) -> list[dict[str, Any]]:
    return [{"post": x.post, "state": x.state, "instrument": x.instrument,
             "substitute": x.substitute, "said": x.said()} for x in substitutes(el, slate)]


def seats_json(el: Election, slate: Slate) -> list[dict[str, Any]]:
    return [{"rule": x.rule, "group": x.group or None, "holders": list(x.holders),
             "seats": x.seats, "said": x.said()} for x in seats_held(el, slate)]


def short_group(body: Body) -> Callable[[str], str]:
    return lambda g: body.group(g).short if g in body.group_names else g


@dataclass
class Rendering(ABC):
    """What the CLI emits for one result: its exit status, words, data and sheets."""

    case: Case
    options: dict[str, Any]
    notes: Sequence[str] = ()
    solver: dict[str, Any] = field(default_factory=dict)
    title: str = "Bureau planner"  # the workbook's title
    span: str = ""  # what the workbook covers, where not the case's own session

    @property
    def ok(self) -> bool:
        return True

    def carried_profile(self) -> Profile | None:
        """The profile of the case the workbook carries; None: the workbook holds no slate
        and carries no case."""
        el = getattr(self, "el", None)
        return el.profile if el is not None else None

    def profile(self) -> Profile | None:
        """The profile the result was reached under, to name in JSON."""
        el = getattr(self, "el", None)
        return el.profile if el is not None else self.carried_profile()

    @abstractmethod
    def lines(self) -> list[str]: ...

    @abstractmethod
    def data(self) -> dict[str, Any]: ...

    def sheets(self) -> list[SheetData]:
        return []


@dataclass
class SolveView(Rendering):
    el: Election | None = None
    result: Result | None = None
    outcomes: Sequence[Outcome] = ()
    workbook: str | None = None
    equally_good: int | None = None  # valid slates as good on every rule-based preference
    fixed: Sequence[tuple[str, str]] = ()  # (state, post) asked for (the board's choices)

    def why_this(self) -> str:
        """Why this slate among the valid ones, in one sentence."""
        assert self.el is not None
        if self.equally_good is None:
            return (f"Among the slates as good as this one on every preference the rules give, "
                    f"the planner's tie-break chose by {self.el.tie_basis}.")
        if self.equally_good <= 1:
            return "No other valid slate is as good on every preference the rules give."
        return (f"{self.equally_good:,} valid slates are as good as this one on every "
                f"preference the rules give; the planner's tie-break chose this one by "
                f"{self.el.tie_basis}.")

    @property
    def ok(self) -> bool:
        assert self.result is not None
        return self.result.status == "solved"

    def sheets(self) -> list[SheetData]:
        from planner.report.workbook import solve_sheets

        assert self.el is not None and self.result is not None
        return solve_sheets(self.el, self.result, self.outcomes)

    def data(self) -> dict[str, Any]:
        el, r, c = self.el, self.result, self.case
        assert el is not None and r is not None
        return {
            "status": r.status,
            "session": c.session.number,
            "opening_date": c.session.opening_date.isoformat(),
            "slate": slate_json(el, r.slate),
            "conflicts": conflicts_json(r.conflicts),
            **self.diagnosis_json(),
            "nominations_not_honoured": list(unhonoured(el, r.slate)) if r.slate else [],
            "seats_set_apart": seats_json(el, r.slate) if r.slate else [],
            "open_seats": open_seats_json(el, r.slate, self.fixed) if r.slate else [],
            "substitutes": substitutes_json(el, r.slate) if r.slate else [],
            "score": r.score,
            "equally_good": self.equally_good,
            "tie_break": el.tie_basis,
            "assumptions": list(el.notes),
            "warnings": list(c.warnings),
            "solver": r.solver,
            "workbook": self.workbook,
            "run": provenance(c, self.options),
        }

    def diagnosis_json(self) -> dict[str, Any]:
        """Where no slate exists: the causes in words with their fixes, and the rules anyone
        could drop (the board shows these, as the terminal does)."""
        el, r = self.el, self.result
        assert el is not None and r is not None
        if not r.conflicts:
            return {}
        causes, shown = diagnosis(el, r.conflicts)
        return {"causes": [{"cause": c, "fix": f} for c, f in causes],
                "conflicts_head": conflicts_head(shown, r.conflicts),
                "conflicts_shown": conflicts_json(shown)}

    def lines(self) -> list[str]:
        el, r, s = self.el, self.result, self.case.session
        assert el is not None and r is not None
        out = [f"Bureau of session {s.number} of the {s.conference}, opening "
               f"{s.opening_date.isoformat()}"]
        if r.status == "solved":
            out.append(table_text(slate_frame(el, r.slate),
                                  ["post", "state", "group", "needed for"], limit=70))
            met = [f"{p.name} {r.score[p.id]} ({'higher' if p.maximise else 'lower'} is better)"
                   for p in el.profile.preferences if not p.planners_own]
            out.append("\nPreferences met (in order): " + "; ".join(met) + "." if met else
                       "\nThe rules give no preference among valid slates.")
            out += seat_lines(el, r.slate)
            out += open_seat_lines(el, r.slate, self.fixed)
            out += substitute_lines(el, r.slate)
            out.append(self.why_this())
            out += unhonoured(el, r.slate)
        elif r.status == "infeasible":
            out += ["", *conflict_lines(r.conflicts, el)]
        else:
            out.append("\nNo slate was found within the time limit; it was not proven "
                       "impossible. Run again with a larger --time-limit.")
        said = repeated_notes(el, r.slate) if r.slate else frozenset()
        return out + note_lines([n for n in el.notes if n not in said], self.case.warnings)


@dataclass
class CheckView(Rendering):
    el: Election | None = None
    slate: Slate = ()
    outcomes: Sequence[Outcome] = ()
    # substitutes were given, and are among the outcomes: the planner's own are not proposed
    substitutes_given: bool = False

    @property
    def ok(self) -> bool:
        return all(o.passed for o in self.outcomes)

    def data(self) -> dict[str, Any]:
        from planner.rules.base import score

        assert self.el is not None
        return {
            "valid": self.ok,
            "violations": [{"rule": o.rule, "citation": o.citation, "scope": list(o.scope),
                            "message": o.message} for o in self.outcomes if not o.passed],
            "outcomes": [{"rule": o.rule, "citation": o.citation, "scope": list(o.scope),
                          "passed": o.passed, "message": o.message} for o in self.outcomes],
            "score": score(self.el, self.slate),
            "holdovers": [{"post": s.post, "state": s.state, "person": s.representative or None}
                          for s in self.slate if s.holdover],
            "seats_set_apart": seats_json(self.el, self.slate),
            "open_seats": open_seats_json(self.el, self.slate),
            "substitutes": ([] if self.substitutes_given
                            else substitutes_json(self.el, self.slate)),
            "assumptions": list(self.notes),
            "run": provenance(self.case, self.options),
        }

    def holdover_lines(self) -> list[str]:
        """Seats whose officer remained in office pending a successor: said as such, since
        no rule counts them as a new term."""
        return [f"Hold-over: {s.state}{f' ({s.representative})' if s.representative else ''} "
                f"remains {s.post} pending a successor: not elected at this session, so not a "
                "new term." for s in self.slate if s.holdover]

    def lines(self) -> list[str]:
        assert self.el is not None
        from planner.report.workbook import outcome_rows

        frame = outcome_rows(self.outcomes, self.el)
        for row in frame:
            if row["result"] == "pass":
                row["detail"] = ""  # the wording is in the JSON
        failed = sum(not o.passed for o in self.outcomes)
        return [table_text(frame, ["result", "rule", "scope", "detail"], limit=100),
                "\nThe slate meets every rule." if self.ok else
                f"\nThe slate fails {failed} of the checks above.",
                *seat_lines(self.el, self.slate), *open_seat_lines(self.el, self.slate),
                *([] if self.substitutes_given else substitute_lines(self.el, self.slate)),
                *self.holdover_lines(),
                *note_lines(self.notes, self.case.warnings)]


@dataclass
class StatusView(Rendering):
    el: Election | None = None
    eligible_only: bool = False

    def carried_profile(self) -> Profile | None:
        return None  # a list of States, no slate

    def frame(self) -> Any:
        from planner.report.workbook import eligibility_frame

        assert self.el is not None
        frame = eligibility_frame(self.el)
        return frame.where("eligible", "yes") if self.eligible_only else frame

    def sheets(self) -> list[SheetData]:
        from planner.report.workbook import eligibility_sheet

        assert self.el is not None
        return [eligibility_sheet(self.el, self.eligible_only)]

    def data(self) -> dict[str, Any]:
        assert self.el is not None
        a = self.el.assessment
        return {
            "opening_date": a.date.isoformat(),
            "instruments_in_force": [i.id for i in a.in_force],
            "eligible_count": len(a.eligible()),
            "tables": [{"instrument": t.instrument, "table": t.table,
                        "date": t.date.isoformat() if t.date else None, "said": t.said}
                       for t in self.case.tables],
            "states": [{"state": s.state, "group": s.group, "eligible": s.eligible,
                        "reason": s.reason or None, "instruments": list(s.instruments)}
                       for s in a.states if s.eligible or not self.eligible_only],
            "assumptions": list(self.el.notes),
            "warnings": list(self.case.warnings),
            "run": provenance(self.case, self.options),
        }

    def lines(self) -> list[str]:
        assert self.el is not None
        a = self.el.assessment
        from planner.report.workbook import eligibility_rows

        rows, all_columns = eligibility_rows(self.el)
        if self.eligible_only:
            rows = [r for r in rows if r["eligible"] == "yes"]
        columns = [c for c in ("state", "group", "instruments in force", "eligible", "reason")
                   if c in all_columns]
        return [table_text(rows, columns, limit=70),
                f"\nAt {a.date.isoformat()}: "
                + (f"instruments in force: {', '.join(i.id for i in a.in_force)}; "
                   if self.case.body.eligibility == "treaty" else "")
                + f"{len(a.eligible())} States can sit.",
                *table_date_lines(self.case),
                *note_lines(self.el.notes, self.case.warnings)]


def table_date_lines(case: Case) -> list[str]:
    """The day each status table speaks for, one line for all."""
    if not case.tables:
        return []
    return ["Status tables: " + "; ".join(
        f"{t.instrument} ({t.table}) data of {t.date.isoformat() if t.date else 'no date'}, "
        f"{t.said}" for t in case.tables) + "."]


@dataclass
class AlternativesView(Rendering):
    el: Election | None = None
    result: Alternatives | None = None
    k: int = 1
    vary: str | None = None  # the group whose officers vary

    @property
    def ok(self) -> bool:
        assert self.result is not None
        return self.result.status == "solved"

    def _names(self) -> list[str]:
        assert self.result is not None
        return [str(i) for i in range(1, len(self.result.slates) + 1)]

    def sheets(self) -> list[SheetData]:
        el, r = self.el, self.result
        assert el is not None and r is not None
        if not r.slates:
            return [SheetData("Conflicts", conflicts_frame(r.conflicts, el.profile))]
        names = self._names()
        grid, changed = side_by_side(el, r.slates, [f"slate {n}" for n in names])
        return [
            SheetData("Slates", slates_frame(el, r.slates, names)),
            SheetData("Side by side", grid, side_by_side_style([el] * len(r.slates), r.slates,
                                                                changed)),
            SheetData("Scores", scores_frame(el, r.slates, names)),
        ]

    def data(self) -> dict[str, Any]:
        from planner.rules.base import score

        el, r = self.el, self.result
        assert el is not None and r is not None
        return {
            "status": r.status,
            "slates": [{"rank": i, "slate": slate_json(el, s), "score": score(el, s)}
                       for i, s in enumerate(r.slates, start=1)],
            "conflicts": conflicts_json(r.conflicts),
            "first": r.first,
            "method": r.method,
            "assumptions": list(el.notes),
        }

    def lines(self) -> list[str]:
        el, r = self.el, self.result
        assert el is not None and r is not None
        if not r.slates:
            return [*conflict_lines(r.conflicts, el),
                    *note_lines(self.notes, self.case.warnings)]
        names = self._names()
        ranked = [p for p in el.profile.preferences if not p.planners_own]
        scores = scores_frame(el, r.slates, names)
        if self.vary:
            # one group varies: its officers, one slate a line
            out = [f"The {self.vary}, the rest of the best slate kept:"]
            for n, slate in zip(names, r.slates, strict=True):
                held = [f"{x.state} ({x.post})" for x in slate if el.group(x.state) == self.vary]
                out.append(f"  {n}. " + ", ".join(held))
        else:
            grid, changed = side_by_side(el, r.slates, names)
            marked = [{"": "*" if f else "", **row}
                      for row, f in zip(grid.records(), changed, strict=True)]
            out = [table_text(marked, ["", "group", "post", *names], limit=24),
                   "* marks the posts where the slates differ."]
        out.append("\n" + table_text(scores, ["slate", *(p.name for p in ranked),
                                              "rule check"]))
        order = "; ".join(f"{p.name} ({'higher' if p.maximise else 'lower'} is better)"
                          for p in ranked)
        out.append(f"Preferences, in order: {order}. Slates equal on all of them are "
                   f"ordered by the planner's tie-break: {el.tie_basis}.")
        if len(r.slates) < self.k:
            out.append(f"Only {len(r.slates)} valid slate(s) exist.")
            if len(r.slates) == 1 and settled_by_nominations(el, r.slates[0]):
                out.append(SETTLED)
        return out + note_lines(self.notes, self.case.warnings)


@dataclass
class RoomView(Rendering):
    el: Election | None = None
    room: Room | None = None

    @property
    def ok(self) -> bool:
        assert self.room is not None
        return bool(self.room.total if self.room.total is not None else self.room.groups)

    def sheets(self) -> list[SheetData]:
        from planner.rules.kinds import CONDITIONS

        r, el = self.room, self.el
        assert r is not None and el is not None
        frame = Table.of([
            {"group": g.group, "valid sets of officers": g.sets if r.total is not None else "",
             "options": g.options if r.total is not None else "",
             "States on some valid slate": len(g.states),
             **{CONDITIONS[k]: ", ".join(v) for k, v in g.standing.items()},
             **{post: ", ".join(v) for post, v in g.single_posts.items()},
             "in every valid slate": ", ".join(g.in_every_pair),
             **{f"could hold {k}": ", ".join(v)
                for k, v in seat_takers(el, g.states).items()}}
            for g in r.groups
        ])
        pairs = Table.of([{"group": g.group, "officers": ", ".join(p)}
                              for g in r.groups for p in g.pairs]
                             + [{"group": g.group, "officers": f"{g.sets:,} sets, counted by "
                                 "kind of State (States no rule tells apart), not listed"}
                                for g in r.groups if g.sets and not g.pairs],
                         ["group", "officers"])
        return [SheetData("Room", frame), SheetData("Pairs", pairs)]

    def data(self) -> dict[str, Any]:
        r, el = self.room, self.el
        assert r is not None and el is not None
        return {
            "total_slates": r.total,
            "exact": r.total is not None,
            "not_exact_because": r.not_exact or None,
            "groups": [{"group": g.group, "valid_pairs": g.sets, "options": g.options,
                        "states": list(g.states),
                        "standing": {k: list(v) for k, v in g.standing.items()},
                        "single_posts": {k: list(v) for k, v in g.single_posts.items()},
                        "in_every_pair": list(g.in_every_pair),
                        "seat_takers": seat_takers(el, g.states),
                        "pairs": [list(p) for p in g.pairs],
                        "pairs_listed": bool(g.pairs) or not g.sets} for g in r.groups],
            "conflicts": conflicts_json(r.conflicts),
            "in_no_group": list(el.groupless),
            "assumptions": list(el.notes),
        }

    def lines(self) -> list[str]:
        from planner.rules.base import listing
        from planner.rules.kinds import CONDITIONS

        r, el = self.room, self.el
        assert r is not None and el is not None
        out: list[str] = []
        if r.total is not None:
            several = [f"{p.name}s" for p in self.case.body.posts if p.count > 1]
            unordered = f" ({' and '.join(several)} unordered)" if several else ""
            out.append(f"Valid slates in all: {r.total:,}{unordered}\n")
            nominees = {n.state for n in el.case.nominations
                        if n.state not in el.case.withdrawn}
            seated = [s for g in r.groups for s in g.in_every_pair]
            if r.total == 1 and seated and set(seated) <= nominees:
                out.append(SETTLED + "\n")
        else:
            out.append(f"Valid slates in all: not counted exactly ({r.not_exact}); who is "
                       "on some valid slate was asked of the model one question at a time.\n")
        for g in r.groups:
            if r.total is not None:
                line = (f"{g.group}: {g.sets:,} valid set(s) of officers of {len(g.states)} "
                        "State(s)")
            else:
                line = f"{g.group}: {len(g.states)} State(s) on some valid slate"
            if g.in_every_pair:
                line += f"; all need {listing(list(g.in_every_pair))}"
            out.append(line)
            for post, holders in g.single_posts.items():
                if holders:
                    out.append(f"    {post}: {listing(list(holders))}")
            for k, v in g.standing.items():
                out.append(f"    {CONDITIONS[k]}: {listing(list(v))}")
            for name, takers in seat_takers(el, g.states).items():
                out.append(f"    could hold {name}: "
                           + (listing(takers) if takers else "none of its States"))
        if el.groupless:
            out.append(f"In no regional group, so holding no group's seat: "
                       f"{listing(list(el.groupless), 10)}")
        if r.conflicts:
            out += ["", *conflict_lines(r.conflicts, el)]
        return out + note_lines(el.notes, self.case.warnings)


@dataclass
class CompareView(Rendering):
    el: Election | None = None
    loaded: Sequence[tuple[str, Slate]] = ()
    # the election each slate is judged under (its own workbook's case), else el for all
    judges: Sequence[Election] = ()

    def _judges(self) -> list[Election]:
        assert self.el is not None
        return list(self.judges) or [self.el] * len(self.loaded)

    def _parts(self) -> tuple[list[str], list[Slate], Any, list[bool], list[str]]:
        from planner.report.workbook import differences, labels

        assert self.el is not None
        names = labels(len(self.loaded))
        lists = [s for _label, s in self.loaded]
        grid, changed = side_by_side(self.el, lists, names)
        return names, lists, grid, changed, differences(self.el, lists, names)

    def sheets(self) -> list[SheetData]:
        assert self.el is not None
        names, lists, grid, changed, diffs = self._parts()
        legend = Table(("slate", "from"), tuple(
            (n, label) for n, (label, _s) in zip(names, self.loaded, strict=True)))
        return [SheetData("Comparison", grid, side_by_side_style(self._judges(), lists,
                                                                 changed)),
                SheetData("Differences", Table(("difference",), tuple((d,) for d in diffs))),
                SheetData("Checks", scores_frame(self._judges(), lists, names)),
                SheetData("Slates", legend)]

    def data(self) -> dict[str, Any]:
        from planner.rules.base import check, score

        el = self.el
        assert el is not None
        names, _lists, _grid, _changed, diffs = self._parts()
        return {
            "slates": [{"label": n, "from": label, "slate": slate_json(el, s),
                        "valid": all(o.passed for o in check(judge, s)),
                        "score": score(judge, s)}
                       for n, (label, s), judge in zip(names, self.loaded, self._judges(),
                                                       strict=True)],
            "differences": diffs,
            "assumptions": list(self.notes),
        }

    def lines(self) -> list[str]:

        el = self.el
        assert el is not None
        names, lists, grid, changed, diffs = self._parts()
        out = [f"{n}: {label}" for n, (label, _s) in zip(names, self.loaded, strict=True)]
        short = short_group(self.case.body)
        marked = [{**row, "": "*" if f else "", "group": short(row["group"])}
                  for row, f in zip(grid.records(), changed, strict=True)]
        out.append("\n" + table_text(marked, ["", "group", "post", *names], limit=28))
        ranked = [p.name for p in el.profile.preferences if not p.planners_own]
        out.append("\n" + table_text(scores_frame(self._judges(), lists, names),
                                      ["slate", *ranked, "rule check"]))
        out.append("\nDifferences:" if diffs else "\nThe slates hold the same States in the "
                   "same posts.")
        return out + [f"  - {d}" for d in diffs] + note_lines(self.notes)


@dataclass
class ReplaceView(Rendering):
    el: Election | None = None
    result: Replacement | None = None

    @property
    def ok(self) -> bool:
        assert self.result is not None
        return self.result.status == "solved"

    def _changes(self) -> Table:
        assert self.result is not None
        return Table.of([{"post": x.post, "group": x.group, "before": x.before,
                          "after": x.after, "why": x.reason} for x in self.result.changes],
                        ["post", "group", "before", "after", "why"])

    def sheets(self) -> list[SheetData]:
        from planner.rules.base import check

        el, r = self.el, self.result
        assert el is not None and r is not None
        if r.status != "solved":
            return [SheetData("Conflicts", conflicts_frame(r.conflicts, el.profile))]
        from planner.report.pack import bureau_builder

        outcomes = check(el, r.slate)
        # the revised bureau as delegates read it, and what it rests on
        return [SheetData("Bureau", build=bureau_builder(el, r.slate, outcomes, (), "solved")),
                SheetData("Slate", slate_frame(el, r.slate)),
                SheetData("Changes", self._changes()),
                SheetData("Rule check", outcomes_frame(outcomes, el))]

    def data(self) -> dict[str, Any]:
        el, r = self.el, self.result
        assert el is not None and r is not None
        return {
            "status": r.status,
            "slate": slate_json(el, r.slate),
            "changes": self._changes().records(),
            "withdrawn_holding_no_post": list(r.idle),
            "conflicts": conflicts_json(r.conflicts),
            "assumptions": list(self.notes),
        }

    def lines(self) -> list[str]:
        el, r = self.el, self.result
        assert el is not None and r is not None
        if r.status != "solved":
            out = conflict_lines(r.conflicts, el)
        else:
            n = len([x for x in r.changes if x.before])
            out = [f"{st} holds no post on this slate: its withdrawal changes no seat (it is "
                   "left out of any later choice)." for st in r.idle]
            out += [f"{n} post(s) change hands" + (":" if n else ".")]
            out += [f"  - {x.post} ({x.group}): {x.before or 'nobody'} -> "
                    f"{x.after or 'nobody'}: {x.reason}" for x in r.changes]
            out.append("\n" + table_text(slate_frame(el, r.slate), ["post", "state", "group"]))
        return out + note_lines(self.notes, self.case.warnings)


@dataclass
class CandidatesView(Rendering):
    el: Election | None = None
    post: str = ""
    group: str | None = None
    holders: Sequence[str] = ()
    found: Sequence[Candidate] = ()
    why: Sequence[Conflict] = ()  # where nobody can take the seat

    @property
    def ok(self) -> bool:
        return bool(self.found)

    def frame(self) -> Table:
        el = self.el
        assert el is not None
        # column headers in the preferences' names (the ids are for the JSON)
        named = {p.id: p.name for p in el.profile.preferences}
        return Table.of([
            {"rank": i, "state": x.state, "group": el.group(x.state) or "",
             "replaces": x.replaces,
             **{f"change in {named.get(k, k)}": v for k, v in x.change.items()},
             "needed for": "; ".join(n.name for i in x.needed_for
                                     if (n := el.profile.rule(i)) is not None)}
            for i, x in enumerate(self.found, start=1)
        ])

    def sheets(self) -> list[SheetData]:
        return [SheetData("Candidates", self.frame())]

    def data(self) -> dict[str, Any]:
        return {
            "post": self.post, "group": self.group,
            "candidates": [{"rank": i, "state": x.state, "replaces": x.replaces,
                            "score": x.score, "change": x.change,
                            "needed_for": list(x.needed_for)}
                           for i, x in enumerate(self.found, start=1)],
            "why_nobody": conflicts_json(self.why),
            "assumptions": list(self.notes),
        }

    def lines(self) -> list[str]:
        assert self.el is not None
        seat = f"{self.post}" + (f" ({self.group})" if self.group else "")
        if not self.found:
            head = (f"Nobody can take the {seat} seat with the rest of the slate as it is "
                    f"(held now by {', '.join(self.holders)}).")
            nominated = {(n.state, n.post) for n in self.el.case.nominations}
            if self.holders and all((h, self.post) in nominated for h in self.holders):
                head += (" Its group's nomination settles it: to weigh others, suppose the "
                         "nominee's withdrawal (planner replace --withdraw STATE, or the "
                         "board's withdraw) or another nomination.")
            if not self.why:
                return [head, "No State outside the slate meets the rules for it."]
            return [head, "These rules cannot all hold together:",
                    *(f"  - {x.message}" for x in self.why),
                    *note_lines(self.notes)]
        frame = self.frame()
        tie_breaks = {f"change in {p.name}" for p in self.el.profile.preferences
                      if p.planners_own}
        changes = [c for c in frame.columns if str(c).startswith("change in ")
                   and c not in tie_breaks]
        return [f"{len(self.found)} State(s) could take the {seat} seat, best first:",
                table_text(frame, ["rank", "state", "replaces", *changes, "needed for"],
                           limit=70),
                "(change in ...: how the slate's score on each preference would move)",
                *note_lines(self.notes)]


@dataclass
class RotationView(Rendering):
    rows: Sequence[Turn] = ()
    cycle: Cycle | None = None

    def data(self) -> dict[str, Any]:
        cycle = self.cycle
        assert cycle is not None
        return {
            "sessions": [{"session": t.session, "president_group": t.president_group,
                          "rapporteur_group": t.rapporteur_group, "basis": t.basis,
                          "posts": [{"post": p.post, "group": p.group, "basis": p.basis}
                                    for p in t.posts]}
                         for t in self.rows],
            "cycle": {"order": list(cycle.order or ()), "start": cycle.start,
                      "source": cycle.source, "evidence": cycle.evidence,
                      "how_sure": cycle.sure or None},
            "breaks": list(cycle.breaks),
            "older_departures": list(cycle.older),
            "followers": [{"post": p, "offset": o} for p, o in self.case.body.followers],
            "rapporteur_offset": self.case.session.rapporteur_offset,
        }

    def lines(self) -> list[str]:
        cycle = self.cycle
        assert cycle is not None
        body = self.case.body
        posts = [p.post for p in self.rows[0].posts] if self.rows else []
        frame = [{"session": t.session, **{p.post: p.group or "open" for p in t.posts}}
                 for t in self.rows]
        out = [table_text(frame, ["session", *posts]), f"\nCycle: {cycle.evidence}."]
        if cycle.sure:
            out.append(f"How sure: {cycle.sure}.")
        offset_given = self.case.session.rapporteur_offset
        for post, offset in body.followers:
            if post == body.following_post and offset_given is not None:
                offset = offset_given
            when = (f"{offset} session(s) before" if offset > 0
                    else f"{-offset} session(s) after")
            out.append(f"{post}: from the group that held the {body.rotating_post} {when} "
                       "(an assumption the profile makes).")
        out += [f"Note: {b}." for b in cycle.breaks]
        if cycle.older:
            out.append(f"Earlier departures (history, not read for the cycle): "
                       f"{'; '.join(cycle.older)}.")
        out += [f"Session {t.session}: {t.basis}." for t in self.rows
                if any(p.source in ("settled", "session", "table", "swap") for p in t.posts)]
        return out


NOT_FOUND = ("No plan was found within the time limit; it was not proven impossible (see the "
             "notes).")


@dataclass
class PlanningView(Rendering):
    result: PlanResult | None = None

    @property
    def ok(self) -> bool:
        assert self.result is not None
        return self.result.status == "solved"

    def carried_profile(self) -> Profile | None:
        assert self.result is not None
        return self.result.sessions[0].election.profile if self.result.sessions else None

    def profile(self) -> Profile | None:
        assert self.result is not None
        view = self.result.view
        return view.elections[0].profile if view is not None else self.carried_profile()

    def summary(self) -> list[dict[str, Any]]:
        from planner.consult.plan import fairness_summary

        assert self.result is not None
        return fairness_summary(self.result, self.case) if self.ok else []

    def sheets(self) -> list[SheetData]:
        from planner.report.pack import bureau_builder
        from planner.rules.base import check

        result = self.result
        assert result is not None
        if not result.sessions and result.status == "unknown":
            # nothing conflicts: the search ran out of time, and the sheet says so
            return [SheetData("No plan found", Table.of(
                [{"what happened": n} for n in (NOT_FOUND, *result.notes)], ["what happened"]),
                wrap=100)]
        if not result.sessions:
            profile = result.view.elections[0].profile if result.view is not None else None
            return [SheetData("Conflicts", conflicts_frame(result.conflicts, profile))]
        short = self.case.body.conference_short
        sheets = [SheetData(f"Session {sp.session}", build=bureau_builder(
            sp.election, sp.slate, check(sp.election, sp.slate), (), "solved"),
            header=f"{short} - session {sp.session} - opening {sp.opening.isoformat()}")
                  for sp in result.sessions]
        matrix, colour = _matrix(result)
        # narrow enough that six sessions fit the page's width (longer plans run across
        # pages with the State column repeated): post names wrap at their hyphens
        sheets.append(SheetData("Matrix", matrix, colour, wrap=11,
                                limits={"state": 22, "group": 16}))
        from planner.rules.fairness import FAIRNESS_KINDS

        # the sheet's headers in words; the JSON keeps the ids
        words = {"group": "group", "seats": "seats", "distinct_states": "distinct States",
                 **{k: f"breaches: {r.label}" for k, r in FAIRNESS_KINDS.items()},
                 "serving_more_than_once": "serving more than once",
                 "longest_wait": "longest wait (sessions)",
                 "longest_wait_state": "State that waited longest"}
        sheets.append(SheetData("Fairness", Table.of(
            [{words.get(k, k): v for k, v in
              {**f, "serving_more_than_once": ", ".join(f["serving_more_than_once"])}.items()}
             for f in self.summary()]), wrap=20))
        return sheets

    def data(self) -> dict[str, Any]:
        result = self.result
        assert result is not None
        return {
            "status": result.status,
            "sessions": [{"session": sp.session, "opening_date": sp.opening.isoformat(),
                          "president_group": sp.turn.president_group,
                          "rapporteur_group": sp.turn.rapporteur_group,
                          "rotation": sp.turn.basis,
                          "slate": [{**s, "forecast": s["state"] in sp.forecasts}
                                    for s in slate_json(sp.election, sp.slate)]}
                         for sp in result.sessions],
            "fairness": result.fairness,
            "optimal": bool(result.solver.get("optimal")),
            "groups": self.summary(),
            "failing_session": result.failing_session,
            "conflicts": conflicts_json(result.conflicts),
            "assumptions": list(result.notes),
            "solver": result.solver,
        }

    def lines(self) -> list[str]:
        result = self.result
        assert result is not None
        if not self.ok:
            if result.status == "unknown":
                # nothing conflicts: there is no rule to name, only the search that stopped
                return [NOT_FOUND, *note_lines(result.notes)]
            head = (f"No plan: session {result.failing_session} cannot be filled."
                    if result.failing_session is not None else
                    "No plan: each session alone can be filled, but not the sessions together.")
            return [head, *conflict_lines(result.conflicts), *note_lines(result.notes)]
        rows = [{"session": sp.session, "post": seat.post,
                 "state": seat.state + (" (forecast)" if seat.state in sp.forecasts else ""),
                 "group": sp.election.group(seat.state) or ""}
                for sp in result.sessions for seat in sp.slate]
        from planner.rules.fairness import FAIRNESS_KINDS

        proof = ("optimal (proven)" if result.solver.get("optimal") else
                 "the best found, not proven optimal (see the note)")
        out = [f"Plan of sessions {result.sessions[0].session} to "
               f"{result.sessions[-1].session}: {proof}.",
               table_text(rows, ["session", "post", "state", "group"])]
        if result.fairness:
            out.append("\nFairness, times each rule is broken (0 is best): " + "; ".join(
                f"{FAIRNESS_KINDS[k].label} {v}" for k, v in result.fairness.items()) + ".")
        for f in self.summary():
            n = f["longest_wait"]
            wait = (f"longest wait {n} session{'s' if n != 1 else ''} "
                    f"({f['longest_wait_state']})" if n is not None
                    else "no State served before")
            out.append(f"  {f['group']}: {f['distinct_states']} States for "
                       f"{f['seats']} seats; {wait}")
        return out + note_lines(result.notes)


def _matrix(result: PlanResult) -> tuple[Any, Callable[[Any], None]]:
    """States by sessions, each cell the post held, coloured by post."""
    held: dict[str, dict[str, str]] = {}
    group: dict[str, str] = {}
    for sp in result.sessions:
        for seat in sp.slate:
            held.setdefault(seat.state, {})[f"session {sp.session}"] = seat.post
            g = sp.election.group(seat.state)
            group[seat.state] = sp.election.body.short(g) if g else ""
    columns = [f"session {sp.session}" for sp in result.sessions]
    frame = Table.of([{"state": s, "group": group[s], **{c: held[s].get(c, "")
                                                         for c in columns}}
                      for s in sorted(held, key=lambda s: (group[s], s))],
                     ["state", "group", *columns])
    posts = result.sessions[0].election.body.post_names if result.sessions else ()
    palette = ("F4B183", "BDD7EE", "C5E0B4", "FFE699", "D9D2E9", "F8CBAD")
    fills = {p: palette[i % len(palette)] for i, p in enumerate(posts)}

    def colour(ws: Any) -> None:
        from openpyxl.styles import PatternFill

        for row in ws.iter_rows(min_row=2, min_col=3):
            for cell in row:
                if cell.value in fills:
                    cell.fill = PatternFill("solid", fgColor=fills[cell.value])

    return frame, colour


def profile_lines(p: Profile) -> list[str]:
    """A profile's rules in words, with citations."""
    from planner.rules.fairness import FAIRNESS_KINDS
    from planner.rules.kinds import CONDITIONS

    b = p.body
    out = [f"{b.conference} ({p.name})", f"Source: {p.source}",
           "Posts: " + ", ".join(post.counted for post in b.posts),
           "Groups: " + "; ".join(b.group_names),
           "Who may sit: " + ("members of the body (members table)"
                              if b.eligibility == "membership"
                              else "parties to the treaty at the opening")]
    if b.constituencies:
        out.append("Constituencies: " + "; ".join(b.constituencies))
    if b.rotating_post:
        follow = "".join(f"; the {p} follows it" for p, _o in b.followers)
        out.append(f"Rotation: the {b.rotating_post}'s group rotates{follow}")
    out.append("\nRules:")
    for r in p.rules:
        extra = f" [{CONDITIONS[r.condition]}]" if hasattr(r, "condition") else ""
        out.append(f"  {r.citation}: {r.wording}{extra}  ({r.kind}, id {r.id})")
    out.append("\nPreferences, in order:")
    out += [f"  {i}. {pref.citation}: {pref.wording}"
            for i, pref in enumerate(p.preferences, start=1)]
    if p.fairness:
        out.append("\nFairness in plans, in order:")
        out += [f"  {i}. {FAIRNESS_KINDS[f].wording}" for i, f in enumerate(p.fairness, start=1)]
    return out + [f"Assumption: {note}" for note in p.notes]


def profiles_lines(profiles: Sequence[Profile]) -> list[str]:
    """One line per profile: its body, posts and shipped case."""
    return [f"{p.name}: {p.body.conference} ("
            + ", ".join(post.counted for post in p.body.posts)
            + f"); case: {p.default_case or 'none'}" for p in profiles]


def record_lines(el: Election, slate: Slate, outcomes: Sequence[Outcome], out: Path | str,
                 said: Sequence[str]) -> list[str]:
    """What planner record says: the bureau recorded, whether it met the rules (it is recorded
    as elected either way), and how to start the next session from it."""
    s = el.case.session
    officers = [seat for seat in slate if open_seat_group(seat.state) is None]
    lines = [f"Recorded the bureau elected at session {s.number} ({len(officers)} officers) in "
             f"the bureau history of {out}:"]
    for seat in sorted(officers, key=lambda x: (el.body.post_rank(x.post), x.state)):
        who = f" ({seat.representative})" if seat.representative else ""
        held = ", remaining in office pending a successor" if seat.holdover else ""
        lines.append(f"  {seat.post}: {seat.state}{who}{held}")
    lines += [f"  Not recorded: a {x.post} seat of the {x.group}, left open (no State served "
              "in it)." for x in open_seats_left(el, slate)]
    failed = [o for o in outcomes if not o.passed]
    if failed:
        lines.append("As elected, it does not meet every rule (recorded all the same): "
                     + "; ".join(o.message for o in failed))
    lines.append(f"Next: planner init NEXT.xlsx --from {out} --session {s.number + 1}")
    return lines + [f"Note: {n}" for n in said]



# ---------------------------------------------------------------------------------------------
# results that are no case's: a diff of two status tables, a workspace's people and log


def diff_said(old: str, new: str, old_date: dt.date | None, new_date: dt.date | None,
              changes: list[str]) -> tuple[dict[str, Any], list[str]]:
    return ({"old": old, "new": new,
             "old_date": old_date.isoformat() if old_date else None,
             "new_date": new_date.isoformat() if new_date else None,
             "changes": changes}, list(changes))


def people_said(people: Sequence[Any]) -> tuple[dict[str, Any], list[str]]:
    rows = [{"name": p.name, "role": p.role, "group": p.group, "revoked": p.revoked}
            for p in people]
    return ({"people": rows},
            [f"{r['name']}: {r['role']}" + (f" of the {r['group']}" if r["group"] else "")
             + (" (revoked)" if r["revoked"] else "") for r in rows])


def log_said(lines: Sequence[Any]) -> tuple[dict[str, Any], list[str]]:
    words = []
    for x in lines:
        what = ", ".join(f"{k} {v}" for k, v in sorted(x.detail.items()) if v not in ("", None))
        words.append(f"{x.at}  {x.who}: {x.action} ({what})")
    return ({"log": [{"id": x.id, "at": x.at, "who": x.who, "action": x.action,
                      "detail": x.detail} for x in lines]}, words)


def draws_said(found: Sequence[tuple[Any, bool]]) -> tuple[dict[str, Any], list[str]]:
    """Drawings of lots, each with whether it repeats from what was logged."""
    from planner.domain.lots import DRAW_METHOD

    data = [{"log_line": d.log_id, "for": d.what, "among": list(d.among), "seed": d.seed,
             "seed_given": d.seed_given, "order": list(d.order), "drawn": d.drawn,
             "repeats": ok} for d, ok in found]
    words = [f"Drawing of lots for {d.what} (log line {d.log_id}): {d.drawn} drawn from "
             f"{', '.join(d.among)} with seed {d.seed} ("
             f"{'given by the secretariat' if d.seed_given else 'made at the drawing'}); "
             f"order {', '.join(d.order)}"
             " (computed again from the log: "
             f"{'the same' if ok else 'DIFFERENT'})"
             for d, ok in found]
    if found:
        words.append(f"How: {DRAW_METHOD}.")
    return {"draws": data, "method": DRAW_METHOD}, words


def tracker_said(rows: Sequence[Any]) -> tuple[dict[str, Any], list[str]]:
    """The nominations tracker: per group and post, what is received, pending or late."""
    data = [{"group": t.group, "post": t.post, "status": t.status,
             "received": [{"state": n.state, "priority": n.priority, "person": n.person}
                          for n in t.received],
             "deadline": t.deadline.isoformat() if t.deadline else None} for t in rows]
    words = []
    for t in rows:
        got = "; ".join(f"{n.state}" + (f" ({n.person})" if n.person else "")
                        + f", priority {n.priority}" for n in t.received)
        words.append(f"{t.group}, {t.post}: {t.status}" + (f": {got}" if got else ""))
    return {"tracker": data}, words


def rounds_said(rounds: Sequence[Any]) -> tuple[dict[str, Any], list[str]]:
    """The workspace's rounds, oldest first: when, by whom, and the President each found."""
    data = [{"name": r.name, "at": r.at, "who": r.who, "log_id": r.log_id,
             "snapshot": r.snapshot} for r in rounds]
    words = []
    for r in rounds:
        slate = r.snapshot.get("slate") or []
        head = next((f"{s['state']} as {s['post']}" for s in slate), "no slate")
        words.append(f"{r.name} ({r.at}, {r.who}): {r.snapshot.get('status', '')}, {head}")
    return {"rounds": data}, words


def rounds_compared(a: Any, b: Any) -> tuple[dict[str, Any], list[str]]:
    """Two rounds side by side: each seat's holder in each, the changes marked."""

    def seats(r: Any) -> list[tuple[str, str]]:
        return [(s["post"], s["state"]) for s in r.snapshot.get("slate") or []]

    left, right = seats(a), seats(b)
    gone = [x for x in left if x not in right]
    came = [x for x in right if x not in left]
    rows = [{"post": post, a.name: state, b.name: state, "changed": False}
            for post, state in left if (post, state) in right]
    rows += [{"post": post, a.name: state, b.name: "", "changed": True} for post, state in gone]
    rows += [{"post": post, a.name: "", b.name: state, "changed": True} for post, state in came]
    words = [f"{a.name} ({a.at}) and {b.name} ({b.at}):"]
    words += [f"  {r['post']}: {r[a.name] or '-'} -> {r[b.name] or '-'}" + ("  (changed)"
              if r["changed"] else "") for r in rows]
    words.append(f"{len(gone)} seat(s) changed hands." if gone else "The same slate.")
    return {"a": a.name, "b": b.name, "seats": rows, "changed": len(gone)}, words
