"""An exact reduction before the model: States that no rule or preference can tell apart.

Two States of the universe are alike when every constraint of every rule, and every preference
but the tie-break, treats them the same (the same coefficients, and the same constraints of their
own, such as one post per State). Among alike States only the tie-break chooses, and it prefers
them in a fixed order; a slate never holds more of them than their group has officers. So the
best slate uses only the first so many of each kind, in the tie-break's order: if it used a
later one, an earlier one of the same kind would be free, and swapping them would keep every rule
and every preference and improve the tie-break. The model is built on those States only; the
tie-break keeps the ranks of the whole universe, so the slate found is as good as the whole
model's on every preference and on the tie-break (the same slate, unless two tie exactly).

Telling kinds apart reads every rule's constraints over the whole universe, which costs time
linear in States times posts times rules (0.8 s at 20,000 States). So a cheaper split comes
first: States the election knows the same facts of (planner.rules.election.Election.facts). A
rule sees a State only through those facts, so swapping two such States maps every rule and
preference onto itself, and they are alike; the split is finer than the kinds (a test holds it
to them), and the reduction by kind then runs on the few States it keeps.

A reduced election records how many States of the whole universe each of its States stands
for (Election.counts_for), so that counts by kind and the "plain member" of a group stay those
of the whole universe.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from planner.domain.slate import Slate, open_seat_group
from planner.rules.base import Election
from planner.rules.forms import PLAIN_MEMBER, Form, Key, passes, with_plain_member


def kinds_of_states(el: Election) -> list[tuple[str, ...]]:
    """The universe split into States that every rule and preference treats alike."""
    posts = el.body.post_names
    entries: dict[str, list[Any]] = {s: [] for s in el.universe}
    slot = 0

    def walk(form: Form) -> None:
        nonlocal slot
        mine = slot
        slot += 1
        terms: Mapping[Key, int] = form.terms
        for (state, post), coef in terms.items():
            if state in entries and coef:
                entries[state].append((mine, post, coef))
        for sub, _cap, _weight in form.caps:
            walk(sub)

    def shape(form: Form, state: str) -> Any:
        return (tuple(form.terms.get((state, p), 0) for p in posts), form.const,
                tuple((shape(sub, state), cap, w) for sub, cap, w in form.caps))

    for _rule, diff, op, support in el.rule_forms:
        named = {s for s, _p in support}
        if len(named) == 1:
            state = next(iter(named))
            if state in entries:
                entries[state].append(("own", op, shape(diff, state)))
        else:
            walk(diff)
    for _pref, form, _support in el.preference_forms:
        walk(form)
    by_kind: dict[tuple[Any, ...], list[str]] = {}
    for state in el.universe:
        # never across groups, even where no rule tells them apart: the enumeration counts
        # and lists group by group, each kept State standing for States of its own group
        key = (el.group_or_none(state), tuple(sorted(entries[state], key=repr)))
        by_kind.setdefault(key, []).append(state)
    return [tuple(v) for v in by_kind.values()]


def _keep_first(el: Election, parts: Iterable[Sequence[str]], each_of: Callable[[Sequence[str]],
                int], out: set[str], keep: set[str],
                standing_for: dict[str, list[str]] | None = None
                ) -> tuple[set[str], dict[str, int]]:
    """The first `each_of(part)` States of each part in the tie-break's order (and keep),
    and how many of the whole universe's States each kept one stands for (standing_for, where
    given: which, by name)."""
    order = el.turn_rank
    weight = el.counts_for
    kept: set[str] = set(keep)
    counts: dict[str, int] = {}
    rank = order.__getitem__
    for part in parts:
        free = [s for s in part if s not in out]
        # the first few of a part of thousands, not the part sorted whole
        kept.update(heapq.nsmallest(each_of(part), free, key=rank))
        mine = sorted((s for s in free if s in kept), key=rank)
        for s in mine:
            counts[s] = weight.get(s, 1)
        # the States left out are counted by the first one kept that is not kept by name (a
        # fixed State stands for itself: it is pinned, a kind of its own to a count by kind)
        by = next((s for s in mine if s not in keep), mine[0] if mine else None)
        if by is not None:
            left = [s for s in free if s not in kept]
            counts[by] += sum(weight.get(s, 1) for s in left)
            if standing_for is not None:
                left.sort(key=rank)  # named in the tie-break's order
                standing_for.setdefault(by, []).extend(
                    x for s in left for x in (s, *standing_for.pop(s, [])))
    return kept, counts


def reduced(el: Election, slates: int = 1, keep: Iterable[str] = (),
            drop: Iterable[str] = (),
            standing_for: dict[str, list[str]] | None = None,
            kind_list: list[tuple[str, ...]] | None = None) -> Election:
    """The election on the States the best `slates` slates can use: the first (most officers
    its group can hold + slates - 1) of each kind in the tie-break's order, leaving out drop and
    keeping keep. A slate that used a later one would have at least `slates` strictly better
    slates (swap it for any of the earlier ones it leaves free). The tie-break keeps the whole
    universe's ranks. standing_for, where given, is filled with the States each kept one
    stands for (left out, and alike to it), by name; kind_list, where given, with the whole
    universe's kinds (kinds_of_states of el, found as the reduction finds them: the kinds
    among the States it keeps of each part alike in facts, each part whole; a test holds the
    two to each other), which kinds_of_states of el would find reading every rule's form over
    every State.

    The States in drop are none of the first of their kind, but they stay in the universe,
    each standing for itself, for the caller to leave out of the slate (its engine is told
    them): a rule may read who is in the universe (a quota for each value the States have),
    and a State left out of a slate is still there to be read."""
    out = set(drop) & set(el.universe)
    # a State a rule requires on the bureau by name is never left out, however alike: its
    # own constraint would go with it (two alike States each kept a seat, in a group of one
    # officer, are no slate; without one of them, one)
    pinned = {s for rule in el.profile.rules for s in rule.pinned(el)}
    wanted = ((set(keep) | pinned) - out) & set(el.universe)

    group_of = {s: el.group_or_none(s) for s in el.universe}  # read once per State

    def each_of(part: Sequence[str]) -> int:
        # a slate holds no more of a kind than its group can hold officers (or than the
        # bureau has posts, where a kind spans groups)
        groups = set(map(group_of.__getitem__, part))
        most = (el.profile.most_officers(next(iter(groups))) if len(groups) == 1
                else el.body.total_posts)
        return min(most, el.body.total_posts) + slates - 1

    kept, counts = _keep_first(el, el.alike_in_facts, each_of, out, wanted, standing_for)
    kept |= out
    counts.update((s, el.counts_for.get(s, 1)) for s in out)
    first = el if len(kept) == len(el.universe) else _narrowed(el, kept, counts, ())
    kinds = kinds_of_states(first)
    if kind_list is not None:
        # States alike in facts are of one kind, so each part is in the kind of its States kept
        part_of = {s: part for part in el.alike_in_facts for s in part}
        kind_list.extend(tuple(dict.fromkeys(s for kept_one in kind for s in part_of[kept_one]))
                         for kind in kinds)
    kept, counts = _keep_first(first, kinds, each_of, out, wanted, standing_for)
    kept |= out
    counts.update((s, first.counts_for.get(s, 1)) for s in out)
    if len(kept) == len(el.universe):
        return el
    alike = []
    for kind in kinds:
        mine = tuple(s for s in kind if s in kept and s not in out)
        left = sum(first.counts_for.get(s, 1) for s in kind if s not in out) - len(mine)
        if left:
            alike.append((mine, left))
    return _narrowed(first, kept, counts, tuple(alike))


def _narrowed(el: Election, kept: set[str], counts: dict[str, int],
              alike: tuple[tuple[tuple[str, ...], int], ...]) -> Election:
    small = dataclasses.replace(el, universe=tuple(s for s in el.universe if s in kept),
                                counts_for=counts, alike=alike)
    small.__dict__["turn_rank"] = el.turn_rank  # the ranks of the whole universe
    small.__dict__["status"] = el.status  # the same assessment: shared, not read again
    return small


def held_by_none(el: Election) -> frozenset[Key]:
    """The (State, post) pairs no slate meeting the rules can hold, read from the rules' own
    constraints (ruled_out). A model needs no variable for them; on the default case's
    10-session plan they are half its variables."""
    return frozenset(ruled_out((diff, op) for _rule, diff, op, _support in el.rule_forms))


def ruled_out(constraints: Iterable[tuple[Form, str]]) -> set[Key]:
    """The pairs that constraints (lhs - rhs, compared with 0 by op) hold at 0: those of a sum
    of positive terms held at 0 or less (States that cannot sit), and those of a count that
    a part of it fills (the rotation's group within all the post's holders: the rest of the
    wider count is 0)."""
    off: set[Key] = set()
    least: list[tuple[frozenset[Key], int]] = []  # sum of these >= n
    most: list[tuple[frozenset[Key], int]] = []  # sum of these <= n
    for diff, op in constraints:
        coefs = [c for c in diff.terms.values() if c]
        if diff.caps or not coefs or min(coefs) < 0:
            continue
        keys = frozenset(k for k, c in diff.terms.items() if c)
        bound = -diff.const
        if op in ("==", "<=") and bound <= 0:
            off |= keys
        elif max(coefs) == 1:
            if op in ("==", ">="):
                least.append((keys, bound))
            if op in ("==", "<="):
                most.append((keys, bound))
    for wide, cap in most:
        for part, need in least:
            if need >= cap and len(part) < len(wide) and part < wide:
                off |= wide - part
    return off


# ---------------------------------------------------------------------------------------------
# What an officer is needed for, read on the reduced election


def carries(el: Election, slate: Slate, state: str, post: str,
            reduce: bool = True) -> tuple[str, ...]:
    """The rules and preferences this officer is needed for, by id: those that hold on the
    slate but would fail (or, for a preference, get worse) if the seat went to a plain member of
    the same group (the least helpful standing among its States that can sit, wherever a
    constraint tells States apart). Derived from the rules' own constraints, read on the
    reduced election that keeps the slate's States (planner.rules.reduce), whose States count
    for the whole universe's."""
    if open_seat_group(state) is not None:
        return ()  # a seat left open holds no officer for any rule to need
    if reduce and len(el.universe) >= LEAN_FROM:
        el = _lean(el, frozenset(s.state for s in slate))
    held = tuple((s.state, s.post) for s in slate)
    swapped = (*(k for k in held if k != (state, post)), (PLAIN_MEMBER, post))
    copies = len(held) + 1 - len(swapped)
    # each seat of a slate is asked about in turn: the forms' values on the slate are read
    # once for all its seats (a 100-post slate's JSON read them 5,000 times)
    last: tuple[tuple[Key, ...], dict[tuple[str, str, bool, int], int]] | None = (
        el.__dict__.get("_held_values"))
    if last is None or last[0] != held:
        last = el.__dict__["_held_values"] = (held, {})
    on_slate = last[1]
    group = el.group_or_none(state)
    members, rules, prefs = _plain_forms(el, group, post)
    if state not in members:
        # an officer who is no plain member (one that cannot sit, on a slate given): the
        # constraints that name its own seat tell it apart too
        extra = _plain_forms(el, group, post, state)
        rules = sorted([*rules, *extra[1]], key=lambda r: r[0])
        prefs = sorted([*prefs, *extra[2]], key=lambda p: -p[0])
    out: list[str] = []
    for i, rule_id, op, plain in rules:
        if rule_id in out:
            continue
        now = _on_slate(plain, (group, post, state in members, i), held, on_slate)
        if passes(now, op) and not passes(_swapped(plain, now, swapped, state, post, copies),
                                          op):
            out.append(rule_id)
    for i, pref_id, plain in prefs:
        now = _on_slate(plain, (group, post, state in members, i), held, on_slate)
        if _swapped(plain, now, swapped, state, post, copies) > now:
            out.append(pref_id)
    return tuple(out)


