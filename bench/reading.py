"""Reading a case against the plain csv module, side by side in one process: the planner's
reader (every table read, typed and checked, as `planner solve` reads it) and the csv module
reading the same files with their dates parsed. CPU seconds, the median of several runs, with
the collector paced as the command line paces it.

Run: .venv/bin/python bench/reading.py CASE [--runs N]
Prints `planner S`, `csv S` (medians) and `ratio R` (the median of the runs' ratios, each run
of the planner beside one of the csv module); bench/run.py adds the lines to its table.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from planner.io.tables import forget_workbooks
from planner.rules.profile import open_case

DATE_COLUMNS = {"deposit_date", "signature_date", "entry_into_force", "adopted",
                "opening_date", "expected_date"}


def plain(folder: Path) -> list[list[str]]:
    """The csv module's reading of every CSV table of the case, dates parsed, rows kept: the
    floor."""
    rows: list[list[str]] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            dates = [i for i, h in enumerate(header) if h in DATE_COLUMNS]
            for row in reader:
                for i in dates:
                    if row[i]:
                        row[i] = dt.date.fromisoformat(row[i])  # type: ignore[call-overload]
                rows.append(row)
    return rows


def cpu(step: Callable[[], object]) -> float:
    start = time.process_time()
    step()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("case")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    gc.set_threshold(50_000, 20, 100)  # as planner.cli.main sets it

    def ours() -> None:
        forget_workbooks()
        open_case(args.case)

    def floor() -> None:
        plain(Path(args.case))

    ours()  # the first run compiles the profile's and the names' caches: not counted
    # side by side, one run of each in turn: a machine that slows down for a while slows
    # both alike, and the ratio is the median of each pair's
    pairs = [(cpu(ours), cpu(floor)) for _ in range(args.runs)]
    print(f"planner {statistics.median(m for m, _f in pairs):.3f}")
    print(f"csv {statistics.median(f for _m, f in pairs):.3f}")
    print(f"ratio {statistics.median(m / f for m, f in pairs):.2f}")


if __name__ == "__main__":
    main()
