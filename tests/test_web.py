"""The consultation board (planner serve) through the framework's test client: every route,
the clicks, the refusals, the upload, the pack and the access token."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import openpyxl
import pytest

from planner.io.reader import carries_case, shipped_cases
from planner.rules.profile import open_case

from .test_cli import run

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


ORIGIN = {"origin": "http://127.0.0.1"}


def form_csrf(html: str) -> str:
    """The CSRF token the board's upload form carries (bound to the browser's cookie)."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


def total(html: str) -> str:
    found = re.search(r'id="total">([^<]+)<', html)
    assert found, html[:2000]
    return found.group(1)


@pytest.fixture(scope="module")
def client() -> TestClient:
    from planner.web.app import create_app

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    return TestClient(create_app(case, profile), base_url="http://127.0.0.1")


def test_the_board(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert total(r.text) == "3,280,833,668,322"  # the same count as planner room
    for word in ("Best slate", "Indonesia", "Rule check", "Rotation", "African States"):
        assert word in r.text
    # what an officer is needed for, in the rules' names (the ids are for the JSON)
    assert "<td>officers party to every instrument</td>" in r.text
    assert "<td>all_instruments_count</td>" not in r.text
    # the URL holds the board: the same address gives the same board
    again = client.get("/")
    assert total(again.text) == total(r.text)


def test_a_click_fixes_a_state_and_the_counts_change(client: TestClient) -> None:
    r = client.get("/?act=fix&act_state=Kenya&act_post=Vice-President", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/?fix=Vice-President%3DKenya"
    r = client.get(r.headers["location"])
    assert r.status_code == 200
    assert "Kenya as Vice-President" in r.text
    assert total(r.text) != "3,280,833,668,322"
    link = re.search(r'href="/(\?[^"]*fix=Vice-President%3DKenya[^"]*)"', r.text)
    assert link  # the board's own links carry its state
    r = client.get("/?exclude=Indonesia&absent=Kenya")
    assert "Indonesia left out" in r.text and "Kenya absent" in r.text


def test_no_slate_shows_the_conflict_in_words(client: TestClient) -> None:
    r = client.get("/?fix=President%3DKenya")
    assert r.status_code == 200 and "No slate can meet the rules" in r.text
    assert "at this session the President comes from the Asia-Pacific States" in r.text
    assert "asked for: Kenya as President" in r.text


def test_bad_board_values_are_refused_with_the_cli_messages(client: TestClient) -> None:
    r = client.get("/?exclude=Nigerr")
    assert r.status_code == 400 and "did you mean" in r.text
    r = client.get("/?ratified=Angola:convention:9999-12-30")
    assert r.status_code == 400 and "outside the dates the planner reads" in r.text
    r = client.get("/?case=..%2F..%2Fetc")  # never a path: an id the server does not hold
    assert r.status_code == 404 and "no longer on the server" in r.text and "etc" not in r.text


def test_the_pack_carries_the_board_and_its_case(client: TestClient, tmp_path: Path) -> None:
    r = client.get("/pack?fix=Vice-President%3DKenya")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    book = tmp_path / "pack.xlsx"
    book.write_bytes(r.content)
    assert carries_case(book)
    slate = [row[1] for row in openpyxl.load_workbook(book)["Slate"].iter_rows(
        min_row=2, values_only=True)]
    assert "Kenya" in slate
    assert run("check", book).exit_code == 0  # the e-mailed pack checks on its own


def test_uploads_are_read_with_the_cli_readers(client: TestClient, tmp_path: Path) -> None:
    page = client.get("/")
    csrf = form_csrf(page.text)
    cookie = client.cookies.get("planner_csrf")
    assert csrf and cookie and page.status_code == 200
    r = client.post("/upload", files={"workbook": ("x.xlsx", b"not a workbook")},
                    data={"csrf": "forged"}, headers=ORIGIN)
    assert r.status_code == 403 and "CSRF" in r.text
    # the cookie's own value, which a client may choose, is not the form's token
    r = client.post("/upload", files={"workbook": ("x.xlsx", b"not a workbook")},
                    data={"csrf": cookie}, headers=ORIGIN)
    assert r.status_code == 403 and "CSRF" in r.text
    # from another site's page, or with no Origin: refused before the form is read
    for origin in ({"origin": "http://evil.example"}, {}, {"origin": "null"},
                   {"origin": "null", "sec-fetch-site": "cross-site"}):
        r = client.post("/upload", files={"workbook": ("x.xlsx", b"not a workbook")},
                        data={"csrf": csrf}, headers=origin)
        assert r.status_code == 403 and "Origin" in r.text
    # the board's own page, under no-referrer, posts with Origin null: the browser's own
    # Sec-Fetch-Site says where from
    for origin in (ORIGIN, {"origin": "null", "sec-fetch-site": "same-origin"}):
        r = client.post("/upload", files={"workbook": ("x.xlsx", b"not a workbook")},
                        data={"csrf": csrf}, headers=origin)
        assert r.status_code == 400 and "the file is not an .xlsx workbook" in r.text
    r = client.post("/upload", content=b"x", headers={"content-length": str(10**9),
                                                      "content-type": "multipart/form-data"})
    assert r.status_code == 413
    good = tmp_path / "cop7.xlsx"
    assert run("init", good, "--from", "untoc-cop6-2012", "--session", "7").exit_code == 0
    r = client.post("/upload", files={"workbook": ("cop7.xlsx", good.read_bytes())},
                    data={"csrf": csrf}, headers=ORIGIN, follow_redirects=False)
    assert r.status_code == 303
    board = client.get(r.headers["location"])
    assert board.status_code == 200 and "Session 7" in board.text
    # its pack is named as the upload was sent, and never shows where the server kept it
    pack = client.get(r.headers["location"].replace("/?", "/pack?"))
    assert 'filename="cop7-board.xlsx"' in pack.headers["content-disposition"]
    book = tmp_path / "board.xlsx"
    book.write_bytes(pack.content)
    info = [str(c.value) for row in openpyxl.load_workbook(book)["Run info"].iter_rows()
            for c in row if c.value is not None]
    assert any("cop7.xlsx" in v for v in info)
    assert not any("planner-" in v and ".xlsx" in v and "/tmp" in v for v in info), info


def test_another_host_needs_the_token() -> None:
    from planner.web.app import create_app

    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    guarded = TestClient(create_app(case, profile, token="s3cret"), base_url="http://127.0.0.1")
    assert guarded.get("/").status_code == 403
    assert guarded.get("/pack").status_code == 403
    assert guarded.get("/?token=wrong").status_code == 403
    # the token leaves the address at once, as a cookie of this browser
    moved = guarded.get("/?token=s3cret&exclude=Kenya", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/?exclude=Kenya"
    assert "s3cret" not in moved.headers["location"]
    assert guarded.get("/").status_code == 200


def test_serve_is_a_command() -> None:
    r = run("serve", "--help")
    assert r.exit_code == 0 and "--host" in r.output and "127.0.0.1" in r.output


def test_one_seat_lists_who_could_take_it_and_why_not(client: TestClient) -> None:
    r = client.get("/?seat=Rapporteur:African")
    assert r.status_code == 200
    seat = r.text[r.text.index('id="seat"'):]
    assert "Who could take the Rapporteur seat of the African States" in seat
    assert "(instead of " in seat and "fix there" in seat
    r = client.get("/?seat=President:Asia-Pacific")  # the group nominated Indonesia
    seat = r.text[r.text.index('id="seat"'):]
    assert "Left out, and why" in seat and "held by their nominees (Indonesia)" in seat
    r = client.get("/?seat=Rapporteur:Oceania")
    assert r.status_code == 400 and "unknown regional group" in r.text


def test_two_chosen_slates_side_by_side(client: TestClient) -> None:
    r = client.get("/?compare_a=1&compare_b=3", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/?compare=1%2C3"
    page = client.get(r.headers["location"]).text
    compared = page[page.index('id="compared"'):]
    assert "slate 1" in compared and "slate 3" in compared
    assert " in slate 1, " in compared  # the differences, in words
    assert client.get("/?compare=1,99").status_code == 400


def test_review_findings(client: TestClient) -> None:
    # numbers that are digits to Python but not to int(), or too long: refused, not a 500
    for query in ("?k=%C2%B2", "?k=" + "9" * 5000, "?compare=%C2%B2,1", "?compare=1,1"):
        r = client.get("/" + query)
        assert r.status_code == 400, query
    # a problem repeated in the address is said once
    r = client.get("/?" + "&".join(["exclude=Atlantiss"] * 200))
    assert r.status_code == 400 and r.text.count("Atlantiss") == 1
    # another name for this machine is refused on the local board (DNS rebinding)
    r = client.get("/", headers={"host": "evil.example"})
    assert r.status_code == 400
    # a bad upload's message names the file as sent, not where the server keeps it
    csrf = form_csrf(client.get("/").text)
    r = client.post("/upload", files={"workbook": ("mine.xlsx", b"no workbook")},
                    data={"csrf": csrf}, headers=ORIGIN)
    assert r.status_code == 400 and "mine.xlsx: the file is not an .xlsx workbook" in r.text
    assert "/tmp/planner-" not in r.text
    # the pack of a board with no slate holds the conflicts
    r = client.get("/pack?fix=President%3DKenya")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "Conflicts" in book.sheetnames


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_control_is_labelled_and_text_has_contrast(client: TestClient) -> None:
    """Each form control has a label a screen reader reads, and every text colour of the page
    stands out from white and from the problems box at WCAG AA (4.5:1)."""
    import re
    from html.parser import HTMLParser

    class Controls(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0  # inside a <label>
            self.unlabelled: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "label":
                self.depth += 1
            elif (tag in ("select", "input", "textarea") and a.get("type") != "hidden"
                  and not self.depth and not a.get("aria-label")
                  and not (tag == "input" and a.get("type") in ("submit", "button"))):
                self.unlabelled.append(f"{tag} {a.get('name')}")

        def handle_endtag(self, tag: str) -> None:
            if tag == "label":
                self.depth -= 1

    for url in ("/", "/?seat=Vice-President%3AAfrican+States", "/?compare=1,2"):
        parser = Controls()
        parser.feed(client.get(url).text)
        assert parser.unlabelled == [], (url, parser.unlabelled)
    css = client.get("/static/board.css").text
    colours = [c if len(c) == 7 else "#" + "".join(x * 2 for x in c[1:])
               for c in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b",
                                   css)]
    assert len(colours) >= 4
    for colour in colours:
        assert _contrast(colour, "#ffffff") >= 4.5, colour
        assert _contrast(colour, "#fdecea") >= 4.5, colour


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(shipped_cases()))
def test_a_round_from_board_to_pack_on_every_shipped_case(name: str, tmp_path: Path) -> None:
    """On each shipped case and profile: the board, a State left out and one fixed in its
    place, one seat's candidates, two slates side by side, and the pack, which checks alone."""
    from planner.web.app import create_app

    case, profile = open_case(shipped_cases()[name])
    client = TestClient(create_app(case, profile), base_url="http://127.0.0.1")
    board = client.get("/")
    # counted exactly, or said not to be (the General Committee: too many kinds of State)
    assert board.status_code == 200 and "Valid slates in all:" in board.text
    officers = re.findall(r'<tr><td>([^<]+)</td><td class="officer">([^<]+)</td>', board.text)
    assert officers, name
    post, state = officers[-1]
    out = client.get(f"/?exclude={state}".replace(" ", "+"))
    assert out.status_code == 200 and f"{state} left out" in out.text
    again = client.get(f"/?fix={post}%3D{state}".replace(" ", "+"))
    assert again.status_code == 200 and f"{state} as {post}" in again.text
    seat = re.search(r'href="(/\?[^"]*seat=[^"#]+)', again.text)
    assert seat and client.get(seat.group(1).replace("&amp;", "&")).status_code == 200
    compared = client.get("/?compare=1,2")
    assert compared.status_code == 200
    assert "slate 1" in compared.text and "slate 2" in compared.text
    pack = client.get(f"/pack?fix={post}%3D{state}".replace(" ", "+"))
    book = tmp_path / "pack.xlsx"
    book.write_bytes(pack.content)
    assert carries_case(book)
    assert run("check", book).exit_code == 0


def test_the_board_speaks_each_bodys_words() -> None:
    """The rotation is headed by the body's own posts, and a body whose membership decides who
    sits is not offered a ratification."""
    from planner.web.app import create_app

    case, profile = open_case(shipped_cases()["cnd-69-2026"])
    page = TestClient(create_app(case, profile), base_url="http://127.0.0.1").get("/").text
    rotation = page[page.index('<section id="rotation">'):]
    assert "<th>Chair</th>" in rotation and "President" not in rotation
    assert 'name="ratified"' not in page
    case, profile = open_case(shipped_cases()["untoc-cop6-2012"])
    page = TestClient(create_app(case, profile), base_url="http://127.0.0.1").get("/").text
    assert 'placeholder="Angola:convention:2012-10-15"' in page


def test_an_upload_the_server_no_longer_holds_is_said_not_replaced(client: TestClient) -> None:
    """A board's address naming an uploaded case the server no longer holds gets a word, not
    the server's own case in its place."""
    r = client.get("/?case=deadbeefdeadbeef&fix=Vice-President%3DKenya")
    assert r.status_code == 404 and "no longer on the server" in r.text
    assert 'id="total"' not in r.text
    p = client.get("/pack?case=deadbeefdeadbeef")
    assert p.status_code == 404 and "upload the workbook again" in p.text


def test_no_slate_on_the_board_says_its_cause_and_fix(client: TestClient) -> None:
    """The President's nominee marked absent: the board names the nominee, the group, the post
    and the fix first, as the terminal does."""
    r = client.get("/?absent=Indonesia")
    assert r.status_code == 200 and "No slate can meet the rules" in r.text
    assert ("Indonesia, nominated by the Asia-Pacific States for President, is not present."
            in r.text)
    assert "withdrawals table" in r.text and "the body elects" not in r.text


def test_the_board_keeps_one_choice_a_state(client: TestClient) -> None:
    """A State kept as Vice-President, then left out: the new choice replaces the old, and the
    board has a slate; the form's actions do the same."""
    from planner.web.board import BoardState

    kept = BoardState(fix=(("Vice-President", "Benin"),))
    query = kept.choosing("exclude", "Benin")
    assert "fix=" not in query and "exclude=Benin" in query
    r = client.get("/" + query)
    assert r.status_code == 200 and "Benin left out" in r.text and "Benin as" not in r.text
    assert "No slate can meet the rules" not in r.text
    r = client.get("/?fix=Vice-President%3DBenin&act=absent&act_state=Benin")
    assert "Benin absent" in r.text and "Benin as Vice-President" not in r.text


def test_who_else_never_offers_a_state_left_out(client: TestClient) -> None:
    base = client.get("/?seat=Vice-President:African%20States")
    offered = re.findall(r"<li>([^<(]+) \(instead of", base.text)
    assert offered, base.text[:500]
    first = offered[0].strip()
    r = client.get(f"/?exclude={first}&seat=Vice-President:African%20States")
    assert first not in re.findall(r"<li>([^<(]+) \(instead of", r.text)


def test_a_nominee_is_withdrawn_not_left_out(client: TestClient) -> None:
    """Beside the President's only nominee the board offers withdraw (its nomination lapses),
    not leave out (which keeps a nomination no slate can then meet)."""
    r = client.get("/")
    row = r.text[r.text.index(">Indonesia<"):][:600]
    assert "withdraw" in row and "leave out" not in row
    r = client.get("/?withdraw=Indonesia")
    assert r.status_code == 200 and "No slate can meet the rules" not in r.text
    assert "Indonesia withdrawn" in r.text


def test_a_conflict_lists_only_the_choices_in_it(client: TestClient) -> None:
    r = client.get("/?fix=President%3DKenya&exclude=Japan")
    assert "asked for: Kenya as President" in r.text and "Japan left out;" not in r.text


def test_next_best_slates_are_labelled_by_post_and_each_cell_by_its_group(
        client: TestClient) -> None:
    r = client.get("/")
    table = r.text[r.text.index('id="alternatives"'):]
    table = table[:table.index("</table>")]
    assert "<td>Vice-President (" not in table  # a row is a post, not the best slate's group
    assert re.search(r"Algeria <small>\(African States\)</small>", table)


@pytest.mark.slow
def test_a_board_shares_the_models_room_between_clicks_and_it_is_the_room_asked_afresh() -> None:
    """Where the rules do not decompose (the General Committee), the room is the model's over
    the election alone, kept between clicks that only fix or leave out States: the board of a
    later click shows exactly what room() gives asked afresh, and says the same words."""
    from planner.consult.rounds import room
    from planner.rules.election import prepare
    from planner.web.board import build, parse_state

    case, profile = open_case(shipped_cases()["unga-gc73-2018"])
    first = build(case, profile, parse_state({"exclude": ["Kenya"]}, case, profile.open_seats))
    again = build(case, profile, parse_state({"exclude": ["Peru"]}, case, profile.open_seats))
    fresh = room(prepare(case, profile), None, (), ("Peru",), by_class=True)
    assert again.room["groups"] == first.room["groups"]
    assert [g["states"] for g in again.room["groups"]] == [list(g.states) for g in fresh.groups]
    assert again.room["not_exact_because"] == fresh.not_exact
    plain = build(case, profile, parse_state({}, case, profile.open_seats))
    assert "without the fixes and exclusions" not in plain.room["not_exact_because"]
