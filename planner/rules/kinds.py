"""The library of rule kinds a profile composes its hard rules from, each with parameters.

Every kind states its constraints once (needs) through a Backend; see planner.rules.base.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.domain.slate import NO_GROUP
from planner.rules.base import (
    Backend,
    E,
    Need,
    Rule,
    Scope,
    group_label,
    listing,
    officers,
    on_bureau,
    who_may_hold,
)
from planner.rules.planning import is_zero

if TYPE_CHECKING:
    from planner.rules.election import Election
    from planner.rules.planning import PlanBackend, PlanView

# standings a rule may require of an officer, in the words the rules use
CONDITIONS = {
    "party_to_convention": "party to the Convention",
    "convention_and_a_protocol": "party to the Convention and to one or more of the Protocols "
                                 "in force",
    "convention_and_all_protocols": "party to the Convention and to all the Protocols in force",
    "all_instruments": "party to every instrument in force",
}


# the same standings, short, for column headers (a legend gives the words above)
CONDITION_LABELS = {
    "party_to_convention": "party",
    "convention_and_a_protocol": "Convention + a Protocol",
    "convention_and_all_protocols": "Convention + all Protocols",
    "all_instruments": "every instrument",
}


def qualifies(el: Election, state: str, condition: str) -> bool:
    """Whether the State meets a standing of CONDITIONS at the opening."""
    return state in meeting(el, condition)


def meeting(el: Election, condition: str) -> frozenset[str]:
    """The States that meet a standing at the opening, read once per assessment (which a
    reduced election shares with the whole one)."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}")
    known: dict[str, frozenset[str]] = el.assessment.__dict__.setdefault("_meeting", {})
    if condition not in known:
        in_force = el.assessment.in_force
        convention = next((i.id for i in in_force if i.kind == "convention"), None)
        protocols = [i.id for i in in_force if i.is_protocol]
        every = [i.id for i in in_force]

        def meets(held: set[str]) -> bool:
            party = convention is not None and convention in held
            if condition == "party_to_convention":
                return party
            if condition == "convention_and_a_protocol":
                return party and any(p in held for p in protocols)
            if condition == "convention_and_all_protocols":
                return party and all(p in held for p in protocols)
            return bool(every) and all(i in held for i in every)

        known[condition] = frozenset(st.state for st in el.assessment.states
                                     if meets(set(st.instruments)))
    return known[condition]


def members_meeting(el: Election, states: tuple[str, ...], condition: str) -> list[str]:
    able = meeting(el, condition)
    return [s for s in states if s in able]


def _able(el: Election, states: list[str] | tuple[str, ...]) -> list[str]:
    return [s for s in states if el.status[s].eligible]


def _group_scopes(el: Election) -> tuple[Scope, ...]:
    return tuple((g,) for g in el.body.group_names)


@dataclass(frozen=True)
class PostCounts(Rule):
    kind = "post_counts"

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        for post in el.body.posts:
            yield Need(b.total(b.holds(s, post.name) for s in who_may_hold(b, el.universe)),
                       "==", post.count,
                       f"{post.name} posts filled")

    def conflict(self, el: Election, scope: Scope) -> str:
        counts = ", ".join(p.counted for p in el.body.posts)
        return f"{self.citation}: the body elects {counts}."


@dataclass(frozen=True)
class OnePostPerState(Rule):
    kind = "one_post_per_state"

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        # per group, so that the rule is local to a group like the group rules
        return tuple((g,) for g in el.groups_in_play if el.members(g))

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        for s in who_may_hold(b, el.members(scope[0])):
            yield Need(on_bureau(el, b, s), "<=", 1, f"posts held by {s}")

    def conflict(self, el: Election, scope: Scope) -> str:
        return f"{self.citation}: no State holds more than one post."


@dataclass(frozen=True)
class Eligibility(Rule):
    kind = "eligibility"

    def barred(self, el: Election, scope: Scope) -> list[str]:
        return [s for s in el.members(scope[0]) if not el.status[s].eligible]

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return tuple((g,) for g in el.groups_in_play if self.barred(el, (g,)))

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        barred = self.barred(el, scope)
        reasons = "; ".join(f"{s}: {el.status[s].reason}" for s in barred)
        yield Need(officers(el, b, barred), "==", 0,
                   f"officers from States that cannot sit ({reasons})")

    def conflict(self, el: Election, scope: Scope) -> str:
        barred = "; ".join(f"{s} is {el.status[s].reason}" for s in self.barred(el, scope))
        return f"{self.citation}: {self.wording} {barred}."


