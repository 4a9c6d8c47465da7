"""planner data import and diff on real samples of the forms the UN Treaty Collection serves
(tests/data/untc-import/README.md says where each comes from)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

from planner.errors import InputError, Problems
from planner.io.untc import StatusTable, read_status

from .test_cli import run

DATA = Path(__file__).parent / "data" / "untc-import"


def _read(name: str) -> StatusTable:
    problems = Problems()
    table = read_status(DATA / name, name, problems)
    problems.raise_if_any()
    assert table is not None
    return table


def test_the_mtdsg_xml_is_read_with_its_footnotes_off() -> None:
    t = _read("XVIII-12-a.en.xml")
    assert (t.form, t.treaty) == ("MTDSG XML", "XVIII-12-a")
    assert t.title.startswith("Protocol to Prevent, Suppress and Punish Trafficking")
    by = {p.state: p for p in t.participants}
    assert len(t.participants) == 175
    assert by["China"].consent == dt.date(2010, 2, 8) and by["China"].action == "accession"
    assert by["Montenegro"].action == "succession"
    assert by["Albania"].signed == dt.date(2000, 12, 12)
    assert t.as_at is None and t.data_date == t.newest


def test_a_withdrawal_in_brackets_takes_its_day_of_effect_from_the_notes() -> None:
    t = _read("XXVII-7-a.en.xml")
    canada = next(p for p in t.participants if p.state == "Canada")
    assert canada.consent == dt.date(2002, 12, 17)
    assert canada.ended == dt.date(2012, 12, 15)
    assert sum(1 for p in t.participants if p.ended) == 1


def test_the_page_the_xml_and_the_2014_scrape_agree_on_the_same_rows() -> None:
    page = _read("XVIII-12-a-page.html")
    assert (page.form, page.treaty) == ("status page", "XVIII-12-a")
    xml = {p.state: p for p in _read("XVIII-12-a.en.xml").participants}
    assert len(page.participants) == 26
    for p in page.participants:
        x = xml[p.state]
        assert (p.signed, p.consent, p.action) == (x.signed, x.consent, x.action)
    old = {p.state: p for p in _read("18-12-a-2014.csv").participants}
    assert {s for s in old if old[s].consent} <= {s for s in xml if xml[s].consent}


def test_the_long_form_comes_down_to_one_row_a_participant() -> None:
    t = _read("long-form-coe.csv")
    assert t.form == "long form"
    by = {p.state: p for p in t.participants}
    assert by["Albania"].consent == dt.date(1999, 9, 28)  # day first, as the Collection writes
    assert by["Netherlands"].action == "acceptance"
    assert by["Czechia"].written == "Czech Republic"
    # a declaration's row is read and passed over: one participant, its ratification kept
    assert by["North Macedonia"].action == "ratification"
    assert len(t.participants) == 37


def test_a_denunciation_row_ends_the_party_from_its_day_of_effect(tmp_path: Path) -> None:
    src = tmp_path / "long.csv"
    rows = (DATA / "long-form-coe.csv").read_text(encoding="utf-8").splitlines()
    rows.append("Albania,Denunciation,01/03/2010,01/09/2010")
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = Problems()
    t = read_status(src, "long.csv", problems)
    assert t is not None and not problems
    assert next(p for p in t.participants if p.state == "Albania").ended == dt.date(2010, 9, 1)


def test_import_writes_the_tables_a_case_reads_with_their_provenance(tmp_path: Path) -> None:
    out = tmp_path / "untc"
    r = run("data", "import", DATA / "XVIII-12-a.en.xml", DATA / "XXVII-7-a.en.xml",
            DATA / "long-form-coe.csv", "--out", out)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [
        "XVIII-12-a.csv", "XXVII-7-a.csv", "long-form-coe.csv", "provenance.csv"]
    prov = {row["table"]: row for row in csv.DictReader(
        (out / "provenance.csv").open(encoding="utf-8"))}
    kyoto = prov["XXVII-7-a.csv"]
    assert kyoto["form"] == "MTDSG XML" and kyoto["denounced"] == "1"
    assert len(kyoto["sha256"]) == 64 and kyoto["read_at"].endswith("+00:00")
    assert prov["XVIII-12-a.csv"]["participants"] == "175"
    # no "status as at" in the XML: the data's date is the newest it holds
    assert prov["XVIII-12-a.csv"]["data_date"] == "2017-12-29"
    assert prov["XVIII-12-a.csv"]["status_as_at"] == ""
    head = (out / "XXVII-7-a.csv").read_text(encoding="utf-8").splitlines()
    assert head[0].endswith(",Denunciation")
    assert any(line.startswith("Canada,") and line.endswith(",15 Dec 2012") for line in head)


def test_an_imported_table_drives_the_case_and_a_denunciation_ends_a_party(
        tmp_path: Path) -> None:
    """The README's three steps on the UNTOC case of COP 6: the Trafficking Protocol's XML
    imported into the case's untc folder, the instrument pointed at it; status then dates the
    table by its import. A denunciation added to it (made up, for the test) makes its State no
    longer a party from the day it takes effect, and status says why."""
    case = tmp_path / "cop6"
    shutil.copytree(Path(__file__).parent.parent / "inputs" / "untoc-cop6-2012", case)
    r = run("data", "import", DATA / "XVIII-12-a.en.xml", "--out", case / "untc")
    assert r.exit_code == 0, r.output
    instruments = case / "instruments.csv"
    instruments.write_text(instruments.read_text(encoding="utf-8").replace(
        "untc/18-12-a.csv", "untc/XVIII-12-a.csv"), encoding="utf-8")
    r = run("status", case, "--json")
    assert r.exit_code == 0, r.output
    tables = {t["instrument"]: t for t in json.loads(r.stdout)["tables"]}
    assert tables["trafficking"]["date"] == "2017-12-29"
    assert tables["trafficking"]["said"].startswith("imported from ")
    assert tables["convention"]["said"] == "the newest date it holds"
    table = case / "untc" / "XVIII-12-a.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",Denunciation"] + [
        line + (",1 Jan 2012" if line.startswith("Algeria,") else ",") for line in lines[1:]]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("status", case, "--json")
    assert r.exit_code == 0, r.output
    by = {s["state"]: s for s in json.loads(r.stdout)["states"]}
    assert "trafficking" not in by["Algeria"]["instruments"]
    assert "trafficking" in by["Albania"]["instruments"]
    r = run("status", case, "--date", "2011-06-01", "--json")
    by = {s["state"]: s for s in json.loads(r.stdout)["states"]}
    assert "trafficking" in by["Algeria"]["instruments"]
    # the Convention denounced: no longer a party, so it cannot sit, and status says why
    convention = case / "untc" / "18-12.csv"
    lines = convention.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",Denunciation"] + [
        line + (",1 Jun 2012" if line.startswith("Afghanistan,") else ",")
        for line in lines[1:]]
    convention.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("status", case, "--json")
    by = {s["state"]: s for s in json.loads(r.stdout)["states"]}
    assert not by["Afghanistan"]["eligible"]
    assert by["Afghanistan"]["reason"] == ("no longer a party: its denunciation took effect on "
                                           "2012-06-01")


def test_diff_says_what_changed_in_words() -> None:
    r = run("data", "diff", DATA / "18-12-a-2014.csv", DATA / "XVIII-12-a.en.xml")
    assert r.exit_code == 0, r.output
    first = r.output.splitlines()[0]
    assert " parties added since " in first and "Afghanistan (accession, 15 August 2014)" in first
    r = run("data", "diff", DATA / "XVIII-12-a.en.xml", DATA / "XVIII-12-a.en.xml", "--json")
    said = json.loads(r.stdout)
    assert said["old_date"] == said["new_date"] == "2017-12-29"
    assert said["changes"] == ["No party added, changed or gone since 29 December 2017."]


def test_malformed_sources_are_refused_with_every_problem_and_nothing_written(
        tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Participant,Signature,\"Ratification, Accession(a)\"\n"
                   "Atlantis,12 Dec 2000,21 Aug 2002\nAlbania,12 Dec 2000,31 Feb 2002\n",
                   encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<html><body><table><tr><td>Nothing</td></tr></table></body></html>",
                    encoding="utf-8")
    out = tmp_path / "out"
    r = run("data", "import", bad, page, DATA / "XVIII-12-a.en.xml", "--out", out)
    assert r.exit_code == 2
    assert "Atlantis" in r.output and "row 2" in r.output
    assert "31 Feb 2002" in r.output and "row 3" in r.output
    assert "no participant table" in r.output
    assert not out.exists()


def test_problems_are_raised_together() -> None:
    problems = Problems()
    read_status(DATA / "README.md", "README.md", problems)
    try:
        problems.raise_if_any()
    except InputError as exc:
        assert exc.problems
    else:
        raise AssertionError("a README is no status table")


def test_succession_to_signature_and_provisional_application_columns(tmp_path: Path) -> None:
    """The column forms some treaties' tables use: a succession's d after a signature's date
    is a signature; a provisional application column is no consent."""
    src = tmp_path / "t.csv"
    src.write_text("Participant,\"Signature, Succession to signature(d)\",Provisional "
                   "application,\"Ratification, Accession(a), Succession(d)\"\n"
                   "Montenegro,23 Oct 2006 d,,\nAlbania,12 Dec 2000,1 Jan 2001,21 Aug 2002\n",
                   encoding="utf-8")
    problems = Problems()
    t = read_status(src, "t.csv", problems)
    assert t is not None and not problems
    by = {p.state: p for p in t.participants}
    assert by["Montenegro"].signed == dt.date(2006, 10, 23) and by["Montenegro"].consent is None
    assert by["Albania"].consent == dt.date(2002, 8, 21)
    assert [p.state for p in t.parties()] == ["Albania"]


def test_a_new_import_says_what_changed_since_the_table_it_replaces_everywhere(
        tmp_path: Path) -> None:
    """The 2014 scrape in place, the 2017 XML imported over it: provenance.csv says what
    changed, and the case's status, Run info sheet and board say it again; with every table
    imported, the currency note dates the data by the oldest import."""
    import warnings

    import openpyxl

    from planner.rules.profile import open_case
    from planner.web.app import create_app

    case = tmp_path / "cop6"
    shutil.copytree(Path(__file__).parent.parent / "inputs" / "untoc-cop6-2012", case)
    untc = case / "untc"
    shutil.copy(DATA / "18-12-a-2014.csv", untc / "XVIII-12-a.csv")
    r = run("data", "import", DATA / "XVIII-12-a.en.xml", "--out", untc)
    assert r.exit_code == 0, r.output
    prov = next(csv.DictReader((untc / "provenance.csv").open(encoding="utf-8")))
    assert prov["changes"].startswith("14 parties added since 13 December 2013: Afghanistan")
    instruments = case / "instruments.csv"
    instruments.write_text(instruments.read_text(encoding="utf-8").replace(
        "untc/18-12-a.csv", "untc/XVIII-12-a.csv"), encoding="utf-8")
    out = tmp_path / "s.xlsx"
    assert run("solve", case, "--out", out).exit_code == 0
    info = dict(openpyxl.load_workbook(out)["Run info"].iter_rows(min_row=2, values_only=True))
    assert "since the table it replaced: 14 parties added" in info[
        "status table untc/XVIII-12-a.csv"]
    # the provenance that dates the table is among the inputs the workbook records
    assert any(k.startswith("input ") and k.endswith("provenance.csv") for k in info)
    with warnings.catch_warnings():  # as tests/test_web.py imports it
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    loaded, profile = open_case(case)
    board = TestClient(create_app(loaded, profile), base_url="http://127.0.0.1").get("/")
    assert "Status table untc/XVIII-12-a.csv (trafficking): data of 2017-12-29" in board.text
    assert "14 parties added since 13 December 2013" in board.text
    # the other three imported too (their own 2014 tables): the data is as old as the oldest
    r = run("data", "import", untc / "18-12.csv", untc / "18-12-b.csv", untc / "18-12-c.csv",
            "--out", case / "imported")
    assert r.exit_code == 0, r.output
    text = instruments.read_text(encoding="utf-8")
    for name in ("18-12", "18-12-b", "18-12-c"):
        text = text.replace(f"untc/{name}.csv", f"imported/{name}.csv")
    instruments.write_text(text, encoding="utf-8")
    r = run("status", case, "--date", "2020-06-01", "--json")
    notes = json.loads(r.stdout)["assumptions"]
    assert ("The case's treaty tables speak for the treaties up to 24 September 2013, as "
            "imported: a deposit made after that day and before 1 June 2020 is not known to "
            "them.") in notes


def _long_rows(tmp_path: Path, *extra: str) -> Path:
    src = tmp_path / "long.csv"
    rows = (DATA / "long-form-coe.csv").read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join([*rows, *extra]) + "\n", encoding="utf-8")
    return src


def test_what_a_hostile_review_found_is_mended(tmp_path: Path) -> None:
    """A State that denounced and came back is a party; a denunciation before any consent is
    refused; ISO dates and superscript footnotes are read; a withdrawn State is not counted as
    a party; a withdrawal no longer listed is said."""
    problems = Problems()
    back = read_status(_long_rows(tmp_path, "Albania,Denunciation,01/03/2009,01/09/2009",
                                  "Albania,Accession,01/06/2011,01/09/2011"), "l", problems)
    assert back is not None and not problems
    albania = next(p for p in back.participants if p.state == "Albania")
    assert (albania.consent, albania.action, albania.ended) == (
        dt.date(2011, 6, 1), "accession", None)
    problems = Problems()
    read_status(_long_rows(tmp_path, "Andorra,Denunciation,01/03/2009,01/09/2009"), "l",
                problems)
    assert any("comes before any consent" in p.message for p in problems.items)
    wide = tmp_path / "w.csv"
    wide.write_text("Participant,Signature,\"Ratification, Accession(a)\"\n"
                    "Spain³˒⁴,2000-12-12,2002-08-21\nItaly 3,,21 Aug 2002 a\n",
                    encoding="utf-8")
    problems = Problems()
    t = read_status(wide, "w.csv", problems)
    assert t is not None and not problems, [str(p) for p in problems.items]
    assert [(p.state, p.signed) for p in t.participants] == [
        ("Spain", dt.date(2000, 12, 12)), ("Italy", None)]
    kyoto = _read("XXVII-7-a.en.xml")
    assert "Canada" not in {p.state for p in kyoto.parties()}
    assert len(kyoto.parties()) == 192  # as the file's own Parties count says
    lines = (DATA / "long-form-coe.csv").read_text(encoding="utf-8").splitlines()
    ended = read_status(_long_rows(tmp_path, "Albania,Denunciation,01/03/2009,01/09/2009"),
                        "l", Problems())
    plain = read_status(DATA / "long-form-coe.csv", "coe", Problems())
    assert ended is not None and plain is not None and lines
    from planner.io.untc import differences
    assert differences(ended, plain)[-1].startswith(
        "1 whose denunciation or withdrawal is no longer listed: Albania")


def test_an_import_keeps_the_folders_other_rows_and_refuses_a_blocked_target(
        tmp_path: Path) -> None:
    out = tmp_path / "untc"
    assert run("data", "import", DATA / "XVIII-12-a.en.xml", "--out", out).exit_code == 0
    assert run("data", "import", DATA / "XXVII-7-a.en.xml", "--out", out).exit_code == 0
    tables = [r["table"] for r in csv.DictReader((out / "provenance.csv").open(
        encoding="utf-8"))]
    assert tables == ["XVIII-12-a.csv", "XXVII-7-a.csv"]
    blocked = tmp_path / "blocked"
    (blocked / "provenance.csv").mkdir(parents=True)
    r = run("data", "import", DATA / "XXVII-7-a.en.xml", "--out", blocked)
    assert r.exit_code == 2 and "provenance.csv is not a file" in r.output
    assert sorted(p.name for p in blocked.iterdir()) == ["provenance.csv"]


def test_a_withdrawal_told_only_in_a_notes_prose_is_applied_and_said() -> None:
    """XIV-7 (the ICGEB Statutes): Poland's row is not in brackets, yet note 6 tells of its
    withdrawal, effective 30 December 2017; Brazil gave notice and withdrew the notice
    (note 3), so it stays a party."""
    t = _read("XIV-7.en.xml")
    by = {p.state: p for p in t.participants}
    assert by["Poland"].ended == dt.date(2017, 12, 30)
    assert by["Brazil"].ended is None and by["Brazil"].consent == dt.date(1990, 3, 9)
    said = " ".join(t.notes)
    assert "Poland is counted out from 30 Dec 2017" in said
    assert "Brazil gave notice of withdrawal and withdrew or suspended the notice" in said
    # the data speaks for 30 December 2016 (Poland's notice), when Poland was still a party
    assert t.data_date == dt.date(2016, 12, 30)
    assert "Poland is a party until 30 Dec 2017" in said
    assert "Poland" in {p.state for p in t.parties()}


def test_a_state_that_withdrew_and_acceded_again_is_a_party() -> None:
    """XXVII-10 (Desertification): Canada withdrew with effect from 28 March 2014 and acceded
    again on 21 December 2016 (note 4); its row gives the accession."""
    t = _read("XXVII-10.en.xml")
    canada = next(p for p in t.participants if p.state == "Canada")
    assert (canada.consent, canada.ended) == (dt.date(2016, 12, 21), None)
    assert any("Canada withdrew or denounced (effective 28 Mar 2014) and consented again"
               in n for n in t.notes)


def test_an_effective_date_table_and_organisations_among_the_participants() -> None:
    """XIX-21 (the Common Fund for Commodities): the notes' withdrawal table heads its column
    "Effective date:"; ten intergovernmental organisations are participants (the name list
    knows them as organisations: no seat, no refusal)."""
    from planner.domain.names import registry

    t = _read("XIX-21.en.xml")
    by = {p.state: p for p in t.participants}
    assert by["Japan"].ended == dt.date(2013, 9, 7)
    assert by["Austria"].ended == dt.date(2016, 1, 10)
    assert sum(1 for p in t.participants if p.ended) == 8
    assert not registry().get("Andean Community").is_state
    assert "Caribbean Community" in by
    # the data is of Austria's notice, 9 January 2015: its withdrawal and Luxembourg's are
    # still to take effect, and the file's header (113) counts them out
    assert t.data_date == dt.date(2015, 1, 9) and len(t.parties()) == 115
    assert any("header counts 113 parties; the table as read counts 115" in n for n in t.notes)


def test_a_withdrawal_in_prose_without_a_day_is_refused_naming_the_row(tmp_path: Path) -> None:
    src = (DATA / "XIV-7.en.xml").read_bytes().replace(
        b"which shall take effect on 30 December 2017", b"in due course")
    (tmp_path / "XIV-7.en.xml").write_bytes(src)
    out = tmp_path / "out"
    r = run("data", "import", tmp_path / "XIV-7.en.xml", "--out", out)
    assert r.exit_code == 2, r.output
    assert "a note tells that Poland withdrew or denounced" in r.output
    assert "--effect 'Poland=DAY'" in r.output and not out.exists()


def test_reservations_are_read_and_leave_the_parties_as_they_are(tmp_path: Path) -> None:
    t = _read("XVIII-12-a.en.xml")
    by = {p.state: p for p in t.participants}
    assert by["Algeria"].reserved and by["Azerbaijan"].reserved
    assert not by["Australia"].reserved  # a declaration only
    assert sum(1 for p in t.participants if p.reserved) == 31
    out = tmp_path / "untc"
    r = run("data", "import", DATA / "XVIII-12-a.en.xml", "--out", out)
    assert r.exit_code == 0, r.output
    assert "31 made reservations" in r.output
    rows = list(csv.DictReader((out / "XVIII-12-a.csv").open(encoding="utf-8")))
    assert next(r for r in rows if r["Participant"] == "Algeria")["Reservation"] == "made one"
    prov = next(csv.DictReader((out / "provenance.csv").open(encoding="utf-8")))
    assert prov["reservations"] == "31" and prov["parties"] == str(len(t.parties()))


def test_a_long_form_participant_with_only_a_declaration_is_said(tmp_path: Path) -> None:
    src = tmp_path / "long.csv"
    src.write_text("Participant,Action,Date of Notification/Deposit,Date of Effect\n"
                   "Albania,Ratification,28/09/1999,01/01/2000\n"
                   "Andorra,Declaration,03/04/2001,\n", encoding="utf-8")
    problems = Problems()
    t = read_status(src, "long.csv", problems)
    assert t is not None and not problems
    assert [p.state for p in t.participants] == ["Albania"]
    assert any("only declarations" in n and "Andorra" in n for n in t.notes)


def test_a_status_table_far_too_wide_or_with_a_huge_cell_is_refused(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(["Participant", "Signature", "Ratification"]
                             + [f"x{i}" for i in range(30)]) + "\nAlbania,,21 Aug 2002\n",
                    encoding="utf-8")
    huge = tmp_path / "huge.csv"
    huge.write_text("Participant,Signature,Ratification\n" + "A" * 40_000 + ",,21 Aug 2002\n",
                    encoding="utf-8")
    r = run("data", "import", wide, huge, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert "33 columns" in r.output and "40,000 characters" in r.output
    assert "row 2" in r.output and not (tmp_path / "out").exists()


def test_a_saved_pages_notes_are_read_for_withdrawals_too(tmp_path: Path) -> None:
    """The page's notes follow its table; their prose is read as the XML's is (the sentence is
    XIV-7's note 6, the rows its own)."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><table><tr><th>Participant</th><th>Signature</th><th>Ratification, "
        "Acceptance(A), Accession(a)</th></tr><tr><td>Poland<sup>6</sup></td><td>1 Aug 1990"
        "</td><td>9 Sep 1996</td></tr><tr><td>Albania</td><td></td><td>4 Jun 2000 a</td></tr>"
        "</table><p>6. On 30 December 2016, the Government of Poland notified the "
        "Secretary-General of its decision to withdraw from the Statutes which shall take "
        "effect on 30 December 2017 in accordance with article 17 of the Statues.</p>"
        "</body></html>", encoding="utf-8")
    problems = Problems()
    t = read_status(page, "page.html", problems)
    assert t is not None and not problems
    assert {p.state: p.ended for p in t.participants} == {
        "Poland": dt.date(2017, 12, 30), "Albania": None}


