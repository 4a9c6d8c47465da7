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
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from planner.domain.case import Case, PastOfficer
from planner.domain.rotation import Turn, turns
from planner.domain.slate import NO_GROUP, Slate, open_seat_group, state_order
from planner.domain.status import assess
from planner.errors import InputError, Problem, Where
from planner.limits import MAX_PLAN_SESSIONS, MAX_SESSION
from planner.rules.base import Rule, listing, score
from planner.rules.election import Election, ordered_slate, prepare
from planner.rules.fairness import FAIRNESS_KINDS, fairness_counts
from planner.rules.planning import PlanView
from planner.rules.profile import Profile
from planner.rules.reduce import held_by_none
from planner.solve.best import best_slate
from planner.solve.model import (
    ModelBackend,
    RuleModel,
    most_officers,
    post_hard_rules,
    preference_range,
    variables,
)
from planner.solve.result import Conflict, SolverOptions, guarded_solve, solver_info

Key = tuple[str, str]
TIE_BREAK_EFFORT = 0.2  # deterministic seconds for the joint plan's tie-break
QUICK_EFFORT = 0.6  # deterministic seconds of the joint plan's first try, without presolve
MIN_SECOND_TRY = 0.5  # wall seconds the second try needs at least (its presolve alone)


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
    view: PlanView | None = None  # what the plan's rules saw, for checking it


def opening_dates(case: Case, sessions: Sequence[int]) -> tuple[dict[int, dt.date], list[str]]:
    """From the sessions table; else the body's usual years apart, on the same day, said as an
    assumption."""
    known = dict(case.schedule)
    known.setdefault(case.session.number, case.session.opening_date)
    notes: list[str] = []
    out: dict[int, dt.date] = {}
    base = case.session
    for s in sessions:
        if s in known:
            out[s] = known[s]
            continue
        years = case.body.session_interval
        year = base.opening_date.year + years * (s - base.number)
        try:
            out[s] = base.opening_date.replace(year=year)
        except ValueError:  # 29 February
            out[s] = dt.date(year, 2, 28)
        notes.append(f"Session {s} is taken to open on {out[s].isoformat()}, "
                     f"{'a year' if years == 1 else f'{years} years'} after the session before "
                     "on the same day, as the profile says the body meets (no sessions "
                     "table row).")
    return out, notes


def session_case(case: Case, turn: Turn, opening: dt.date, with_forecasts: bool = True,
                 history: Sequence[PastOfficer] = ()) -> Case:
    """The case as it stands at one session of the plan (history: sessions planned before it,
    taken as served)."""
    current = turn.session == case.session.number
    return dataclasses.replace(
        case,
        session=dataclasses.replace(case.session, number=turn.session, opening_date=opening,
                                    president_group=turn.president_group,
                                    rapporteur_group=turn.rapporteur_group,
                                    settled=tuple((p.post, p.group) for p in turn.posts
                                                  if p.group is not None),
                                    presidency=case.session.presidency if current else None),
        deposits=_merge(case.deposits, case.expected if with_forecasts else ()),
        nominations=case.nominations if current else (),
        attendance=case.attendance if current else None,
        rotation=(),
        history=(*case.history, *history),
    )


def planned_election(case: Case, profile: Profile, turn: Turn, opening: dt.date,
                     planned: Sequence[PastOfficer]) -> Election:
    """A session's election with the sessions planned before it taken as served: what its
    slate is checked against. The plan's turn stands: the planned sessions are no record to
    read a rotation from."""
    return prepare(session_case(case, turn, opening, history=planned), profile, turn=turn)


def _merge(known: Iterable[Any], expected: Iterable[Any]) -> tuple[Any, ...]:
    by_key = {(d.state, d.instrument): d for d in known}
    for d in expected:
        # a forecast only adds a deposit that is not already known
        by_key.setdefault((d.state, d.instrument), d)
    return tuple(sorted(by_key.values(), key=lambda d: (d.state, d.instrument)))


def plan_view(case: Case, profile: Profile, window: Sequence[int],
              pool: dict[str, Willing] | None = None) -> PlanView:
    """Each session's election, as the plan's rules see them."""
    openings, _notes = opening_dates(case, window)
    elections = [prepare(session_case(case, turn, openings[turn.session]), profile)
                 for turn in turns(case, window)]
    head = case.body.head_post
    known = {h.session: h.state for h in case.history
             if h.post == head and h.session in set(window)}
    return PlanView(tuple(window), tuple(elections),
                    tuple(h for h in case.history if h.session < window[0]),
                    _willing_at_all(pool, case.body.post_names), known)


