"""planner workspace: the shared workspace of a consultation, set up and kept from the command
line of the machine that holds it (the secretariat's)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from planner.cli.common import _load, cli, json_option, say

if TYPE_CHECKING:
    from planner.store.workspace import Workspace

TARGET = click.argument("target", metavar="FILE_OR_URL")


@cli.group(name="workspace")
def workspace_group() -> None:
    """A shared workspace for the secretariat and each group's coordinator, in a database
    (a SQLite file, or PostgreSQL given its URL)."""


def _opened(target: str) -> Workspace:
    from planner.store.workspace import Workspace

    return Workspace.open_with_case(target)[0]


def _say_token(who: str, token: str) -> None:
    # the token goes to the terminal once, after a '#': a link's fragment is never sent to a
    # server, so it stays out of logs and Referer headers
    click.echo(f"{who}'s token (shown once; keep it secret): {token}")
    click.echo("Their link, once planner serve --workspace serves it (HOST:PORT as it says): "
               f"http://HOST:PORT/join#{token}")


@workspace_group.command(name="init")
@TARGET
@click.option("--case", "case", help="The case the consultation is about (a folder, workbook "
              "or shipped case; the profile's own case without it).")
@click.option("--name", required=True, help="The secretariat's name, as the log shows it.")
def init_cmd(target: str, case: str | None, name: str) -> None:
    """Set up a workspace for a case; the secretariat's token is printed once.

    \b
    Example:
      planner workspace init outputs/cop7.sqlite --case untoc-cop6-2012 --name "UNODC secretariat"
    """
    from planner.rules.profile import shipped_profiles
    from planner.store.workspace import Workspace

    c, profile = _load(case)
    # a shipped profile by its name, another by its file, wherever the workspace is opened from
    kept = (profile.name if profile.name in shipped_profiles() and profile.path == profile.name
            else str(Path(profile.path).resolve()))
    _ws, token = Workspace.create(target, profile.body, str(c.path.resolve()), kept, name)
    click.echo(f"Workspace set up in {target} for {c.name}.", err=True)
    _say_token(name, token)


@workspace_group.command(name="invite")
@TARGET
@click.option("--group", required=True, help="The regional group the coordinator speaks for.")
@click.option("--name", required=True, help="The coordinator's name, as the log shows it.")
def invite_cmd(target: str, group: str, name: str) -> None:
    """Invite a group's coordinator: their token is printed once.

    \b
    Example:
      planner workspace invite outputs/cop7.sqlite --group "African States" --name "Kenya (AG)"
    """
    ws = _opened(target)
    _say_token(name, ws.invite(None, name, group))


@workspace_group.command(name="revoke")
@TARGET
@click.option("--name", required=True, help="Whose token to revoke.")
def revoke_cmd(target: str, name: str) -> None:
    """Revoke a person's token: it opens nothing from now on."""
    _opened(target).revoke(None, name)
    click.echo(f"{name}'s token is revoked.", err=True)


@workspace_group.command(name="people")
@TARGET
@json_option
def people_cmd(target: str, as_json: bool) -> None:
    """Who is in the workspace, in which role (never their tokens)."""
    from planner.report.render import people_said

    say(people_said(_opened(target).people()), as_json)


@workspace_group.command(name="log")
@TARGET
@json_option
def log_cmd(target: str, as_json: bool) -> None:
    """Every change, in order: who, when, what."""
    from planner.report.render import log_said

    say(log_said(_opened(target).log()), as_json)


@workspace_group.command(name="deadline")
@TARGET
@click.option("--at", "at", required=True, help="When the nominations are due, ISO with a time "
              "zone (2026-12-10T18:00+01:00; without one, UTC).")
