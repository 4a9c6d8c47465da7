"""The plan's own rules (fairness, and rules across sessions): their checking face and their
CP-SAT face agree on any plan, the summary adds up to the plan's figures, and every shipped
profile plans its shipped case."""

from __future__ import annotations

import dataclasses
import functools
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.consult.plan import fairness_summary, plan, plan_model, plan_view
from planner.domain.case import Case, PastOfficer
from planner.domain.slate import Slate
from planner.errors import InputError
from planner.io.reader import shipped_cases
from planner.rules.base import check, holds_need
from planner.rules.fairness import PlanEvalBackend, fairness_counts
from planner.rules.kinds import TermLimit
from planner.rules.planning import PlanView
from planner.rules.profile import open_case
from planner.solve.result import SolverOptions

from .factory import AF, AP, NAMES, TINY, brute_force_slates, full_parties, make_case
from .test_plan import tiny_plans

SOLVER = SolverOptions(time_limit=5.0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=tiny_plans(), pick=st.data())
def test_fairness_faces_agree_on_any_plan(data: tuple[Case, list[int]], pick: st.DataObject
                                          ) -> None:
    case, window = data
    view = plan_view(case, TINY, window)
    options = [brute_force_slates(el) for el in view.elections]
    if not all(options):
        return
    slates = [pick.draw(st.sampled_from(o)) for o in options]
    # the model with every session's slate fixed: its fairness levels take one value each
    pm = plan_model(view)
    for x, slate in zip(pm.xs, slates, strict=True):
        held = {(seat.state, seat.post) for seat in slate}
        for key, v in x.items():
            pm.model.add(v == int(key in held))
    solver = SOLVER.parameters()
    assert solver.solve(pm.model) in (4, 2)  # OPTIMAL or FEASIBLE: the slates are valid
    counts = fairness_counts(view, slates)
    for rule_id, expr, _most in pm.levels[:len(TINY.fairness)]:
        assert round(solver.value(expr)) == sum(counts[rule_id].values()), rule_id


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=tiny_plans())
def test_the_lean_plan_model_reaches_what_the_whole_one_does(data: tuple[Case, list[int]]
                                                             ) -> None:
    """The pairs the rules rule out (left out of the lean model) are held on no valid plan:
    every level (each fairness rule, each preference, the tie-break) has the same best value
    in both models, or neither has a plan."""
    case, window = data
    view = plan_view(case, TINY, window)
    lean, whole = plan_model(view, lean=True), plan_model(view)
    assert sum(map(len, lean.xs)) <= sum(map(len, whole.xs))
    for (name, lean_expr, _m), (_n, whole_expr, _w) in zip(lean.levels, whole.levels,
                                                             strict=True):
        best = []
        for pm, expr in ((lean, lean_expr), (whole, whole_expr)):
            pm.model.minimize(expr)
            solver = SOLVER.parameters()
            status = solver.solve(pm.model)
            assert status in (4, 3), name  # OPTIMAL or INFEASIBLE: tiny plans are settled
            best.append(round(solver.objective_value) if status == 4 else None)
        assert best[0] == best[1], name


def test_a_pool_plan_model_grows_with_the_pool_not_the_universe() -> None:
    """States a pool leaves out have no variables, and the fairness rules build nothing on
    them: their sums are the number 0, not expressions (15 States willing, 3 sessions of the
    default case: 291 variables; 1,848 when each left-out State's 0 was an expression)."""
    from planner.consult.plan import Willing

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    first = plan_view(case, profile, [7]).elections[0]
    pool = {s: Willing(None, None) for g in first.body.group_names
            for s in [m for m in first.members(g) if first.status[m].eligible][:3]}
    pm = plan_model(plan_view(case, profile, [7, 8, 9], pool), pool)
    pairs = sum(map(len, pm.xs))
    assert pairs == len(pool) * 3 * len(first.body.post_names)
    # each willing pair's terms: a few Booleans of the fairness rules and the preferences
    assert len(pm.model.proto.variables) < 3 * pairs


def _limited(consecutive: int) -> object:
    rule = TermLimit("term_limit", "rule T", "At most that many terms in a row.", consecutive)
    return dataclasses.replace(TINY, rules=(*TINY.rules, rule))


