"""Generated profiles of every shape and generated cases that give every fact, for the tests
that hold every registered kind to its declarations and to brute force.

A profile is drawn as a TOML file's data (and read by the same reader as a file): two or three
of the UN groups, two or three posts, the three rules every bureau has, and the kind under test
with drawn parameters, sometimes beside other kinds. A case gives each fact some States differ
in: standing under a treaty (or membership), attendance, nominations with persons and officers'
attributes, a bureau history with persons and hold-overs, an attributes table, a presiding
State, whose turn it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planner.domain.case import (
    Attribute,
    Case,
    Deposit,
    Membership,
    Nomination,
    PastOfficer,
    Session,
)
from planner.errors import Where
from planner.rules.fairness import FAIRNESS_KINDS
from planner.rules.kinds import RULE_KINDS
from planner.rules.preferences import PREFERENCE_KINDS
from planner.rules.profile import Profile, profile_from_data

from .factory import ALL, CONV, CONV_P, INSTRUMENTS, NAMES, UNTOC

GROUPS = UNTOC.group_names
OPENING = dt.date(2012, 10, 15)
SESSION = 6
PERSONS = ("", "", "Ana Silva", "Ben Okafor", "Chen Li")
CONDITIONS = ("party_to_convention", "convention_and_a_protocol",
              "convention_and_all_protocols", "all_instruments")
BASE_RULES = [
    {"kind": "post_counts", "citation": "r", "text": "posts filled"},
    {"kind": "one_post_per_state", "citation": "r", "text": "one post each"},
    {"kind": "eligibility", "citation": "r", "text": "who may sit"},
]


def _common(kind: str) -> dict[str, Any]:
    return {"kind": kind, "id": f"under_test_{kind}", "citation": "rule x", "text": "words"}


Drawn = Callable[[st.DrawFn, dict[str, Any]], dict[str, Any]]


def _group_officers(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    return {"bound": draw(st.sampled_from(["exactly", "at_least", "at_most"])),
            "count": draw(st.integers(0, 2))}


def _constituency_seat(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    groups, total = len(shape["groups"]), shape["total"]
    fits = [s for s in range(1, total + 1) if (total - s) % groups == 0]
    assume(fits)
    seats = draw(st.sampled_from(fits))
    return {"constituency": "small island developing States", "seats": seats,
            "group_seats": (total - seats) // groups}


def _party_to(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    assume(shape["eligibility"] == "treaty")
    return {"condition": draw(st.sampled_from(CONDITIONS)),
            "scope": draw(st.sampled_from(["each_group", "bureau"])),
            "at_least": draw(st.integers(1, 2))}


def _quota(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    attribute = draw(st.sampled_from(["ldc", "gender", "region"]))
    scope = draw(st.sampled_from(["bureau", "each_group", "each_value"]))
    out: dict[str, Any] = {"attribute": attribute,
                           "bound": draw(st.sampled_from(["exactly", "at_least", "at_most"])),
                           "count": draw(st.integers(0, 2)), "scope": scope,
                           "others": draw(st.booleans())}
    if scope != "each_value":
        out["value"] = {"ldc": "yes", "gender": "female", "region": "AFRO"}[attribute]
    if draw(st.booleans()):
        out["posts"] = draw(st.lists(st.sampled_from(shape["post_names"]), min_size=1,
                                     unique=True))
    return out


def _rotation(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    return {"post": draw(st.sampled_from(shape["rotating"]))}


def _one_post(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    return {"post": draw(st.sampled_from(shape["post_names"]))}


def _term_limit(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    return {"consecutive": draw(st.integers(1, 2)),
            "counts": draw(st.sampled_from(["state", "person"]))}


def _last_groups(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    return {"post": draw(st.sampled_from(shape["post_names"])),
            "sessions": draw(st.integers(1, 2))}


def _none(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    return {}


def _reserved_seats(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"constituency": "small island developing States"}
    if draw(st.booleans()):
        out["posts"] = draw(st.lists(st.sampled_from(shape["post_names"]), min_size=1,
                                     unique=True))
    return out


def _group_quota(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    posts = draw(st.lists(st.sampled_from(shape["post_names"]), min_size=1, unique=True))
    out: dict[str, Any] = {"group": draw(st.sampled_from(shape["groups"])), "posts": posts,
                           "count": draw(st.integers(0, 2)),
                           "bound": draw(st.sampled_from(["exactly", "at_least", "at_most"]))}
    rest = [p for p in shape["post_names"] if p not in posts]
    if rest and draw(st.booleans()):
        out["less_where"] = draw(st.sampled_from(rest))
    if draw(st.booleans()):
        out["excluding"] = "small island developing States"
    return out


def _other_group_than(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    assume(len(shape["post_names"]) > 1)
    post, other = draw(st.permutations(shape["post_names"]))[:2]
    return {"post": post, "other": other}


def _open_seats(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"posts": draw(st.lists(st.sampled_from(shape["post_names"]), min_size=1,
                                       unique=True))}
    return {}


def _condition(draw: st.DrawFn, shape: dict[str, Any]) -> dict[str, Any]:
    assume(shape["eligibility"] == "treaty")
    return {"condition": draw(st.sampled_from(CONDITIONS))}


# how to draw the parameters of each registered kind: a kind added to a registry without an
# entry here fails test_every_registered_kind_is_drawn
RULE_PARAMS: dict[str, Drawn] = {
    "post_counts": _none, "one_post_per_state": _none, "eligibility": _none,
    "group_officers": _group_officers, "constituency_seat": _constituency_seat,
    "party_to": _party_to, "quota": _quota, "rotation": _rotation,
    "presidency_post": _one_post, "term_limit": _term_limit, "nominations": _none,
    "not_from_last_groups": _last_groups, "reserved_seats": _reserved_seats,
    "group_quota": _group_quota, "other_group_than": _other_group_than,
    "open_seats": _open_seats,
}
PREFERENCE_PARAMS: dict[str, Drawn] = {
    "nomination_priority": _none, "groups_with": _condition, "officers_with": _condition,
    "tie_break": _none,
}
FAIRNESS_IDS = tuple(FAIRNESS_KINDS)
KINDS = tuple([("rules", k) for k in RULE_KINDS] + [("preferences", k) for k in
              PREFERENCE_KINDS if k != "tie_break"] + [("fairness", k) for k in FAIRNESS_IDS])


@st.composite
def shapes(draw: st.DrawFn) -> dict[str, Any]:
    """The bureau's shape: groups, posts, who may sit."""
    groups = list(GROUPS[:draw(st.integers(2, 3))])
    vice = draw(st.integers(0, 2))
    posts = [("Chair", 1), *([("Vice-Chair", vice)] if vice else []), ("Rapporteur", 1)]
    if draw(st.booleans()):
        posts = posts[:-1] if vice else posts
    names = [p for p, _n in posts]
    return {"groups": groups, "posts": posts, "post_names": names,
            "total": sum(n for _p, n in posts),
            "eligibility": draw(st.sampled_from(["treaty", "membership"])),
            "rotating": names[:1] + names[-1:] if len(names) > 1 else names}


