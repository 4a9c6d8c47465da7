"""Running the board: the socket bound before the server starts (a busy port is the user's to
fix, said as such), the names it answers to, and connections bounded per client and in time.

uvicorn's HTTP/1.1 protocol keeps a connection whose request never finishes arriving for as
long as the client likes; a client sending a thousand half requests would hold the server's
every slot. Here each connection has a deadline to deliver its request whole (headers and
body), checked again for each request on a kept-alive connection, and one client (an address)
holds a bounded number of connections at once: more are closed as they come.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections import Counter
from collections.abc import Iterator
from typing import Any, ClassVar

from uvicorn.protocols.http.h11_impl import H11Protocol

# seconds a connection has to deliver a request whole; a request still arriving after twice
# this is cut off (a 20 MiB upload at 1 MiB/s arrives in 20 s)
REQUEST_DEADLINE = 30.0
MAX_CONNECTIONS_PER_CLIENT = 32
MAX_CONNECTIONS = 256  # all clients together (beyond: 503)


class BoundedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1, with a deadline per request and a bound per client."""

    deadline: ClassVar[float] = REQUEST_DEADLINE
    per_client: ClassVar[int] = MAX_CONNECTIONS_PER_CLIENT
    open_by_client: ClassVar[Counter[str]] = Counter()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._who = self.client[0] if self.client else ""
        self.open_by_client[self._who] += 1
        self._seen: object = ()
        self._timer: asyncio.TimerHandle | None = None
        if self.open_by_client[self._who] > self.per_client:
            transport.close()  # this client holds enough connections already
            return
        self._timer = self.loop.call_later(self.deadline, self._check)

    def _arriving(self) -> object:
        """What is still arriving: no request yet, or a request whose body is not whole."""
        cycle = self.cycle
        if cycle is None:
            return ("none", id(self))
        return ("body", id(cycle)) if cycle.more_body else None

    def _check(self) -> None:
        arriving = self._arriving()
        if arriving is not None and arriving == self._seen:
            self.transport.close()  # the same request, still not whole after the deadline
            return
        self._seen = arriving
        self._timer = self.loop.call_later(self.deadline, self._check)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self.open_by_client[self._who] -= 1
        if self.open_by_client[self._who] <= 0:
            del self.open_by_client[self._who]
        super().connection_lost(exc)


def host_names(host: str) -> list[str]:
    """The names a board started on `host` answers to: the local names on 127.0.0.1; the
    host given; on every interface, this machine's own names and addresses."""
    local = ["127.0.0.1", "localhost", "::1", "[::1]"]
    if host in local:
        return local
    if host not in ("0.0.0.0", "::", ""):
        return [host, f"[{host}]"] if ":" in host else [host]
    names = {socket.gethostname(), socket.getfqdn(), *local}
    with contextlib.suppress(OSError):  # a machine whose own name does not resolve
        names |= {str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)}
    return sorted(names | {f"[{n}]" for n in names if ":" in n})


def bound_socket(host: str, port: int) -> socket.socket:
    """The listening socket, bound now: OSError where the port is taken or the host is not
    this machine's (the caller says so)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def make_server(app: Any) -> Any:
    """The uvicorn server for the app, with the bounded protocol (run it with
    .run(sockets=[bound_socket(...)]))."""
    import uvicorn

    config = uvicorn.Config(app, http=BoundedH11Protocol, log_level="warning",
                            limit_concurrency=MAX_CONNECTIONS, timeout_keep_alive=5)
    return uvicorn.Server(config)


@contextlib.contextmanager
def running(app: Any) -> Iterator[int]:
    """The app served as `planner serve` serves it, on a free port of 127.0.0.1 in a thread of
    this process, until the block ends (for tests and benchmarks): yields the port."""
    import threading
    import time

    sock = bound_socket("127.0.0.1", 0)
    server = make_server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        yield int(sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def run(app: Any, sock: socket.socket) -> None:
    """Serve the app on the bound socket until stopped."""
    make_server(app).run(sockets=[sock])