def plan(case: Case, profile: Profile, sessions: Sequence[int],
         pool: dict[str, Willing] | None = None,
         options: SolverOptions | None = None) -> PlanResult:
    started = time.perf_counter()
    options = options or SolverOptions()
    asked = options  # the limits as given: a first plan's search leaves the rest less
    window = sorted(set(sessions))
    if window and window[0] < case.session.number:
        raise InputError([Problem(
            Where("--sessions"), f"session {window[0]} comes before the case's own session "
            f"({case.session.number})", f"plan from session {case.session.number} on; the "
            "bureaus of past sessions belong in the bureau_history table")])
    openings, notes = opening_dates(case, window)
    if any(s != case.session.number for s in window):
        notes.append("Sessions other than the case's own: every State that can sit is taken "
                     "as present, and the case's nominations and attendance do not apply.")
    for rule in profile.rules:
        notes.extend(rule.plan_notes(case, window))
    held = sorted({h.session for h in case.history} & set(window))
    head = case.body.head_post
    for n in held:
        who = next((h.state for h in case.history if h.session == n and h.post == head), None)
        kept = f" its {head} ({who}, from the bureau history) is kept;" if who else ""
        notes.append(f"Session {n} already took place:{kept} the rest of its bureau is what "
                     "the rules would give, not necessarily who served.")
    if case.expected:
        notes.append("Expected ratifications are forecasts, not facts: officers eligible "
                     "only through one are marked as such.")
    if pool is None:
        notes.append("No pool: every eligible State is taken as willing to serve.")
    plan_turns = turns(case, window)
    view = plan_view(case, profile, window, pool)
    elections = list(view.elections)
    alone, each = _alone(window, elections, pool, options, view.known)
    if alone is None:
        return _infeasible(view, pool, notes, options, [], started)
    greedy = _greedy(case, profile, plan_turns, openings, elections, pool, each, view.known,
                     alone)
    first_said = ""
    if len(greedy) < len(window):
        # session by session, an early slate can leave a later session none (a rule across
        # sessions, or a term the planned history bars): the joint model looks further, from
        # the sessions session by session filled, and in the same budget as the plan's search
        first_said = "session by session found none: the joint model's first plan, "
        first, status, stopped, used = _first_plan(view, pool, _left(asked, 0.0, started),
                                                   greedy)
        options = _left(asked, used, started)
        if first is None:
            if status == cp_model.INFEASIBLE:
                return _infeasible(view, pool, notes, asked, [], started)
            larger = ("--wall-limit" if stopped.startswith("the wall-time guard") else
                      "--memory-limit" if stopped.startswith("the memory guard") else
                      "--time-limit")
            notes.append("No plan was found within the time limit, and none was proven "
                         "impossible: each session alone can be filled, but filling them one "
                         "after another, each at its best, left a later session none"
                         + (f"; the search was stopped by {stopped}" if stopped else "")
                         + f". Run again with a larger {larger}.")
            return PlanResult("unknown", (), {}, (), None, tuple(notes),
                              solver_info(asked, ["joint model for a first plan: "
                                                  "none found"], started), view)
        greedy = first
    counts = fairness_counts(view, greedy)
    optimal, gap = True, None
    stopped_by = ""
    floor, per_group = _forced(view, options, counts)
    if not first_said and _fairness_levels(profile, counts) > tuple(
            floor[f] for f in profile.fairness):
        # each session at its best spends the States the preferences favour (parties to every
        # instrument) and leaves later sessions only States that cannot fill the seats
        # without one that served. Fairness comes first: session by session again, the
        # preferences set aside (those that come before fairness apart), and the fairer of
        # the two plans is where the search starts
        frugal = _frugal(case, profile, plan_turns, openings, view, pool, each, alone)
        if frugal is not None:
            frugal_counts = fairness_counts(view, frugal)
            if _fairness_levels(profile, frugal_counts) < _fairness_levels(profile, counts):
                first_said = ("session by session with the preferences set aside (fairer: "
                              f"{_levels_said(profile, frugal_counts)}, against "
                              f"{_levels_said(profile, counts)} with them), ")
                greedy, counts = frugal, frugal_counts
                floor, per_group = _forced(view, options, counts)
    if (all(sum(counts[f].values()) == floor[f] for f in profile.fairness)
            and _at_bound(elections, greedy, alone)):
        # each fairness rule is broken only as often as every plan breaks it, and every
        # session is as good as it could be alone: no joint plan can do better on any level
        # above the tie-break
        slates = greedy
        fairness = dict(floor)
        stages = [f"{first_said or 'session by session, '}optimal by bound"]
        if any(floor.values()):
            notes.append(_forced_note(view, profile, floor, per_group))
    elif first_said and (options.time_limit < 0.05 or (
            options.wall_limit is not None and options.wall_limit < MIN_SECOND_TRY)):
        # the first plan took the budget: it is the answer, not proven
        slates, fairness = greedy, {f: sum(per.values()) for f, per in counts.items()}
        stages = [first_said.rstrip(", ") + "; no time left to improve on it"]
        optimal = False
        stopped_by = (options.wall_said if options.wall_limit is not None
                      and options.wall_limit < MIN_SECOND_TRY else options.time_said)
    else:
        joint = _joint(view, pool, options, greedy, alone, counts,
                       {f: per for f, per in per_group.items()
                        if FAIRNESS_KINDS[f].floors_posted})
        slates, fairness, stages = joint.slates, joint.fairness, joint.stages
        if first_said:
            stages = [first_said.rstrip(", ") + " (the search below improves on it)", *stages]
        optimal, gap = joint.optimal, joint.gap
        stopped_by = joint.stopped
    if not optimal:
        short = []
        for pref in profile.preferences:
            if pref.planners_own:
                continue
            got = sum(score(el, sl)[pref.id] for el, sl in zip(elections, slates, strict=True))
            best = sum(score(el, sl)[pref.id] for el, sl in zip(elections, alone, strict=True))
            if got != best:
                short.append(f"{pref.name}: {got} against {best}")
        notes.append("This plan is the best found within the time limit, not proven optimal"
                     + (f" (the search was stopped by {stopped_by})" if stopped_by else "")
                     + ". Against each session's own best (a bound no plan can pass), "
                     + ("; ".join(short) if short else "it is level on every preference")
                     + "; fairness comes first, and no fairer-or-equal plan nearer those bests "
                     "was found." + _fairness_gap(profile, fairness, floor, per_group))
    plans = []
    for turn, el, slate in zip(plan_turns, elections, slates, strict=True):
        plans.append(SessionPlan(turn.session, openings[turn.session], turn, el, slate,
                                 _forecast_officers(case, turn, openings[turn.session], el,
                                                    slate)))
    info = {**solver_info(asked, stages, started), "optimal": optimal, "gap": gap,
            "stopped_by": stopped_by, "fairness_floor": floor,
            "fairness_floor_by_group": per_group}
    return PlanResult("solved", tuple(plans), fairness, (), None, tuple(notes), info, view)


