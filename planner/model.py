"""The CP-SAT model: rules posted from their one definition, lexicographic preferences,
deterministic search, and explanations of infeasibility from shrunk assumption cores."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .election import Election, Seat, Slate, state_order
from .rules import HARD_RULES, SOFT_RULES, Need, Rule, Scope
from .spec import PRESIDENT, RAPPORTEUR, VICE_PRESIDENT


@dataclass(frozen=True)
class SolverOptions:
    time_limit: float = 20.0  # deterministic seconds per stage, not wall-clock
    seed: int = 0
    workers: int = 1  # one worker: the same model gives the same slate on every run

    def parameters(self) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed
        solver.parameters.max_deterministic_time = self.time_limit
        return solver


@dataclass(frozen=True)
class Conflict:
    rule: str
    citation: str
    scope: Scope
    message: str


@dataclass(frozen=True)
class Result:
    status: str  # solved | infeasible | unknown
    slate: Slate
    score: dict[str, int]
    proven: dict[str, bool]  # whether each preference level was proven optimal
    conflicts: tuple[Conflict, ...]
    solver: dict[str, Any] = field(default_factory=dict)


class ModelBackend:
    """The rules built on CP-SAT variables."""

    def __init__(self, model: cp_model.CpModel, x: dict[tuple[str, str], cp_model.IntVar]):
        self.model = model
        self.x = x

    def holds(self, state: str, post: str) -> cp_model.LinearExprT:
        return self.x.get((state, post), 0)

    def total(self, terms: Iterable[cp_model.LinearExprT]) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum(list(terms))

    def capped(self, expr: cp_model.LinearExprT, cap: int) -> cp_model.IntVar:
        aux = self.model.new_int_var(0, cap, "")
        self.model.add_min_equality(aux, [expr, cap])
        return aux

    def scaled(self, expr: cp_model.LinearExprT, factor: int) -> cp_model.LinearExprT:
        return expr * factor

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


def _variables(el: Election, model: cp_model.CpModel) -> dict[tuple[str, str], cp_model.IntVar]:
    return {(s, p): model.new_bool_var(f"{s}|{p}") for s in el.universe
            for p in el.spec.post_names}


def _slate(el: Election, solver: cp_model.CpSolver,
           x: dict[tuple[str, str], cp_model.IntVar]) -> Slate:
    held = [(p, s) for (s, p), v in x.items() if solver.boolean_value(v)]
    reps = {(n.state, n.post): n.representative for n in el.case.nominations}
    order = {g: i for i, g in enumerate(el.spec.group_names)}

    def key(ps: tuple[str, str]) -> tuple[int, int, tuple[str, str]]:
        post, state = ps
        rank = {PRESIDENT: 0, VICE_PRESIDENT: 1, RAPPORTEUR: 2}.get(post, 1)
        return (rank, order.get(el.group(state) or "", 99), state_order(state))

    return tuple(Seat(p, s, reps.get((s, p), "")) for p, s in sorted(held, key=key))


def solve(el: Election, options: SolverOptions | None = None) -> Result:
    """The best slate under the hard rules and the preferences, or the conflicting rules."""
    options = options or SolverOptions()
    started = time.perf_counter()
    model = cp_model.CpModel()
    x = _variables(el, model)
    b = ModelBackend(model, x)
    for rule in HARD_RULES:
        for scope in rule.scopes(el):
            for need in rule.needs(el, scope, b):
                b.post(need)
    stages: list[str] = []
    score: dict[str, int] = {}
    proven: dict[str, bool] = {}
    solver = options.parameters()
    for soft in SOFT_RULES:
        expr = soft.value(el, b)
        if soft.maximise:
            model.maximize(expr)
        else:
            model.minimize(expr)
        status = solver.solve(model)
        stages.append(solver.status_name(status))
        if status == cp_model.INFEASIBLE and not score:
            conflicts = explain(el, options)
            return Result("infeasible", (), {}, {}, conflicts,
                          _solver_info(options, stages, started))
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"invalid CP-SAT model: {model.validate()}")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Result("unknown", (), {}, {}, (), _solver_info(options, stages, started))
        value = round(solver.objective_value)
        score[soft.id] = value
        proven[soft.id] = status == cp_model.OPTIMAL
        # fix this level before optimising the next; the last solution guides the next search
        model.add(expr == value if proven[soft.id] else
                  (expr >= value if soft.maximise else expr <= value))
        model.clear_hints()  # type: ignore[no-untyped-call]
        for v in x.values():
            model.add_hint(v, solver.boolean_value(v))
    return Result("solved", _slate(el, solver, x), score, proven, (),
                  _solver_info(options, stages, started))


def _solver_info(options: SolverOptions, stages: list[str], started: float) -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "ortools": version("ortools"),
        "workers": options.workers,
        "seed": options.seed,
        "deterministic_time_limit": options.time_limit,
        "stages": stages,
        "seconds": round(time.perf_counter() - started, 3),
    }


class RuleModel:
    """The model with one enforcement literal per rule instance, for explanations and tests."""

    def __init__(self, el: Election, options: SolverOptions | None = None) -> None:
        self.el = el
        self.model = cp_model.CpModel()
        self.x = _variables(el, self.model)
        b = ModelBackend(self.model, self.x)
        self.instances: dict[int, tuple[Rule, Scope]] = {}
        self.literals: list[cp_model.IntVar] = []
        for rule in HARD_RULES:
            for scope in rule.scopes(el):
                lit = self.model.new_bool_var(f"{rule.id}{scope}")
                self.instances[lit.index] = (rule, scope)
                self.literals.append(lit)
                for need in rule.needs(el, scope, b):
                    b.post(need, lit)
        self.solver = (options or SolverOptions()).parameters()
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


def explain(el: Election, options: SolverOptions | None = None) -> tuple[Conflict, ...]:
    """A set of rule instances that cannot all hold, each one needed for the conflict."""
    rm = RuleModel(el, options)
    core = rm.core(rm.literals)
    if core is None:
        return ()
    # shrink by deletion: keep a literal only if the rest becomes feasible without it
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1:]
        smaller = rm.core(trial)
        if smaller is None:
            i += 1
        else:
            kept = {lit.index for lit in smaller}
            core = [lit for lit in trial if lit.index in kept]
    out = []
    for lit in sorted(core, key=lambda v: v.index):
        rule, scope = rm.instances[lit.index]
        out.append(Conflict(rule.id, rule.title(scope), scope, rule.conflict(el, scope)))
    return tuple(out)
