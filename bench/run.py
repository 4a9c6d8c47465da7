"""The planner's benchmarks: one table of median wall time and peak memory (5 rounds, each
running every command once).

Run: .venv/bin/python bench/run.py [--runs N]
Prints the table and writes it to outputs/bench/bench.md and bench.csv. Tests never time.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PLANNER = str(BIN / "planner")
UNTC = ROOT / "inputs" / "untoc-cop6-2012"


TIME = shutil.which("time") or "/usr/bin/time"


def measure(cmd: list[str], cwd: str) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one run of a command. The memory is the
    command's own, measured by GNU time (a small process between): a child forked from this
    harness would count the harness's pages too. A command that prints `seconds: S` as its
    last line times itself (a step inside the process): S is taken instead of the wall time."""
    start = time.perf_counter()
    wrapped = [TIME, "-f", "%M", *cmd] if Path(TIME).exists() else cmd
    proc = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    said = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    if said.startswith("seconds: "):
        wall = float(said.removeprefix("seconds: "))
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr}")
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    peak = int(last) / 1024 if last.isdigit() else float("nan")
    return wall, peak


def reading(engine: str, folder: Path) -> list[str]:
    code = ("import pandas as pd, glob; "
            f"[pd.read_excel(f, header=None, dtype=object, engine={engine!r}) "
            f"for f in sorted(glob.glob({str(folder / '*.xlsx')!r}))]")
    return [sys.executable, "-c", code]