def _alone(window: list[int], elections: list[Election], pool: dict[str, Willing] | None,
           options: SolverOptions, known: dict[int, str] | None = None
           ) -> tuple[list[Slate] | None, SolverOptions]:
    """Each session's best slate with no regard to the other sessions: a bound for the plan;
    and the options to find the plan's other slates with."""
    out = []
    for session, el in zip(window, elections, strict=True):
        status, slate, engine = best_slate(el, options, (),
                                           _unwilling(el, session, pool, known))
        if engine == "cp-sat":
            # the sessions share the body's rules: where they do not decompose for one
            # session, the enumeration is not tried again for the others (both are exact)
            options = dataclasses.replace(options, engine="cp-sat")
        if status != "solved":
            return None, options
        out.append(slate)
    return out, options


def _pinned(view: PlanView) -> list[frozenset[str]]:
    """The States the rules pin to each session's bureau (a seat kept for a named State)."""
    return [frozenset(s for rule in el.profile.rules for s in rule.pinned(el))
            for el in view.elections]


def _forced(view: PlanView, options: SolverOptions, counts: dict[str, dict[str, int]]
            ) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """How often every plan breaks each fairness rule, as far as counting shows: from the
    States pinned to every bureau, and group by group from who can take the group's seats
    (FairnessRule.floors); with the second per group. Asked only where the plan breaks a
    rule, since only then can it prove more than zero."""
    rules = view.elections[0].profile.fairness
    broken = [f for f in rules if sum(counts[f].values())]
    per_group = {f: per for f in broken if (per := FAIRNESS_KINDS[f].floors(view))}
    counted = {f: sum(per_group.get(f, {}).values()) for f in rules}
    pinned = _pinned(view)
    if not any(pinned) or not broken:
        return counted, per_group
    # asked of the model for the groups with a State pinned, a session at a time, as needed
    asked = sorted({el.group_or_none(s) or "" for el, states in zip(view.elections, pinned,
                                                                     strict=True)
                    for s in states} - {""})
    seats: dict[int, dict[str, int]] = {}

    def most(t: int, group: str) -> int:
        if t not in seats:
            seats[t] = most_officers(view.elections[t], asked, options)
        return seats[t].get(group, view.elections[t].body.total_posts)

    return ({f: max(counted[f], FAIRNESS_KINDS[f].forced(view, pinned, most)) for f in rules},
            per_group)


def _forced_note(view: PlanView, profile: Profile, floor: dict[str, int],
                 per_group: dict[str, dict[str, int]]) -> str:
    broken = "; ".join(f"{FAIRNESS_KINDS[f].label} {n}" + (
        f" ({_by_group(per_group[f])})" if per_group.get(f) else "")
        for f, n in floor.items() if n)
    # alphabetical: a State pinned at a later session may be no State of the first's
    states = sorted(frozenset().union(*_pinned(view)), key=state_order)
    counted = all(sum(per_group.get(f, {}).values()) == n for f, n in floor.items())
    # what each counted rule read of the States, beside the seats
    also = " and ".join(dict.fromkeys(FAIRNESS_KINDS[f].floors_read for f, n in floor.items()
                                      if n and FAIRNESS_KINDS[f].floors_read))
    why = ("counted group by group from how many States of each group can take the seats the "
           "rules give it at each session" + (f", and {also}" if also else "") if counted else
           f"the rules keep seats at every session for {listing(states)}")
    return (f"Every plan breaks the fairness rules as often as this one ({broken}): {why}. "
            "So no plan is fairer, and each session is as good as it could be alone: this "
            "plan is optimal.")


def _by_group(per: dict[str, int]) -> str:
    return ", ".join(f"{g} {n}" for g, n in per.items())


def _fairness_gap(profile: Profile, fairness: dict[str, int], floor: dict[str, int],
                  per_group: dict[str, dict[str, int]]) -> str:
    """Where the plan breaks a fairness rule more often than counting shows every plan must,
    both counts, so that the gap on fairness is stated, not only the solver's."""
    said = [f"{FAIRNESS_KINDS[f].label}: {fairness[f]} in this plan, and "
            + (f"every plan at least {floor[f]}" if floor.get(f, 0) else
               "no count shows that a plan must break it")
            for f in profile.fairness if fairness.get(f, 0) > floor.get(f, 0)]
    if not said:
        if not any(floor.get(f, 0) for f in profile.fairness):
            return ""
        return (" On fairness it is optimal: every plan breaks the fairness rules as often as "
                "this one (" + "; ".join(
                    f"{FAIRNESS_KINDS[f].label} {floor[f]}" + (
                        f": {_by_group(per_group[f])}" if per_group.get(f) else "")
                    for f in profile.fairness if floor.get(f, 0)) + "), as counted group by "
                "group; the preferences are what is not proven.")
    counted = "; ".join(f"{FAIRNESS_KINDS[f].label}: {_by_group(per)}"
                        for f, per in per_group.items() if fairness.get(f, 0) > floor.get(f, 0))
    return (" On fairness, " + "; ".join(said) + " (counted"
            + (f" group by group: {counted}" if counted else "") + "); a plan in between "
            "may exist.")


def _at_bound(elections: list[Election], slates: list[Slate], alone: list[Slate]) -> bool:
    """Whether each slate meets, on every preference but the tie-break, the best its session
    could reach alone."""
    for el, slate, best in zip(elections, slates, alone, strict=True):
        a, b = score(el, slate), score(el, best)
        if any(a[r.id] != b[r.id] for r in el.profile.preferences[:-1]):
            return False
    return True


@dataclass
class PlanModel:
    """Every session's rules in one CP-SAT model, the rules across sessions, and the levels to
    minimise in order: the fairness rules, the preferences summed over the sessions, the
    tie-break."""

    model: cp_model.CpModel
    xs: list[dict[Key, cp_model.IntVar]]
    levels: list[tuple[str, Any, int]]  # (id, expression, upper bound of its range)
    by_group: dict[str, dict[str, Any]]  # fairness rule -> group -> its count in the group


