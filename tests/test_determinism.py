"""Same inputs, same slate and same workbook; concurrent writers and interrupted runs never
leave a mixed or half-written file."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from planner.io.reader import shipped_cases

from .factory import visible
from .test_cli import run

COP6 = shipped_cases()["untoc-cop6-2012"]

PLANNER = str(Path(sys.executable).parent / "planner")


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if ws.title == "Run info":  # the time written is the one thing that may differ
            rows = [r for r in rows if r[0] not in ("written", "option out", "solver seconds")]
        out[ws.title] = rows
    return out


@pytest.mark.slow
def test_ten_runs_same_workbook(tmp_path: Path) -> None:
    first = None
    for i in range(10):
        out = tmp_path / f"run{i}.xlsx"
        assert run("solve", "--out", out).exit_code == 0
        now = cells(out)
        if first is None:
            first = now
        assert now == first


@pytest.mark.slow
def test_ten_shuffles_same_slate(tmp_path: Path) -> None:
    slates = set()
    for seed in range(10):
        case = tmp_path / f"case{seed}"
        shutil.copytree(COP6, case)
        rng = random.Random(seed)
        for f in [case / "groups.csv", *sorted((case / "untc").glob("*.csv"))]:
            head, *rows = f.read_text(encoding="utf-8").splitlines()
            rng.shuffle(rows)
            f.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
        data = json.loads(run("solve", case, "--json", "--no-write").stdout)
        slates.add(json.dumps(data["slate"]))
        alt = json.loads(run("alternatives", case, "-k", "5", "--json", "--no-write").stdout)
        slates.add(json.dumps([s["slate"] for s in alt["slates"]]))
    assert len(slates) == 2  # one solve slate, one list of alternatives, whatever the order


@pytest.mark.slow
def test_two_writers_leave_one_whole_workbook(tmp_path: Path) -> None:
    out = tmp_path / "same.xlsx"
    procs = [subprocess.Popen([PLANNER, "alternatives", "-k", "30", "--out", str(out)],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(2)]
    for p in procs:
        assert p.wait(timeout=120) == 0
    wb = openpyxl.load_workbook(out)
    assert visible(wb.sheetnames) == ["Slates", "Side by side", "Scores", "Run info"]
    assert len(list(wb["Slates"].iter_rows())) == 301
    assert [p.name for p in tmp_path.iterdir()] == ["same.xlsx"]  # no temporary file left


@pytest.mark.slow
def test_interrupted_run_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "big.xlsx"
    # Ctrl-C as a terminal gives it: a run started in the background of a script inherits
    # SIGINT ignored (POSIX shells do that without job control), as pytest is when CI is
    # launched so, and then rightly goes on; the test asks what a person at a terminal sees
    proc = subprocess.Popen([PLANNER, "alternatives", "-k", "1000", "--out", str(out)],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(2.5)
    proc.send_signal(signal.SIGINT)
    _stdout, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted: no output was written or changed" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
