"""Alternatives, room, candidates and replacements against brute force on tiny cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.consult import rounds as consult
from planner.consult.rounds import (
    alternatives,
    candidates,
    changed_posts,
    cost,
    replace,
    room,
    slate_key,
    what_if,
)
from planner.domain.case import PastOfficer
from planner.domain.slate import Seat, Slate
from planner.io.reader import load_case, shipped_cases
from planner.rules.base import check, score
from planner.rules.election import Election, ordered_slate, prepare
from planner.rules.forms import NotDecomposable
from planner.rules.profile import open_case
from planner.solve.best import solve
from planner.solve.model import SlateModel
from planner.solve.near import Neighbourhood
from planner.solve.space import SlateSpace

from .factory import AF, AP, EE, NAMES, UNTOC, brute_force_slates, full_parties, make_case, prep
from .test_rules import tiny_elections

SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def valid(el: Election, slate: tuple[Seat, ...]) -> bool:
    return all(o.passed for o in check(el, slate))


@SLOW
@given(el=tiny_elections())
def test_count_and_order_match_brute_force(el: Election) -> None:
    every = brute_force_slates(el)
    space = SlateSpace(el)
    assert space.count() == len(every)
    listed = list(space.best())
    assert len(listed) == len(every)
    assert {slate_key(s) for s in listed} == {slate_key(s) for s in every}
    costs = [cost(el, s) for s in listed]
    assert costs == sorted(costs)


@SLOW
@given(el=tiny_elections(), k=st.integers(1, 6))
def test_alternatives_are_the_k_best_distinct(el: Election, k: int) -> None:
    every = brute_force_slates(el)
    alt = alternatives(el, k)
    if not every:
        assert alt.status == "infeasible" and alt.conflicts
        return
    assert alt.slates[0] == solve(el).slate
    keys = [slate_key(s) for s in alt.slates]
    assert len(set(keys)) == len(keys) == min(k, len(every))
    assert all(valid(el, s) for s in alt.slates)
    costs = [cost(el, s) for s in alt.slates]
    assert costs == sorted(costs)
    assert Counter(costs) == Counter(sorted(cost(el, s) for s in every)[: len(costs)])


@SLOW
@given(el=tiny_elections())
def test_room_matches_brute_force(el: Election) -> None:
    every = brute_force_slates(el)
    r = room(el)
    assert r.total == len(every)
    for g in r.groups:
        pairs = {tuple(sorted((x.state for x in s if el.group(x.state) == g.group),
                              key=el.rank.__getitem__)) for s in every}
        assert set(g.pairs) == pairs
        presidents = {x.state for s in every for x in s
                      if x.post == "President" and el.group(x.state) == g.group}
        assert set(g.single_posts["President"]) == presidents
    if not every:
        assert r.conflicts


@SLOW
@given(el=tiny_elections(), data=st.data())
def test_replace_changes_the_fewest_posts(el: Election, data: st.DataObject) -> None:
    every = brute_force_slates(el)
    if not every:
        return
    current = data.draw(st.sampled_from(every))
    gone = data.draw(st.lists(st.sampled_from([s.state for s in current]), min_size=1,
                              max_size=2, unique=True))
    r = replace(el, current, gone)
    possible = [s for s in every if not {x.state for x in s} & set(gone)]
    if not possible:
        assert r.status == "infeasible"
        return
    assert r.status == "solved" and valid(el, r.slate)
    assert not {x.state for x in r.slate} & set(gone)
    fewest = min(changed_posts(current, s) for s in possible)
    assert changed_posts(current, r.slate) == fewest
    assert len([c for c in r.changes if c.before]) == fewest
    president = next(s.state for s in current if s.post == "President")
    if president not in gone and any(Seat("President", president) in s for s in possible):
        assert Seat("President", president) in r.slate


@SLOW
@given(el=tiny_elections(), data=st.data())
def test_candidates_are_exactly_the_states_that_pass(el: Election, data: st.DataObject) -> None:
    every = brute_force_slates(el)
    if not every:
        return
    current = data.draw(st.sampled_from(every))
    seat = data.draw(st.sampled_from(current))
    group = el.group(seat.state)
    listed = candidates(el, current, seat.post, group)
    options: dict[str, list[tuple[int, str]]] = {}
    for holder in consult.seat_holders(el, current, seat.post, group):
        rest = [s for s in current if s != holder]
        for state in el.universe:
            if state in {s.state for s in current}:
                continue
            trial = (*rest, Seat(seat.post, state))
            if valid(el, trial):
                options.setdefault(state, []).append((cost(el, trial), holder.state))
    # each State once, replacing the holder (or holders, tied) whose seat it best takes
    expected = {(state, " or ".join(h for c, h in found if c == min(found)[0]))
                for state, found in options.items()}
    assert {(c.state, c.replaces) for c in listed} == expected
    assert [cost(el, c.slate) for c in listed] == sorted(cost(el, c.slate) for c in listed)


def test_fallback_to_cp_sat_lists_the_same_costs(monkeypatch: pytest.MonkeyPatch) -> None:
    el = prep(make_case(full_parties(3), president=AP, rapporteur=AF))
    exact = alternatives(el, 8)
    assert exact.method == "exact enumeration by group"

    monkeypatch.setattr(consult, "SlateSpace", _refuse)
    fallback = alternatives(el, 8)
    assert fallback.method.startswith("CP-SAT")
    assert [cost(el, s) for s in fallback.slates] == [cost(el, s) for s in exact.slates]
    assert len({slate_key(s) for s in fallback.slates}) == 8


def _refuse(*args: object, **kwargs: object) -> None:
    raise NotDecomposable("test")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections(), k=st.integers(2, 6), staged=st.booleans())
def test_the_model_lists_the_k_best_as_brute_force_does(el: Election, k: int,
                                                        staged: bool) -> None:
    """Where the rules do not decompose, the k best are every slate within the objective k
    near slates reach, sorted, or, where that bound lets in too many, one solve per slate:
    the costs of the brute force's k best either way; and so where the objective is too wide
    for one stage (staged: the listing reads the bound as a level and a tie-break within it,
    and the next slate is asked of the last tie-break's level first)."""
    import planner.solve.model as model_module

    every = brute_force_slates(el)
    if not every:
        return
    expected = sorted(cost(el, s) for s in every)[:k]
    with pytest.MonkeyPatch.context() as mp:
        if staged:
            mp.setattr(model_module, "WIDEST_WEIGHT", 0)
        mp.setattr(consult, "SlateSpace", _refuse)
        listed = alternatives(el, k)
        mp.setattr(SlateModel, "all_within", lambda *args: None)
        cut = alternatives(el, k)
    assert cut.method == "CP-SAT, one cut per slate found"
    for alt in (listed, cut):
        assert [cost(el, s) for s in alt.slates] == expected
        assert len({slate_key(s) for s in alt.slates}) == len(expected)
        assert all(valid(el, s) for s in alt.slates)


@SLOW
@given(el=tiny_elections(), k=st.integers(1, 6))
def test_slates_near_the_best_are_valid_and_costed_as_the_rules_say(el: Election, k: int
                                                                     ) -> None:
    best = solve(el)
    if best.status != "solved":
        return
    kept = (best.slate[0].state, best.slate[0].post)
    on = {s.state for s in best.slate}
    barred = [s for s in el.universe if s not in on][:1]
    near = Neighbourhood(el).around(best.slate, k, [kept], barred)
    assert frozenset((s.state, s.post) for s in best.slate) in near
    for held, c in near.items():
        slate = ordered_slate(el, held)
        assert valid(el, slate)
        assert c == cost(el, slate)
        assert kept in held and not {s for s, _p in held} & set(barred)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections(), k=st.integers(1, 8))