def plan_model(view: PlanView, pool: dict[str, Willing] | None = None,
               once: frozenset[str] = frozenset(), lean: bool = False) -> PlanModel:
    """once: groups where the caller posts that no State serves twice (nor at all after
    serving before); there the fairness rules whose every breach needs two terms cannot be
    broken, and their terms are left out (on the default case's 10-session plan, 350,000 of
    the model's 450,000 terms). lean: no variable either for the pairs the rules themselves
    rule out (planner.rules.reduce.held_by_none)."""
    model = cp_model.CpModel()
    xs: list[dict[Key, cp_model.IntVar]] = []
    for t, el in enumerate(view.elections):
        # no variable where the pool or the history rules a post out: a pool of a few States
        # makes a small model, not a large one with most of it fixed at 0
        out = set(_unwilling(el, view.sessions[t], pool, view.known))
        if lean:
            out |= held_by_none(el)
            out |= {(s, p) for s in view.served_before
                    if s in el.status and el.group_or_none(s) in once
                    for p in el.body.post_names}
        x = variables(el, model, f"t{t}|", out)
        xs.append(x)
        post_hard_rules(el, ModelBackend(model, x))
    bs = [ModelBackend(model, x) for x in xs]
    profile = view.elections[0].profile
    for rule in profile.rules:
        for need in rule.across(view, bs):
            bs[0].post(need)
    levels: list[tuple[str, Any, int]] = []
    by_group: dict[str, dict[str, Any]] = {}
    for f in profile.fairness:
        kind = FAIRNESS_KINDS[f]
        per: dict[str, list[Any]] = {}
        for g, term in kind.terms(view, bs, once if kind.two_terms else frozenset()):
            per.setdefault(g, []).append(term)
        by_group[f] = {g: cp_model.LinearExpr.sum(terms) for g, terms in per.items()}
        levels.append((f, cp_model.LinearExpr.sum(list(by_group[f].values())), kind.most(view)))
    for soft in profile.preferences:
        terms, spread = [], 0
        for el, b in zip(view.elections, bs, strict=True):
            lo, hi = preference_range(el, soft)
            terms.append(soft.signed(el, b))
            spread += hi - lo
        levels.append((soft.id, cp_model.LinearExpr.sum(terms), spread))
    return PlanModel(model, xs, levels, by_group)


@dataclass(frozen=True)
class Joint:
    slates: list[Slate]
    fairness: dict[str, int]
    stages: list[str]
    optimal: bool  # proven by CP-SAT (fairness and the rules' preferences)
    gap: int | None  # the weighted objective above the best bound, where not proven
    stopped: str = ""  # what stopped the search, where it ended without a proof


@dataclass
class Posed:
    """The joint model asked for a plan strictly better than the session-by-session one:
    fairness and the preferences in one weighted objective (head), the tie-break apart."""

    elections: Sequence[Election]
    pm: PlanModel
    head: list[tuple[str, Any, int]]
    objective: Any

    def hint(self, held: Sequence[set[Key]]) -> None:
        """Start from a plan: the pairs held at each session."""
        self.pm.model.clear_hints()  # type: ignore[no-untyped-call]
        for x, mine in zip(self.pm.xs, held, strict=True):
            for key, v in x.items():
                self.pm.model.add_hint(v, key in mine)

    def hint_solution(self, solver: cp_model.CpSolver) -> None:
        """Start from a solution of this model, every variable of it (the fairness and
        preference terms' own too): with only the pairs hinted, CP-SAT spent most of the
        10-session plan's tie-break completing the hint."""
        model = self.pm.model
        model.clear_hints()  # type: ignore[no-untyped-call]
        for i, value in enumerate(solver.response_proto.solution):
            model.add_hint(model.get_int_var_from_proto_index(i), value)

    def held(self, solver: cp_model.CpSolver) -> list[set[Key]]:
        return [{k for k, v in x.items() if solver.boolean_value(v)} for x in self.pm.xs]

    def slates(self, solver: cp_model.CpSolver) -> list[Slate]:
        return [ordered_slate(el, held)
                for el, held in zip(self.elections, self.held(solver), strict=True)]


def _weighted(head: Sequence[tuple[str, Any, int]]) -> tuple[Any, dict[str, int]]:
    """The levels in one objective, each weighing more than the whole range of those below
    it (so the order is exact), and each level's weight."""
    weights: dict[str, int] = {}
    weight = 1
    for name, _expr, spread in reversed(head):
        weights[name] = weight
        weight *= spread + 1
    return cp_model.LinearExpr.sum([e * weights[n] for n, e, _s in head]), weights


