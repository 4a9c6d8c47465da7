"""The library of rule kinds a profile composes its hard rules from, each with parameters.

Every kind states its constraints once (needs) through a Backend; see planner.rules.base.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from planner.domain.body import Body
from planner.domain.case import Case
from planner.domain.names import normalise
from planner.domain.slate import NO_GROUP, Slate, open_seat, open_seat_group

# the standings under the treaty are defined with the election (planner.rules.base)
from planner.rules.base import CONDITION_LABELS as CONDITION_LABELS
from planner.rules.base import CONDITIONS as CONDITIONS
from planner.rules.base import (
    Backend,
    Complaint,
    E,
    Election,
    EvalBackend,
    Need,
    PlanBackend,
    PlanView,
    Rule,
    Scope,
    SeatHeld,
    group_label,
    listing,
    members_meeting,
    officers,
    on_bureau,
    param,
    who_may_hold,
)
from planner.rules.base import qualifies as qualifies
from planner.rules.planning import is_zero


def _able(el: Election, states: list[str] | tuple[str, ...]) -> list[str]:
    return [s for s in states if el.status[s].eligible]


def _group_scopes(el: Election) -> tuple[Scope, ...]:
    return tuple((g,) for g in el.body.group_names)


@dataclass(frozen=True)
class PostCounts(Rule):
    kind = "post_counts"
    fills_posts = True
    structural = True

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
    structural = True

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        # per group, so that the rule is local to a group like the group rules
        return tuple((g,) for g in el.groups_in_play if el.members(g))

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        for s in who_may_hold(b, el.members(scope[0])):
            opened = open_seat_group(s)
            yield Need(on_bureau(el, b, s), "<=", 1,
                       f"seats the {opened} leave open" if opened else f"posts held by {s}")

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

    def causes(self, el: Election, scope: Scope) -> Iterator[tuple[str, str]]:
        # a State that cannot sit is in the election only where the case names it: nominated
        for s in self.barred(el, scope):
            for n in el.case.nominations:
                if n.state == s and n.state not in el.case.withdrawn:
                    yield (f"{s}, nominated by the {scope[0]} for {n.post}, is "
                           f"{el.status[s].reason}.",
                           f"the {scope[0]} nominate another State for {n.post}, or {s}'s "
                           "withdrawal is recorded (a row in the case's withdrawals table), "
                           "which lets its nomination lapse")


BOUNDS = {"exactly": "==", "at_least": ">=", "at_most": "<="}
BOUND_NAMES = tuple(BOUNDS)


@dataclass(frozen=True)
class GroupOfficers(Rule):
    """Officers per group: exactly, at least or at most `count`."""

    kind = "group_officers"
    bound: str = param("exactly", "exactly, at least or at most", choices=BOUND_NAMES,
                       required=True)
    count: int = param(2, "officers of each group", required=True)

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

    def most_officers(self, body: Body, group: str) -> int | None:
        return self.count if self.bound in ("exactly", "at_most") else None

    def causes(self, el: Election, scope: Scope) -> Iterator[tuple[str, str]]:
        able = _able(el, el.members(scope[0]))
        if self.bound in ("exactly", "at_least") and len(able) < self.count:
            yield (f"The {scope[0]} have {len(able)} State(s) that can sit "
                   f"({listing(able)}), fewer than the {self.count} officers the group "
                   "holds.",
                   "check the attendance and the parties of the group (planner status)")

    def least_officers(self, body: Body, group: str) -> int:
        return self.count if self.bound in ("exactly", "at_least") else 0


@dataclass(frozen=True)
class ConstituencySeat(Rule):
    """`seats` more officers, beyond each group's `group_seats`, from a constituency (a list of
    States the case gives, such as the small island developing States); the constituency's
    officer counts in the group of its State, which then has more than its group seats. A
    short form: the same seat is a quota rule on an attribute (see the UNFCCC profile)."""

    kind = "constituency_seat"
    reads = frozenset({"attributes"})
    constituency: str = param("", "the constituency, as the profile's constituencies name it",
                              among="constituencies", required=True)
    seats: int = param(1, "officers from the constituency beyond the groups' seats", low=1)
    group_seats: int = param(2, "each group's seats")

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

    def validate(self, body: Body) -> Iterator[Complaint]:
        wanted = len(body.groups) * self.group_seats + self.seats
        if wanted != body.total_posts:
            yield Complaint("seats", f"{len(body.groups)} groups of {self.group_seats} and "
                            f"{self.seats} more make {wanted} officers, but the posts number "
                            f"{body.total_posts}", "make the posts' counts and the seats agree")

    def most_officers(self, body: Body, group: str) -> int | None:
        return self.group_seats + self.seats

    def attributes_read(self) -> frozenset[str]:
        return frozenset({normalise(self.constituency)})

    def seats_set_apart(self, el: Election, slate: Slate) -> Iterator[SeatHeld]:
        for group in el.body.group_names:
            officers_of = [s.state for s in slate if el.group(s.state) == group]
            beyond = len(officers_of) - self.group_seats
            listed = el.case.constituency(self.constituency)
            holders = tuple(s for s in officers_of if s in listed)
            if beyond > 0 and holders:
                yield SeatHeld(self.name, group, holders, beyond)

    def may_hold_seat(self, el: Election, state: str) -> bool | None:
        return state in el.case.constituency(self.constituency)


@dataclass(frozen=True)
class PartyTo(Rule):
    """At least `at_least` officers meeting a standing, in each group or on the bureau."""

    kind = "party_to"
    reads = frozenset({"instruments"})
    condition: str = param("convention_and_a_protocol", "the standing asked for",
                           choices=tuple(CONDITIONS), required=True)
    scope: str = param("each_group", "in each group, or on the bureau",
                       choices=("each_group", "bureau"))
    at_least: int = param(1, "officers meeting it, at least", low=1)

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return _group_scopes(el) if self.scope == "each_group" else ((),)

    def qualified(self, el: Election, scope: Scope) -> tuple[str, ...]:
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


SCOPES = ("bureau", "each_group", "each_value")


def _attribute_index(el: Election) -> tuple[dict[tuple[str, str, str], str],
                                             dict[tuple[str, str], str]]:
    """The officers' own attributes by (State, post, attribute), and the States' by (State,
    attribute), built once per election."""
    cached = el.__dict__.get("_attribute_index")
    if cached is None:
        own = {(n.state, n.post, normalise(a)): v
               for n in el.case.nominations for a, v in n.attributes}
        states = {(a.state, normalise(a.attribute)): a.value for a in el.case.attributes}
        for name, members in el.case.constituencies:
            for s in members:
                states.setdefault((s, normalise(name)), "yes")
        cached = el.__dict__["_attribute_index"] = (own, states)
    return cached


def attribute_of(el: Election, state: str, post: str, attribute: str) -> str | None:
    """An officer's value of an attribute: the nomination's own (the officer's, such as the
    representative's gender), else the State's (attributes table; a constituency the State
    belongs to reads as the attribute of that name with value yes), else None."""
    own, states = _attribute_index(el)
    key = normalise(attribute)
    return own.get((state, post, key)) or states.get((state, key))


@dataclass(frozen=True)
class Quota(Rule):
    """Officers whose attribute has a value (or, with others = true, officers whose has not):
    exactly, at least or at most `count`, over the bureau, in each group, or for each value
    of the attribute, on every post or on the posts named. The attribute is read from the
    case: the attributes table (state, attribute, value) or the officer's own, carried by the
    nomination (a column of the nominations table). An officer whose value is not given does
    not match."""

    kind = "quota"
    reads = frozenset({"attributes", "nominations"})
    attribute: str = param("", "the attribute: a column of the nominations table (the "
                           "officer's own) or a name in the attributes table", required=True)
    value: str = param("", "the value that matches (yes, female, AFRO); none with "
                       "scope = each_value")
    bound: str = param("at_least", "exactly, at least or at most", choices=BOUND_NAMES,
                       required=True)
    count: int = param(1, "how many officers", required=True)
    scope: str = param("bureau", "over the bureau, in each group, or for each value of the "
                       "attribute", choices=SCOPES)
    posts: tuple[str, ...] = param((), "only these posts (default: every post)",
                                   among="posts")
    others: bool = param(False, "count the officers that do not match instead")
    officers: str = param("", "how the officers counted are said, e.g. 'from the least "
                          "developed countries'")

    def _posts(self, el: Election) -> tuple[str, ...]:
        return self.posts or el.body.post_names

    def attributes_read(self) -> frozenset[str]:
        return frozenset({normalise(self.attribute)})

    def _matches(self, el: Election, state: str, post: str, value: str) -> bool:
        got = attribute_of(el, state, post, self.attribute)
        hit = got is not None and normalise(got) == normalise(value)
        return hit != self.others

    def values(self, el: Election) -> tuple[str, ...]:
        """For each_value: the values the States of the universe (and their nominees) have."""
        seen: dict[str, str] = {}
        for s in el.universe:
            for p in self._posts(el):
                got = attribute_of(el, s, p, self.attribute)
                if got is not None:
                    seen.setdefault(normalise(got), got)
        return tuple(seen[k] for k in sorted(seen))

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        if self.scope == "each_group":
            return _group_scopes(el)
        if self.scope == "each_value":
            return tuple(("", v) for v in self.values(el))
        return ((),)

    def counted(self, el: Election, scope: Scope) -> list[tuple[str, str]]:
        """The (State, post) pairs whose officer the scope counts."""
        if self.scope == "each_group":
            states: tuple[str, ...] = el.members(scope[0])
        else:
            states = el.universe
        value = scope[1] if self.scope == "each_value" else self.value
        return [(s, p) for s in states for p in self._posts(el)
                if self._matches(el, s, p, value)]

    def seats_set_apart(self, el: Election, slate: Slate) -> Iterator[SeatHeld]:
        # a quota sets seats apart where it asks for matching officers (at least, exactly), or
        # caps the others, so that a group's officers beyond the cap must match
        if (self.bound == "at_most") != self.others:
            return
        posts = set(self._posts(el))
        for scope in self.scopes(el):
            value = scope[1] if self.scope == "each_value" else self.value
            group = scope[0] if self.scope == "each_group" else ""
            seated = [s for s in slate if s.post in posts and (
                not group or el.group(s.state) == group)]
            holders = tuple(dict.fromkeys(
                s.state for s in seated
                if (got := attribute_of(el, s.state, s.post, self.attribute)) is not None
                and normalise(got) == normalise(value)))
            wanted = len(seated) - self.count if self.others else self.count
            if wanted > 0 and holders:
                yield SeatHeld(self.name, group, holders, wanted)

    def may_hold_seat(self, el: Election, state: str) -> bool | None:
        if (self.bound == "at_most") != self.others or self.scope == "each_value":
            return None
        return any((got := attribute_of(el, state, p, self.attribute)) is not None
                   and normalise(got) == normalise(self.value) for p in self._posts(el))

    def phrase(self, scope: Scope) -> str:
        if self.officers:
            return self.officers
        value = scope[1] if self.scope == "each_value" else self.value
        return f"whose {self.attribute} is {'not ' if self.others else ''}{value}"

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        pairs = self.counted(el, scope)
        if isinstance(b, EvalBackend):
            pairs = [(s, p) for s, p in pairs if s in b.seated]
        where = f" of the {scope[0]}" if self.scope == "each_group" else ""
        on = f" in the posts of {', '.join(self.posts)}" if self.posts else ""
        yield Need(b.total(b.holds(s, p) for s, p in pairs), BOUNDS[self.bound], self.count,
                   f"officers{where}{on} {self.phrase(scope)}")

    def conflict(self, el: Election, scope: Scope) -> str:
        able = sorted({s for s, _p in self.counted(el, scope) if el.status[s].eligible},
                      key=normalise)
        where = f"Of the {scope[0]}, " if self.scope == "each_group" else ""
        return (f"{self.citation}: {self.wording} {where}{len(able)} State(s) that can sit "
                f"would count as officers {self.phrase(scope)} ({listing(able)}).")

    def validate(self, body: Body) -> Iterator[Complaint]:
        for post in sorted({p for p in self.posts if self.posts.count(p) > 1}):
            yield Complaint("posts", f"names {post!r} twice", "name each post once")
        if self.scope == "each_value" and self.value:
            yield Complaint("value", "is given with scope = \"each_value\", which counts every "
                            "value in turn", "drop value, or choose another scope")
        if self.scope != "each_value" and not self.value:
            yield Complaint("value", "is missing", 'write value = "yes" (the value that '
                            "matches)")

    def notes(self, el: Election) -> Iterator[str]:
        known = [s for s in el.universe if any(
            attribute_of(el, s, p, self.attribute) is not None for p in self._posts(el))]
        if not known:
            yield (f"No State or nomination gives the attribute {self.attribute!r}, which the "
                   f"rule '{self.name}' reads: every officer counts as not matching.")
        key = normalise(self.attribute)
        if any(normalise(a.attribute) == key for a in el.case.attributes) and any(
                normalise(a) == key for n in el.case.nominations for a, _v in n.attributes):
            yield (f"Both the attributes table and the nominations give {self.attribute!r}: "
                   f"the rule '{self.name}' reads a nominee's own value for the post it is "
                   "nominated for, and the State's elsewhere.")


@dataclass(frozen=True)
class Rotation(Rule):
    """The post comes from the group whose turn it is (planner.domain.rotation)."""

    kind = "rotation"
    reads = frozenset({"rotation"})
    post: str = param("President", "the rotating post", among="posts", required=True)

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        group = el.post_group(self.post)
        return ((group,),) if group else ()

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        holders = who_may_hold(b, el.members(scope[0]))
        yield Need(b.total(b.holds(s, self.post) for s in holders), "==",
                   el.body.post(self.post).count, f"{self.post}s from the {scope[0]}")

    def conflict(self, el: Election, scope: Scope) -> str:
        able = _able(el, el.members(scope[0]))
        return (f"{self.citation}: at this session the {self.post} comes from the {scope[0]} "
                f"(planner rotation says why); {len(able)} of its States can sit.")

    def causes(self, el: Election, scope: Scope) -> Iterator[tuple[str, str]]:
        if not _able(el, el.members(scope[0])):
            key = ("president_group" if self.post == el.body.rotating_post else
                   "rapporteur_group" if self.post == el.body.following_post else None)
            where = (f"the session key {key}, or the rotation table" if key
                     else "the rotation table")
            yield (f"The {self.post} comes from the {scope[0]} at this session, and none of "
                   "its States can sit.",
                   f"settle another group for the {self.post} ({where}), where the body so "
                   "agrees")

    def validate(self, body: Body) -> Iterator[Complaint]:
        if self.post not in body.rotating_posts:
            yield Complaint("post", f"{self.post!r} is not a rotating post",
                            "name it in the [rotation] table, or drop the rule")

    def notes(self, el: Election) -> Iterator[str]:
        yield from el.rotation_notes(self.post)


@dataclass(frozen=True)
class PresidencyPost(Rule):
    """The post goes to the presiding State (the session table's key `presidency`), which is
    not always where the session meets (COP 23 met in Bonn with Fiji presiding)."""

    kind = "presidency_post"
    reads = frozenset({"presidency"})
    post: str = param("President", "the post the presiding State holds", among="posts",
                      required=True)

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        presiding = el.case.session.presidency
        if presiding is None:
            return ()
        return ((el.group_or_none(presiding) if presiding in el.status else NO_GROUP,
                 presiding),)

    def pinned(self, el: Election) -> frozenset[str]:
        presiding = el.case.session.presidency
        return frozenset({presiding}) if presiding is not None else frozenset()

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        presiding = scope[1]
        yield Need(b.holds(presiding, self.post) if presiding in el.universe else b.total([]),
                   "==", 1, f"{self.post} posts held by {presiding}, the presiding State")

    def conflict(self, el: Election, scope: Scope) -> str:
        presiding = scope[1]
        status = el.status.get(presiding)
        # its standing only where it stops it; a question may still leave it out
        why = (f"the presiding State, {presiding}, is {status.reason}"
               if status and status.reason else f"the presiding State is {presiding}")
        return f"{self.citation}: {self.wording} ({why})."

    def causes(self, el: Election, scope: Scope) -> Iterator[tuple[str, str]]:
        presiding = scope[1]
        status = el.status.get(presiding)
        if status is not None and status.reason:
            yield (f"{presiding}, the presiding State, is {status.reason}; the {self.post} "
                   "goes to it.",
                   "correct the session key presidency, or the reason it cannot sit (the "
                   "attendance, the withdrawals)")
        elif el.group_or_none(presiding) != scope[0] or el.post_group(self.post) not in (
                None, el.group_or_none(presiding)):
            yield (f"{presiding}, the presiding State, is of the {el.group_or_none(presiding)}, "
                   f"but the {self.post} comes from the {el.post_group(self.post)} at this "
                   "session.",
                   "correct the session key presidency or president_group, whichever is "
                   "wrong")

    def notes(self, el: Election) -> Iterator[str]:
        if el.case.session.presidency is None:
            yield (f"No presiding State is named (session key presidency): {self.citation} "
                   f"('{self.name}') does not apply at this session.")

    def plan_notes(self, case: Case, sessions: Sequence[int]) -> Iterator[str]:
        presiding = case.session.presidency
        if presiding and list(sessions) != [case.session.number]:
            yield (f"The presiding State is known for session {case.session.number} only "
                   f"({presiding}): the rule '{self.name}' is not applied to the other sessions.")


COUNTS = ("state", "person")


@dataclass(frozen=True)
class TermLimit(Rule):
    """No State (or, with counts = "person", no person) on the bureau for more than
    `consecutive` sessions in a row (bureau history). A hold-over (an officer who remained in
    office pending a successor) is not an election: it is no term, so a run of terms in a row
    ends at it, and a hold-over on a slate breaks no limit.

    Counting persons, a person is barred where each of the last sessions has them on the
    bureau, or has a row of the State that sends them naming no person (who served is not
    known, so it may have been them); a State whose rows of every one of those sessions name no
    person is barred whoever it sends."""

    kind = "term_limit"
    reads = frozenset({"history", "nominations"})
    consecutive: int = param(2, "sessions in a row at most", low=1, required=True)
    counts: str = param("state", "what the limit counts: the State, or the person (from the "
                        "bureau history's and the nominations' person column)", choices=COUNTS)

    @staticmethod
    def _elected(el: Election) -> dict[int, list[tuple[str, str]]]:
        """By session, the (State, person) the bureau history says were elected then (a
        hold-over, who remained in office pending a successor, is no term)."""
        by_session: dict[int, list[tuple[str, str]]] = {}
        for h in el.case.history:
            if not h.holdover:
                by_session.setdefault(h.session, []).append((h.state, normalise(h.person)))
        return by_session

    def _runs(self, el: Election) -> list[list[tuple[str, str]]]:
        """For each of the last `consecutive` sessions, the (State, person) elected then."""
        session = el.case.session.number
        by_session = self._elected(el)
        return [by_session.get(session - k, []) for k in range(1, self.consecutive + 1)]

    def barred(self, el: Election, group: str) -> list[str]:
        """States barred whatever person they send: every State on each of the last bureaus,
        counting States; counting persons, those whose rows of each of them name no person."""
        runs = self._runs(el)
        if self.counts == "state":
            every = set.intersection(*({s for s, _p in run} for run in runs))
        else:
            every = set.intersection(*({s for s, p in run if not p} for run in runs))
        return [s for s in el.members(group) if s in every]

    def served_each(self, el: Election, state: str, person: str) -> bool:
        """Counting persons: whether the person (sent by the State) may have served at each of
        the last sessions: named there, or the State's row there names no one."""
        return bool(person) and all(
            any(p == person or (s == state and not p) for s, p in run)
            for run in self._runs(el))

    def barred_seats(self, el: Election, group: str, b: object) -> list[tuple[str, str]]:
        """Counting persons: the group's (State, post) seats whose person is known (the slate's
        representative, else the nomination's) and may have served each of the last terms."""
        if self.counts == "state":
            return []
        named = {(n.state, n.post): normalise(n.person) for n in el.case.nominations
                 if n.person}
        if isinstance(b, EvalBackend):
            named.update({k: normalise(v) for k, v in b.persons.items()})
        return [(s, p) for (s, p), person in sorted(named.items())
                if el.group_or_none(s) == group and self.served_each(el, s, person)]

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        if self.counts == "state":
            return tuple((g,) for g in el.groups_in_play if self.barred(el, g))
        # counting persons, a person on the last bureau may be sent by any State of any group,
        # and a slate may name them: every group is read
        if not self._runs(el)[0]:
            return ()
        return tuple((g,) for g in el.groups_in_play if el.members(g))

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        barred = self.barred(el, scope[0])
        seats = [(s, p) for s, p in self.barred_seats(el, scope[0], b) if s not in barred]
        terms = [elected(el, b, s, p) for s in who_may_hold(b, barred)
                 for p in el.body.post_names]
        terms += [elected(el, b, s, p) for s, p in seats]
        who = listing([*barred, *(f"{s} ({el.person_of(b, s, p)})" for s, p in seats)])
        yield Need(b.total(terms), "==", 0,
                   f"officers who served the last {self.consecutive} terms ({who})")

    def across(self, view: PlanView, bs: Sequence[PlanBackend[Any]]) -> Iterator[Need[Any]]:
        # every run of consecutive+1 sessions that ends at a planned one, history included,
        # read as the rule's check reads it at that session: a planned seat names no person,
        # so counting persons it counts as its State's (as a history row naming no one does);
        # a history row naming a person lets the State send another; a hold-over is no term.
        # A planned session that already took place has its record too: who served there
        # served, whatever the plan puts beside its known President
        k = self.consecutive
        past = {n: {st for st, person in rows if self.counts == "state" or not person}
                for n, rows in self._elected(view.elections[0]).items()}

        def on(session: int, state: str) -> Any:
            if state in past.get(session, ()):
                return 1
            return view.on(bs, session, state) if session in view.sessions else 0

        for t, (session, el) in enumerate(zip(view.sessions, view.elections, strict=True)):
            for s in el.universe:
                run = [on(m, s) for m in range(session - k, session + 1)]
                if not any(is_zero(v) for v in run):
                    yield Need(bs[t].total(run), "<=", k,
                               f"sessions in a row on the bureau for {s} up to session "
                               f"{session}")

    def conflict(self, el: Election, scope: Scope) -> str:
        barred = self.barred(el, scope[0])
        seats = [f"{s} ({el.person_of(None, s, p)})"
                 for s, p in self.barred_seats(el, scope[0], None) if s not in barred]
        return (f"{self.citation}: {self.wording} Of {group_label(scope[0])}, "
                f"{listing([*barred, *seats])} served the last {self.consecutive} terms.")

    def notes(self, el: Election) -> Iterator[str]:
        if self.counts != "person":
            return
        runs = self._runs(el)
        on_each = set.intersection(*({s for s, _p in run} for run in runs))
        # only where it can matter: a State on each of the last bureaus
        unnamed = sorted({s for run in runs for s, p in run if not p and s in on_each},
                         key=normalise)
        if unnamed:
            yield (f"The bureau history names no person for {listing(unnamed)} at one of the "
                   f"last {self.consecutive} sessions: the rule '{self.name}', which counts "
                   "persons, counts the persons those States send as if they had served then.")


@dataclass(frozen=True)
class NotFromLastGroups(Rule):
    """The post does not go to a group that held it at any of the last `sessions` sessions
    (bureau history): "not from last year's group". The worked example of docs/rules.md."""

    kind = "not_from_last_groups"
    reads = frozenset({"history"})
    post: str = param("President", "the post", among="posts", required=True)
    sessions: int = param(1, "how many sessions back a group is barred from it", low=1)

    def held(self, el: Election) -> list[str]:
        """The groups that held the post at the last sessions, as the history says."""
        session = el.case.session.number
        out = {el.case.group_of.get(h.state) for h in el.case.history
               if h.post == self.post and session - self.sessions <= h.session < session}
        return sorted(g for g in out if g is not None)

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return tuple((g,) for g in self.held(el) if g in el.groups_in_play)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        yield Need(b.total(b.holds(s, self.post) for s in who_may_hold(b, el.members(scope[0]))),
                   "==", 0, f"{self.post} posts held by the {scope[0]}, who held it lately")

    def across(self, view: PlanView, bs: Sequence[PlanBackend[Any]]) -> Iterator[Need[Any]]:
        # each session's own election reads the history before the plan; a planned session
        # within reach of a later one bars its holders' group there too
        count = view.elections[0].body.post(self.post).count
        for t, (session, el) in enumerate(zip(view.sessions, view.elections, strict=True)):
            for m, (before, earlier) in enumerate(zip(view.sessions[:t], view.elections[:t],
                                                      strict=True)):
                if before < session - self.sessions:
                    continue
                for g in el.groups_in_play:
                    # a seat left open was held by no one: the history would not name it
                    then = bs[m].total(bs[m].holds(s, self.post)
                                       for s in who_may_hold(bs[m], earlier.members(g))
                                       if open_seat_group(s) is None)
                    now = bs[t].total(bs[t].holds(s, self.post)
                                      for s in who_may_hold(bs[t], el.members(g)))
                    if is_zero(then) or is_zero(now):
                        continue
                    yield Need(bs[t].total([bs[t].scaled(bs[m].capped(then, 1), count), now]),
                               "<=", count, f"{self.post} posts held by the {g} at session "
                               f"{session}, who held it at session {before}")

    def conflict(self, el: Election, scope: Scope) -> str:
        return (f"{self.citation}: {self.wording} The {scope[0]} held the {self.post} within "
                f"the last {self.sessions} session(s).")


def elected(el: Election, b: Backend[E], state: str, post: str) -> E:
    """State holds post by election at this session: on a given slate, a hold-over (who
    remained in office pending a successor) is not."""
    if isinstance(b, EvalBackend):
        return b.elected(state, post)
    return b.holds(state, post)


@dataclass(frozen=True)
class Nominations(Rule):
    kind = "nominations"
    reads = frozenset({"nominations"})

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        keys = sorted({(el.group_or_none(n.state), n.post) for n in el.case.nominations})
        return tuple(keys)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        group, post = scope
        nominees = el.nominees(group, post)
        names = [n.state for n in nominees]
        seats = b.total(b.holds(s, post) for s in who_may_hold(b, el.members(group)))
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

    def notes(self, el: Election) -> Iterator[str]:
        for n in el.case.nominations:
            group = el.status[n.state].group
            turn = el.post_group(n.post)
            if group is None:
                yield (f"{n.state} is nominated for {n.post} but is in no regional group, "
                       "so it cannot hold a group's seat.")
            elif turn is not None and turn != group:
                yield turn_note(n.state, group, n.post, turn)


def turn_note(state: str, group: str, post: str, turn: str) -> str:
    """The note on a nomination for a post whose turn is another group's."""
    return (f"{state} ({group}) is nominated for {post}, but the {post} comes from the "
            f"{turn} at this session.")


@dataclass(frozen=True)
class ReservedSeats(Rule):
    """Seats kept for named States (a constituency of the case, such as the permanent members
    of the Security Council): each of them that can sit holds one of the posts named (any post
    if none is named). One that cannot sit keeps no seat, and a note says so."""

    kind = "reserved_seats"
    reads = frozenset({"attributes"})
    constituency: str = param("", "the States the seats are kept for, as the profile's "
                              "constituencies name them (the case lists its States)",
                              among="constituencies", required=True)
    posts: tuple[str, ...] = param((), "the posts they take (default: any)", among="posts")

    def _posts(self, el: Election) -> tuple[str, ...]:
        return self.posts or el.body.post_names

    def kept_for(self, el: Election, group: str) -> list[str]:
        """The group's States the seats are kept for, that can sit."""
        listed = el.case.constituency(self.constituency)
        return [s for s in el.members(group) if s in listed and el.status[s].eligible]

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return tuple((g,) for g in el.body.group_names if self.kept_for(el, g))

    def pinned(self, el: Election) -> frozenset[str]:
        return frozenset(s for g in el.body.group_names for s in self.kept_for(el, g))

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        posts = self._posts(el)
        for s in self.kept_for(el, scope[0]):
            yield Need(b.total(b.holds(s, p) for p in posts), "==", 1,
                       f"{' or '.join(posts)} posts held by {s}, one of the "
                       f"{self.constituency}")

    def conflict(self, el: Election, scope: Scope) -> str:
        kept = self.kept_for(el, scope[0])
        return (f"{self.citation}: {self.wording} Of the {scope[0]}, {listing(kept)} "
                f"{'is' if len(kept) == 1 else 'are'} of the {self.constituency}.")

    def notes(self, el: Election) -> Iterator[str]:
        listed = el.case.constituency(self.constituency)
        gone = sorted((s for s in listed if s in el.status and not el.status[s].eligible),
                      key=normalise)
        if gone:
            yield (f"{listing(gone)}, of the {self.constituency}, cannot sit "
                   f"({'; '.join(el.status[s].reason for s in gone)}): no seat is kept for "
                   f"{'it' if len(gone) == 1 else 'them'}.")

    def attributes_read(self) -> frozenset[str]:
        return frozenset({normalise(self.constituency)})

    def validate(self, body: Body) -> Iterator[Complaint]:
        for post in sorted({p for p in self.posts if self.posts.count(p) > 1}):
            yield Complaint("posts", f"names {post!r} twice", "name each post once")


@dataclass(frozen=True)
class GroupQuota(Rule):
    """One group's officers on the posts named: exactly (at least, at most) `count`, fewer by
    one for each `less_where` post the group holds (the General Assembly's President's region
    gives one Vice-President fewer); the States of the constituency `excluding` are not
    counted (the permanent members' seats come beside the regions' own)."""

    kind = "group_quota"
    reads = frozenset({"attributes"})
    group: str = param("", "the regional group", among="groups", required=True)
    posts: tuple[str, ...] = param((), "the posts counted", among="posts", required=True)
    count: int = param(1, "the group's officers on those posts", required=True)
    bound: str = param("exactly", "exactly, at least or at most", choices=BOUND_NAMES)
    less_where: str = param("", "a post: the count is fewer by one for each of it the "
                            "group holds", among="posts")
    excluding: str = param("", "a constituency whose States are not counted",
                           among="constituencies")

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return ((self.group,),)

    def counted(self, el: Election) -> list[str]:
        left = el.case.constituency(self.excluding) if self.excluding else frozenset()
        return [s for s in el.members(self.group) if s not in left]

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        terms = [b.holds(s, p) for s in self.counted(el) for p in self.posts]
        # a post the group holds takes the place of one of its counted seats
        terms += [b.holds(s, self.less_where) for s in el.members(self.group)
                  if self.less_where]
        fewer = f", with its {self.less_where}s" if self.less_where else ""
        beside = f", not counting the {self.excluding}" if self.excluding else ""
        yield Need(b.total(terms), BOUNDS[self.bound], self.count,
                   f"{' and '.join(self.posts)} posts of the {self.group}{fewer}{beside}")

    def conflict(self, el: Election, scope: Scope) -> str:
        able = _able(el, self.counted(el))
        return (f"{self.citation}: {self.wording} The {self.group} have {len(able)} State(s) "
                f"that can sit and are counted ({listing(able)}).")

    def causes(self, el: Election, scope: Scope) -> Iterator[tuple[str, str]]:
        able = _able(el, self.counted(el))
        if self.bound in ("exactly", "at_least") and len(able) < self.count - 1:
            yield (f"The {self.group} have {len(able)} State(s) that can sit and are counted "
                   f"({listing(able)}), fewer than the {self.count} seats the group holds.",
                   "check the attendance and the members of the group (planner status)")

    def attributes_read(self) -> frozenset[str]:
        return frozenset({normalise(self.excluding)}) if self.excluding else frozenset()

    def validate(self, body: Body) -> Iterator[Complaint]:
        if self.less_where and self.less_where in self.posts:
            yield Complaint("less_where", f"{self.less_where!r} is also a post counted",
                            "name another post, or drop less_where")


@dataclass(frozen=True)
class OtherGroupThan(Rule):
    """A post comes from the groups that do not hold another (the ECOSOC Bureau's
    Vice-Presidents: from the groups not holding the presidency)."""

    kind = "other_group_than"
    post: str = param("", "the post", among="posts", required=True)
    other: str = param("", "the post whose group it never comes from", among="posts",
                       required=True)

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return _group_scopes(el)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        members = el.members(scope[0])
        seats = el.body.post(self.post).count
        # the group's seats of the post are all closed once it holds the other
        held = b.total(b.holds(s, self.other) for s in members)
        yield Need(b.total([b.scaled(held, seats), *(b.holds(s, self.post) for s in members)]),
                   "<=", seats, f"{self.post} and, counted {seats} times, {self.other} posts "
                   f"of the {scope[0]}")

    def conflict(self, el: Election, scope: Scope) -> str:
        return (f"{self.citation}: {self.wording} (the {scope[0]} cannot hold both the "
                f"{self.other} and a {self.post}).")

    def validate(self, body: Body) -> Iterator[Complaint]:
        if self.post == self.other:
            yield Complaint("other", "is the post itself", "name another post")


@dataclass(frozen=True)
class OpenSeats(Rule):
    """A group may leave a seat open pending its consultations: of the posts named (any post
    if none is named), one seat a group. The open seat stands on a slate as one of the group's
    States would (planner.domain.slate.open_seat): the group's counts count it, and it meets
    no standing, constituency or quota, so that it never stands where a State of the group is
    needed. The preference the profile puts first (planner.rules.preferences.SeatsFilled)
    leaves a seat open only where no slate fills it."""

    kind = "open_seats"
    posts: tuple[str, ...] = param((), "the posts a seat of which may be left open (default: "
                                   "any)", among="posts")

    def closed(self, el: Election) -> list[str]:
        return [p for p in el.body.post_names if self.posts and p not in self.posts]

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        if not self.closed(el):
            return ()
        return tuple((o.group,) for o in el.open_seats if o.group and o.state in el.rank)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        seat = open_seat(scope[0])
        closed = self.closed(el)
        yield Need(b.total(b.holds(seat, p) for p in closed), "==", 0,
                   f"{' and '.join(closed)} posts left open by the {scope[0]}")

    def conflict(self, el: Election, scope: Scope) -> str:
        return (f"{self.citation}: {self.wording} (a seat of {' or '.join(self.posts)} only, "
                "one a group).")

    def validate(self, body: Body) -> Iterator[Complaint]:
        for post in sorted({p for p in self.posts if self.posts.count(p) > 1}):
            yield Complaint("posts", f"names {post!r} twice", "name each post once")


RULE_KINDS: dict[str, type[Rule]] = {k.kind: k for k in (
    PostCounts, OnePostPerState, Eligibility, GroupOfficers, ConstituencySeat, PartyTo, Quota,
    Rotation, PresidencyPost, TermLimit, Nominations, NotFromLastGroups, ReservedSeats,
    GroupQuota, OtherGroupThan, OpenSeats)}
# names a profile may still use for a kind, from before the kind was renamed
KIND_ALIASES = {"host_post": "presidency_post"}