def deadline_cmd(target: str, at: str) -> None:
    """Set when the groups' nominations are due: after it, a missing one is late."""
    import datetime as dt

    from planner.errors import UsageError

    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        raise UsageError(f"--at {at!r} is not a date and time: write 2026-12-10T18:00+01:00"
                         ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    _opened(target).set_deadline(None, when)
    click.echo(f"Nominations are due {when.isoformat(timespec='minutes')}.", err=True)


@workspace_group.command(name="tracker")
@TARGET
@json_option
def tracker_cmd(target: str, as_json: bool) -> None:
    """Per group and post: the nominations received, pending, or late after the deadline."""
    from planner.domain.rotation import turns
    from planner.report.render import tracker_said
    from planner.store.workspace import Workspace

    ws, case, _profile = Workspace.open_with_case(target)
    say(tracker_said(ws.tracker(turns(case, [case.session.number])[0])), as_json)


@workspace_group.command(name="round")
@TARGET
@click.option("--name", required=True, help="The round's name (Round 1, say).")
def round_cmd(target: str, name: str) -> None:
    """Save a round: the best slate as the nominations stand, its score and rule check, named
    and dated, at the log's last line."""
    import time

    from planner.store.workspace import Workspace
    from planner.web.consultation import SharedBoard, take_round

    started = time.perf_counter()
    saved = take_round(SharedBoard(*Workspace.open_with_case(target)), name)
    click.echo(f"{saved.name} saved at {saved.at} (log line {saved.log_id}), in "
               f"{time.perf_counter() - started:.2f} s.", err=True)


@workspace_group.command(name="rounds")
@TARGET
@json_option
def rounds_cmd(target: str, as_json: bool) -> None:
    """The rounds saved, oldest first, each with its snapshot."""
    from planner.report.render import rounds_said

    say(rounds_said(_opened(target).rounds()), as_json)


@workspace_group.command(name="compare")
@TARGET
@click.argument("first")
@click.argument("second")
@json_option
def compare_cmd(target: str, first: str, second: str, as_json: bool) -> None:
    """Two rounds side by side: who holds each seat in each, the changes marked."""
    from planner.report.render import rounds_compared

    say(rounds_compared(*_opened(target).rounds_named(first, second)), as_json)


@workspace_group.command(name="restore")
@TARGET
@click.argument("round_name", metavar="ROUND")
@click.option("--name", required=True, help="The new round's name.")
def restore_cmd(target: str, round_name: str, name: str) -> None:
    """Put back the nominations and asks a round was taken with (each change logged), and
    save them as a new round."""
    from planner.store.workspace import Workspace
    from planner.web.consultation import SharedBoard, restore_round

    saved = restore_round(SharedBoard(*Workspace.open_with_case(target)), round_name, name,
                          None)
    click.echo(f"{round_name} restored as {saved.name} (log line {saved.log_id}).", err=True)


@workspace_group.command(name="pack")
@TARGET
@click.argument("round_name", metavar="ROUND")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The workbook to write (.xlsx).")
def pack_cmd(target: str, round_name: str, out: Path) -> None:
    """A round's consultation pack: its board's solve workbook, the case inside as the
    nominations stood, and the log up to the round (planner check reads it)."""
    from planner.store.workspace import Workspace
    from planner.web.consultation import write_round_pack

    ws, case, profile = Workspace.open_with_case(target)
    (taken,) = ws.rounds_named(round_name)
    write_round_pack(ws, case, profile, taken, out)
    click.echo(f"Written: {out}", err=True)


@workspace_group.command(name="draw")
@TARGET
@click.option("--for", "what", required=True, help="What the drawing decides (the President's "
              "seat, say).")
@click.option("--among", multiple=True, required=True, help="A name drawn from; repeat it for "
              "each (their order plays no part).")
@click.option("--seed", default="", help="The seed, if agreed beforehand; else one is made and "
              "logged.")
@json_option
def draw_cmd(target: str, what: str, among: tuple[str, ...], seed: str, as_json: bool) -> None:
    """Draw lots where the body decides by lot between equally good choices: the names, the
    seed, the order and the result are logged, and anyone can repeat the drawing from the
    log (planner workspace draws)."""
    from planner.report.render import draws_said

    drawn = _opened(target).draw(None, what, list(among), seed)
    say(draws_said([(drawn, True)]), as_json)


@workspace_group.command(name="draws")
@TARGET
@json_option
def draws_cmd(target: str, as_json: bool) -> None:
    """Every drawing of lots in the log, each repeated from what the log holds."""
    from planner.errors import PlannerError
    from planner.report.render import draws_said

    found = _opened(target).draws()
    say(draws_said(found), as_json)
    if not all(ok for _d, ok in found):
        raise PlannerError("a drawing in the log does not repeat: its line was not written by "
                           "this planner, or the log was tampered with")