def _posed(view: PlanView, pool: dict[str, Willing] | None, greedy: list[Slate],
           alone: list[Slate], counts: dict[str, dict[str, int]], lean: bool,
           floors: dict[str, dict[str, int]] | None = None) -> Posed:
    elections = view.elections
    # counts are the session-by-session plan's; the rules at 0 there, in order, up to the
    # first that is not: each is capped at 0 below, with what that implies
    at_zero = list(itertools.takewhile(lambda f: not sum(counts.get(f, {}).values()),
                                       [f for f in elections[0].profile.fairness
                                        if f in counts]))
    once = frozenset().union(*(FAIRNESS_KINDS[f].once_at_zero(view) for f in at_zero))
    pm = plan_model(view, pool, once, lean)
    model, xs, levels = pm.model, pm.xs, pm.levels
    held = [{(seat.state, seat.post) for seat in slate} for slate in greedy]
    # one weighted solve for every level but the tie-break: each level outweighs the whole
    # range of the levels below it, so the order is exact; the ranges here are small
    head = levels[:-1]
    objective, weights = _weighted(head)
    ranked = [p for p in elections[0].profile.preferences if not p.planners_own]
    greedy_value = sum(weights[f] * sum(per.values()) for f, per in counts.items()) + sum(
        weights[p.id] * (-v[p.id] if p.maximise else v[p.id])
        for el, slate in zip(elections, greedy, strict=True) for v in [score(el, slate)]
        for p in ranked)
    # fairness comes first: a better plan is no less fair than the session-by-session one, so
    # each fairness count is capped at that plan's while every count before it is at its
    # floor of 0 (where a rule is at 0, what that implies is posted too)
    bs = [ModelBackend(model, x) for x in xs]
    for name, expr, _s in head:
        if name not in counts:
            break
        got = sum(counts[name].values())
        model.add(expr <= got)
        if got:
            break
        for need in FAIRNESS_KINDS[name].at_zero(view, bs):
            bs[0].post(need)
    for el, b, best in zip(elections, bs, alone, strict=True):
        mine = cp_model.LinearExpr.sum([p.signed(el, b) * weights[p.id] for p in ranked])
        values = score(el, best)
        floor = sum(weights[p.id] * (-values[p.id] if p.maximise else values[p.id])
                    for p in ranked)
        model.add(mine >= floor)
        _hold_ahead(model, el, b, best)
    # what counting shows every plan breaks, group by group: a bound the solver cannot find
    # itself (it is a count over States alike, which its search takes one by one)
    for f, per in (floors or {}).items():
        for g, least in per.items():
            if g in pm.by_group.get(f, {}):
                model.add(pm.by_group[f][g] >= least)
    model.add(objective <= greedy_value - 1)  # strictly better, or none: a proof either way
    model.minimize(objective)
    posed = Posed(elections, pm, head, objective)
    posed.hint(held)
    return posed


def _joint(view: PlanView, pool: dict[str, Willing] | None, options: SolverOptions,
           greedy: list[Slate], alone: list[Slate], counts: dict[str, dict[str, int]],
           floors: dict[str, dict[str, int]] | None = None) -> Joint:
    """Every session in one model, asked for a plan strictly better than the session-by-
    session one on fairness, then the preferences summed (the tie-break apart). The model
    answering that there is none proves the session-by-session plan optimal. Each session's
    preferences are bounded by its best alone, and each fairness count by that plan's, which
    tightens the proof."""
    elections = view.elections
    # two tries, one deterministic budget: first without CP-SAT's presolve and without the
    # pairs the rules rule out (on some plans it proves at once what the presolve then makes
    # slow; on others its deterministic seconds cost more wall time), then the whole model
    # with the presolve, from the best plan the first found (on hard plans the whole model
    # searched better than the lean one: measured on generated conferences)
    posed = _posed(view, pool, greedy, alone, counts, lean=True, floors=floors)
    solver = _without_presolve(options)
    solver.parameters.max_deterministic_time = min(options.time_limit, QUICK_EFFORT)
    started = time.perf_counter()
    status, stopped = guarded_solve(solver, posed.pm.model, options)
    tried = [f"fairness and preferences, first without presolve: {solver.status_name(status)}"]
    left = options.time_limit - solver.deterministic_time
    # a guard that stopped the first try leaves nothing for a second
    guard_hit = stopped.startswith(("the memory guard", "the wall-time guard"))
    if (not guard_hit and options.wall_limit is not None
            and options.wall_limit - (time.perf_counter() - started) < MIN_SECOND_TRY):
        # too little wall time left for the whole model to start its search: the guard stops
        # the plan here, and says so
        stopped, guard_hit = options.wall_said, True
    if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and left > 0.01 and not guard_hit:
        first, first_status, lean = solver, status, posed
        posed = _posed(view, pool, greedy, alone, counts, lean=False, floors=floors)
        if status == cp_model.FEASIBLE:
            posed.hint(lean.held(first))
        solver = options.parameters()
        solver.parameters.max_deterministic_time = left
        if options.wall_limit is not None:
            # the wall-time guard holds for the whole search, both tries together
            solver.parameters.max_time_in_seconds = max(
                0.1, options.wall_limit - (time.perf_counter() - started))
        status, stopped = guarded_solve(solver, posed.pm.model, options)
        tried.append(f"fairness and preferences: {solver.status_name(status)}")
        if first_status == cp_model.FEASIBLE and (
                status not in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE)
                or (status == cp_model.FEASIBLE
                    and first.objective_value < solver.objective_value)):
            # the second try found nothing better: the first try's plan stands (it is better
            # than the session-by-session one, as the model asks)
            solver, status, posed = first, first_status, lean
            tried.append("kept the plan the first try found")
    greedy_fairness = {f: sum(per.values()) for f, per in counts.items()}
    if status == cp_model.INFEASIBLE:
        # the session-by-session plan meets every rule of the joint model, so nothing beats it
        return Joint(greedy, greedy_fairness,
                     [*tried, "no plan better than the session-by-session one (proven)"],
                     True, None)
    if stopped:
        tried.append(f"stopped by {stopped}")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Joint(greedy, greedy_fairness,
                     [*tried, "kept the session-by-session plan: the model found nothing "
                      "better"], False, None, stopped)
    optimal = status == cp_model.OPTIMAL
    gap = None if optimal else round(solver.objective_value - solver.best_objective_bound)
    fairness = {f: round(solver.value(e)) for f, e, _s in posed.head
                if f in elections[0].profile.fairness}
    slates, stages = _tie_break(posed, options, solver)
    return Joint(slates, fairness, [*tried, *stages], optimal, gap, stopped)


def _left(options: SolverOptions, used: float, started: float) -> SolverOptions:
    """The limits left once `used` deterministic seconds are spent and the plan has run since
    `started`: the plan's search has one budget, whatever part of it a first plan took."""
    wall = options.wall_limit
    return dataclasses.replace(
        options, time_limit=max(0.0, options.time_limit - used),
        wall_limit=None if wall is None else max(0.0, wall - (time.perf_counter() - started)),
        given=options.given or (options.time_limit, wall))


