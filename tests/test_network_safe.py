"""Safe to put on a network (issue 22): each class of hole the hostile round found, held at its
root with several instances. A refusal is exit 2 (HTTP 422 on the board) naming the key and
the fix, and says nothing of what lies outside the case's folder."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.io.reader import shipped_cases
from planner.rules.profile import shipped_profiles
from planner.web.app import LOCAL_HOSTS

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from .test_cli import run
from .test_hostile import refused

# ---------------------------------------------------------------------------------------------
# 1. Files a case names: inside its own folder only


def _case_naming(tmp_path: Path, profile: str) -> Path:
    """The shipped Montreal Protocol case, its session table naming `profile`."""
    folder = tmp_path / "case"
    shutil.copytree(shipped_cases()["montreal-mop34-2022"], folder)
    session = folder / "session.csv"
    lines = session.read_text(encoding="utf-8").splitlines()
    lines = [f'profile,"{profile}"' if line.startswith("profile,") else line for line in lines]
    session.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# a few instances in the quick suite, the rest in the slow one
@pytest.mark.parametrize("name", [
    "/etc/passwd", "../../../../etc/shadow", "sub/../../outside.toml",
    *(pytest.param(n, marks=pytest.mark.slow) for n in (
        "/proc/self/environ", "..\\..\\body.toml", "C:\\Windows\\win.ini", "~/body.toml")),
])
def test_a_profile_named_outside_the_case_is_never_opened(tmp_path: Path, name: str) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('secret_key = "top secret"\n', encoding="utf-8")
    case = _case_naming(tmp_path, name)
    r = run("solve", case, "--no-write")
    refused(r, "key profile")
    assert "top secret" not in r.output and "secret_key" not in r.output
    assert "root:" not in r.output  # nothing of /etc/passwd
    assert "--profile FILE" in r.output


def test_a_link_out_of_the_case_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.toml"
    shutil.copy(shipped_profiles()["montreal-mop"], outside)
    case = _case_naming(tmp_path, "body.toml")
    (case / "body.toml").symlink_to(outside)
    refused(run("solve", case, "--no-write"), "is outside the case folder")
    # a link inside the folder is the folder's own file
    (case / "body.toml").unlink()
    shutil.copy(shipped_profiles()["montreal-mop"], case / "real.toml")
    (case / "body.toml").symlink_to(case / "real.toml")
    assert run("solve", case, "--no-write").exit_code == 0


def test_a_fifo_or_a_device_named_as_a_profile_is_refused(tmp_path: Path) -> None:
    case = _case_naming(tmp_path, "body.toml")
    os.mkfifo(case / "body.toml")
    refused(run("solve", case, "--no-write"), "is not a regular file")
    refused(run("solve", "--profile", "/dev/zero", "--no-write"), "is not a regular file")
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    refused(run("solve", "--profile", fifo, "--no-write"), "is not a regular file")


def test_the_case_folder_not_the_working_folder_gives_the_profile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same case names body.toml; a body.toml in the working folder (of another body) is
    never read: the answer is the same wherever the command runs."""
    case = _case_naming(tmp_path, "body.toml")
    shutil.copy(shipped_profiles()["montreal-mop"], case / "body.toml")
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    shutil.copy(shipped_profiles()["untoc-cop"], elsewhere / "body.toml")
    import json

    def answer() -> tuple[object, object]:
        data = json.loads(run("solve", case, "--json", "--no-write").stdout)
        return data["slate"], data["profile"]

    here = answer()
    monkeypatch.chdir(elsewhere)
    assert answer() == here
    # and without the case's own file, the working folder's is not taken instead
    (case / "body.toml").unlink()
    refused(run("solve", case, "--no-write"), "is not in the case folder")


