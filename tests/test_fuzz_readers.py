"""Fuzzing every reader a hostile input reaches (issue 22): a workbook's XML however spelt, a
profile's TOML however shaped, the board's forms and addresses with any values. Each answer is
a result or a refusal (exit 2, HTTP 4xx), never a crash (exit 3, HTTP 500)."""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import InputError
from planner.io.xlsx_scan import unsafe_workbook
from planner.rules.profile import profile_from_data, shipped_profiles

from .test_fuzz import bounded_memory
from .test_web import ORIGIN, form_csrf

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
QUICK = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
AT_LENGTH = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

# ---------------------------------------------------------------------------------------------
# a workbook's XML

REFS = st.one_of(st.sampled_from(["A1", "B2", "XFD1048576", "xfd1", "A", "7", "", " A1 ",
                                  "ZZZZ1", "A99999999", "A1:B2", "-1", "A0"]),
                 st.text(max_size=8))
ATTRS = st.lists(st.tuples(st.sampled_from(["r", "t", "s", "R", "x:r", "ref"]),
                           st.one_of(REFS, st.sampled_from(["s", "inlineStr", "S", "n"]))),
                 max_size=3)


def _attrs(pairs: list[tuple[str, str]], quote: str) -> str:
    from xml.sax.saxutils import quoteattr

    seen: set[str] = set()
    out = []
    for k, v in pairs:
        if k in seen:
            continue
        seen.add(k)
        text = quoteattr(v) if quote == '"' else (
            "'" + quoteattr(v)[1:-1].replace("'", "&apos;") + "'")
        out.append(f"{k}={text}")
    return (" " + "  ".join(out)) if out else ""


@st.composite
def sheet_xml(draw: st.DrawFn) -> str:
    quote = draw(st.sampled_from(['"', "'"]))
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        cells = []
        for _ in range(draw(st.integers(0, 4))):
            tag = draw(st.sampled_from(["c", "x:c"]))
            body = draw(st.sampled_from(["<v>1</v>", "<v>0</v>", "<is><t>x</t></is>", "",
                                         "<x:v>2</x:v>"]))
            cells.append(f"<{tag}{_attrs(draw(ATTRS), quote)}>{body}</{tag}>")
        row_attrs = _attrs([("r", draw(REFS))] if draw(st.booleans()) else [], quote)
        rows.append(f"<row{row_attrs}>{''.join(cells)}</row>")
    dimension = (f"<dimension ref={quote}{draw(REFS)}{quote}/>" if draw(st.booleans())
                 else "")
    return (f'<worksheet xmlns="{NS}" xmlns:x="{NS}">{dimension}<sheetData>{"".join(rows)}'
            "</sheetData></worksheet>")


@st.composite
def shared_xml(draw: st.DrawFn) -> str:
    spellings = st.sampled_from(["", " ", ' xml:space="preserve"'])
    items = "".join(f"<si{draw(spellings)}><t>{'x' * draw(st.integers(0, 50))}</t></si>"
                    for _ in range(draw(st.integers(0, 3))))
    return f'<sst xmlns="{NS}">{items}</sst>'


def _crafted(tmp: Path, sheet: str, shared: str) -> Path:
    from .factory import crafted_workbook

    return crafted_workbook(
        tmp / "fuzzed.xlsx",
        lambda name, data: sheet.encode("utf-8", "surrogatepass")
        if name == "xl/worksheets/sheet1.xml" else data,
        {"xl/sharedStrings.xml": shared})


def _any_xml(tmp: Path, sheet: str, shared: str) -> None:
    from planner.errors import Problems
    from planner.io.tables import read_workbook

    book = _crafted(tmp, sheet, shared)
    said = unsafe_workbook(book)
    assert said is None or isinstance(said, str)
    with bounded_memory():
        problems = Problems()
        read_workbook(book, "fuzzed.xlsx", problems)  # sheets, or problems: never a crash


@QUICK
@given(sheet=sheet_xml(), shared=shared_xml())
def test_any_sheet_xml(tmp_path_factory: pytest.TempPathFactory, sheet: str,
                       shared: str) -> None:
    _any_xml(tmp_path_factory.mktemp("xml"), sheet, shared)


@pytest.mark.slow
@AT_LENGTH
@given(sheet=sheet_xml(), shared=shared_xml())
def test_any_sheet_xml_at_length(tmp_path_factory: pytest.TempPathFactory, sheet: str,
                                 shared: str) -> None:
    _any_xml(tmp_path_factory.mktemp("xml"), sheet, shared)


# ---------------------------------------------------------------------------------------------
# a profile's TOML

SHIPPED = {name: tomllib.loads(path.read_text(encoding="utf-8"))
           for name, path in shipped_profiles().items()}