def test_the_walk_near_the_best_leaves_out_only_slates_dearer_than_the_k_th(
        el: Election, k: int) -> None:
    """Once k slates are known, the walk leaves out those dearer than the k-th cheapest: its k
    cheapest, and so the bound the model lists within, are those of the whole walk, and every
    slate it keeps is one the whole walk found, at the same cost."""
    best = solve(el)
    if best.status != "solved":
        return
    near = Neighbourhood(el)
    pruned = near.around(best.slate, k)
    whole = near.around(best.slate, k, every=True)
    assert sorted(pruned.values())[:k] == sorted(whole.values())[:k]
    assert all(whole[held] == c for held, c in pruned.items())
    assert near.bound(best.slate, k) == (sorted(whole.values())[k - 1]
                                         if len(whole) >= k else None)


def test_the_model_lists_the_next_best_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    el = prep(make_case(full_parties(3), president=AP, rapporteur=AF))
    exact = alternatives(el, 12)
    monkeypatch.setattr(consult, "SlateSpace", _refuse)
    listed = alternatives(el, 12)
    assert listed.method == "CP-SAT, every slate within the k-th best's objective, sorted"
    assert [cost(el, s) for s in listed.slates] == [cost(el, s) for s in exact.slates]


def test_vary_keeps_the_other_groups() -> None:
    el = prep(make_case(full_parties(4), president=AP, rapporteur=AF))
    best = solve(el).slate
    alt = alternatives(el, 20, vary=EE)
    assert alt.slates[0] == best
    others = {s for s in best if el.group(s.state) != EE}
    for slate in alt.slates:
        assert others <= set(slate)
    assert len(alt.slates) == 6  # C(4, 2) pairs of Eastern European Vice-Presidents


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.integers(2, 6), staged=st.booleans(), data=st.data())
def test_the_model_varies_one_group_as_the_enumeration_does(k: int, staged: bool,
                                                            data: st.DataObject) -> None:
    """One group varied, the others as in the first slate: the model (where the rules do not
    decompose) keeps the other groups exactly as the enumeration does, no State of theirs on
    any other seat, on bodies whose rules do not fix each group's officers (found by a
    hostile review: the model kept their officers but let another of their States sit)."""
    import planner.solve.model as model_module

    from .kinds_lab import cases, profile_data, profile_of, shapes

    shape = data.draw(shapes())
    profile = profile_of(profile_data(data.draw, shape, "rules", "post_counts",
                                      others=data.draw(st.integers(0, 1))))
    el = prepare(data.draw(cases(profile, shape)), profile)
    if solve(el).status != "solved":
        return
    vary = data.draw(st.sampled_from(el.groups_in_play))
    try:
        exact = alternatives(el, k, vary=vary)
    except NotDecomposable:
        return
    with pytest.MonkeyPatch.context() as mp:
        if staged:
            mp.setattr(model_module, "WIDEST_WEIGHT", 0)
        mp.setattr(consult, "SlateSpace", _refuse)
        model = alternatives(el, k, vary=vary)
    assert [cost(el, s) for s in model.slates] == [cost(el, s) for s in exact.slates]


