"""The library of preference kinds: what makes one valid slate better than another, in the order
a profile lists them (each level outweighs every level after it)."""

from __future__ import annotations

from dataclasses import dataclass

from planner.rules.base import (
    CONDITIONS,
    Backend,
    E,
    Election,
    Preference,
    members_meeting,
    officers,
    param,
    who_may_hold,
)


@dataclass(frozen=True)
class NominationPriority(Preference):
    """Groups' first choices before their later ones (sum of priority - 1)."""

    kind = "nomination_priority"
    reads = frozenset({"nominations"})
    maximise = False

    def value(self, el: Election, b: Backend[E]) -> E:
        return b.total(b.scaled(b.holds(n.state, n.post), n.priority - 1)
                       for n in el.case.nominations if n.priority > 1)


@dataclass(frozen=True)
class GroupsWith(Preference):
    """Groups with at least one officer meeting a standing (more is better)."""

    kind = "groups_with"
    reads = frozenset({"instruments"})
    maximise = True
    condition: str = param("convention_and_all_protocols", "the standing asked for",
                           choices=tuple(CONDITIONS), required=True)

    def value(self, el: Election, b: Backend[E]) -> E:
        return b.total(
            b.capped(officers(el, b, members_meeting(el, el.members(g), self.condition)), 1)
            for g in el.body.group_names
        )


@dataclass(frozen=True)
class OfficersWith(Preference):
    """Officers meeting a standing (more is better)."""

    kind = "officers_with"
    reads = frozenset({"instruments"})
    maximise = True
    condition: str = param("all_instruments", "the standing asked for",
                           choices=tuple(CONDITIONS), required=True)

    def value(self, el: Election, b: Backend[E]) -> E:
        return officers(el, b, members_meeting(el, el.universe, self.condition))


@dataclass(frozen=True)
class SeatsFilled(Preference):
    """Seats left open (fewer is better): put before every other preference where a profile
    lets a seat be left open (planner.rules.kinds.OpenSeats), so that a seat stays open only
    where no valid slate fills it, never to meet a later preference."""

    kind = "seats_filled"
    maximise = False
    before_fairness = True

    def value(self, el: Election, b: Backend[E]) -> E:
        seats = who_may_hold(b, [o.state for o in el.open_seats if o.state in el.rank])
        return b.total(b.holds(s, p) for s in seats for p in el.body.post_names)

    def bounds(self, el: Election) -> tuple[int, int] | None:
        return (0, len(el.open_seats))


# the most n**k (n States, k single posts) for the tie-break's single posts to weigh as digits
DIGITS_UP_TO = 2**32


@dataclass(frozen=True)
class TieBreak(Preference):
    """Among otherwise equal slates, States that served on the bureau least recently (bureau
    history), then earlier in alphabetical order, first for seats, then for the posts held by
    one officer (lower is better). Not a rule: the planner's own."""

    kind = "tie_break"
    reads = frozenset({"history"})
    maximise = False
    planners_own = True

    def value(self, el: Election, b: Backend[E]) -> E:
        order = el.turn_rank  # over the whole universe, also where the model sees fewer States
        named = [p for p in el.body.post_names if el.body.post(p).count == 1]
        multiplier = self._single_weights(el, named)
        weight = self._seat_weight(el)
        # only the universe's States can hold a post; their ranks are the whole universe's
        ranked = [(s, order[s]) for s in who_may_hold(b, el.universe)]
        seats = b.total(b.scaled(officers(el, b, [s]), weight * r) for s, r in ranked)
        chairs = b.total(b.scaled(b.total(b.scaled(b.holds(s, p), multiplier[p])
                                          for p in named), r)
                         for s, r in ranked)
        return b.total([seats, chairs])

    @staticmethod
    def _digits(el: Election) -> bool:
        """Whether the single posts' ranks fit as digits in base n (n States, k single posts):
        n**k within DIGITS_UP_TO, so that the weighted objective stays well inside 64 bits for
        CP-SAT (a body with many single posts gets plain weights instead, and may then tie)."""
        single = sum(1 for p in el.body.posts if p.count == 1)
        return bool(max(2, len(el.turn_rank)) ** single <= DIGITS_UP_TO)

    @classmethod
    def _single_weights(cls, el: Election, named: list[str]) -> dict[str, int]:
        """The single posts compared in order, the head post first: ranks as digits in base n,
        so that no two ways to fill them with the same officers tie; else k, k - 1, ..., 1."""
        n = max(2, len(el.turn_rank))
        if cls._digits(el):
            return {p: n ** (len(named) - 1 - j) for j, p in enumerate(named)}
        return {p: len(named) - j for j, p in enumerate(named)}

    @classmethod
    def _single_most(cls, el: Election) -> int:
        """The most the single posts' part can be (ranks below n)."""
        named = [p for p in el.body.post_names if el.body.post(p).count == 1]
        return max(0, len(el.turn_rank) - 1) * sum(cls._single_weights(el, named).values())

    @classmethod
    def _seat_weight(cls, el: Election) -> int:
        """More than the single posts' part can ever be, so that seats come first."""
        return cls._single_most(el) + 1

    def bounds(self, el: Election) -> tuple[int, int]:
        # the largest ranks on every seat, and on the single posts: no form over every State
        n = len(el.turn_rank)
        seats = el.body.total_posts
        top = sum(range(max(0, n - seats), n))
        return 0, self._seat_weight(el) * top + self._single_most(el)


PREFERENCE_KINDS: dict[str, type[Preference]] = {k.kind: k for k in (
    NominationPriority, GroupsWith, OfficersWith, TieBreak)}

TIE_BREAK = TieBreak(
    "tie_break", "the planner's tie-break, not a rule",
    "Among otherwise equal slates, States that served on the bureau least recently (bureau "
    "history), then earlier in alphabetical order, first for seats, then for the single posts, "
    "the head post first (lower is better).", label="tie-break")
