"""The space of valid slates, taken group by group: exact counts and slates in objective order.

Every rule of rule 22(3) concerns one regional group, and the preferences add up over groups; only
a few constraints (posts filled, officers party to every instrument) tie the groups together, and
they are sums. So the space of valid slates is a product of each group's valid options, filtered
by those sums. This module builds that product from the rules' own definitions, through a third
backend that turns each rule into linear forms: no rule is restated here. It counts slates
exactly (billions, without listing them), tells which options of a group belong to some valid
slate, and lists slates best first.

A rule this shape does not fit (a constraint tying groups together other than through a sum)
raises NotDecomposable; callers then fall back on the CP-SAT model.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from planner.domain.body import POST_ORDER, PRESIDENT, RAPPORTEUR
from planner.domain.slate import NO_GROUP, Slate, state_order
from planner.rules.base import HARD_RULES, SOFT_RULES, Need
from planner.rules.election import Election, ordered_slate
from planner.solve.forms import Form, FormBackend, Key, NotDecomposable
from planner.solve.model import preference_weights


def _as_form(value: Form | int) -> Form:
    return value if isinstance(value, Form) else Form({}, value)


@dataclass(frozen=True)
class _Check:
    """One need as lhs - rhs compared with 0."""

    diff: Form
    op: str

    def passes(self, held: tuple[Key, ...]) -> bool:
        v = self.diff.value(held)
        return v == 0 if self.op == "==" else (v >= 0 if self.op == ">=" else v <= 0)


def _check(need: Need[Form]) -> _Check:
    b = FormBackend()
    return _Check(b.total([need.lhs, b.scaled(_as_form(need.rhs), -1)]), need.op)


@dataclass(frozen=True)
class Option:
    """What one group contributes to a slate: who holds which post."""

    group: str
    held: tuple[Key, ...]  # sorted
    delta: tuple[int, ...]  # contribution to each cross-group sum
    cost: int  # contribution to the weighted preferences (lower is better)

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(s for s, _p in self.held)


@dataclass(frozen=True)
class GroupRoom:
    group: str
    options: int  # (pair, posts) options that belong to some valid slate
    pairs: tuple[tuple[str, ...], ...]
    states: tuple[str, ...]
    protocol_seat: tuple[str, ...]
    president: tuple[str, ...]
    rapporteur: tuple[str, ...]
    in_every_pair: tuple[str, ...]


class SlateSpace:
    def __init__(self, el: Election, fixed: Iterable[Key] = (), excluded: Iterable[str] = (),
                 only: Mapping[str, tuple[Key, ...]] | None = None) -> None:
        self.el = el
        b = FormBackend()
        groups = [g for g in (*el.spec.group_names, NO_GROUP) if g in el.spec.group_names
                  or el.members(g)]
        self.groups = tuple(groups)
        local: dict[str, list[_Check]] = {g: [] for g in groups}
        cross: list[tuple[Form, str, int]] = []
        for rule in HARD_RULES:
            for scope in rule.scopes(el):
                for need in rule.needs(el, scope, b):
                    if scope:
                        local[scope[0]].append(_check(need))
                        continue
                    lhs, rhs = need.lhs, need.rhs
                    if lhs.caps or isinstance(rhs, Form) or any(v < 0 for v in
                                                                lhs.terms.values()):
                        raise NotDecomposable(f"{rule.id}: not a plain sum across groups")
                    cross.append((lhs, need.op, rhs - lhs.const))
        self.cross = tuple(cross)
        weights = preference_weights(el)
        objective = b.total(
            b.scaled(soft.value(el, b), -weights[soft.id] if soft.maximise else weights[soft.id])
            for soft in SOFT_RULES
        )
        self._check_additive(objective)
        self._linear_cost, self._caps_by_key = objective.split()
        fixed_by_group: dict[str, set[Key]] = {}
        for state, post in fixed:
            fixed_by_group.setdefault(el.group(state) or NO_GROUP, set()).add((state, post))
        self.options: dict[str, list[Option]] = {}
        for g in groups:
            opts = self._options(g, local[g], fixed_by_group.get(g, set()), set(excluded))
            if only is not None and g in only:
                opts = [o for o in opts if o.held == tuple(sorted(only[g]))]
            self.options[g] = opts
        self.start = tuple(0 for _ in cross)
        self._classes = [self._by_delta(self.options[g]) for g in groups]

    # -- building

    def _check_additive(self, objective: Form) -> None:
        group_of = {s: (self.el.group(s) or NO_GROUP) for s in self.el.universe}
        if objective.const:
            raise NotDecomposable("a preference counts an empty slate")
        for form, _cap, _w in objective.caps:
            if len({group_of.get(s) for s, _p in form.support()}) > 1:
                raise NotDecomposable("a preference caps a sum across groups")

    def _options(self, group: str, checks: list[_Check], must: set[Key],
                 excluded: set[str]) -> list[Option]:
        el = self.el
        members = [s for s in el.members(group) if s not in excluded]
        seats = el.spec.seats_per_group if group in el.spec.group_names else 0
        touching: dict[Key, list[int]] = {}
        for i, c in enumerate(checks):
            for k in c.diff.support():
                touching.setdefault(k, []).append(i)
        failing = {i for i, c in enumerate(checks) if not c.passes(())}
        out: list[Option] = []
        posts = el.spec.post_names
        for chosen in itertools.combinations(members, seats):
            for assigned in itertools.product(posts, repeat=seats):
                held = tuple(sorted(zip(chosen, assigned, strict=True)))
                if not must <= set(held):
                    continue
                touched = {i for k in held for i in touching.get(k, ())}
                if not failing <= touched:
                    continue
                if all(checks[i].passes(held) for i in touched):
                    out.append(Option(
                        group, held,
                        tuple(form.value(held) for form, _op, _rhs in self.cross),
                        self._cost(held),
                    ))
        out.sort(key=lambda o: (o.cost, _canonical(el, o.held)))
        return out

    def _cost(self, held: tuple[Key, ...]) -> int:
        caps = {id(c): c for k in held for c in self._caps_by_key.get(k, ())}
        return self._linear_cost.value(held) + sum(
            w * min(f.value(held), cap) for f, cap, w in caps.values())

    @staticmethod
    def _by_delta(options: list[Option]) -> dict[tuple[int, ...], list[Option]]:
        classes: dict[tuple[int, ...], list[Option]] = {}
        for o in options:
            classes.setdefault(o.delta, []).append(o)
        return classes

    # -- the sums across groups

    def _step(self, state: tuple[int, ...], delta: tuple[int, ...]) -> tuple[int, ...] | None:
        out = []
        for (_form, op, rhs), a, d in zip(self.cross, state, delta, strict=True):
            v = a + d
            if op in ("==", "<=") and v > rhs:
                return None
            out.append(min(v, rhs) if op == ">=" else v)
        return tuple(out)

    def _accepts(self, state: tuple[int, ...]) -> bool:
        return all(v == rhs if op in ("==", ">=") else v <= rhs
                   for (_f, op, rhs), v in zip(self.cross, state, strict=True))

    @cache  # noqa: B019 - one space, few states; the cache lives and dies with it
    def _count(self, i: int, state: tuple[int, ...]) -> int:
        if i == len(self.groups):
            return 1 if self._accepts(state) else 0
        total = 0
        for delta, opts in self._classes[i].items():
            nxt = self._step(state, delta)
            if nxt is not None:
                total += len(opts) * self._count(i + 1, nxt)
        return total

    @cache  # noqa: B019
    def _best(self, i: int, state: tuple[int, ...]) -> int | None:
        """The lowest cost that completes groups i.. from state, or None if none can."""
        if i == len(self.groups):
            return 0 if self._accepts(state) else None
        best: int | None = None
        for delta, opts in self._classes[i].items():
            nxt = self._step(state, delta)
            rest = None if nxt is None else self._best(i + 1, nxt)
            if rest is not None:
                cand = opts[0].cost + rest
                best = cand if best is None or cand < best else best
        return best

    # -- answers

    def count(self) -> int:
        return self._count(0, self.start)

    def room(self) -> list[GroupRoom]:
        reach: list[set[tuple[int, ...]]] = [{self.start}]
        for i in range(len(self.groups) - 1):
            nxt: set[tuple[int, ...]] = set()
            for s in reach[i]:
                for delta in self._classes[i]:
                    t = self._step(s, delta)
                    if t is not None:
                        nxt.add(t)
            reach.append(nxt)
        out = []
        for i, g in enumerate(self.groups):
            if g == NO_GROUP:
                continue
            alive = [
                o for o in self.options[g]
                if any((t := self._step(s, o.delta)) is not None and self._count(i + 1, t)
                       for s in reach[i])
            ]
            states = sorted({s for o in alive for s in o.states}, key=state_order)
            every = [s for s in states if all(s in o.states for o in alive)]
            status = self.el.status
            out.append(GroupRoom(
                group=g,
                options=len(alive),
                pairs=tuple(sorted({o.states for o in alive})),
                states=tuple(states),
                protocol_seat=tuple(s for s in states if status[s].protocol_seat),
                president=tuple(sorted({s for o in alive for s, p in o.held if p == PRESIDENT},
                                       key=state_order)),
                rapporteur=tuple(sorted({s for o in alive for s, p in o.held if p == RAPPORTEUR},
                                        key=state_order)),
                in_every_pair=tuple(every),
            ))
        return out

    @cache  # noqa: B019
    def _candidates(self, i: int, state: tuple[int, ...]
                    ) -> list[tuple[int, Option, tuple[int, ...]]]:
        """Options of group i that can be completed from state, best completion first."""
        streams = []
        for delta, opts in self._classes[i].items():
            nxt = self._step(state, delta)
            rest = None if nxt is None else self._best(i + 1, nxt)
            if rest is not None and nxt is not None:
                streams.append([(o.cost + rest, o, nxt) for o in opts])
        merged = heapq.merge(*streams, key=lambda t: (t[0], _canonical(self.el, t[1].held)))
        return list(merged)

    def best(self) -> Iterator[Slate]:
        """Every valid slate, best first (ties in a fixed order)."""
        n = len(self.groups)
        if self._best(0, self.start) is None:
            return
        counter = itertools.count()
        # entry: (priority, seq, level, state, prefix cost, prefix options, index)
        heap: list[tuple[int, int, int, tuple[int, ...], int, tuple[Option, ...], int]] = []
        first = self._candidates(0, self.start)
        heap.append((first[0][0], next(counter), 0, self.start, 0, (), 0))
        while heap:
            _prio, _seq, i, state, cost, prefix, j = heapq.heappop(heap)
            cands = self._candidates(i, state)
            if j + 1 < len(cands):
                heapq.heappush(heap, (cost + cands[j + 1][0], next(counter), i, state, cost,
                                      prefix, j + 1))
            _key, option, nxt = cands[j]
            path = (*prefix, option)
            if i + 1 == n:
                yield self._slate(path)
                continue
            step_cost = cost + option.cost
            below = self._candidates(i + 1, nxt)
            heapq.heappush(heap, (step_cost + below[0][0], next(counter), i + 1, nxt,
                                  step_cost, path, 0))

    def _slate(self, path: Iterable[Option]) -> Slate:
        held = [k for o in path for k in o.held]
        return ordered_slate(self.el, held)


def _canonical(el: Election, held: Iterable[Key]) -> tuple[tuple[int, int], ...]:
    """A fixed order among slates of equal cost: by post, then alphabetical position."""
    return tuple(sorted((POST_ORDER.get(p, 1), el.rank[s]) for s, p in held))