def test_the_wordings_of_withdrawals_in_real_notes() -> None:
    """Each wording a real note uses (tests/data/untc-import/README.md): X-8's "become
    effective for Australia on", its suspended withdrawal; XII-6's "received from the
    Government of ... a notification of denunciation" and definitive signatures (s); VI-14's
    "instrument of denunciation ... deposited by the Government of"; IV-5's second
    denunciation after a re-accession; and XVIII-7's withdrawn reservations, which end no one."""
    x8 = {p.state: p for p in _read("X-8.en.xml").participants}
    assert x8["Australia"].ended == dt.date(2007, 7, 31)
    assert x8["Trinidad and Tobago"].ended is None
    problems = Problems()
    xii6 = read_status(DATA / "XII-6.en.xml", "XII-6", problems)
    assert xii6 is not None
    by = {p.state: p for p in xii6.participants}
    assert by["Bulgaria"].ended == dt.date(2009, 12, 22)
    assert by["Germany"].ended == dt.date(2008, 9, 26)  # "the Federal Republic of Germany"
    assert any(p.action == "definitive signature" for p in xii6.participants)
    # the Netherlands denounced for its European part only, the Convention stays in force for
    # Aruba, and the note gives no day: refused, not guessed
    assert [(p.where.row, p.message.split(" (")[0]) for p in problems.items] == [
        (57, "Netherlands's dates are in brackets")]
    assert _read("VI-14.en.xml") and {p.state: p.ended for p in _read(
        "VI-14.en.xml").participants}["New Zealand"] == dt.date(1969, 1, 1)
    x7 = _read("XVIII-7.en.xml")
    assert not any(p.ended for p in x7.participants)
    assert not any("withdr" in n for n in x7.notes)


