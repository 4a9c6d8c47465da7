"""An exact reduction before the model: States that no rule or preference can tell apart.

Two States of the universe are alike when every constraint of every rule, and every preference
but the tie-break, treats them the same (the same coefficients, and the same constraints of their
own, such as one post per State). Among alike States only the tie-break chooses, and it prefers
them in a fixed order; a slate never holds more of them than the bureau has posts. So the best
slate uses only the first `total posts` of each kind, in the tie-break's order: if it used a
later one, an earlier one of the same kind would be free, and swapping them would keep every rule
and every preference and improve the tie-break. The model is built on those States only; the
tie-break keeps the ranks of the whole universe, so the slate found is the one the whole model
would find.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from planner.rules.election import Election
from planner.rules.forms import Form, Key


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
        by_kind.setdefault(tuple(sorted(entries[state], key=repr)), []).append(state)
    return [tuple(v) for v in by_kind.values()]


def reduced(el: Election, slates: int = 1, keep: Iterable[str] = (),
            drop: Iterable[str] = ()) -> Election:
    """The election on the States the best `slates` slates can use: the first (most officers
    its group can hold + slates - 1) of each kind in the tie-break's order, leaving out drop and
    keeping keep. A slate that used a later one would have at least `slates` strictly better
    slates (swap it for any of the earlier ones it leaves free). The tie-break keeps the whole
    universe's ranks."""
    order = el.turn_rank
    out = set(drop)
    kept: set[str] = set(keep)
    for kind in kinds_of_states(el):
        # a slate holds no more of a kind than its group can hold officers (or than the
        # bureau has posts, where a kind spans groups)
        groups = {el.group_or_none(s) for s in kind}
        most = (el.profile.most_officers(next(iter(groups))) if len(groups) == 1
                else el.body.total_posts)
        each = min(most, el.body.total_posts) + slates - 1
        kept.update(sorted((s for s in kind if s not in out), key=order.__getitem__)[:each])
    if len(kept) == len(el.universe):
        return el
    small = dataclasses.replace(el, universe=tuple(s for s in el.universe if s in kept))
    small.__dict__["turn_rank"] = order  # the ranks of the whole universe
    return small
