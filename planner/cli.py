"""The command line: parse options, call the library, print, and turn errors into exit codes.

Exit codes: 0 done (a slate found, a slate valid); 1 no valid slate (or the slate breaks a
rule); 2 bad input or usage; 3 an internal error (a bug: please report it).
Heavy libraries are imported inside the commands, so that --help answers at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from .case import Case

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_NO_SLATE, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # as a shell reports a run stopped by Ctrl-C


class PlannerGroup(click.Group):
    """Turns the library's errors into messages and exit codes, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import InputError, PlannerError

        try:
            return super().invoke(ctx)
        except InputError as exc:
            n = len(exc.problems)
            click.echo(f"error: the input has {n} problem{'s' if n > 1 else ''}; "
                       "nothing was written:", err=True)
            for p in exc.problems:
                click.echo(f"  {p}", err=True)
            ctx.exit(EXIT_INPUT)
        except PlannerError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            # every output is written to a temporary file first, so none is left half-written
            click.echo("\ninterrupted: no output was written or changed", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # the reader went away (planner ... | head): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except Exception as exc:
            if _interrupted(exc):  # Ctrl-C during a C extension's import arrives as ImportError
                click.echo("\ninterrupted: no output was written or changed", err=True)
                ctx.exit(EXIT_INTERRUPTED)
            if os.environ.get("PLANNER_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                       "This is a bug in the planner; run again with PLANNER_DEBUG=1 for "
                       "details and report it.", err=True)
            ctx.exit(EXIT_BUG)


def _interrupted(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _resolve_case(arg: str | None) -> Path:
    from .case import default_case_path, shipped_cases

    if arg is None:
        return default_case_path()
    p = Path(arg)
    if not p.exists() and arg in shipped_cases():
        return shipped_cases()[arg]
    return p


def _load(arg: str | None) -> Case:
    from .case import load_case

    return load_case(_resolve_case(arg))


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print one JSON object on stdout instead of text.")(f)


def out_options(kind: str) -> Callable[[F], F]:
    def decorate(f: F) -> F:
        f = click.option("--no-write", is_flag=True, help="Do not write a workbook.")(f)
        return click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
                            help=f"Workbook to write (default outputs/CASE-{kind}.xlsx).")(f)
    return decorate


def target_path(c: Case, out: Path | None, no_write: bool, kind: str) -> Path | None:
    """Where the workbook goes; refused before any work if it would overwrite an input."""
    from .report import check_output_path, input_paths

    if no_write:
        return None
    target = out or Path("outputs") / f"{c.name}-{kind}.xlsx"
    check_output_path(target, input_paths(c))
    return target


def write_with_info(target: Path | None, sheets: list[Any], c: Case, options: dict[str, Any],
                    notes: Sequence[str], solver: dict[str, Any] | None = None,
                    what: str = "Bureau planner") -> None:
    """The workbook with its Run info sheet, written whole or not at all."""
    from .report import SheetData, book_meta, info_frame, input_paths, run_info, write_workbook

    if target is None:
        return
    info = info_frame(run_info(c, options, solver, notes))
    write_workbook(target, [*sheets, SheetData("Run info", info)], input_paths(c),
                   book_meta(c, what))
    click.echo(f"Written: {target}", err=True)


def csv_option(f: F) -> F:
    return click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path),
                        help="Also write each table as UTF-8 CSV (with BOM) into this folder.")(f)


def write_csvs(folder: Path | None, sheets: Sequence[Any], c: Case) -> None:
    """The workbook's tables as CSV files that Excel opens with accents intact."""
    from .report import check_output_path, input_paths, write_csv

    if folder is None:
        return
    for sheet in sheets:  # refuse before writing any, so that none or all are written
        check_output_path(folder / f"{c.name}-{sheet.title}.csv", input_paths(c))
    for sheet in sheets:
        if sheet.frame is not None:
            name = sheet.title.lower().replace(" ", "-")
            write_csv(folder / f"{c.name}-{name}.csv", sheet.frame, input_paths(c))
    click.echo(f"Written: {folder}/", err=True)


def conflicts_json(conflicts: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"rule": x.rule, "citation": x.citation, "scope": list(x.scope),
             "message": x.message} for x in conflicts]


def echo_conflicts(conflicts: Sequence[Any]) -> None:
    click.echo("No slate can meet the rules. These rules cannot all hold together "
               "(drop any one and the rest can):")
    for x in conflicts:
        click.echo(f"  - [{x.rule}] {x.message}")


def echo_notes(notes: Sequence[str], warnings: Sequence[str] = ()) -> None:
    for note in notes:
        click.echo(f"Note: {note}")
    for w in warnings:
        click.echo(f"Data warning: {w}")


def date_option(text: str | None, option: str) -> dt.date | None:
    from .dates import DATE_FIX, DateError, parse_date
    from .errors import UsageError

    if not text:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        raise UsageError(f"{option}: {exc} ({DATE_FIX})") from None


def state_args(values: Sequence[str], option: str) -> list[str]:
    """State names given on the command line, each known, or every unknown one reported."""
    from .errors import Problems, Where
    from .names import did_you_mean, registry

    problems = Problems()
    out = []
    for text in values:
        name = registry().lookup(text)
        if name is None:
            problems.add(Where(f"option {option}"), f"unknown State {text!r}",
                         did_you_mean(text))
        else:
            out.append(name)
    problems.raise_if_any()
    return out


@click.group(cls=PlannerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bureau-planner", prog_name="planner")
def cli() -> None:
    """Plan the election of the bureau of the UNTOC Conference of the Parties (rule 22).

    CASE is a case folder or workbook (see README); without it, the shipped case of the
    6th session (untoc-cop6-2012) is used. A shipped case may also be named alone
    (untoc-cop1-2004).
    """


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
    from .election import prepare
    from .model import SolverOptions
    from .model import solve as run
    from .report import (
        provenance,
        slate_frame,
        slate_json,
        solve_sheets,
        table_text,
    )
    from .rules import check

    c = _load(case)
    el = prepare(c)
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
    from .election import prepare
    from .report import outcomes_frame, provenance, table_text
    from .rules import check, score
    from .slates import load_slate

    if len(paths) > 2:
        raise click.UsageError("give at most CASE and SLATE")
    case_arg, slate_arg = (None, paths[0]) if len(paths) == 1 else paths
    c = _load(case_arg)
    slate = load_slate(slate_arg, c.spec)
    el = prepare(c, extra_states=frozenset(s.state for s in slate))
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
    from .election import prepare
    from .report import (
        SheetData,
        eligibility_frame,
        input_paths,
        provenance,
        table_text,
        write_csv,
    )

    c = _load(case)
    el = prepare(c, date_option(on, "--date"))
    a = el.assessment
    frame = eligibility_frame(a)
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
    from .errors import UsageError
    from .report import check_output_path, input_paths
    from .template import write_template

    when = date_option(opening, "--opening")
    c = _load(source) if source else None
    if c is not None:
        check_output_path(dest, input_paths(c))
    if dest.exists() and not force:
        raise UsageError(f"{dest} exists; it may be someone's filled-in case. Give another "
                         "name, or --force to overwrite it")
    if dest.suffix.lower() != ".xlsx":
        raise UsageError(f"{dest}: the case workbook must end in .xlsx")
    write_template(dest, c, number, when)
    click.echo(f"Written: {dest}", err=True)


def main() -> None:
    cli(prog_name="planner")


from . import cli_consult, cli_plan  # noqa: E402,F401  (they register their commands)

if __name__ == "__main__":
    main()