def test_a_denunciation_the_notes_date_nowhere_is_given_with_the_import(tmp_path: Path) -> None:
    """IV-5 (the first Optional Protocol to the ICCPR): note 3 says only that Jamaica notified
    its denunciation; Guyana denounced and acceded again the same day (a party); Trinidad and
    Tobago acceded again and denounced a second time (out from 27 June 2000)."""
    out = tmp_path / "untc"
    r = run("data", "import", DATA / "IV-5.en.xml", "--out", out)
    assert r.exit_code == 2 and "row 58" in r.output
    assert "--effect 'Jamaica=DAY'" in r.output and "notified the Secretary-General of its " \
        "denunciation of the Protocol" in r.output
    r = run("data", "import", DATA / "IV-5.en.xml", "--effect", "Jamaica=23 Jan 1998",
            "--out", out)
    assert r.exit_code == 0, r.output
    assert "116 parties" in r.output and "header counts" not in r.output  # as its header
    assert "Guyana withdrew or denounced (effective 5 Apr 1999)" in r.output
    rows = {row["Participant"]: row for row in csv.DictReader(
        (out / "IV-5.csv").open(encoding="utf-8"))}
    assert rows["Jamaica"]["Denunciation"] == "23 Jan 1998"
    assert rows["Trinidad and Tobago"]["Denunciation"] == "27 Jun 2000"
    assert rows["Guyana"]["Denunciation"] == ""
    prov = next(csv.DictReader((out / "provenance.csv").open(encoding="utf-8")))
    assert prov["effects_given"] == "Jamaica=23 Jan 1998"
    r = run("data", "import", DATA / "IV-5.en.xml", DATA / "X-8.en.xml", "--effect",
            "Jamaica=23 Jan 1998", "--out", tmp_path / "two")
    assert r.exit_code == 2 and "one source" in r.output


