"""The CP-SAT model: rules posted from their one definition, lexicographic preferences,
deterministic search, and explanations of infeasibility from shrunk assumption cores."""

from __future__ import annotations

import time
from collections.abc import Container, Iterable, Sequence
from typing import Any

from ortools.sat.python import cp_model

from planner.domain.slate import Slate
from planner.rules.base import Need, Rule, Scope, objective, preference_weights, score
from planner.rules.election import Election, ordered_slate
from planner.solve.result import Conflict, Result, SolverOptions, solver_info


class ModelBackend:
    """The rules built on CP-SAT variables."""

    def __init__(self, model: cp_model.CpModel, x: dict[tuple[str, str], cp_model.IntVar]):
        self.model = model
        self.x = x

    def holds(self, state: str, post: str) -> cp_model.LinearExprT:
        return self.x.get((state, post), 0)

    def total(self, terms: Iterable[cp_model.LinearExprT]) -> cp_model.LinearExprT:
        """A sum of pairs without variables (a State a pool or the rules leave out) is a
        number, not an expression: the fairness rules then see it is 0 (is_zero in
        planner.rules.planning) and build nothing on it; with a pool of 15 States, 90% of a
        plan's model was such terms. capped and at_least fold numbers likewise."""
        items = list(terms)
        if all(isinstance(t, int) for t in items):
            return sum(items)
        return cp_model.LinearExpr.sum(items)

    def capped(self, expr: cp_model.LinearExprT, cap: int) -> cp_model.LinearExprT:
        if isinstance(expr, int):
            return min(expr, cap)
        aux = self.model.new_int_var(0, cap, "")
        self.model.add_min_equality(aux, [expr, cap])
        return aux

    def scaled(self, expr: cp_model.LinearExprT, factor: int) -> cp_model.LinearExprT:
        return expr * factor

    def at_least(self, expr: cp_model.LinearExprT, k: int) -> cp_model.LinearExprT:
        """A Boolean equal to (expr >= k), both ways, so that its value is exact in any
        solution and not only at the optimum."""
        if isinstance(expr, int):
            return int(expr >= k)
        r = self.model.new_bool_var("")
        self.model.add(cp_model.LinearExpr.sum([expr]) >= k).only_enforce_if(r)
        self.model.add(cp_model.LinearExpr.sum([expr]) <= k - 1).only_enforce_if(~r)
        return r

    def post(self, need: Need[Any], enforce: cp_model.IntVar | None = None) -> None:
        lhs = cp_model.LinearExpr.sum([need.lhs])
        rhs = need.rhs
        if need.op == "==":
            ct = self.model.add(lhs == rhs)
        elif need.op == ">=":
            ct = self.model.add(lhs >= rhs)
        else:
            ct = self.model.add(lhs <= rhs)
        if enforce is not None:
            ct.only_enforce_if(enforce)


def variables(el: Election, model: cp_model.CpModel, prefix: str = "",
              out: Container[tuple[str, str]] = ()) -> dict[tuple[str, str], cp_model.IntVar]:
    """One Boolean per State and post (the Vice-Presidents are a set, not eight posts), none
    for the pairs in out."""
    return {(s, p): model.new_bool_var(f"{prefix}{s}|{p}") for s in el.universe
            for p in el.body.post_names if (s, p) not in out}


def post_hard_rules(el: Election, b: ModelBackend) -> None:
    """Every hard rule, from its one definition, as plain constraints."""
    for rule in el.profile.rules:
        for scope in rule.scopes(el):
            for need in rule.needs(el, scope, b):
                b.post(need)


def most_officers(el: Election, groups: Iterable[str], options: SolverOptions | None = None
                  ) -> dict[str, int]:
    """The most officers each group can hold on a valid slate (0 where there is none): asked
    of the model on the reduced election, which keeps as many States of each kind as a group
    can hold (planner.rules.reduce), so it reaches every count a whole slate can; where the
    search stops short, its proven bound. One model, one objective a group."""
    from planner.rules.reduce import reduced

    small = reduced(el)
    model = cp_model.CpModel()
    x = variables(small, model)
    post_hard_rules(small, ModelBackend(model, x))
    solver = (options or SolverOptions()).parameters()
    # the presolve costs more than it saves on one count (the General Committee: 16 ms a
    # group without it, 33 ms with)
    solver.parameters.cp_model_presolve = False
    out = {}
    for group in groups:
        members = set(small.members(group))
        model.maximize(cp_model.LinearExpr.sum([v for (s, _p), v in x.items()
                                                if s in members]))
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            out[group] = 0
        elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            out[group] = int(solver.best_objective_bound + 1e-6)
        else:
            out[group] = el.body.total_posts
    return out


