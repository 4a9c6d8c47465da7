"""Planning ahead: the rotation, and bureaus of several sessions solved together.

Options in, library calls, text or JSON out, exit codes; heavy imports inside the commands.
"""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import FiniteRange, _load, cli, emit, json_option, out_options, target_path
from planner.limits import MAX_SESSION, MAX_TIME_LIMIT


@cli.command(name="rotation")
@click.argument("case", required=False)
@click.option("--until", "until", type=click.IntRange(1, MAX_SESSION),
              help="The last session to show (default: four after the case's session).")
@json_option
def rotation_cmd(case: str | None, until: int | None, as_json: bool) -> None:
    """Which groups give the President and the Rapporteur at the coming sessions, and why.

    \b
    Example:
      planner rotation --until 12
      planner rotation untoc-cop1-2004 --json
    """
    from planner.domain.rotation import cycle_of, turns
    from planner.report.render import RotationView

    c, _profile = _load(case)
    first = c.session.number
    last = until if until is not None else first + 4
    if last < first:
        raise click.BadParameter(f"--until {last} is before session {first}",
                                 param_hint="--until")
    rows = turns(c, range(first, last + 1))
    emit(RotationView(c, {"case": str(c.path), "until": last}, (), {}, "Rotation",
                      rows=rows, cycle=cycle_of(c)), as_json)


@cli.command(name="plan")
@click.argument("case", required=False)
@click.option("--sessions", "sessions_text", required=True, metavar="7-10",
              help="The sessions to plan, as a range or a list.")
@click.option("--pool", "pool_path", help="Who may serve: .csv/.xlsx with state [, sessions, "
              "posts].")
@click.option("--time-limit", type=FiniteRange(0.1, MAX_TIME_LIMIT), default=3.0,
              show_default=True, help="Deterministic seconds the joint model may search for a "
              "better plan than the session-by-session one (more may prove it optimal).")
@click.option("--wall-limit", type=FiniteRange(1.0, MAX_TIME_LIMIT), default=60.0,
              show_default=True, help="Seconds of wall time the search may take, whatever its "
              "deterministic limit (a guard: where it stops the search, the plan says so).")
@click.option("--memory-limit", type=click.IntRange(200, 64 * 1024), default=1024,
              show_default=True, help="MiB the process may hold while the search runs (a "
              "guard: where it stops the search, the plan says so).")
@out_options("plan")
@json_option
@click.pass_context
def plan_cmd(ctx: click.Context, case: str | None, sessions_text: str, pool_path: str | None,
             time_limit: float, wall_limit: float, memory_limit: int, out: Path | None,
             no_write: bool, as_json: bool) -> None:
    """Plan the bureaus of several sessions together: the body's rules at each session's
    opening (rule 22 for the UNTOC Conference), the rotation, and its profile's fairness
    rules within each group (for UNTOC: no State again while another has not served, no two
    terms in a row, the protocol seat not always carried by the same State).

    \b
    Example:
      planner plan --sessions 7-11
      planner plan --sessions 7-9 --pool pool.csv --out outputs/plan.xlsx
    """
    from planner.consult.plan import load_pool, parse_sessions, plan
    from planner.report.render import PlanningView

    c, profile = _load(case)
    try:
        window = parse_sessions(sessions_text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--sessions") from None
    pool = (load_pool(pool_path, c.body, {m.state for m in c.memberships}) if pool_path
            else None)
    target = target_path(c, out, no_write, "plan", [pool_path] if pool_path else [])
    from planner.solve.result import SolverOptions

    result = plan(c, profile, window, pool, SolverOptions(
        time_limit=time_limit, wall_limit=wall_limit, memory_limit=memory_limit))
    options = {"case": str(c.path), "sessions": sessions_text, "pool": pool_path or "",
               "time_limit": time_limit, "wall_limit": wall_limit,
               "memory_limit": memory_limit,
               "out": str(target or "")}
    span = (f"sessions {window[0]}-{window[-1]}" if len(window) > 1
            else f"session {window[0]}")
    emit(PlanningView(c, options, result.notes, result.solver, "Bureau plan", span,
                      result=result), as_json, target)