def test_a_header_count_that_differs_from_the_table_is_said() -> None:
    assert not any("header counts" in n for n in _read("XIV-7.en.xml").notes)
    assert not any("header counts" in n for n in _read("XVIII-12-a.en.xml").notes)


def test_a_self_contradicting_source_is_refused() -> None:
    """XIX-35: Japan's bracketed acceptance (12 Nov 2004) comes after the withdrawal its note
    dates 30 Dec 2002; the provisional acceptance column is no consent."""
    problems = Problems()
    t = read_status(DATA / "XIX-35.en.xml", "XIX-35", problems)
    assert t is not None
    assert [p.where.row for p in problems.items] == [16]
    assert {p.state: p.ended for p in t.participants}["Canada"] == dt.date(2003, 11, 28)


def test_the_pages_status_as_at_day_first_and_footnote_runs_with_commas(
        tmp_path: Path) -> None:
    """As a stored copy of the UNTOC page shows them: "STATUS AS AT : 04-05-2024 03:15:34 EDT"
    (day first, as "26/09/2008" in a 2008 mirror), and a footnote run with its trailing comma
    after a name ("North Macedonia 4 ,")."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><p>STATUS AS AT : 04-05-2024 03:15:34 EDT</p><table><tr><th>Participant"
        "</th><th>Signature</th><th>Ratification, Acceptance(A), Approval(AA), Accession(a), "
        "Succession(d)</th></tr><tr><td>North Macedonia 4 ,</td><td>12 Dec 2000</td><td>"
        "12 Jan 2005</td></tr><tr><td>United Kingdom of Great Britain and Northern Ireland 6 , "
        "18 , 19 ,</td><td>14 Dec 2000</td><td>  9 Feb 2006</td></tr></table></body></html>",
        encoding="utf-8")
    problems = Problems()
    t = read_status(page, "page.html", problems)
    assert t is not None and not problems.items
    assert t.as_at == dt.date(2024, 5, 4)
    assert [p.state for p in t.participants] == [
        "North Macedonia", "United Kingdom of Great Britain and Northern Ireland"]


def _mtdsg(folder: Path, rows: list[tuple[str, str]], notes: list[str], name: str = "T-1",
           chapter: str = "XIV", parties: str = "") -> Path:
    """A small MTDSG XML file in the Collection's structure (as the real fixtures above):
    rows of (participant, consent), notes as EndNotes prose."""
    from xml.sax.saxutils import escape

    body = "".join(f"<Row><Entry>{escape(p)}</Entry><Entry /><Entry>{escape(c)}</Entry></Row>"
                   for p, c in rows)
    endnotes = "".join(f"<Note><index>{i}</index><text>{escape(t)}</text></Note>"
                       for i, t in enumerate(notes, start=1))
    status = f"<Status><Parties>{escape(parties)}</Parties></Status>" if parties else ""
    path = folder / f"{name}.en.xml"
    path.write_text(
        f"<?xml version=\"1.0\"?><Document><Treaty><Header><Chapter><Header>CHAPTER "
        f"{escape(chapter)}</Header></Chapter><ExternalData><Numsect>1</Numsect><Titlesect>A "
        f"treaty</Titlesect>{status}</ExternalData></Header><Participants><Table><TGroup>"
        "<Thead><Row><Entry>Participant</Entry><Entry>Signature</Entry><Entry>Ratification, "
        f"Accession(a)</Entry></Row></Thead><Tbody><Rows>{body}</Rows></Tbody></TGroup>"
        f"</Table></Participants><EndNotes>{endnotes}</EndNotes></Treaty></Document>",
        encoding="utf-8")
    return path


ROWS = [("France", "1 Jan 1995"), ("Germany", "1 Jan 1996"), ("Saint Lucia", "1 Jan 1997"),
        ("Japan", "1 Jan 1998")]


def _ended(path: Path) -> tuple[dict[str, dt.date | None], list[str], list[str]]:
    problems = Problems()
    t = read_status(path, path.name, problems)
    assert t is not None
    return ({p.state: p.ended for p in t.participants}, list(t.notes),
            [f"{p.where.row} {p.message}" for p in problems.items])


def test_what_a_second_hostile_review_found_in_the_notes_is_mended(tmp_path: Path) -> None:
    """The wordings a review built to mislead the reading of the notes, each read as the truth
    is, or refused, or said; never a State counted in or out in silence."""
    cases = {
        # a recall in a note of its own, or "retracted": still a party
        "recall": ["On 1 March 2010, the Government of France notified the Secretary-General "
                   "of its decision to withdraw from the Convention, which shall take effect on "
                   "1 March 2011.", "On 1 February 2011, the Government of France notified the "
                   "Secretary-General that it had decided to withdraw its notification of "
                   "withdrawal."],
        "retract": ["On 1 March 2010, the Government of France notified the Secretary-General "
                    "of its decision to withdraw from the Convention, which shall take effect "
                    "on 1 March 2011. On 1 February 2011, the Government of France retracted "
                    "its notice of withdrawal."],
        # another State's recall is not France's
        "other": ["On 1 March 2010, the Government of France notified the Secretary-General of "
                  "its decision to withdraw from the Convention, which shall take effect on 1 "
                  "March 2011. On 1 February 2011, the Government of Germany notified the "
                  "Secretary-General that it had decided to withdraw its notification of "
                  "withdrawal of 1 May 2010."],
        # France's first ratification, told again, is no consent given after the notice
        "rejoined": ["On 1 March 2010, the Government of France notified the Secretary-General "
                     "of its decision to withdraw from the Convention, which shall take effect "
                     "on 1 March 2011. France had deposited an instrument of ratification on 1 "
                     "January 1995."],
        # a day of effect from another event is not the withdrawal's
        "amendment": ["On 1 March 2010, the Government of France notified the "
                      "Secretary-General of its decision to withdraw from the Convention. The "
                      "amendment to article 8, effective 1 June 2012, applies to all."],
        "before": ["On 1 March 2010, the Government of France notified the Secretary-General "
                   "of its decision to withdraw from the Convention. Its declaration under "
                   "article 4 took effect on 1 March 1996."],
        # two States in one notice; a name with a full stop; an aside before the verb
        "two": ["On 1 March 2010, the Governments of France and Germany notified the "
                "Secretary-General of their decision to withdraw from the Convention, which "
                "shall take effect on 1 March 2011."],
        "st": ["On 1 March 2010, the Government of St. Lucia, referring to article 20 of the "
               "Convention, notified the Secretary-General of its decision to withdraw from the "
               "Convention, which shall take effect on 1 March 2011."],
        # withdrawals of a reservation or a declaration end no one
        "reservation": ["On 1 March 2010, the Secretary-General received from the Government "
                        "of France a notification of withdrawal of its reservation to article "
                        "5. The withdrawal took effect on 5 May 2010.",
                        "On 1 March 2010, the Government of Japan notified the "
                        "Secretary-General of the withdrawal of the following declaration made "
                        "upon ratification: none."],
    }
    out = {}
    for name, notes in cases.items():
        out[name] = _ended(_mtdsg(tmp_path, ROWS, notes, name=f"T-{name}"))
    assert out["recall"][0]["France"] is None and "withdrew or suspended the notice" in " ".join(
        out["recall"][1])
    assert out["retract"][0]["France"] is None
    assert out["other"][0]["France"] == dt.date(2011, 3, 1)
    assert out["rejoined"][0]["France"] == dt.date(2011, 3, 1)
    for name in ("amendment", "before"):
        assert out[name][2] and "France withdrew or denounced, and gives no day" in out[name][2][0]
    assert out["two"][0] == {"France": dt.date(2011, 3, 1), "Germany": dt.date(2011, 3, 1),
                             "Saint Lucia": None, "Japan": None}
    assert out["st"][0]["Saint Lucia"] == dt.date(2011, 3, 1)
    assert not any(out["reservation"][0].values()) and not out["reservation"][2]


def test_a_withdrawal_still_to_come_leaves_the_data_its_date_and_the_party_a_party(
        tmp_path: Path) -> None:
    path = _mtdsg(tmp_path, ROWS, ["On 1 March 2017, the Government of France notified the "
                                   "Secretary-General of its decision to withdraw from the "
                                   "Convention, which shall take effect on 1 March 2099."])
    t = _read_path(path)
    assert t.data_date == dt.date(2017, 3, 1)  # the notice's, not 2099
    assert "France" in {p.state for p in t.parties()}
    assert any("France is a party until 1 Mar 2099" in n for n in t.notes)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><p>STATUS AS AT : 04-05-2024 03:15:34 EDT</p><table><tr><th>Participant"
        "</th><th>Signature</th><th>Ratification, Accession(a)</th></tr><tr><td>Albania</td>"
        "<td></td><td>4 Jun 2000 a</td></tr></table><p>On 1 March 2024, the Government of "
        "Albania notified the Secretary-General of its decision to withdraw from the "
        "Convention, which shall take effect on 1 March 2025.</p></body></html>",
        encoding="utf-8")
    assert _read_path(page).participants[0].ended == dt.date(2025, 3, 1)


def _read_path(path: Path) -> StatusTable:
    problems = Problems()
    table = read_status(path, path.name, problems)
    problems.raise_if_any()
    assert table is not None
    return table


def test_the_table_is_named_by_its_file_never_by_a_path_from_the_source(tmp_path: Path) -> None:
    bad = _mtdsg(tmp_path, ROWS, [], name="downloaded", chapter="../../../pwned")
    out = tmp_path / "a" / "b" / "out"
    r = run("data", "import", bad, "--out", out)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["downloaded.csv", "provenance.csv"]
    assert not (tmp_path / "pwned-1.csv").exists()
    lettered = _mtdsg(tmp_path, ROWS, [], name="XI-A-6", chapter="XI")
    r = run("data", "import", lettered, "--out", tmp_path / "xi")
    assert (tmp_path / "xi" / "XI-A-6.csv").is_file()  # the file keeps the chapter's letter
    marked = _mtdsg(tmp_path, ROWS, [], name="saved", chapter="VII<superscript>1</superscript>")
    assert _read_path(marked).treaty == "VII-1"


def test_inputs_that_once_crashed_are_refused_or_read(tmp_path: Path) -> None:
    for odd in ("\u00b2", "9" * 5000):
        t = _read_path(_mtdsg(tmp_path, ROWS, [], name="T-odd", parties=odd))
        assert not any("header counts" in n for n in t.notes)
    src = (DATA / "XXVII-7-a.en.xml").read_bytes().replace(
        b"<col>15 Dec 2012\r</col>", b"<col>" + b"9" * 5000 + b"</col>")
    (tmp_path / "XXVII-7-a.en.xml").write_bytes(src)
    r = run("data", "import", tmp_path / "XXVII-7-a.en.xml", "--out", tmp_path / "o1")
    assert r.exit_code == 2 and "is not a date" in r.output
    r = run("data", "import", DATA / "IV-5.en.xml", "--effect", "Jamaica=" + "9" * 5000,
            "--out", tmp_path / "o2")
    assert r.exit_code == 2 and "is not a date" in r.output
    # a long note is read in bounded time (each name at most 80 characters)
    long_note = "the Government of France " * 8000
    assert _read_path(_mtdsg(tmp_path, ROWS, [long_note], name="T-long")).participants


def test_effect_is_only_for_a_withdrawal_the_source_leaves_undated(tmp_path: Path) -> None:
    base = ("data", "import", DATA / "IV-5.en.xml", "--out", tmp_path / "o")
    r = run(*base, "--effect", "Jamaica=23 Jan 1998", "--effect", "France=1 Jan 2001")
    assert r.exit_code == 2 and "France, whose row and notes show no withdrawal" in r.output
    r = run(*base, "--effect", "Jamaica=23 Jan 1998", "--effect", "Jamaica=1 Jan 2030")
    assert r.exit_code == 2 and "Jamaica twice" in r.output
    r = run(*base, "--effect", "Jamaica")
    assert r.exit_code == 2 and "gives no State and day" in r.output
    r = run(*base, "--effect", "Guyana=1 Jan 2020")
    assert r.exit_code == 2 and "Guyana" in r.output
    r = run("data", "import", DATA / "long-form-coe.csv", "--effect", "Albania=1 Jan 1950",
            "--out", tmp_path / "lf")
    assert r.exit_code == 2 and "the long form gives each withdrawal's day" in r.output


def test_every_consent_column_is_read_and_withdrawn_reservations_end_no_one() -> None:
    """VIII-6: a party by succession in the second consent column (Czechia, 30 Dec 1993 d) is
    a party; its header's five. XVI-1: the Netherlands withdrew a reservation, not the
    Convention; 123 parties, as its header."""
    t = _read("VIII-6.en.xml")
    by = {p.state: p for p in t.participants}
    assert (by["Czechia"].consent, by["Czechia"].action) == (dt.date(1993, 12, 30),
                                                             "succession")
    assert len(t.parties()) == 5 and any("consent is read from 2 columns" in n for n in t.notes)
    t = _read("XVI-1.en.xml")
    assert len(t.parties()) == 123 and "Netherlands" in {p.state for p in t.parties()}
    t = _read("VI-18.en.xml")
    assert len(t.parties()) == 186  # as its header: 46 more than the first column alone
