"""The fairness rules of a plan: which States serve, how often, and when.

Each rule is defined once through per-session Backends (planner.rules.planning), so the same
definition checks a given plan (how many times the rule is broken, per group) and is posted to
the joint CP-SAT model as a count to make as small as possible. A profile lists the ones its
plans follow, in order of importance (`fairness = [...]`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from planner.domain.slate import Slate
from planner.rules.base import EvalBackend, FairnessRule, Need, qualifies
from planner.rules.planning import PlanBackend, PlanView, Term, all_of, any_of, is_zero, negated


def _prior(view: PlanView, bs: Sequence[PlanBackend[Any]], t: int, state: str) -> Term:
    """Whether the State served before the plan's t-th session (history or earlier sessions)."""
    if state in view.served_before:
        return 1
    return any_of(bs[t], [view.on(bs, view.sessions[u], state) for u in range(t)])


def _surely_on(view: PlanView, pinned: Sequence[frozenset[str]], session: int, state: str
               ) -> bool:
    """Whether the State is on the bureau of a session in every plan: pinned there by the
    rules, or there in the bureau history."""
    if session in view.sessions:
        return state in pinned[view.sessions.index(session)]
    return bool(view.on((), session, state))


@dataclass(frozen=True)
class RepeatService(FairnessRule):
    id = "repeat_service"
    label = "serving again while others wait"
    wording = ("No State serves again while a willing State of its group has not served "
               "(in the plan or the bureau history).")

    two_terms = True

    def terms(self, view: PlanView, bs: Sequence[PlanBackend[Any]],
              skip: frozenset[str] = frozenset()) -> Iterator[tuple[str, Term]]:
        for t, (session, el) in enumerate(zip(view.sessions, view.elections, strict=True)):
            b = bs[t]
            prior = {s: _prior(view, bs, t, s) for s in el.universe
                     if el.group_or_none(s) not in skip}
            for g in el.body.group_names:
                if g in skip:
                    continue
                members = el.members(g)
                willing = [s for s in members
                           if el.status[s].eligible and view.willing(s, session)]
                unserved = any_of(b, [negated(b, prior[s]) for s in willing])
                for s in members:
                    if not is_zero(prior[s]):
                        yield g, all_of(b, [view.on(bs, session, s), prior[s], unserved])

    def most(self, view: PlanView) -> int:
        return len(view.sessions) * view.elections[0].body.total_posts

    def forced(self, view: PlanView, pinned: Sequence[frozenset[str]],
               seats: Callable[[int, str], int]) -> int:
        """A State pinned to a session's bureau that surely served before breaks the rule
        wherever more willing States of its group wait, unserved by the plan's earlier
        sessions, than those sessions had seats for them (beyond the pinned States')."""
        count = 0
        for t, (session, el) in enumerate(zip(view.sessions, view.elections, strict=True)):
            earlier = frozenset().union(*pinned[:t])
            for g in el.body.group_names:
                again = [s for s in pinned[t] if el.group_or_none(s) == g
                         and (s in view.served_before or s in earlier)]
                if not again:
                    continue
                waiting = [s for s in el.members(g) if el.status[s].eligible
                           and view.willing(s, session) and s not in view.served_before
                           and s not in earlier]
                room = sum(max(0, seats(u, g) - sum(1 for s in pinned[u]
                                                    if el.group_or_none(s) == g))
                           for u in range(t))
                if len(waiting) > room:
                    count += len(again)
        return count

    def once_at_zero(self, view: PlanView) -> frozenset[str]:
        """The groups with more States willing at every session, and not yet served, than the
        plan's sessions before the last can seat: there a willing State is waiting at every
        session."""
        first = view.elections[0]
        out = set()
        for g in first.body.group_names:
            members = sorted({s for el in view.elections for s in el.members(g)})
            waiting = [s for s in members if s not in view.served_before
                       and all(el.status.get(s) is not None and el.status[s].eligible
                               and view.willing(s, session)
                               for session, el in zip(view.sessions, view.elections,
                                                      strict=True))]
            if len(waiting) > first.profile.most_officers(g) * (len(view.sessions) - 1):
                out.add(g)
        return frozenset(out)

    def at_zero(self, view: PlanView, bs: Sequence[PlanBackend[Any]]) -> Iterator[Need[Any]]:
        """Where a willing State is waiting at every session (once_at_zero), no State of the
        group serves twice, nor at all if it served before."""
        waiting = self.once_at_zero(view)
        for g in view.elections[0].body.group_names:
            if g not in waiting:
                continue
            members = sorted({s for el in view.elections for s in el.members(g)})
            for s in members:
                terms = [view.on(bs, session, s) for session in view.sessions]
                live = [t for t in terms if not is_zero(t)]
                if live:
                    most = 0 if s in view.served_before else 1
                    yield Need(bs[0].total(live), "<=", most,
                               f"terms of {s} in the plan, while others of the {g} wait")