# a bound from below tells States apart by who helps least; a bound from above or an equality
# counts as most of the group's States do
WORST = {">=": "min", "<=": "mode", "==": "mode"}


def _plain_forms(el: Election, group: str, post: str, officer: str | None = None
                 ) -> tuple[frozenset[str], list[tuple[int, str, str, Form]],
                            list[tuple[int, str, Form]]]:
    """The group's plain members (States that can sit: a seat left open is no member to
    compare with), and each rule's and preference's form that can tell them apart in the post
    (or, with officer, that names the officer's seat and cannot), with a plain member of the
    group standing in: the same for every seat of the post in the group, so read once per
    election."""
    memo: dict[tuple[str, str, str | None], Any] = el.__dict__.setdefault("_plain_forms", {})
    found = memo.get((group, post, officer))
    if found is not None:
        return found  # type: ignore[no-any-return]
    members = frozenset(s for s in el.members(group)
                        if el.status[s].eligible and open_seat_group(s) is None)
    alike = [(kept, left) for kept, left in el.alike if kept[0] in members]
    keys = {(s, post) for s in members}

    def touches(support: frozenset[Key]) -> bool:
        if officer is None:
            return bool(keys & support)
        return (officer, post) in support and not keys & support

    rules = [(i, rule_id, op, with_plain_member(diff, members, post, WORST[op], alike))
             for i, (rule_id, diff, op, support) in enumerate(el.rule_forms)
             if touches(support)]
    prefs = [(-1 - j, pref_id, with_plain_member(form, members, post, "max", alike))
             for j, (pref_id, form, support) in enumerate(el.preference_forms)
             if touches(support)]
    found = memo[(group, post, officer)] = (members, rules, prefs)
    return found


