"""Fuzzing the readers: any CSV text, any workbook cells, any slate file gives exit 0, 1 or 2,
never 3, never a traceback; inputs are unchanged and nothing is left behind; memory stays
bounded (the address space is limited while the examples run)."""

from __future__ import annotations

import contextlib
import resource
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from .factory import write_case
from .test_cli import run, snapshot

CELLS = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(["Kenya", "China", "African States", "President", "Vice-President",
                     "convention", "2012-10-15", "15 Oct 2012", "=1+1", "1e308", "nan", "",
                     "priority", "state", "group", "post", "9" * 30, "Kenya\x07"]),
    st.integers(-2**70, 2**70), st.floats(allow_nan=True, allow_infinity=True),
)
TABLES = ["groups", "session", "nominations", "attendance", "ratifications", "instruments"]
BUDGET = 3 * 2**30  # bytes of address space the examples may add


@contextlib.contextmanager
def bounded_memory() -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        used = int(fh.read().split()[0]) * resource.getpagesize()
    limit = used + BUDGET if hard == resource.RLIM_INFINITY else min(hard, used + BUDGET)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def csv_text(rows: list[list[object]], sep: str) -> str:
    return "\n".join(sep.join(str(c).replace("\n", " ") for c in row) for row in rows) + "\n"


ROWS = st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=0, max_size=6)


def assert_calm(r: object, root: Path, before: dict[str, bytes]) -> None:
    out = r.output  # type: ignore[attr-defined]
    assert r.exit_code in (0, 1, 2), out  # type: ignore[attr-defined]
    assert "Traceback" not in out and "internal error" not in out, out
    assert snapshot(root) == before, "an input changed, or an output was left behind"


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(table=st.sampled_from(TABLES), rows=ROWS, sep=st.sampled_from([",", ";", "\t"]),
       header=st.booleans())
def test_any_csv_table(tmp_path_factory: object, table: str, rows: list[list[object]],
                       sep: str, header: bool) -> None:
    root = tmp_path_factory.mktemp("fuzz")  # type: ignore[attr-defined]
    case = write_case(root / "case")
    target = case / f"{table}.csv"
    head = target.read_text(encoding="utf-8").splitlines()[0].split(",") if target.exists() \
        else ["state"]
    text = csv_text(([head] if header else []) + rows, sep)
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = snapshot(root)
    with bounded_memory():
        assert_calm(run("solve", case, "--no-write"), root, before)
    shutil.rmtree(root)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=ROWS, as_slate=st.booleans())
def test_any_workbook(tmp_path_factory: object, rows: list[list[object]], as_slate: bool
                      ) -> None:
    root = tmp_path_factory.mktemp("fuzzx")  # type: ignore[attr-defined]
    case = write_case(root / "case")
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["post", "state"] if as_slate else ["state", "group"])
    for row in rows:
        try:
            ws.append([c if not isinstance(c, int) or abs(c) < 2**53 else str(c) for c in row])
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some
            continue
    book = root / ("slate.xlsx" if as_slate else "groups.xlsx")
    try:
        wb.save(book)
    except (ValueError, TypeError):
        return
    if not as_slate:
        (case / "groups.csv").unlink()
        shutil.move(str(book), case / "groups.xlsx")
    before = snapshot(root)
    with bounded_memory():
        if as_slate:
            assert_calm(run("check", case, book), root, before)
            assert_calm(run("compare", book, book, "--case", case, "--no-write"), root, before)
        else:
            assert_calm(run("solve", case, "--no-write"), root, before)
    shutil.rmtree(root)


# the characters where a CSV text's lines may end or not: the line ends the csv module knows,
# those str.splitlines adds (control characters among them), quotes and separators
LINE_TEXT = st.lists(st.sampled_from(
    ['a', 'é', ' ', '\t', ',', ';', '"', '\r', '\n', '\r\n', '\x0b', '\x0c', '\x1c', '\x1d', '\x1e',
     '\x85', '\u2028', '\u2029']), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=LINE_TEXT, sep=st.sampled_from([",", ";"]))
def test_the_csv_records_of_a_text_split_in_lines_are_those_of_the_text(text: str,
                                                                        sep: str) -> None:
    """The reader hands the csv module the text's lines, split already, where splitlines
    splits as a file opened with newline="" does: the records are those of the text."""
    import csv
    import io

    from planner.io.tables import _holds_control, csv_records

    whole = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    uncontrolled = not _holds_control(text)
    assert csv_records(text, text.splitlines(keepends=True), sep, uncontrolled) == whole


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=ROWS, sep=st.sampled_from([",", ";"]))
def test_a_csv_tables_columns_and_numbers_are_its_rows(tmp_path_factory: object,
                                                       rows: list[list[object]],
                                                       sep: str) -> None:
    """A CSV table read column by column (its rows made only when asked for) holds the same
    cells and row numbers as its rows."""
    from planner.errors import Problems
    from planner.io.tables import read_csv_table

    path = tmp_path_factory.mktemp("columns") / "t.csv"  # type: ignore[attr-defined]
    path.write_text(csv_text([["state", "group", "x"], *rows], sep), encoding="utf-8",
                    errors="surrogatepass")
    t = read_csv_table("groups", path, "t.csv", Problems())
    if t is None:
        return
    assert t.numbers() == [r.number for r in t.rows]
    assert len(t.rows) == len(list(t.rows))
    for key in [*t.headers, "absent"]:
        assert t.column(key) == [r.raw(key) for r in t.rows]


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(LINE_TEXT, st.lists(st.sampled_from(
    ["a", " ", ",", "\t", "\r", "\n", "\r\n", "\x00", "\x7f", "\x1f", "\u200b", "\xa0"]),
    max_size=30).map("".join)), sep=st.sampled_from([",", ";", "\t"]))
@example(text="state\r \nFrance\n", sep=",")  # a blank line after a lone \r (a review found)
def test_a_blank_line_is_found_as_line_by_line(text: str, sep: str) -> None:
    """Whether a text holds a control character, and where it holds none whether it may hold
    a blank row (a line of nothing but separators, quotes and blank space), asked of the whole
    text at once, is what asking character by character and line by line says."""
    from planner.io.tables import _CONTROL, _looked_over

    controlled, blank = _looked_over(text, text.splitlines(keepends=True), sep)
    assert controlled == (_CONTROL.search(text) is not None)
    if controlled:
        return
    lines = text.splitlines()
    assert blank == any(not line.replace(sep, "").replace('"', "").strip() for line in lines)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(LINE_TEXT, st.lists(st.sampled_from(
    ["a", "b", " ", ",", ";", "\t", "\r", "\n", "\r\n", '"', "\xe9", "\x85"]),
    max_size=40).map("".join)), sep=st.sampled_from([",", ";", "\t"]))
@example(text="a,b\r\nc,d\r\n", sep=",")
@example(text="a,b\nc,d", sep=",")
def test_a_plain_text_split_at_its_separators_is_what_the_csv_module_reads(text: str,
                                                                            sep: str) -> None:
    """Where a CSV text is plain enough to be split at its separators all at once, its rows
    are the csv module's records of it, and the columns are each row's cells."""
    import csv
    import io

    from planner.io.tables import _holds_control, plain_cells

    flat = plain_cells(text, text.splitlines(keepends=True), sep, not _holds_control(text))
    if flat is None:
        return
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    assert list(flat) == records
    assert [flat[i] for i in range(len(flat))] == records
    assert flat[1:] == records[1:]
