"""What every command shares: the group, error handling, options and printing helpers.

The command line parses options, calls the library, prints, and turns errors into exit codes.

Exit codes: 0 done (a slate found, a slate valid); 1 no valid slate (or the slate breaks a
rule); 2 bad input or usage; 3 an internal error (a bug: please report it).
Heavy libraries are imported inside the commands, so that --help answers at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from planner.domain.case import Case
    from planner.domain.slate import Slate
    from planner.report.render import Rendering
    from planner.rules.election import Election
    from planner.rules.profile import Profile

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_NO_SLATE, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # as a shell reports a run stopped by Ctrl-C


class PlannerGroup(click.Group):
    """Turns the library's errors into messages and exit codes, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from planner.errors import InputError, PlannerError
        from planner.io.tables import forget_workbooks

        # a workbook is read once within a command, and afresh by the next
        forget_workbooks()
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
            click.echo(f"\ninterrupted: {_left_behind()}", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except OSError as exc:
            if exc.filename is not None and not isinstance(exc, BrokenPipeError):
                raise
            if isinstance(exc, BrokenPipeError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                ctx.exit(EXIT_OK)
            # the terminal or pipe refused what was printed (a full disk, a closed device)
            with contextlib.suppress(OSError):
                sys.stderr.write(f"error: cannot print the result: {exc.strerror or exc}\n")
                sys.stderr.flush()
            os._exit(EXIT_INPUT)
        except BrokenPipeError:
            # the reader went away (planner ... | head): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except Exception as exc:
            if _interrupted(exc):  # Ctrl-C during a C extension's import arrives as ImportError
                click.echo(f"\ninterrupted: {_left_behind()}", err=True)
                ctx.exit(EXIT_INTERRUPTED)
            if os.environ.get("PLANNER_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                       "This is a bug in the planner; run again with PLANNER_DEBUG=1 for "
                       "details and report it.", err=True)
            ctx.exit(EXIT_BUG)


def _left_behind() -> str:
    """What an interruption leaves: nothing, or the outputs already put in place whole (a
    signal held while they were renamed arrives after)."""
    from planner.report.files import COMMITTED

    if not COMMITTED:
        return "no output was written or changed"
    return ("the output was already written whole before it: "
            + ", ".join(str(p) for p in COMMITTED))


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
    from planner.io.reader import default_case_path, shipped_cases

    if arg is None:
        return default_case_path()
    p = Path(arg)
    if not p.exists() and arg in shipped_cases():
        return shipped_cases()[arg]
    return p


PROFILE_KEY = "planner.profile"


def _store_profile(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta[PROFILE_KEY] = value


def profile_option() -> click.Option:
    return click.Option(["--profile"], metavar="NAME|FILE", expose_value=False, is_eager=True,
                        callback=_store_profile,
                        help="The body's profile: a shipped name (planner profiles) or a "
                             ".toml file. Default: the one the case names, else untoc-cop.")


def chosen_profile() -> str | None:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(PROFILE_KEY) if ctx is not None else None


def _load(arg: str | None) -> tuple[Case, Profile]:
    """The case and its profile; without CASE, the profile's own shipped case."""
    from planner.errors import UsageError
    from planner.io.reader import shipped_cases
    from planner.rules.profile import load_profile, open_case

    name = chosen_profile()
    if arg is None and name is not None:
        profile = load_profile(name)
        if profile.default_case not in shipped_cases():
            raise UsageError(f"the profile {profile.name} ships no case: name a CASE")
        return open_case(shipped_cases()[str(profile.default_case)], name)
    return open_case(_resolve_case(arg), name)


def _load_for_slates(case_arg: str | None, slate_paths: Sequence[str],
                     own_cases: bool = False) -> tuple[Case, Profile, list[str]]:
    """The case for commands that read slates: the one named; else the one a slate's
    workbook carries; else the default. Says where a named case differs from the carried one,
    and when a slate without a case is read against the default."""
    from planner.domain.case import case_differences
    from planner.errors import CarriedCaseEdited, InputError, Problem, Where
    from planner.io.reader import carries_case, named_profile
    from planner.rules.profile import open_case, profile_reference

    carriers = [p for p in slate_paths if carries_case(p)]
    carrier = carriers[0] if carriers else None

    def same_body(used: Profile, what: str, skip: str | None = None) -> None:
        """Slates carrying a case of another body are refused, naming both bodies (a profile
        file is known by its name: a workbook sent on names where it was made)."""
        ours = Path(profile_reference(used)).name
        wrong = [(p, named) for p in carriers
                 if p != skip and (named := named_profile(p)) and Path(named).name != ours]
        if wrong:
            raise InputError([Problem(
                Where(p), f"the workbook carries a case of another body ({named}) than "
                f"{what} ({profile_reference(used)})",
                "compare or check slates of one body at a time, under that body's case")
                for p, named in wrong])

    if carrier is not None and case_arg is None:
        c, profile = open_case(carrier, chosen_profile())
        same_body(profile, f"the first workbook's, {carrier}", skip=carrier)
        notes = [f"The case is the one inside {carrier} (session {c.session.number} of the "
                 f"{c.body.conference_short})."]
        for other in carriers[1:]:
            differ = case_differences(open_case(other, profile.path)[0], c)
            if differ:
                judged = ("Each slate is judged under the case its own workbook carries."
                          if own_cases else
                          f"Every slate is judged under the case inside {carrier}.")
                notes.append(f"{other} was made from another case than {carrier}'s: they "
                             f"differ in {'; '.join(differ)}. {judged}")
        return c, profile, notes
    c, profile = _load(case_arg)
    notes = []
    if carrier is not None:
        same_body(profile, f"the case named, {c.name}")
        for held in carriers:
            try:
                carried = open_case(held, profile.path)[0]
            except CarriedCaseEdited as exc:
                # the named case is used; the edit is said, never passed over
                notes.append(f"{exc.problems[0].message}. The named case ({c.name}) is used.")
                continue
            differ = case_differences(carried, c)
            if differ:
                notes.append(f"{held} was made from another case than {c.name}: they differ "
                             "in " + "; ".join(differ) + f". The named case ({c.name}) is "
                             "used.")
    elif case_arg is None:
        notes.append(f"No CASE named, and the slate has none inside: the case {c.name} is used. "
                     "Name the case the slate is for if it is another.")
    return c, profile, notes


class FiniteRange(click.FloatRange):
    """A float within bounds, and a number: nan and inf are refused."""

    name = "finite float range"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return number


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def say(said: tuple[dict[str, Any], list[str]], as_json: bool) -> None:
    """A result that is no case's (a workspace's people, a diff of two tables), rendered by
    planner.report.render as its data and its words: JSON or text on stdout."""
    data, lines = said
    if as_json:
        _emit_json(data)
        return
    for line in lines:
        click.echo(line)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print one JSON object on stdout instead of text.")(f)


def out_options(kind: str) -> Callable[[F], F]:
    def decorate(f: F) -> F:
        f = click.option("--no-write", is_flag=True, help="Do not write a workbook.")(f)
        return click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
                            help=f"Workbook to write (default outputs/CASE-{kind}.xlsx).")(f)
    return decorate


def target_path(c: Case, out: Path | None, no_write: bool, kind: str,
                reads: Sequence[str | Path] = ()) -> Path | None:
    """Where the workbook goes; refused before any work if it would overwrite an input."""
    from planner.errors import UsageError
    from planner.report.files import check_output_path
    from planner.report.workbook import input_paths

    if no_write:
        return None
    if out is not None and out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {out}: the workbook's name must end in .xlsx (for CSV files, "
                         "use --csv FOLDER where the command offers it)")
    target = out or Path("outputs") / f"{c.name}-{kind}.xlsx"
    # every file the command reads is an input: never written over
    check_output_path(target, [*input_paths(c), *(Path(p) for p in reads)])
    return target


def write_with_info(target: Path | None, sheets: list[Any], c: Case, options: dict[str, Any],
                    notes: Sequence[str], solver: dict[str, Any] | None = None,
                    what: str = "Bureau planner", span: str = "",
                    profile: Profile | None = None) -> None:
    """The workbook with its Run info sheet, written whole or not at all; with a profile, it
    also carries its case (hidden sheets), so that it can be checked and revised alone."""
    from planner.report.render import write_book

    if target is None:
        return
    write_book(target, sheets, c, options, notes, solver, what, span, profile)


def csv_option(f: F) -> F:
    return click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path),
                        help="Also write each table as UTF-8 CSV (with BOM) into this folder.")(f)


