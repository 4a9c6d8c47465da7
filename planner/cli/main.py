"""The planner's command line: the group and every command registered on it.

Exit codes: 0 done (a slate found, a slate valid); 1 no valid slate (or the slate breaks a
rule); 2 bad input or usage; 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

from planner.cli import (  # noqa: F401  (they register commands)
    commands,
    consult,
    data,
    plan,
    serve,
    workspace,
)
from planner.cli.common import cli, profile_option

# every command that reads a case takes --profile
for _command in cli.commands.values():
    if any(p.name in ("case", "case_arg", "source", "paths") for p in _command.params):
        _command.params.append(profile_option())

__all__ = ["cli", "main"]


def main() -> None:
    import gc
    import signal

    # a command is one short run that makes hundreds of thousands of objects (a row, a date, a
    # deposit each) and almost no cycles: the collector's default pace (every 700 objects)
    # spends a sixth of a large case's solve walking them; it still runs, less often
    gc.set_threshold(50_000, 20, 100)

    def stop(signum: int, _frame: object) -> None:
        # as Ctrl-C: every write in progress removes its temporary file on the way out
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    try:
        cli(prog_name="planner")
    finally:
        # the command is done: the interpreter's last collection would walk every object the
        # run still holds (the case's rows, the caches), a tenth of a 20,000-State solve, for
        # cycles the process's end releases anyway. Frozen, it passes them by: an object in a
        # cycle is then not finalised at exit, which Python never promises, and no file or
        # connection of the planner waits on it (each is closed by a with block)
        gc.freeze()


if __name__ == "__main__":
    main()