def test_fix_and_exclude() -> None:
    el = prep(make_case(full_parties(4), president=AP, rapporteur=AF))
    alt = alternatives(el, 5, fixed=[("Estonia", "Vice-President")], excluded=["Algeria"])
    for slate in alt.slates:
        assert Seat("Vice-President", "Estonia") in slate
        assert "Algeria" not in {s.state for s in slate}


def test_room_on_the_real_case() -> None:
    el = prep(load_case(shipped_cases()["untoc-cop6-2012"], UNTOC))
    r = room(el)
    assert r.total > 10**9  # counted, not listed
    ap = next(g for g in r.groups if g.group == "Asia-Pacific States")
    assert ap.single_posts["President"] == ("Indonesia",) and ap.in_every_pair == ("Indonesia",)
    af = next(g for g in r.groups if g.group == "African States")
    assert len(af.single_posts["Rapporteur"]) > 10 and not af.single_posts["President"]


def test_room_names_the_state_every_pair_needs() -> None:
    parties = full_parties(3)
    parties["Benin"] = parties["Chad"] = ("convention",)  # only Algeria can hold Africa's
    r = room(prep(make_case(parties, president=AP, rapporteur=AF)))  # protocol seat
    af = next(g for g in r.groups if g.group == AF)
    assert af.in_every_pair == ("Algeria",)
    assert af.standing["convention_and_a_protocol"] == ("Algeria",)
    assert set(af.pairs) == {("Algeria", "Benin"), ("Algeria", "Chad")}