def _first_plan(view: PlanView, pool: dict[str, Willing] | None, options: SolverOptions,
                start: Sequence[Slate] = ()) -> tuple[list[Slate] | None, Any, str, float]:
    """A plan from the joint model, where the session-by-session one found none (start: the
    slates it found for the first sessions, hinted): the fairest it reaches, first in the
    budget of the joint plan's first try, then, where it found none, in the rest of the time
    limit; None and the status where it found none (INFEASIBLE: there is none); and the
    deterministic seconds it used, which the plan's search has no more."""
    pm = plan_model(view, pool, lean=True)
    objective, _weights = _weighted(pm.levels[:-1])
    pm.model.minimize(objective)
    for x, slate in zip(pm.xs, start, strict=False):
        held = {(seat.state, seat.post) for seat in slate}
        for key, v in x.items():
            pm.model.add_hint(v, key in held)
    started = time.perf_counter()
    solver = _without_presolve(options)
    solver.parameters.max_deterministic_time = min(options.time_limit, QUICK_EFFORT)
    status, stopped = guarded_solve(solver, pm.model, options)
    used = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        rest = _left(options, used, started)
        guarded = stopped.startswith(("the memory guard", "the wall-time guard"))
        if status == cp_model.UNKNOWN and not guarded and rest.wall_limit is not None and (
                rest.wall_limit < MIN_SECOND_TRY):
            # too little wall time left for the search to start: the guard stops it here
            stopped = rest.wall_said
        elif status == cp_model.UNKNOWN and not guarded and rest.time_limit > 0.01:
            # the rest of the time limit, with the presolve, before saying none was found
            solver = rest.parameters()
            status, stopped = guarded_solve(solver, pm.model, rest)
            used += solver.deterministic_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, status, stopped, used
    # the tie-break among the plans level with it, as the joint plan asks it, in what is left
    spent: list[float] = []
    slates, _stages = _tie_break(Posed(view.elections, pm, pm.levels[:-1], objective),
                                 _left(options, used, started), solver, spent)
    return slates, status, stopped, used + sum(spent)


def _tie_break(posed: Posed, options: SolverOptions, solver: cp_model.CpSolver,
               spent: list[float] | None = None) -> tuple[list[Slate], list[str]]:
    """The tie-break among the plans level with the one found: it is no rule, so a short,
    fixed (deterministic) effort, not a proof. First without the presolve (whose share of
    the effort left the 10-session plan's tie-break unsettled), and where that does not
    settle it, as long again with it, from the best plan so far. The plan the solver found
    is replaced only by one the tie-break prefers; returned with the stages."""
    model = posed.pm.model
    tie_name, tie_expr, _s = posed.pm.levels[-1]
    model.add(posed.objective == round(solver.objective_value))
    model.minimize(tie_expr)
    stages = []
    best, value = solver, float(solver.value(tie_expr))
    slates = posed.slates(solver)
    for presolve in (False, True):
        posed.hint_solution(best)
        tie = options.parameters() if presolve else _without_presolve(options)
        tie.parameters.max_deterministic_time = min(options.time_limit, TIE_BREAK_EFFORT)
        status, _stopped = guarded_solve(tie, model, options)
        if spent is not None:
            spent.append(tie.deterministic_time)
        stages.append(f"{tie_name}{'' if presolve else ', first without presolve'}: "
                      f"{tie.status_name(status)}")
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and tie.objective_value < value:
            slates = posed.slates(tie)
            best, value = tie, tie.objective_value
        if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            break
    return slates, stages


def _without_presolve(options: SolverOptions) -> cp_model.CpSolver:
    solver = options.parameters()
    solver.parameters.cp_model_presolve = False
    # symmetries found serve the presolve (level 1); without it, finding them cost 0.1 s of
    # the 10-session plan's 0.2 s proof, with the same search on every plan measured
    solver.parameters.symmetry_level = 1
    return solver


def _unwilling(el: Election, session: int, pool: dict[str, Willing] | None,
               known: dict[int, str] | None = None) -> list[Key]:
    """What may not be planned at a session: what the pool rules out, and the head post for
    anyone but its known holder where the bureau history already names one."""
    head, who = el.body.head_post, (known or {}).get(session)
    return [(s, p) for s in el.universe for p in el.body.post_names
            if not _willing(pool, s, session, p) or (who is not None and p == head and s != who)]


def _greedy(case: Case, profile: Profile, plan_turns: list[Turn],
            openings: dict[int, dt.date], elections: list[Election],
            pool: dict[str, Willing] | None, options: SolverOptions,
            known: dict[int, str] | None = None, alone: Sequence[Slate] = (),
            take_alone: bool = True) -> list[Slate]:
    """Session by session, the best slate of States that have not served yet (nor are known to
    hold a later session's head post) where there is one; else of States that have not served;
    else of any. Where a session has no slate at all, the slates of the sessions before it.
    alone: each session's best slate with no one left out, where known: when it leaves out
    those States already, it is their best too (take_alone: taken as it is then; else only a
    bound on the preferences that come before fairness)."""
    served = {h.state for h in case.history if h.session < plan_turns[0].session}
    known = known or {}
    planned: list[PastOfficer] = []
    out: list[Slate] = []
    for t, (turn, el) in enumerate(zip(plan_turns, elections, strict=True)):
        if planned:
            # the sessions planned so far are history to this one: to a rule reaching across
            # sessions (a term limit), and to the tie-break, which then seats States the
            # plan has not seated before those it has
            el = planned_election(case, profile, turn, openings[turn.session], planned)
        forbidden = _unwilling(el, turn.session, pool, known)
        # the session's known head of the bureau sits whatever it did before; known heads of
        # later sessions are kept for them, so that they need not serve twice
        mine = {known[turn.session]} if turn.session in known else set()
        # a State a rule requires on the bureau by name (a permanent member's seat, the
        # presiding State's post) sits whatever it did before: leaving it out leaves no slate
        mine |= {s for rule in profile.rules for s in rule.pinned(el)}
        later = {who for n, who in known.items() if n > turn.session} - mine
        status = "infeasible"
        slate: Slate = ()
        # the session's best alone: taken as it is where no State it seats is left out and
        # the session reads no planned history; else a bound on the preferences that come
        # before fairness (the planned history changes no preference's value)
        bound = alone[t] if t < len(alone) else ()
        best = bound if take_alone and el is elections[t] else ()
        tiers: Iterable[set[str] | None] = (
            (served | later) - mine, served - mine,
            *_fewest_again(el, turn.session, pool, served, later, mine), None, set())
        for left_out in tiers:
            if left_out is None:
                # the fairest slate of the session, given the sessions planned before it: the
                # fairness rules' own count, made as small as can be, then the preferences
                fairest = _fairest(el, turn.session, (*case.history, *planned), pool, known,
                                   options, bound)
                if fairest is not None:
                    status, slate = "solved", fairest
                    break
                continue
            if best and not {seat.state for seat in best} & left_out:
                status, slate = "solved", best
                break
            status, slate, _engine = best_slate(el, options,
                                                sorted(left_out & set(el.universe)), forbidden)
            # leaving States out never costs a preference that comes before fairness (a seat
            # the session alone would fill)
            if status == "solved" and (not left_out or not bound
                                       or _ahead(el, slate) <= _ahead(el, bound)):
                break
        if status != "solved":
            return out  # the sessions before the one with no slate: a start for the model
        out.append(slate)
        served |= {seat.state for seat in slate}
        planned += [PastOfficer(turn.session, seat.post, seat.state) for seat in slate]
    return out


