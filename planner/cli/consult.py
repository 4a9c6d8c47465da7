"""Consultation commands: alternatives, room, compare, replace, candidates.

Options in, library calls, text or JSON out, exit codes; heavy imports inside the commands.
"""

from __future__ import annotations

import sys
import time
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
    csv_option,
    echo_conflicts,
    echo_notes,
    json_option,
    out_options,
    state_args,
    target_path,
    write_csvs,
    write_with_info,
)

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


def _short(spec: Body) -> Callable[[str], str]:
    return lambda g: spec.group(g).short if g in spec.group_names else g


def _fixes(values: tuple[str, ...], spec: Body) -> list[tuple[str, str]]:
    out = []
    for value in values:
        post, sep, state = value.partition("=")
        if not sep:
            raise click.BadParameter(f"{value!r} is not POST=STATE", param_hint="--fix")
        out.append((state_args([state.strip()], "--fix")[0], _post(post.strip(), "--fix", spec)))
    return out


@cli.command(name="alternatives")
@click.argument("case", required=False)
@click.option("-k", "k", type=click.IntRange(1, 100_000), default=5, show_default=True,
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
    from planner.report.workbook import (
        SheetData,
        scores_frame,
        side_by_side,
        side_by_side_style,
        slate_json,
        slates_frame,
        table_text,
    )
    from planner.rules.base import score
    from planner.rules.election import prepare

    c, profile = _load(case)
    fixed = _fixes(fix, c.body)
    excluded = state_args(exclude, "--exclude")
    group = _group(vary, "--vary", c.body)
    target = target_path(c, out, no_write, "alternatives")
    el = prepare(c, profile, extra_states=frozenset(s for s, _p in fixed))
    progress = _Progress("slates")
    result = alternatives(el, k, fixed, excluded, group, progress=progress)
    progress.close()
    names = [str(i) for i in range(1, len(result.slates) + 1)]
    options = {"case": str(c.path), "k": k, "fix": list(fix), "exclude": excluded,
               "vary": group or "", "out": str(target or "")}
    code = EXIT_OK if result.status == "solved" else EXIT_NO_SLATE
    if (target is not None or csv_dir is not None) and result.slates:
        grid, changed = side_by_side(el, result.slates, [f"slate {n}" for n in names])
        sheets = [
            SheetData("Slates", slates_frame(el, result.slates, names)),
            SheetData("Side by side", grid, side_by_side_style(el, result.slates, changed)),
            SheetData("Scores", scores_frame(el, result.slates, names)),
        ]
    else:
        from planner.report.workbook import conflicts_frame

        sheets = [SheetData("Conflicts", conflicts_frame(result.conflicts))]
    write_with_info(target, sheets, c, options, el.notes,
                    {"status": result.status, "method": result.method}, "Alternative slates")
    write_csvs(csv_dir, sheets, c)
    if as_json:
        _emit_json({
            "status": result.status,
            "slates": [{"rank": i, "slate": slate_json(el, s), "score": score(el, s)}
                       for i, s in enumerate(result.slates, start=1)],
            "conflicts": conflicts_json(result.conflicts),
            "method": result.method,
            "assumptions": list(el.notes),
        })
        ctx.exit(code)
    if not result.slates:
        echo_conflicts(result.conflicts)
    else:
        grid, changed = side_by_side(el, result.slates, names)
        grid["group"] = grid["group"].map(_short(c.body))
        grid.insert(0, "", ["*" if f else "" for f in changed])
        click.echo(table_text(grid, ["", "group", "post", *names], limit=24))
        click.echo("\n" + table_text(scores_frame(el, result.slates, names),
                                     ["slate", *score(el, result.slates[0]).keys()]))
        click.echo("\n* marks the posts where the slates differ. Preferences, in order: "
                   "nomination_priority (lower is better), protocol_seat_all and "
                   "all_instruments_count (higher), tie_break (lower).")
        if len(result.slates) < k:
            click.echo(f"Only {len(result.slates)} valid slate(s) exist.")
    echo_notes(el.notes, c.warnings)
    ctx.exit(code)


@cli.command(name="room")
@click.argument("case", required=False)
@out_options("room")
@json_option
@click.pass_context
def room_cmd(ctx: click.Context, case: str | None, out: Path | None, no_write: bool,
             as_json: bool) -> None:
    """How much room each group has: valid pairs, who can hold which seat, and the exact
    number of valid slates (counted, not listed).

    \b
    Example:
      planner room
      planner room untoc-cop1-2004 --json
    """
    import pandas as pd

    from planner.consult.rounds import room
    from planner.report.workbook import SheetData
    from planner.rules.base import listing
    from planner.rules.election import prepare

    c, profile = _load(case)
    target = target_path(c, out, no_write, "room")
    el = prepare(c, profile)
    r = room(el)
    from planner.rules.kinds import CONDITIONS

    frame = pd.DataFrame([
        {"group": g.group, "valid pairs": g.sets if r.total is not None else "",
         "options": g.options if r.total is not None else "",
         "States in some valid slate": len(g.states),
         **{CONDITIONS[k]: ", ".join(v) for k, v in g.standing.items()},
         **{post: ", ".join(v) for post, v in g.single_posts.items()},
         "in every valid slate": ", ".join(g.in_every_pair)}
        for g in r.groups
    ])
    pairs = pd.DataFrame([{"group": g.group, "officers": ", ".join(p)}
                          for g in r.groups for p in g.pairs]
                         + [{"group": g.group, "officers": f"{g.sets:,} sets, counted by kind "
                             "of State (States no rule tells apart), not listed"}
                            for g in r.groups if g.sets and not g.pairs])
    options = {"case": str(c.path), "out": str(target or ""), "profile": profile.name}
    counted = (f"valid slates in all: {r.total}" if r.total is not None
               else f"valid slates not counted exactly: {r.not_exact}")
    write_with_info(target, [SheetData("Room", frame), SheetData("Pairs", pairs)], c, options,
                    [*el.notes, counted])
    code = EXIT_OK if (r.total if r.total is not None else r.groups) else EXIT_NO_SLATE
    if as_json:
        _emit_json({
            "profile": profile.name,
            "total_slates": r.total,
            "exact": r.total is not None,
            "not_exact_because": r.not_exact or None,
            "groups": [{"group": g.group, "valid_pairs": g.sets, "options": g.options,
                        "states": list(g.states),
                        "standing": {k: list(v) for k, v in g.standing.items()},
                        "single_posts": {k: list(v) for k, v in g.single_posts.items()},
                        "in_every_pair": list(g.in_every_pair),
                        "pairs": [list(p) for p in g.pairs],
                        "pairs_listed": bool(g.pairs) or not g.sets} for g in r.groups],
            "conflicts": conflicts_json(r.conflicts),
            "assumptions": list(el.notes),
        })
        ctx.exit(code)
    if r.total is not None:
        several = [f"{p.name}s" for p in c.body.posts if p.count > 1]
        unordered = f" ({' and '.join(several)} unordered)" if several else ""
        click.echo(f"Valid slates in all: {r.total:,}{unordered}\n")
    else:
        click.echo(f"Valid slates in all: not counted exactly ({r.not_exact}); who can sit was "
                   "asked of the model one question at a time.\n")
    for g in r.groups:
        if r.total is not None:
            line = f"{g.group}: {g.sets:,} valid set(s) of officers of {len(g.states)} State(s)"
        else:
            line = f"{g.group}: {len(g.states)} State(s) can sit"
        if g.in_every_pair:
            line += f"; all need {listing(list(g.in_every_pair))}"
        click.echo(line)
        for post, holders in g.single_posts.items():
            if holders:
                click.echo(f"    {post}: {listing(list(holders))}")
        for k, v in g.standing.items():
            click.echo(f"    {CONDITIONS[k]}: {listing(list(v))}")
    if r.conflicts:
        click.echo("")
        echo_conflicts(r.conflicts)
    echo_notes(el.notes, c.warnings)
    ctx.exit(code)


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
    import pandas as pd

    from planner.consult.rounds import prepare_with
    from planner.errors import UsageError
    from planner.io.slates import load_slates
    from planner.report.workbook import (
        SheetData,
        differences,
        labels,
        scores_frame,
        side_by_side,
        side_by_side_style,
        slate_json,
        table_text,
    )
    from planner.rules.base import check, score

    c, profile = _load(case)
    target = target_path(c, out, no_write, "compare")
    loaded = [item for path in slates for item in load_slates(path, c.body, whole=True)]
    if len(loaded) < 2:
        raise UsageError("compare needs two or more slates (files, or a workbook with several)")
    names = labels(len(loaded))
    lists = [s for _label, s in loaded]
    el = prepare_with(c, profile, lists)
    grid, changed = side_by_side(el, lists, names)
    diffs = differences(el, lists, names)
    legend = pd.DataFrame({"slate": names, "from": [label for label, _s in loaded]})
    options = {"case": str(c.path), "slates": list(slates), "out": str(target or "")}
    write_with_info(target, [
        SheetData("Comparison", grid, side_by_side_style(el, lists, changed)),
        SheetData("Differences", pd.DataFrame({"difference": diffs})),
        SheetData("Checks", scores_frame(el, lists, names)),
        SheetData("Slates", legend),
    ], c, options, el.notes)
    if as_json:
        _emit_json({
            "slates": [{"label": n, "from": label, "slate": slate_json(el, s),
                        "valid": all(o.passed for o in check(el, s)), "score": score(el, s)}
                       for n, (label, s) in zip(names, loaded, strict=True)],
            "differences": diffs,
        })
        ctx.exit(EXIT_OK)
    for n, (label, _s) in zip(names, loaded, strict=True):
        click.echo(f"{n}: {label}")
    grid["group"] = grid["group"].map(_short(c.body))
    grid.insert(0, "", ["*" if f else "" for f in changed])
    click.echo("\n" + table_text(grid, ["", "group", "post", *names], limit=28))
    click.echo("\n" + table_text(scores_frame(el, lists, names),
                                 ["slate", *score(el, lists[0]).keys(), "rule check"]))
    click.echo("\nDifferences:" if diffs else "\nThe slates hold the same States in the same "
               "posts.")
    for d in diffs:
        click.echo(f"  - {d}")
    ctx.exit(EXIT_OK)


def _what_ifs(absent: tuple[str, ...], ratified: tuple[str, ...], nominate: tuple[str, ...],
              spec: Body
              ) -> tuple[list[str], list[tuple[str, str, Any]], list[tuple[str, str]]]:
    from planner.io.dates import DATE_FIX, DateError, parse_date

    gone = state_args(absent, "--absent")
    deposits = []
    for value in ratified:
        parts = value.split(":")
        if len(parts) != 3:
            raise click.BadParameter(f"{value!r} is not STATE:INSTRUMENT:DATE",
                                     param_hint="--ratified")
        try:
            date = parse_date(parts[2])
        except DateError as exc:
            raise click.BadParameter(f"{exc} ({DATE_FIX})", param_hint="--ratified") from None
        deposits.append((state_args([parts[0]], "--ratified")[0], parts[1].strip(), date))
    nominations = []
    for value in nominate:
        state, sep, post = value.rpartition(":")
        if not sep:
            raise click.BadParameter(f"{value!r} is not STATE:POST", param_hint="--nominate")
        nominations.append((state_args([state], "--nominate")[0], _post(post, "--nominate", spec)))
    return gone, deposits, nominations


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
    import pandas as pd

    from planner.consult.rounds import prepare_with, replace, what_if
    from planner.errors import UsageError
    from planner.io.slates import load_slate
    from planner.report.workbook import (
        SheetData,
        outcomes_frame,
        slate_frame,
        slate_json,
        table_text,
    )
    from planner.rules.base import check

    base, profile = _load(case)
    gone = state_args(withdraw, "--withdraw")
    absent_states, deposits, nominations = _what_ifs(absent, ratified, nominate, base.body)
    if not (gone or absent_states or deposits or nominations):
        raise UsageError("say what changed: --withdraw, --absent, --ratified or --nominate")
    ids = {i.id for i in base.instruments}
    for _s, instrument, _d in deposits:
        if instrument not in ids:
            raise click.BadParameter(f"unknown instrument {instrument!r}; use one of: "
                                     + ", ".join(sorted(ids)), param_hint="--ratified")
    current = load_slate(slate_path, base.body, whole=True)
    c, said = what_if(base, absent_states, deposits, nominations, gone)
    target = target_path(c, out, no_write, "replace")
    el = prepare_with(c, profile, [current])
    r = replace(el, current, gone)
    notes = [*said, *el.notes]
    changes = pd.DataFrame([{"post": x.post, "group": x.group, "before": x.before,
                             "after": x.after, "why": x.reason} for x in r.changes],
                           columns=["post", "group", "before", "after", "why"])
    options = {"case": str(c.path), "slate": slate_path, "withdraw": gone,
               "absent": absent_states, "ratified": list(ratified), "nominate": list(nominate)}
    if r.status == "solved":
        sheets = [SheetData("Slate", slate_frame(el, r.slate)), SheetData("Changes", changes),
                  SheetData("Rule check", outcomes_frame(check(el, r.slate)))]
    else:
        from planner.report.workbook import conflicts_frame

        sheets = [SheetData("Conflicts", conflicts_frame(r.conflicts))]
    write_with_info(target, sheets, c, options, notes, {"status": r.status})
    code = EXIT_OK if r.status == "solved" else EXIT_NO_SLATE
    if as_json:
        _emit_json({
            "status": r.status,
            "slate": slate_json(el, r.slate),
            "changes": changes.to_dict(orient="records"),
            "conflicts": conflicts_json(r.conflicts),
            "assumptions": notes,
        })
        ctx.exit(code)
    if r.status != "solved":
        echo_conflicts(r.conflicts)
    else:
        n = len([x for x in r.changes if x.before])
        click.echo(f"{n} post(s) change hands:")
        for x in r.changes:
            click.echo(f"  - {x.post} ({x.group}): {x.before or 'nobody'} -> "
                       f"{x.after or 'nobody'}: {x.reason}")
        click.echo("\n" + table_text(slate_frame(el, r.slate), ["post", "state", "group"]))
    echo_notes(notes, c.warnings)
    ctx.exit(code)


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
    import pandas as pd

    from planner.consult.rounds import candidates, prepare_with, seat_holders
    from planner.errors import UsageError
    from planner.io.slates import load_slate
    from planner.report.workbook import SheetData, table_text

    c, profile = _load(case)
    post = _post(post_text, "--post", c.body)
    group = _group(group_text, "--group", c.body)
    current = load_slate(slate_path, c.body, whole=True)
    target = target_path(c, out, no_write, "candidates")
    el = prepare_with(c, profile, [current])
    holders = seat_holders(el, current, post, group)
    if not holders:
        where = f" of the {group}" if group else ""
        raise UsageError(f"the slate has no {post}{where}")
    found = candidates(el, current, post, group)
    frame = pd.DataFrame([
        {"rank": i, "state": x.state, "group": el.group(x.state) or "", "replaces": x.replaces,
         **{f"change in {k}": v for k, v in x.change.items()}, "relies on": "; ".join(x.relies_on)}
        for i, x in enumerate(found, start=1)
    ])
    options = {"case": str(c.path), "slate": slate_path, "post": post, "group": group or ""}
    write_with_info(target, [SheetData("Candidates", frame)], c, options, el.notes)
    if as_json:
        _emit_json({
            "post": post, "group": group,
            "candidates": [{"rank": i, "state": x.state, "replaces": x.replaces,
                            "score": x.score, "change": x.change,
                            "relies_on": list(x.relies_on)}
                           for i, x in enumerate(found, start=1)],
        })
        ctx.exit(EXIT_OK if found else EXIT_NO_SLATE)
    seat = f"{post}" + (f" ({group})" if group else "")
    if not found:
        click.echo(f"Nobody can take the {seat} seat with the rest of the slate as it is "
                   f"(held now by {', '.join(h.state for h in holders)}).")
        ctx.exit(EXIT_NO_SLATE)
    click.echo(f"{len(found)} State(s) could take the {seat} seat, best first:")
    click.echo(table_text(frame, ["rank", "state", "replaces", "relies on"], limit=70))
    echo_notes(el.notes)
    ctx.exit(EXIT_OK)
