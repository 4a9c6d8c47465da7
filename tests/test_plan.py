"""Rotation across sessions and multi-session plans: cycle inference, the Rapporteur offset,
party status moving between sessions, fairness against brute force, and the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.consult import plan as plan_module
from planner.consult.plan import Willing, plan, session_case
from planner.domain.case import Case, Deposit, PastOfficer
from planner.domain.rotation import turns
from planner.domain.slate import Slate
from planner.errors import Where
from planner.io.reader import load_case, shipped_cases
from planner.rules.base import check, score
from planner.rules.election import Election
from planner.rules.kinds import qualifies

from .factory import (
    AF,
    AP,
    EE,
    LA,
    NAMES,
    TINY,
    UNTOC,
    WE,
    brute_force_slates,
    full_parties,
    make_case,
    prep,
    profile_of,
    visible,
)
from .test_cli import run


def test_party_status_moves_between_sessions() -> None:
    parties = full_parties(3)
    case = make_case(parties, deposits_on={"Chad": dt.date(2014, 1, 10)})
    case = dataclasses.replace(case, schedule=((6, dt.date(2012, 10, 15)),
                                               (7, dt.date(2014, 10, 6))))
    result = plan(case, profile_of(case), [6, 7])
    assert result.status == "solved"
    first, second = result.sessions
    assert first.election.status["Chad"].reason.startswith("not yet a party")
    assert second.election.status["Chad"].eligible


def test_expected_ratifications_are_forecasts() -> None:
    parties = full_parties(2)
    parties.pop("Chad", None)
    parties["Benin"] = ("convention",)  # Africa needs a protocol party: Algeria only ...
    case = make_case(parties, groups={**{s: g for g, n in NAMES.items() for s in n[:2]}})
    expected = (Deposit("Benin", "trafficking", dt.date(2013, 1, 1), "expected", Where("t")),)
    case = dataclasses.replace(case, expected=expected)
    result = plan(case, profile_of(case), [7])
    sp = result.sessions[0]
    assert "Benin" in {s.state for s in sp.slate}
    assert sp.forecasts == ("Benin",)
    assert qualifies(sp.election, "Benin", "convention_and_a_protocol")
    known = prep(session_case(case, sp.turn, sp.opening, with_forecasts=False))
    assert not qualifies(known, "Benin", "convention_and_a_protocol")


# ---------------------------------------------------------------------------------------------
# Fairness against brute force on tiny two-session plans


_SCORES: dict[tuple[int, Slate], dict[str, int]] = {}


def _score(el: Election, slate: Slate) -> dict[str, int]:
    """score, once per slate: the brute force below pairs every slate with every other."""
    key = (id(el), slate)
    if key not in _SCORES:
        _SCORES[key] = score(el, slate)
    return _SCORES[key]


def fairness(case: Case, window: list[int], elections: list[Election], slates: list[Slate]
             ) -> tuple[int, ...]:
    """The three fairness counts, computed the plain way, then the preferences summed."""
    served = {h.state for h in case.history if h.session < window[0]}
    last = {h.state for h in case.history if h.session == window[0] - 1}
    repeat = consecutive = 0
    lone: dict[str, int] = {}
    for el, slate in zip(elections, slates, strict=True):
        now = {s.state for s in slate}
        for s in now:
            g = el.group(s)
            willing_unserved = [m for m in el.members(g) if el.status[m].eligible
                                and m not in served]
            if s in served and willing_unserved:
                repeat += 1
            if s in last:
                consecutive += 1
            q = [m for m in now
                 if el.group(m) == g and qualifies(el, m, "convention_and_a_protocol")]
            if q == [s]:
                lone[s] = lone.get(s, 0) + 1
        served |= now
        last = now
    scores = [_score(el, sl) for el, sl in zip(elections, slates, strict=True)]
    prefs = [sum((-1 if r.maximise else 1) * sc[r.id] for sc in scores)
             for r in elections[0].profile.preferences[:-1]]
    return (repeat, consecutive, sum(max(0, n - 1) for n in lone.values()), *prefs)


@st.composite
def tiny_plans(draw: st.DrawFn) -> tuple[Case, list[int]]:
    parties: dict[str, tuple[str, ...]] = {}
    groups: dict[str, str] = {}
    for g in (AF, AP):
        for s in NAMES[g][: draw(st.integers(2, 3))]:
            groups[s] = g
            parties[s] = draw(st.sampled_from([("convention",), ("convention", "trafficking"),
                                               ("convention", "trafficking", "firearms")]))
    case = make_case(parties, groups=groups, spec=TINY)
    past = draw(st.lists(st.sampled_from(sorted(groups)), max_size=3, unique=True))
    when = draw(st.sampled_from([4, 5]))  # 5 is the bureau just before the window
    case = dataclasses.replace(case, history=tuple(PastOfficer(when, "Vice-President", s)
                                                   for s in past))
    return case, [6, 7]


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=tiny_plans(), joint=st.booleans())
def test_plan_is_best_by_brute_force(data: tuple[Case, list[int]], joint: bool) -> None:
    case, window = data
    with pytest.MonkeyPatch.context() as mp:
        if joint:  # force the joint model even where the session-by-session answer is proven
            mp.setattr(plan_module, "_at_bound", lambda *a: False)
        result = plan(case, profile_of(case), window)
    elections = [prep(session_case(case, t, dt.date(2012 + 2 * (t.session - 6), 10, 15)))
                 for t in turns(case, window)]
    options = [brute_force_slates(el) for el in elections]
    _SCORES.clear()  # ids of elections are reused from one example to the next
    if not all(options):
        assert result.status == "infeasible" and result.failing_session in window
        return
    best = min(fairness(case, window, elections, list(combo))
               for combo in itertools.product(*options))
    assert result.status == "solved"
    slates = [sp.slate for sp in result.sessions]
    for el, slate in zip(elections, slates, strict=True):
        assert all(o.passed for o in check(el, slate))
    assert fairness(case, window, elections, slates) == best


def test_pool_limits_who_is_planned() -> None:
    case = make_case(full_parties(3))
    pool = {s: Willing(frozenset({7}), None) for s in full_parties(3)}
    pool["Algeria"] = Willing(None, frozenset({"Vice-President"}))
    result = plan(case, profile_of(case), [7], pool)
    assert result.status == "solved"
    assert all(s.post == "Vice-President" for s in result.sessions[0].slate
               if s.state == "Algeria")
    short = {s: w for s, w in pool.items() if s not in NAMES[EE]}
    failed = plan(case, profile_of(case), [7], short)
    assert failed.status == "infeasible" and failed.failing_session == 7
    assert any(c.rule == "two_per_group" and c.scope == (EE,) for c in failed.conflicts)


def test_plan_of_the_real_case_passes_check() -> None:
    case = load_case(shipped_cases()["untoc-cop6-2012"], UNTOC)
    result = plan(case, profile_of(case), range(7, 12))
    assert result.status == "solved"
    assert [sp.opening for sp in result.sessions][:2] == [dt.date(2014, 10, 6),
                                                          dt.date(2016, 10, 17)]
    for sp in result.sessions:
        assert all(o.passed for o in check(sp.election, sp.slate))
        states = {s.state for s in sp.slate}
        assert not states & {"Philippines", "Kenya", "Indonesia"}  # served before
    assert result.fairness == {"repeat_service": 0, "consecutive_terms": 0,
                               "protocol_seat_repeats": 0}


def test_cli_rotation_and_plan(tmp_path: Path) -> None:
    data = json.loads(run("rotation", "--until", "9", "--json").stdout)
    assert [s["president_group"] for s in data["sessions"]] == [AP, EE, LA, WE]
    assert data["sessions"][0]["basis"].startswith("President: session table")
    out = tmp_path / "plan.xlsx"
    r = run("plan", "--sessions", "7-9", "--json", "--out", out)
    assert r.exit_code == 0
    plan_data = json.loads(r.stdout)
    assert plan_data["status"] == "solved"
    assert [s["session"] for s in plan_data["sessions"]] == [7, 8, 9]
    assert {"post", "state", "group"} <= set(plan_data["sessions"][0]["slate"][0])
    import openpyxl

    wb = openpyxl.load_workbook(out)
    assert visible(wb.sheetnames) == ["Session 7", "Session 8", "Session 9", "Matrix", "Fairness",
                             "Run info"]
    matrix = list(wb["Matrix"].iter_rows(values_only=True))
    assert matrix[0] == ("state", "group", "session 7", "session 8", "session 9")
    assert len(matrix) == 31
    r = run("plan", "--sessions", "9-7")
    assert r.exit_code == 2 and "is not a range of sessions" in r.output
    pool = tmp_path / "pool.csv"
    pool.write_text("state,sessions,posts\nNigerr,7,\n", encoding="utf-8")
    r = run("plan", "--sessions", "7", "--pool", pool, "--no-write")
    assert r.exit_code == 2 and "unknown State 'Nigerr'" in r.output


@pytest.mark.parametrize("joint", [False, True])
def test_no_state_again_while_another_has_not_served(joint: bool) -> None:
    parties = {s: ("convention", "trafficking") for s in full_parties(3)}
    parties["Algeria"] = ("convention", "trafficking", "firearms")  # the preferences' favourite
    parties["China"] = parties["Fiji"] = ("convention", "trafficking", "firearms")
    case = make_case(parties, spec=TINY, groups={s: g for g in (AF, AP) for s in NAMES[g][:3]})
    case = dataclasses.replace(case, history=(PastOfficer(4, "Vice-President", "Algeria"),))
    with pytest.MonkeyPatch.context() as mp:
        if joint:
            mp.setattr(plan_module, "_at_bound", lambda *a: False)
        first = plan(case, profile_of(case), [6]).sessions[0].slate
        fresh = plan(dataclasses.replace(case, history=()), profile_of(case), [6]).sessions[0].slate
    assert "Algeria" not in {s.state for s in first}
    assert "Algeria" in {s.state for s in fresh}


@pytest.mark.parametrize("joint", [False, True])
def test_no_two_terms_in_a_row_where_avoidable(joint: bool) -> None:
    parties = {s: ("convention", "trafficking") for s in full_parties(3)}
    parties["Algeria"] = ("convention", "trafficking", "firearms")
    parties["China"] = parties["Fiji"] = ("convention", "trafficking", "firearms")
    groups = {s: g for g in (AF, AP) for s in NAMES[g][:3]}
    case = make_case(parties, spec=TINY, groups=groups)
    with pytest.MonkeyPatch.context() as mp:
        if joint:
            mp.setattr(plan_module, "_at_bound", lambda *a: False)
        result = plan(case, profile_of(case), [6, 7, 8])
    africa = [{s.state for s in sp.slate if groups.get(s.state) == AF} for sp in result.sessions]
    # three States, two seats: each session one State must return, never the same pair twice
    assert africa[0] != africa[1] and africa[1] != africa[2]
    assert result.fairness["consecutive_terms"] == 2 * 2  # one return per group per session


def _tie_break_effort(case: Case, profile: Any, window: list[int], effort: float
                     ) -> tuple[dict[str, int], int, list[str]]:
    """A plan made with the joint model (forced) and this tie-break effort: its fairness and
    preference totals, its tie-break total, and the solver's stages."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan_module, "_at_bound", lambda *a: False)
        # the joint model starts from the session-by-session plan with the preferences (the
        # frugal one, fairer here, would leave the tie-break nothing to improve on)
        mp.setattr(plan_module, "_frugal", lambda *a: None)
        mp.setattr(plan_module, "TIE_BREAK_EFFORT", effort)
        result = plan(case, profile, window)
    assert result.status == "solved"
    totals: dict[str, int] = {}
    for sp in result.sessions:
        assert all(o.passed for o in check(sp.election, sp.slate))
        for k, v in score(sp.election, sp.slate).items():
            totals[k] = totals.get(k, 0) + v
    tie = totals.pop("tie_break")
    return {**totals, **result.fairness}, tie, result.solver["stages"]