def _slate(el: Election, solver: cp_model.CpSolver,
           x: dict[tuple[str, str], cp_model.IntVar]) -> Slate:
    return ordered_slate(el, [k for k, v in x.items() if solver.boolean_value(v)])


def preference_range(el: Election, pref: Any) -> tuple[int, int]:
    """The values a preference can take on a slate of this election, from its definition
    (where its kind knows them, without building its form over every State)."""
    from planner.rules.forms import FormBackend, form_range

    known: tuple[int, int] | None = pref.bounds(el)
    return known if known is not None else form_range(pref.value(el, FormBackend()),
                                                       el.body.total_posts)


# a model of at most this many (State, post) variables is solved without the presolve
SMALL_MODEL = 10_000
# the widest weight an objective may give its top preference and still be searched in one
# stage: its values then stay well within the 2**53 a double holds exactly
WIDEST_WEIGHT = 2**40
# deterministic seconds the listing of every slate within a bound may take (the General
# Committee's 53 slates within its bound: 0.2 s)
LISTING_EFFORT = 2.0


class SlateModel:
    """The hard rules posted from their definitions, the preferences as one weighted objective,
    and the means to ask for the next-best slate."""

    def __init__(self, el: Election, options: SolverOptions | None = None,
                 fixed: Iterable[tuple[str, str]] = (), excluded: Iterable[str] = (),
                 keep: Slate = (), keep_president: bool = False,
                 forbidden: Iterable[tuple[str, str]] = ()) -> None:
        """keep: a slate to change as little as possible (fewest posts changing hands before
        any preference); keep_president: above that, keep its President if at all possible."""
        self.el = el
        self.options = options or SolverOptions()
        self.model = cp_model.CpModel()
        self.x = variables(el, self.model)
        b = ModelBackend(self.model, self.x)
        post_hard_rules(el, b)
        for state, post in fixed:
            self.model.add(b.holds(state, post) == 1)
        for state in excluded:
            self.model.add(cp_model.LinearExpr.sum(
                [b.holds(state, p) for p in el.body.post_names]) == 0)
        for state, post in forbidden:
            self.model.add(b.holds(state, post) == 0)
        weights = preference_weights(el)
        terms = [objective(el, b, weights)]
        if keep:
            # one more level above the preferences: posts that change hands
            ranges = {s.id: preference_range(el, s) for s in el.profile.preferences}
            span = sum(weights[k] * (hi - lo) for k, (lo, hi) in ranges.items()) + 1
            kept = [b.holds(seat.state, seat.post) for seat in keep]
            terms.append((len(kept) - cp_model.LinearExpr.sum(kept)) * span)
            if keep_president:
                chair = [b.holds(seat.state, seat.post) for seat in keep
                         if seat.post == el.body.head_post]
                terms.append((len(chair) - cp_model.LinearExpr.sum(chair))
                             * span * (len(kept) + 1))
        self.objective = cp_model.LinearExpr.sum(terms)
        self.model.minimize(self.objective)
        # an objective too wide for CP-SAT to tell its last units apart (its bound and its
        # values are doubles: exact to 2**53; a 100-post conference's weights reach 2**58, and
        # it called a slate optimal that a better tie-break beat): the search goes in two
        # stages, the preferences above the tie-break first, then the tie-break among the
        # slates level on them; each stage narrow enough to be exact
        self.staged: tuple[Any, Any] | None = None
        self.tie_span, self.tie_low = 1, 0
        tie = next((p for p in el.profile.preferences if p.planners_own), None)
        if (tie is not None and not keep and max(weights.values()) > WIDEST_WEIGHT
                and el.profile.preferences[-1] is tie):
            above = {k: w // weights[el.profile.preferences[-2].id]
                     for k, w in weights.items() if k != tie.id} if len(
                         el.profile.preferences) > 1 else {}
            upper = cp_model.LinearExpr.sum(
                [b.scaled(p.signed(el, b), above[p.id]) for p in el.profile.preferences
                 if p.id in above])
            self.staged = (upper, tie.signed(el, b))
            # the objective is the level above times the tie-break's span, plus the
            # tie-break (its weight is 1: it comes last): a bound on the one reads as a bound
            # on the two (all_within)
            lo, hi = preference_range(el, tie)
            # (the tie-break alone: nothing above it, and any span wider than its range)
            self.tie_span = (weights[el.profile.preferences[-2].id]
                             if len(el.profile.preferences) > 1 else hi - lo + 1)
            self.tie_low = -hi if tie.maximise else lo
            self.model.minimize(upper)
        self.solver = self.options.parameters()
        if len(self.x) <= SMALL_MODEL:
            # on a small model (a reduced election's) the presolve costs more than it saves:
            # the General Committee's best slate is proven in 0.03 s without it, 0.07 s with
            self.solver.parameters.cp_model_presolve = False
        self.stages: list[str] = []
        # staged: the last tie-break search (its model level with the last slate found above
        # the tie-break, and its solver), for the next slate
        self.level: tuple[cp_model.CpModel, cp_model.CpSolver] | None = None

    def next(self) -> tuple[str, Slate]:
        """Status (solved, infeasible, unknown) and the best slate not yet excluded."""
        if self.level is not None:
            # slates are only ever excluded, so no slate left is better above the tie-break
            # than the last one found: where one is level with it there, the best of those
            # by the tie-break is the next, in one search instead of two
            level, second = self.level
            status = second.solve(level)
            self.stages.append(f"tie-break level with the last: {second.status_name(status)}")
            if status == cp_model.OPTIMAL:
                return "solved", _slate(self.el, second, self.x)
            if status != cp_model.INFEASIBLE:
                return "unknown", ()
            self.level = None
        status = self.solver.solve(self.model)
        self.stages.append(self.solver.status_name(status))
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"invalid CP-SAT model: {self.model.validate()}")
        if status == cp_model.INFEASIBLE:
            return "infeasible", ()
        if status != cp_model.OPTIMAL:
            # a feasible but unproven slate would break the promise of objective order
            return "unknown", ()
        if self.staged is not None:
            upper, tie = self.staged
            level = self.model.clone()
            level.add(upper == round(self.solver.objective_value))
            level.minimize(tie)
            second = self.options.parameters()
            # the model is the reduced election's and its first stage was presolved: the
            # presolve of each tie-break search costs more than it saves (a 100-post
            # conference's next slate: 0.12 s with it, 0.07 s without)
            second.parameters.cp_model_presolve = False
            status = second.solve(level)
            self.stages.append(f"tie-break among those level: {second.status_name(status)}")
            if status != cp_model.OPTIMAL:
                return "unknown", ()
            self.level = (level, second)
            return "solved", _slate(self.el, second, self.x)
        return "solved", _slate(self.el, self.solver, self.x)

    def all_within(self, bound: int | None, most: int
                   ) -> list[tuple[tuple[str, str], ...]] | None:
        """Every slate not yet excluded whose objective is at most bound (without a bound,
        every one), in one search; None where there are more than most, or the search
        stopped before it had seen them all."""
        within = self.model.clone()
        within.clear_objective()  # type: ignore[no-untyped-call]  # untyped in OR-Tools 9.15
        if bound is not None and self.staged is not None:
            # an objective this wide propagates poorly as one sum (a 100-post conference's 50
            # best: 26 listed in the whole effort, and not all): it is read in its two
            # parts. The bound reaches level `top` above the tie-break, and the tie-break
            # up to `rest` there; each level outweighs every tie-break, so a slate is within
            # it if it is below that level, or at it and no worse in the tie-break
            upper, tie = self.staged
            top = (bound - self.tie_low) // self.tie_span
            rest = bound - top * self.tie_span
            at = within.new_bool_var("")
            within.add(upper == top).only_enforce_if(at)
            within.add(tie <= rest).only_enforce_if(at)
            within.add(upper <= top - 1).only_enforce_if(~at)
        elif bound is not None:
            within.add(self.objective <= bound)
        solver = self.options.parameters()
        solver.parameters.enumerate_all_solutions = True
        # presolve that keeps every solution costs more than it saves here (the General
        # Committee's 54 slates within 6 of the best: 0.54 s with it, 0.21 s without)
        solver.parameters.cp_model_presolve = False
        # a short try: listing every slate within the bound is a shortcut, not a proof to be
        # had at any price (past the post cliff, a 100-post conference ran the whole limit, 23
        # s, and then fell back on a cut per slate all the same); where it is not done within
        # this, the caller takes one slate at a time
        solver.parameters.max_deterministic_time = min(self.options.time_limit, LISTING_EFFORT)
        x = self.x

        class Listing(cp_model.CpSolverSolutionCallback):
            def __init__(self) -> None:
                super().__init__()
                self.found: list[tuple[tuple[str, str], ...]] = []

            def on_solution_callback(self) -> None:
                self.found.append(tuple(sorted(k for k, v in x.items() if self.boolean_value(v))))
                if len(self.found) > most:
                    self.stop_search()

        listing = Listing()
        status = solver.solve(within, listing)
        self.stages.append(f"{solver.status_name(status)} listing {len(listing.found)}")
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"invalid CP-SAT model: {within.validate()}")
        # without an objective, OPTIMAL says every solution was seen, INFEASIBLE that none is
        if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or len(listing.found) > most:
            return None
        return list(dict.fromkeys(listing.found))

    def exclude(self, slate: Slate) -> None:
        """Never this slate again: Vice-Presidents are a set, so only who holds what counts."""
        held = {(s.state, s.post) for s in slate}
        for model in (self.model, *(self.level[:1] if self.level is not None else ())):
            model.add(cp_model.LinearExpr.sum([self.x[k] for k in sorted(held)])
                      <= len(held) - 1)

    def info(self, started: float) -> dict[str, Any]:
        return solver_info(self.options, self.stages, started)


