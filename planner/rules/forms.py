"""Rules as linear forms over "state holds post": a third backend beside checking and the
CP-SAT model, for counting, listing and bounding without restating any rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

Key = tuple[str, str]  # (state, post)


@lru_cache(maxsize=1 << 16)  # bounded: a long-running board meets many cases' States
def _unit(state: str, post: str) -> Form:
    """'state holds post' as a form: one per pair, shared (forms are never changed), since
    reading an election's rules makes thousands of them."""
    return Form({(state, post): 1})


class NotDecomposable(Exception):
    """The rules tie groups together in a way the group-by-group method does not handle."""


@dataclass(frozen=True)
class Form:
    """A linear form over 'state holds post', plus capped sub-forms: const + sum + sum of caps."""

    terms: Mapping[Key, int] = field(default_factory=dict)
    const: int = 0
    caps: tuple[tuple[Form, int, int], ...] = ()  # (form, cap, weight)

    def value(self, held: tuple[Key, ...]) -> int:
        get = self.terms.get
        total = self.const
        for k in held:
            total += get(k, 0)
        for form, cap, weight in self.caps:
            total += weight * min(form.value(held), cap)
        return total

    def support(self) -> set[Key]:
        out = set(self.terms)
        for form, _cap, _w in self.caps:
            out |= form.support()
        return out

    def split(self) -> tuple[Form, dict[Key, list[tuple[Form, int, int]]]]:
        """The linear part, and the caps indexed by the keys that can move them off zero."""
        index: dict[Key, list[tuple[Form, int, int]]] = {}
        for cap in self.caps:
            if cap[0].value(()) != 0:
                raise NotDecomposable("a capped preference is not zero on an empty slate")
            for k in cap[0].support():
                index.setdefault(k, []).append(cap)
        return Form(self.terms, self.const), index


class FormBackend:
    def holds(self, state: str, post: str) -> Form:
        return _unit(state, post)

    def total(self, terms: Iterable[Form]) -> Form:
        merged: dict[Key, int] = {}
        get = merged.get
        const = 0
        caps: list[tuple[Form, int, int]] = []
        for f in terms:
            if len(f.terms) == 1 and not merged:
                merged.update(f.terms)
            else:
                for k, v in f.terms.items():
                    merged[k] = get(k, 0) + v
            const += f.const
            if f.caps:
                caps.extend(f.caps)
        return Form(merged, const, tuple(caps))

    def capped(self, expr: Form, cap: int) -> Form:
        return Form({}, 0, ((expr, cap, 1),))

    def scaled(self, expr: Form, factor: int) -> Form:
        return Form({k: v * factor for k, v in expr.terms.items()}, expr.const * factor,
                    tuple((f, c, w * factor) for f, c, w in expr.caps))


def form_range(form: Form, officers: int) -> tuple[int, int]:
    """Bounds of a form over slates of at most `officers` States, each holding one post."""
    best: dict[str, int] = {}
    worst: dict[str, int] = {}
    for (state, _post), coef in form.terms.items():
        best[state] = max(best.get(state, 0), coef)
        worst[state] = min(worst.get(state, 0), coef)
    hi = form.const + sum(sorted((v for v in best.values() if v > 0), reverse=True)[:officers])
    lo = form.const + sum(sorted(v for v in worst.values() if v < 0)[:officers])
    for sub, cap, weight in form.caps:
        sub_lo, sub_hi = form_range(sub, officers)
        a, b = weight * min(sub_lo, cap), weight * min(sub_hi, cap)
        lo, hi = lo + min(a, b), hi + max(a, b)
    return lo, hi


def as_form(value: Form | int) -> Form:
    return value if isinstance(value, Form) else Form({}, value)


def difference(lhs: Form, rhs: Form | int) -> Form:
    """lhs - rhs: a need's constraint as one form compared with zero."""
    b = FormBackend()
    return b.total([lhs, b.scaled(as_form(rhs), -1)])


def passes(value: int, op: str) -> bool:
    """Whether lhs - rhs = value meets op against zero."""
    return value == 0 if op == "==" else (value >= 0 if op == ">=" else value <= 0)


# a State of a group with no standing of its own: where a constraint tells States apart it takes
# the least helpful standing among the group's States that can sit; where it does not (group
# sizes, posts filled, rotation) it counts as they all do
PLAIN_MEMBER = "\x00a plain member of the group"
FLIP = {"min": "max", "max": "min", "mode": "mode"}


def with_plain_member(form: Form, members: frozenset[str], post: str, worst: str,
                      alike: Sequence[tuple[tuple[str, ...], int]] = ()) -> Form:
    """members: the group's States that can sit. worst: 'min' or 'max' (the least helpful
    coefficient for a need of that direction), or 'mode' (the coefficient most members share)
    for an equality. alike: on a reduced election, the group's kinds that stand for States
    left out, as (the kind's States kept, how many were left out); a left-out State has the
    coefficient its kind's kept States share, and 0 where they differ (the form singles some
    out, as a State's own constraint does)."""
    terms = form.terms
    # only the members the form names have a coefficient other than 0
    named = [v for (s, p), v in terms.items() if p == post and s in members]
    counts: dict[int, int] = {}
    for v in named:
        counts[v] = counts.get(v, 0) + 1
    zeros = len(members) - len(named)
    for kept, left in alike:
        shared = {terms.get((s, post), 0) for s in kept}
        value = shared.pop() if len(shared) == 1 else 0
        if value:
            counts[value] = counts.get(value, 0) + left
        else:
            zeros += left
    if zeros:
        counts[0] = counts.get(0, 0) + zeros
    if not counts:
        common = 0
    elif worst == "min":
        common = min(counts)
    elif worst == "max":
        common = max(counts)
    else:
        common = max(sorted(counts), key=counts.__getitem__)
    out = dict(terms)
    if common:
        out[(PLAIN_MEMBER, post)] = common
    caps = tuple((with_plain_member(f, members, post, worst if w > 0 else FLIP[worst], alike),
                  c, w) for f, c, w in form.caps)
    return Form(out, form.const, caps)
