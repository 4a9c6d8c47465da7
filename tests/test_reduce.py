"""The exact reduction (planner.rules.reduce): the split by facts is finer than the kinds, and
whatever is read on the reduced election (the slate, the counts, who an officer is needed for)
is what the whole election gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import planner.rules.reduce as reduce_module
from planner.consult.rounds import equally_good
from planner.domain.slate import Slate
from planner.io.reader import shipped_cases
from planner.rules.base import check, cost
from planner.rules.election import Election, prepare
from planner.rules.forms import NotDecomposable
from planner.rules.kinds import RULE_KINDS
from planner.rules.profile import open_case
from planner.rules.reduce import carries, held_by_none, kinds_of_states, reduced
from planner.solve.best import solve
from planner.solve.space import SlateSpace

from .test_rules import all_slates, tiny_elections


def _agree(el: Election) -> None:
    kind_of = {s: i for i, kind in enumerate(kinds_of_states(el)) for s in kind}
    for part in el.alike_in_facts:
        assert len({kind_of[s] for s in part}) == 1, part
    small = reduced(el)
    assert sum(small.counts_for.get(s, 1) for s in small.universe) == len(el.universe)
    whole, lean = solve(el, reduce=False), solve(el)
    assert whole.status == lean.status
    if whole.status != "solved":
        return
    assert cost(el, whole.slate) == cost(el, lean.slate)
    try:
        space = SlateSpace(el, by_class=True)
    except NotDecomposable:  # the General Committee: its eight kinds of post
        assert equally_good(el) is None
    else:
        assert equally_good(el) == space.equally_good()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reduce_module, "LEAN_FROM", 0)  # read on the reduced election whatever its size
        for seat in lean.slate:
            assert (carries(el, lean.slate, seat.state, seat.post)
                    == carries(el, lean.slate, seat.state, seat.post, reduce=False)), seat


@pytest.mark.parametrize("name", sorted(shipped_cases()))
def test_the_reduction_agrees_with_the_whole_election_on_shipped_cases(name: str) -> None:
    el = prepare(*open_case(shipped_cases()[name]))
    _agree(el)
    if name == "untoc-cop6-2012":
        # the case the reduction is for: most States are left out, and counted by the rest
        small = reduced(el)
        assert len(small.universe) < len(el.universe) // 2
        assert any(n > 1 for n in small.counts_for.values())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections())
def test_the_reduction_agrees_with_the_whole_election(el: Election) -> None:
    _agree(el)


def test_a_plain_member_counts_the_states_left_out() -> None:
    """On a reduced election, the coefficient most of a group's States share counts the States
    each kept one stands for; a form that singles out a kept State gives the others 0."""
    from planner.rules.forms import PLAIN_MEMBER, Form, with_plain_member

    # two kinds kept two each: A and B meet a condition (48 more like them), C and D do not
    # (8 more)
    form = Form({("A", "VP"): 1, ("B", "VP"): 1})
    members = frozenset("ABCD")
    alike = [(("A", "B"), 48), (("C", "D"), 8)]
    assert with_plain_member(form, members, "VP", "mode", alike).terms[(PLAIN_MEMBER, "VP")] == 1
    # without the States left out, the kinds tie and the plain member takes 0
    assert (PLAIN_MEMBER, "VP") not in with_plain_member(form, members, "VP", "mode").terms
    # A's own constraint: B, kept beside it, has 0, so the 48 left out have 0 too
    own = Form({("A", "VP"): 1})
    assert (PLAIN_MEMBER, "VP") not in with_plain_member(own, members, "VP", "mode", alike).terms
    assert with_plain_member(own, members, "VP", "max", alike).terms[(PLAIN_MEMBER, "VP")] == 1


def _listed(el: Election, k: int) -> list[tuple[int, frozenset[tuple[str, str]]]]:
    out = []
    for slate in SlateSpace(el).best():
        out.append((cost(el, slate), frozenset((s.state, s.post) for s in slate)))
        if len(out) == k:
            break
    return out


def _by_kind_and_listed(el: Election, k: int) -> None:
    import planner.solve.space as space_module

    listed = _listed(el, k)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(space_module, "MAX_OPTIONS", 0)  # every group counted by kind
        space = SlateSpace(el)
        assert space.classes or not el.universe
        expanded = _listed(el, k)
    assert expanded == listed


@pytest.mark.parametrize("name", ["untoc-cop6-2012", "montreal-mop34-2022", "cnd-69-2026"])
def test_slates_expanded_from_kinds_come_in_the_listing_order(name: str) -> None:
    """Groups counted by kind of State give their slates lazily, best first, in the order the
    full listing gives them (ties included)."""
    el = reduced(prepare(*open_case(shipped_cases()[name])), 40)
    _by_kind_and_listed(el, 40)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections())
def test_slates_expanded_from_kinds_any_election(el: Election) -> None:
    _by_kind_and_listed(el, 25)


def test_a_group_varied_alone_lists_the_same_slates_by_kind() -> None:
    """--vary keeps the other groups as they are: by kind, their States are kept as kinds of
    their own, and the varied group's slates come in the listing's order."""
    el = reduced(prepare(*open_case(shipped_cases()["untoc-cop6-2012"])), 20)
    best = solve(el).slate
    for vary in el.body.group_names:
        only = {g: tuple((s.state, s.post) for s in best if el.group(s.state) == g)
                for g in el.groups_in_play if g != vary}
        listed, by_kind = (
            [frozenset((s.state, s.post) for s in slate)
             for slate, _ in zip(SlateSpace(el, only=only, list_up_to=up_to).best(),
                                 range(20), strict=False)]
            for up_to in (None, 0))
        assert by_kind == listed and len(listed) == 20


def test_alternatives_go_on_with_the_model_where_the_expansion_gives_up() -> None:
    """A kind too large to expand is found only as the slates are listed: the model then goes
    on from the slates already listed, repeating none."""
    import planner.solve.space as space_module
    from planner.consult.rounds import alternatives
    from planner.rules.forms import NotDecomposable

    el = prepare(*open_case(shipped_cases()["untoc-cop6-2012"]))
    listed = space_module.SlateSpace.best

    def gives_up(self: SlateSpace):  # type: ignore[no-untyped-def]
        for i, slate in enumerate(listed(self)):
            if i == 3:
                raise NotDecomposable("a kind too large to expand")
            yield slate

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(space_module.SlateSpace, "best", gives_up)
        got = alternatives(el, 8)
    assert got.method.startswith("CP-SAT")
    keys = [frozenset((s.state, s.post) for s in slate) for slate in got.slates]
    assert len(keys) == 8 and len(set(keys)) == 8
    costs = [cost(el, slate) for slate in got.slates]
    assert costs == sorted(costs)


def test_needed_for_on_many_slates_reads_the_whole_election_after_a_few() -> None:
    """Asked about many slates (one seat's candidates), the reduced elections stop after a few
    and the whole election's forms are read once: the same answers, without a reduction (and
    its memory) per slate."""
    from planner.consult.rounds import alternatives

    el = prepare(*open_case(shipped_cases()["untoc-cop6-2012"]))
    slates = alternatives(el, 6).slates
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reduce_module, "LEAN_FROM", 0)
        for slate in slates:
            for seat in slate:
                assert (carries(el, slate, seat.state, seat.post)
                        == carries(el, slate, seat.state, seat.post, reduce=False))
    assert el.__dict__["_lean"][2] == reduce_module.LEAN_SLATES


def test_room_by_kind_falls_back_on_the_listing() -> None:
    """Where a group has too many kinds of State to count by kind, the text of room still counts
    exactly, from the listing."""
    import planner.solve.space as space_module
    from planner.consult.rounds import room

    el = prepare(*open_case(shipped_cases()["untoc-cop6-2012"]))
    listed = room(el)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(space_module, "MAX_CLASS_STEPS", 0)
        by_kind = room(el, by_class=True)
    assert by_kind.total == listed.total and by_kind.total


def _never_held(el: Election) -> None:
    """No slate that meets the rules holds a pair held_by_none names: the model (every rule
    posted from its definition) finds none, maximising how many of them it holds."""
    from ortools.sat.python import cp_model

    from planner.solve.model import SlateModel

    off = held_by_none(el)
    sm = SlateModel(el)
    sm.model.maximize(cp_model.LinearExpr.sum([sm.x[k] for k in sorted(off) if k in sm.x]))
    status = sm.solver.solve(sm.model)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    if status == cp_model.OPTIMAL:
        assert round(sm.solver.objective_value) == 0


@pytest.mark.parametrize("name", sorted(shipped_cases()))
def test_pairs_held_by_none_are_held_on_no_valid_slate_of_a_shipped_case(name: str) -> None:
    el = prepare(*open_case(shipped_cases()[name]))
    _never_held(el)
    off = held_by_none(el)
    head = el.body.head_post
    turn = el.post_group(head)
    if turn is not None:
        # the rotation's group fills the head post: no one else can hold it
        assert {(s, head) for s in el.universe if el.group(s) != turn} <= off
    assert not {(s, p) for s in el.universe if not el.status[s].eligible
                for p in el.body.post_names} - off


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(el=tiny_elections())
def test_pairs_held_by_none_are_held_on_no_valid_slate(el: Election) -> None:
    off = held_by_none(el)
    valid = [s for s in all_slates(el) if all(o.passed for o in check(el, s))]
    assert not {(seat.state, seat.post) for s in valid for seat in s} & off
    if el.president_group is not None:
        assert {(s, "President") for s in el.universe if el.group(s) != el.president_group} <= off


def _needed_for_read_whole(el: Election, slate: Slate, state: str,
                           post: str) -> tuple[str, ...]:
    """Who an officer is needed for, each form read whole on the slate and on the slate with
    the seat gone to a plain member (carries reads the slate's values once for all its seats,
    and a linear form's change by its two terms)."""
    from planner.domain.slate import open_seat_group
    from planner.rules.forms import PLAIN_MEMBER, passes, with_plain_member

    if open_seat_group(state) is not None:
        return ()
    held = tuple((s.state, s.post) for s in slate)
    swapped = (*(k for k in held if k != (state, post)), (PLAIN_MEMBER, post))
    members = frozenset(s for s in el.members(el.group_or_none(state))
                        if el.status[s].eligible and open_seat_group(s) is None)
    alike = [(kept, left) for kept, left in el.alike if kept[0] in members]
    keys = {(s, post) for s in (*members, state)}
    worst = {">=": "min", "<=": "mode", "==": "mode"}
    out: list[str] = []
    for rule_id, diff, op, support in el.rule_forms:
        if rule_id not in out and keys & support:
            plain = with_plain_member(diff, members, post, worst[op], alike)
            if passes(plain.value(held), op) and not passes(plain.value(swapped), op):
                out.append(rule_id)
    for pref_id, form, support in el.preference_forms:
        if keys & support:
            plain = with_plain_member(form, members, post, "max", alike)
            if plain.value(swapped) > plain.value(held):
                out.append(pref_id)
    return tuple(out)


@pytest.mark.parametrize("name", ["untoc-cop6-2012", "unga-gc73-2018", "unfccc-cop29-2024"])
def test_needed_for_agrees_with_each_form_read_whole(name: str) -> None:
    """On the best slates, and on slates edited by hand: a seat given to a State already on
    the slate in that post (named twice: found by a hostile review, where a linear form moved
    by one copy of the seat), to a State that cannot sit, and a seat swapped between two
    officers."""
    from planner.consult.rounds import alternatives
    from planner.domain.slate import Seat

    el = prepare(*open_case(shipped_cases()[name]))
    slates = list(alternatives(el, 3).slates)
    best = slates[0]
    twice = [s for s in best if el.body.post(s.post).count > 1]
    if len(twice) > 1:
        slates.append(tuple(Seat(s.post, twice[0].state) if s is twice[1] else s for s in best))
    outsider = next((st.state for st in el.assessment.states if not st.eligible), None)
    if outsider is not None:
        slates.append((*best[:-1], Seat(best[-1].post, outsider)))
    slates.append((Seat(best[0].post, best[1].state), Seat(best[1].post, best[0].state),
                   *best[2:]))
    ours = dataclasses.replace(el)  # its own caches: the answers of one slate do not leak
    for slate in slates:
        for seat in slate:
            assert (carries(ours, slate, seat.state, seat.post, reduce=False)
                    == _needed_for_read_whole(el, slate, seat.state, seat.post)), (slate, seat)


def _same_kinds(el: Election) -> None:
    found: list[tuple[str, ...]] = []
    reduced(el, slates=2, kind_list=found)
    assert sorted(map(sorted, found)) == sorted(map(sorted, kinds_of_states(el)))


@pytest.mark.parametrize("name", sorted(shipped_cases()))
def test_the_kinds_found_with_the_reduction_are_the_whole_elections(name: str) -> None:
    """room_by_model reads the kinds of States from the reduction (the kinds among the States
    it keeps of each part alike in facts, each part whole), not from every rule's form over
    every State: the two partitions of the universe are the same."""
    _same_kinds(prepare(*open_case(shipped_cases()[name])))


def test_the_kinds_found_with_the_reduction_on_a_generated_conference(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import write_case as write_generated

    for states, posts in ((300, 10), (120, 30)):
        case, profile = open_case(write_generated(tmp_path / f"g{states}", states, 5, posts))
        _same_kinds(prepare(case, profile))


@pytest.mark.parametrize("kind", sorted(RULE_KINDS))
def test_the_kinds_found_with_the_reduction_for_every_rule_kind(kind: str) -> None:
    from hypothesis import strategies as st

    from .kinds_lab import cases, drawn, profile_data, profile_of, shapes

    def body(data: st.DataObject) -> None:
        shape = data.draw(shapes())
        profile = profile_of(profile_data(data.draw, shape, "rules", kind,
                                          others=data.draw(st.integers(0, 1))))
        _same_kinds(prepare(data.draw(cases(profile, shape, most=6)), profile))

    drawn(8, body)


def test_room_past_the_cliff_asks_nothing_of_the_whole_election_it_cannot_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the reduced election's groups have too many ways to fill their seats to list or
    count (a 100-post conference), the whole election has too: room asks the model at once,
    and says why without a count, as the whole election's refusals would have led it to."""
    import sys

    import planner.consult.rounds as rounds
    from planner.consult.rounds import room
    from planner.solve.space import MAX_OPTIONS, TooManyWays

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import write_case as write_generated

    el = prepare(*open_case(write_generated(tmp_path / "g", 400, 5, 100)))
    with pytest.raises(TooManyWays) as raised:
        SlateSpace(reduced(el, slates=2), by_class=True)
    assert raised.value.size > MAX_OPTIONS
    for by_class in (True, False):
        with pytest.raises(NotDecomposable):
            SlateSpace(el, by_class=by_class)
    for by_class in (True, False):  # counted by kind (the text), or listed (JSON, workbook)
        asked = room(el, by_class=by_class)
        assert asked.total is None and asked.not_exact == (
            f"the {raised.value.group} have so many ways to fill their seats: too many to "
            "list, and too many kinds of State to count by kind")
        with monkeypatch.context() as mp:
            mp.setattr(rounds, "MAX_OPTIONS", 10**200)  # the whole election tried first
            tried = room(el, by_class=by_class)
        assert tried.total is None and tried.groups == asked.groups


@pytest.mark.parametrize("name", sorted(shipped_cases()))
def test_the_tie_breaks_order_is_last_served_then_state_order(name: str) -> None:
    """turn_rank, sorted on keys made in C, is the order its docstring gives: States that
    never served, then those that served longest ago, then state_order."""
    from planner.domain.slate import state_order

    el = prepare(*open_case(shipped_cases()[name]))
    last = el.last_served
    order = sorted(el.universe, key=lambda s: (last.get(s, 0), state_order(s)))
    assert sorted(el.turn_rank, key=el.turn_rank.__getitem__) == order
