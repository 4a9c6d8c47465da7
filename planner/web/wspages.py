"""The workspace's pages (docs/workspace.md): the shared board as the groups' nominations and
the secretariat's asks stand, the tracker, the log, rounds and drawings of lots, for each person
with the role the workspace gives them.

A person arrives by their invitation's link, /join#TOKEN: the token is in the link's fragment,
which browsers never send to a server, so it is in no server log and no Referer; the page's
script posts it once to /session, which keeps it in an HttpOnly, SameSite=Strict cookie and
sends the person on to /ws. Every form that changes something carries a CSRF token bound to
the browser's cookie and must come from the board's own origin (planner.web.guard); the roles
are the workspace's own, checked on every request (planner.store.workspace). A change made
from an older version than the workspace's is not applied: the person is shown what changed
meanwhile, and decides. Every open page polls /ws/version twice a second and swaps in the new
board when the version moves (docs/workspace.md gives the latency measured)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from planner.domain.case import Case
from planner.errors import InputError, PlannerError
from planner.rules.profile import Profile
from planner.store.workspace import SECRETARIAT, Forbidden, Person, Stale, Workspace
from planner.web.consultation import SharedBoard, asked, restore_round, take_round
from planner.web.guard import CSRF_COOKIE, csrf_for, csrf_ok, same_origin, workbook_response

PERSON_COOKIE = "planner_person"
ASKED = ("fix", "exclude", "absent", "ratified")  # what the board supposes, one a line each


def _number(text: str) -> int:
    """A number as a form sends it: a whole number, else -1 (which is no version: a change
    made from it is refused, never applied)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else -1
MAX_FORM_FIELDS = 40
MAX_FORM_BYTES = 64 * 1024  # the workspace's forms are a few fields of a few words
LOG_SHOWN = 15


