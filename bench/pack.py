"""Time to build and write the consultation pack (the solve workbook) for the default case,
and what LibreOffice makes of it (pages), when LibreOffice is installed.

Run: .venv/bin/python bench/pack.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from planner.io.reader import default_case_path
from planner.report.workbook import (
    SheetData,
    book_meta,
    info_frame,
    run_info,
    solve_sheets,
    write_workbook,
)
from planner.rules.base import check
from planner.rules.election import prepare
from planner.rules.profile import open_case
from planner.solve.best import solve


def main() -> None:
    case, profile = open_case(default_case_path())
    el = prepare(case, profile)
    result = solve(el)
    outcomes = check(el, result.slate)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pack.xlsx"
        for _ in range(5):
            start = time.perf_counter()
            sheets = solve_sheets(el, result, outcomes)
            info = info_frame(run_info(case, {}, result.solver, el.notes))
            write_workbook(path, [*sheets, SheetData("Run info", info)], (),
                           book_meta(case, "Proposed bureau"))
            times.append(time.perf_counter() - start)
        print(f"write the pack: median {statistics.median(times):.3f} s over 5 runs; "
              f"{path.stat().st_size / 1024:.0f} KiB")
        soffice = shutil.which("soffice")
        if soffice and shutil.which("pdfinfo"):
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp,
                            str(path)], capture_output=True, check=True)
            info_text = subprocess.run(["pdfinfo", str(Path(tmp) / "pack.pdf")],
                                       capture_output=True, text=True, check=True).stdout
            pages = next(line.split()[-1] for line in info_text.splitlines()
                         if line.startswith("Pages"))
            print(f"LibreOffice prints it on {pages} A4 landscape pages")


if __name__ == "__main__":
    main()