@dataclass(frozen=True)
class ConsecutiveTerms(FairnessRule):
    id = "consecutive_terms"
    label = "terms in a row"
    wording = "No State on two consecutive bureaus."

    two_terms = True

    def terms(self, view: PlanView, bs: Sequence[PlanBackend[Any]],
              skip: frozenset[str] = frozenset()) -> Iterator[tuple[str, Term]]:
        for t, (session, el) in enumerate(zip(view.sessions, view.elections, strict=True)):
            for s in el.universe:
                if el.group_or_none(s) in skip:
                    continue
                before = view.on(bs, session - 1, s)
                if not is_zero(before):
                    yield el.group_or_none(s), all_of(bs[t], [view.on(bs, session, s), before])

    def most(self, view: PlanView) -> int:
        return len(view.sessions) * view.elections[0].body.total_posts

    def forced(self, view: PlanView, pinned: Sequence[frozenset[str]],
               seats: Callable[[int, str], int]) -> int:
        """A State pinned to two consecutive bureaus (or pinned to the first of the plan's
        and on the one before it in the history)."""
        return sum(1 for t, session in enumerate(view.sessions) for s in pinned[t]
                   if _surely_on(view, pinned, session - 1, s))


@dataclass(frozen=True)
class StandingSeatRepeats(FairnessRule):
    """Counted per State beyond its first time as its group's only officer meeting the profile's
    fairness_condition (for UNTOC, the group's protocol seat)."""

    id = "protocol_seat_repeats"
    reads = frozenset({"history", "instruments"})
    label = "the same State carrying the group's seat again"
    wording = ("The same State does not keep carrying its group's seat that needs a standing "
               "(the group's only officer meeting it).")

    two_terms = True  # a State's first time carrying the seat is free

    def terms(self, view: PlanView, bs: Sequence[PlanBackend[Any]],
              skip: frozenset[str] = frozenset()) -> Iterator[tuple[str, Term]]:
        condition = view.elections[0].profile.fairness_condition
        if condition is None:
            return
        lone: dict[str, list[Term]] = {}
        group: dict[str, str] = {}
        for t, (session, el) in enumerate(zip(view.sessions, view.elections, strict=True)):
            b = bs[t]
            for g in el.body.group_names:
                if g in skip:
                    continue
                qualified = [s for s in el.members(g) if qualifies(el, s, condition)]
                carriers = b.total([view.on(bs, session, q) for q in qualified])
                for s in qualified:
                    on = view.on(bs, session, s)
                    if is_zero(on):
                        continue
                    # on the bureau and the group's only qualified officer
                    alone = b.at_least(b.total([b.scaled(on, 2), b.scaled(carriers, -1)]), 1)
                    lone.setdefault(s, []).append(alone)
                    group.setdefault(s, g)
        b = bs[0]
        for s, ones in sorted(lone.items()):
            if len(ones) > 1:
                times = b.total(ones)
                yield group[s], b.total([times, b.scaled(b.capped(times, 1), -1)])

    def most(self, view: PlanView) -> int:
        return len(view.sessions) * len(view.elections[0].body.groups)


FAIRNESS_KINDS: dict[str, FairnessRule] = {
    r.id: r for r in (RepeatService(), ConsecutiveTerms(), StandingSeatRepeats())}


class PlanEvalBackend(EvalBackend):
    def at_least(self, expr: int, k: int) -> int:
        return int(expr >= k)


def fairness_counts(view: PlanView, slates: Sequence[Slate]) -> dict[str, dict[str, int]]:
    """The checking face: for each of the profile's fairness rules, how often a given plan
    breaks it, per group."""
    bs = [PlanEvalBackend(slate) for slate in slates]
    out: dict[str, dict[str, int]] = {}
    for rule_id in view.elections[0].profile.fairness:
        per: dict[str, int] = {}
        for g, term in FAIRNESS_KINDS[rule_id].terms(view, bs):
            per[g] = per.get(g, 0) + int(term)
        out[rule_id] = per
    return out
