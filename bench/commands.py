"""Median wall times of the planner's commands on the default case, next to the import floor.

Run: .venv/bin/python bench/solve_time.py [--runs N]
Prints a table; tests never time anything.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def median_wall(cmd: list[str], runs: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=tmp)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    planner = str(BIN / "planner")
    rows = [
        ("import floor (pandas, cp_model, openpyxl)",
         [sys.executable, "-c", "import pandas, ortools.sat.python.cp_model, openpyxl"]),
        ("planner --help", [planner, "--help"]),
        ("planner status (default case)", [planner, "status"]),
        ("planner solve --no-write (default case)", [planner, "solve", "--no-write"]),
        ("planner solve (default case, writes workbook)", [planner, "solve"]),
        ("planner solve untoc-cop1-2004 --no-write",
         [planner, "solve", "untoc-cop1-2004", "--no-write"]),
        ("planner alternatives -k 10 --no-write", [planner, "alternatives", "-k", "10",
                                                   "--no-write"]),
        ("planner alternatives -k 50 --no-write", [planner, "alternatives", "-k", "50",
                                                   "--no-write"]),
        ("planner alternatives -k 50 (writes workbook)", [planner, "alternatives", "-k", "50"]),
        ("planner room --no-write", [planner, "room", "--no-write"]),
        ("planner rotation", [planner, "rotation"]),
        ("planner plan --sessions 7-11 --no-write (5 sessions)",
         [planner, "plan", "--sessions", "7-11", "--no-write"]),
        ("planner plan --sessions 7-11 (writes workbook)",
         [planner, "plan", "--sessions", "7-11"]),
    ]
    results = [(name, median_wall(cmd, args.runs)) for name, cmd in rows]
    floor = results[0][1]
    solve = results[3][1]
    width = max(len(n) for n, _ in results)
    print(f"{'command'.ljust(width)}  median s  x floor  x solve   ({args.runs} runs each)")
    for name, t in results:
        print(f"{name.ljust(width)}  {t:8.3f}  {t / floor:7.2f}  {t / solve:7.2f}")


if __name__ == "__main__":
    main()