BOUNDS = {"exactly": "==", "at_least": ">=", "at_most": "<="}


@dataclass(frozen=True)
class GroupOfficers(Rule):
    """Officers per group: exactly, at least or at most `count`."""

    kind = "group_officers"
    required_params = ("bound", "count")
    bound: str = "exactly"
    count: int = 2

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return _group_scopes(el)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        yield Need(officers(el, b, el.members(scope[0])), BOUNDS[self.bound], self.count,
                   f"officers from the {scope[0]}")

    def conflict(self, el: Election, scope: Scope) -> str:
        able = _able(el, el.members(scope[0]))
        words = self.bound.replace("_", " ")
        return (f"{self.citation}: each regional group has {words} {self.count} officer(s); "
                f"the {scope[0]} have {len(able)} State(s) that can sit ({listing(able)}).")


@dataclass(frozen=True)
class ConstituencySeat(Rule):
    """`seats` more officers, beyond each group's `group_seats`, from a constituency (a list of
    States the case gives, such as the small island developing States); the constituency's
    officer counts in the group of its State, which then has more than its group seats."""

    kind = "constituency_seat"
    required_params = ("constituency",)
    constituency: str = ""
    seats: int = 1
    group_seats: int = 2

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return (*_group_scopes(el), ())

    def holders(self, el: Election, group: str) -> list[str]:
        listed = el.case.constituency(self.constituency)
        return [s for s in el.members(group) if s in listed]

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        if not scope:
            # the seats are filled: the groups hold their group seats and these seats more
            groups = el.body.group_names
            yield Need(officers(el, b, [s for g in groups for s in el.members(g)]), "==",
                       len(groups) * self.group_seats + self.seats,
                       f"officers: {self.group_seats} for each of the {len(groups)} groups "
                       f"and {self.seats} from the {self.constituency}")
            return
        group = scope[0]
        extra = b.capped(officers(el, b, self.holders(el, group)), self.seats)
        yield Need(b.total([officers(el, b, el.members(group)), b.scaled(extra, -1)]), "<=",
                   self.group_seats,
                   f"officers of the {group} beyond its {self.group_seats} group seats and "
                   f"its officers from the {self.constituency}")

    def conflict(self, el: Election, scope: Scope) -> str:
        if not scope:
            able = [s for g in el.body.group_names for s in _able(el, self.holders(el, g))]
            return (f"{self.citation}: {self.wording} The bureau has {el.body.total_posts} "
                    f"posts; {len(able)} State(s) of the {self.constituency} can sit "
                    f"({listing(able)}).")
        able = _able(el, self.holders(el, scope[0]))
        return (f"{self.citation}: {self.wording} Of the {scope[0]}, {len(able)} State(s) of "
                f"the {self.constituency} can sit ({listing(able)}).")


@dataclass(frozen=True)
class PartyTo(Rule):
    """At least `at_least` officers meeting a standing, in each group or on the bureau."""

    kind = "party_to"
    required_params = ("condition",)
    condition: str = "convention_and_a_protocol"
    scope: str = "each_group"  # or "bureau"
    at_least: int = 1

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return _group_scopes(el) if self.scope == "each_group" else ((),)

    def qualified(self, el: Election, scope: Scope) -> list[str]:
        states = el.members(scope[0]) if scope else el.universe
        return members_meeting(el, states, self.condition)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        where = f" of the {scope[0]}" if scope else ""
        yield Need(officers(el, b, self.qualified(el, scope)), ">=", self.at_least,
                   f"officers{where} {CONDITIONS[self.condition]}")

    def conflict(self, el: Election, scope: Scope) -> str:
        able = _able(el, self.qualified(el, scope))
        head = f"{self.citation}: {self.wording} "
        if scope:
            if not able:
                return head + f"None of the {scope[0]} present is."
            return head + f"Of the {scope[0]} present, only {listing(able)} qualify."
        names = ", ".join(i.id for i in el.assessment.in_force)
        return head + (f"Instruments in force: {names}; {len(able)} State(s) present qualify "
                       f"({listing(able)}).")


@dataclass(frozen=True)
class Rotation(Rule):
    """The post comes from the group whose turn it is (planner.domain.rotation)."""

    kind = "rotation"
    required_params = ("post",)
    post: str = "President"

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        group = el.post_group(self.post)
        return ((group,),) if group else ()

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        yield Need(b.total(b.holds(s, self.post) for s in el.members(scope[0])), "==",
                   el.body.post(self.post).count, f"{self.post}s from the {scope[0]}")

    def conflict(self, el: Election, scope: Scope) -> str:
        able = _able(el, el.members(scope[0]))
        return (f"{self.citation}: {self.wording} At this session the {self.post} comes from "
                f"the {scope[0]} ({el.rotation_basis}); {len(able)} of its States can sit.")


