"""Each rule: a tiny case it makes infeasible (named in the explanation) and its feasible twin;
and the two faces of every rule (check on a slate, constraints in the model) agree."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.body import GroupSpec, PostSpec
from planner.domain.case import PastOfficer
from planner.domain.slate import Seat, Slate
from planner.rules.base import check
from planner.rules.election import Election
from planner.solve.best import solve
from planner.solve.model import RuleModel

from .factory import (
    AF,
    ALL,
    AP,
    CONV,
    CONV_P,
    EE,
    NAMES,
    TINY,
    UNTOC,
    UNTOC_PROFILE,
    full_parties,
    make_case,
    prep,
    untoc_like,
)


def conflict_ids(el: Election) -> set[tuple[str, tuple[str, ...]]]:
    r = solve(el)
    assert r.status == "infeasible"
    assert r.slate == ()
    return {(c.rule, c.scope) for c in r.conflicts}


def assert_solves(el: Election) -> Slate:
    r = solve(el)
    assert r.status == "solved", r.conflicts
    assert all(o.passed for o in check(el, r.slate))
    return r.slate


def test_post_counts_conflict_with_seats_per_group() -> None:
    # three seats a group in five groups cannot fill ten posts
    spec = untoc_like(dataclasses.replace(UNTOC, conference_short="UNTOC3", default_cycle=()),
                      seats=3)
    el = prep(make_case(full_parties(4), spec=spec))
    ids = conflict_ids(el)
    assert ("post_counts", ()) in ids
    assert {r for r, _ in ids} == {"post_counts", "two_per_group"}
    assert_solves(prep(make_case(full_parties(4))))


def test_one_post_per_state() -> None:
    parties = full_parties(3)
    parties.pop("Benin"), parties.pop("Chad")  # Africa has Algeria only ... and one more
    parties["Egypt"] = ALL
    nominations = [("Algeria", "President", 1), ("Algeria", "Rapporteur", 1)]
    el = prep(make_case(parties, president=AF, rapporteur=AF, nominations=nominations))
    ids = conflict_ids(el)
    assert ("one_post_per_state", (AF,)) in ids
    assert ("nominations", (AF, "President")) in ids and ("nominations", (AF, "Rapporteur")) in ids
    slate = assert_solves(prep(make_case(parties, president=AF, rapporteur=AF,
                                            nominations=nominations[:1])))
    assert Seat("President", "Algeria") in slate


def test_eligibility_binds_a_nominee_who_is_absent() -> None:
    parties = full_parties(3)
    present = [s for s in parties if s != "China"]
    el = prep(make_case(parties, president=AP, attendance=present,
                           nominations=[("China", "President", 1)]))
    ids = conflict_ids(el)
    assert ids == {("eligibility", (AP,)), ("president_rotation", (AP,)),
                   ("nominations", (AP, "President"))}
    msg = next(c.message for c in solve(el).conflicts if c.rule == "eligibility")
    assert msg.startswith("rule 22(1)") and "China is not present" in msg
    assert_solves(prep(make_case(parties, president=AP, nominations=[("China", "President",
                                                                          1)])))


def test_eligibility_of_a_nominee_not_yet_a_party() -> None:
    import datetime as dt

    parties = full_parties(3)
    late = {"India": dt.date(2012, 10, 1)}  # in force for India on 2012-10-31
    el = prep(make_case(parties, president=AP, deposits_on=late,
                           nominations=[("India", "President", 1)]))
    msg = next(c.message for c in solve(el).conflicts if c.rule == "eligibility")
    assert "the Convention enters into force for it on 2012-10-31" in msg


def test_two_per_group() -> None:
    parties = full_parties(3)
    for s in NAMES[EE][1:3]:
        parties.pop(s)
    el = prep(make_case(parties))
    # without one post per State, Albania could sit twice
    assert conflict_ids(el) == {("two_per_group", (EE,)), ("one_post_per_state", (EE,))}
    msg = solve(el).conflicts[-1].message
    assert msg == ("rule 22(3): each regional group has exactly 2 officer(s); the Eastern "
                   "European States have 1 State(s) that can sit (Albania).")
    parties["Belarus"] = CONV
    assert_solves(prep(make_case(parties)))


def test_protocol_seat() -> None:
    parties = full_parties(3)
    for s in NAMES[EE][:3]:
        parties[s] = CONV
    el = prep(make_case(parties))
    assert conflict_ids(el) == {("protocol_seat", (EE,))}
    assert "None of the Eastern European States present is" in solve(el).conflicts[0].message
    parties["Croatia"] = CONV_P
    slate = assert_solves(prep(make_case(parties)))
    assert "Croatia" in {s.state for s in slate}


def test_all_instruments() -> None:
    parties = {s: CONV_P for s in full_parties(3)}
    parties["Algeria"] = ALL
    el = prep(make_case(parties))
    assert conflict_ids(el) == {("all_instruments", ()), ("one_post_per_state", (AF,))}
    assert "1 State(s) present qualify (Algeria)" in solve(el).conflicts[-1].message
    parties["Poland"] = ALL
    slate = {s.state for s in assert_solves(prep(make_case(parties)))}
    assert {"Algeria", "Poland"} <= slate


def test_president_rotation() -> None:
    parties = full_parties(2)
    vps = [(s, "Vice-President", 1) for s in NAMES[EE][:2]]
    el = prep(make_case(parties, president=EE, nominations=vps))
    assert conflict_ids(el) == {("president_rotation", (EE,)),
                                ("nominations", (EE, "Vice-President"))}
    slate = assert_solves(prep(make_case(parties, president=AP, nominations=vps)))
    assert next(s for s in slate if s.post == "President").state in NAMES[AP]


def test_rapporteur_rotation() -> None:
    parties = full_parties(2)
    vps = [(s, "Vice-President", 1) for s in NAMES[AF][:2]]
    el = prep(make_case(parties, rapporteur=AF, nominations=vps))
    assert conflict_ids(el) == {("rapporteur_rotation", (AF,)),
                                ("nominations", (AF, "Vice-President"))}
    slate = assert_solves(prep(make_case(parties, rapporteur=EE, nominations=vps)))
    assert next(s for s in slate if s.post == "Rapporteur").state in NAMES[EE]


def test_nominations_fill_seats_first_and_leave_the_rest_open() -> None:
    parties = full_parties(6)
    el = prep(make_case(parties, president=AP, rapporteur=AF,
                           nominations=[("Poland", "Vice-President", 1)]))
    slate = assert_solves(el)
    ee = [s for s in slate if s.state in NAMES[EE]]
    assert Seat("Vice-President", "Poland") in ee and len(ee) == 2


def test_nomination_priorities_prefer_first_choices() -> None:
    parties = full_parties(6)
    nominations = [("Oman", "President", 2), ("Nepal", "President", 1)]
    slate = assert_solves(prep(make_case(parties, president=AP, nominations=nominations)))
    assert slate[0] == Seat("President", "Nepal")


def test_a_nominee_holds_only_its_post() -> None:
    parties = full_parties(2)
    # Nepal is not among the first two Asia-Pacific names; nominated for Rapporteur only
    parties["Nepal"] = ALL
    el = prep(make_case(parties, president=AP, rapporteur=AF,
                           nominations=[("Nepal", "Rapporteur", 1)]))
    slate = assert_solves(el)
    assert "Nepal" not in {s.state for s in slate}


def test_if_possible_all_protocols() -> None:
    parties = full_parties(3)
    for s in NAMES[EE][:3]:
        parties[s] = CONV_P
    parties["Estonia"] = ALL
    slate = assert_solves(prep(make_case(parties)))
    assert "Estonia" in {s.state for s in slate}


def test_open_rotation_is_said() -> None:
    no_cycle = untoc_like(dataclasses.replace(UNTOC, default_cycle=()))
    el = prep(make_case(full_parties(2), spec=no_cycle))
    assert el.president_group is None
    assert any("President" in n and "open to every group" in n for n in el.notes)
    assert any("No attendance list" in n for n in el.notes)


def test_default_cycle_is_an_assumption_said() -> None:
    el = prep(make_case(full_parties(2)))  # session 6, no groups named anywhere
    assert (el.president_group, el.rapporteur_group) == (AP, AF)
    assert any("the default cycle" in n and "an assumption" in n for n in el.notes)


# ---------------------------------------------------------------------------------------------
# The two faces agree, and the solver agrees with brute force


TINY_NAMES = {AF: NAMES[AF][:4], AP: NAMES[AP][:4]}


@st.composite
def tiny_elections(draw: st.DrawFn) -> Election:
    parties: dict[str, tuple[str, ...]] = {}
    groups: dict[str, str] = {}
    for g, names in TINY_NAMES.items():
        for s in names[: draw(st.integers(1, 4))]:
            groups[s] = g
            status = draw(st.sampled_from(["none", "conv", "conv_p", "all", "all"]))
            if status != "none":
                parties[s] = {"conv": CONV, "conv_p": CONV_P, "all": ALL}[status]
    states = sorted(groups)
    absent = draw(st.lists(st.sampled_from(states), max_size=2))
    nominations = draw(st.lists(
        st.tuples(st.sampled_from(states),
                  st.sampled_from(["President", "Vice-President", "Rapporteur"]),
                  st.integers(1, 2)),
        max_size=3, unique_by=lambda t: (t[0], t[1])))
    case = make_case(
        parties, groups=groups, spec=TINY,
        president=draw(st.sampled_from([None, AF, AP])),
        rapporteur=draw(st.sampled_from([None, AF, AP])),
        nominations=nominations,
        attendance=[s for s in states if s not in absent] if absent else None,
    )
    served = draw(st.lists(st.tuples(st.sampled_from(states), st.integers(3, 5)), max_size=3))
    case = dataclasses.replace(case, history=tuple(PastOfficer(n, "Vice-President", state)
                                                   for state, n in served))
    return prep(case, extra_states=frozenset(states))


def all_slates(el: Election) -> list[Slate]:
    states = list(el.universe)
    out: list[Slate] = []
    for p, r in itertools.permutations(states, 2):
        rest = [s for s in states if s not in (p, r)]
        for vps in itertools.combinations(rest, 2):
            out.append((Seat("President", p), *(Seat("Vice-President", v) for v in vps),
                        Seat("Rapporteur", r)))
    return out


@st.composite
def any_slate(draw: st.DrawFn, el: Election) -> Slate:
    seats = draw(st.lists(st.tuples(st.sampled_from(TINY.body.post_names),
                                    st.sampled_from(el.universe)),
                          min_size=2, max_size=6, unique=True))
    return tuple(Seat(p, s) for p, s in seats)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_check_and_model_agree_on_any_slate(data: st.DataObject) -> None:
    el = data.draw(tiny_elections())
    slate = data.draw(any_slate(el))
    rm = RuleModel(el)
    assert rm.admits(slate) == all(o.passed for o in check(el, slate))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections())
def test_solver_matches_brute_force(el: Election) -> None:
    valid = [s for s in all_slates(el) if all(o.passed for o in check(el, s))]
    result = solve(el)
    if not valid:
        assert result.status == "infeasible"
        # the explanation is a minimal conflict: infeasible together, feasible without any one
        rm = RuleModel(el)
        core = [rm.literal(c.rule, c.scope) for c in result.conflicts]
        assert core and rm.core(core) is not None
        for i in range(len(core)):
            assert rm.core(core[:i] + core[i + 1:]) is None
    else:
        assert result.status == "solved"
        assert result.slate in valid or any(
            sorted(result.slate, key=repr) == sorted(v, key=repr) for v in valid)
        for s in valid:  # the slate found is best on the first preference at least
            assert result.score["nomination_priority"] <= _priority_cost(el, s)


def _priority_cost(el: Election, slate: Slate) -> int:
    from planner.rules.base import score

    return score(el, slate)["nomination_priority"]


def test_every_rule_has_citation_and_wording() -> None:
    for rule in UNTOC_PROFILE.rules:
        assert rule.id and rule.citation and rule.wording
    assert len({r.id for r in UNTOC_PROFILE.rules}) == len(UNTOC_PROFILE.rules)


def test_rules_scale_with_the_spec() -> None:
    spec = untoc_like(dataclasses.replace(
        UNTOC, conference="x", conference_short="x",
        groups=(GroupSpec(AF, "A"), GroupSpec(AP, "B"), GroupSpec(EE, "C")),
        posts=(PostSpec("President", 1), PostSpec("Vice-President", 4),
               PostSpec("Rapporteur", 1)), default_cycle=()), seats=2, min_all=1)
    el = prep(make_case(full_parties(3, (AF, AP, EE)), spec=spec))
    slate = assert_solves(el)
    assert len(slate) == 6


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_check_agrees_with_an_independent_reading(data: st.DataObject) -> None:
    from .independent import rule22_failures

    el = data.draw(tiny_elections())
    slate = data.draw(any_slate(el))
    assert all(o.passed for o in check(el, slate)) == (not rule22_failures(el, slate))
    result = solve(el)
    if result.status == "solved":
        assert rule22_failures(el, result.slate) == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_best_slate_is_best_by_an_independent_reading(data: st.DataObject) -> None:
    """The planner's objective (one weighted sum) orders slates as the preferences, read
    independently and compared in turn, do; and its slate is the best of every valid one."""
    from planner.rules.base import cost

    from .independent import rule22_failures, rule22_key

    el = data.draw(tiny_elections())
    valid = [s for s in all_slates(el) if not rule22_failures(el, s)]
    result = solve(el)
    if not valid:
        assert result.status == "infeasible"
        return
    assert result.status == "solved"
    assert rule22_key(el, result.slate) == min(rule22_key(el, s) for s in valid)
    a, b = data.draw(st.sampled_from(valid)), data.draw(st.sampled_from(valid))
    ka, kb = rule22_key(el, a), rule22_key(el, b)
    ca, cb = cost(el, a), cost(el, b)
    assert (ka < kb) == (ca < cb) and (ka == kb) == (ca == cb)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_reduction_finds_the_same_slate(data: st.DataObject) -> None:
    """Solving on the States the best slate can use gives the slate of the whole model."""
    from planner.rules.reduce import reduced

    names = {g: NAMES[g][:6] for g in (AF, AP)}
    parties: dict[str, tuple[str, ...]] = {}
    for states in names.values():
        for s in states:
            status = data.draw(st.sampled_from(["none", "conv", "conv_p", "all"]))
            if status != "none":
                parties[s] = {"conv": CONV, "conv_p": CONV_P, "all": ALL}[status]
    every = sorted(s for states in names.values() for s in states)
    served = data.draw(st.lists(st.tuples(st.sampled_from(every), st.integers(3, 5)),
                                max_size=3))
    nominated = data.draw(st.lists(st.tuples(st.sampled_from(every),
                                             st.sampled_from(["President", "Rapporteur"]),
                                             st.integers(1, 2)),
                                   max_size=2, unique_by=lambda t: (t[0], t[1])))
    case = make_case(parties, groups={s: g for g, states in names.items() for s in states},
                     spec=TINY, president=data.draw(st.sampled_from([None, AF, AP])),
                     nominations=nominated)
    case = dataclasses.replace(case, history=tuple(PastOfficer(n, "Vice-President", s)
                                                   for s, n in served))
    el = prep(case)
    from planner.rules.base import cost

    whole, small = solve(el, reduce=False), solve(el)
    assert whole.status == small.status
    if whole.status == "solved":
        # as good on every preference and on the tie-break: the same slate, but where two
        # slates tie exactly (the President and the Rapporteur swapped), either may come
        assert cost(el, whole.slate) == cost(el, small.slate)
        assert all(o.passed for o in check(el, small.slate))
    assert len(reduced(el).universe) <= len(el.universe)
