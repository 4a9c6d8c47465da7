"""Bureaus of several sessions planned together, in one CP-SAT model.

Each session's slate meets rule 22 with party status at that session's opening (known deposits,
and expected ones, marked as forecasts), the President and Rapporteur following the rotation; the
rules are posted from their one definition, once per session. Fairness within each group is
preferred above rule 22's own preferences, in this order:

1. repeat_service: no State serves again while a willing State of its group has not served, in
   the planning window or in the bureau history;
2. consecutive_terms: no State on two consecutive bureaus;
3. protocol_seat_repeats: the same State does not keep carrying its group's protocol seat (the
   only officer of its group party to a Protocol), counted beyond its first time.

Each level is minimised, fixed, and the next minimised; then rule 22's preferences, summed over
the sessions. A pool (state, sessions, posts) limits who may be planned where.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from planner.domain.case import Case
from planner.domain.rotation import Turn, turns
from planner.domain.slate import NO_GROUP, Slate
from planner.domain.status import assess
from planner.rules.base import on_bureau, score
from planner.rules.election import Election, ordered_slate, prepare
from planner.rules.kinds import qualifies
from planner.rules.profile import Profile
from planner.solve.model import (
    Conflict,
    ModelBackend,
    RuleModel,
    SlateModel,
    SolverOptions,
    post_hard_rules,
    preference_range,
    solver_info,
    variables,
)

Key = tuple[str, str]
TIE_BREAK_EFFORT = 0.2  # deterministic seconds for the joint plan's tie-break


@dataclass(frozen=True)
class Willing:
    """Who may be planned: sessions and posts a State is willing to serve (None: any)."""

    sessions: frozenset[int] | None
    posts: frozenset[str] | None


@dataclass(frozen=True)
class SessionPlan:
    session: int
    opening: dt.date
    turn: Turn
    election: Election
    slate: Slate
    forecasts: tuple[str, ...]  # officers eligible only thanks to an expected deposit


@dataclass(frozen=True)
class PlanResult:
    status: str  # solved | infeasible | unknown
    sessions: tuple[SessionPlan, ...]
    fairness: dict[str, int]
    conflicts: tuple[Conflict, ...]
    failing_session: int | None
    notes: tuple[str, ...]
    solver: dict[str, Any]


def opening_dates(case: Case, sessions: Sequence[int]) -> tuple[dict[int, dt.date], list[str]]:
    """From the sessions table; else two years apart on the same day, said as an assumption."""
    known = dict(case.schedule)
    known.setdefault(case.session.number, case.session.opening_date)
    notes: list[str] = []
    out: dict[int, dt.date] = {}
    base = case.session
    for s in sessions:
        if s in known:
            out[s] = known[s]
            continue
        year = base.opening_date.year + 2 * (s - base.number)
        try:
            out[s] = base.opening_date.replace(year=year)
        except ValueError:  # 29 February
            out[s] = dt.date(year, 2, 28)
        notes.append(f"Session {s} is taken to open on {out[s].isoformat()}, two years apart "
                     "from the case's session on the same day (no sessions table row).")
    return out, notes


def session_case(case: Case, turn: Turn, opening: dt.date, with_forecasts: bool = True) -> Case:
    """The case as it stands at one session of the plan."""
    current = turn.session == case.session.number
    return dataclasses.replace(
        case,
        session=dataclasses.replace(case.session, number=turn.session, opening_date=opening,
                                    president_group=turn.president_group,
                                    rapporteur_group=turn.rapporteur_group),
        deposits=_merge(case.deposits, case.expected if with_forecasts else ()),
        nominations=case.nominations if current else (),
        attendance=case.attendance if current else None,
        rotation=(),
    )


def _merge(known: Iterable[Any], expected: Iterable[Any]) -> tuple[Any, ...]:
    by_key = {(d.state, d.instrument): d for d in known}
    for d in expected:
        # a forecast only adds a deposit that is not already known
        by_key.setdefault((d.state, d.instrument), d)
    return tuple(sorted(by_key.values(), key=lambda d: (d.state, d.instrument)))


def plan(case: Case, profile: Profile, sessions: Sequence[int],
         pool: dict[str, Willing] | None = None,
         options: SolverOptions | None = None) -> PlanResult:
    started = time.perf_counter()
    options = options or SolverOptions()
    window = sorted(set(sessions))
    openings, notes = opening_dates(case, window)
    if any(s != case.session.number for s in window):
        notes.append("Sessions other than the case's own: every State party is taken as "
                     "present, and the case's nominations and attendance do not apply.")
    if case.expected:
        notes.append("Expected ratifications are forecasts, not facts: officers eligible "
                     "only through one are marked as such.")
    if pool is None:
        notes.append("No pool: every eligible State is taken as willing to serve.")
    plan_turns = turns(case, window)
    elections = [prepare(session_case(case, turn, openings[turn.session]), profile)
                 for turn in plan_turns]
    greedy, clean = _greedy(case, window, elections, pool, options)
    if greedy is None:
        return _infeasible(case, window, elections, pool, notes, options, [], started)
    if clean and _at_bound(window, elections, greedy, pool, options):
        # nobody serves twice, and every session is as good as it could be alone: no joint
        # plan can do better on any level above the tie-break
        slates, fairness = greedy, dict.fromkeys(profile.fairness, 0)
        stages = ["session by session, optimal by bound"]
    else:
        joint = _joint(case, window, elections, pool, options, greedy)
        if joint is None:
            return _infeasible(case, window, elections, pool, notes, options, [], started)
        slates, fairness, stages = joint
    plans = []
    for turn, el, slate in zip(plan_turns, elections, slates, strict=True):
        plans.append(SessionPlan(turn.session, openings[turn.session], turn, el, slate,
                                 _forecast_officers(case, turn, openings[turn.session], el,
                                                    slate)))
    return PlanResult("solved", tuple(plans), fairness, (), None, tuple(notes),
                      solver_info(options, stages, started))


def _at_bound(window: list[int], elections: list[Election], slates: list[Slate],
              pool: dict[str, Willing] | None, options: SolverOptions) -> bool:
    """Whether each slate meets, on every preference but the tie-break, the best its session
    could reach with no regard to the other sessions."""
    for session, el, slate in zip(window, elections, slates, strict=True):
        status, alone = SlateModel(el, options, forbidden=_unwilling(el, session, pool)).next()
        if status != "solved":
            return False
        a, b = score(el, slate), score(el, alone)
        if any(a[r.id] != b[r.id] for r in el.profile.preferences[:-1]):
            return False
    return True


def _joint(case: Case, window: list[int], elections: list[Election],
           pool: dict[str, Willing] | None, options: SolverOptions, hint: list[Slate]
           ) -> tuple[list[Slate], dict[str, int], list[str]] | None:
    """Every session in one model: fairness, then the preferences summed, then the tie-break."""
    model = cp_model.CpModel()
    xs: list[dict[Key, cp_model.IntVar]] = []
    for t, el in enumerate(elections):
        x = variables(el, model, f"t{t}|")
        xs.append(x)
        post_hard_rules(el, ModelBackend(model, x))
        for key in _unwilling(el, window[t], pool):
            model.add(x[key] == 0)
    levels = [level for level in _fairness(model, case, window, elections, xs, pool)
              if level[0] in elections[0].profile.fairness]
    # rule 22's preferences summed over the sessions, level by level; the tie-break comes last
    for soft in elections[0].profile.preferences:
        terms, spread = [], 0
        for el, x in zip(elections, xs, strict=True):
            value = soft.value(el, ModelBackend(model, x))
            lo, hi = preference_range(el, soft)
            terms.append(-value if soft.maximise else value)
            spread += hi - lo
        levels.append((soft.id, cp_model.LinearExpr.sum(terms), spread))
    for x, slate in zip(xs, hint, strict=True):
        held = {(seat.state, seat.post) for seat in slate}
        for key, v in x.items():
            model.add_hint(v, key in held)
    solver = options.parameters()
    stages: list[str] = []
    fairness: dict[str, int] = {}
    slates: list[Slate] = []
    # one weighted solve for every level but the tie-break: each level outweighs the whole
    # range of the levels below it, so the order is exact; the ranges here are small
    head, (tie_name, tie_expr, _s) = levels[:-1], levels[-1]
    weight, weighted = 1, []
    for _name, expr, spread in reversed(head):
        weighted.append(expr * weight)
        weight *= spread + 1
    for name, expr in (("fairness and preferences", cp_model.LinearExpr.sum(weighted)),
                       (tie_name, tie_expr)):
        model.minimize(expr)
        if name == tie_name:
            # the tie-break is no rule: a short, fixed (deterministic) effort, not a proof
            solver.parameters.max_deterministic_time = min(options.time_limit, TIE_BREAK_EFFORT)
        status = solver.solve(model)
        stages.append(f"{name}: {solver.status_name(status)}")
        if status == cp_model.INFEASIBLE:
            return None
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if name == tie_name:
                break  # keep the slates of the level before
            raise RuntimeError("the plan found no solution within the time limit")
        if name != tie_name:
            for level, e, _spread in head:
                if level in elections[0].profile.fairness:
                    fairness[level] = round(solver.value(e))
                model.add(e == round(solver.value(e)))
        slates = [ordered_slate(el, [k for k, v in x.items() if solver.boolean_value(v)])
                  for el, x in zip(elections, xs, strict=True)]
        model.clear_hints()  # type: ignore[no-untyped-call]
        for x in xs:
            for v in x.values():
                model.add_hint(v, solver.boolean_value(v))
    return slates, fairness, stages


def _unwilling(el: Election, session: int, pool: dict[str, Willing] | None) -> list[Key]:
    return [(s, p) for s in el.universe for p in el.body.post_names
            if not _willing(pool, s, session, p)]


def _greedy(case: Case, window: list[int], elections: list[Election],
            pool: dict[str, Willing] | None, options: SolverOptions
            ) -> tuple[list[Slate] | None, bool]:
    """Session by session, the best slate of States that have not served yet where there is
    one; whether no State had to serve again. None when a session has no slate at all."""
    served = {h.state for h in case.history if h.session < window[0]}
    out: list[Slate] = []
    clean = True
    for session, el in zip(window, elections, strict=True):
        forbidden = _unwilling(el, session, pool)
        status, slate = SlateModel(el, options, excluded=sorted(served & set(el.universe)),
                                   forbidden=forbidden).next()
        if status != "solved":
            clean = False
            status, slate = SlateModel(el, options, forbidden=forbidden).next()
            if status != "solved":
                return None, False
        out.append(slate)
        served |= {seat.state for seat in slate}
    return out, clean


def _willing(pool: dict[str, Willing] | None, state: str, session: int, post: str) -> bool:
    if pool is None:
        return True
    w = pool.get(state)
    if w is None:
        return False
    return (w.sessions is None or session in w.sessions) and (w.posts is None or post in w.posts)


def _fairness(model: cp_model.CpModel, case: Case, window: list[int],
              elections: list[Election], xs: list[dict[Key, cp_model.IntVar]],
              pool: dict[str, Willing] | None
              ) -> list[tuple[str, cp_model.LinearExpr, int]]:
    served_before = {h.state for h in case.history if h.session < window[0]}
    last_bureau = {h.state for h in case.history if h.session == window[0] - 1}
    repeats: list[cp_model.IntVar] = []
    consecutive: list[cp_model.IntVar] = []
    excess: list[cp_model.IntVar] = []
    on: list[dict[str, Any]] = []
    for el, x in zip(elections, xs, strict=True):
        b = ModelBackend(model, x)
        on.append({s: on_bureau(el, b, s) for s in el.universe})
    lone: dict[str, list[cp_model.IntVar]] = {}
    for t, el in enumerate(elections):
        prior: dict[str, cp_model.IntVar | int] = {}
        for s in el.universe:
            earlier = [on[u][s] for u in range(t) if s in on[u]]
            if s in served_before:
                prior[s] = 1
            elif not earlier:
                prior[s] = 0
            else:
                v = model.new_bool_var("")
                model.add_max_equality(v, earlier)
                prior[s] = v
        for g in el.body.group_names:
            members = el.members(g)
            willing = [s for s in members if el.status[s].eligible
                       and any(_willing(pool, s, window[t], p) for p in el.body.post_names)]
            unserved = model.new_bool_var("")
            model.add_max_equality(unserved, [1 - prior[s] for s in willing] or [0])
            condition = el.profile.fairness_condition
            qualified = ([s for s in members if qualifies(el, s, condition)]
                         if condition else [])
            for s in members:
                if isinstance(prior[s], int) and prior[s] == 0:
                    continue
                r = model.new_bool_var("")
                model.add(r >= on[t][s] + prior[s] + unserved - 2)
                repeats.append(r)
            carriers = cp_model.LinearExpr.sum([on[t][q] for q in qualified])
            for s in qualified:
                # s carries the seat alone: on the bureau, and the group's only qualified officer
                one = model.new_bool_var("")
                model.add(one >= 2 * on[t][s] - carriers)
                lone.setdefault(s, []).append(one)
        for s in el.universe:
            before = on[t - 1].get(s) if t > 0 else (1 if s in last_bureau else None)
            if before is None or (isinstance(before, int) and before == 0):
                continue
            c = model.new_bool_var("")
            model.add(c >= on[t][s] + before - 1)
            consecutive.append(c)
    for _state, ones in sorted(lone.items()):
        if len(ones) > 1:
            e = model.new_int_var(0, len(ones), "")
            model.add(e >= cp_model.LinearExpr.sum(ones) - 1)
            excess.append(e)
    # each session seats total_posts officers and one protocol seat per group, at most
    officers = len(window) * elections[0].body.total_posts
    seats = len(window) * len(elections[0].body.groups)  # one seat per group needs a standing
    return [("repeat_service", cp_model.LinearExpr.sum(repeats), min(len(repeats), officers)),
            ("consecutive_terms", cp_model.LinearExpr.sum(consecutive),
             min(len(consecutive), officers)),
            ("protocol_seat_repeats", cp_model.LinearExpr.sum(excess), seats)]


def _forecast_officers(case: Case, turn: Turn, opening: dt.date, el: Election, slate: Slate
                       ) -> tuple[str, ...]:
    """Officers whose standing (eligible, protocol seat, all instruments) rests on a forecast."""
    if not case.expected:
        return ()
    facts = assess(session_case(case, turn, opening, with_forecasts=False),
                   extra_states=frozenset(s.state for s in slate)).by_state()
    out = []
    for seat in slate:
        known, hoped = facts[seat.state], el.status[seat.state]
        if (known.eligible, known.instruments) != (hoped.eligible, hoped.instruments):
            out.append(seat.state)
    return tuple(out)


def _infeasible(case: Case, window: list[int], elections: list[Election],
                pool: dict[str, Willing] | None, notes: list[str], options: SolverOptions,
                stages: list[str], started: float) -> PlanResult:
    """Name the first session that cannot be filled, and the rules that conflict there."""
    for session, el in zip(window, elections, strict=True):
        rm = RuleModel(el, options)
        forbidden = _unwilling(el, session, pool)
        core = rm.minimal_core([rm.restrict(forbidden)])
        if core:
            conflicts = rm.conflicts(core)
            if forbidden:
                conflicts = (*conflicts, Conflict(
                    "pool", "the pool", (), "the pool limits who may serve at session "
                    f"{session}; with it, these rules cannot all hold"))
            return PlanResult("infeasible", (), {}, conflicts, session, tuple(notes),
                              solver_info(options, stages, started))
    return PlanResult("infeasible", (), {}, (), None, tuple(notes),
                      solver_info(options, stages, started))


def fairness_summary(result: PlanResult, case: Case) -> list[dict[str, Any]]:
    """Per group: seats in the window, distinct States, States serving twice, consecutive terms,
    and the longest wait (sessions since a State's previous service, history included)."""
    last: dict[str, int] = {}
    for h in sorted(case.history, key=lambda h: h.session):
        last[h.state] = h.session
    waits: dict[str, list[tuple[int, str]]] = {}
    served: dict[str, list[str]] = {}
    consecutive: dict[str, int] = {}
    previous: set[str] = {h.state for h in case.history
                          if result.sessions and h.session == result.sessions[0].session - 1}
    for sp in result.sessions:
        now = {s.state for s in sp.slate}
        for seat in sp.slate:
            g = sp.election.group(seat.state) or NO_GROUP
            served.setdefault(g, []).append(seat.state)
            if seat.state in last:
                waits.setdefault(g, []).append((sp.session - last[seat.state], seat.state))
            if seat.state in previous:
                consecutive[g] = consecutive.get(g, 0) + 1
            last[seat.state] = sp.session
        previous = now
    out = []
    for g in case.body.group_names:
        states = served.get(g, [])
        longest = max(waits.get(g, []), default=None)
        out.append({
            "group": g,
            "seats": len(states),
            "distinct_states": len(set(states)),
            "serving_more_than_once": sorted({s for s in states if states.count(s) > 1}),
            "consecutive_terms": consecutive.get(g, 0),
            "longest_wait": longest[0] if longest else None,
            "longest_wait_state": longest[1] if longest else None,
        })
    return out


def parse_sessions(text: str) -> list[int]:
    """'7-10', '7,8,9' or '7; 9' as session numbers; ValueError with a reason otherwise."""
    out: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        first, sep, last = part.partition("-")
        if not first.strip().isdigit() or (sep and not last.strip().isdigit()):
            raise ValueError(f"{part!r} is not a session number or range such as 7-10")
        a, b = int(first), int(last) if sep else int(first)
        if a < 1 or b < a or b - a > 50:
            raise ValueError(f"{part!r} is not a range of sessions such as 7-10")
        out.update(range(a, b + 1))
    if not out:
        raise ValueError("no session given")
    return sorted(out)


def load_pool(path: Any, spec: Any) -> dict[str, Willing]:
    """The pool file: state, and optionally the sessions and posts it is willing to serve."""
    from pathlib import Path

    from planner.domain.names import did_you_mean, registry
    from planner.errors import InputError, Problem, Problems, Where
    from planner.io.tables import read_table_file

    p = Path(path)
    if not p.is_file():
        raise InputError([Problem(Where(str(p)), "no such file",
                                  "give a .csv or .xlsx with columns state [, sessions, posts]")])
    problems = Problems()
    table = read_table_file("pool", p, str(p), problems)
    if table is None or not table.require(problems, "state"):
        problems.raise_if_any()
        raise AssertionError("unreachable")
    out: dict[str, Willing] = {}
    for row in table.rows:
        name = row.text("state")
        state = registry().lookup(name)
        if state is None:
            problems.add(table.where(row.number, "state"), f"unknown State {name!r}",
                         did_you_mean(name))
            continue
        sessions = None
        if table.has("sessions") and row.text("sessions"):
            try:
                sessions = frozenset(parse_sessions(row.text("sessions")))
            except ValueError as exc:
                problems.add(table.where(row.number, "sessions"), str(exc),
                             "write sessions as 7-10 or 7; 9")
        posts = None
        if table.has("posts") and row.text("posts"):
            found = []
            for part in row.text("posts").replace(",", ";").split(";"):
                post = spec.find_post(part.strip()) if part.strip() else None
                if part.strip() and post is None:
                    problems.add(table.where(row.number, "posts"), f"unknown post {part!r}",
                                 "use " + ", ".join(spec.post_names))
                elif post:
                    found.append(post)
            posts = frozenset(found)
        out[state] = Willing(sessions, posts)
    problems.raise_if_any()
    return out