def solve_by_model(el: Election, options: SolverOptions | None = None, reduce: bool = True
                   ) -> Result:
    """The best slate under the hard rules and the preferences, found by CP-SAT, or the
    conflicting rules. The model is built on the States the best slate can use
    (planner.rules.reduce), an exact reduction; scores and explanations are of the whole
    election."""
    from planner.rules.reduce import reduced

    started = time.perf_counter()
    small = reduced(el) if reduce else el
    sm = SlateModel(small, options)
    status, slate = sm.next()
    info = {**sm.info(started), "optimal": status == "solved",
            "states_modelled": f"{len(small.universe)} of {len(el.universe)}"}
    if status == "infeasible":
        return Result("infeasible", (), {}, explain(el, options), info)
    if status != "solved":
        return Result("unknown", (), {}, (), info)
    return Result("solved", ordered_slate(el, [(s.state, s.post) for s in slate]),
                  score(el, slate), (), info)


class RuleModel:
    """The model with one enforcement literal per rule instance, for explanations and tests."""

    def __init__(self, el: Election, options: SolverOptions | None = None) -> None:
        self.el = el
        self.model = cp_model.CpModel()
        self.x = variables(el, self.model)
        b = ModelBackend(self.model, self.x)
        self.instances: dict[int, tuple[Rule, Scope]] = {}
        self.literals: list[cp_model.IntVar] = []
        for rule in el.profile.rules:
            for scope in rule.scopes(el):
                lit = self.model.new_bool_var(f"{rule.id}{scope}")
                self.instances[lit.index] = (rule, scope)
                self.literals.append(lit)
                for need in rule.needs(el, scope, b):
                    b.post(need, lit)
        self.solver = (options or SolverOptions()).parameters()
        # the full linear relaxation: a count that cannot reach the posts to fill (no group
        # may give more than two, five groups, eleven posts) is a pigeonhole, which search
        # alone takes past any time limit to refute and the relaxation refutes at once
        self.solver.parameters.linearization_level = 2
        self._by_index = {lit.index: lit for lit in self.literals}

    def core(self, assumed: list[cp_model.IntVar]) -> list[cp_model.IntVar] | None:
        """None when the assumed rule instances can hold together; else some that cannot."""
        self.model.clear_assumptions()
        self.model.add_assumptions(assumed)
        if self.solver.solve(self.model) != cp_model.INFEASIBLE:
            return None
        # with presolve a core may name literals that were never assumed (OR-Tools #5141)
        core = [self._by_index[i] for i in self.solver.sufficient_assumptions_for_infeasibility()
                if i in self._by_index]
        return core or assumed

    def literal(self, rule_id: str, scope: Scope) -> cp_model.IntVar:
        return next(lit for lit in self.literals
                    if self.instances[lit.index][0].id == rule_id
                    and self.instances[lit.index][1] == scope)

    def admits(self, slate: Slate) -> bool:
        """Whether the slate, fixed in (a copy of) the model, meets every rule instance."""
        held = {(s.state, s.post) for s in slate}
        m = self.model.clone()
        for key, v in self.x.items():
            m.add(m.get_bool_var_from_proto_index(v.index) == int(key in held))
        m.clear_assumptions()
        m.add_assumptions([m.get_bool_var_from_proto_index(lit.index) for lit in self.literals])
        return self.solver.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


    def minimal_core(self, always: Sequence[cp_model.IntVar] = (),
                     also: Sequence[cp_model.IntVar] = ()) -> list[cp_model.IntVar] | None:
        """Rule instances (and, from `also`, other switches such as the choices asked for)
        that cannot hold together with the always-assumed literals, each needed: a core
        shrunk by deletion. None when everything can hold."""
        always = list(always)
        core = self.core(self.literals + list(also) + always)
        if core is None:
            return None
        wanted = set(self.instances) | {lit.index for lit in also}
        core = [lit for lit in core if lit.index in wanted]
        i = 0
        while i < len(core):
            trial = core[:i] + core[i + 1:]
            smaller = self.core(trial + always)
            if smaller is None:
                i += 1
            else:
                kept = {lit.index for lit in smaller}
                core = [lit for lit in trial if lit.index in kept]
        return sorted(core, key=lambda v: v.index)

    def conflicts(self, core: list[cp_model.IntVar]) -> tuple[Conflict, ...]:
        out = []
        for lit in core:
            rule, scope = self.instances[lit.index]
            out.append(Conflict(rule.id, rule.title(scope), scope, rule.conflict(self.el, scope)))
        return tuple(out)

    def restrict(self, forbidden: Iterable[tuple[str, str]] = (),
                 kept: Iterable[tuple[str, str]] = ()) -> cp_model.IntVar:
        """A literal that, assumed, keeps some (state, post) pairs and forbids others."""
        lit = self.model.new_bool_var("restrict")
        self._by_index[lit.index] = lit  # a core may name it
        for key in kept:
            self.model.add(self.x[key] == 1).only_enforce_if(lit)
        for key in forbidden:
            if key in self.x:
                self.model.add(self.x[key] == 0).only_enforce_if(lit)
        return lit

    def why_not(self, kept: Iterable[tuple[str, str]], excluded: Iterable[str] = ()
                ) -> tuple[Conflict, ...]:
        """The rules that stop these officers from all staying (with excluded States out)."""
        forbidden = [(s, p) for s in excluded for p in self.el.body.post_names]
        core = self.minimal_core([self.restrict(forbidden, kept)])
        return self.conflicts(core) if core else ()

    def why_not_each(self, kept: Sequence[tuple[str, str]], excluded: Sequence[str] = ()
                     ) -> tuple[tuple[Conflict, ...], tuple[int, ...], tuple[int, ...]]:
        """Like why_not, each choice a switch of its own: the rules in conflict, and which of
        the officers kept and of the States left out the conflict needs (by position); the
        other choices are no part of it."""
        posts = self.el.body.post_names
        keep_lits = [self.restrict(kept=[k]) for k in kept]
        out_lits = [self.restrict(forbidden=[(s, p) for p in posts]) for s in excluded]
        core = self.minimal_core(also=[*keep_lits, *out_lits])
        if not core:
            return (), (), ()
        used = {lit.index for lit in core}
        rules = [lit for lit in core if lit.index in self.instances]
        return (self.conflicts(rules),
                tuple(i for i, lit in enumerate(keep_lits) if lit.index in used),
                tuple(i for i, lit in enumerate(out_lits) if lit.index in used))


def explain(el: Election, options: SolverOptions | None = None) -> tuple[Conflict, ...]:
    """A set of rule instances that cannot all hold, each one needed for the conflict."""
    rm = RuleModel(el, options)
    core = rm.minimal_core()
    return rm.conflicts(core) if core else ()