def _fairness_levels(profile: Profile, counts: dict[str, dict[str, int]]) -> tuple[int, ...]:
    """A plan's fairness counts in the rules' order, to compare plans by."""
    return tuple(sum(counts.get(f, {}).values()) for f in profile.fairness)


def _levels_said(profile: Profile, counts: dict[str, dict[str, int]]) -> str:
    return ", ".join(f"{FAIRNESS_KINDS[f].label} {n}"
                     for f, n in zip(profile.fairness, _fairness_levels(profile, counts),
                                     strict=True))


def _frugal(case: Case, profile: Profile, plan_turns: list[Turn],
            openings: dict[int, dt.date], view: PlanView, pool: dict[str, Willing] | None,
            options: SolverOptions, alone: Sequence[Slate]) -> list[Slate] | None:
    """The session-by-session plan with only the preferences that come before fairness (and
    the tie-break): no session spends the States the others favour because it can. Those
    that come before fairness are held where each session's best alone holds them (a seat
    filled). None where it finds no plan."""
    kept = tuple(p for p in profile.preferences if p.before_fairness or p.planners_own)
    if len(kept) == len(profile.preferences):
        return None  # the same plan again
    frugal = dataclasses.replace(profile, preferences=kept)
    elections = [dataclasses.replace(el, profile=frugal) for el in view.elections]
    slates = _greedy(case, frugal, plan_turns, openings, elections, pool, options, view.known,
                     alone, take_alone=False)
    return slates if len(slates) == len(plan_turns) else None


AGAIN_TRIES = 6  # sets of States allowed to serve again tried, where a group is short
FAIREST_EFFORT = 1.0  # deterministic seconds for one session's fairest slate


def _fairest(el: Election, session: int, history: Sequence[PastOfficer],
             pool: dict[str, Willing] | None, known: dict[int, str], options: SolverOptions,
             bound: Slate = ()) -> Slate | None:
    """One session's slate with its fairness counts (the plan's rules, on this session alone,
    with the sessions before it as history) as small as can be, then its preferences; None
    where the model finds none in its effort."""
    view = PlanView((session,), (el,), tuple(h for h in history if h.session < session),
                    _willing_at_all(pool, el.body.post_names), known)
    pm = plan_model(view, pool)
    if bound:
        _hold_ahead(pm.model, el, ModelBackend(pm.model, pm.xs[0]), bound)
    objective, _weights = _weighted(pm.levels[:-1])
    pm.model.minimize(objective)
    solver = options.parameters()
    solver.parameters.max_deterministic_time = min(options.time_limit, FAIREST_EFFORT)
    status, _stopped = guarded_solve(solver, pm.model, options)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return ordered_slate(el, [k for k, v in pm.xs[0].items() if solver.boolean_value(v)])


def _fewest_again(el: Election, session: int, pool: dict[str, Willing] | None,
                  served: set[str], later: set[str], mine: set[str]) -> Iterator[set[str]]:
    """Where leaving out every State that served leaves no slate: the States that served to
    leave out so that as few as can be serve again while others wait (the first rule of
    fairness). A group whose States yet to serve fill its seats serves none again; a group
    short of them by r, with some waiting, has r of those that served allowed back, tried in
    the tie-break's order (least recently served first); a group with none waiting has all
    of them allowed (no one waits for their seats)."""
    yet: dict[str, int] = {}
    back: dict[str, list[str]] = {}
    willing = _willing_at_all(pool, el.body.post_names)
    for g in el.body.group_names:
        yet[g] = sum(1 for s in el.members(g) if s not in served and s not in later
                     and willing(s, session))
        back[g] = sorted((s for s in el.members(g) if s in served and s not in mine),
                         key=el.turn_rank.__getitem__)
    short = {g for g in el.body.group_names if yet[g] < el.profile.most_officers(g)}
    needy = {g: el.profile.most_officers(g) - yet[g] for g in short if yet[g]}
    kept = {s for s in served if el.group_or_none(s) not in short} - mine
    for i in range(AGAIN_TRIES if needy else 0):
        if any(i + r > len(back[g]) for g, r in needy.items()):
            break
        yield kept | {s for g, r in needy.items() for s in back[g][:i] + back[g][i + r:]}
    if not needy:
        # no one waits in the short groups: their States that served cost nothing there
        yield kept


