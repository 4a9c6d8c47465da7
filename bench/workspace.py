"""The shared workspace as `planner serve --workspace` runs it (a real socket, a SQLite file):
how soon a change by one person reaches another's open page, and how long a round takes to
save. Prints medians and the slowest.

The page polls the workspace's version twice a second (planner/web/static/ws.js) and fetches the
board when it moves; here a second client does the same, on a half-second tick started at a
random phase, while the first enters nominations through the page's form.

Run: .venv/bin/python bench/workspace.py [CASE [CHANGES]]  (default: untoc-cop6-2012, 20)
"""

from __future__ import annotations

import http.client
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from planner.io.reader import shipped_cases
from planner.rules.profile import open_case
from planner.store.workspace import Workspace
from planner.web.app import create_app
from planner.web.serving import running

TICK = 0.5  # as ws.js polls


class Person:
    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.origin = {"Origin": f"http://127.0.0.1:{port}", "Host": f"127.0.0.1:{port}"}
        body = urlencode({"token": token})
        self.conn.request("POST", "/session", body, {
            **self.origin, "Content-Type": "application/x-www-form-urlencoded"})
        r = self.conn.getresponse()
        r.read()
        self.cookies = {"planner_person": token}
        page = self.get("/ws")
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore

    def _cookie(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def get(self, path: str) -> str:
        self.conn.request("GET", path, headers={**self._cookie(), **self.origin})
        r = self.conn.getresponse()
        text = r.read().decode()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return text

    def post(self, path: str, **data: str) -> int:
        self.conn.request("POST", path, urlencode({"csrf": self.csrf, **data}), {
            **self._cookie(), **self.origin,
            "Content-Type": "application/x-www-form-urlencoded"})
        r = self.conn.getresponse()
        r.read()
        return r.status


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "untoc-cop6-2012"
    changes = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    case, profile = open_case(shipped_cases()[name])
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    target = folder / "w.sqlite"
    ws, token = Workspace.create(target, profile.body, str(case.path), profile.name,
                                 "Secretariat")
    states = sorted(case.group_of)
    post = profile.body.post_names[-1]
    reached: list[float] = []
    with running(create_app(case, profile, workspace=ws)) as port:
        writer, reader = Person(port, token), Person(port, token)
        for i in range(changes):
            seen = int(re.search(r'data-version="(\d+)"', reader.get("/ws")).group(1))  # type: ignore
            done = threading.Event()
            landed: list[float] = []

            def watch(seen: int = seen, done: threading.Event = done,
                      landed: list[float] = landed) -> None:
                time.sleep(random.uniform(0, TICK))  # the page's tick, at any phase
                while not done.is_set():
                    reader.conn.request("GET", "/ws/version", headers={
                        **reader._cookie(), **reader.origin})
                    version = int(re.search(r"\d+", reader.conn.getresponse().read().decode()
                                            ).group(0))  # type: ignore
                    if version != seen:
                        reader.get("/ws")
                        landed.append(time.perf_counter())
                        done.set()
                        return
                    time.sleep(TICK)

            watcher = threading.Thread(target=watch)
            watcher.start()
            time.sleep(random.uniform(0, TICK))
            started = time.perf_counter()
            assert writer.post("/ws/nominations", state=states[(7 * i) % len(states)],
                               post=post, priority=str(1 + i % 3), version="0") in (303, 403,
                                                                                    409)
            watcher.join(timeout=30)
            if landed:
                reached.append(landed[0] - started)
        over_http = []
        for i in range(3):
            started = time.perf_counter()
            writer.post("/ws/rounds", name=f"Round {i + 1}")
            over_http.append(time.perf_counter() - started)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planner.cli.main", "workspace", "round", str(target),
                    "--name", "Round by command"], check=True, capture_output=True)
    command = time.perf_counter() - started
    print(f"{name}: a change reached the other page in median "
          f"{statistics.median(reached) * 1000:.0f} ms, slowest {max(reached) * 1000:.0f} ms "
          f"({len(reached)} changes; polling each {TICK} s)")
    print(f"saving a round: {statistics.median(over_http) * 1000:.0f} ms from the page "
          f"(median of 3); {command:.2f} s as a whole command (planner workspace round)")


if __name__ == "__main__":
    main()