def test_profiles_are_read_within_bounds(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    refused(run("solve", "--profile", deep, "--no-write"), "nested 50000 deep")
    big = tmp_path / "big.toml"
    with big.open("wb") as f:
        f.write(b"# " + b"x" * (30 * 2**20) + b"\n")
    refused(run("solve", "--profile", big, "--no-write"), "more than the 1 MiB")
    years = tmp_path / "years.toml"
    years.write_text(shipped_profiles()["montreal-mop"].read_text(encoding="utf-8").replace(
        "years_between_sessions = 1", "years_between_sessions = 1000"), encoding="utf-8")
    assert "years_between_sessions = 1000" in years.read_text(encoding="utf-8")
    refused(run("plan", "--profile", years, "montreal-mop34-2022", "--sessions", "35-40",
                "--no-write"), "from 1 to 10")
    # strings and comments holding brackets are not nesting
    text = shipped_profiles()["untoc-cop"].read_text(encoding="utf-8")
    quoted = tmp_path / "quoted.toml"
    quoted.write_text("# " + "[" * 100 + "\n" + text.replace(
        'short = "', 'short = "' + "[" * 100, 1), encoding="utf-8")
    r = run("profile", "show", quoted)
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("name", ["/etc/passwd", "../secret.csv", "link.csv", "pipe.csv"])
def test_a_status_file_is_read_by_the_same_rule(tmp_path: Path, name: str) -> None:
    from .factory import write_case

    case = write_case(tmp_path / "case")
    secret = tmp_path / "secret.csv"
    secret.write_text("participant,ratification\ntop secret,2001-01-01\n", encoding="utf-8")
    (case / "link.csv").symlink_to(secret)
    os.mkfifo(case / "pipe.csv")
    text = (case / "instruments.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",status_file"
    text[1] += f",{name}"
    (case / "instruments.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    r = run("solve", case, "--no-write")
    refused(r, "column status_file")
    assert "top secret" not in r.output and "root:" not in r.output


# ---------------------------------------------------------------------------------------------
# 2. Workbooks bounded by what they declare, however the XML is spelt

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _workbook_with(tmp_path: Path, sheet_xml: str, shared_xml: str | None = None,
                   sheets: int = 1) -> Path:
    """A workbook made by openpyxl, its sheets' XML (and shared strings) replaced; with
    sheets > 1, as many copies of that sheet beside it."""
    from .factory import crafted_workbook

    return crafted_workbook(
        tmp_path / "crafted.xlsx",
        lambda name, data: sheet_xml.encode() if name.startswith("xl/worksheets/sheet")
        else data,
        {"xl/sharedStrings.xml": shared_xml} if shared_xml is not None else None,
        hidden=sheets - 1)


FAR = [
    '<c t="inlineStr" r="XFD1048576"><is><t>x</t></is></c>',
    "<c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c>",
    '<c r="xfd1048576"><v>1</v></c>',
    '<c  r="XFD1048576"  ><v>1</v></c>',
    '<c\nr="XFD1048576"\n><v>1</v></c>',
    '<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="XFD1048576">'
    '<x:v>1</x:v></x:c>',
]


@pytest.mark.parametrize("far", FAR)
def test_a_far_cell_is_seen_however_it_is_spelt(tmp_path: Path, far: str) -> None:
    xml = (f'<worksheet {NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
           f'<row r="1048576">{far}</row></sheetData></worksheet>')
    refused(run("check", _workbook_with(tmp_path, xml)), "the workbook is refused")


def test_cells_without_references_are_placed_as_a_reader_places_them(tmp_path: Path) -> None:
    # a far row with no cell reference, and a far column reached by cells that follow
    # one another without references
    cells = "<c><v>1</v></c>" * 3000
    xml = (f'<worksheet {NS}><sheetData><row>{cells}</row><row r="1048576"><c><v>1</v></c>'
           "</row></sheetData></worksheet>")
    refused(run("check", _workbook_with(tmp_path, xml)), "more than the 2,000,000 cells")


@pytest.mark.parametrize("si, t", [("<si >", 't="s"'), ('<si xml:space="preserve">', "t='s'"),
                                   ("<si>", 't="s" ')])
def test_a_shared_strings_bomb_is_seen_however_it_is_spelt(tmp_path: Path, si: str,
                                                           t: str) -> None:
    shared = (f'<sst {NS} count="1" uniqueCount="1">{si}<t>{"x" * 2_000_000}</t></si></sst>')
    cells = "".join(f'<c r="A{i}" {t}><v>0</v></c>' for i in range(1, 200))
    xml = f'<worksheet {NS}><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    refused(run("check", _workbook_with(tmp_path, xml, shared)), "times, more than a workbook")


def test_work_per_workbook_is_bounded(tmp_path: Path) -> None:
    # many hidden sheets, each within the bound of one sheet, beyond the workbook's together
    xml = (f'<worksheet {NS}><dimension ref="A1:T99999"/><sheetData><row r="1"><c r="A1">'
           '<v>1</v></c></row></sheetData></worksheet>')
    refused(run("check", _workbook_with(tmp_path, xml, sheets=5)),
            "more than the 5,000,000 a workbook may")
    small = f'<worksheet {NS}><sheetData/></worksheet>'
    refused(run("check", _workbook_with(tmp_path, small, sheets=101)),
            "more than the 100 sheets a workbook may")


# ---------------------------------------------------------------------------------------------
# 4. Packs: what a reader sees is what is judged, and the case carried is the case written


def test_a_pack_of_a_case_declaring_its_own_states_reads_back_alone(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent))
    from bench.generate import write_case

    case = write_case(tmp_path / "gen", states=60, groups=3, posts=6)
    pack = tmp_path / "away" / "pack.xlsx"
    pack.parent.mkdir()
    assert run("solve", case, "--out", pack).exit_code == 0
    shutil.copy(case / "profile.toml", pack.parent / "profile.toml")
    r = run("check", pack)
    assert r.exit_code == 0, r.output
    nxt = tmp_path / "away" / "next.xlsx"
    assert run("init", nxt, "--from", pack, "--session", "2", "--opening",
               "2014-10-06").exit_code == 0
    assert run("status", nxt).exit_code == 0


def _pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack.xlsx"
    assert run("solve", "--out", pack).exit_code == 0
    return pack


@pytest.mark.slow
def test_a_hidden_slate_is_never_judged_in_place_of_the_visible_one(tmp_path: Path) -> None:
    import openpyxl

    pack = _pack(tmp_path)
    # a very hidden sheet named like the one read, holding another slate
    wb = openpyxl.load_workbook(pack)
    forged = wb.copy_worksheet(wb["Slate"])
    forged.title = "Slates"
    forged.sheet_state = "veryHidden"
    wb.save(pack)
    refused(run("check", pack), "the sheet 'Slates' is hidden")
    # the Slate itself hidden, a reader seeing only the Bureau page
    wb = openpyxl.load_workbook(pack)
    del wb["Slates"]
    wb["Slate"].sheet_state = "hidden"
    wb.save(pack)
    refused(run("check", pack), "the sheet 'Slate' is hidden")
    # two sheets a reader cannot tell apart
    wb = openpyxl.load_workbook(pack)
    wb["Slate"].sheet_state = "visible"
    wb.copy_worksheet(wb["Slate"]).title = "slate "
    wb.save(pack)
    refused(run("check", pack), "sheets named alike")


def test_an_edited_case_inside_is_named_and_the_record_trusted(tmp_path: Path) -> None:
    import openpyxl

    pack = _pack(tmp_path)
    wb = openpyxl.load_workbook(pack)
    ws = wb["case.nominations"]
    assert ws.cell(2, 1).value == "Indonesia"
    ws.cell(2, 1).value = "Japan"
    wb.save(pack)
    r = run("check", pack)
    refused(r, "the hidden sheet(s) case.nominations differ from what Run info records")
    assert "planner check CASE WORKBOOK" in r.output
    # with the case named, the slate is judged under it, and the edit is said
    named = run("check", "untoc-cop6-2012", pack)
    assert named.exit_code == 0, named.output
    assert "changed after the planner wrote it" in named.output


# ---------------------------------------------------------------------------------------------
# 5. Text stays text; invisible controls are refused


def _no_formula_anywhere(book: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x.example","click")', "@SUM(A1)",
                                     *(pytest.param(p, marks=pytest.mark.slow)
                                       for p in ("+1+1", "-2+3"))])
def test_no_text_becomes_a_formula_on_any_sheet(tmp_path: Path, payload: str) -> None:
    from .factory import write_case

    case = write_case(tmp_path / "case")
    instruments = case / "instruments.csv"
    lines = instruments.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    row = lines[2].split(",")
    old = row[head.index("instrument")]
    row[head.index("instrument")] = '"' + payload.replace('"', '""') + '"'
    lines[2] = ",".join(row)
    instruments.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ratifications = case / "ratifications.csv"
    ratifications.write_text(ratifications.read_text(encoding="utf-8").replace(
        f",{old},", ',"' + payload.replace('"', '""') + '",'), encoding="utf-8")
    book = tmp_path / "init.xlsx"
    r = run("init", book, "--from", case)
    assert r.exit_code == 0, r.output
    _no_formula_anywhere(book)
    pack = tmp_path / "pack.xlsx"
    assert run("solve", case, "--out", pack).exit_code in (0, 1)
    _no_formula_anywhere(pack)


@pytest.mark.parametrize("control", ["\u202e", "\u200b",
                                     *(pytest.param(c, marks=pytest.mark.slow)
                                       for c in ("\u2066", "\ufeff"))])
def test_invisible_controls_in_names_are_refused(tmp_path: Path, control: str) -> None:
    text = shipped_profiles()["montreal-mop"].read_text(encoding="utf-8")
    profile = tmp_path / "p.toml"
    profile.write_text(text.replace('name = "Vice-President"',
                                    f'name = "Vice-{control}President"', 1), encoding="utf-8")
    r = run("solve", "montreal-mop34-2022", "--profile", profile, "--no-write")
    refused(r, "invisible formatting character")
    assert f"U+{ord(control):04X}" in r.output
    case = tmp_path / "case"
    shutil.copytree(shipped_cases()["montreal-mop34-2022"], case)
    nominations = case / "nominations.csv"
    lines = nominations.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    if "person" not in head:
        lines = [lines[0] + ",person", *(line + "," for line in lines[1:])]
    lines[1] = lines[1] + f"Ms{control} A" if lines[1].endswith(",") else lines[1]
    nominations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(run("solve", case, "--no-write"), "invisible formatting character")


# ---------------------------------------------------------------------------------------------
# 3. The board on a network


def _board(hosts: tuple[str, ...] | list[str] = LOCAL_HOSTS) -> TestClient:
    from planner.rules.profile import open_case
    from planner.web.app import create_app

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    return TestClient(create_app(case, profile, hosts=hosts), base_url="http://127.0.0.1")


def test_every_response_carries_the_security_headers() -> None:
    client = _board()
    for path, status in (("/", 200), ("/static/board.css", 200), ("/static/nothing.css", 404),
                         ("/?exclude=Atlantis", 400), ("/pack?case=gone", 404)):
        r = client.get(path)
        assert r.status_code == status, (path, r.status_code)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
    # the test client's own name is no name the server was started with
    r = client.get("/", headers={"host": "testserver"})
    assert r.status_code == 400
    named = _board(hosts=["planner.example"])
    r = named.get("/", headers={"host": "planner.example"})
    assert r.status_code == 200


@pytest.mark.parametrize("name", ["会议 第7届.xlsx",
                                  pytest.param("Réunion.xlsx", marks=pytest.mark.slow),
                                  pytest.param('a"b;c.xlsx', marks=pytest.mark.slow)])
def test_a_download_named_in_any_script(tmp_path: Path, name: str) -> None:
    from .test_web import ORIGIN, form_csrf

    client = _board()
    book = tmp_path / "cop7.xlsx"
    assert run("init", book, "--from", "untoc-cop6-2012", "--session", "7").exit_code == 0
    csrf = form_csrf(client.get("/").text)
    r = client.post("/upload", files={"workbook": (name, book.read_bytes())},
                    data={"csrf": csrf}, headers=ORIGIN, follow_redirects=False)
    assert r.status_code == 303, r.text
    pack = client.get(r.headers["location"].replace("/?", "/pack?"))
    assert pack.status_code == 200
    header = pack.headers["content-disposition"]
    header.encode("latin-1")  # a header as HTTP carries it
    assert header.startswith('attachment; filename="')
    if not name.isascii():
        assert "filename*=UTF-8''" in header


def test_a_busy_port_is_exit_2() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        r = run("serve", "--port", str(port))
        refused(r, f"cannot listen on 127.0.0.1 port {port}")
        assert "choose another --port" in r.output
    refused(run("serve", "--host", "203.0.113.7", "--port", str(port)), "cannot listen on")


@pytest.fixture
def bounded_server() -> Iterator[int]:
    """The board as planner serve runs it, on a free port, its deadline made short."""
    from planner.rules.profile import open_case
    from planner.web.app import create_app
    from planner.web.serving import BoundedH11Protocol, running

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    old = BoundedH11Protocol.deadline, BoundedH11Protocol.per_client
    BoundedH11Protocol.deadline, BoundedH11Protocol.per_client = 0.5, 8
    try:
        with running(create_app(case, profile)) as port:
            yield port
    finally:
        BoundedH11Protocol.deadline, BoundedH11Protocol.per_client = old


def _closed(conn: object, within: float) -> bool:
    import socket

    assert isinstance(conn, socket.socket)
    conn.settimeout(within)
    try:
        return conn.recv(1024) == b""
    except ConnectionResetError:
        return True  # closed with the request unread: the peer resets
    except TimeoutError:
        return False


@pytest.mark.slow
def test_half_sent_requests_do_not_hold_the_board(bounded_server: int) -> None:
    import http.client
    import socket
    import time

    port = bounded_server
    half = []
    for _ in range(12):  # more than one client may hold
        conn = socket.create_connection(("127.0.0.1", port))
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        half.append(conn)
    time.sleep(0.2)
    # beyond the bound, a client's connections are closed as they come
    assert sum(_closed(c, 0.3) for c in half[8:]) == 4
    # the rest, after the deadline (twice 0.5 s) with their request still not whole
    started = time.monotonic()
    assert all(_closed(c, 3) for c in half[:8])
    assert time.monotonic() - started < 3
    # and the board answers a whole request at once
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    client.request("GET", "/static/board.css")
    assert client.getresponse().status == 200
    # a request arriving slowly but whole within its deadline is served
    slow = socket.create_connection(("127.0.0.1", port))
    for part in (b"GET /static/board.css HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"\r\n"):
        slow.sendall(part)
        time.sleep(0.2)
    slow.settimeout(5)
    assert slow.recv(64).startswith(b"HTTP/1.1 200")
    for c in half:
        c.close()


def _rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.slow
def test_the_board_under_load_keeps_its_memory_and_serves_its_files(
        bounded_server: int) -> None:
    """200 clicks from 4 clients at once: every answer whole, the page's own files served
    meanwhile, and the server's memory back where it was (nothing kept per click). How long
    each takes is bench/load.py's to measure, not a test's."""
    import http.client
    import threading
    import time

    port = bounded_server
    states = ["Kenya", "Ghana", "Nigeria", "Egypt", "Japan", "China", "India", "Peru",
              "Chile", "France", "Italy", "Spain", "Poland", "Latvia", "Algeria"]
    statuses: list[int] = []
    static_times: list[float] = []

    def clicks(offset: int, n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for i in range(n):
            s = states[(offset + i) % len(states)]
            conn.request("GET", f"/?exclude={s}&k={1 + (offset + i) % 4}")
            r = conn.getresponse()
            r.read()
            statuses.append(r.status)

    def warm(n: int) -> None:
        threads = [threading.Thread(target=clicks, args=(k * 7, n)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    warm(10)  # the first boards build what every later one shares
    before = _rss_mib()
    threads = [threading.Thread(target=clicks, args=(k * 5, 50)) for k in range(4)]
    for t in threads:
        t.start()
    files = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while any(t.is_alive() for t in threads):
        started = time.monotonic()
        files.request("GET", "/static/board.css")
        files.getresponse().read()
        static_times.append(time.monotonic() - started)
        time.sleep(0.2)
    for t in threads:
        t.join()
    after = _rss_mib()
    assert statuses.count(200) == len(statuses) == 240
    assert static_times  # served while the clicks ran
    assert after - before < 40, (before, after)  # was about 1 MB a click: 200 MB


@pytest.mark.slow
def test_an_upload_is_read_in_a_bounded_process(tmp_path: Path) -> None:
    """Beyond the bounds of memory or time, the reading is stopped and said, and the server
    goes on; the file is read once and removed."""
    from planner.errors import InputError
    from planner.web.isolated import read_upload

    book = tmp_path / "cop7.xlsx"
    assert run("init", book, "--from", "untoc-cop6-2012", "--session", "7").exit_code == 0
    case, profile = read_upload(book)
    assert case.session.number == 7 and profile.name == "untoc-cop"
    for bounds in ({"memory": 1 * 2**20}, {"seconds": 0.001}):
        with pytest.raises(InputError) as said:
            read_upload(book, **bounds)  # type: ignore[arg-type]
        assert "could not be read within the board's bounds" in str(said.value)
    # the reader's own refusals come back as they are
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(InputError) as said:
        read_upload(bad)
    assert "the file is not an .xlsx workbook" in str(said.value)
    # on the board: nothing of the upload stays on the server's disk
    from .test_web import ORIGIN, form_csrf

    client = _board()
    csrf = form_csrf(client.get("/").text)
    r = client.post("/upload", files={"workbook": ("cop7.xlsx", book.read_bytes())},
                    data={"csrf": csrf}, headers=ORIGIN, follow_redirects=False)
    assert r.status_code == 303
    assert client.get(r.headers["location"]).status_code == 200
    server = client.app.state.server  # type: ignore[attr-defined]
    assert list(server.folder.iterdir()) == []


def test_any_token_or_form_value_is_a_refusal_not_a_crash() -> None:
    from planner.rules.profile import open_case
    from planner.web.app import create_app

    from .test_web import ORIGIN

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    guarded = TestClient(create_app(case, profile, token="s3cret"), base_url="http://127.0.0.1",
                         raise_server_exceptions=False)
    for token in ("\x80", "é", "s3cret\u202e", ""):
        assert guarded.get("/", params={"token": token}).status_code == 403
    client = _board()
    client.get("/")
    r = client.post("/upload", data={"csrf": "\x80é"}, headers=ORIGIN)
    assert r.status_code == 403 and "CSRF" in r.text


# ---------------------------------------------------------------------------------------------
# 6. Outputs: all of them or none, whatever happens


def test_a_full_disk_midway_through_the_csv_set_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import pandas as pd

    real = pd.DataFrame.to_csv
    calls = {"n": 0}

    def full_on_the_third(self: pd.DataFrame, *args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(pd.DataFrame, "to_csv", full_on_the_third)
    out = tmp_path / "out"
    out.mkdir()
    (out / "s.xlsx").write_bytes(b"the old workbook")
    r = run("solve", "--out", out / "s.xlsx", "--csv", out / "csv")
    refused(r, "no space left on device")
    assert "Traceback" not in r.output
    # the old workbook as it was, no CSV file, no temporary file
    assert (out / "s.xlsx").read_bytes() == b"the old workbook"
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == ["s.xlsx"]


def test_an_interruption_after_the_outputs_were_put_in_place_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A signal held while the outputs were renamed arrives after: the message says they were
    written whole, not that nothing was."""
    from planner.report import files

    real = files._put_in_place

    def then_interrupted(pairs: object) -> None:
        real(pairs)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "_put_in_place", then_interrupted)
    files.COMMITTED.clear()
    r = run("solve", "--out", tmp_path / "s.xlsx", "--csv", tmp_path / "csv")
    assert r.exit_code == 130
    assert "already written whole" in r.output and "s.xlsx" in r.output
    assert (tmp_path / "s.xlsx").exists()
    assert not [p for p in tmp_path.rglob("*.tmp")]


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../etc/hostname", "body.toml"])
def test_an_upload_naming_a_profile_elsewhere_learns_nothing(tmp_path: Path, name: str) -> None:
    import openpyxl

    from .test_web import ORIGIN, form_csrf

    book = tmp_path / "cop7.xlsx"
    assert run("init", book, "--from", "untoc-cop6-2012", "--session", "7").exit_code == 0
    wb = openpyxl.load_workbook(book)
    for row in wb["session"].iter_rows(min_row=2):
        if row[0].value == "profile":
            row[1].value = name
    wb.save(book)
    client = _board()
    csrf = form_csrf(client.get("/").text)
    r = client.post("/upload", files={"workbook": ("cop7.xlsx", book.read_bytes())},
                    data={"csrf": csrf}, headers=ORIGIN)
    assert r.status_code == 400
    assert "key profile" in r.text and "root:" not in r.text
    assert "/tmp/planner-" not in r.text  # where the server keeps uploads is not said


# ---------------------------------------------------------------------------------------------
# What the hostile review of these defences found, each held


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _package(tmp: Path, sheet: bytes, entries: int = 1) -> Path:
    """A workbook written part by part: `entries` sheet entries of workbook.xml, all reading
    one worksheet part whose bytes are `sheet`."""
    import zipfile

    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
             'formats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    root = (f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>')
    book = (f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
            + "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                      for i in range(entries)) + "</sheets></workbook>")
    links = (f'<Relationships xmlns="{RELS}">'
             + "".join(f'<Relationship Id="rId{i + 1}" Type="{DOC}/worksheet" '
                       'Target="worksheets/sheet1.xml"/>' for i in range(entries))
             + "</Relationships>")
    out = tmp / f"pkg-{entries}-{abs(hash(sheet)) % 10**8}.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", root)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", links)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out


def _sheet(far: str) -> bytes:
    return (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
            f'<t>x</t></is></c></row><row r="{far[3:]}"><c r="{far}"><v>1</v></c></row>'
            "</sheetData></worksheet>").encode()


@pytest.mark.parametrize("prefix", [b"x", "\u00a0".encode(),
                                    *(pytest.param(p, marks=pytest.mark.slow)
                                      for p in (b"\x0c", b"\x00"))])
def test_a_byte_before_the_xml_does_not_hide_a_sheet(tmp_path: Path, prefix: bytes) -> None:
    book = _package(tmp_path, prefix + _sheet("XFD1048576"))
    refused(run("check", book), "the workbook is refused")
    assert unsafe_workbook_said(book)


def unsafe_workbook_said(book: Path) -> str:
    from planner.io.xlsx_scan import unsafe_workbook

    return unsafe_workbook(book) or ""


def test_sheet_entries_reading_one_part_are_each_counted(tmp_path: Path) -> None:
    # one part of 1,000,000 rows by 2 columns, within a sheet's bound, listed three times
    sheet = _sheet("B1000000")
    assert unsafe_workbook_said(_package(tmp_path, sheet, 1)) == ""
    said = unsafe_workbook_said(_package(tmp_path, sheet, 3))
    assert "more than the 5,000,000 a workbook may" in said


def test_a_pack_whose_record_was_removed_says_so(tmp_path: Path) -> None:
    import openpyxl

    pack = _pack(tmp_path)
    wb = openpyxl.load_workbook(pack)
    for row in wb["Run info"].iter_rows():
        if row[0].value == "case sheets, SHA-256 (first 12)":
            row[0].value = "notes"
    wb.save(pack)
    r = run("check", pack)
    assert r.exit_code == 0
    assert "could not be held to a record of it" in r.output


def test_a_status_file_naming_a_hidden_sheet_is_refused(tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "case.xlsx"
    assert run("init", book, "--from", "untoc-cop6-2012").exit_code == 0
    wb = openpyxl.load_workbook(book)
    hidden = wb.create_sheet("xstatus")
    hidden.append(["Participant", "Ratification, Acceptance(A), Approval(AA), Accession(a)"])
    hidden.append(["Kenya", "16 Jun 2004"])
    hidden.sheet_state = "veryHidden"
    ws = wb["instruments"]
    headers = [c.value for c in ws[1]]
    if "status_file" not in headers:
        ws.cell(1, len(headers) + 1, "status_file")
        headers.append("status_file")
    ws.cell(2, headers.index("status_file") + 1, "xstatus")
    wb.save(book)
    refused(run("solve", book, "--no-write"), "the status sheet 'xstatus' is hidden")


def test_a_link_out_is_refused_alike_whether_its_end_exists(tmp_path: Path) -> None:
    outside = tmp_path / "there.toml"
    outside.write_text("x = 1\n", encoding="utf-8")
    said = []
    for target in (outside, tmp_path / "nothing.toml"):
        case = _case_naming(tmp_path / target.stem, "body.toml")
        (case / "body.toml").symlink_to(target)
        r = run("solve", case, "--no-write")
        refused(r, "is outside the case folder")
        said.append(r.output.replace(str(case), "CASE"))
    assert said[0] == said[1]


def test_a_panic_in_the_spreadsheet_reader_is_a_refusal(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """calamine's panics (pyo3's PanicException, a BaseException) on a workbook it cannot read
    are exit 2 like any broken workbook, never a crash (the fuzz suite at length met one:
    "range start index 16383 out of range"); an interruption still interrupts."""
    import python_calamine

    class PanicException(BaseException):  # as pyo3 raises it
        pass

    book = tmp_path / "cop7.xlsx"
    assert run("init", book, "--from", "untoc-cop6-2012", "--session", "7").exit_code == 0

    def panics(*_args: object, **_kwargs: object) -> object:
        raise PanicException("range start index 16383 out of range for slice of length 15811")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", panics)
    refused(run("solve", book, "--no-write"), "the workbook cannot be read (PanicException)")

    def interrupted(*_args: object, **_kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", interrupted)
    assert run("solve", book, "--no-write").exit_code == 130