def _ahead(el: Election, slate: Slate) -> tuple[int, ...]:
    """The slate's values of the preferences that come before fairness, each to minimise."""
    got = score(el, slate)
    return tuple(-got[p.id] if p.maximise else got[p.id]
                 for p in el.profile.preferences if p.before_fairness)


def _hold_ahead(model: cp_model.CpModel, el: Election, b: ModelBackend, best: Slate) -> None:
    """The preferences that come before fairness, met in the model as the session's best
    alone meets them."""
    ahead = iter(_ahead(el, best))
    for p in el.profile.preferences:
        if p.before_fairness:
            model.add(p.signed(el, b) <= next(ahead))


def _willing_at_all(pool: dict[str, Willing] | None, posts: Sequence[str]
                    ) -> Callable[[str, int], bool]:
    """Whether a State may be planned at a session for any post."""
    return lambda state, session: any(_willing(pool, state, session, p) for p in posts)


def _willing(pool: dict[str, Willing] | None, state: str, session: int, post: str) -> bool:
    # a seat left open is no State a pool could name: the profile's open seats are the rule
    if pool is None or open_seat_group(state) is not None:
        return True
    w = pool.get(state)
    if w is None:
        return False
    return (w.sessions is None or session in w.sessions) and (w.posts is None or post in w.posts)


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


def _infeasible(view: PlanView, pool: dict[str, Willing] | None, notes: list[str],
                options: SolverOptions, stages: list[str], started: float) -> PlanResult:
    """Name the first session that cannot be filled, and the rules that conflict there; else
    the rules that reach across sessions."""
    for session, el in zip(view.sessions, view.elections, strict=True):
        rm = RuleModel(el, options)
        forbidden = _unwilling(el, session, pool, view.known)
        core = rm.minimal_core([rm.restrict(forbidden)])
        if core:
            conflicts = rm.conflicts(core)
            limits = []
            if any(not _willing(pool, s, session, p) for s, p in forbidden):
                limits.append(("pool", "the pool", "the pool limits who may serve at session "
                               f"{session}"))
            who = view.known.get(session)
            if who is not None:
                limits.append(("known_head", "the bureau history",
                               f"the bureau history names {who} {el.body.head_post} at session "
                               f"{session}"))
            conflicts = (*conflicts, *(Conflict(rule, citation, (), f"{said}; with it, these "
                                                "rules cannot all hold")
                                       for rule, citation, said in limits))
            return PlanResult("infeasible", (), {}, conflicts, session, tuple(notes),
                              solver_info(options, stages, started), view)
    # each session alone can be filled: the sessions together cannot
    across = tuple(
        Conflict(r.id, r.citation, (), f"{r.citation}: {r.wording} Each session alone can be "
                 "filled, but not the sessions together with this rule.")
        for r in view.elections[0].profile.rules if type(r).across is not Rule.across)
    return PlanResult("infeasible", (), {}, across, None, tuple(notes),
                      solver_info(options, stages, started), view)


def fairness_summary(result: PlanResult, case: Case) -> list[dict[str, Any]]:
    """Per group: seats in the plan, distinct States, each fairness rule's count (from the rule's
    own checking face, so it adds up to the plan's fairness figures), the States serving more
    than once, and the longest wait (sessions since a State's previous service, history
    included)."""
    if result.view is None or not result.sessions:
        return []
    counts = fairness_counts(result.view, [sp.slate for sp in result.sessions])
    last: dict[str, int] = {}
    for h in sorted(case.history, key=lambda h: h.session):
        if h.session < result.sessions[0].session:
            last[h.state] = h.session
    waits: dict[str, list[tuple[int, str]]] = {}
    served: dict[str, list[str]] = {}
    for sp in result.sessions:
        for seat in sp.slate:
            g = sp.election.group(seat.state) or NO_GROUP
            served.setdefault(g, []).append(seat.state)
            if seat.state in last:
                waits.setdefault(g, []).append((sp.session - last[seat.state], seat.state))
            last[seat.state] = sp.session
    out = []
    for g in case.body.group_names:
        states = served.get(g, [])
        longest = max(waits.get(g, []), default=None)
        out.append({
            "group": g,
            "seats": len(states),
            "distinct_states": len(set(states)),
            **{rule: per.get(g, 0) for rule, per in counts.items()},
            "serving_more_than_once": sorted({s for s in states if states.count(s) > 1}),
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
        if a < 1 or b < a or b > MAX_SESSION:
            raise ValueError(f"{part!r} is not a range of sessions such as 7-10 (sessions "
                             f"1 to {MAX_SESSION})")
        if b - a >= MAX_PLAN_SESSIONS or len(out) + b - a + 1 > MAX_PLAN_SESSIONS * 2:
            raise ValueError(f"more than {MAX_PLAN_SESSIONS} sessions in one plan")
        out.update(range(a, b + 1))
    if not out:
        raise ValueError("no session given")
    if len(out) > MAX_PLAN_SESSIONS:
        raise ValueError(f"{len(out)} sessions: more than the {MAX_PLAN_SESSIONS} one plan may "
                         "hold")
    return sorted(out)


def load_pool(path: Any, spec: Any, declared: Iterable[str] = ()) -> dict[str, Willing]:
    """The pool file: state, and optionally the sessions and posts it is willing to serve.
    declared: the States the case knows beyond the UN registry's (its own states table)."""
    from pathlib import Path

    from planner.domain.names import did_you_mean, registry
    from planner.errors import Problems
    from planner.io.tables import read_table_file, require_file

    p = Path(path)
    require_file(p, "give a .csv or .xlsx with columns state [, sessions, posts]")
    problems = Problems()
    table = read_table_file("pool", p, str(p), problems)
    if table is None or not table.require(problems, "state"):
        problems.raise_if_any()
        raise AssertionError("unreachable")
    out: dict[str, Willing] = {}
    own = {s.casefold(): s for s in declared}
    for row in table.rows:
        name = row.text("state")
        state = registry().lookup(name) or own.get(name.strip().casefold())
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
