"""The fairness rules of a plan: which States serve, how often, and when.

Each rule is defined once through per-session Backends (planner.rules.planning), so the same
definition checks a given plan (how many times the rule is broken, per group) and is posted to
the joint CP-SAT model as a count to make as small as possible. A profile lists the ones its
plans follow, in order of importance (`fairness = [...]`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, TypeVar

from planner.domain.slate import Slate
from planner.rules.base import Election, EvalBackend, FairnessRule, Need, qualifies
from planner.rules.forms import passes
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
    floors_read = "how many of them served before"

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

    def floors(self, view: PlanView) -> dict[str, int]:
        """Per group, the fewest times any plan seats a State again while one waits, counted
        by kinds of States: States the group's own constraints treat alike (the seats it
        fills, the seats that need a standing), able to sit and waiting at the same sessions.
        Within a kind, seating one that has not served never does worse than seating one that
        has (swap their terms), so the count walks the sessions with how many of each kind
        have served, trying each way to fill the group's seats by kinds. The constraints
        across groups are left aside, so this is a bound from below. A group whose kinds or
        ways are too many to walk is left out (no bound), and said nowhere: it is only a
        bound."""
        return _by_group(view, _repeat_floor)

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


# how far the count by kinds walks before it gives up (a bound, not an answer: giving up only
# leaves the joint model without it)
MOST_SEATINGS = 5_000  # ways to fill one group's seats at one session, by kinds
MOST_TRIED = 50_000  # steps of the walk to find them, over a group's sessions
MOST_COUNTS = 200_000  # states of the walk (how many of each kind have served) in all
MOST_PAIRS = 50_000  # ways after ways that the count of terms in a row weighs


GroupForm = tuple[dict[str, int], int, str]  # coefficient by State, constant, op against 0


def _by_group(view: PlanView, floor: Callable[[PlanView, str], int]) -> dict[str, int]:
    """A floor of each group, where it is above 0."""
    out: dict[str, int] = {}
    for g in view.elections[0].body.group_names:
        if n := floor(view, g):
            out[g] = n
    return out


def _group_forms(el: Election, group: str) -> list[GroupForm]:
    """The rules' constraints on one group alone that count a State's seat alike whatever its
    post (read once an election: both counts ask, and a large election's forms are long)."""
    known: dict[str, list[GroupForm]] = el.__dict__.setdefault("_group_forms", {})
    if group not in known:
        known[group] = _read_group_forms(el, group)
    return known[group]


def _read_group_forms(el: Election, group: str) -> list[GroupForm]:
    members = set(el.members(group))
    posts = len(el.body.post_names)
    out: list[GroupForm] = []
    for _rule, form, op, support in el.rule_forms:
        if form.caps or not support or any(s not in members for s, _p in support):
            continue  # a constraint across groups: left aside
        per: dict[str, set[int]] = {}
        count: dict[str, int] = {}
        for (s, _p), c in form.terms.items():
            per.setdefault(s, set()).add(c)
            count[s] = count.get(s, 0) + 1
        if any(len(v) != 1 or count[s] != posts for s, v in per.items()):
            continue  # it tells posts apart (the rotation's head post): left aside
        coef = {s: next(iter(v)) for s, v in per.items()}
        if len(coef) == 1 and all(passes(c * seated + form.const, op)
                                  for c in coef.values() for seated in (0, 1)):
            # one State's, met whether it sits or not (it holds one post at most): left
            # aside, or each State would be a kind of its own
            continue
        out.append((coef, form.const, op))
    return out


def _seatings(sizes: Sequence[int], most: int, forms: Sequence[tuple[Sequence[int], int, str]],
              tried: list[int]) -> list[tuple[int, ...]] | None:
    """Each way to seat so many of each kind (at most its size, at most `most` in all) that
    meets every form (coefficients by kind, constant, op): None where there are too many, or
    where the steps of the walk (tried[0], counted across a group's sessions) pass
    MOST_TRIED."""
    out: list[tuple[int, ...]] = []

    def walk(i: int, left: int, got: tuple[int, ...]) -> bool:
        # the steps of the walk are bounded too: many seats over many kinds are millions of
        # ways to try for the few that pass (a review timed a minute a group; the shipped
        # cases' plans take a few thousand steps at most)
        tried[0] += 1
        if tried[0] > MOST_TRIED:
            return False
        if i == len(sizes):
            for coef, const, op in forms:
                value = const + sum(c * n for c, n in zip(coef, got, strict=True))
                if not passes(value, op):
                    return True
            out.append(got)
            return len(out) <= MOST_SEATINGS
        return all(walk(i + 1, left - n, (*got, n)) for n in range(min(sizes[i], left) + 1))

    return out if walk(0, most, ()) else None


K = TypeVar("K")


def _kinds(members: Sequence[str], kind: Callable[[str], K]) -> tuple[list[K], list[int]]:
    """The kinds among a group's States, in the order first met, and how many of each."""
    sizes = Counter(map(kind, members))
    return list(sizes), list(sizes.values())


def _ways(at: Sequence[tuple[Any, ...]], sizes: Sequence[int], most: int,
          forms: Sequence[GroupForm], tried: list[int]) -> list[tuple[int, ...]] | None:
    """_seatings at one session, each kind read there as (able to sit, ..., its coefficient in
    each of the group's forms)."""
    return _seatings([size if a[0] else 0 for a, size in zip(at, sizes, strict=True)], most,
                     [([a[2][j] for a in at], const, op)
                      for j, (_coef, const, op) in enumerate(forms)], tried)


def _repeat_floor(view: PlanView, group: str) -> int:
    """RepeatService.floors for one group (0 where it gives up)."""
    forms = [_group_forms(el, group) for el in view.elections]
    members = sorted({s for el in view.elections for s in el.members(group)})
    before = view.served_before

    def kind(s: str) -> tuple[Any, ...]:
        per = []
        for session, el, mine in zip(view.sessions, view.elections, forms, strict=True):
            # as the rule's terms read them: able to sit, and counted among those waiting
            sits = s in el.rank and view.willing(s, session)
            waits = sits and el.status[s].eligible
            per.append((sits, waits, tuple(coef.get(s, 0) for coef, _c, _o in mine)))
        return (s in before, tuple(per))

    keys, sizes = _kinds(members, kind)
    fresh = [i for i, k in enumerate(keys) if not k[0]]  # kinds that had not served before
    slot = {i: j for j, i in enumerate(fresh)}
    counts: dict[tuple[int, ...], int] = {tuple(0 for _ in fresh): 0}
    walked = 0
    tried = [0]
    for t, el in enumerate(view.elections):
        ways = _ways([k[1][t] for k in keys], sizes, el.profile.most_officers(group), forms[t],
                     tried)
        if not ways:
            return 0  # too many ways, or none (the plan then has no slate at all)
        waiting_kinds = [j for j, i in enumerate(fresh) if keys[i][1][t][1]]
        following: dict[tuple[int, ...], int] = {}
        for served, cost in counts.items():
            waiting = any(served[j] < sizes[fresh[j]] for j in waiting_kinds)
            for way in ways:
                after = list(served)
                again = 0
                for i, n in enumerate(way):
                    if keys[i][0]:
                        again += n
                        continue
                    j = slot[i]
                    first = min(n, sizes[i] - served[j])
                    after[j] += first
                    again += n - first
                key = tuple(after)
                total = cost + (again if waiting else 0)
                if total < following.get(key, total + 1):
                    following[key] = total
        walked += len(following)
        if walked > MOST_COUNTS:
            return 0
        counts = following
    return min(counts.values(), default=0)


def _consecutive_floor(view: PlanView, group: str) -> int:
    """ConsecutiveTerms.floors for one group (0 where it gives up)."""
    members = sorted({s for el in view.elections for s in el.members(group)})
    if any(el.group_or_none(s) not in (group, None) for el in view.elections for s in members):
        return 0  # a State of the group at one session and of another at the next
    forms = [_group_forms(el, group) for el in view.elections]
    planned = set(view.sessions)

    def kind(s: str) -> tuple[tuple[Any, ...], ...]:
        per = []
        for session, el, mine in zip(view.sessions, view.elections, forms, strict=True):
            sits = s in el.rank and view.willing(s, session)
            # on the bureau before, where that bureau is the history's, not the plan's
            held = session - 1 not in planned and bool(view.on((), session - 1, s))
            per.append((sits, held, tuple(coef.get(s, 0) for coef, _c, _o in mine)))
        return tuple(per)

    keys, sizes = _kinds(members, kind)
    best: dict[tuple[int, ...], int] = {}  # the fewest so far, by the way the last was filled
    walked = 0
    tried = [0]
    for t, (session, el) in enumerate(zip(view.sessions, view.elections, strict=True)):
        ways = _ways([k[t] for k in keys], sizes, el.profile.most_officers(group), forms[t],
                     tried)
        if not ways:
            return 0  # too many ways, or none (the plan then has no slate at all)
        held = [k[t][1] for k in keys]
        # the ways before, cheapest first, each as the kinds it seats (a bureau seats a few
        # of a few kinds)
        before = sorted((([(i, n) for i, n in enumerate(way) if n], cost)
                         for way, cost in best.items()), key=itemgetter(1))
        following: dict[tuple[int, ...], int] = {}
        for way in ways:
            again = sum(n for n, h in zip(way, held, strict=True) if h)  # after the history
            if session - 1 in planned:  # after the plan's own bureau before
                # of a kind of k States, a seated before and b now: a + b - k twice, at least
                left = [k - b for k, b in zip(sizes, way, strict=True)]
                fewest = None
                for seated, cost in before:
                    if fewest is not None and cost >= fewest:
                        break  # no dearer way before can do better
                    walked += 1
                    total = cost + sum(max(0, a - left[i]) for i, a in seated)
                    fewest = total if fewest is None else min(fewest, total)
                again += fewest or 0
                if walked > MOST_PAIRS:
                    return 0
            elif best:
                again += min(best.values())
            following[way] = again
        best = following
    return min(best.values(), default=0)


@dataclass(frozen=True)
class ConsecutiveTerms(FairnessRule):
    id = "consecutive_terms"
    label = "terms in a row"
    wording = "No State on two consecutive bureaus."

    two_terms = True
    floors_read = "which of them sat on the bureau just before"
    # posted to the joint model, its floors left a review's plan (100 posts, 8 sessions) at 467
    # terms in a row, unproven, where the model without them proves 455 in the same budget;
    # no plan was found better with them
    floors_posted = False

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

    def floors(self, view: PlanView) -> dict[str, int]:
        """Per group, the fewest terms in a row any plan gives, counted by kinds of States:
        States the group's own constraints treat alike, able to sit at the same sessions and
        on the same bureaus of the history. Of a kind of k States, a bureau that seats a and
        the next that seats b seat at least a + b - k of them twice in a row; against a bureau
        of the history, each seated of a kind that was on it. The walk over the sessions tries
        each way to fill the group's seats by kinds, after each way the session before was
        filled. The constraints across groups are left aside, so this is a bound from below;
        a group whose kinds or ways are too many to walk is left out (no bound)."""
        return _by_group(view, _consecutive_floor)


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