def test_the_tie_break_stage_only_ever_improves_the_plan() -> None:
    """With no effort at all, the tie-break stage keeps the joint model's plan; with its
    effort, the plan it returns is level with it on fairness and every preference, and better
    on the tie-break (proven best here)."""
    every, some = ("convention", "trafficking", "firearms"), ("convention", "trafficking")
    parties = {"Algeria": every, "Benin": some, "Chad": ("convention",), "Egypt": every,
               "China": ("convention",), "Fiji": every, "India": ("convention",),
               "Japan": every}
    case = make_case(parties, groups={s: g for g in (AF, AP) for s in NAMES[g][:4]}, spec=TINY)
    # a plan the joint model improves on the session-by-session one (so the tie-break runs)
    case = dataclasses.replace(case, history=(PastOfficer(5, "Vice-President", "Egypt"),))
    rushed, rushed_tie, _ = _tie_break_effort(case, TINY, [6, 7, 8], 0.0)
    settled, settled_tie, stages = _tie_break_effort(case, TINY, [6, 7, 8],
                                                     plan_module.TIE_BREAK_EFFORT)
    assert settled == rushed
    assert settled_tie < rushed_tie  # here the joint model's first plan is not the best tied
    assert stages[-1] == "tie_break, first without presolve: OPTIMAL"