@dataclass(frozen=True)
class HostPost(Rule):
    """The post goes to the host State (the session table's key `host`)."""

    kind = "host_post"
    required_params = ("post",)
    post: str = "President"

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        host = el.case.session.host
        if host is None:
            return ()
        return ((el.group_or_none(host) if host in el.status else NO_GROUP, host),)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        host = scope[1]
        yield Need(b.holds(host, self.post) if host in el.universe else b.total([]), "==", 1,
                   f"{self.post} posts held by {host}, the host")

    def conflict(self, el: Election, scope: Scope) -> str:
        host = scope[1]
        status = el.status.get(host)
        # the host's standing only where it stops it; a question may still leave it out
        why = (f"the host, {host}, is {status.reason}" if status and status.reason
               else f"the host is {host}")
        return f"{self.citation}: {self.wording} ({why})."


@dataclass(frozen=True)
class TermLimit(Rule):
    """No State on the bureau for more than `consecutive` sessions in a row (bureau history)."""

    kind = "term_limit"
    required_params = ("consecutive",)
    consecutive: int = 2

    def barred(self, el: Election, group: str) -> list[str]:
        session = el.case.session.number
        served: dict[int, set[str]] = {}
        for h in el.case.history:
            served.setdefault(h.session, set()).add(h.state)
        runs = [served.get(session - k, set()) for k in range(1, self.consecutive + 1)]
        every = set.intersection(*runs) if runs else set()
        return [s for s in el.members(group) if s in every]

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return tuple((g,) for g in el.groups_in_play if self.barred(el, g))

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        barred = self.barred(el, scope[0])
        yield Need(officers(el, b, barred), "==", 0,
                   f"officers who served the last {self.consecutive} terms ({listing(barred)})")

    def across(self, view: PlanView, bs: Sequence[PlanBackend[Any]]) -> Iterator[Need[Any]]:
        # every run of consecutive+1 sessions that ends at a planned one, history included
        k = self.consecutive
        for t, (session, el) in enumerate(zip(view.sessions, view.elections, strict=True)):
            for s in el.universe:
                run = [view.on(bs, m, s) for m in range(session - k, session + 1)]
                if not any(is_zero(v) for v in run):
                    yield Need(bs[t].total(run), "<=", k,
                               f"sessions in a row on the bureau for {s} up to session "
                               f"{session}")

    def conflict(self, el: Election, scope: Scope) -> str:
        barred = self.barred(el, scope[0])
        return (f"{self.citation}: {self.wording} Of {group_label(scope[0])}, "
                f"{listing(barred)} served the last {self.consecutive} terms.")


@dataclass(frozen=True)
class Nominations(Rule):
    kind = "nominations"

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        keys = sorted({(el.group_or_none(n.state), n.post) for n in el.case.nominations})
        return tuple(keys)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        group, post = scope
        nominees = el.nominees(group, post)
        names = [n.state for n in nominees]
        seats = b.total(b.holds(s, post) for s in el.members(group))
        filled = b.total(b.holds(s, post) for s in names)
        # a cap at or above the most seats a group can hold of the post is no cap at all
        most = min(el.body.post(post).count, el.profile.most_officers(group))
        wanted = seats if len(names) >= most else b.capped(seats, len(names))
        yield Need(filled, ">=", wanted,
                   f"{post} seats of the {group} held by their nominees ({listing(names)})")
        for n in nominees:
            for other in el.body.post_names:
                if other not in el.nominated_posts(n.state):
                    yield Need(b.holds(n.state, other), "==", 0,
                               f"{other} posts held by {n.state}, a nominee for {post} only")

    def conflict(self, el: Election, scope: Scope) -> str:
        group, post = scope
        names = [n.state for n in el.nominees(group, post)]
        return (f"{self.citation}: {group_label(group)} nominated {listing(names)} for {post}, "
                f"and a nominee holds only a post it was nominated for.")


RULE_KINDS: dict[str, type[Rule]] = {k.kind: k for k in (
    PostCounts, OnePostPerState, Eligibility, GroupOfficers, ConstituencySeat, PartyTo,
    Rotation, HostPost, TermLimit, Nominations)}