def test_replace_reports_why_a_second_post_changed() -> None:
    parties = full_parties(3)
    parties["Belarus"] = parties["Croatia"] = ("convention",)  # only Albania: protocol seat
    parties["Estonia"] = ("convention", "trafficking")
    el = prep(make_case(parties, president=AP, rapporteur=AF))
    current = solve(el).slate
    assert Seat("Vice-President", "Albania") in current
    r = replace(el, current, ["Albania"])
    assert r.status == "solved"
    change = next(c for c in r.changes if c.before == "Albania")
    assert change.reason == "Albania withdrew" and change.after == "Estonia"
    assert changed_posts(current, r.slate) == 1


def test_what_if_changes_the_case() -> None:
    case = make_case(full_parties(3), president=AP, rapporteur=AF)
    changed, said = what_if(case, absent=["Algeria"],
                            ratified=[("Kenya", "convention", dt.date(2003, 1, 1))],
                            nominate=[("Chad", "Rapporteur")])
    el = prep(changed)
    assert el.status["Algeria"].reason == "not present"
    assert el.status["Kenya"].party
    assert solve(el).slate[-1] == Seat("Rapporteur", "Chad")
    # the suppositions are the case's own, apart from the facts, and said by every result
    assert said == ()
    assert changed.suppositions == ("Algeria absent",
                                    "Kenya supposed to deposit for convention on 2003-01-01",
                                    "Chad supposed nominated for Rapporteur")
    assert any(n.startswith("This case rests on suppositions, not facts: Algeria absent; ")
               for n in el.notes)
    assert {d.action for d in changed.deposits if d.state == "Kenya"} == {"supposed"}
    assert NAMES[EE][0] in {s.state for s in solve(el).slate}


def test_a_member_body_absent_by_what_if_leaves_its_members_present() -> None:
    """CND elects from its members: a State marked absent leaves the other members present,
    and the attendance the case then carries names no State that is not a member."""
    case, _profile = open_case(shipped_cases()["cnd-69-2026"])
    assert case.attendance is None and case.members is not None
    gone = sorted(case.members)[0]
    changed, said = what_if(case, absent=[gone])
    assert changed.attendance == case.members - {gone}
    assert len(case.known_states()) > len(case.members)  # the registry's other States
    assert said == () and changed.suppositions == (f"{gone} absent",)


def test_a_treaty_body_absent_by_what_if_keeps_every_other_state_present() -> None:
    """A members table in a treaty body's case decides nothing: an absence leaves every
    other State present, not only the members listed."""
    import dataclasses

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    listed = dataclasses.replace(case, members=frozenset({"Albania", "Kenya"}))
    changed, _said = what_if(listed, absent=["Benin"])
    assert changed.attendance == frozenset(listed.known_states()) - {"Benin"}
    assert solve(prepare(changed, profile)).status == "solved"


def test_room_without_an_exact_count_says_why_and_asks_the_model(
        monkeypatch: pytest.MonkeyPatch) -> None:
    el = prep(make_case(full_parties(3), president=AP, rapporteur=AF))
    exact = room(el)
    assert exact.total is not None and not exact.not_exact

    def refuse(*args: object, **kwargs: object) -> None:
        raise NotDecomposable("the test says so")

    monkeypatch.setattr(consult, "SlateSpace", refuse)
    asked = room(el)
    assert asked.total is None and asked.not_exact == "the test says so"
    for a, b in zip(exact.groups, asked.groups, strict=True):
        assert (a.group, a.states, a.single_posts, a.in_every_pair) == (
            b.group, b.states, b.single_posts, b.in_every_pair)


@SLOW
@given(el=tiny_elections())
def test_equally_good_matches_brute_force(el: Election) -> None:
    """The slates as good as the best on every rule-based preference, counted exactly."""
    from planner.consult.rounds import equally_good

    every = brute_force_slates(el)
    rules = [p.id for p in el.profile.preferences if p.kind != "tie_break"]

    def key(slate: Slate) -> tuple[int, ...]:
        values = score(el, slate)
        return tuple(-values[r] if el.profile.rule(r).maximise else values[r]  # type: ignore[union-attr]
                     for r in rules)

    if not every:
        assert equally_good(el) == 0
        return
    best = min(key(s) for s in every)
    assert equally_good(el) == sum(key(s) == best for s in every)