def reading_inside(engine: str, folder: Path, runs: int) -> float:
    """Reading alone, in one process, without the interpreter's start and imports."""
    import pandas as pd

    files = sorted(folder.glob("*.xlsx"))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for f in files:
            pd.read_excel(f, header=None, dtype=object, engine=engine)  # type: ignore[call-overload]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 1000, 5000, 20000],
                        help="generated conferences' numbers of States")
    parser.add_argument("--wide", type=int, default=20000,
                        help="a generated conference of this many States and 100 posts, past "
                             "the enumeration's cliff (0: none)")
    parser.add_argument("--plan-up-to", type=int, default=1000,
                        help="plan only the generated conferences up to this size")
    parser.add_argument("--only", nargs="*", default=[],
                        help="measure only the rows whose label holds one of these words "
                             "(the import floor always)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    # an installed package has its bytecode compiled; an editable install run with
    # PYTHONDONTWRITEBYTECODE (as on this machine) would compile the planner on every start
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "planner")],
                   check=True)
    try:
        subprocess.run([PLANNER, "solve", "--no-write", "--csv", str(work)], check=True,
                       capture_output=True)
        subprocess.run([PLANNER, "solve", "--out", str(work / "pack.xlsx")], check=True,
                       capture_output=True)
        slate = str(work / "untoc-cop6-2012-slate.csv")
        books = work / "xlsx"
        books.mkdir()
        import pandas as pd

        for f in [*sorted((UNTC / "untc").glob("*.csv")), UNTC / "groups.csv"]:
            pd.read_csv(f, dtype=str, keep_default_na=False).to_excel(
                books / f"{f.stem}.xlsx", index=False)
        rows: list[tuple[str, list[str]]] = [
            ("import floor (pandas, cp_model, openpyxl)",
             [sys.executable, "-c", "import pandas, ortools.sat.python.cp_model, openpyxl"]),
            ("planner --help", [PLANNER, "--help"]),
            ("planner status", [PLANNER, "status"]),
            ("planner solve --no-write", [PLANNER, "solve", "--no-write"]),
            ("planner solve (writes the pack)", [PLANNER, "solve", "--out",
                                                 str(work / "s.xlsx")]),
            ("planner check", [PLANNER, "check", slate]),
            ("planner check of an .xlsx slate (the pack solve writes)",
             [PLANNER, "check", str(work / "pack.xlsx")]),
            ("planner candidates --post Rapporteur", [PLANNER, "candidates", "--slate",
                                                     str(work / "pack.xlsx"), "--post",
                                                     "Rapporteur", "--no-write"]),
            ("solve in process, after reading (seconds of that step)",
             [sys.executable, str(ROOT / "bench" / "solved.py"), str(UNTC)]),
            ("planner alternatives -k 10", [PLANNER, "alternatives", "-k", "10",
                                            "--no-write"]),
            ("planner alternatives -k 50", [PLANNER, "alternatives", "-k", "50",
                                            "--no-write"]),
            ("planner room", [PLANNER, "room", "--no-write"]),
            ("planner replace --withdraw (first Vice-President)",
             [PLANNER, "replace", "--slate", slate, "--withdraw", "Benin", "--no-write"]),
            ("planner plan --sessions 7-11 (5 sessions)",
             [PLANNER, "plan", "--sessions", "7-11", "--no-write"]),
            ("planner plan --sessions 7-16 (10 sessions, proven optimal)",
             [PLANNER, "plan", "--sessions", "7-16", "--no-write"]),
            # the General Assembly's General Committee: 193 States, 28 posts, named offices
            ("General Committee (unga-gc73-2018): solve",
             [PLANNER, "solve", "unga-gc73-2018", "--no-write"]),
            ("General Committee: check of the real committee",
             [PLANNER, "check", "unga-gc73-2018",
              str(ROOT / "tests" / "data" / "unga" / "general-committee-73.csv")]),
            ("General Committee: room", [PLANNER, "room", "unga-gc73-2018", "--no-write"]),
            ("General Committee: alternatives -k 50",
             [PLANNER, "alternatives", "unga-gc73-2018", "-k", "50", "--no-write"]),
            ("General Committee: plan of 5 sessions",
             [PLANNER, "plan", "unga-gc73-2018", "--sessions", "73-77", "--no-write"]),
            ("read 4 UNTC tables + groups as .xlsx, calamine (process)",
             reading("calamine", books)),
            ("read 4 UNTC tables + groups as .xlsx, openpyxl (process)",
             reading("openpyxl", books)),
        ]
        sys.path.insert(0, str(ROOT / "bench"))
        from generate import write_case

        for n in args.sizes:
            case = str(write_case(work / f"gen{n}", n, 5, 10))
            label = f"generated, {n:,} States, 5 groups, 10 posts:"
            rows += [
                (f"{label} solve", [PLANNER, "solve", case, "--no-write"]),
                (f"{label} solve in process, after reading (seconds of that step)",
                 [sys.executable, str(ROOT / "bench" / "solved.py"), case]),
                (f"{label} room", [PLANNER, "room", case, "--no-write"]),
                (f"{label} alternatives -k 50",
                 [PLANNER, "alternatives", case, "-k", "50", "--no-write"]),
            ]
            if n <= args.plan_up_to:
                rows += [(f"{label} plan of 5 sessions",
                          [PLANNER, "plan", case, "--sessions", "6-10", "--no-write"]),
                         (f"{label} plan of 10 sessions",
                          [PLANNER, "plan", case, "--sessions", "6-15", "--no-write"])]
        wide = f"generated, {args.wide:,} States, 5 groups, 100 posts:"
        if args.wide:
            case = str(write_case(work / "wide", args.wide, 5, 100))
            rows += [(f"{wide} solve", [PLANNER, "solve", case, "--no-write"]),
                     (f"{wide} room", [PLANNER, "room", case, "--no-write"]),
                     (f"{wide} alternatives -k 50",
                      [PLANNER, "alternatives", case, "-k", "50", "--no-write"])]
        if args.only:
            rows = [rows[0], *(r for r in rows[1:] if any(w in r[0] for w in args.only))]
        # reading alone, in one process, against the csv module on the same files: at least
        # 9 pairs of runs (a pair takes a fifth of a second at 20,000 States), for a steadier
        # median than a few rounds give
        side = []
        for n in args.sizes:
            said = subprocess.run([sys.executable, str(ROOT / "bench" / "reading.py"),
                                   str(work / f"gen{n}"), "--runs", str(max(args.runs, 9))],
                                  check=True, capture_output=True, text=True).stdout
            got = dict(line.split(" ", 1) for line in said.splitlines())
            side.append((n, float(got["planner"]), float(got["csv"]), float(got["ratio"])))
        # in rounds, each running every command once: a machine that slows down for a while
        # slows the floor and the commands of that round alike, and each command's ratio is
        # the median of its ratios to the floor of the same round
        runs: list[list[tuple[float, float]]] = [[] for _ in rows]
        for _ in range(args.runs):
            for got, (_name, cmd) in zip(runs, rows, strict=True):
                got.append(measure(cmd, str(work)))
        floors = [w for w, _m in runs[0]]
        results = [(name, statistics.median(w for w, _m in got),
                    statistics.median(w / f for (w, _m), f in zip(got, floors, strict=True)),
                    max(m for _w, m in got))
                   for (name, _cmd), got in zip(rows, runs, strict=True)]
        # past the cliff, each command against solve of the same round (the target's terms)
        names = [name for name, _cmd in rows]
        against_solve = []
        if f"{wide} solve" in names:
            solves = [w for w, _m in runs[names.index(f"{wide} solve")]]
            against_solve = [(name, statistics.median(
                w / f for (w, _m), f in zip(runs[i], solves, strict=True)))
                for i, name in enumerate(names) if name.startswith(wide)
                and name != f"{wide} solve"]
        inside = ({e: reading_inside(e, books, args.runs) for e in ("calamine", "openpyxl")}
                  if not args.only else {})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = ["| command | median wall s | x import floor | peak MiB |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {n} | {w:.3f} | {x:.2f} | {m:.0f} |" for n, w, x, m in results]
    lines += [f"| reading alone (in process), {e} | {t:.3f} | | |" for e, t in inside.items()]
    lines += ["", "| reading a generated case, CPU s in process | planner | csv module | ratio |",
              "| --- | --- | --- | --- |"]
    lines += [f"| {n:,} States | {a:.3f} | {b:.3f} | {r:.1f}x |" for n, a, b, r in side]
    if against_solve:
        lines += ["", "| past the post cliff | x solve of the same conference |", "| --- | --- |"]
        lines += [f"| {n} | {x:.2f} |" for n, x in against_solve]
    table = "\n".join(lines)
    print(f"median of {args.runs} rounds on {os.cpu_count()} cores; the ratio is the median of "
          "each round's ratio to that round's import floor\n")
    print(table)
    out = ROOT / "outputs" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.md").write_text(table + "\n", encoding="utf-8")
    with (out / "bench.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["command", "median_wall_s", "x_import_floor", "peak_mib"])
        w.writerows([(n, f"{t:.3f}", f"{x:.2f}", f"{m:.0f}") for n, t, x, m in results])


if __name__ == "__main__":
    main()