@pytest.mark.slow
def test_the_tie_break_improves_a_plan_its_first_stage_does_not_settle(tmp_path: Path) -> None:
    """On a generated conference (30 States, 3 groups) the tie-break settles nothing in either
    stage; it still improves the plan it starts from, and the plan keeps its fairness and
    preferences."""
    import sys

    from planner.rules.profile import open_case

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from generate import write_case as write_generated

    case, profile = open_case(write_generated(tmp_path / "gen", 30, 3, 6, seed=12))
    rushed, rushed_tie, _ = _tie_break_effort(case, profile, [6, 7, 8, 9], 0.0)
    settled, settled_tie, stages = _tie_break_effort(case, profile, [6, 7, 8, 9],
                                                     plan_module.TIE_BREAK_EFFORT)
    assert settled == rushed
    assert stages[-2:] == ["tie_break, first without presolve: FEASIBLE", "tie_break: FEASIBLE"]
    assert settled_tie < rushed_tie


@pytest.mark.slow
def test_a_plan_starts_from_the_fairer_of_two_session_by_session_plans(tmp_path: Path) -> None:
    """A generated conference of 200 States, 10 sessions: each session at its best spends the
    parties to every instrument, and the later sessions must seat States that served while
    others wait (before 5 December: 11 such breaches in the plan, not proven). Session by
    session with the preferences set aside breaks no fairness rule, and the joint model,
    starting there, proves the plan optimal."""
    import sys

    from planner.rules.profile import open_case
    from planner.solve.result import SolverOptions

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from generate import write_case as write_generated

    case, profile = open_case(write_generated(tmp_path / "gen", 200, 5, 10))
    window = list(range(6, 16))
    result = plan(case, profile, window)
    assert result.status == "solved" and result.solver["optimal"]
    assert result.fairness == {f: 0 for f in profile.fairness}
    assert result.solver["stages"][0].startswith(
        "session by session with the preferences set aside (fairer: serving again while "
        "others wait 0")
    for sp in result.sessions:
        assert all(o.passed for o in check(sp.election, sp.slate))
    # the plan with the preferences alone would have broken it
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan_module, "_frugal", lambda *a: None)
        greedy_only = plan(case, profile, window, options=SolverOptions(time_limit=0.01))
    assert greedy_only.view is not None
    assert sum(greedy_only.fairness.values()) > 0


