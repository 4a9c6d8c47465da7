"""An uploaded workbook read in a process of its own, bounded in time and memory, so that no
upload can take the board (and every user's session) down with it.

The readers bound what a workbook may declare before they read it (planner.io.xlsx_scan); this
is the bound on what reading it may cost whatever gets past: a child process with a ceiling on
its memory and its processor time, killed at a deadline. The case read comes back whole, or the
reason it does not.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from planner.domain.case import Case
from planner.errors import InputError, PlannerError, Problem, Where
from planner.rules.profile import Profile

READ_SECONDS = 60.0  # wall time to read one upload
READ_MEMORY = 2 * 2**30  # bytes a reading may take beyond what the reader starts with

_PRELOAD = ["planner.io.reader", "planner.rules.profile", "pandas", "python_calamine"]
_context: Any = None


def _ctx() -> Any:
    """Processes started from a server process of their own, which has the readers imported
    already (quick to start; no copy of the board's threads)."""
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(_PRELOAD)
    return _context


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        import os

        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(path: str, conn: Connection, memory: int, seconds: float) -> None:
    import math
    import resource

    from planner.rules.profile import open_case

    ceiling = _address_space() + memory
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    cpu = math.ceil(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    try:
        conn.send(("ok", open_case(path)))
    except InputError as exc:
        conn.send(("input", list(exc.problems)))
    except PlannerError as exc:
        conn.send(("planner", str(exc)))
    except MemoryError:
        conn.send(("memory", ""))
    finally:
        conn.close()


def read_upload(path: Path, seconds: float = READ_SECONDS,
                memory: int = READ_MEMORY) -> tuple[Case, Profile]:
    """open_case(path), in a child process within these bounds. Raises InputError (or
    PlannerError) as open_case does, and InputError where the reading went past a bound."""
    ctx = _ctx()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(str(path), sender, memory, seconds), daemon=True)
    child.start()
    sender.close()
    where = Where(str(path))
    beyond = ("the workbook could not be read within the board's bounds "
              f"({memory // 2**20:,} MiB of memory, {seconds:g} s)")
    fix = "check that this is the right file, or run the command line on it"
    try:
        if not receiver.poll(seconds):
            raise InputError([Problem(where, beyond, fix)])
        kind, payload = receiver.recv()
    except (EOFError, OSError):  # the child died: killed at its memory or processor bound
        raise InputError([Problem(where, beyond, fix)]) from None
    finally:
        receiver.close()
        child.join(0.5)
        if child.is_alive():
            child.kill()
            child.join()
    if kind == "ok":
        case, profile = payload
        return case, profile
    if kind == "input":
        raise InputError(payload)
    if kind == "planner":
        raise PlannerError(payload)
    raise InputError([Problem(where, beyond, fix)])