def test_term_limit_reaches_across_the_plan() -> None:
    profile = _limited(1)
    groups = {s: g for g in (AF, AP) for s in NAMES[g][:2]}
    # two States a group for two seats: the second session has nobody left
    case = make_case(full_parties(2, (AF, AP)), groups=groups, spec=profile)  # type: ignore[arg-type]
    failed = plan(case, profile, [6, 7], options=SOLVER)  # type: ignore[arg-type]
    assert failed.status == "infeasible" and failed.failing_session is None
    assert [c.rule for c in failed.conflicts] == ["term_limit"]
    assert "not the sessions together" in failed.conflicts[0].message
    # with four a group, both sessions fill, and no State sits twice in a row
    groups = {s: g for g in (AF, AP) for s in NAMES[g][:4]}
    case = make_case(full_parties(4, (AF, AP)), groups=groups, spec=profile)  # type: ignore[arg-type]
    result = plan(case, profile, [6, 7], options=SOLVER)  # type: ignore[arg-type]
    assert result.status == "solved"
    first, second = ({s.state for s in sp.slate} for sp in result.sessions)
    assert not first & second
    # the rule's checking face across the plan agrees
    assert result.view is not None
    bs = [PlanEvalBackend(sp.slate) for sp in result.sessions]
    rule = profile.rules[-1]  # type: ignore[attr-defined]
    assert all(holds_need(n) for n in rule.across(result.view, bs))
    # and fails a plan that repeats a State, history included
    seated = dataclasses.replace(case, history=tuple(
        PastOfficer(5, "Vice-President", s) for s in first))
    view = plan_view(seated, profile, [6])  # type: ignore[arg-type]
    needs = list(rule.across(view, [PlanEvalBackend(result.sessions[0].slate)]))
    assert needs and not all(holds_need(n) for n in needs)


def test_plan_refuses_past_sessions() -> None:
    case = make_case(full_parties(3))
    with pytest.raises(InputError, match="comes before the case's own session"):
        plan(case, TINY, [5, 6])


SHIPPED = ["untoc-cop6-2012", "unfccc-cop29-2024", "montreal-mop34-2022", "cnd-69-2026"]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_profile_plans_its_shipped_case(name: str) -> None:
    case, profile = open_case(shipped_cases()[name])
    first = case.session.number
    result = plan(case, profile, range(first, first + 3), options=SOLVER)
    assert result.status == "solved", result.conflicts
    assert [sp.session for sp in result.sessions] == [first, first + 1, first + 2]
    for sp in result.sessions:
        assert all(o.passed for o in check(sp.election, sp.slate)), sp.session
    # the years between sessions come from the profile
    gap = (result.sessions[1].opening.year - result.sessions[0].opening.year)
    assert gap == profile.body.session_interval
    # the summary is the rules' own count, per group, and adds up to the plan's figures
    summary = fairness_summary(result, case)
    for rule_id, total in result.fairness.items():
        assert sum(row[rule_id] for row in summary) == total
    assert sum(row["seats"] for row in summary) >= 3 * profile.body.total_posts - 3
    if case.session.presidency:  # the host is known for its own session only
        assert result.sessions[0].slate[0].state == case.session.presidency
        assert any("presiding State is known" in n for n in result.notes)


def test_summary_counts_what_happened() -> None:
    parties = full_parties(3, (AF, AP))
    groups = {s: g for g in (AF, AP) for s in NAMES[g][:3]}
    case = make_case(parties, spec=TINY, groups=groups)
    result = plan(case, TINY, [6, 7, 8], options=SOLVER)
    assert result.status == "solved"
    summary = {row["group"]: row for row in fairness_summary(result, case)}
    for g in (AF, AP):
        held = [s.state for sp in result.sessions for s in sp.slate
                if groups.get(s.state) == g]
        assert summary[g]["seats"] == len(held)
        assert summary[g]["distinct_states"] == len(set(held)) == 3
        assert summary[g]["serving_more_than_once"] == sorted(
            {s for s in held if held.count(s) > 1})
        # three States for two seats a session: each session after the first brings one back
        pairs = [{s.state for s in sp.slate if groups.get(s.state) == g}
                 for sp in result.sessions]
        assert summary[g]["consecutive_terms"] == sum(
            len(a & b) for a, b in itertools.pairwise(pairs))


def test_a_known_president_of_a_later_session_is_kept_for_it() -> None:
    """The session-by-session plan does not seat a later session's known President earlier:
    it would have to serve twice, and the plan once fell back on repeating a whole bureau."""
    import planner.consult.plan as plan_module
    from planner.domain.rotation import turns

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    case = dataclasses.replace(case, history=(*case.history,
                                              PastOfficer(8, "President", "Argentina")))
    window = list(range(7, 12))
    view = plan_view(case, profile, window)
    openings, _notes = plan_module.opening_dates(case, window)
    greedy = plan_module._greedy(case, profile, turns(case, window), openings,
                                 list(view.elections), None, SOLVER, view.known)
    assert len(greedy) == len(window)
    assert "Argentina" not in {s.state for s in greedy[0]}
    assert any(s.state == "Argentina" and s.post == "President" for s in greedy[1])
    assert sum(fairness_counts(view, greedy)["repeat_service"].values()) == 0


