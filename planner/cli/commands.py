"""The case commands: solve, check, status, init."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import (
    EXIT_NO_SLATE,
    EXIT_OK,
    _emit_json,
    _load,
    chosen_profile,
    cli,
    csv_option,
    date_option,
    echo_notes,
    json_option,
    target_path,
    write_csvs,
    write_with_info,
)


@cli.command()
@click.argument("case", required=False)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Workbook to write (default outputs/CASE-slate.xlsx).")
@click.option("--no-write", is_flag=True, help="Do not write a workbook.")
@click.option("--time-limit", type=click.FloatRange(0.1, 3600), default=20.0, show_default=True,
              help="Deterministic time limit of the search.")
@csv_option
@json_option
@click.pass_context
def solve(ctx: click.Context, case: str | None, out: Path | None, no_write: bool,
          time_limit: float, csv_dir: Path | None, as_json: bool) -> None:
    """Find the best bureau slate under rule 22, or say which rules conflict.

    \b
    Example:
      planner solve
      planner solve inputs/untoc-cop1-2004 --out outputs/cop1.xlsx
    """
    from planner.report.workbook import (
        provenance,
        slate_frame,
        slate_json,
        solve_sheets,
        table_text,
    )
    from planner.rules.base import check
    from planner.rules.election import prepare
    from planner.solve.model import SolverOptions
    from planner.solve.model import solve as run

    c, profile = _load(case)
    el = prepare(c, profile)
    target = target_path(c, out, no_write, "slate")
    result = run(el, SolverOptions(time_limit=time_limit))
    outcomes = check(el, result.slate) if result.status == "solved" else ()
    options = {"case": str(c.path), "out": str(target or ""), "time_limit": time_limit}
    sheets = solve_sheets(el, result, outcomes)
    write_with_info(target, sheets, c, options, el.notes,
                    {"status": result.status, **result.solver}, "Proposed bureau")
    write_csvs(csv_dir, sheets, c)
    code = EXIT_OK if result.status == "solved" else EXIT_NO_SLATE
    if as_json:
        _emit_json({
            "status": result.status,
            "session": c.session.number,
            "opening_date": c.session.opening_date.isoformat(),
            "slate": slate_json(el, result.slate),
            "conflicts": [{"rule": x.rule, "citation": x.citation, "scope": list(x.scope),
                           "message": x.message} for x in result.conflicts],
            "score": result.score,
            "assumptions": list(el.notes),
            "warnings": list(c.warnings),
            "solver": result.solver,
            "workbook": str(target) if target else None,
            "run": provenance(c, options),
        })
        ctx.exit(code)
    s = c.session
    click.echo(f"Bureau of session {s.number} of the {s.conference}, opening "
               f"{s.opening_date.isoformat()}")
    if result.status == "solved":
        click.echo(table_text(slate_frame(el, result.slate),
                              ["post", "state", "group", "carries"], limit=70))
        click.echo("\nPreferences met (in order): " + "; ".join(
            f"{k} = {v}" for k, v in result.score.items()))
    elif result.status == "infeasible":
        click.echo("\nNo slate can meet the rules. These rules cannot all hold together "
                   "(drop any one and the rest can):")
        for x in result.conflicts:
            click.echo(f"  - [{x.rule}] {x.message}")
    else:
        click.echo("\nNo slate was found within the time limit; it was not proven impossible. "
                   "Run again with a larger --time-limit.")
    echo_notes(el.notes, c.warnings)
    ctx.exit(code)


@cli.command(name="check")
@click.argument("paths", nargs=-1, required=True, metavar="[CASE] SLATE")
@json_option
@click.pass_context
def check_cmd(ctx: click.Context, paths: tuple[str, ...], as_json: bool) -> None:
    """Check a slate (a .csv or .xlsx with columns post, state [, representative]).

    \b
    Example:
      planner check outputs/untoc-cop6-2012-slate.xlsx
      planner check inputs/untoc-cop1-2004 my-slate.csv
    """
    from planner.io.slates import load_slate
    from planner.report.workbook import outcomes_frame, provenance, table_text
    from planner.rules.base import check, score
    from planner.rules.election import prepare

    if len(paths) > 2:
        raise click.UsageError("give at most CASE and SLATE")
    case_arg, slate_arg = (None, paths[0]) if len(paths) == 1 else paths
    c, profile = _load(case_arg)
    slate = load_slate(slate_arg, c.body)
    el = prepare(c, profile, extra_states=frozenset(s.state for s in slate))
    outcomes = check(el, slate)
    valid = all(o.passed for o in outcomes)
    code = EXIT_OK if valid else EXIT_NO_SLATE
    if as_json:
        _emit_json({
            "valid": valid,
            "violations": [{"rule": o.rule, "citation": o.citation, "scope": list(o.scope),
                            "message": o.message} for o in outcomes if not o.passed],
            "outcomes": [{"rule": o.rule, "citation": o.citation, "scope": list(o.scope),
                          "passed": o.passed, "message": o.message} for o in outcomes],
            "score": score(el, slate),
            "assumptions": list(el.notes),
            "run": provenance(c, {"case": str(c.path), "slate": str(slate_arg)}),
        })
        ctx.exit(code)
    frame = outcomes_frame(outcomes)
    frame.loc[frame["result"] == "pass", "detail"] = ""  # the wording is in the workbook/JSON
    click.echo(table_text(frame, ["result", "rule", "scope", "detail"], limit=100))
    failed = sum(not o.passed for o in outcomes)
    click.echo("\nThe slate meets every rule." if valid else
               f"\nThe slate breaks {failed} rule instance{'s' if failed > 1 else ''}.")
    echo_notes(el.notes)
    ctx.exit(code)


@cli.command()
@click.argument("case", required=False)
@click.option("--date", "on", help="Assess at this date instead of the opening (2012-10-15).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table to this .xlsx or .csv file.")
@click.option("--eligible-only", is_flag=True, help="List only the States that can sit.")
@json_option
def status(case: str | None, on: str | None, out: Path | None, eligible_only: bool,
           as_json: bool) -> None:
    """Who is a party to what at the opening, and who can sit on the bureau.

    \b
    Example:
      planner status
      planner status untoc-cop1-2004 --date 2004-06-28 --out outputs/cop1-status.xlsx
    """
    from planner.report.files import write_csv
    from planner.report.workbook import (
        SheetData,
        eligibility_frame,
        input_paths,
        provenance,
        table_text,
    )
    from planner.rules.election import prepare

    c, profile = _load(case)
    el = prepare(c, profile, date_option(on, "--date"))
    a = el.assessment
    frame = eligibility_frame(el)
    if eligible_only:
        frame = frame[frame["eligible"] == "yes"]
    if out is not None:
        if out.suffix.lower() == ".csv":
            write_csv(out, frame, input_paths(c))
            click.echo(f"Written: {out}", err=True)
        else:
            write_with_info(out, [SheetData("Eligibility", frame)], c,
                            {"date": a.date.isoformat(), "out": str(out)}, el.notes,
                            what="Party status")
    if as_json:
        _emit_json({
            "opening_date": a.date.isoformat(),
            "instruments_in_force": [i.id for i in a.in_force],
            "eligible_count": len(a.eligible()),
            "states": [{"state": s.state, "group": s.group, "eligible": s.eligible,
                        "reason": s.reason or None, "instruments": list(s.instruments)}
                       for s in a.states if s.eligible or not eligible_only],
            "assumptions": list(el.notes),
            "warnings": list(c.warnings),
            "run": provenance(c, {"case": str(c.path), "date": a.date.isoformat()}),
        })
        return
    click.echo(table_text(frame, ["state", "group", "instruments in force", "eligible",
                                  "reason"], limit=70))
    click.echo(f"\nAt {a.date.isoformat()}: instruments in force: "
               + ", ".join(i.id for i in a.in_force)
               + f"; {len(a.eligible())} States can sit.")
    echo_notes(el.notes, c.warnings)


@cli.command(name="init")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "source", help="Pre-fill the sheets from this case (folder, workbook or "
              "shipped case name).")
@click.option("--session", "number", type=click.IntRange(1, 999), help="The session's number.")
@click.option("--opening", help="The session's opening date (2014-10-06).")
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
def init_cmd(dest: Path, source: str | None, number: int | None, opening: str | None,
             force: bool) -> None:
    """Write a case workbook to fill in: one sheet per table, with instructions, drop-down
    lists, date cells and example rows. Every command reads it back as CASE.

    \b
    Example:
      planner init outputs/cop7.xlsx --from untoc-cop6-2012 --session 7 --opening 2014-10-06
      planner init blank-case.xlsx
    """
    from planner.errors import UsageError
    from planner.report.files import check_output_path
    from planner.report.template import write_template
    from planner.report.workbook import input_paths

    when = date_option(opening, "--opening")
    from planner.rules.profile import load_profile

    loaded = _load(source) if source else None
    c, profile = loaded if loaded else (None, load_profile(chosen_profile()))
    if c is not None:
        check_output_path(dest, input_paths(c))
        later = number is not None and number != c.session.number
        if when is not None and not later:
            raise UsageError(f"--opening changes the opening of session {c.session.number} "
                             f"of {c.name}; give --session N for a later session's case")
        if later and when is None and number not in dict(c.schedule):
            raise UsageError(f"the case does not know when session {number} opens: give "
                             "--opening YYYY-MM-DD")
    if dest.exists() and not force:
        raise UsageError(f"{dest} exists; it may be someone's filled-in case. Give another "
                         "name, or --force to overwrite it")
    if dest.suffix.lower() != ".xlsx":
        raise UsageError(f"{dest}: the case workbook must end in .xlsx")
    write_template(dest, profile.body, profile.name, c, number, when)
    click.echo(f"Written: {dest}", err=True)


@cli.command(name="profiles")
def profiles_cmd() -> None:
    """List the shipped profiles: one per body whose bureau the planner knows.

    \b
    Example:
      planner profiles
    """
    from planner.rules.profile import load_profile, shipped_profiles

    for name in shipped_profiles():
        p = load_profile(name)
        counts = ", ".join(f"{post.count} {post.name}" for post in p.body.posts)
        click.echo(f"{name}: {p.body.conference} ({counts}); case: {p.default_case or 'none'}")


@cli.group(name="profile")
def profile_group() -> None:
    """Show a profile's rules."""


