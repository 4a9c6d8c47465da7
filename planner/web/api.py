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
from planner.store.workspace import SECRETARIAT, Forbidden, Person, Round, Stale, Workspace
from planner.web.consultation import SharedBoard, restore_round, take_round
from planner.web.consultation import asked as asked_state

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
                             "asks": shown.state.query(),
                             "asks_version": await run_in_threadpool(ws.asks_version),
                             "nominations": rows, **tracked,
                             "solve": shown.solve})

    async def body_of(request: Request) -> tuple[Person, dict[str, Any]] | Response:
        """The person and the JSON object of a request that changes something, or the
        refusal (401, 413, 400)."""
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
            return JSONResponse({"error": "the body is not a JSON object"}, status_code=400)
        return who, given

    def fields(given: dict[str, Any], *spec: tuple[str, type, Any]) -> dict[str, Any] | Response:
        problems, out = [], {}
        for key, kind, default in spec:
            value = given.get(key, default)
            ok = value is not None and (isinstance(value, kind) and not (
                kind is int and isinstance(value, bool)) if kind is not list else (
                isinstance(value, list) and all(isinstance(v, str) for v in value)))
            if not ok:
                problems.append({"field": key, "problem": f"{key} is missing or not a "
                                 f"{'list of strings' if kind is list else kind.__name__}"})
            out[key] = value
        if problems:
            return JSONResponse({"error": "bad input", "problems": problems}, status_code=422)
        return out

    async def done(work: Callable[[], Any]) -> Response:
        """A change made, or refused with the status code of its refusal."""
        try:
            result = await off_thread(work)
        except Forbidden as exc:
            return JSONResponse({"error": str(exc)}, status_code=403)
        except Stale as exc:
            return JSONResponse({"error": str(exc), "current_version": exc.current,
                                 "fix": "reload, then decide"}, status_code=409)
        except InputError as exc:
            return JSONResponse({"error": "bad input", "problems": [
                {"field": p.where.file, "problem": p.message, "fix": p.fix}
                for p in exc.problems]}, status_code=422)
        return JSONResponse(result)

    async def version(request: Request) -> Response:
        if await run_in_threadpool(_person, ws, request) is None:
            return _unauthorised()
        return JSONResponse({"version": await run_in_threadpool(ws.version)})

    async def rounds(request: Request) -> Response:
        from planner.report.render import rounds_said

        if request.method == "GET":
            if await run_in_threadpool(_person, ws, request) is None:
                return _unauthorised()
            return JSONResponse(rounds_said(await run_in_threadpool(ws.rounds))[0])
        found = await body_of(request)
        if isinstance(found, Response):
            return found
        who, given = found
        asked = fields(given, ("name", str, None))
        if isinstance(asked, Response):
            return asked
        return await done(lambda: _round(take_round(shared, asked["name"], who)))

    async def restore(request: Request) -> Response:
        found = await body_of(request)
        if isinstance(found, Response):
            return found
        who, given = found
        asked = fields(given, ("round", str, None), ("name", str, None), ("version", int, 0))
        if isinstance(asked, Response):
            return asked
        return await done(lambda: _round(restore_round(shared, asked["round"], asked["name"],
                                                       who, asked["version"])))

    async def draws(request: Request) -> Response:
        from planner.report.render import draws_said

        if request.method == "GET":
            if await run_in_threadpool(_person, ws, request) is None:
                return _unauthorised()
            return JSONResponse(draws_said(await run_in_threadpool(ws.draws))[0])
        found = await body_of(request)
        if isinstance(found, Response):
            return found
        who, given = found
        asked = fields(given, ("for", str, None), ("among", list, None), ("seed", str, ""))
        if isinstance(asked, Response):
            return asked
        return await done(lambda: draws_said([(ws.draw(who, asked["for"], asked["among"],
                                                       asked["seed"]), True)])[0])

    async def asks(request: Request) -> Response:
        found = await body_of(request)
        if isinstance(found, Response):
            return found
        who, given = found
        asked = fields(given, ("fix", list, []), ("exclude", list, []), ("absent", list, []),
                       ("ratified", list, []), ("version", int, None))
        if isinstance(asked, Response):
            return asked

        def act() -> dict[str, Any]:
            from urllib.parse import urlencode

            if who.role != SECRETARIAT:
                raise Forbidden("only the secretariat fixes, leaves out or supposes")
            query = urlencode([(k, v) for k in ("fix", "exclude", "absent", "ratified")
                               for v in asked[k]])
            nominated = ws.case_with_nominations(case)
            state = asked_state(nominated, shared.profile, query)
            ws.set_asks(who, state.query(), asked["version"])
            return {"asks": state.query(), "asks_version": ws.asks_version(),
                    "version": ws.version()}

        return await done(act)

    async def pack(request: Request) -> Response:
        from planner.web.consultation import round_pack_bytes
        from planner.web.guard import workbook_response

        if await run_in_threadpool(_person, ws, request) is None:
            return _unauthorised()
        try:
            (taken,) = await run_in_threadpool(ws.rounds_named,
                                               request.query_params.get("round", ""))
        except InputError as exc:
            return JSONResponse({"error": "; ".join(p.message for p in exc.problems)},
                                status_code=404)

        data = await off_thread(round_pack_bytes, ws, case, shared.profile, taken)
        return workbook_response(data, f"{taken.name}.xlsx")

    async def nominate(request: Request) -> Response:
        found = await body_of(request)
        if isinstance(found, Response):
            return found
        who, given = found
        asked = fields(given, ("state", str, None), ("post", str, None), ("priority", int, 1),
                       ("person", str, ""), ("version", int, 0), ("withdrawn", bool, False))
        if isinstance(asked, Response):
            return asked
        return await done(lambda: {"nomination": dataclasses.asdict(ws.nominate(
            who, asked["state"], asked["post"], asked["priority"], asked["person"],
            case.group_of, asked["version"], asked["withdrawn"]))})

    async def log(request: Request) -> Response:
        if await run_in_threadpool(_person, ws, request) is None:
            return _unauthorised()
        text = request.query_params.get("since", "0")
        if not (text.isascii() and text.isdigit() and len(text) <= 12):
            return JSONResponse({"error": "since is not a log line's number"}, status_code=422)
        since = int(text)
        lines = await run_in_threadpool(ws.log, since)
        return JSONResponse({"log": [dataclasses.asdict(x) for x in lines]})

    return [Route("/api/board", board), Route("/api/nominations", nominate, methods=["POST"]),
            Route("/api/log", log), Route("/api/version", version),
            Route("/api/rounds", rounds, methods=["GET", "POST"]),
            Route("/api/rounds/restore", restore, methods=["POST"]),
            Route("/api/rounds/pack", pack),
            Route("/api/draws", draws, methods=["GET", "POST"]),
            Route("/api/asks", asks, methods=["POST"])]


def _round(taken: Round) -> dict[str, Any]:
    return {"round": {"name": taken.name, "at": taken.at, "who": taken.who,
                      "log_id": taken.log_id, "status": taken.snapshot.get("status")}}