def profile_data(draw: st.DrawFn, shape: dict[str, Any], section: str, kind: str,
                 others: int = 0) -> dict[str, Any]:
    """A profile's data with the kind under test (and `others` more kinds, drawn)."""
    rules = [dict(r) for r in BASE_RULES]
    prefs: list[dict[str, Any]] = []
    fairness: list[str] = []

    def add(sec: str, name: str) -> None:
        if sec == "fairness":
            fairness.append(name)
            return
        table = RULE_PARAMS if sec == "rules" else PREFERENCE_PARAMS
        entry = {**_common(name), **table[name](draw, shape)}
        entry["id"] = f"{entry['id']}_{len(rules) + len(prefs)}"
        (rules if sec == "rules" else prefs).append(entry)

    add(section, kind)
    for _ in range(others):
        sec, name = draw(st.sampled_from(KINDS))
        if sec == "rules" and name in ("post_counts", "one_post_per_state", "eligibility"):
            continue
        if sec == "fairness" and name in fairness:
            continue
        add(sec, name)
    data: dict[str, Any] = {
        "name": "lab", "conference": "A generated body", "source": "generated",
        "eligibility": shape["eligibility"],
        "groups": [{"name": g} for g in shape["groups"]],
        "posts": [{"name": p, "count": n} for p, n in shape["posts"]],
        "rotation": {"post": shape["rotating"][0],
                     **({"following": shape["rotating"][1]}
                        if len(shape["rotating"]) > 1 else {})},
        "rules": rules, "preferences": prefs, "fairness": fairness,
    }
    if any("constituency" in r or "excluding" in r for r in rules):
        data["constituencies"] = ["small island developing States"]
    if "protocol_seat_repeats" in fairness:
        data["fairness_condition"] = "convention_and_a_protocol"
    return data


