"""What a search returns and how it is asked, without OR-Tools: a solve that the enumeration
answers (planner.solve.best) never imports the CP-SAT solver."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from planner.domain.slate import Slate
from planner.limits import ENGINES
from planner.rules.base import Scope

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from planner.rules.profile import Profile



@dataclass(frozen=True)
class SolverOptions:
    time_limit: float = 20.0  # deterministic seconds per stage, not wall-clock
    seed: int = 0
    workers: int = 1  # one worker: the same model gives the same slate on every run
    # auto: the exact enumeration where the rules decompose by group, else CP-SAT;
    # cp-sat: always the model (to cross-check the enumeration)
    engine: str = ENGINES[0]

    def parameters(self) -> cp_model.CpSolver:
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed
        solver.parameters.max_deterministic_time = self.time_limit
        # the full linear relaxation: the bureau's rules are counts over groups and posts,
        # whose LP bound proves the best slate at once where the default relaxation leaves a
        # gap it cannot close (the General Assembly's General Committee: proven in 0.1 s, not
        # within 120 deterministic seconds)
        solver.parameters.linearization_level = 2
        # CP-SAT's own Ctrl-C handler is left as SIG_DFL after a solve, so that a later Ctrl-C
        # kills the process outright; keep Python's, which cleans up temporary files
        solver.parameters.catch_sigint_signal = False
        return solver


@dataclass(frozen=True)
class Conflict:
    rule: str
    citation: str
    scope: Scope
    message: str

    def name(self, profile: Profile | None) -> str:
        """The rule by its name; what is no rule (the choices asked for, a withdrawal) by its
        own words."""
        found = profile.rule(self.rule) if profile is not None else None
        return found.name if found is not None else self.citation


@dataclass(frozen=True)
class Result:
    status: str  # solved | infeasible | unknown
    slate: Slate
    score: dict[str, int]
    conflicts: tuple[Conflict, ...]
    solver: dict[str, Any] = field(default_factory=dict)


def solver_info(options: SolverOptions, stages: list[str], started: float) -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "engine": "cp-sat",
        "ortools": version("ortools"),
        "workers": options.workers,
        "seed": options.seed,
        "deterministic_time_limit": options.time_limit,
        "stages": stages,
        "seconds": round(time.perf_counter() - started, 3),
    }
