"""Consultation commands: alternatives, room, compare, replace, candidates.

Options in, library calls, text or JSON out, exit codes; heavy imports inside the commands.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from planner.cli.common import (
    _load,
    _load_for_slates,
    cli,
    csv_option,
    emit,
    json_option,
    judges_for,
    out_options,
    target_path,
)
from planner.io.asks import read_asks
from planner.limits import MAX_ALTERNATIVES

if TYPE_CHECKING:
    from planner.domain.body import Body


class _Progress:
    """Progress on stderr, only on a terminal and only once a run has taken a second."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.start = time.perf_counter()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty() or time.perf_counter() - self.start < 1.0:
            return
        self.shown = True
        click.echo(f"\r{self.what}: {done}/{total}", nl=False, err=True)

    def close(self) -> None:
        if self.shown:
            click.echo("", err=True)


def _post(text: str, option: str, spec: Body) -> str:
    post = spec.find_post(text)
    if post is None:
        raise click.BadParameter(f"unknown post {text!r}; use one of: "
                                 + ", ".join(spec.post_names), param_hint=option)
    return post


def _group(text: str | None, option: str, spec: Body) -> str | None:
    if text is None:
        return None
    group = spec.find_group(text)
    if group is None:
        raise click.BadParameter(f"unknown regional group {text!r}; use one of: "
                                 + "; ".join(spec.group_names), param_hint=option)
    return group


@cli.command(name="alternatives")
@click.argument("case", required=False)
@click.option("-k", "k", type=click.IntRange(1, MAX_ALTERNATIVES), default=5, show_default=True,
              help="How many slates.")
@click.option("--fix", "fix", multiple=True, metavar="POST=STATE",
              help="Keep this State in this post (repeatable).")
@click.option("--exclude", multiple=True, metavar="STATE", help="Leave this State out.")
@click.option("--vary", metavar="GROUP",
              help="Keep the other groups as in the best slate; list this group's options.")
@out_options("alternatives")
@csv_option
@json_option
@click.pass_context
def alternatives_cmd(ctx: click.Context, case: str | None, k: int, fix: tuple[str, ...],
                     exclude: tuple[str, ...], vary: str | None, out: Path | None,
                     no_write: bool, csv_dir: Path | None, as_json: bool) -> None:
    """The k best distinct slates, best first, each with its score by preference.

    Two slates that differ only in which Vice-President is which are the same slate.

    \b
    Example:
      planner alternatives -k 10
      planner alternatives -k 5 --fix Vice-President=Poland --exclude Serbia
      planner alternatives --vary "Eastern European" -k 20
    """
    from planner.consult.rounds import alternatives
    from planner.report.render import AlternativesView
    from planner.rules.election import prepare

    c, profile = _load(case)
    asks = read_asks(c, fix=fix, exclude=exclude, label=lambda name: f"option --{name}",
                     open_seats=profile.open_seats)
    fixed, excluded = list(asks.fix), list(asks.exclude)
    group = _group(vary, "--vary", c.body)
    target = target_path(c, out, no_write, "alternatives")
    el = prepare(c, profile, extra_states=frozenset(s for s, _p in fixed))
    progress = _Progress("slates")
    result = alternatives(el, k, fixed, excluded, group, progress=progress)
    progress.close()
    options = {"case": str(c.path), "k": k, "fix": list(fix), "exclude": excluded,
               "vary": group or "", "out": str(target or "")}
    emit(AlternativesView(c, options, el.notes, {"status": result.status,
                                                 "first": result.first,
                                                 "method": result.method},
                          "Alternative slates", el=el, result=result, k=k, vary=group),
         as_json, target,
         csv_dir)


@cli.command(name="room")
@click.argument("case", required=False)
@out_options("room")
@json_option
@click.pass_context
def room_cmd(ctx: click.Context, case: str | None, out: Path | None, no_write: bool,
             as_json: bool) -> None:
    """How much room each group has: the valid sets of officers, who can hold which seat, and
    the exact number of valid slates (counted, not listed).

    \b
    Example:
      planner room
      planner room untoc-cop1-2004 --json
    """
    from planner.consult.rounds import room
    from planner.report.render import RoomView
    from planner.rules.election import prepare

    c, profile = _load(case)
    target = target_path(c, out, no_write, "room")
    el = prepare(c, profile)
    # the pairs are listed only for the workbook's Pairs sheet and the JSON; the text's counts
    # and who is on some valid slate come the same by kind of State (tested), and quicker
    r = room(el, by_class=target is None and not as_json)
    counted = (f"valid slates in all: {r.total}" if r.total is not None
               else f"valid slates not counted exactly: {r.not_exact}")
    options = {"case": str(c.path), "out": str(target or ""), "profile": profile.name}
    emit(RoomView(c, options, [*el.notes, counted], {}, "Room", el=el, room=r), as_json, target)