def _on_slate(form: Form, key: tuple[str, str, bool, int], held: tuple[Key, ...],
              known: dict[tuple[str, str, bool, int], int]) -> int:
    """The form's value on the slate, read once per slate."""
    value = known.get(key)
    if value is None:
        value = known[key] = form.value(held)
    return value


def _swapped(form: Form, now: int, swapped: tuple[Key, ...], state: str, post: str,
             copies: int) -> int:
    """The form's value with the seat gone to a plain member: a linear form moves by the two
    terms alone (the seat's as often as the slate names it: one edited by hand may name a
    State twice in a post, and swapped holds neither)."""
    if form.caps:
        return form.value(swapped)
    get = form.terms.get
    return now - copies * get((state, post), 0) + get((PLAIN_MEMBER, post), 0)


# from this many States on, reading every rule's forms over the universe once costs more than
# reducing the election for a slate asked about (a reduction costs about 15 ms at 200 States,
# the forms of 20,000 States 0.8 s); below it the forms are read once per election
LEAN_FROM = 1_000
# ... but not for many slates (one seat's candidates ask about one slate a candidate): after this
# many reductions of one election, its forms are read once instead
LEAN_SLATES = 3


def _lean(el: Election, states: frozenset[str]) -> Election:
    """The reduced election keeping these States (the last one made is kept, as the seats of one
    slate are asked about in turn), or the election itself once several slates were asked."""
    last: tuple[frozenset[str] | None, Election, int] = el.__dict__.get("_lean", (None, el, 0))
    kept, lean, made = last
    if kept == states:
        return lean
    if made >= LEAN_SLATES:
        return el
    # two of each kind at least, so that a form that singles one out shows it
    lean = reduced(el, slates=2, keep=states)
    el.__dict__["_lean"] = (states, lean, made + 1)
    return lean


def needed_for(el: Election, slate: Slate, state: str, post: str) -> str:
    """carries, in words: the names of the rules and preferences the officer is needed for."""
    return "; ".join(x.name for i in carries(el, slate, state, post)
                     if (x := el.profile.rule(i)) is not None)