VALUES = st.one_of(st.integers(-10**12, 10**12), st.text(max_size=30), st.booleans(),
                   st.floats(allow_nan=True), st.none(),
                   st.lists(st.one_of(st.integers(-5, 5), st.text(max_size=10)), max_size=3),
                   st.sampled_from(["each_group", "at_most", "President", "yes", "", "🙂",
                                    "\u202e", 0, -1, 10**9]))


def _paths(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the data a value sits (keys of tables, items of arrays)."""
    out = [at] if at else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*at, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*at, i))
    return out


def _mutated(data: Any, at: tuple[Any, ...], value: Any) -> Any:
    import copy

    out = copy.deepcopy(data)
    target = out
    for k in at[:-1]:
        target = target[k]
    if value is None and isinstance(target, dict):
        del target[at[-1]]
    else:
        target[at[-1]] = value
    return out


def _any_profile(name: str, picks: list[tuple[int, Any]]) -> None:
    from planner.rules.election import prepare
    from planner.rules.profile import load_profile
    from planner.solve.best import solve

    data = SHIPPED[name]
    for index, value in picks:
        places = _paths(data)
        if not places:
            break
        data = _mutated(data, places[index % len(places)], value)
    try:
        profile = profile_from_data(data, "fuzzed.toml")
    except InputError:
        return
    # a profile that reads may still be asked of a case: a result or a refusal
    from planner.io.reader import load_case, shipped_cases

    shipped = shipped_cases()[str(load_profile(name).default_case)]
    try:
        case = load_case(shipped, profile.body)
        solve(prepare(case, profile))
    except InputError:
        return


PICKS = st.lists(st.tuples(st.integers(0, 10**6), VALUES), min_size=1, max_size=3)


@QUICK
@given(name=st.sampled_from(sorted(SHIPPED)), picks=PICKS)
def test_any_profile(name: str, picks: list[tuple[int, Any]]) -> None:
    _any_profile(name, picks)


@pytest.mark.slow
@AT_LENGTH
@given(name=st.sampled_from(sorted(SHIPPED)), picks=PICKS)
def test_any_profile_at_length(name: str, picks: list[tuple[int, Any]]) -> None:
    _any_profile(name, picks)


# ---------------------------------------------------------------------------------------------
# the board's addresses and forms

KEYS = st.sampled_from(["fix", "exclude", "absent", "withdraw", "ratified", "nominate", "k",
                        "seat", "compare_a", "compare_b", "act", "act_state", "act_post",
                        "case", "token", "x", "seat_post", "seat_group"])
PARAM_VALUES = st.one_of(st.text(max_size=40), st.sampled_from(
    ["President=Kenya", "Kenya", "Kenya:convention:2012-01-01", "Kenya:President", "3", "0",
     "-1", "99999999999", "fix", "exclude", "Vice-President", "African States", "%00",
     "President=", "=Kenya", "Kenya:convention:2012-02-30", "\u202e"]))


@pytest.fixture(scope="module")
def board() -> TestClient:
    from planner.io.reader import shipped_cases
    from planner.rules.profile import open_case
    from planner.web.app import create_app

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    return TestClient(create_app(case, profile), base_url="http://127.0.0.1",
                      raise_server_exceptions=False)


def _any_address(board: TestClient, params: list[tuple[str, str]], pack: bool) -> None:
    r = board.get("/pack" if pack else "/", params=params, follow_redirects=False)
    assert r.status_code in (200, 303, 400, 404), (params, r.status_code, r.text[:500])


@QUICK
@given(params=st.lists(st.tuples(KEYS, PARAM_VALUES), max_size=5), pack=st.booleans())
def test_any_address(board: TestClient, params: list[tuple[str, str]], pack: bool) -> None:
    _any_address(board, params, pack)


@pytest.mark.slow
@AT_LENGTH
@given(params=st.lists(st.tuples(KEYS, PARAM_VALUES), max_size=8), pack=st.booleans())
def test_any_address_at_length(board: TestClient, params: list[tuple[str, str]],
                               pack: bool) -> None:
    _any_address(board, params, pack)


@QUICK
@given(fields=st.dictionaries(st.sampled_from(["csrf", "workbook", "x"]), PARAM_VALUES,
                              max_size=3),
       file=st.one_of(st.none(), st.binary(max_size=200)), name=st.text(max_size=30))
def test_any_upload_form(board: TestClient, fields: dict[str, str], file: bytes | None,
                         name: str) -> None:
    page = board.get("/")
    data = dict(fields)
    if "csrf" not in data:
        data["csrf"] = form_csrf(page.text)
    files = {"workbook": (name or "x.xlsx", file)} if file is not None else None
    r = board.post("/upload", data=data, files=files, headers=ORIGIN,
                   follow_redirects=False)
    assert r.status_code in (303, 400, 403, 413), (r.status_code, r.text[:500])