def write_csvs(folder: Path | None, sheets: Sequence[Any], c: Case) -> None:
    """The workbook's tables as CSV files that Excel opens with accents intact."""
    from planner.report.files import check_output_path, write_csv
    from planner.report.workbook import input_paths

    if folder is None:
        return
    def named(title: str) -> Path:
        return folder / f"{c.name}-{title.lower().replace(' ', '-')}.csv"

    for sheet in sheets:  # refuse before writing any, so that none or all are written
        check_output_path(named(sheet.title), input_paths(c))
    for sheet in sheets:
        if sheet.frame is not None:
            write_csv(named(sheet.title), sheet.frame, input_paths(c))


def emit(view: Rendering, as_json: bool, target: Path | None = None,
         csv_dir: Path | None = None) -> NoReturn:
    """A result, through its renderer: the workbook (with its Run info) and CSV files where
    asked, then JSON or text on stdout, and the exit code."""
    from planner.report.files import written_together

    sheets = view.sheets() if target is not None or csv_dir is not None else []
    with written_together():  # the workbook and its CSV files: all of them, or none
        write_with_info(target, sheets, view.case, view.options, view.notes,
                        view.solver or None, view.title, view.span, view.carried_profile())
        write_csvs(csv_dir, sheets, view.case)
    if target is not None:
        click.echo(f"Written: {target}", err=True)
    if csv_dir is not None:
        click.echo(f"Written: {csv_dir}/", err=True)
    if as_json:
        from planner.rules.profile import profile_reference

        profile = view.profile()
        named = ({"profile": {"name": profile.name, "conference": profile.body.conference,
                              "named_as": profile_reference(profile)}}
                 if profile is not None else {})
        _emit_json({**view.data(), **named})
    else:
        for line in view.lines():
            click.echo(line)
    click.get_current_context().exit(EXIT_OK if view.ok else EXIT_NO_SLATE)


