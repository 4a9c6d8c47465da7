"""The best slate: taken from the exact group-by-group enumeration where the rules decompose
by group (no model to build, and OR-Tools not even imported), else from the CP-SAT model.

The enumeration lists valid slates in the order of the preferences and the tie-break, every
group's options complete (planner.solve.space): its first slate is optimal by construction,
which is its proof. Where it cannot run (a rule tying groups together other than by a sum, a
kind too large to expand) the CP-SAT model answers, with its own proof or its own status."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from planner.domain.slate import Slate
from planner.rules.base import score
from planner.rules.election import Election, ordered_slate
from planner.rules.forms import Key, NotDecomposable
from planner.solve.result import Result, SolverOptions
from planner.solve.space import SlateSpace

ENUMERATION = "exact enumeration by group"


def first_slate(el: Election, fixed: Iterable[Key] = (), excluded: Iterable[str] = ()
                ) -> Slate | None:
    """The best valid slate by the enumeration, None when there is none; NotDecomposable
    where the enumeration cannot run."""
    return next(SlateSpace(el, fixed, excluded, list_up_to=0).best(), None)


def best_slate(el: Election, options: SolverOptions | None = None,
               excluded: Iterable[str] = (), forbidden: Iterable[Key] = ()
               ) -> tuple[str, Slate, str]:
    """The status and best slate with some States left out and some (State, post) pairs ruled
    out, and the engine that found it: the enumeration where the pairs come down to States
    left out and posts held by the one State left for them and the rules decompose, else the
    model (options.engine "cp-sat": the model at once)."""
    from planner.rules.reduce import reduced

    options = options or SolverOptions()
    excluded = set(excluded)
    forbidden = set(forbidden)
    fixed, rest = _as_choices(el, excluded, forbidden)
    if options.engine == "auto" and fixed is not None:
        try:
            small = reduced(el, 1, keep=[s for s, _p in fixed], drop=sorted(excluded | rest))
            slate = first_slate(small, fixed, sorted(excluded | rest))
        except NotDecomposable:
            pass
        else:
            if slate is None:
                return "infeasible", (), ENUMERATION
            return "solved", ordered_slate(el, [(s.state, s.post) for s in slate]), ENUMERATION
    from planner.solve.model import SlateModel

    if not forbidden:
        # on the States the best slate can use, as solve does (an exact reduction: no pair
        # ruled out tells alike States apart)
        status, slate = SlateModel(reduced(el, 1, drop=sorted(excluded)), options,
                                   excluded=sorted(excluded)).next()
        return status, ordered_slate(el, [(s.state, s.post) for s in slate]), "cp-sat"
    status, slate = SlateModel(el, options, excluded=sorted(excluded),
                               forbidden=sorted(forbidden)).next()
    return status, slate, "cp-sat"


def _as_choices(el: Election, excluded: set[str], forbidden: set[Key]
                ) -> tuple[list[Key] | None, set[str]]:
    """Ruled-out pairs as fixed officers and States left out: a State ruled out of every post
    is left out; a post held by one officer that only one State may hold is fixed to it (the
    rules fill every post). None where the pairs say more than that."""
    posts = el.body.post_names
    filled = any(r.fills_posts for r in el.profile.rules)
    out = {s for s in el.universe if all((s, p) in forbidden for p in posts)}
    left = {(s, p) for s, p in forbidden if s not in out}
    fixed: list[Key] = []
    for post in posts:
        barred = {s for s, p in left if p == post}
        if not barred:
            continue
        free = [s for s in el.universe if s not in barred and s not in out and s not in excluded]
        if not filled or el.body.post(post).count != 1 or len(free) != 1:
            return None, out
        fixed.append((free[0], post))
        left -= {(s, post) for s in barred}
    return (fixed if not left else None), out


def enumeration_info(started: float, modelled: Election, whole: Election,
                     found: bool = True) -> dict[str, Any]:
    """What Run info and JSON say of a search the enumeration settled; found: a slate (else
    none fits, and CP-SAT named the rules in conflict)."""
    said: dict[str, Any] = (
        {"optimal": True,
         "proof": "every valid slate taken in the order of the preferences, group by group"}
        if found else
        {"optimal": False,
         "proof": "no valid slate: every group's options taken, none fit together",
         "conflicts": "found by CP-SAT, one switch per rule instance"})
    return {"engine": ENUMERATION, **said,
            "seconds": round(time.perf_counter() - started, 3),
            "states_modelled": f"{len(modelled.universe)} of {len(whole.universe)}"}


def solve(el: Election, options: SolverOptions | None = None, reduce: bool = True) -> Result:
    """The best slate under the hard rules and the preferences, or the conflicting rules. It is
    found on the States the best slate can use (planner.rules.reduce), an exact reduction;
    scores and explanations are of the whole election."""
    from planner.rules.reduce import reduced

    options = options or SolverOptions()
    started = time.perf_counter()
    small = reduced(el) if reduce else el
    why = "not asked for (--engine cp-sat)"
    if options.engine == "auto":
        try:
            slate = first_slate(small)
        except NotDecomposable as e:
            why = str(e)
        else:
            if slate is None:
                from planner.solve.model import explain

                conflicts = explain(el, options)
                return Result("infeasible", (), {}, conflicts,
                              enumeration_info(started, small, el, found=False))
            info = enumeration_info(started, small, el)
            held = ordered_slate(el, [(s.state, s.post) for s in slate])
            return Result("solved", held, score(el, held), (), info)
    from planner.solve.model import solve_by_model

    result = solve_by_model(el, options, reduce)
    # the seconds of the whole search, the enumeration's attempt included
    return Result(result.status, result.slate, result.score, result.conflicts,
                  {**result.solver, "enumeration": why,
                   "seconds": round(time.perf_counter() - started, 3)})