@pytest.mark.slow
def test_the_guards_stop_a_long_search_and_the_plan_says_which() -> None:
    """Beside the deterministic limit, a wall-time guard and a memory guard: a 12-session plan
    of the default case (never proven) is stopped by each, and the plan says which stopped
    it; the plan found stands, valid session by session."""
    from planner.rules.profile import open_case
    from planner.solve.result import SolverOptions

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    window = list(range(7, 19))
    for options, said in ((SolverOptions(time_limit=600, wall_limit=1.0), "wall-time guard"),
                          (SolverOptions(time_limit=600, memory_limit=1), "memory guard")):
        result = plan(case, profile, window, None, options)
        assert result.status == "solved" and not result.solver["optimal"]
        assert said in result.solver["stopped_by"]
        assert any(f"stopped by the {said}" in n for n in result.notes)
        for sp in result.sessions:
            assert all(o.passed for o in check(sp.election, sp.slate))


@pytest.mark.slow
def test_a_first_plan_spends_the_plans_one_budget_and_says_the_limits_given() -> None:
    """Where the joint model is asked for a first plan (session by session forced to find
    none here), it and the search after it share the limits given: the plan records those
    limits, not what was left of them, and a guard that stopped it is named with the limit the
    user set (found by a hostile review: the first plan took the whole wall limit again)."""
    from planner.rules.profile import open_case
    from planner.solve.result import SolverOptions

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan_module, "_greedy", lambda *a, **k: [])
        result = plan(case, profile, list(range(7, 17)),
                      options=SolverOptions(time_limit=1000, wall_limit=2.0))
    assert result.solver["deterministic_time_limit"] == 1000
    assert result.solver["wall_limit"] == 2.0
    stopped = result.solver.get("stopped_by", "") or " ".join(result.notes)
    assert "the wall-time guard (2 s)" in stopped


