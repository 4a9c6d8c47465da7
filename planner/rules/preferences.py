"""The library of preference kinds: what makes one valid slate better than another, in the order
a profile lists them (each level outweighs every level after it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.rules.base import Backend, E, Preference, officers, who_may_hold
from planner.rules.kinds import members_meeting

if TYPE_CHECKING:
    from planner.rules.election import Election


@dataclass(frozen=True)
class NominationPriority(Preference):
    """Groups' first choices before their later ones (sum of priority - 1)."""

    kind = "nomination_priority"
    maximise = False

    def value(self, el: Election, b: Backend[E]) -> E:
        return b.total(b.scaled(b.holds(n.state, n.post), n.priority - 1)
                       for n in el.case.nominations if n.priority > 1)


@dataclass(frozen=True)
class GroupsWith(Preference):
    """Groups with at least one officer meeting a standing (more is better)."""

    kind = "groups_with"
    required_params = ("condition",)
    maximise = True
    condition: str = "convention_and_all_protocols"

    def value(self, el: Election, b: Backend[E]) -> E:
        return b.total(
            b.capped(officers(el, b, members_meeting(el, el.members(g), self.condition)), 1)
            for g in el.body.group_names
        )


@dataclass(frozen=True)
class OfficersWith(Preference):
    """Officers meeting a standing (more is better)."""

    kind = "officers_with"
    required_params = ("condition",)
    maximise = True
    condition: str = "all_instruments"

    def value(self, el: Election, b: Backend[E]) -> E:
        return officers(el, b, members_meeting(el, el.universe, self.condition))


@dataclass(frozen=True)
class TieBreak(Preference):
    """Among otherwise equal slates, States that served on the bureau least recently (bureau
    history), then earlier in alphabetical order, first for seats, then for the posts held by
    one officer (lower is better). Not a rule: the planner's own."""

    kind = "tie_break"
    maximise = False

    def value(self, el: Election, b: Backend[E]) -> E:
        order = el.turn_rank  # over the whole universe, also where the model sees fewer States
        named = [p for p in el.body.post_names if el.body.post(p).count == 1]
        # the single posts compared in order, the head post first: ranks as digits in base n
        # (n States), so that no two ways to fill them with the same officers tie
        n = max(2, len(order))
        multiplier = {p: n ** (len(named) - 1 - j) for j, p in enumerate(named)}
        weight = self._seat_weight(el)
        # only the universe's States can hold a post; their ranks are the whole universe's
        ranked = [(s, order[s]) for s in who_may_hold(b, el.universe)]
        seats = b.total(b.scaled(officers(el, b, [s]), weight * r) for s, r in ranked)
        chairs = b.total(b.scaled(b.total(b.scaled(b.holds(s, p), multiplier[p])
                                          for p in named), r)
                         for s, r in ranked)
        return b.total([seats, chairs])

    @staticmethod
    def _seat_weight(el: Election) -> int:
        """More than the single posts' part can ever be (n**k - 1 at most, for k single posts
        and ranks below n), so that seats come first."""
        single = sum(1 for p in el.body.posts if p.count == 1)
        return int(max(2, len(el.turn_rank)) ** single)

    def bounds(self, el: Election) -> tuple[int, int]:
        # the largest ranks on every seat, and on the single posts: no form over every State
        n = len(el.turn_rank)
        seats = el.body.total_posts
        top = sum(range(max(0, n - seats), n))
        return 0, self._seat_weight(el) * top + self._seat_weight(el) - 1


PREFERENCE_KINDS: dict[str, type[Preference]] = {k.kind: k for k in (
    NominationPriority, GroupsWith, OfficersWith, TieBreak)}

TIE_BREAK = TieBreak(
    "tie_break", "the planner's tie-break, not a rule",
    "Among otherwise equal slates, States that served on the bureau least recently (bureau "
    "history), then earlier in alphabetical order, first for seats, then for the single posts, "
    "the head post first (lower is better).", label="tie-break")