@profile_group.command(name="show")
@click.argument("name")
def profile_show(name: str) -> None:
    """Print a profile's rules in words, with citations. NAME is a shipped profile or a
    .toml file.

    \b
    Example:
      planner profile show unfccc-cop
    """
    from planner.rules.fairness import FAIRNESS_KINDS
    from planner.rules.kinds import CONDITIONS
    from planner.rules.profile import load_profile

    p = load_profile(name)
    b = p.body
    click.echo(f"{b.conference} ({p.name})")
    click.echo(f"Source: {p.source}")
    click.echo("Posts: " + ", ".join(f"{post.count} {post.name}" for post in b.posts))
    click.echo("Groups: " + "; ".join(b.group_names))
    click.echo("Who may sit: " + ("members of the body (members table)"
                                  if b.eligibility == "membership"
                                  else "parties to the treaty at the opening"))
    if b.constituencies:
        click.echo("Constituencies: " + "; ".join(b.constituencies))
    if b.rotating_post:
        follow = f"; the {b.following_post} follows it" if b.following_post else ""
        click.echo(f"Rotation: the {b.rotating_post}'s group rotates{follow}")
    click.echo("\nRules:")
    for r in p.rules:
        extra = f" [{CONDITIONS[r.condition]}]" if hasattr(r, "condition") else ""
        click.echo(f"  {r.citation}: {r.wording}{extra}  ({r.kind}, id {r.id})")
    click.echo("\nPreferences, in order:")
    for i, pref in enumerate(p.preferences, start=1):
        click.echo(f"  {i}. {pref.citation}: {pref.wording}")
    if p.fairness:
        click.echo("\nFairness in plans, in order:")
        for i, f in enumerate(p.fairness, start=1):
            click.echo(f"  {i}. {FAIRNESS_KINDS[f].wording}")
    for note in p.notes:
        click.echo(f"Assumption: {note}")
