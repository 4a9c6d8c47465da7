"""Every registered kind, on generated profiles of every shape and generated cases: the faces
of the one definition agree with each other and with brute force. The best slate (by the
enumeration, by CP-SAT, on the reduced election and on the whole), the count of valid slates
and of equally good ones (room), the k best (alternatives) and the check of a slate (by the
check face and by the model) are each held to every slate listed and checked one by one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import strategies as st

from planner.consult.rounds import alternatives, equally_good, room
from planner.domain.case import Attribute, Case, Nomination, PastOfficer
from planner.domain.slate import Seat, Slate
from planner.errors import Where
from planner.rules.base import check, cost, score
from planner.rules.election import prepare
from planner.rules.kinds import RULE_KINDS
from planner.rules.profile import Profile, profile_from_data
from planner.solve.best import solve
from planner.solve.model import RuleModel
from planner.solve.result import SolverOptions

from .factory import AF, AP, CONV, EE, NAMES, brute_force_slates, full_parties, make_case
from .kinds_lab import (
    BASE_RULES,
    EXAMPLES,
    KIND_IDS,
    KINDS,
    cases,
    drawn,
    profile_data,
    profile_of,
    shapes,
)


@pytest.mark.parametrize("examples", EXAMPLES)
@pytest.mark.parametrize(("section", "kind"), KINDS, ids=KIND_IDS)
def test_every_kind_agrees_with_brute_force(section: str, kind: str, examples: int) -> None:
    drawn(examples, lambda data: agrees_with_brute_force(section, kind, data))


def agrees_with_brute_force(section: str, kind: str, data: st.DataObject) -> None:
    shape = data.draw(shapes())
    profile = profile_of(profile_data(data.draw, shape, section, kind,
                                      others=data.draw(st.integers(0, 2))))
    el = prepare(data.draw(cases(profile, shape)), profile)
    valid = brute_force_slates(el)
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


# ---------------------------------------------------------------------------------------------
# every rule kind, alone beside the three every bureau has, on a tiny case it lets through and
# a twin it makes infeasible, named in the explanation


def _pair_profile(entry: dict[str, Any], extra: list[dict[str, Any]]) -> Profile:
    data = {
        "name": "pair", "conference": "A body of two groups", "source": "its rules",
        "eligibility": "treaty",
        "groups": [{"name": AF}, {"name": AP}],
        "posts": [{"name": "President", "count": 1}, {"name": "Vice-President", "count": 2},
                  {"name": "Rapporteur", "count": 1}],
        "rotation": {"post": "President", "following": "Rapporteur"},
        "constituencies": ["island States"],
        # the kind under test takes the place of the base rule of its kind, if any
        "rules": [*(r for r in BASE_RULES if r["kind"] != entry["kind"]), *extra,
                  {"citation": "rule x", "text": "words", **entry}],
    }
    return profile_from_data(data, "pair.toml")


def _pair_case(profile: Profile, **changes: Any) -> Case:
    parties = changes.pop("parties", full_parties(2, (AF, AP)))
    case = make_case(parties, spec=profile, president=changes.pop("president", None))
    if "attendance" in changes:
        changes["attendance"] = frozenset(changes["attendance"])
    session = changes.pop("session", {})
    if session:
        case = dataclasses.replace(case, session=dataclasses.replace(case.session, **session))
    return dataclasses.replace(case, **changes)


ALGERIA, BENIN = NAMES[AF][:2]
CHINA, FIJI = NAMES[AP][:2]
EVERYONE_SERVED = tuple(PastOfficer(5, "Vice-President", s) for s in (ALGERIA, BENIN, CHINA,
                                                                      FIJI))
TWO_EACH = {"kind": "group_officers", "citation": "r", "text": "two each", "bound": "exactly",
            "count": 2}
NOMINATIONS = {"kind": "nominations", "citation": "r", "text": "nominees"}
AT_MOST_THREE = {"kind": "group_officers", "citation": "r", "text": "t", "bound": "at_most",
                 "count": 3}
PRESIDENCY_TURN = {"kind": "rotation", "citation": "r", "text": "t", "post": "President"}
# kind -> (its entry, rules beside it, what the feasible case changes, what the infeasible
# twin changes)
PAIRS: dict[str, tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any], dict[str, Any]]] = {
    "post_counts": ({"kind": "post_counts"}, [], {},
                    {"parties": full_parties(1, (AF, AP))}),
    "one_post_per_state": ({"kind": "one_post_per_state"}, [], {},
                           {"parties": full_parties(1, (AF, AP))}),
    # a State that cannot sit is in the election only where nominated: absent, it stops
    # its nomination
    "eligibility": ({"kind": "eligibility"}, [NOMINATIONS],
                    {"nominations": (Nomination(BENIN, "President", 1, "", Where("t")),)},
                    {"nominations": (Nomination(BENIN, "President", 1, "", Where("t")),),
                     "attendance": [ALGERIA, CHINA, FIJI]}),
    "group_officers": ({"kind": "group_officers", "bound": "at_least", "count": 2}, [], {},
                       {"parties": {**full_parties(1, (AF,)), **full_parties(3, (AP,))}}),
    "constituency_seat": ({"kind": "constituency_seat", "constituency": "island States",
                           "seats": 2, "group_seats": 1}, [],
                          {"parties": full_parties(3, (AF, AP)),
                           "constituencies": (("island States", frozenset({FIJI, BENIN})),)},
                          {"parties": full_parties(3, (AF, AP)),
                           "constituencies": (("island States", frozenset({FIJI})),)}),
    "party_to": ({"kind": "party_to", "condition": "convention_and_a_protocol"}, [TWO_EACH], {},
                 {"parties": {**full_parties(2, (AP,)), ALGERIA: CONV, BENIN: CONV}}),
    "quota": ({"kind": "quota", "attribute": "ldc", "value": "yes", "bound": "at_least",
               "count": 1}, [], {"attributes": (Attribute(BENIN, "ldc", "yes"),)}, {}),
    "rotation": ({"kind": "rotation", "post": "President"}, [], {"president": AF},
                 {"president": EE}),
    "presidency_post": ({"kind": "presidency_post", "post": "President"}, [],
                        {"session": {"presidency": ALGERIA}},
                        {"session": {"presidency": ALGERIA}, "attendance": [BENIN, CHINA, FIJI]}),
    "term_limit": ({"kind": "term_limit", "consecutive": 1}, [], {},
                   {"history": EVERYONE_SERVED}),
    "nominations": ({"kind": "nominations"}, [TWO_EACH],
                    {"nominations": (Nomination(ALGERIA, "President", 1, "", Where("t")),)},
                    {"nominations": tuple(Nomination(s, "President", 1, "", Where("t"))
                                          for s in (ALGERIA, BENIN))}),
    "not_from_last_groups": ({"kind": "not_from_last_groups", "post": "President"},
                             [{"kind": "rotation", "citation": "r", "text": "t",
                               "post": "President"}],
                             {"president": AF, "history": (PastOfficer(5, "President", CHINA),)},
                             {"president": AF,
                              "history": (PastOfficer(5, "President", ALGERIA),)}),
    # Fiji's seat is kept: it is a Vice-President; absent, it keeps none; two kept seats in
    # a group of two officers, with the President's post barred to them, cannot all be had
    "reserved_seats": ({"kind": "reserved_seats", "constituency": "island States",
                        "posts": ["Vice-President"]}, [TWO_EACH],
                       {"constituencies": (("island States", frozenset({FIJI})),)},
                       {"constituencies": (("island States", frozenset({FIJI, CHINA,
                                                                        ALGERIA, BENIN})),),
                        "president": AP}),
    # the African States hold one Vice-President, or none where they hold the presidency:
    # with one Asia-Pacific State present, they cannot fill the other three posts
    "group_quota": ({"kind": "group_quota", "group": AF, "posts": ["Vice-President"],
                     "count": 1, "less_where": "President"}, [AT_MOST_THREE], {},
                    {"parties": {**full_parties(3, (AF,)), **full_parties(1, (AP,))}}),
    # no Vice-President from the President's group: the African States preside, and with one
    # Asia-Pacific State present, the Vice-Presidencies cannot be filled
    "other_group_than": ({"kind": "other_group_than", "post": "Vice-President",
                          "other": "President"}, [AT_MOST_THREE, PRESIDENCY_TURN],
                         {"president": AF},
                         {"president": AF,
                          "parties": {**full_parties(3, (AF,)), **full_parties(1, (AP,))}}),
    # the African States may leave a Vice-President's seat open, but not the presidency that
    # is theirs: with none of their States present, no slate
    "open_seats": ({"kind": "open_seats", "posts": ["Vice-President"]}, [PRESIDENCY_TURN],
                   {"president": AF},
                   {"president": AF, "parties": full_parties(3, (AP,))}),
}


def test_every_rule_kind_has_its_pair() -> None:
    assert set(PAIRS) == set(RULE_KINDS)


@pytest.mark.parametrize("kind", sorted(PAIRS))
def test_each_rule_kind_lets_a_case_through_and_stops_its_twin(kind: str) -> None:
    entry, extra, feasible, infeasible = PAIRS[kind]
    entry = {"id": f"the_{kind}", **entry}
    profile = _pair_profile(entry, extra)
    ok = solve(prepare(_pair_case(profile, **feasible), profile))
    assert ok.status == "solved", ok.conflicts
    bad = solve(prepare(_pair_case(profile, **infeasible), profile))
    assert bad.status == "infeasible"
    assert entry["id"] in {c.rule for c in bad.conflicts}, bad.conflicts


def test_the_rule_language_page_lists_every_kind_and_parameter() -> None:
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    table = page[page.index("## The rule language"):page.index("**Quota.**")]
    for name, cls in RULE_KINDS.items():
        row = next((line for line in table.splitlines() if line.startswith(f"| `{name}`")),
                   None)
        assert row is not None, name
        for param, _default, spec in cls.params():
            assert (f"**`{param}`**" if spec.required else f"`{param}`") in row, (name, param)
        for fact in cls.reads:
            assert fact in row, (name, fact)


SEAT_KINDS = ["quota", "constituency_seat"]


@pytest.mark.parametrize("examples", [40, *EXAMPLES[1:]])
@pytest.mark.parametrize("kind", SEAT_KINDS)
def test_a_seat_set_apart_is_held_on_every_valid_slate(kind: str, examples: int) -> None:
    """The seats a kind sets apart (said under every slate) agree with its check: on every
    valid slate each seat has as many qualifying holders as it needs, the holders are officers
    of its group, and each could hold it (may_hold_seat, which room lists)."""
    def body(data: st.DataObject) -> None:
        shape = data.draw(shapes())
        profile = profile_of(profile_data(data.draw, shape, "rules", kind))
        el = prepare(data.draw(cases(profile, shape)), profile)
        rule = next(r for r in profile.rules if r.kind == kind)
        for slate in brute_force_slates(el):
            states = {s.state for s in slate}
            for held in rule.seats_set_apart(el, slate):
                assert 1 <= held.seats <= len(held.holders), (held, slate)
                assert set(held.holders) <= states
                assert all(el.group(s) == held.group for s in held.holders if held.group)
                assert all(rule.may_hold_seat(el, s) in (True, None) for s in held.holders)
                assert held.said().startswith(rule.name)

    drawn(examples, body)



@pytest.mark.parametrize("examples", EXAMPLES)
@pytest.mark.parametrize("section,kind", [("rules", k) for k in sorted(RULE_KINDS)])
def test_room_asked_of_the_model_agrees_with_the_enumeration(section: str, kind: str,
                                                              examples: int) -> None:
    """room_by_model (asked where the rules do not decompose) answers one State for its kind
    and on the reduced election: on every generated case it finds the same States on some
    valid slate, the same holders of each single post and the same States on every valid
    slate as the exact enumeration."""
    from planner.solve.space import SlateSpace, room_by_model

    def body(data: st.DataObject) -> None:
        shape = data.draw(shapes())
        profile = profile_of(profile_data(data.draw, shape, section, kind))
        el = prepare(data.draw(cases(profile, shape)), profile)
        exact = {r.group: r for r in SlateSpace(el).room()}
        asked = {r.group: r for r in room_by_model(el)}
        if not brute_force_slates(el):
            assert asked == {}
            return
        for group, r in asked.items():
            e = exact[group]
            assert set(r.states) == set(e.states), (group, r.states, e.states)
            assert {p: set(v) for p, v in r.single_posts.items()} == {
                p: set(v) for p, v in e.single_posts.items()}
            assert set(r.in_every_pair) == set(e.in_every_pair)

    drawn(examples, body)
