"""The two ways to the best slate agree: the exact enumeration by group (what solve uses where
the rules decompose, without OR-Tools) and the CP-SAT model (--engine cp-sat, and wherever
the enumeration cannot run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner.solve.space as space_module
from planner.io.reader import shipped_cases
from planner.rules.base import cost
from planner.rules.election import Election, prepare
from planner.rules.forms import NotDecomposable
from planner.rules.profile import open_case
from planner.solve.best import ENUMERATION, solve
from planner.solve.result import SolverOptions

from .factory import brute_force_slates
from .test_cli import run
from .test_rules import tiny_elections

CP_SAT = SolverOptions(engine="cp-sat")
PROFILES = Path(space_module.__file__).resolve().parent.parent / "rules" / "profiles"


def _same(el: Election) -> None:
    """The same slate, or (where two slates tie on every preference and on the tie-break,
    which sums the officers' ranks) one exactly as good: each engine is deterministic."""
    auto, model = solve(el), solve(el, CP_SAT)
    assert auto.status == model.status
    assert auto.score == model.score
    if auto.slate != model.slate:
        assert cost(el, auto.slate) == cost(el, model.slate)
    assert [c.rule for c in auto.conflicts] == [c.rule for c in model.conflicts]
    assert model.solver["engine"] == "cp-sat"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections())
def test_the_enumeration_and_the_model_give_equally_good_slates(el: Election) -> None:
    _same(el)


@pytest.mark.parametrize("name", sorted(shipped_cases()))
def test_every_shipped_case_same_slate_by_both_engines(name: str) -> None:
    el = prepare(*open_case(shipped_cases()[name]))
    assert solve(el).slate == solve(el, CP_SAT).slate  # no exact tie on the real cases
    info = solve(el).solver
    assert info["optimal"] is True
    assert info["states_modelled"].endswith(f"of {len(el.universe)}")
    if name == "unga-gc73-2018":
        # eight kinds of post: the enumeration gives way, says why, and the model proves it
        assert info["engine"] == "cp-sat" and "too many" in info["enumeration"]
        assert info["stages"] == ["OPTIMAL"]
    else:
        assert info["engine"] == ENUMERATION and info["proof"]


def test_where_the_enumeration_declines_the_model_answers_and_says_why() -> None:
    el = prepare(*open_case(shipped_cases()["untoc-cop6-2012"]))

    def declines(self: object, *args: object, **kwargs: object) -> None:
        raise NotDecomposable("a rule ties the groups together")

    expected = solve(el).slate
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(space_module.SlateSpace, "__init__", declines)
        got = solve(el)
    assert got.slate == expected
    assert got.solver["engine"] == "cp-sat"
    assert got.solver["enumeration"] == "a rule ties the groups together"


def test_engine_option_cross_checks_with_cp_sat() -> None:
    auto = run("solve", "--no-write", "--json")
    model = run("solve", "--no-write", "--json", "--engine", "cp-sat")
    assert auto.exit_code == model.exit_code == 0, model.output
    a, b = json.loads(auto.stdout), json.loads(model.stdout)
    assert a["slate"] == b["slate"] and a["score"] == b["score"]
    assert a["solver"]["engine"] == ENUMERATION and b["solver"]["engine"] == "cp-sat"
    assert b["run"]["options"]["engine"] == "cp-sat"
    assert a["profile"] == {"name": "untoc-cop", "named_as": "untoc-cop",
                            "conference": "Conference of the Parties to the United Nations "
                                          "Convention against Transnational Organized Crime"}
    wrong = run("solve", "--no-write", "--engine", "gurobi")
    assert wrong.exit_code == 2 and "cp-sat" in wrong.output


