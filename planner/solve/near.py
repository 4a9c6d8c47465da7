"""Valid slates near a given one, and the objective within which the k best slates lie.

Where the rules do not decompose by group, the k best slates were found by one CP-SAT solve
per slate, each proving its slate the best of those left (the General Assembly's General
Committee: 50 slates in 8.5 s). A bound does it at once: any k valid slates with objective at
most V show that the k best have objective at most V, so the model lists every slate within V
in one search (planner.solve.model.SlateModel.all_within) and sorting them gives the k best,
exactly. The k valid slates come from moving one or two officers of the best slate: one State
for another on a seat, or two officers swapping posts. They are only a witness for V; the
search, not they, decides which slates are the k best."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from planner.domain.slate import Slate
from planner.rules.base import objective, preference_weights
from planner.rules.election import Election
from planner.rules.forms import Form, FormBackend, Key, passes


def seat_places(el: Election, held: Iterable[Key],
                memo: dict[Key, tuple[int, int]] | None = None) -> tuple[tuple[int, int], ...]:
    """A fixed order among slates of equal cost: by post, then alphabetical position (each
    (State, post)'s place read once where a memo is given)."""
    memo = {} if memo is None else memo
    out = []
    for k in held:
        at = memo.get(k)
        if at is None:
            at = memo[k] = (el.body.post_rank(k[1]), el.rank[k[0]])
        out.append(at)
    out.sort()
    return tuple(out)


@dataclass(frozen=True)
class _Move:
    gone: frozenset[Key]
    added: frozenset[Key]


class Neighbourhood:
    """The election's constraints indexed by the pairs they name, so that a slate a move from
    a valid one is checked against only the constraints the move touches (the others keep the
    values they had on the valid slate), and a linear one by what the move changes."""

    def __init__(self, el: Election) -> None:
        self.el = el
        self.objective = objective(el, FormBackend(), preference_weights(el))
        self.checks = [(diff, op) for _rule, diff, op, _support in el.rule_forms]
        self.touching: dict[Key, list[int]] = {}
        for i, (_rule, _diff, _op, support) in enumerate(el.rule_forms):
            for key in support:
                self.touching.setdefault(key, []).append(i)
        # the objective's capped parts (a preference counting groups, each group's count
        # capped) indexed by the pairs they name, where each is a plain sum under its cap:
        # a move then changes the objective by its terms and the caps it touches alone
        self.flat_caps = all(not sub.caps for sub, _cap, _w in self.objective.caps)
        self.cap_touching: dict[Key, list[int]] = {}
        for j, (sub, _cap, _w) in enumerate(self.objective.caps):
            for key in sub.support():
                self.cap_touching.setdefault(key, []).append(j)

    @staticmethod
    def _change(form: Form, move: _Move) -> int:
        """What the move adds to a form without caps."""
        get = form.terms.get
        change = 0
        for k in move.added:
            change += get(k, 0)
        for k in move.gone:
            change -= get(k, 0)
        return change

    def _after(self, held: frozenset[Key], move: _Move, values: dict[int, int], cost: int
               ) -> tuple[frozenset[Key], int] | None:
        """The slate after the move and its cost, where it is valid (held being valid, the
        constraints' values on it in values, read as needed): a constraint the move leaves
        where it was still holds."""
        if not move.gone <= held or move.added & held:
            return None
        ordered: tuple[Key, ...] = ()
        for i in {i for k in move.gone | move.added for i in self.touching.get(k, ())}:
            diff, op = self.checks[i]
            if diff.caps:  # caps do not move by sums: read whole
                ordered = ordered or tuple(sorted((held - move.gone) | move.added))
                if not passes(diff.value(ordered), op):
                    return None
                continue
            change = self._change(diff, move)
            if change:
                if i not in values:
                    values[i] = diff.value(tuple(held))
                if not passes(values[i] + change, op):
                    return None
        after = (held - move.gone) | move.added
        if not self.objective.caps:
            return after, cost + self._change(self.objective, move)
        if not self.flat_caps:
            return after, self.objective.value(ordered or tuple(sorted(after)))
        change = self._change(self.objective, move)
        for j in {j for k in move.gone | move.added for j in self.cap_touching.get(k, ())}:
            sub, cap, weight = self.objective.caps[j]
            if -1 - j not in values:  # the caps' values on held, beside the constraints'
                values[-1 - j] = sub.value(tuple(held))
            was = values[-1 - j]
            change += weight * (min(was + self._change(sub, move), cap) - min(was, cap))
        return after, cost + change

    def bound(self, slate: Slate, k: int, keep: Iterable[Key] = (),
              barred: Iterable[str] = ()) -> int | None:
        """An objective value within which k valid slates are known (the given one among
        them); None where fewer are found."""
        known = sorted(self.around(slate, k, keep, barred).values())
        return known[k - 1] if len(known) >= k else None

    def around(self, slate: Slate, k: int, keep: Iterable[Key] = (),
               barred: Iterable[str] = (), every: bool = False) -> dict[frozenset[Key], int]:
        """Valid slates near the given valid one, with their cost, found best first: the
        cheapest slate known is moved in every way (two officers swapping posts; one State
        for another, from the given slate, then the k cheapest of those), k / 2 times over.
        Kept seats stay, barred States stay off. Once k slates are known, a slate dearer than
        the k-th cheapest is left out (every: kept too): it can be neither among the k
        cheapest at the end nor moved in its turn (each slate moved is cheaper than the k-th
        cheapest known then), so the walk and its k cheapest are the same, in less time (a
        100-post conference: most of the slates a move reaches are dearer)."""
        el = self.el
        root = frozenset((s.state, s.post) for s in slate)
        kept, out = frozenset(keep), frozenset(barred)
        memo: dict[Key, tuple[int, int]] = {}
        root_cost = self.objective.value(tuple(sorted(root)))
        known = {root: root_cost}
        heap = [(root_cost, seat_places(el, root, memo), root)]
        cheapest = [-root_cost]  # the k cheapest costs known, dearest on top
        on = {st for st, _p in root}
        # one State for another on a seat: the ways that hold on the given slate, cheapest
        # first, are tried on the others
        replacing = [_Move(frozenset({(st, p)}), frozenset({(t, p)}))
                     for st, p in sorted(root - kept) for t in el.universe
                     if t not in on and t not in out]
        # half as many slates moved as asked for: the General Committee's bound for 50 is
        # the 50th best's own at 25 (0.10 s), one above it at 10 (0.05 s)
        for _ in range(max(1, k // 2)):
            if not heap:
                break
            cost, _place, held = heapq.heappop(heap)
            seats = sorted(held - kept)
            moves = [_Move(frozenset({(s1, p1), (s2, p2)}), frozenset({(s1, p2), (s2, p1)}))
                     for (s1, p1), (s2, p2) in itertools.combinations(seats, 2) if p1 != p2]
            values: dict[int, int] = {}
            tried = [(m, self._after(held, m, values, cost)) for m in replacing]
            if held is root:
                found = sorted(((m, r) for m, r in tried if r is not None),
                               key=lambda mr: mr[1][1])
                replacing = [m for m, _r in found[:k]]
            tried += [(m, self._after(held, m, values, cost)) for m in moves]
            # cheapest first: once k are known, the rest of the batch is dearer than the k-th
            for after, c in sorted((r for _m, r in tried if r is not None), key=itemgetter(1)):
                if not every and len(cheapest) >= k and c > -cheapest[0]:
                    break
                if after in known:
                    continue
                known[after] = c
                heapq.heappush(heap, (c, seat_places(el, after, memo), after))
                if len(cheapest) < k:
                    heapq.heappush(cheapest, -c)
                elif c < -cheapest[0]:
                    heapq.heapreplace(cheapest, -c)
        return known
