"""What every state-changing request of the board must show: that it comes from the board's own
page (its Origin) and carries the form's CSRF token, bound to its browser's cookie by the
server's own key. One place for the board's forms and the workspace's."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

CSRF_COOKIE = "planner_csrf"


def csrf_for(secret: bytes, cookie: str) -> str:
    return hmac.new(secret, cookie.encode(), hashlib.sha256).hexdigest()


def same_origin(request: Request) -> bool:
    """A state-changing request comes from the board's own page: its Origin names the host it
    was sent to. A page under Referrer-Policy no-referrer (the board's own) posts with Origin
    "null"; then the browser's own Sec-Fetch-Site, which no page can set, must say
    same-origin."""
    origin = request.headers.get("origin", "")
    if origin == "null":
        return request.headers.get("sec-fetch-site", "") == "same-origin"
    return bool(origin) and urlsplit(origin).netloc.lower() == request.headers.get(
        "host", "").lower()


def csrf_ok(secret: bytes, request: Request, sent: object) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie) and isinstance(sent, str) and secrets.compare_digest(
        sent.encode(), csrf_for(secret, cookie or "").encode())


def attachment(name: str) -> str:
    """A Content-Disposition for a download named `name` (RFC 6266): an ASCII fallback, and
    the name itself in UTF-8 where it is not ASCII."""
    from urllib.parse import quote

    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_"
                       for c in name).strip("_")
    if not fallback or fallback.startswith("."):
        # a name all of other scripts: never a hidden dot-file for a client that ignores
        # filename*
        fallback = "download" + (fallback if fallback.startswith(".") else ".xlsx")
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_response(data: bytes, name: str) -> Response:
    """A workbook to download, under its own name (attachment), never cached."""
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": attachment(name), "Cache-Control": "no-store"})