def test_a_known_president_out_of_turn_is_named_not_the_pool() -> None:
    """With no pool, a session that cannot be filled because the bureau history names its
    President from a group whose turn it is not says so, and blames no pool."""
    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    case = dataclasses.replace(case, history=(*case.history,
                                              PastOfficer(8, "President", "Andorra")))
    result = plan(case, profile, [7, 8, 9], options=SOLVER)
    assert result.status == "infeasible" and result.failing_session == 8
    said = [c.message for c in result.conflicts]
    assert any("the bureau history names Andorra President at session 8" in m for m in said)
    assert not any("pool" in m for m in said)


def test_a_session_that_took_place_keeps_its_known_president() -> None:
    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    known = {h.session: h.state for h in case.history if h.post == "President"}
    assert 6 in known
    # without its nomination, session 6 would go by the rules alone; the history keeps it
    bare = dataclasses.replace(case, nominations=())
    result = plan(bare, profile, [6, 7], options=SOLVER)
    assert result.status == "solved"
    first = result.sessions[0].slate
    assert next(s.state for s in first if s.post == "President") == known[6]
    assert any("Session 6 already took place" in n for n in result.notes)


@pytest.mark.slow
def test_a_plan_is_called_optimal_only_with_a_proof() -> None:
    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    proven = plan(case, profile, [7, 8], options=SOLVER)
    assert proven.solver["optimal"] is True
    # ten sessions, almost no time: the joint model cannot prove its plan
    rushed = plan(case, profile, range(7, 17), options=SolverOptions(time_limit=0.01))
    assert rushed.status == "solved" and rushed.solver["optimal"] is False
    assert any("not proven optimal" in n for n in rushed.notes)
    for sp in rushed.sessions:
        assert all(o.passed for o in check(sp.election, sp.slate))


@functools.cache
def _groups_of_five() -> tuple[Case, list[list[Slate]]]:
    """Groups of five (enough States waiting for the rule to say something) and every valid
    slate of sessions 6 and 7 (the history changes no slate's validity)."""
    groups = {s: g for g in (AF, AP) for s in NAMES[g][:5]}
    case = make_case(full_parties(5, (AF, AP)), groups=groups, spec=TINY)
    view = plan_view(case, TINY, [6, 7])
    return case, [brute_force_slates(el) for el in view.elections]


def _drawn_plan(pick: st.DataObject) -> tuple[PlanView, list[Slate]]:
    """Groups of five, up to two of their States served before, and a valid slate drawn for
    each of sessions 6 and 7."""
    base, options = _groups_of_five()
    served = pick.draw(st.lists(st.sampled_from(sorted(NAMES[AF][:5] + NAMES[AP][:5])),
                                max_size=2, unique=True))
    case = dataclasses.replace(base, history=tuple(PastOfficer(5, "Vice-President", s)
                                                   for s in served))
    return plan_view(case, TINY, [6, 7]), [pick.draw(st.sampled_from(o)) for o in options]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pick=st.data())
def test_what_a_fair_plan_implies_holds_on_every_fair_plan(pick: st.DataObject) -> None:
    """The cuts a fairness rule posts where it must not be broken (at_zero) hold on every
    plan that does not break it: they prune only plans the rule would count."""
    from planner.rules.fairness import FAIRNESS_KINDS

    view, slates = _drawn_plan(pick)
    bs = [PlanEvalBackend(slate) for slate in slates]
    counts = fairness_counts(view, slates)
    for rule_id in TINY.fairness:
        needs = list(FAIRNESS_KINDS[rule_id].at_zero(view, bs))
        if sum(counts[rule_id].values()) == 0:
            assert all(holds_need(n) for n in needs), rule_id
    # five States wait for two seats a session: the rule says something of those planned
    assert list(FAIRNESS_KINDS["repeat_service"].at_zero(view, bs))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pick=st.data())