def profile_of(data: dict[str, Any]) -> Profile:
    return profile_from_data(data, "generated.toml")


@st.composite
def cases(draw: st.DrawFn, profile: Profile, shape: dict[str, Any], most: int = 3) -> Case:
    """A case for the profile in which States differ in every fact."""
    body = profile.body
    states: dict[str, str] = {}
    for g in shape["groups"]:
        for s in NAMES[g][:draw(st.integers(1, most))]:
            states[s] = g
    names = sorted(states)
    parties = {s: draw(st.sampled_from([(), CONV, CONV_P, ALL, ALL])) for s in names}
    deposits = tuple(Deposit(s, i, dt.date(2002, 1, 1), "ratification", Where("lab"))
                     for s in names for i in parties[s])
    absent = draw(st.lists(st.sampled_from(names), max_size=1))
    posts = shape["post_names"]
    nominations = draw(st.lists(st.tuples(
        st.sampled_from(names), st.sampled_from(posts), st.integers(1, 2),
        st.sampled_from(PERSONS), st.sampled_from(["", "female", "male"])),
        max_size=3, unique_by=lambda t: (t[0], t[1])))
    history = draw(st.lists(st.tuples(
        st.sampled_from(names), st.integers(SESSION - 2, SESSION - 1), st.sampled_from(posts),
        st.sampled_from(PERSONS), st.booleans()), max_size=4))
    attributes = [Attribute(s, "ldc", "yes") for s in names if draw(st.booleans())]
    attributes += [Attribute(s, "region", draw(st.sampled_from(["AFRO", "EURO"])))
                   for s in names if draw(st.booleans())]
    sids = frozenset(s for s in names if draw(st.booleans()))
    presidency = draw(st.sampled_from([None, *names]))
    turn = draw(st.sampled_from([None, *shape["groups"]]))
    members = frozenset(s for s in names if draw(st.integers(0, 5)) > 0)
    return Case(
        name="lab", path=Path("lab"), body=body,
        instruments=INSTRUMENTS if body.eligibility == "treaty" else (),
        deposits=deposits if body.eligibility == "treaty" else (),
        signatures=(),
        memberships=tuple(Membership(s, g) for s, g in sorted(states.items())),
        session=Session("Lab", SESSION, OPENING, turn, None, presidency=presidency),
        attendance=frozenset(s for s in names if s not in absent) if absent else None,
        nominations=tuple(Nomination(s, p, k, person, Where("lab"),
                                     (("gender", gender),) if gender else ())
                          for s, p, k, person, gender in nominations),
        rotation=(), warnings=(), files=(),
        history=tuple(PastOfficer(n, p, s, person, hold) for s, n, p, person, hold in history),
        members=members if body.eligibility == "membership" else None,
        constituencies=(("small island developing States", sids),),
        attributes=tuple(attributes),
    )


# the quick suite draws a few cases a kind; the slow one (marked slow) many more
EXAMPLES = [6, pytest.param(150, marks=pytest.mark.slow, id="at-length")]
KIND_IDS = [f"{s}:{k}" for s, k in KINDS]


def drawn(examples: int, body: Callable[[st.DataObject], None]) -> None:
    """Run body on `examples` drawn cases (hypothesis, its failures shrunk and reported)."""
    given(data=st.data())(settings(
        max_examples=examples, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])(body))()