def test_the_tie_break_prefers_who_served_least_recently() -> None:
    parties = full_parties(3)
    case = make_case(parties, president=AP, rapporteur=AF)
    fresh = solve(prep(case)).slate
    first = next(s.state for s in fresh if s.post == "Rapporteur")  # alphabetical: Algeria
    served = dataclasses.replace(case, history=(PastOfficer(5, "Vice-President", first),))
    el = prep(served)
    again = solve(el).slate
    assert first not in {s.state for s in again}
    assert "least recently" in el.tie_basis
    assert "alphabetical order (no bureau history" in prep(case).tie_basis


def _two_groups_of_six(data: st.DataObject) -> tuple[dict[str, tuple[str, ...]], Election]:
    """A tiny election of two groups of six States, each a party to everything or to the
    Convention and one Protocol: kinds of several States, for the reduction."""
    from .factory import ALL, CONV_P, TINY

    names = {g: NAMES[g][:6] for g in (AF, AP)}
    parties = {s: data.draw(st.sampled_from([ALL, ALL, ALL, CONV_P]))
               for g in names for s in names[g]}
    case = make_case(parties, groups={s: g for g, ss in names.items() for s in ss}, spec=TINY,
                     president=AP, rapporteur=AF)
    return parties, prep(case)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_alternatives_on_the_reduced_election_are_the_same(data: st.DataObject) -> None:
    """The k best slates use only the first (posts + k - 1) States of each kind."""
    import planner.rules.reduce as reduce_module

    parties, el = _two_groups_of_six(data)
    k = data.draw(st.integers(1, 80))
    excluded = data.draw(st.lists(st.sampled_from(sorted(parties)), max_size=2, unique=True))
    small = alternatives(el, k, excluded=excluded)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reduce_module, "reduced", lambda el, *a, **kw: el)
        whole = alternatives(el, k, excluded=excluded)
    assert [slate_key(s) for s in small.slates] == [slate_key(s) for s in whole.slates]


def test_room_by_kind_with_fixes_agrees_with_the_listing() -> None:
    case = load_case(shipped_cases()["untoc-cop6-2012"], UNTOC)
    el = prep(case)
    for fixed, excluded in (([], []), ([("Kenya", "Vice-President")], []), ([], ["Benin"]),
                            ([("Poland", "Vice-President")], ["Algeria"])):
        listed = room(el, None, fixed, excluded)
        by_kind = room(el, None, fixed, excluded, by_class=True)
        assert listed.total == by_kind.total
        # everything the text of `room` says (it counts by kind where no pairs are written)
        for a, b in zip(listed.groups, by_kind.groups, strict=True):
            assert ((a.states, a.sets, a.single_posts, a.standing, a.in_every_pair)
                    == (b.states, b.sets, b.single_posts, b.standing, b.in_every_pair))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_room_on_the_reduced_election_is_the_whole_elections(data: st.DataObject) -> None:
    """Room counted by kind runs on the reduced election (alike States left out, each kept one
    counting for them), as solve does: its count and each group's room, for the whole
    universe, are those of the whole election counted by kind and of its listing, with fixes
    and exclusions."""
    import planner.rules.reduce as reduce_module

    parties, el = _two_groups_of_six(data)
    excluded = data.draw(st.lists(st.sampled_from(sorted(parties)), max_size=2, unique=True))
    free = sorted(set(parties) - set(excluded))
    fixed = data.draw(st.lists(st.tuples(st.sampled_from(free),
                                         st.sampled_from(list(el.body.post_names))),
                               max_size=1))
    small = room(el, None, fixed, excluded, by_class=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("planner.consult.rounds.reduced", lambda el, *a, **kw: el)
        whole = room(el, None, fixed, excluded, by_class=True)
    listed = room(el, None, fixed, excluded)
    assert small.total == whole.total == listed.total
    for a, b, c in zip(small.groups, whole.groups, listed.groups, strict=True):
        seen = [(r.states, r.sets, r.single_posts, r.standing, r.in_every_pair, r.options)
                for r in (a, b, c)]
        assert seen[0] == seen[1] == seen[2]
    # the case has kinds of several States (all parties to everything: 12 States, 6 kept)
    from .factory import ALL

    if set(parties.values()) == {ALL}:
        assert len(reduce_module.reduced(el, slates=2).universe) < len(el.universe)