def workspace_pages(ws: Workspace, shared: SharedBoard, case: Case, profile: Profile,
                    templates: Jinja2Templates, secret: bytes,
                    off_thread: Callable[..., Awaitable[Any]]) -> list[Route]:
    """The workspace's routes. off_thread: runs a board computation in a worker thread,
    bounded as the board's own are."""

    def person(request: Request) -> Person | None:
        token = request.cookies.get(PERSON_COOKIE, "")
        return ws.who(token) if token else None

    def page(request: Request, who: Person, status_code: int = 200,
             **context: Any) -> Response:
        cookie = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(16)
        version, board = shared.current()
        rows = ws.nominations()
        from planner.domain.rotation import turns

        turn = turns(board.case, [board.case.session.number])[0]
        tracker = ws.tracker(turn)
        groups = [who.group] if who.role != SECRETARIAT and who.group else list(
            profile.body.group_names)
        states = {g: sorted(s for s, x in case.group_of.items() if x == g) for g in groups}
        seats: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for x in board.solve.get("slate", []):
            seats.setdefault((x["group"], x["post"]), []).append(x)
        log = ws.log()
        response = templates.TemplateResponse(request, "ws.html", {
            "csrf": csrf_for(secret, cookie), "who": who, "version": version, "board": board,
            "case": case, "profile": profile, "nominations": rows, "tracker": tracker,
            "groups": groups, "states": states, "seats": seats,
            "log": log[-LOG_SHOWN:][::-1], "rounds": ws.rounds(),
            "draws": ws.draws(log), "secretariat": who.role == SECRETARIAT,
            "asks_version": ws.asks_version(), "typed": None,
            "problems": [], "conflict": None, **context}, status_code=status_code)
        response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict")
        response.headers["Cache-Control"] = "no-store"
        return response

    async def shown(request: Request, who: Person, status_code: int = 200,
                    **context: Any) -> Response:
        """The page, built in a worker thread (the board may be computed for it)."""
        done: Response = await off_thread(page, request, who, status_code, **context)
        return done

    def refused(message: str, status_code: int) -> Response:
        return PlainTextResponse(message, status_code=status_code)

    NOT_IN = ("you are not signed in to this workspace (or your invitation was revoked): open "
              "the link of your invitation again")

    async def form_of(request: Request) -> tuple[Person, dict[str, str]] | Response:
        """The person and the form of a state-changing request, or the refusal."""
        who = await run_in_threadpool(person, request)
        if who is None:
            return refused(NOT_IN, 401)
        declared = request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
            return refused("the form is too large (or says no size)", 413)
        if not same_origin(request):
            return refused("the form was not sent from the board's own page (its Origin is "
                           "missing or another site's): reload the page", 403)
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        if not csrf_ok(secret, request, form.get("csrf")):
            return refused("the form is stale or forged (CSRF check failed): reload the page",
                           403)
        return who, {k: v for k, v in form.items() if isinstance(v, str)}

    def back() -> Response:
        return Response(status_code=303, headers={"Location": "/ws"})

    async def join(request: Request) -> Response:
        return templates.TemplateResponse(request, "join.html", {"case": case})

    async def session(request: Request) -> Response:
        """The token, posted once by the join page (or pasted into its form), kept as a
        cookie of this browser."""
        if not same_origin(request):
            return refused("the sign-in was not sent from this server's own page", 403)
        declared = request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > 4096:
            return refused("the sign-in is too large", 413)
        form = await request.form(max_files=0, max_fields=2)
        token = form.get("token")
        if not isinstance(token, str) or await run_in_threadpool(ws.who, token.strip()) is None:
            return refused("that invitation is not known, or was revoked: ask the secretariat "
                           "for a new one", 401)
        response = back()
        response.set_cookie(PERSON_COOKIE, token.strip(), httponly=True, samesite="strict")
        return response

    async def leave(request: Request) -> Response:
        found = await form_of(request)
        if isinstance(found, Response):
            return found
        response = Response(status_code=303, headers={"Location": "/join"})
        response.delete_cookie(PERSON_COOKIE)
        return response

    async def board_page(request: Request) -> Response:
        who = await run_in_threadpool(person, request)
        if who is None:
            return Response(status_code=303, headers={"Location": "/join"})
        return await shown(request, who)

    async def version(request: Request) -> Response:
        who = await run_in_threadpool(person, request)
        if who is None:
            return JSONResponse({"error": NOT_IN}, status_code=401)
        return JSONResponse({"version": await run_in_threadpool(ws.version)},
                            headers={"Cache-Control": "no-store"})

    async def nominate(request: Request) -> Response:
        found = await form_of(request)
        if isinstance(found, Response):
            return found
        who, form = found
        problems = []
        priority, seen = _number(form.get("priority", "1") or "1"), _number(
            form.get("version", "0") or "0")
        if priority < 0 or seen < 0:
            problems.append("the priority and the version are whole numbers")
        if not problems:
            try:
                await run_in_threadpool(
                    ws.nominate, who, form.get("state", ""), form.get("post", ""), priority,
                    form.get("person", "").strip(), case.group_of, seen,
                    form.get("withdrawn") == "yes")
                return back()
            except Forbidden as exc:
                return await shown(request, who, 403, problems=[str(exc)])
            except Stale as exc:
                # shown what is there now, beside the change asked: the person decides
                now = next((n for n in ws.nominations()
                            if n.state == form.get("state") and n.post == form.get("post")),
                           None)
                return await shown(request, who, 409, conflict={
                    "said": str(exc), "mine": form, "now": now, "current": exc.current})
            except InputError as exc:
                problems += [f"{p.where.file}: {p.message}" + (f" ({p.fix})" if p.fix else "")
                             for p in exc.problems]
        return await shown(request, who, 422, problems=problems)

    async def secretariat_form(request: Request, act: Callable[[Person, dict[str, str]], Any],
                               keep_asks: bool = False) -> Response:
        found = await form_of(request)
        if isinstance(found, Response):
            return found
        who, form = found
        # what the secretariat typed stays in the form when the change is not made
        typed = {"typed": {k: form.get(k, "") for k in ASKED}} if keep_asks else {}
        try:
            await off_thread(act, who, form)
        except Forbidden as exc:
            return await shown(request, who, 403, problems=[str(exc)])
        except Stale as exc:
            return await shown(request, who, 409, problems=[
                f"{exc}: the board below is as it stands now; what you typed is kept below: "
                "send it again if it still holds"], **typed)
        except InputError as exc:
            return await shown(request, who, 422, problems=[
                f"{p.where.file}: {p.message}" + (f" ({p.fix})" if p.fix else "")
                for p in exc.problems], **typed)
        except PlannerError as exc:
            return await shown(request, who, 422, problems=[str(exc)], **typed)
        return back()

    async def save_round(request: Request) -> Response:
        return await secretariat_form(
            request, lambda who, form: take_round(shared, form.get("name", ""), who))

    async def restore(request: Request) -> Response:
        return await secretariat_form(
            request, lambda who, form: restore_round(shared, form.get("round", ""),
                                                     form.get("name", ""), who,
                                                     _number(form.get("version", ""))))

    async def draw(request: Request) -> Response:
        return await secretariat_form(
            request, lambda who, form: ws.draw(
                who, form.get("for", ""), form.get("among", "").splitlines(),
                form.get("seed", "")))

    async def asks(request: Request) -> Response:
        def act(who: Person, form: dict[str, str]) -> None:
            from urllib.parse import urlencode

            if who.role != SECRETARIAT:
                raise Forbidden("only the secretariat fixes, leaves out or supposes")
            lines = {key: [x.strip() for x in form.get(key, "").splitlines() if x.strip()]
                     for key in ASKED}
            query = urlencode([(k, v) for k, vs in lines.items() for v in vs])
            nominated = ws.case_with_nominations(case)
            # read as the board reads its address: every problem with the planner's words
            state = asked(nominated, profile, query)
            ws.set_asks(who, state.query(), _number(form.get("version", "")))

        return await secretariat_form(request, act, keep_asks=True)

    async def pack(request: Request) -> Response:
        from planner.web.consultation import round_pack_bytes

        who = await run_in_threadpool(person, request)
        if who is None:
            return refused(NOT_IN, 401)
        name = request.query_params.get("round", "")
        try:
            (taken,) = await run_in_threadpool(ws.rounds_named, name)
        except InputError as exc:
            return refused("; ".join(p.message for p in exc.problems), 404)

        data = await off_thread(round_pack_bytes, ws, case, profile, taken)
        return workbook_response(data, f"{taken.name}.xlsx")

    return [
        Route("/join", join),
        Route("/session", session, methods=["POST"]),
        Route("/ws", board_page),
        Route("/ws/version", version),
        Route("/ws/leave", leave, methods=["POST"]),
        Route("/ws/nominations", nominate, methods=["POST"]),
        Route("/ws/rounds", save_round, methods=["POST"]),
        Route("/ws/restore", restore, methods=["POST"]),
        Route("/ws/draws", draw, methods=["POST"]),
        Route("/ws/asks", asks, methods=["POST"]),
        Route("/ws/pack", pack),
    ]
