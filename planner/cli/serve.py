"""`planner serve`: the consultation board in the browser."""

from __future__ import annotations

import click

from planner.cli.common import _load, cli


@cli.command(name="serve")
@click.argument("case", required=False)
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Where to listen; another host than 127.0.0.1 needs the printed token.")
@click.option("--open", "open_browser", is_flag=True, help="Open the board in the browser.")
@click.option("--workspace", "workspace", metavar="FILE_OR_URL",
              help="Serve this shared workspace too: its pages at /ws, where each person "
                   "joins by their invitation, and its JSON API (planner workspace init makes "
                   "one); its case is the board's.")
def serve_cmd(case: str | None, port: int, host: str, open_browser: bool,
              workspace: str | None) -> None:
    """A consultation board over a case: fix, exclude, mark absent, add a ratification or a
    nomination, and see the best slate, the exact counts and the rule check change.

    \b
    Example:
      planner serve
      planner serve inputs/untoc-cop1-2004 --open
    """
    import secrets
    import webbrowser

    from planner.errors import UsageError
    from planner.web.app import create_app
    from planner.web.serving import bound_socket, host_names, run

    shared = None
    if workspace is not None:
        from planner.store.workspace import Workspace

        shared, c, profile = Workspace.open_with_case(workspace)
    else:
        c, profile = _load(case)
    local = host in ("127.0.0.1", "localhost", "::1")
    token = None if local else secrets.token_urlsafe(24)
    try:
        sock = bound_socket(host, port)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise UsageError(f"cannot listen on {host} port {port}: {reason} (another program may "
                         "be using the port: choose another --port; or give a --host of this "
                         "machine)") from None
    app = create_app(c, profile, token, hosts=host_names(host), workspace=shared)
    shown = "127.0.0.1" if local else ("THIS-MACHINE" if host in ("0.0.0.0", "::") else host)
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"The board: {url}  (Ctrl-C stops the server)", err=True)
    if shared is not None:
        click.echo(f"The workspace's shared board: http://{shown}:{port}/ws; each person "
                   f"joins by their invitation's link, http://{shown}:{port}/join#TOKEN "
                   "(planner workspace invite prints it)", err=True)
    if shown == "THIS-MACHINE":
        click.echo("Put this machine's address in place of THIS-MACHINE.", err=True)
    if open_browser:
        webbrowser.open(url)
    run(app, sock)
