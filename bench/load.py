"""The board under load, as `planner serve` runs it (the bounded protocol, a real socket): 200
clicks from 4 clients at once, with the page's stylesheet fetched meanwhile. Prints the
clicks' times, the stylesheet's time under load against its time idle (the ratio), and the
server's memory before and after, then after 600 clicks more (nothing may be kept per click).

Run: .venv/bin/python bench/load.py [CASE [CLICKS_PER_CLIENT]]  (default: untoc-cop6-2012, 50)
"""

from __future__ import annotations

import http.client
import os
import statistics
import sys
import threading
import time

from planner.io.reader import shipped_cases
from planner.rules.profile import open_case
from planner.web.app import create_app
from planner.web.serving import running

STATES = ["Kenya", "Ghana", "Nigeria", "Egypt", "Japan", "China", "India", "Peru", "Chile",
          "France", "Italy", "Spain", "Poland", "Latvia", "Algeria"]


def rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def fetch(port: int, path: str) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request("GET", path)
    conn.getresponse().read()
    return time.perf_counter() - started


def flood(port: int, per_client: int) -> tuple[list[float], list[float]]:
    """(each click's time, each stylesheet fetch's time while the clicks run)."""
    clicks: list[float] = []

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for i in range(per_client):
            state = STATES[(offset + i) % len(STATES)]
            started = time.perf_counter()
            conn.request("GET", f"/?exclude={state}&k={1 + (offset + i) % 4}")
            conn.getresponse().read()
            clicks.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(k * 5,)) for k in range(4)]
    for t in threads:
        t.start()
    styles = []
    while any(t.is_alive() for t in threads):
        styles.append(fetch(port, "/static/board.css"))
        time.sleep(0.2)
    for t in threads:
        t.join()
    return clicks, styles


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "untoc-cop6-2012"
    per_client = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    case, profile = open_case(shipped_cases()[name])
    with running(create_app(case, profile)) as port:
        idle = statistics.median(fetch(port, "/static/board.css") for _ in range(20))
        flood(port, 10)  # the first boards build what every later one shares
        before = rss_mib()
        started = time.perf_counter()
        clicks, styles = flood(port, per_client)
        took = time.perf_counter() - started
        after = rss_mib()
        flood(port, 3 * per_client)
        later = rss_mib()
    print(f"{name}: {4 * per_client} clicks from 4 clients: {took:.1f} s "
          f"({4 * per_client / took:.1f} a second); a click: median "
          f"{statistics.median(clicks) * 1000:.0f} ms, slowest {max(clicks) * 1000:.0f} ms")
    print(f"the stylesheet: idle {idle * 1000:.1f} ms; under load median "
          f"{statistics.median(styles) * 1000:.1f} ms, slowest {max(styles) * 1000:.1f} ms "
          f"({max(styles) / idle:.0f}x idle, over {len(styles)} fetches)")
    print(f"server memory: {before:.0f} MiB before, {after:.0f} MiB after "
          f"{4 * per_client} clicks, {later:.0f} MiB after {12 * per_client} more")


if __name__ == "__main__":
    main()
