"""Every registered kind, on generated profiles of every shape and generated cases: the faces
of the one definition agree with each other and with brute force. The best slate (by the
enumeration, by CP-SAT, on the reduced election and on the whole), the count of valid slates
and of equally good ones (room), the k best (alternatives) and the check of a slate (by the
check face and by the model) are each held to every slate listed and checked one by one.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.consult.rounds import alternatives, equally_good, room
from planner.domain.slate import Seat, Slate
from planner.rules.base import check, cost, score
from planner.rules.election import prepare
from planner.solve.best import solve
from planner.solve.model import RuleModel
from planner.solve.result import SolverOptions

from .kinds_lab import KINDS, brute_force, cases, profile_data, profile_of, shapes


@pytest.mark.parametrize(("section", "kind"), KINDS, ids=[f"{s}:{k}" for s, k in KINDS])
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_kind_agrees_with_brute_force(section: str, kind: str,
                                            data: st.DataObject) -> None:
    agrees_with_brute_force(section, kind, data)


@pytest.mark.slow
@pytest.mark.parametrize(("section", "kind"), KINDS, ids=[f"{s}:{k}" for s, k in KINDS])
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_kind_agrees_with_brute_force_at_length(section: str, kind: str,
                                                      data: st.DataObject) -> None:
    agrees_with_brute_force(section, kind, data)


def agrees_with_brute_force(section: str, kind: str, data: st.DataObject) -> None:
    shape = data.draw(shapes())
    profile = profile_of(profile_data(data.draw, shape, section, kind,
                                      others=data.draw(st.integers(0, 2))))
    el = prepare(data.draw(cases(profile, shape)), profile)
    valid = brute_force(el)
    costs = sorted(cost(el, s) for s in valid)
    for reduce in (True, False):
        result = solve(el, reduce=reduce)
        if not valid:
            assert result.status == "infeasible"
            assert result.conflicts  # named, never a bare no
            continue
        assert result.status == "solved"
        assert all(o.passed for o in check(el, result.slate))
        assert cost(el, result.slate) == costs[0]
    by_model = solve(el, SolverOptions(engine="cp-sat"))
    assert by_model.status == ("solved" if valid else "infeasible")
    if valid:
        assert cost(el, by_model.slate) == costs[0]
    counted = room(el)
    if counted.total is not None:
        assert counted.total == len(valid)
    if valid:
        def ranked(slate: Slate) -> tuple[int, ...]:
            got = score(el, slate)
            return tuple(-got[p.id] if p.maximise else got[p.id]
                         for p in el.profile.preferences if not p.planners_own)

        best = min(ranked(s) for s in valid)
        ties = sum(1 for s in valid if ranked(s) == best)
        found = equally_good(el)
        assert found is None or found == ties
        k = min(4, len(valid))
        listed = alternatives(el, k)
        assert [cost(el, s) for s in listed.slates] == costs[:k]
    # the check face and the model agree on any slate, valid or not
    seats = data.draw(st.lists(st.tuples(st.sampled_from(el.body.post_names),
                                         st.sampled_from(el.universe or ("Kenya",))),
                               min_size=1, max_size=4, unique=True))
    slate = tuple(Seat(p, s) for p, s in seats if s in el.universe)
    assert RuleModel(el).admits(slate) == all(o.passed for o in check(el, slate))
