"""A case solved inside one process, after reading: the steps `planner solve --no-write`
takes once its tables are read (the election, the model, the rule check, the count of equally
good slates and who each officer is needed for). Prints `seconds: S` for bench/run.py.

Run: .venv/bin/python bench/solved.py CASE
"""

from __future__ import annotations

import sys
import time

from planner.consult.rounds import equally_good
from planner.rules.base import check
from planner.rules.election import prepare
from planner.rules.profile import open_case
from planner.rules.reduce import needed_for
from planner.solve.best import solve


def main() -> None:
    case, profile = open_case(sys.argv[1])
    start = time.perf_counter()
    el = prepare(case, profile)
    result = solve(el)
    check(el, result.slate)
    equally_good(el)
    for seat in result.slate:
        needed_for(el, result.slate, seat.state, seat.post)
    print(f"{result.status}, {len(el.universe):,} States")
    print(f"seconds: {time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
