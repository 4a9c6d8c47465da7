"""`planner serve`: the consultation board as a small local web app (Starlette, Jinja2 templates,
plain HTML forms: no front-end build, nothing fetched from the internet).

Safe by default: the CLI binds 127.0.0.1; on another host every request needs the access
token printed at start. Every computation goes through planner.web.board, hence through the same
services and renderers as the command line. An uploaded workbook goes through the same readers
and limits as the CLI, is kept in a folder the server owns, and is named in URLs by an opaque
id: no path from the browser is ever opened. Forms that change the server's state carry a CSRF
token.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from planner.domain.case import Case
from planner.errors import InputError, PlannerError
from planner.limits import MAX_FILE_BYTES
from planner.rules.profile import Profile
from planner.store.workspace import Workspace
from planner.web.guard import CSRF_COOKIE, csrf_for, csrf_ok, same_origin, workbook_response

HERE = Path(__file__).parent
TOKEN_COOKIE = "planner_token"
MAX_UPLOADS = 20  # uploaded cases kept at once; the oldest goes first
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
# boards computed at once: more clicks wait their turn without holding a worker thread, so
# that the page's own files are served at once during a flood of clicks
BUILDS_AT_ONCE = 2
# on every response: no script but the board's own file, no framing, no address sent on
SECURITY_HEADERS = (
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """The security headers on every response the app sends, its errors and files too."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _v in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                   *(h for h in SECURITY_HEADERS
                                                     if h[0] not in names)]}
            await send(message)

        await self.app(scope, receive, with_headers)


@dataclass
class ServerState:
    case: Case
    profile: Profile
    token: str | None  # required on every request where set (a host other than 127.0.0.1)
    uploads: dict[str, tuple[Case, Profile]] = field(default_factory=dict)
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="planner-")))
    # the server's own key: a form's CSRF token is bound to its browser's cookie by it
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def csrf_for(self, cookie: str) -> str:
        return csrf_for(self.secret, cookie)


