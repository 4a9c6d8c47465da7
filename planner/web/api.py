"""The workspace's JSON API (docs/workspace.md): the board as the nominations stand, a group's
nominations entered or changed, and the log. Every request names its person by
`Authorization: Bearer TOKEN` (never in the address, so never in a log or a Referer); the roles
are the workspace's own (planner.store.workspace), checked on every request.

Status codes: 200 done; 401 no token, or one not known or revoked; 403 the person may not (a
coordinator and another group's nomination); 409 the change was made from an older version
(the current one is said); 422 bad input, every problem listed; 400 a body that is no JSON
object."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from planner.domain.case import Case
from planner.errors import InputError
from planner.store.workspace import Forbidden, Person, Stale, Workspace
from planner.web.consultation import SharedBoard

MAX_BODY = 64 * 1024  # a nomination is a few hundred bytes


def _person(ws: Workspace, request: Request) -> Person | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return ws.who(token.strip())


def _unauthorised() -> Response:
    return JSONResponse({"error": "the token is missing, unknown or revoked",
                         "fix": "send Authorization: Bearer TOKEN, the token of your "
                                "invitation"}, status_code=401,
                        headers={"WWW-Authenticate": "Bearer"})


def api_routes(ws: Workspace, shared: SharedBoard, case: Case,
               off_thread: Callable[..., Awaitable[Any]]) -> list[Route]:
    async def board(request: Request) -> Response:
        if await run_in_threadpool(_person, ws, request) is None:
            return _unauthorised()
        # the board of the workspace's version, built once for everyone who asks
        version, shown = await off_thread(shared.current)
        from planner.domain.rotation import turns
        from planner.report.render import tracker_said

        rows = [dataclasses.asdict(n) for n in await run_in_threadpool(ws.nominations)]
        # whose turn it is, as the election reads it (planner.rules.election), not prepared again
        turn = turns(shown.case, [shown.case.session.number])[0]
        tracked, _words = tracker_said(await run_in_threadpool(ws.tracker, turn))
        rounds = await run_in_threadpool(ws.rounds)
        return JSONResponse({"version": version, "round": rounds[-1].name if rounds else None,
                             "asks": shown.state.query(), "nominations": rows, **tracked,
                             "solve": shown.solve})

    async def nominate(request: Request) -> Response:
        who = await run_in_threadpool(_person, ws, request)
        if who is None:
            return _unauthorised()
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "the request is too large"}, status_code=413)
        try:
            given = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            given = None
        if not isinstance(given, dict):
            return JSONResponse({"error": "the body is not a JSON object",
                                 "fix": 'send {"state": ..., "post": ..., "priority": 1}'},
                                status_code=400)
        problems = []
        fields: dict[str, Any] = {}
        for key, kind, default in (("state", str, None), ("post", str, None),
                                   ("priority", int, 1), ("person", str, ""),
                                   ("version", int, 0), ("withdrawn", bool, False)):
            value = given.get(key, default)
            if value is None or not isinstance(value, kind) or (
                    kind is int and isinstance(value, bool)):
                problems.append({"field": key, "problem": f"{key} is missing or not a "
                                 f"{kind.__name__}"})
            fields[key] = value
        if problems:
            return JSONResponse({"error": "bad input", "problems": problems}, status_code=422)
        try:
            row = await run_in_threadpool(
                ws.nominate, who, fields["state"], fields["post"], fields["priority"],
                fields["person"], case.group_of, fields["version"], fields["withdrawn"])
        except Forbidden as exc:
            return JSONResponse({"error": str(exc)}, status_code=403)
        except Stale as exc:
            return JSONResponse({"error": str(exc), "current_version": exc.current,
                                 "fix": "reload the nominations, then decide"},
                                status_code=409)
        except InputError as exc:
            return JSONResponse({"error": "bad input", "problems": [
                {"field": p.where.file, "problem": p.message, "fix": p.fix}
                for p in exc.problems]}, status_code=422)
        return JSONResponse({"nomination": dataclasses.asdict(row)})

    async def log(request: Request) -> Response:
        if await run_in_threadpool(_person, ws, request) is None:
            return _unauthorised()
        try:
            since = int(request.query_params.get("since", "0"))
        except ValueError:
            return JSONResponse({"error": "since is not a number"}, status_code=422)
        lines = await run_in_threadpool(ws.log, since)
        return JSONResponse({"log": [dataclasses.asdict(x) for x in lines]})

    return [Route("/api/board", board), Route("/api/nominations", nominate, methods=["POST"]),
            Route("/api/log", log)]
