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
    # guards beside the deterministic limit, which bounds neither wall time nor memory: a
    # search past either is stopped, and what stopped it is said (None: no guard)
    wall_limit: float | None = None  # seconds of wall time per search
    memory_limit: int | None = None  # MiB the process may hold while a search runs
    seed: int = 0
    workers: int = 1  # one worker: the same model gives the same slate on every run
    # auto: the exact enumeration where the rules decompose by group, else CP-SAT;
    # cp-sat: always the model (to cross-check the enumeration)
    engine: str = ENGINES[0]
    # the limits as the user gave them, where these are what is left of them (a plan's first
    # search spends part of its one budget): what a stopped search says it was stopped by
    given: tuple[float, float | None] | None = None

    @property
    def wall_said(self) -> str:
        """The wall-time guard in words, with the limit as the user gave it."""
        wall = (self.given or (self.time_limit, self.wall_limit))[1]
        return f"the wall-time guard ({wall or 0:g} s)"

    @property
    def time_said(self) -> str:
        """The deterministic limit in words, as the user gave it."""
        limit = (self.given or (self.time_limit, self.wall_limit))[0]
        return f"the deterministic time limit ({limit:g} deterministic s)"

    def parameters(self) -> cp_model.CpSolver:
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed
        solver.parameters.max_deterministic_time = self.time_limit
        if self.wall_limit is not None:
            solver.parameters.max_time_in_seconds = self.wall_limit
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


def _rss_mib() -> float:
    """The process's resident memory now (Linux: /proc/self/statm), else its peak so far."""
    import os
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


GUARD_TICK = 0.1  # seconds between two looks at the process's memory


def guarded_solve(solver: cp_model.CpSolver, model: cp_model.CpModel,
                  options: SolverOptions) -> tuple[Any, str]:
    """solver.solve(model), with the memory guard watching from a thread of its own (CP-SAT
    is told to stop its search once the process holds more than the limit); the status, and
    what stopped a search that ended without an answer it could prove: the memory guard, the
    wall-time guard or the deterministic limit ("" where it had none)."""
    import threading

    from ortools.sat.python import cp_model as cp

    done = threading.Event()
    over: list[float] = []

    def watch() -> None:
        while not done.wait(GUARD_TICK):
            held = _rss_mib()
            if options.memory_limit is not None and held > options.memory_limit:
                over.append(held)
                solver.stop_search()
                return

    watcher = None
    if options.memory_limit is not None:
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    try:
        status = solver.solve(model)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    if status in (cp.OPTIMAL, cp.INFEASIBLE):
        return status, ""
    if over:
        return status, (f"the memory guard ({options.memory_limit:,} MiB: the process held "
                        f"{over[0]:,.0f} MiB)")
    # CP-SAT ends a search without a proof only at a limit, and it stops short of a wall limit
    # (1.27 s of 1.30 measured; with half a second left, sooner in proportion), so the limit it
    # ended nearer is what stopped it. A threshold here once said "nothing stopped it" where
    # the wall limit left was short, and the plan told the user to raise the wrong limit
    wall = (solver.wall_time / max(solver.parameters.max_time_in_seconds, 1e-9)
            if options.wall_limit is not None else 0.0)
    det = solver.deterministic_time / max(solver.parameters.max_deterministic_time, 1e-9)
    if max(wall, det) == 0.0:
        return status, ""
    return status, options.wall_said if wall >= det else options.time_said


def solver_info(options: SolverOptions, stages: list[str], started: float) -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "engine": "cp-sat",
        "ortools": version("ortools"),
        "workers": options.workers,
        "seed": options.seed,
        "deterministic_time_limit": options.time_limit,
        "wall_limit": options.wall_limit,
        "memory_limit_mib": options.memory_limit,
        "stages": stages,
        "seconds": round(time.perf_counter() - started, 3),
    }
