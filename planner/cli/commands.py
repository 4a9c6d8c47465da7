"""The case commands: solve, check, status, init."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import (
    FiniteRange,
    _load,
    _load_for_slates,
    chosen_profile,
    cli,
    csv_option,
    date_option,
    emit,
    json_option,
    target_path,
)
from planner.limits import ENGINES, MAX_SESSION, MAX_TIME_LIMIT


@cli.command()
@click.argument("case", required=False)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Workbook to write (default outputs/CASE-slate.xlsx).")
@click.option("--no-write", is_flag=True, help="Do not write a workbook.")
@click.option("--time-limit", type=FiniteRange(0.1, MAX_TIME_LIMIT), default=20.0,
              show_default=True,
              help="Deterministic time limit of the search.")
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="auto: the exact enumeration by group where the rules allow it, else "
                   "CP-SAT; cp-sat: always CP-SAT (to cross-check).")
@csv_option
@json_option
@click.pass_context
def solve(ctx: click.Context, case: str | None, out: Path | None, no_write: bool,
          time_limit: float, engine: str, csv_dir: Path | None, as_json: bool) -> None:
    """Find the best bureau slate under the body's rules (rule 22 for the UNTOC Conference),
    or say which rules conflict.

    \b
    Example:
      planner solve
      planner solve inputs/untoc-cop1-2004 --out outputs/cop1.xlsx
    """
    from planner.consult.rounds import equally_good
    from planner.report.render import SolveView
    from planner.rules.base import check
    from planner.rules.election import prepare
    from planner.solve.best import solve as run
    from planner.solve.result import SolverOptions

    c, profile = _load(case)
    el = prepare(c, profile)
    target = target_path(c, out, no_write, "slate")
    result = run(el, SolverOptions(time_limit=time_limit, engine=engine))
    outcomes = check(el, result.slate) if result.status == "solved" else ()
    ties = equally_good(el) if result.status == "solved" else None
    options = {"case": str(c.path), "out": str(target or ""), "time_limit": time_limit,
               "engine": engine}
    emit(SolveView(c, options, el.notes, {"status": result.status, **result.solver},
                   "Proposed bureau", el=el, result=result, outcomes=outcomes,
                   workbook=str(target) if target else None, equally_good=ties),
         as_json, target, csv_dir)


@cli.command(name="check")
@click.argument("paths", nargs=-1, required=True, metavar="[CASE] SLATE")
@click.option("--substitutes", "substitutes_path", metavar="FILE",
              help="Also check these substitutes (a .csv with columns instrument, state, "
                   "substitute) at the meetings of the parties to the instruments the bureau "
                   "also serves; a workbook solve wrote is checked against its own "
                   "Substitutes sheet.")
@json_option
@click.pass_context
def check_cmd(ctx: click.Context, paths: tuple[str, ...], substitutes_path: str | None,
              as_json: bool) -> None:
    """Check a slate (a .csv or .xlsx with columns post, state [, representative]).

    \b
    Example:
      planner check outputs/untoc-cop6-2012-slate.xlsx
      planner check inputs/untoc-cop1-2004 my-slate.csv
    """
    from planner.consult.rounds import check_substitutions
    from planner.io.slates import load_slate, load_substitutions
    from planner.report.render import CheckView
    from planner.rules.base import check
    from planner.rules.election import prepare

    if len(paths) > 2:
        raise click.UsageError("give at most CASE and SLATE")
    case_arg, slate_arg = (None, paths[0]) if len(paths) == 1 else paths
    c, profile, said = _load_for_slates(case_arg, [slate_arg])
    slate = load_slate(slate_arg, c.body, known=c.declared,
                       open_seats=profile.open_seats)
    instruments = {k: i.id for i in c.instruments for k in (i.id, i.title)}
    # the substitutes given: the file named, else a workbook's own Substitutes sheet if any
    given: tuple[tuple[str, str, str | None], ...] = ()
    if substitutes_path:
        given = load_substitutions(substitutes_path, instruments, c.declared)
    elif str(slate_arg).lower().endswith(".xlsx"):
        given = load_substitutions(slate_arg, instruments, c.declared, required=False)
    el = prepare(c, profile, extra_states=frozenset(
        {s.state for s in slate} | {x for _i, o, sub in given for x in (o, sub) if x}))
    outcomes = check(el, slate)
    if given or substitutes_path:
        outcomes = (*outcomes, *check_substitutions(el, slate, given))
    emit(CheckView(c, {"case": str(c.path), "slate": str(slate_arg),
                       "substitutes": str(substitutes_path or "")},
                   [*said, *el.notes], {}, "Rule check", el=el, slate=slate,
                   outcomes=outcomes, substitutes_given=bool(given or substitutes_path)),
         as_json)


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
    from planner.report.render import StatusView
    from planner.report.workbook import input_paths
    from planner.rules.election import prepare

    c, profile = _load(case)
    el = prepare(c, profile, date_option(on, "--date"))
    date = el.assessment.date.isoformat()
    view = StatusView(c, {"case": str(c.path), "date": date, "out": str(out or "")}, el.notes,
                      {}, "Party status", el=el,
                      eligible_only=eligible_only)
    if out is not None and out.suffix.lower() == ".csv":
        write_csv(out, view.frame(), input_paths(c))
        click.echo(f"Written: {out}", err=True)
        out = None
    emit(view, as_json, out)


@cli.command(name="init")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "source", help="Pre-fill the sheets from this case (folder, workbook or "
              "shipped case name).")
@click.option("--session", "number", type=click.IntRange(1, MAX_SESSION),
              help="The session's number.")
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
    from planner.rules.profile import load_profile, profile_reference

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
    write_template(dest, profile.body, profile_reference(profile), c, number, when)
    click.echo(f"Written: {dest}", err=True)


@cli.command(name="record")
@click.argument("paths", nargs=-1, required=True, metavar="[CASE] SLATE")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The case workbook to write, the elected bureau in its history (.xlsx).")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def record_cmd(paths: tuple[str, ...], out: Path, force: bool) -> None:
    """Record the bureau elected at the case's session (a slate, or the workbook solve wrote)
    in the case's bureau history, for the next session's tie-break, term limits, rotation and
    plans; start the next session from it with planner init --from.

    \b
    Example:
      planner record outputs/cop7-slate.xlsx --out outputs/cop7-elected.xlsx
      planner init outputs/cop8.xlsx --from outputs/cop7-elected.xlsx --session 8
    """
    from planner.domain.case import with_bureau
    from planner.domain.slate import open_seat_group
    from planner.errors import UsageError
    from planner.io.slates import load_slate
    from planner.report.files import check_output_path
    from planner.report.render import record_lines
    from planner.report.template import write_template
    from planner.report.workbook import input_paths
    from planner.rules.base import check
    from planner.rules.election import prepare
    from planner.rules.profile import profile_reference

    if len(paths) > 2:
        raise click.UsageError("give at most CASE and SLATE")
    case_arg, slate_arg = (None, paths[0]) if len(paths) == 1 else paths
    c, profile, said = _load_for_slates(case_arg, [slate_arg])
    slate = load_slate(slate_arg, c.body, whole=True, known=c.declared,
                       open_seats=profile.open_seats)
    check_output_path(out, [*input_paths(c), Path(slate_arg)])
    if out.exists() and not force:
        raise UsageError(f"{out} exists. Give another name, or --force to overwrite it")
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out}: the case workbook must end in .xlsx")
    el = prepare(c, profile, extra_states=frozenset(s.state for s in slate))
    # a seat left open has no officer to go into the history (no State served in it)
    served = tuple(seat for seat in slate if open_seat_group(seat.state) is None)
    write_template(out, profile.body, profile_reference(profile), with_bureau(c, served))
    click.echo("\n".join(record_lines(el, slate, check(el, slate), out, said)))
    click.echo(f"Written: {out}", err=True)


@cli.command(name="profiles")
def profiles_cmd() -> None:
    """List the shipped profiles: one per body whose bureau the planner knows.

    \b
    Example:
      planner profiles
    """
    from planner.report.render import profiles_lines
    from planner.rules.profile import load_profile, shipped_profiles

    for line in profiles_lines([load_profile(name) for name in shipped_profiles()]):
        click.echo(line)


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
    from planner.report.render import profile_lines
    from planner.rules.profile import load_profile

    for line in profile_lines(load_profile(name)):
        click.echo(line)