def test_where_no_state_serves_twice_two_term_rules_count_nothing(pick: st.DataObject) -> None:
    """The joint model leaves out the terms of the rules whose breaches need two terms in the
    groups where no repeat service posts that no State serves twice: on every plan meeting
    those cuts, those rules count nothing there, and leaving the groups out of the terms
    changes no other group's count."""
    from planner.rules.fairness import FAIRNESS_KINDS

    view, slates = _drawn_plan(pick)
    once = FAIRNESS_KINDS["repeat_service"].once_at_zero(view)
    assert once  # five States wait for two seats a session
    bs = [PlanEvalBackend(slate) for slate in slates]
    cuts = list(FAIRNESS_KINDS["repeat_service"].at_zero(view, bs))
    counts = fairness_counts(view, slates)
    for rule_id in TINY.fairness:
        rule = FAIRNESS_KINDS[rule_id]
        if not rule.two_terms:
            continue
        if all(holds_need(n) for n in cuts):
            assert not any(counts[rule_id].get(g, 0) for g in once), rule_id
        rest: dict[str, int] = {}
        for g, term in rule.terms(view, bs, once):
            assert g not in once
            rest[g] = rest.get(g, 0) + int(term)
        assert rest == {g: n for g, n in counts[rule_id].items() if g not in once}, rule_id


@pytest.mark.slow
def test_the_ten_session_plan_of_the_default_case_is_proven() -> None:
    """With the fairness counts capped at the session-by-session plan's, and what no repeat
    service implies posted, the joint model proves its 10-session plan optimal."""
    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    result = plan(case, profile, list(range(7, 17)), options=SolverOptions(time_limit=3.0))
    assert result.status == "solved"
    assert result.solver["optimal"] is True, result.solver["stages"]
    assert not any("not proven optimal" in n for n in result.notes)
    # without the pairs the rules rule out and without the presolve, the tie-break is settled
    assert result.solver["stages"][-1] == "tie_break, first without presolve: OPTIMAL"



def _every_plan(view: PlanView) -> list[list[Slate]]:
    return [list(p) for p in itertools.product(*(brute_force_slates(el)
                                                 for el in view.elections))]


def _least_by_group(view: PlanView, rule_id: str) -> dict[str, int]:
    """The fewest times any plan breaks the rule, group by group, by brute force."""
    least: dict[str, int] = {}
    for slates in _every_plan(view):
        counts = fairness_counts(view, slates)[rule_id]
        for g in view.elections[0].body.group_names:
            least[g] = min(least.get(g, counts.get(g, 0)), counts.get(g, 0))
    return least


def _least_of_each(view: PlanView, rule_ids: list[str]) -> dict[str, dict[str, int]]:
    """_least_by_group of each rule, every plan counted once."""
    least: dict[str, dict[str, int]] = {r: {} for r in rule_ids}
    for slates in _every_plan(view):
        counts = fairness_counts(view, slates)
        for r in rule_ids:
            for g in view.elections[0].body.group_names:
                n = counts[r].get(g, 0)
                least[r][g] = min(least[r].get(g, n), n)
    return least


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=tiny_plans())
def test_the_counted_floors_are_never_above_any_plan(data: tuple[Case, list[int]]) -> None:
    """The counting faces of repeat_service and consecutive_terms (their floors, group by
    group) against brute force: no plan breaks a rule in a group fewer times than its floor
    there."""
    from planner.rules.fairness import FAIRNESS_KINDS

    case, window = data
    view = plan_view(case, TINY, window)
    if not all(brute_force_slates(el) for el in view.elections):
        return
    rules = ["repeat_service", "consecutive_terms"]
    least = _least_of_each(view, rules)
    for r in rules:
        floors = FAIRNESS_KINDS[r].floors(view)
        assert all(floors.get(g, 0) <= n for g, n in least[r].items()), (r, floors, least)


def _scarce_protocol() -> Case:
    """Three States in each group; in the African group only Algeria is party to a Protocol
    (each group's seats need one) and it served before; the other two never did."""
    every = ("convention", "trafficking", "firearms")
    parties = {s: every for s in NAMES[AP][:3]}
    parties |= {NAMES[AF][0]: every, NAMES[AF][1]: ("convention",),
                NAMES[AF][2]: ("convention",)}
    groups = {s: AF if s in NAMES[AF] else AP for s in parties}
    case = make_case(parties, groups=groups, spec=TINY)
    return dataclasses.replace(case, history=(PastOfficer(5, "Vice-President", NAMES[AF][0]),))