def create_app(case: Case, profile: Profile, token: str | None = None,
               hosts: Sequence[str] = LOCAL_HOSTS,
               workspace: Workspace | None = None) -> Starlette:
    """The board over a case. hosts: the names the server answers to (those it was started
    with); a request naming another is refused (DNS rebinding). workspace: the consultation's
    shared workspace, whose JSON API (planner.web.api) is then served too."""
    import anyio

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    server = ServerState(case, profile, token)
    builds = anyio.Semaphore(BUILDS_AT_ONCE)
    reads = anyio.Semaphore(1)  # one upload read at a time, each in a bounded process

    async def off_thread(work: Any, *args: Any, **kwargs: Any) -> Any:
        async with builds:  # waiting here holds no thread
            return await run_in_threadpool(work, *args, **kwargs)

    async def built(*args: Any) -> Any:
        from planner.web.board import build

        return await off_thread(build, *args)

    def allowed(request: Request) -> bool:
        if server.token is None:
            return True
        given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE)
        # compared as bytes: any text may be sent, and a str comparison refuses non-ASCII
        return given is not None and secrets.compare_digest(given.encode(),
                                                            server.token.encode())

    GONE = ("the uploaded case this board was for is no longer on the server (it was "
            "restarted, or more than 20 cases were uploaded since): upload the workbook again, "
            "or remove case= from the address for the server's own case")

    def chosen(request: Request) -> tuple[Case, Profile] | None:
        """The board's case: an upload named by case=, else the server's own; None where the
        address names an upload the server no longer holds (never another case in silence)."""
        key = request.query_params.get("case", "")
        if not key:
            return server.case, server.profile
        return server.uploads.get(key)

    def page(request: Request, status_code: int = 200, **context: Any) -> Response:
        cookie = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(16)
        response = templates.TemplateResponse(request, "board.html",
                                              {"csrf": server.csrf_for(cookie), **context},
                                              status_code=status_code)
        response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict")
        return response

    def token_out_of_the_address(request: Request) -> Response | None:
        """The token, once given in the address, becomes a cookie of this browser and leaves
        the address (never bookmarked, sent on or shown again)."""
        if server.token is None or "token" not in request.query_params:
            return None
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        from urllib.parse import urlencode

        query = urlencode(rest)
        response = Response(status_code=303, headers={
            "Location": request.url.path + (f"?{query}" if query else "")})
        response.set_cookie(TOKEN_COOKIE, server.token, httponly=True, samesite="strict")
        return response

    async def board(request: Request) -> Response:
        from planner.web.board import parse_state

        if not allowed(request):
            return PlainTextResponse("the access token is missing or wrong", status_code=403)
        moved = token_out_of_the_address(request)
        if moved is not None:
            return moved
        found = chosen(request)
        if found is None:
            return page(request, board=None, problems=[GONE], case=server.case,
                        profile=server.profile, status_code=404)
        case, profile = found
        params = {k: request.query_params.getlist(k) for k in request.query_params}
        try:
            state = parse_state(params, case, profile.open_seats)
            if "act" in params or "compare_a" in params or any(
                    not v for key in ("ratified", "nominate") for v in params.get(key, [])):
                # a form's click: to the board's own address, which holds its state
                return Response(status_code=303, headers={"Location": "/" + state.query()})
            # in a worker thread: a slow board does not hold up the server's other requests
            shown = await built(case, profile, state)
        except InputError as exc:
            return page(request, board=None, problems=[str(p) for p in exc.problems],
                        case=case, profile=profile, status_code=400)
        return page(request, board=shown, problems=[], case=case, profile=profile)

    async def pack(request: Request) -> Response:
        """The consultation pack for the board as it stands, with its case inside."""
        from planner.report.render import write_book
        from planner.web.board import parse_state

        if not allowed(request):
            return PlainTextResponse("the access token is missing or wrong", status_code=403)
        moved = token_out_of_the_address(request)
        if moved is not None:
            return moved
        found = chosen(request)
        if found is None:
            return PlainTextResponse(GONE, status_code=404)
        case, profile = found
        params = {k: request.query_params.getlist(k) for k in request.query_params}
        try:
            shown = await built(case, profile, parse_state(params, case, profile.open_seats))
        except InputError as exc:
            return PlainTextResponse("\n".join(str(p) for p in exc.problems), status_code=400)
        view = shown.pack  # the board's own solve renderer: nothing computed again
        target = server.folder / f"pack-{secrets.token_hex(8)}.xlsx"

        def written() -> bytes:
            try:
                write_book(target, view.sheets(), view.case, view.options, view.notes,
                           view.solver, "Proposed bureau", "", view.carried_profile())
                return target.read_bytes()
            finally:
                target.unlink(missing_ok=True)

        data = await run_in_threadpool(written)
        # the case's own name (an upload's as it was sent), in any script (RFC 6266)
        name = "".join(c for c in case.name if c.isprintable() and c not in '"\\/') or "case"
        return workbook_response(data, f"{name}-board.xlsx")

    async def upload(request: Request) -> Response:
        """A case workbook from the browser, read with the CLI's readers and limits, in a
        process of its own bounded in time and memory; the file is removed once read."""
        from planner.web.isolated import read_upload

        if not allowed(request):
            return PlainTextResponse("the access token is missing or wrong", status_code=403)
        declared = request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > MAX_FILE_BYTES + 64 * 1024:
            # refused before anything is read or spooled to disk
            return PlainTextResponse(f"the upload is more than the {MAX_FILE_BYTES // 2**20} MiB "
                                     "an input may have (or says no size)", status_code=413)
        if not same_origin(request):
            return PlainTextResponse("the form was not sent from the board's own page (its "
                                     "Origin is missing or another site's): reload the page",
                                     status_code=403)
        form = await request.form(max_files=1, max_fields=10)
        if not csrf_ok(server.secret, request, form.get("csrf")):
            return PlainTextResponse("the form is stale or forged (CSRF check failed): reload "
                                     "the page", status_code=403)
        item = form.get("workbook")
        problems: list[str] = []
        if item is None or isinstance(item, str):
            problems.append("choose a case workbook (.xlsx) to upload")
        else:
            data = await item.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                problems.append(f"the file is more than the {MAX_FILE_BYTES // 2**20} MiB an "
                                "input may have")
            else:
                key = secrets.token_hex(8)
                # the server's name, never the browser's, in a folder of its own: a file the
                # case names is looked for beside it, where nothing else is
                (server.folder / key).mkdir()
                path = server.folder / key / f"{key}.xlsx"
                path.write_bytes(data)
                shown_name = "".join(c for c in (item.filename or "the workbook")
                                     if c.isprintable())[:80]
                try:
                    async with reads:
                        loaded = await run_in_threadpool(read_upload, path)
                except PlannerError as exc:
                    said = ([str(p) for p in exc.problems]
                            if isinstance(exc, InputError) else [str(exc)])
                    # the file's own name, not where the server keeps it
                    problems += [p.replace(str(path), shown_name) for p in said]
                else:
                    server.uploads[key] = _as_sent(loaded, path, shown_name)
                    while len(server.uploads) > MAX_UPLOADS:
                        del server.uploads[next(iter(server.uploads))]
                    return Response(status_code=303, headers={"Location": f"/?case={key}"})
                finally:
                    path.unlink(missing_ok=True)  # read once: nothing kept on disk
                    path.parent.rmdir()
        case, profile = server.case, server.profile
        return page(request, board=None, problems=problems, case=case, profile=profile,
                    status_code=400)

    routes = [
        Route("/", board),
        Route("/pack", pack),
        Route("/upload", upload, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    if workspace is not None:
        from planner.web.api import api_routes
        from planner.web.consultation import SharedBoard
        from planner.web.wspages import workspace_pages

        shared = SharedBoard(workspace, case, profile)
        routes += api_routes(workspace, shared, case, off_thread)
        routes += workspace_pages(workspace, shared, case, profile, templates, server.secret,
                                  off_thread)
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        import shutil

        # the uploads go with the server
        shutil.rmtree(server.folder, ignore_errors=True)

    # only the names the server was started with: a page elsewhere cannot reach the board
    # through a name it points at this machine (DNS rebinding); the token guards the rest
    middleware = [Middleware(SecurityHeaders),
                  Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.server = server
    return app


def _as_sent(loaded: tuple[Case, Profile], path: Path, shown: str) -> tuple[Case, Profile]:
    """An uploaded case named as the browser sent it: its workbooks and their Run info never
    show where the server keeps the file."""
    import dataclasses

    case, profile = loaded
    files = tuple(dataclasses.replace(f, path=f.path.replace(str(path), shown))
                  for f in case.files)
    return dataclasses.replace(case, name=Path(shown).stem or "uploaded", path=Path(shown),
                               files=files), profile
