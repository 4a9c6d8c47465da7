"""The space of valid slates, taken group by group: exact counts and slates in objective order.

Most rules concern one group's officers, and the preferences add up over groups; the few
constraints that tie groups together (posts filled, officers party to every instrument) are
sums. Then the space of valid slates is a product of each group's valid options, filtered by
those sums. This module builds that product from the profile's rules, through a third backend
that turns each rule into linear forms: no rule is restated here. Which group a constraint
concerns is read from the constraint itself (the States it names), and how many officers a
group can hold from the constraints that bound its officers; nothing assumes a shape.

A group holds at most the posts left once every other group holds the fewest its own rules ask
(two per group: at most three of the UNFCCC COP's eleven), and fewer where its own rules say.
Where the rules do not fit (a constraint tying groups together other than through a plain sum,
a group with too many options to list) the space raises
NotDecomposable with the reason; callers then fall back on the CP-SAT model and say so. It
never counts wrong in silence.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar

from planner.domain.slate import NO_GROUP, Slate, state_order
from planner.rules.base import objective, preference_weights
from planner.rules.election import Election, ordered_slate
from planner.rules.forms import (
    Form,
    FormBackend,
    Key,
    NotDecomposable,
    form_range,
    passes,
)
from planner.rules.kinds import qualifies
from planner.rules.reduce import ruled_out
from planner.solve.near import seat_places
from planner.solve.result import SolverOptions

# beyond this many (States, posts) options in one group, listing them costs too much memory:
# the group is then counted by class (States no rule tells apart), within the second limit:
# every shipped body needs fewer than 1,000 steps, a generated 20,000-State body of 40 posts
# between 3,000 and 10,000; the General Assembly's General Committee (eight kinds of post)
# would need over 200,000 (19 s) before the model, which proves its best slate in 0.1 s,
# answers: beyond this bound the model answers at once
MAX_OPTIONS = 50_000
MAX_CLASS_STEPS = 10_000
# listing slates from a group counted by kind: the most ways to fill posts from one kind
MAX_KIND_CHOICES = 200_000


class TooManyWays(NotDecomposable):
    """A group with too many ways to fill its seats to count them by kind of State (size:
    about how many ways, which past MAX_OPTIONS are too many to list either). Past MAX_OPTIONS
    on a reduced election, it holds of the whole one too, which has at least as many ways and
    kinds of State as many and as large (planner.consult.rounds.room asks no more of it)."""

    def __init__(self, group: str, size: int) -> None:
        super().__init__(f"the {group} have about {size:,} ways to fill their seats, too many "
                         "to list, and too many kinds of State to count by kind")
        self.group, self.size = group, size


@dataclass(frozen=True)
class _Check:
    """One need as lhs - rhs compared with 0."""

    diff: Form
    op: str

    def passes(self, held: tuple[Key, ...]) -> bool:
        return passes(self.diff.value(held), self.op)


@dataclass(frozen=True)
class Option:
    """What one group contributes to a slate: who holds which post. Counted by class, an
    option stands for `weight` options alike (States no rule tells apart, swapped), of which
    `held` is one; `fills` says how many of each class hold each post."""

    group: str
    held: tuple[Key, ...]  # sorted
    delta: tuple[int, ...]  # contribution to each cross-group sum
    cost: int  # contribution to the weighted preferences (lower is better)
    weight: int = 1
    fills: tuple[tuple[int, str, int], ...] = ()  # (class, post, officers), by class only
    rule_cost: int = 0  # the cost without the tie-break: the rule-based preferences alone

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(s for s, _p in self.held)


@dataclass(frozen=True)
class GroupRoom:
    group: str
    options: int  # (pair, posts) options that belong to some valid slate
    sets: int  # distinct sets of officers among them
    pairs: tuple[tuple[str, ...], ...]  # those sets, where they were listed (not by class)
    states: tuple[str, ...]
    standing: dict[str, tuple[str, ...]]  # condition -> States that can sit and meet it
    single_posts: dict[str, tuple[str, ...]]  # post held by one officer -> who can hold it
    in_every_pair: tuple[str, ...]


M = TypeVar("M", bound=Callable[..., Any])


def memo(method: M) -> M:
    """A method's results kept on its own instance, by argument: they live and die with the
    space (functools.cache on a method keeps every instance alive for as long as the class,
    which on the board is every click's space, for ever)."""
    name = f"_memo_{method.__name__}"

    @wraps(method)
    def remembered(self: Any, *args: Any) -> Any:
        store = self.__dict__.get(name)
        if store is None:
            store = self.__dict__[name] = {}
        try:
            return store[args]
        except KeyError:
            value = store[args] = method(self, *args)
            return value

    return remembered  # type: ignore[return-value]


class SlateSpace:
    def __init__(self, el: Election, fixed: Iterable[Key] = (), excluded: Iterable[str] = (),
                 only: Mapping[str, tuple[Key, ...]] | None = None,
                 by_class: bool = False, list_up_to: int | None = None) -> None:
        """by_class: count every group by kind of State (fast, exact; rooms without pairs).
        list_up_to: list a group's options one by one up to this many (MAX_OPTIONS unless
        given), else take them by kind of State; for slates best first, by kind is the
        quicker (their options are expanded only as far as the slates asked for reach)."""
        self.el = el
        self.by_class = by_class
        self.list_up_to = MAX_OPTIONS if list_up_to is None else list_up_to
        self._places: dict[Key, tuple[int, int]] = {}
        b = FormBackend()
        self.groups = el.groups_in_play
        group_of = {s: el.group_or_none(s) for s in el.universe}
        local: dict[str, list[_Check]] = {g: [] for g in self.groups}
        cross: list[tuple[Form, str, int]] = []
        self.impossible = False  # a constraint no slate can meet, whatever it holds
        # the rules' constraints as lhs - rhs forms, built once per election
        for rule_id, diff, op, support in el.rule_forms:
            check = _Check(diff, op)
            touched = {group_of[s] for s, _p in support if s in group_of}
            if not touched:
                self.impossible |= not check.passes(())
                continue
            if len(touched) == 1:
                local[touched.pop()].append(check)
                continue
            if diff.caps or any(v < 0 for v in diff.terms.values()):
                raise NotDecomposable(f"{rule_id}: ties the groups together other than by a "
                                      "plain sum")
            # lhs - rhs = terms + const: the sum of the terms against -const
            cross.append((Form(diff.terms), op, -diff.const))
        self.cross = tuple(cross)
        weights = preference_weights(el)
        # the rule-based preferences alone (their forms are built once per election)
        self._rule_form = b.total(b.scaled(form, weights[pref_id])
                                  for pref_id, form, _support in el.preference_forms)
        self._caps_by_key: dict[Key, list[tuple[Form, int, int]]] = {}
        if by_class:
            # counted, not listed: no option needs its tie-break cost
            self._linear_cost = Form()
        else:
            objective_form = objective(el, b, weights)
            self._check_additive(objective_form)
            self._linear_cost, self._caps_by_key = objective_form.split()
        self._least = {g: self._fewest(g, local[g]) for g in self.groups}
        fixed_by_group: dict[str, set[Key]] = {}
        for state, post in fixed:
            fixed_by_group.setdefault(el.group_or_none(state), set()).add((state, post))
        self.options: dict[str, list[Option]] = {}
        self.classes: dict[str, list[tuple[str, ...]]] = {}  # groups counted by class
        # every group's way to its options is settled before any is taken, so that a group
        # with too many is found before the others' options are built for nothing
        making: dict[str, Callable[[], list[Option]]] = {}
        for g in self.groups:
            must = fixed_by_group.get(g, set())
            if only is not None and g in only:
                # its States kept as they are (each a kind of its own, where counted by kind)
                must = must | set(only[g])
            making[g] = self._options(g, local[g], must, set(excluded))
        for g in self.groups:
            opts = making[g]()
            if only is not None and g in only:
                opts = [o for o in opts if o.held == tuple(sorted(only[g]))]
            self.options[g] = [] if self.impossible else opts
        self.start = tuple(0 for _ in cross)
        self._classes = [self._by_delta(self.options[g]) for g in self.groups]

    # -- building

    def _check_additive(self, objective: Form) -> None:
        group_of = {s: self.el.group_or_none(s) for s in self.el.universe}
        if objective.const:
            raise NotDecomposable("a preference counts an empty slate")
        for form, _cap, _w in objective.caps:
            if len({group_of.get(s) for s, _p in form.support()}) > 1:
                raise NotDecomposable("a preference caps a sum across groups")

    def _most(self, group: str, checks: list[_Check], members: list[str]) -> int:
        """The most officers the group's own constraints let it hold, and never more than
        the posts left once every other group holds the fewest its own constraints ask
        (every profile fills each post so many times, and a slate holds no more)."""
        keys = [(s, p) for s in members for p in self.el.body.post_names]
        if not keys:
            return 0
        most = self.el.body.total_posts - sum(
            self._least.get(g, 0) for g in self.groups if g != group)
        for c in checks:
            if c.op == ">=" or any(c.diff.terms.get(k, 0) < 1 for k in keys):
                continue
            # officers + const + caps <= 0, and the caps cannot go below their lowest
            floor = 0
            for form, cap, weight in c.diff.caps:
                lo, hi = form_range(form, self.el.body.total_posts)
                floor += min(weight * min(lo, cap), weight * min(hi, cap))
            most = min(most, -c.diff.const - floor)
        return max(0, min(most, len(members)))

    def _one_post_each(self, group: str, checks: list[_Check], members: list[str],
                       barred: set[Key]) -> None:
        """The enumeration gives each officer one post: it is exact only where the rules
        say no State holds two (a State's own bound of one on the posts it may hold)."""
        bounded = set()
        for c in checks:
            named = {s for (s, _p), v in c.diff.terms.items() if v}
            if (len(named) == 1 and c.op == "<=" and not c.diff.caps and c.diff.const == -1
                    and all(v == 1 for v in c.diff.terms.values())):
                state = next(iter(named))
                if all((state, p) in c.diff.terms or (state, p) in barred
                       for p in self.el.body.post_names):
                    bounded.add(state)
        loose = [s for s in members if s not in bounded]
        if loose:
            raise NotDecomposable(f"no rule says a State of the {group} holds one post at "
                                  f"most ({loose[0]} could hold several)")

    def _fewest(self, group: str, checks: list[_Check]) -> int:
        """The fewest officers the group's own constraints ask of it: a bound from below on
        a plain count of its officers (every (State, post) pair of its members counted
        once)."""
        keys = {(s, p) for s in self.el.members(group) for p in self.el.body.post_names}
        least = 0
        for c in checks:
            terms = {k for k, v in c.diff.terms.items() if v}
            if (c.op in (">=", "==") and not c.diff.caps and terms == keys
                    and all(c.diff.terms[k] == 1 for k in keys)):
                least = max(least, -c.diff.const)
        return least

    @staticmethod
    def _barred(checks: list[_Check]) -> set[Key]:
        """(State, post) pairs the group's constraints rule out."""
        return ruled_out((c.diff, c.op) for c in checks)

    def _options(self, group: str, checks: list[_Check], must: set[Key],
                 excluded: set[str]) -> Callable[[], list[Option]]:
        """How the group's options are made: listed one by one, or by class of State (refused
        here, before anything is built, where either would take too long)."""
        el = self.el
        posts = el.body.post_names
        barred = self._barred(checks)
        members = [s for s in el.members(group) if s not in excluded
                   and any((s, p) not in barred for p in posts)]
        self._one_post_each(group, checks, members, barred)
        most = self._most(group, checks, members)
        size = sum(math.comb(len(members), k) * len(posts) ** k for k in range(most + 1))
        if size > self.list_up_to or self.by_class:
            try:
                return self._class_options(group, checks, must, members, most, size)
            except NotDecomposable:
                if size > MAX_OPTIONS or self.by_class:
                    raise
        return lambda: self._listed(group, checks, must, members, most, barred)

    def _listed(self, group: str, checks: list[_Check], must: set[Key], members: list[str],
                most: int, barred: set[Key]) -> list[Option]:
        posts = self.el.body.post_names
        counts = {p.name: p.count for p in self.el.body.posts}
        touching: dict[Key, list[int]] = {}
        for i, c in enumerate(checks):
            for k in c.diff.support():
                touching.setdefault(k, []).append(i)
        failing = {i for i, c in enumerate(checks) if not c.passes(())}
        out: list[Option] = []
        for seats in range(most + 1):
            for chosen in itertools.combinations(members, seats):
                for assigned in itertools.product(posts, repeat=seats):
                    if any(assigned.count(p) > counts[p] for p in set(assigned)):
                        continue
                    held = tuple(sorted(zip(chosen, assigned, strict=True)))
                    if not must <= set(held) or any(k in barred for k in held):
                        continue
                    touched = {i for k in held for i in touching.get(k, ())}
                    if not failing <= touched:
                        continue
                    if all(checks[i].passes(held) for i in touched):
                        out.append(Option(
                            group, held,
                            tuple(form.value(held) for form, _op, _rhs in self.cross),
                            self._cost(held), rule_cost=self._rule_form.value(held),
                        ))
        out.sort(key=lambda o: (o.cost, self._canonical(o.held)))
        return out

    def _class_options(self, group: str, checks: list[_Check], must: set[Key],
                       members: list[str], most: int, size: int
                       ) -> Callable[[], list[Option]]:
        """The group's options counted by class: States that every constraint treats alike
        (the same coefficient for each post in every form and capped sub-form) are swapped
        freely, so one option per way of filling the posts from the classes, weighted by how
        many concrete options it stands for. Exact for counting and for who can sit; slates
        are not listed this way (their cost tells every State apart)."""
        posts = self.el.body.post_names
        slots: list[Mapping[Key, int]] = []
        own: dict[str, list[Any]] = {}  # a State's own constraints (one post per State, say)

        def walk(form: Form) -> None:
            slots.append(form.terms)
            for sub, _cap, _w in form.caps:
                walk(sub)

        def shape(form: Form, st: str) -> Any:
            return (tuple(form.terms.get((st, p), 0) for p in posts), form.const,
                    tuple((shape(sub, st), cap, w) for sub, cap, w in form.caps))

        for c in checks:
            named = {st for st, _p in c.diff.support()}
            if len(named) == 1:
                st = named.pop()
                own.setdefault(st, []).append((c.op, shape(c.diff, st)))
            else:
                walk(c.diff)
        for form, _op, _rhs in self.cross:
            walk(form)
        walk(self._rule_form)  # States the preferences tell apart are not alike either
        pinned = {st for st, _p in must}
        by_sig: dict[tuple[Any, ...], list[str]] = {}
        for st in members:
            sig = (st if st in pinned else "", tuple(sorted(own.get(st, []), key=repr)),
                   tuple(slot.get((st, p), 0) for slot in slots for p in posts))
            by_sig.setdefault(sig, []).append(st)
        classes = sorted((tuple(v) for v in by_sig.values()), key=lambda c: state_order(c[0]))
        counts = {p.name: p.count for p in self.el.body.posts}
        # on a reduced election, a State counts for those of its kind left out
        stands_for = self.el.counts_for.get
        out: list[Option] = []
        touching: dict[Key, list[int]] = {}
        for i, c in enumerate(checks):
            for k in c.diff.support():
                touching.setdefault(k, []).append(i)
        failing = {i for i, c in enumerate(checks) if not c.passes(())}

        if _fill_steps(tuple(len(c) for c in classes), tuple(counts[p] for p in posts),
                       most, MAX_CLASS_STEPS) > MAX_CLASS_STEPS:
            raise TooManyWays(group, size)

        def fill(i: int, left: int, used: dict[str, int],
                 chosen: list[tuple[int, str, int]]) -> None:
            if i == len(classes):
                held = []
                weight = 1
                for c, post_counts in _by_class(chosen).items():
                    n, taken = sum(stands_for(st, 1) for st in classes[c]), 0
                    for post, k in post_counts:
                        held += [(st, post) for st in classes[c][taken:taken + k]]
                        weight *= math.comb(n - taken, k)
                        taken += k
                key = tuple(sorted(held))
                # only the constraints the option names, and those an empty group breaks
                named = {i for k in key for i in touching.get(k, ())}
                if must <= set(key) and all(checks[i].passes(key) for i in named | failing):
                    out.append(Option(group, key,
                                      tuple(form.value(key) for form, _o, _r in self.cross),
                                      self._cost(key), weight, tuple(chosen),
                                      self._rule_form.value(key)))
                return
            for multiset in _multisets(posts, min(left, len(classes[i])), counts, used):
                k = sum(m for _p, m in multiset)
                nxt = dict(used)
                for post, m in multiset:
                    nxt[post] = nxt.get(post, 0) + m
                fill(i + 1, left - k, nxt, [*chosen, *((i, post, m) for post, m in multiset)])

        def made() -> list[Option]:
            fill(0, most, {}, [])
            self.classes[group] = classes
            out.sort(key=lambda o: (o.cost, self._canonical(o.held)))
            return out

        return made

    def _canonical(self, held: Iterable[Key]) -> tuple[tuple[int, int], ...]:
        """A fixed order among slates of equal cost (planner.solve.near.seat_places)."""
        return seat_places(self.el, held, self._places)

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

    @memo
    def _count(self, i: int, state: tuple[int, ...]) -> int:
        if i == len(self.groups):
            return 1 if self._accepts(state) else 0
        total = 0
        for delta, opts in self._classes[i].items():
            nxt = self._step(state, delta)
            if nxt is not None:
                total += sum(o.weight for o in opts) * self._count(i + 1, nxt)
        return total

    @memo
    def _best(self, i: int, state: tuple[int, ...]) -> int | None:
        """The lowest cost that completes groups i.. from state, or None if none can."""
        if i == len(self.groups):
            return 0 if self._accepts(state) else None
        best: int | None = None
        for delta in self._classes[i]:
            nxt = self._step(state, delta)
            rest = None if nxt is None else self._best(i + 1, nxt)
            if rest is not None:
                cand = self._listing(i, delta)[0].cost + rest
                best = cand if best is None or cand < best else best
        return best

    # -- answers

    def count(self) -> int:
        return self._count(0, self.start)

    @memo
    def _rule_best(self, i: int, state: tuple[int, ...]) -> int | None:
        if i == len(self.groups):
            return 0 if self._accepts(state) else None
        best: int | None = None
        for delta, opts in self._classes[i].items():
            nxt = self._step(state, delta)
            rest = None if nxt is None else self._rule_best(i + 1, nxt)
            if rest is not None:
                cand = min(o.rule_cost for o in opts) + rest
                best = cand if best is None or cand < best else best
        return best

    @memo
    def _count_at(self, i: int, state: tuple[int, ...], budget: int) -> int:
        """Completions of groups i.. from state whose rule-based cost is exactly budget."""
        if i == len(self.groups):
            return 1 if budget == 0 and self._accepts(state) else 0
        total = 0
        for delta, opts in self._classes[i].items():
            nxt = self._step(state, delta)
            if nxt is None:
                continue
            floor = self._rule_best(i + 1, nxt)
            if floor is None:
                continue
            for o in opts:
                if o.rule_cost + floor <= budget:
                    total += o.weight * self._count_at(i + 1, nxt, budget - o.rule_cost)
        return total

    def equally_good(self) -> int:
        """How many valid slates are as good as the best on every rule-based preference (they
        differ only by the tie-break)."""
        best = self._rule_best(0, self.start)
        return 0 if best is None else self._count_at(0, self.start, best)

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
            single = [p.name for p in self.el.body.posts if p.count == 1]
            if g in self.classes:
                states, sets, holders, every = self._class_room(g, alive, single)
                pairs: tuple[tuple[str, ...], ...] = ()
            else:
                states = sorted({s for o in alive for s in o.states}, key=state_order)
                every = [s for s in states if all(s in o.states for o in alive)]
                pairs = tuple(sorted({o.states for o in alive}))
                sets = len(pairs)
                holders = {post: sorted({s for o in alive for s, p in o.held if p == post},
                                        key=state_order) for post in single}
            out.append(GroupRoom(
                group=g,
                options=sum(o.weight for o in alive),
                sets=sets,
                pairs=pairs,
                states=tuple(states),
                standing={c: tuple(s for s in states if qualifies(self.el, s, c))
                          for c in self.el.profile.conditions()},
                single_posts={post: tuple(v) for post, v in holders.items()},
                in_every_pair=tuple(every),
            ))
        return out

    def _class_room(self, group: str, alive: list[Option], single: list[str]
                    ) -> tuple[list[str], int, dict[str, list[str]], list[str]]:
        """Who can sit, how many sets of officers, who can hold each single post, and who is
        on every valid slate, from options counted by class."""
        classes = self.classes[group]
        # a class's size in the whole universe: on a reduced election, each State counts for
        # those of its kind left out
        size = [sum(self.el.counts_for.get(st, 1) for st in c) for c in classes]
        used: dict[tuple[int, ...], None] = {}
        holders: dict[str, set[str]] = {post: set() for post in single}
        sitting: set[str] = set()
        every: set[str] | None = None
        for o in alive:
            taken = [0] * len(classes)
            for c, post, k in o.fills:
                taken[c] += k
                if post in holders:
                    holders[post] |= set(classes[c])
            used[tuple(taken)] = None
            sitting |= {s for c, n in enumerate(taken) if n for s in classes[c]}
            full = {s for c, n in enumerate(taken) if n == size[c] for s in classes[c]}
            every = full if every is None else every & full
        sets = sum(math.prod(math.comb(size[c], n) for c, n in enumerate(taken))
                   for taken in used)
        return (sorted(sitting, key=state_order), sets,
                {p: sorted(v, key=state_order) for p, v in holders.items()},
                sorted(every or (), key=state_order))

    @memo
    def _listing(self, i: int, delta: tuple[int, ...]) -> _Lazy[Option]:
        """The concrete options of group i with these sums, best first (ties in a fixed
        order); a group counted by kind has each kind's States expanded as they are reached."""
        opts = self._classes[i][delta]
        group = self.groups[i]
        if group not in self.classes:
            return _Lazy(iter(opts))
        return _Lazy(heapq.merge(*(self._expand(group, o) for o in opts),
                                 key=lambda o: (o.cost, self._canonical(o.held))))

    def _expand(self, group: str, option: Option) -> Iterator[Option]:
        """The concrete options an option counted by kind stands for, best first. States of
        a kind differ only in the tie-break's linear terms, and the capped preferences count
        the kind alike, so an option's cost is its representative's less its linear terms,
        plus the linear terms of the States chosen."""
        linear = self._linear_cost.terms
        base = option.cost - sum(linear.get(k, 0) for k in option.held)
        parts = [self._kind_choices(group, c, tuple(posts))
                 for c, posts in _by_class(list(option.fills)).items()]
        for cost, held in _sorted_sums(parts, self._canonical):
            yield Option(group, tuple(sorted(held)), option.delta, base + cost,
                         rule_cost=option.rule_cost)

    @memo
    def _kind_choices(self, group: str, c: int, posts: tuple[tuple[str, int], ...]
                      ) -> list[tuple[int, tuple[Key, ...]]]:
        """Every way to give so many of a kind's States each post, cheapest first."""
        members = self.classes[group][c]
        ways, left = 1, len(members)
        for _post, k in posts:
            ways *= math.comb(left, k)
            left -= k
        if ways > MAX_KIND_CHOICES:
            raise NotDecomposable(f"the {group} have {ways:,} ways to fill their seats from "
                                  "one kind of State, too many to list")
        linear = self._linear_cost.terms
        out: list[tuple[int, tuple[Key, ...]]] = []

        def assign(j: int, free: tuple[str, ...], held: tuple[Key, ...]) -> None:
            if j == len(posts):
                out.append((sum(linear.get(k, 0) for k in held), held))
                return
            post, k = posts[j]
            for chosen in itertools.combinations(free, k):
                assign(j + 1, tuple(s for s in free if s not in chosen),
                       held + tuple((s, post) for s in chosen))

        assign(0, members, ())
        out.sort(key=lambda t: (t[0], self._canonical(t[1])))
        return out

    @memo
    def _candidates(self, i: int, state: tuple[int, ...]
                    ) -> _Lazy[tuple[int, Option, tuple[int, ...]]]:
        """Options of group i that can be completed from state, best completion first."""
        streams = []
        for delta in self._classes[i]:
            nxt = self._step(state, delta)
            rest = None if nxt is None else self._best(i + 1, nxt)
            if rest is not None and nxt is not None:
                streams.append(self._completed(i, delta, rest, nxt))
        return _Lazy(heapq.merge(*streams, key=lambda t: (t[0], self._canonical(t[1].held))))

    def _completed(self, i: int, delta: tuple[int, ...], rest: int, nxt: tuple[int, ...]
                   ) -> Iterator[tuple[int, Option, tuple[int, ...]]]:
        listing = self._listing(i, delta)
        j = 0
        while listing.has(j):
            yield listing[j].cost + rest, listing[j], nxt
            j += 1

    def best(self) -> Iterator[Slate]:
        """Every valid slate, best first (ties in a fixed order); groups counted by kind are
        expanded lazily, as far as the slates asked for reach."""
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
            if cands.has(j + 1):
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


T = TypeVar("T")


class _Lazy(Generic[T]):
    """A sorted stream read as far as asked, and remembered."""

    def __init__(self, items: Iterator[T]) -> None:
        self._items = items
        self._seen: list[T] = []

    def has(self, j: int) -> bool:
        while len(self._seen) <= j:
            for item in self._items:
                self._seen.append(item)
                break
            else:
                return False
        return True

    def __getitem__(self, j: int) -> T:
        if not self.has(j):
            raise IndexError(j)
        return self._seen[j]


def _sorted_sums(parts: list[list[tuple[int, tuple[Key, ...]]]],
                 order: Callable[[tuple[Key, ...]], Any]) -> Iterator[tuple[int, tuple[Key, ...]]]:
    """One choice from each sorted list, by total cost, lazily; equal totals in `order`. Every
    choice of a total is found before any of a higher one (successors never cost less), so
    each total is gathered whole and sorted."""
    if any(not p for p in parts):
        return
    def total(ix: tuple[int, ...]) -> int:
        return sum(parts[k][i][0] for k, i in enumerate(ix))

    start = tuple(0 for _ in parts)
    heap = [(total(start), start)]
    seen = {start}
    while heap:
        level = heap[0][0]
        batch = []
        while heap and heap[0][0] == level:
            _c, ix = heapq.heappop(heap)
            batch.append(tuple(key for k, i in enumerate(ix) for key in parts[k][i][1]))
            for k in range(len(parts)):
                if ix[k] + 1 < len(parts[k]):
                    nxt = (*ix[:k], ix[k] + 1, *ix[k + 1:])
                    if nxt not in seen:
                        seen.add(nxt)
                        heapq.heappush(heap, (total(nxt), nxt))
        batch.sort(key=order)
        for held in batch:
            yield level, held


@functools.lru_cache(maxsize=64)
def _fill_steps(sizes: tuple[int, ...], counts: tuple[int, ...], most: int, limit: int
                ) -> int:
    """How many steps a fill by class takes (each point counted once, so that a fill too long
    to finish is refused before it starts, not after MAX_CLASS_STEPS steps of it), counting
    no further than past the limit. It depends only on the classes' sizes, the posts' counts
    and the most officers: remembered, since a plan asks it of its sessions' alike groups."""
    posts = tuple(str(i) for i in range(len(counts)))
    most_of = dict(zip(posts, counts, strict=True))
    steps: dict[tuple[int, int, tuple[int, ...]], int] = {}

    def steps_from(i: int, left: int, used: tuple[int, ...]) -> int:
        point = (i, left, used)
        if point not in steps:
            total = 1
            if i < len(sizes):
                taken = dict(zip(posts, used, strict=True))
                for multiset in _multisets(posts, min(left, sizes[i]), most_of, taken):
                    nxt = dict(taken)
                    for post, m in multiset:
                        nxt[post] += m
                    total += steps_from(i + 1, left - sum(m for _p, m in multiset),
                                        tuple(nxt.values()))
                    if total > limit:
                        break
            steps[point] = total
        return steps[point]

    return steps_from(0, most, tuple(0 for _ in counts))


def _by_class(chosen: list[tuple[int, str, int]]) -> dict[int, list[tuple[str, int]]]:
    out: dict[int, list[tuple[str, int]]] = {}
    for c, post, k in chosen:
        out.setdefault(c, []).append((post, k))
    return out


def _multisets(posts: tuple[str, ...], most: int, counts: Mapping[str, int],
               used: Mapping[str, int]) -> Iterator[tuple[tuple[str, int], ...]]:
    """Every way to give up to `most` officers posts (how many of each post), within the
    posts' counts less those already used."""

    def go(i: int, left: int) -> Iterator[tuple[tuple[str, int], ...]]:
        if i == len(posts):
            yield ()
            return
        post = posts[i]
        for m in range(min(left, counts[post] - used.get(post, 0)) + 1):
            for rest in go(i + 1, left - m):
                yield (((post, m),) if m else ()) + rest

    yield from go(0, most)


def room_by_model(el: Election, options: SolverOptions | None = None) -> list[GroupRoom]:
    """Each group's room, asked of the CP-SAT model one question at a time, where the rules do
    not decompose: who can sit, who can hold each single post, who is on every valid slate.
    Every slate found answers several questions at once, and one State's answer is its kind's:
    States every rule treats alike (planner.rules.reduce.kinds_of_states) swap on any valid
    slate for another valid slate, so that what one of them can do, each can, and one kept off
    some valid slate is as any."""
    from ortools.sat.python import cp_model

    from planner.rules.reduce import reduced
    from planner.solve.model import ModelBackend, post_hard_rules, variables

    # asked of the reduced election that keeps one more of each kind than a group can hold:
    # its slates are valid slates, and any valid slate, with or without a given kept State,
    # has one among them with the same States of each kind kept (planner.rules.reduce); the
    # kinds come with it, found on the States it kept (kinds_of_states of the whole election
    # reads every rule's form over every State: most of a 100-post conference's room)
    kinds: list[tuple[str, ...]] = []
    small = reduced(el, slates=2, kind_list=kinds)
    kind_of = {st: part for part in kinds for st in part}

    model = cp_model.CpModel()
    x = variables(small, model)
    post_hard_rules(small, ModelBackend(model, x))
    solver = (options or SolverOptions()).parameters()
    posts = el.body.post_names
    single = [p.name for p in el.body.posts if p.count == 1]
    sits = {s: model.new_bool_var("") for s in small.universe}
    for s, v in sits.items():
        model.add_max_equality(v, [x[(s, p)] for p in posts])
    held: dict[str, set[str]] = {p: set() for p in posts}
    sat: set[str] = set()
    absent: set[str] = set()

    def found(assumed: list[Any]) -> bool:
        """One slate under the assumptions; what one State of a kind is found to do on it,
        every State of its kind can."""
        model.clear_assumptions()
        model.add_assumptions(assumed)
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        on: dict[tuple[str, ...], int] = {}
        for (s, p), v in x.items():
            if solver.boolean_value(v):
                on[kind_of[s]] = on.get(kind_of[s], 0) + 1
                held[p].update(kind_of[s])
        for kind, n in on.items():
            sat.update(kind)
            if n < len(kind):  # some of the kind kept off it: any of them can be
                absent.update(kind)
        absent.update(s for s in el.universe if kind_of[s] not in on)
        return True

    def settle(questions: Mapping[Any, tuple[Any, set[str], str]]) -> None:
        """Answers every question (a literal, yes once a slate is found on which the State
        is in the set) with as few solves as can be: each asks for a slate that answers at
        least one open question yes, so that one proof that none can answers all the rest no."""
        left = dict(questions)
        while left := {q: (lit, yes, s) for q, (lit, yes, s) in left.items() if s not in yes}:
            ask = model.new_bool_var("")
            model.add_bool_or([lit for lit, _yes, _s in left.values()]).only_enforce_if(ask)
            if not found([ask]):
                return

    if not found([]):
        return []
    # asked of one State of each kind: who can sit, and who can hold each single post
    reps = {kind_of[s]: s for s in small.universe}
    settle({(s, p): (x[(s, p)] if p else sits[s], held[p] if p else sat, s)
            for s in reps.values() for p in ("", *single)})
    # and who can be kept off: only those who can sit need asking
    settle({s: (sits[s].Not(), absent, s) for s in reps.values() if s in sat})
    out = []
    for g in el.body.group_names:
        states = [s for s in el.members(g) if s in sat]
        out.append(GroupRoom(
            group=g, options=0, sets=0, pairs=(), states=tuple(states),
            standing={c: tuple(s for s in states if qualifies(el, s, c))
                      for c in el.profile.conditions()},
            single_posts={p: tuple(s for s in states if s in held[p]) for p in single},
            in_every_pair=tuple(s for s in states if s not in absent),
        ))
    return out