def test_a_search_ended_short_of_its_wall_limit_is_said_stopped_by_the_wall_guard() -> None:
    """CP-SAT ends a search without a proof only at a limit, and it stops short of a wall
    limit, the more so the shorter the limit: the figures below were measured on the first
    plan of the default case (0.46 s of a 0.60 s wall limit, almost no deterministic time).
    The guard that stopped it is named, not "nothing" (a CI run once failed here: the plan
    then told the user to raise the deterministic limit)."""
    from ortools.sat.python import cp_model

    from planner.solve.result import SolverOptions, guarded_solve

    class Ended:
        """A solver that ended as the measured search did: no plan, nothing proven."""

        def __init__(self, wall: float, det: float) -> None:
            self.parameters = cp_model.CpSolver().parameters
            self.parameters.max_time_in_seconds = 0.599
            self.parameters.max_deterministic_time = 999.393
            self.wall_time, self.deterministic_time = wall, det

        def solve(self, model: cp_model.CpModel) -> Any:
            return cp_model.UNKNOWN

    options = SolverOptions(time_limit=1000, wall_limit=2.0)
    model = cp_model.CpModel()
    status, said = guarded_solve(Ended(0.463, 0.001), model, options)  # type: ignore[arg-type]
    assert status == cp_model.UNKNOWN and said == options.wall_said
    assert "the wall-time guard (2 s)" in said
    # the deterministic limit, where the search ended nearer it
    status, said = guarded_solve(Ended(0.1, 999.0), model, options)  # type: ignore[arg-type]
    assert said == options.time_said
    # a proof is stopped by nothing
    proven = Ended(0.599, 0.0)
    proven.solve = lambda model: cp_model.OPTIMAL  # type: ignore[method-assign]
    assert guarded_solve(proven, model, options) == (cp_model.OPTIMAL, "")  # type: ignore[arg-type]
