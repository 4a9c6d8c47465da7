"""The benchmark scripts stay runnable: each imports (a renamed function broke two of them
once, unseen), and the in-process solve the benchmark table times runs on the default case."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_each_benchmark_script_imports(script: str) -> None:
    spec = importlib.util.spec_from_file_location(f"bench_{script[:-3]}", BENCH / script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(BENCH))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))


@pytest.mark.slow
def test_the_in_process_solve_runs() -> None:
    from planner.io.reader import default_case_path

    done = subprocess.run([sys.executable, str(BENCH / "solved.py"), str(default_case_path())],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("solved,") and "seconds:" in done.stdout