def date_option(text: str | None, option: str) -> dt.date | None:
    from planner.errors import UsageError
    from planner.io.dates import DATE_FIX, DateError, parse_date

    if not text:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        raise UsageError(f"{option}: {exc} ({DATE_FIX})") from None


@click.group(cls=PlannerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bureau-planner", prog_name="planner")
def cli() -> None:
    """Plan the election of a treaty body's bureau under its rules of procedure.

    CASE is a case folder or workbook (see README); without it, the shipped case of the
    UNTOC Conference's 6th session (untoc-cop6-2012) is used, or with --profile NAME that
    profile's own shipped case. A shipped case may also be named alone (cnd-69-2026).
    `planner profiles` lists the bodies the planner knows.
    """


def judges_for(case_arg: str | None, paths: Sequence[str], counts: Sequence[int], c: Case,
               profile: Profile, named: Sequence[Slate]) -> list[Election]:
    """The election each slate is judged under, in order: with no CASE named, the case its
    own workbook carries (a slate made for a withdrawal is judged with that withdrawal);
    else, and for files with no case inside, the one case."""
    from planner.consult.rounds import prepare_with
    from planner.io.reader import carries_case
    from planner.rules.profile import open_case

    common = prepare_with(c, profile, named)
    out: list[Election] = []
    for path, n in zip(paths, counts, strict=True):
        if case_arg is None and carries_case(path):
            own, own_profile = open_case(path, profile.path)
            out += [prepare_with(own, own_profile, named)] * n
        else:
            out += [common] * n
    return out