def test_a_counted_floor_proves_a_plan_that_must_break_the_rule() -> None:
    """Algeria must carry the African protocol seat at sessions 6 and 7 while Benin, then
    Chad, waits; three Asia-Pacific States fill four seats, one waiting at session 7: every
    plan breaks repeat_service twice in the one group and once in the other, brute force
    agrees, and the plan that does is proven optimal by the count, said group by group."""
    from planner.rules.fairness import FAIRNESS_KINDS

    case = _scarce_protocol()
    view = plan_view(case, TINY, [6, 7])
    assert FAIRNESS_KINDS["repeat_service"].floors(view) == {AF: 2, AP: 1}
    assert _least_by_group(view, "repeat_service") == {AF: 2, AP: 1}
    result = plan(case, TINY, [6, 7], options=SOLVER)
    assert result.fairness["repeat_service"] == 3
    assert result.solver["optimal"] is True
    assert result.solver["fairness_floor_by_group"] == {"repeat_service": {AF: 2, AP: 1},
                                                        "consecutive_terms": {AF: 2, AP: 1}}
    # under repeat_service alone, the count proves the session-by-session plan without the
    # joint model, and says so
    alone = dataclasses.replace(TINY, fairness=("repeat_service",))
    result = plan(case, alone, [6, 7], options=SOLVER)
    assert result.solver["optimal"] is True
    assert result.solver["stages"] == ["session by session, optimal by bound"]
    assert any("counted group by group" in n and f"wait 3 ({AF} 2, {AP} 1)" in n
               for n in result.notes), result.notes


def test_a_counted_floor_proves_a_plan_that_must_give_terms_in_a_row() -> None:
    """Algeria sat on the bureau of session 5 and must carry the African protocol seat at
    sessions 6 and 7; three Asia-Pacific States fill two seats at each: every plan gives the
    African group two terms in a row and the Asia-Pacific group one. Brute force agrees, and
    under consecutive_terms alone the count proves the session-by-session plan without the
    joint model, and the note says what it read."""
    from planner.rules.fairness import FAIRNESS_KINDS

    case = _scarce_protocol()
    view = plan_view(case, TINY, [6, 7])
    assert FAIRNESS_KINDS["consecutive_terms"].floors(view) == {AF: 2, AP: 1}
    assert _least_by_group(view, "consecutive_terms") == {AF: 2, AP: 1}
    alone = dataclasses.replace(TINY, fairness=("consecutive_terms",))
    result = plan(case, alone, [6, 7], options=SOLVER)
    assert result.fairness["consecutive_terms"] == 3
    assert result.solver["optimal"] is True
    assert result.solver["stages"] == ["session by session, optimal by bound"]
    assert any(f"terms in a row 3 ({AF} 2, {AP} 1)" in n
               and "which of them sat on the bureau just before" in n
               for n in result.notes), result.notes


@pytest.mark.slow
def test_past_eleven_sessions_the_count_proves_the_default_case_fair() -> None:
    """From twelve sessions on, the Eastern European group has fewer States yet to serve than
    seats: one serves again while one waits. The session-by-session plan seats as few again
    as that (it was ten before, then seven with a minute of search), and the count proves no
    plan does better; the note says the preferences are what is left unproven."""
    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    result = plan(case, profile, range(7, 19), options=SolverOptions(time_limit=1.0))
    assert result.fairness["repeat_service"] == 1
    assert result.solver["fairness_floor_by_group"] == {
        "repeat_service": {"Eastern European States": 1}}
    assert any("On fairness it is optimal" in n and "Eastern European States 1" in n
               for n in result.notes), result.notes
    for sp in result.sessions:
        assert all(o.passed for o in check(sp.election, sp.slate))
    # twenty sessions: one again in each of two groups, both proven by the count, and no
    # other fairness rule broken
    result = plan(case, profile, range(7, 27), options=SolverOptions(time_limit=1.0))
    assert result.fairness == {"repeat_service": 2, "consecutive_terms": 0,
                               "protocol_seat_repeats": 0}
    assert result.solver["fairness_floor"]["repeat_service"] == 2


def test_the_walk_over_ways_to_fill_seats_gives_up_at_its_step_budget() -> None:
    """Twenty seats over thirty kinds of one State each are millions of ways to try for the
    one that passes: the walk stops at its budget of steps, counted across a group's sessions,
    and gives no ways (no bound) rather than walking them all; a small group's ways are all
    found, and the steps they took are counted."""
    from planner.rules.fairness import MOST_TRIED, _seatings

    tried = [0]
    # all thirty seated, at most twenty seats: no way passes, and the walk would try them all
    assert _seatings([1] * 30, 20, [([1] * 30, -30, "==")], tried) is None
    assert tried[0] == MOST_TRIED + 1
    tried = [0]
    assert _seatings([2, 1], 2, [([1, 1], -2, "==")], tried) == [(1, 1), (2, 0)]
    assert 0 < tried[0] < 10
