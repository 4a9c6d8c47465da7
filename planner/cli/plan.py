"""Planning ahead: the rotation, and bureaus of several sessions solved together.

Options in, library calls, text or JSON out, exit codes; heavy imports inside the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli.common import (
    EXIT_NO_SLATE,
    EXIT_OK,
    _emit_json,
    _load,
    cli,
    conflicts_json,
    echo_conflicts,
    echo_notes,
    json_option,
    out_options,
    target_path,
    write_with_info,
)

if TYPE_CHECKING:
    import pandas as pd

    from planner.consult.plan import PlanResult


@cli.command(name="rotation")
@click.argument("case", required=False)
@click.option("--until", "until", type=click.IntRange(1, 999),
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
    from planner.report.workbook import table_text

    c, _profile = _load(case)
    first = c.session.number
    last = until if until is not None else first + 4
    if last < first:
        raise click.BadParameter(f"--until {last} is before session {first}",
                                 param_hint="--until")
    cycle = cycle_of(c)
    rows = turns(c, range(first, last + 1))
    if as_json:
        _emit_json({
            "sessions": [{"session": t.session, "president_group": t.president_group,
                          "rapporteur_group": t.rapporteur_group, "basis": t.basis}
                         for t in rows],
            "cycle": {"order": list(cycle.order or ()), "start": cycle.start,
                      "source": cycle.source, "evidence": cycle.evidence},
            "breaks": list(cycle.breaks),
            "rapporteur_offset": c.session.rapporteur_offset,
        })
        return
    import pandas as pd

    short = {g.name: g.short for g in c.body.groups}
    frame = pd.DataFrame([{"session": t.session,
                           "President": short.get(t.president_group or "", "open"),
                           "Rapporteur": short.get(t.rapporteur_group or "", "open")}
                          for t in rows])
    click.echo(table_text(frame, ["session", "President", "Rapporteur"]))
    click.echo(f"\nCycle: {cycle.evidence}.")
    click.echo(f"Rapporteur: from the group that held the presidency "
               f"{c.session.rapporteur_offset} session(s) before (an assumption, as at the "
               "6th session).")
    for b in cycle.breaks:
        click.echo(f"Note: {b}.")
    for t in rows:
        if t.basis.startswith("President: session table") or "rotation table" in t.basis:
            click.echo(f"Session {t.session}: {t.basis}.")


@cli.command(name="plan")
@click.argument("case", required=False)
@click.option("--sessions", "sessions_text", required=True, metavar="7-10",
              help="The sessions to plan, as a range or a list.")
@click.option("--pool", "pool_path", help="Who may serve: .csv/.xlsx with state [, sessions, "
              "posts].")
@out_options("plan")
@json_option
@click.pass_context
def plan_cmd(ctx: click.Context, case: str | None, sessions_text: str, pool_path: str | None,
             out: Path | None, no_write: bool, as_json: bool) -> None:
    """Plan the bureaus of several sessions together: rule 22 at each session's opening, the
    rotation, and fairness within each group (no State again while another has not served,
    no two terms in a row, the protocol seat not always carried by the same State).

    \b
    Example:
      planner plan --sessions 7-11
      planner plan --sessions 7-9 --pool pool.csv --out outputs/plan.xlsx
    """
    import pandas as pd

    from planner.consult.plan import fairness_summary, load_pool, parse_sessions, plan
    from planner.report.pack import bureau_builder
    from planner.report.workbook import SheetData, slate_json, table_text
    from planner.rules.base import check

    c, profile = _load(case)
    try:
        window = parse_sessions(sessions_text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--sessions") from None
    pool = load_pool(pool_path, c.body) if pool_path else None
    target = target_path(c, out, no_write, "plan")
    result = plan(c, profile, window, pool)
    summary = fairness_summary(result, c) if result.status == "solved" else []
    options = {"case": str(c.path), "sessions": sessions_text, "pool": pool_path or "",
               "out": str(target or "")}
    code = EXIT_OK if result.status == "solved" else EXIT_NO_SLATE
    if target is not None:
        sheets = []
        for sp in result.sessions:
            sheets.append(SheetData(f"Session {sp.session}", build=bureau_builder(
                sp.election, sp.slate, check(sp.election, sp.slate), (), "solved")))
        if result.sessions:
            matrix, colour = _matrix(result)
            sheets.append(SheetData("Matrix", matrix, colour))
            sheets.append(SheetData("Fairness", pd.DataFrame(
                [{**f, "serving_more_than_once": ", ".join(f["serving_more_than_once"])}
                 for f in summary])))
        else:
            from planner.report.workbook import conflicts_frame

            sheets.append(SheetData("Conflicts", conflicts_frame(result.conflicts)))
        write_with_info(target, sheets, c, options, list(result.notes), result.solver,
                        "Bureau plan")
    if as_json:
        _emit_json({
            "status": result.status,
            "sessions": [{"session": sp.session, "opening_date": sp.opening.isoformat(),
                          "president_group": sp.turn.president_group,
                          "rapporteur_group": sp.turn.rapporteur_group,
                          "rotation": sp.turn.basis,
                          "slate": [{**s, "forecast": s["state"] in sp.forecasts}
                                    for s in slate_json(sp.election, sp.slate)]}
                         for sp in result.sessions],
            "fairness": result.fairness,
            "groups": summary,
            "failing_session": result.failing_session,
            "conflicts": conflicts_json(result.conflicts),
            "assumptions": list(result.notes),
            "solver": result.solver,
        })
        ctx.exit(code)
    if result.status != "solved":
        click.echo(f"No plan: session {result.failing_session} cannot be filled."
                   if result.failing_session is not None else
                   "No plan: each session alone can be filled, but not the sessions together.")
        echo_conflicts(result.conflicts)
        echo_notes(result.notes)
        ctx.exit(code)
    short = {g.name: g.short for g in c.body.groups}
    rows = []
    for sp in result.sessions:
        for seat in sp.slate:
            rows.append({"session": sp.session, "post": seat.post, "state": seat.state + (
                " (forecast)" if seat.state in sp.forecasts else ""),
                "group": short.get(sp.election.group(seat.state) or "", "")})
    click.echo(table_text(pd.DataFrame(rows), ["session", "post", "state", "group"]))
    click.echo("\nFairness (0 is best): " + "; ".join(f"{k} = {v}"
                                                     for k, v in result.fairness.items()))
    for f in summary:
        wait = (f"longest wait {f['longest_wait']} sessions ({f['longest_wait_state']})"
                if f["longest_wait"] is not None else "no State served before")
        click.echo(f"  {short[f['group']]}: {f['distinct_states']} States for {f['seats']} "
                   f"seats; {wait}")
    echo_notes(result.notes)
    ctx.exit(code)


def _matrix(result: PlanResult) -> tuple[pd.DataFrame, Callable[[Any], None]]:
    """States by sessions, each cell the post held, coloured by post."""
    import pandas as pd

    held: dict[str, dict[str, str]] = {}
    group: dict[str, str] = {}
    for sp in result.sessions:
        for seat in sp.slate:
            held.setdefault(seat.state, {})[f"session {sp.session}"] = seat.post
            group[seat.state] = sp.election.group(seat.state) or ""
    columns = [f"session {sp.session}" for sp in result.sessions]
    frame = pd.DataFrame([{"state": s, "group": group[s], **{c: held[s].get(c, "")
                                                             for c in columns}}
                          for s in sorted(held, key=lambda s: (group[s], s))],
                         columns=["state", "group", *columns])

    def colour(ws: Any) -> None:
        from openpyxl.styles import PatternFill

        fills = {"President": "F4B183", "Vice-President": "BDD7EE", "Rapporteur": "C5E0B4"}
        for row in ws.iter_rows(min_row=2, min_col=3):
            for cell in row:
                if cell.value in fills:
                    cell.fill = PatternFill("solid", fgColor=fills[cell.value])

    return frame, colour
