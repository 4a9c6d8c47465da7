"""The rules of procedure, each defined once.

A rule states its constraints once, through a Backend: evaluated on a given slate (plain Python
integers) they check it; built on CP-SAT variables they are posted to the model. So the checker
and the model cannot drift apart; tests/test_rules.py holds them to it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, Protocol, TypeVar

from planner.domain.body import PRESIDENT, RAPPORTEUR
from planner.domain.slate import NO_GROUP, Slate
from planner.rules.election import Election

E = TypeVar("E")
Scope = tuple[str, ...]


class Backend(Protocol[E]):
    """What a rule may say about a slate: who holds what, sums, and caps."""

    def holds(self, state: str, post: str) -> E: ...

    def total(self, terms: Iterable[E]) -> E: ...

    def capped(self, expr: E, cap: int) -> E:
        """min(expr, cap)."""
        ...

    def scaled(self, expr: E, factor: int) -> E: ...


@dataclass(frozen=True)
class Need(Generic[E]):
    """One constraint: lhs op rhs, with what it says in words."""

    lhs: E
    op: str  # '==', '>=', '<='
    rhs: E | int
    says: str


class EvalBackend:
    """The rules evaluated on a given slate."""

    def __init__(self, slate: Slate) -> None:
        self.count = Counter((seat.state, seat.post) for seat in slate)

    def holds(self, state: str, post: str) -> int:
        return self.count[(state, post)]

    def total(self, terms: Iterable[int]) -> int:
        return sum(terms)

    def capped(self, expr: int, cap: int) -> int:
        return min(expr, cap)

    def scaled(self, expr: int, factor: int) -> int:
        return expr * factor


def holds_need(need: Need[int]) -> bool:
    rhs = need.rhs
    assert isinstance(rhs, int)
    if need.op == "==":
        return need.lhs == rhs
    if need.op == ">=":
        return need.lhs >= rhs
    return need.lhs <= rhs


def on_bureau(el: Election, b: Backend[E], state: str) -> E:
    return b.total(b.holds(state, p) for p in el.spec.post_names)


def officers(el: Election, b: Backend[E], states: Iterable[str]) -> E:
    return b.total(on_bureau(el, b, s) for s in states)


def listing(names: Sequence[str], limit: int = 6) -> str:
    names = list(names)
    if not names:
        return "none"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def group_label(el: Election, group: str) -> str:
    return "States in no regional group" if group == NO_GROUP else f"the {group}"


class Rule(ABC):
    """A hard rule: every slate must meet it. One instance per scope (a group, say)."""

    id: ClassVar[str]
    citation: ClassVar[str]
    wording: ClassVar[str]

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return ((),)

    @abstractmethod
    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]: ...

    @abstractmethod
    def conflict(self, el: Election, scope: Scope) -> str:
        """The facts that make this rule bind, for an explanation of infeasibility."""

    def title(self, scope: Scope) -> str:
        return f"{self.citation} ({', '.join(scope)})" if scope else self.citation


class PostCounts(Rule):
    id = "post_counts"
    citation = "rule 22(1)"
    wording = "A President, eight Vice-Presidents and a Rapporteur are elected."

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        for post in el.spec.posts:
            yield Need(b.total(b.holds(s, post.name) for s in el.universe), "==", post.count,
                       f"{post.name} posts filled")

    def conflict(self, el: Election, scope: Scope) -> str:
        counts = ", ".join(f"{p.count} {p.name}" for p in el.spec.posts)
        return f"{self.citation}: the Conference elects {counts}."


class OnePostPerState(Rule):
    id = "one_post_per_state"
    citation = "rule 22(1)"
    wording = "Each officer is the representative of a different State party."

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        # per group, so that the rule is local to a group like the rules of rule 22(3)
        return tuple((g,) for g in (*el.spec.group_names, NO_GROUP) if el.members(g))

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        for s in el.members(scope[0]):
            yield Need(on_bureau(el, b, s), "<=", 1, f"posts held by {s}")

    def conflict(self, el: Election, scope: Scope) -> str:
        return f"{self.citation}: no State holds more than one post."


class Eligibility(Rule):
    id = "eligibility"
    citation = "rule 22(1)"
    wording = "Officers are elected from among the representatives of the States parties present."

    def barred(self, el: Election, scope: Scope) -> list[str]:
        return [s for s in el.members(scope[0]) if not el.status[s].eligible]

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        groups = (*el.spec.group_names, NO_GROUP)
        return tuple((g,) for g in groups if self.barred(el, (g,)))

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        barred = self.barred(el, scope)
        reasons = "; ".join(f"{s}: {el.status[s].reason}" for s in barred)
        yield Need(officers(el, b, barred), "==", 0,
                   f"officers from States that cannot sit ({reasons})")

    def conflict(self, el: Election, scope: Scope) -> str:
        barred = "; ".join(f"{s} is {el.status[s].reason}" for s in self.barred(el, scope))
        return f"{self.citation}: officers come from the States parties present; {barred}."


class TwoPerGroup(Rule):
    id = "two_per_group"
    citation = "rule 22(3)"
    wording = "Each of the five regional groups is represented by two officers."

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return tuple((g,) for g in el.spec.group_names)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        n = el.spec.seats_per_group
        yield Need(officers(el, b, el.members(scope[0])), "==", n,
                   f"officers from the {scope[0]}")

    def conflict(self, el: Election, scope: Scope) -> str:
        able = [s for s in el.members(scope[0]) if el.status[s].eligible]
        return (f"{self.citation}: each regional group is represented by "
                f"{el.spec.seats_per_group} officers; the {scope[0]} have {len(able)} State(s) "
                f"that can sit ({listing(able)}).")


class ProtocolSeat(Rule):
    id = "protocol_seat"
    citation = "rule 22(3)"
    wording = ("One of each group's two officers is from a State party to the Convention and to "
               "one or more of the Protocols in force at the opening.")

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return tuple((g,) for g in el.spec.group_names)

    def qualified(self, el: Election, group: str) -> list[str]:
        return [s for s in el.members(group) if el.status[s].protocol_seat]

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        yield Need(officers(el, b, self.qualified(el, scope[0])), ">=", 1,
                   f"officers of the {scope[0]} party to the Convention and to a Protocol "
                   "in force")

    def conflict(self, el: Election, scope: Scope) -> str:
        able = [s for s in self.qualified(el, scope[0]) if el.status[s].eligible]
        head = (f"{self.citation}: one of the two officers of each group is from a State party "
                "to the Convention and to one or more Protocols in force; ")
        if not able:
            return head + f"none of the {scope[0]} present is."
        return head + f"of the {scope[0]} present, only {listing(able)} qualify."


class AllInstruments(Rule):
    id = "all_instruments"
    citation = "rule 22(3)"
    wording = ("The bureau includes at least two representatives of States that are parties to "
               "all the instruments in force at the opening.")

    def qualified(self, el: Election) -> list[str]:
        return [s for s in el.universe if el.status[s].all_instruments]

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        n = el.spec.min_all_instruments
        yield Need(officers(el, b, self.qualified(el)), ">=", n,
                   "officers from States party to every instrument in force")

    def conflict(self, el: Election, scope: Scope) -> str:
        able = [s for s in self.qualified(el) if el.status[s].eligible]
        names = ", ".join(i.id for i in el.assessment.in_force)
        return (f"{self.citation}: the bureau includes at least {el.spec.min_all_instruments} "
                f"States parties to all instruments in force ({names}); {len(able)} State(s) "
                f"present are ({listing(able)}).")


class _PostRotation(Rule):
    post: ClassVar[str]

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        group = el.post_group(self.post)
        return ((group,),) if group else ()

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        yield Need(b.total(b.holds(s, self.post) for s in el.members(scope[0])), "==", 1,
                   f"{self.post}s from the {scope[0]}")

    def conflict(self, el: Election, scope: Scope) -> str:
        return (f"{self.citation}: the offices of President and Rapporteur rotate; at this "
                f"session the {self.post} comes from the {scope[0]} ({el.rotation_basis}).")


class PresidentRotation(_PostRotation):
    id = "president_rotation"
    citation = "rule 22(3)"
    wording = ("The offices of President and Rapporteur normally rotate among the five regional "
               "groups: the President comes from the group whose turn it is.")
    post = PRESIDENT


class RapporteurRotation(_PostRotation):
    id = "rapporteur_rotation"
    citation = "rule 22(3)"
    wording = ("The offices of President and Rapporteur normally rotate among the five regional "
               "groups: the Rapporteur comes from the group whose turn it is.")
    post = RAPPORTEUR


class Nominations(Rule):
    id = "nominations"
    citation = "nominations by the regional groups"
    wording = ("Where a group has nominated States for a post, its seats of that post go to its "
               "nominees, as many as it nominated; a nominee holds only a post it was nominated "
               "for; seats for which the group nominated nobody stay open to its States.")

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        keys = sorted({((el.group(n.state) or NO_GROUP), n.post) for n in el.case.nominations})
        return tuple(keys)

    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]:
        group, post = scope
        nominees = el.nominees(group, post)
        names = [n.state for n in nominees]
        seats = b.total(b.holds(s, post) for s in el.members(group))
        filled = b.total(b.holds(s, post) for s in names)
        # a cap at or above the most seats a group can hold of the post is no cap at all
        most = min(el.spec.post(post).count, el.spec.seats_per_group)
        wanted = seats if len(names) >= most else b.capped(seats, len(names))
        yield Need(filled, ">=", wanted,
                   f"{post} seats of the {group} held by their nominees ({listing(names)})")
        for n in nominees:
            for other in el.spec.post_names:
                if other not in el.nominated_posts(n.state):
                    yield Need(b.holds(n.state, other), "==", 0,
                               f"{other} posts held by {n.state}, a nominee for {post} only")

    def conflict(self, el: Election, scope: Scope) -> str:
        group, post = scope
        names = [n.state for n in el.nominees(group, post)]
        return (f"{self.citation}: {group_label(el, group)} nominated {listing(names)} for {post}, "
                f"and a nominee holds only a post it was nominated for.")


HARD_RULES: tuple[Rule, ...] = (
    PostCounts(),
    OnePostPerState(),
    Eligibility(),
    TwoPerGroup(),
    ProtocolSeat(),
    AllInstruments(),
    PresidentRotation(),
    RapporteurRotation(),
    Nominations(),
)


# ---------------------------------------------------------------------------------------------
# Soft rules: preferences, in lexicographic order


class SoftRule(ABC):
    id: ClassVar[str]
    citation: ClassVar[str]
    wording: ClassVar[str]
    maximise: ClassVar[bool]

    @abstractmethod
    def value(self, el: Election, b: Backend[E]) -> E: ...


class NominationPriority(SoftRule):
    id = "nomination_priority"
    citation = "nominations by the regional groups"
    wording = ("Groups' first choices before their later ones "
               "(sum of priority - 1; lower is better).")
    maximise = False

    def value(self, el: Election, b: Backend[E]) -> E:
        return b.total(b.scaled(b.holds(n.state, n.post), n.priority - 1)
                       for n in el.case.nominations if n.priority > 1)


class AllProtocolsSeat(SoftRule):
    id = "protocol_seat_all"
    citation = "rule 22(3)"
    wording = ("Each group's protocol seat held, if possible, by a party to all the Protocols in "
               "force (groups where it is; higher is better).")
    maximise = True

    def value(self, el: Election, b: Backend[E]) -> E:
        return b.total(
            b.capped(officers(el, b, [s for s in el.members(g) if el.status[s].all_protocols]), 1)
            for g in el.spec.group_names
        )


class MoreAllInstruments(SoftRule):
    id = "all_instruments_count"
    citation = "rule 22(3)"
    wording = "Officers from States party to every instrument in force (higher is better)."
    maximise = True

    def value(self, el: Election, b: Backend[E]) -> E:
        return officers(el, b, [s for s in el.universe if el.status[s].all_instruments])


class TieBreak(SoftRule):
    id = "tie_break"
    citation = "the planner's tie-break, not a rule"
    wording = ("Among otherwise equal slates, States earlier in alphabetical order, first for "
               "seats, then for the President's and Rapporteur's posts (lower is better).")
    maximise = False

    def value(self, el: Election, b: Backend[E]) -> E:
        weight = 2 * len(el.universe) + 1
        seats = b.total(b.scaled(on_bureau(el, b, s), weight * r) for s, r in el.rank.items())
        chairs = b.total(b.scaled(b.total([b.holds(s, PRESIDENT), b.holds(s, RAPPORTEUR)]), r)
                         for s, r in el.rank.items())
        return b.total([seats, chairs])


SOFT_RULES: tuple[SoftRule, ...] = (
    NominationPriority(),
    AllProtocolsSeat(),
    MoreAllInstruments(),
    TieBreak(),
)


# ---------------------------------------------------------------------------------------------
# The checking face


@dataclass(frozen=True)
class Outcome:
    rule: str
    citation: str
    scope: Scope
    passed: bool
    message: str


_BOUND = {"==": "exactly", ">=": "at least", "<=": "at most"}


def check(el: Election, slate: Slate) -> tuple[Outcome, ...]:
    """Each rule instance, passed or failed with the reason, on a given slate."""
    b = EvalBackend(slate)
    out: list[Outcome] = []
    for rule in HARD_RULES:
        for scope in rule.scopes(el):
            failed = [n for n in rule.needs(el, scope, b) if not holds_need(n)]
            if failed:
                text = f"{rule.citation}: " + "; ".join(
                    f"{n.says}: needs {_BOUND[n.op]} {n.rhs}, this slate has {n.lhs}"
                    for n in failed
                )
            else:
                text = rule.wording
            out.append(Outcome(rule.id, rule.title(scope), scope, not failed, text))
    return tuple(out)


def score(el: Election, slate: Slate) -> dict[str, int]:
    b = EvalBackend(slate)
    return {r.id: r.value(el, b) for r in SOFT_RULES}


def carries(el: Election, state: str, post: str) -> tuple[str, ...]:
    """The rules an officer helps the slate meet, by rule id."""
    s = el.status[state]
    out: list[str] = []
    if s.protocol_seat:
        out.append("protocol_seat (all Protocols)" if s.all_protocols else "protocol_seat")
    if s.all_instruments:
        out.append("all_instruments")
    if post == PRESIDENT and el.president_group and s.group == el.president_group:
        out.append("president_rotation")
    if post == RAPPORTEUR and el.rapporteur_group and s.group == el.rapporteur_group:
        out.append("rapporteur_rotation")
    for n in el.case.nominations:
        if n.state == state and n.post == post:
            out.append(f"nominations (priority {n.priority})")
    return tuple(out)
