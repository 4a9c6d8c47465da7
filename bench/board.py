"""How fast the board answers a click: the server's time for the page (the board built and
rendered), median of several clicks, on the default case and on the largest shipped case."""

from __future__ import annotations

import statistics
import time
import warnings

from planner.io.reader import shipped_cases
from planner.rules.profile import open_case
from planner.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CLICKS = {
    "untoc-cop6-2012": ["/", "/?fix=Vice-President%3DKenya", "/?exclude=Indonesia",
                        "/?absent=Benin", "/?fix=President%3DKenya",
                        "/?seat=Vice-President%3AAfrican+States"],
    "unfccc-cop29-2024": ["/", "/?fix=Vice-President%3DKenya", "/?exclude=Bahrain",
                          "/?absent=Angola", "/?seat=Vice-President%3AAfrican+States"],
}


def main() -> None:
    for name, clicks in CLICKS.items():
        case, profile = open_case(shipped_cases()[name])
        client = TestClient(create_app(case, profile), base_url="http://127.0.0.1")
        client.get("/")  # imports and caches warm
        times = []
        for url in clicks * 3:
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - start)
        print(f"{name}: median {statistics.median(times) * 1000:.0f} ms, "
              f"slowest {max(times) * 1000:.0f} ms over {len(times)} clicks")


if __name__ == "__main__":
    main()