def test_many_single_posts_keep_the_model_within_64_bits(tmp_path: Path) -> None:
    """Six single posts over 198 States: the tie-break's digits would overflow CP-SAT's
    objective, so plain weights are used and the model stays valid."""
    from planner.rules.preferences import TieBreak
    from planner.solve.model import SlateModel

    text = (PROFILES / "unfccc-cop.toml").read_text(encoding="utf-8")
    text = text.replace('name = "unfccc-cop"', 'name = "six-chairs"').replace(
        'name = "Vice-President"\ncount = 7', 'name = "Vice-President"\ncount = 5')
    text += "".join(f'\n[[posts]]\nname = "Chair of committee {i}"\ncount = 1\n'
                    for i in (1, 2))
    path = tmp_path / "six-chairs.toml"
    path.write_text(text, encoding="utf-8")
    el = prepare(*open_case(shipped_cases()["unfccc-cop29-2024"], str(path)))
    assert sum(1 for p in el.body.posts if p.count == 1) == 6
    assert not TieBreak._digits(el)
    assert SlateModel(el).model.validate() == ""
    _lo, hi = el.profile.preferences[-1].bounds(el)
    assert 0 <= solve(el).score["tie_break"] <= hi


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections(), data=st.data())
def test_best_slate_with_states_and_posts_ruled_out_is_the_models(el: Election,
                                                                  data: st.DataObject) -> None:
    """What a plan rules out (a pool, a known President) comes down to States left out and a
    post fixed where it can, and then the enumeration answers; either way the best is the
    model's."""
    from planner.solve.best import _as_choices, best_slate
    from planner.solve.model import SlateModel

    states = sorted(el.universe)
    posts = list(el.body.post_names)
    head = el.body.head_post
    excluded = data.draw(st.lists(st.sampled_from(states), max_size=2, unique=True))
    forbidden: set[tuple[str, str]] = set()
    shape = data.draw(st.sampled_from(["none", "states", "head", "any"]))
    if shape in ("states", "any"):  # States unwilling to serve at all
        for s in data.draw(st.lists(st.sampled_from(states), max_size=2, unique=True)):
            forbidden |= {(s, p) for p in posts}
    if shape == "head":  # the head post known to be one State's
        who = data.draw(st.sampled_from(states))
        forbidden |= {(s, head) for s in states if s != who}
    if shape == "any":  # a State willing for some posts only
        s = data.draw(st.sampled_from(states))
        forbidden |= {(s, p) for p in data.draw(st.lists(st.sampled_from(posts), min_size=1,
                                                         unique=True))}
    status, slate, _engine = best_slate(el, None, excluded, sorted(forbidden))
    model_status, model_slate = SlateModel(el, None, excluded=excluded,
                                           forbidden=sorted(forbidden)).next()
    # the model at once (as a plan asks where the rules do not decompose): on the reduced
    # election where no pair is ruled out
    by_model, by_model_slate, engine = best_slate(
        el, CP_SAT, excluded, sorted(forbidden))
    assert engine == "cp-sat"
    assert status == model_status == by_model
    if status == "solved":
        assert cost(el, slate) == cost(el, model_slate) == cost(el, by_model_slate)
        assert not {(s.state, s.post) for s in slate} & forbidden
        assert not {s.state for s in slate} & set(excluded)
    fixed, _out = _as_choices(el, set(excluded), forbidden)
    if shape in ("none", "states"):
        assert fixed == []  # the enumeration could answer


@pytest.mark.parametrize("name", ["untoc-cop6-2012", "unga-gc73-2018", "unfccc-cop29-2024"])
def test_the_model_in_two_stages_finds_the_slate_of_one(name: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An objective too wide for CP-SAT's doubles is searched in two stages (the preferences
    above the tie-break, then the tie-break among the slates level on them): forced on the
    shipped cases, whose objectives one stage searches exactly, it finds the same slate."""
    import planner.solve.model as model_module
    from planner.solve.model import solve_by_model

    case, profile = open_case(shipped_cases()[name])
    el = prepare(case, profile)
    one = solve_by_model(el)
    monkeypatch.setattr(model_module, "WIDEST_WEIGHT", 0)
    two = solve_by_model(el)
    assert one.status == two.status == "solved"
    assert sorted((s.state, s.post) for s in two.slate) == sorted(
        (s.state, s.post) for s in one.slate)
    assert any("tie-break among those level" in x for x in two.solver["stages"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections(), k=st.integers(1, 6))
def test_the_two_stages_list_the_k_best_as_brute_force_orders_them(el: Election,
                                                                   k: int) -> None:
    """In two stages, the next slate asked for again and again (the last search's tie-break
    level kept for the next) comes in the order of the whole objective, and the listing within
    a bound (read as a level and a tie-break within it) gives every slate within it."""
    import planner.solve.model as model_module
    from planner.solve.model import SlateModel

    costs = sorted(cost(el, s) for s in brute_force_slates(el))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(model_module, "WIDEST_WEIGHT", 0)
        sm = SlateModel(el)
        listed = SlateModel(el)
    got = []
    for _ in range(k):
        status, slate = sm.next()
        if status != "solved":
            assert status == "infeasible"
            break
        got.append(cost(el, slate))
        sm.exclude(slate)
    assert got == costs[:k]
    if costs and listed.staged is not None:
        bound = costs[min(k, len(costs)) - 1]
        within = listed.all_within(bound, 10_000)
        assert within is not None
        assert len(within) == sum(1 for c in costs if c <= bound)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections())
def test_the_two_stages_agree_with_the_enumeration(el: Election) -> None:
    import planner.solve.model as model_module
    from planner.solve.model import solve_by_model

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(model_module, "WIDEST_WEIGHT", 0)
        staged = solve_by_model(el)
    exact = solve(el)
    assert staged.status == exact.status
    if exact.status == "solved":
        assert cost(el, staged.slate) == cost(el, exact.slate)