@cli.command(name="compare")
@click.argument("slates", nargs=-1, required=True, metavar="SLATE_OR_WORKBOOK...")
@click.option("--case", "case", help="The case the slates are for (default: the shipped one).")
@out_options("compare")
@json_option
@click.pass_context
def compare_cmd(ctx: click.Context, slates: tuple[str, ...], case: str | None, out: Path | None,
                no_write: bool, as_json: bool) -> None:
    """Two or more slates side by side: changed posts marked, each slate's rule check and
    score, and the differences in words.

    \b
    Example:
      planner compare outputs/a.csv outputs/b.xlsx
      planner compare outputs/untoc-cop6-2012-alternatives.xlsx
    """
    from planner.consult.rounds import prepare_with
    from planner.errors import UsageError
    from planner.io.slates import load_slates
    from planner.report.render import CompareView

    c, profile, said = _load_for_slates(case, slates, own_cases=True)
    target = target_path(c, out, no_write, "compare", slates)
    per_file = [load_slates(path, c.body, whole=True, known=c.declared,
                            open_seats=profile.open_seats) for path in slates]
    loaded = [item for items in per_file for item in items]
    if len(loaded) < 2:
        raise UsageError("compare needs two or more slates (files, or a workbook with several)")
    el = prepare_with(c, profile, [s for _label, s in loaded])
    judges = judges_for(case, slates, [len(items) for items in per_file], c, profile,
                        [s for _label, s in loaded])
    options = {"case": str(c.path), "slates": list(slates), "out": str(target or "")}
    emit(CompareView(c, options, [*said, *el.notes], {}, "Slates compared", el=el,
                     loaded=loaded, judges=judges), as_json, target)


@cli.command(name="replace")
@click.argument("case", required=False)
@click.option("--slate", "slate_path", required=True, help="The current slate (.csv/.xlsx).")
@click.option("--withdraw", multiple=True, metavar="STATE", help="A State that withdraws.")
@click.option("--absent", multiple=True, metavar="STATE", help="What if this State is absent.")
@click.option("--ratified", multiple=True, metavar="STATE:INSTRUMENT:DATE",
              help="What if this State deposits for this instrument on this date.")
@click.option("--nominate", multiple=True, metavar="STATE:POST",
              help="What if this State is nominated for this post.")
@out_options("replace")
@json_option
@click.pass_context
def replace_cmd(ctx: click.Context, case: str | None, slate_path: str, withdraw: tuple[str, ...],
                absent: tuple[str, ...], ratified: tuple[str, ...], nominate: tuple[str, ...],
                out: Path | None, no_write: bool, as_json: bool) -> None:
    """Change as few posts as possible after a withdrawal or a late change (UNTOC: rule 31).

    Every other officer stays; the President stays unless the President's State withdrew.

    \b
    Example:
      planner replace --slate outputs/untoc-cop6-2012-slate.xlsx --withdraw Albania
      planner replace --slate my.csv --absent Kenya --ratified "Angola:convention:2012-09-01"
    """
    from planner.consult.rounds import prepare_with, replace, what_if
    from planner.errors import UsageError
    from planner.io.slates import load_slate
    from planner.report.render import ReplaceView

    base, profile, carried = _load_for_slates(case, [slate_path])
    asks = read_asks(base, withdraw=withdraw, absent=absent, ratified=ratified,
                     nominate=nominate, label=lambda name: f"option --{name}")
    gone, absent_states = list(asks.withdraw), list(asks.absent)
    deposits, nominations = list(asks.ratified), list(asks.nominate)
    if not (gone or absent_states or deposits or nominations):
        raise UsageError("say what changed: --withdraw, --absent, --ratified or --nominate")
    current = load_slate(slate_path, base.body, whole=True, known=base.declared,
                         open_seats=profile.open_seats)
    c, said = what_if(base, absent_states, deposits, nominations, gone)
    target = target_path(c, out, no_write, "replace", [slate_path])
    el = prepare_with(c, profile, [current])
    r = replace(el, current, gone)
    options = {"case": str(c.path), "slate": slate_path, "withdraw": gone,
               "absent": absent_states, "ratified": list(ratified), "nominate": list(nominate)}
    emit(ReplaceView(c, options, [*carried, *said, *el.notes], {"status": r.status},
                     "Replacement",
                     el=el, result=r), as_json, target)


@cli.command(name="candidates")
@click.argument("case", required=False)
@click.option("--slate", "slate_path", required=True, help="The current slate (.csv/.xlsx).")
@click.option("--post", "post_text", required=True, help="The seat's post.")
@click.option("--group", "group_text", help="The seat's regional group (for Vice-Presidents).")
@out_options("candidates")
@json_option
@click.pass_context
def candidates_cmd(ctx: click.Context, case: str | None, slate_path: str, post_text: str,
                   group_text: str | None, out: Path | None, no_write: bool,
                   as_json: bool) -> None:
    """Every State that could take one seat with the rest of the slate as it is, best first,
    with what each choice changes in the score and the rules it helps meet.

    \b
    Example:
      planner candidates --slate outputs/untoc-cop6-2012-slate.xlsx --post Rapporteur
      planner candidates --slate my.csv --post Vice-President --group "Eastern European"
    """
    from planner.consult.rounds import candidates, prepare_with, seat_holders, why_nobody
    from planner.errors import UsageError
    from planner.io.slates import load_slate
    from planner.report.render import CandidatesView

    c, profile, said = _load_for_slates(case, [slate_path])
    post = _post(post_text, "--post", c.body)
    group = _group(group_text, "--group", c.body)
    current = load_slate(slate_path, c.body, whole=True, known=c.declared,
                         open_seats=profile.open_seats)
    target = target_path(c, out, no_write, "candidates", [slate_path])
    el = prepare_with(c, profile, [current])
    holders = seat_holders(el, current, post, group)
    if not holders:
        where = f" of the {group}" if group else ""
        raise UsageError(f"the slate has no {post}{where}")
    found = candidates(el, current, post, group)
    options = {"case": str(c.path), "slate": slate_path, "post": post, "group": group or ""}
    emit(CandidatesView(c, options, [*said, *el.notes], {}, "Candidates for a seat", el=el,
                        post=post, group=group, holders=[h.state for h in holders],
                        found=found,
                        why=() if found else why_nobody(el, current, post, group)),
         as_json, target)
