"""The UN Treaty Collection's status data in the forms it is served, read into one typed table.

Four forms (docs/cases.md, "Today's treaty data"):
- a treaty's status page saved from a browser (HTML): the participant grid, footnote numbers
  after names ("Belgium3", or in a superscript), dates with the kind of consent after them
  ("12 Dec 2000 a"), the consent column's header listing the kinds in any order, and the page's
  own "Status as at" date;
- the treaty's MTDSG XML file (Participants/Table/TGroup: Thead and Tbody rows of Entry cells);
- the wide CSV the planner has always read (Participant, Signature, the consent column);
- the long form of the registered-treaty records (Participant, Action, Date of deposit, Date of
  effect), where a denunciation or a withdrawal is a row of its own.

Every form comes down to one StatusTable: a row per participant with its signature, its
consent and its kind, and the day a denunciation or withdrawal takes effect. Problems are
collected and raised together (planner.errors.InputError), naming the file, the row and the
column; nothing here prints or writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html.parser
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from planner.domain.names import did_you_mean, registry
from planner.errors import Problems, Where
from planner.io.dates import (
    DATE_FIX,
    UNTC_ACTIONS,
    DateError,
    in_words,
    parse_date,
    parse_untc_consent,
    untc_style,
)
from planner.io.untc_notes import Told, read_note, recalled_elsewhere
from planner.limits import MAX_STATUS_CELL_CHARS, MAX_STATUS_COLUMNS

CONSENT_WORDS = ("ratification", "accession", "approval", "acceptance")
ENDING_WORDS = ("denunciation", "withdrawal")
# the long form's actions: a consent, a signature, an ending; anything else is told
LONG_ACTIONS = {
    "ratification": "ratification", "accession": "accession", "acceptance": "acceptance",
    "approval": "approval", "succession": "succession", "formal confirmation":
    "formal confirmation", "definitive signature": "definitive signature",
}
SIGNATURE_ACTIONS = ("signature", "succession to signature")
ENDING_ACTIONS = ("denunciation", "withdrawal", "withdrawal of accession")
# characters XML 1.0 forbids, which the Collection's files sometimes hold (a stray \x1c)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# and an ampersand that starts no reference ("\x1c& [T]he Government of ..." in XVIII-12-a)
_LONE_AMP = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
# footnote numbers after a name, a run of them with its trailing comma as rendered pages give
# it ("United Kingdom of Great Britain and Northern Ireland 6 , 18 , 19 ,")
_FOOTNOTE = re.compile(r"(?<=[^\d\s])\s*(\d{1,3}(?:\s*,\s*\d{1,3})*)(?:\s*,)?\s*$")
# footnote numbers set as superscript characters ("Spain³˒⁴")
_SUPERSCRIPTS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079\u02d2,\s]+$")
# the page's own date: "STATUS AS AT : 04-05-2024 03:15:34 EDT" in a stored copy of the
# UNTOC page, "26/09/2008 11:45:00" in a 2008 mirror, "30-09-2099" in a scraper's test: day
# first (no month is 26 or 30); in words or ISO form too
_AS_AT = re.compile(r"status\s+as\s+at\s*:?\s*([0-9]{1,2}\s+[A-Za-z]+\s+[0-9]{4}|"
                    r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4})", re.I)
_NUMERIC_DAY = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")
_AS_AT_ANY = re.compile(r"status\s+as\s+at\s*:?\s*([0-9][0-9/.\- ]{6,})", re.I)
_MTDSG = re.compile(r"mtdsg_no=([A-Z]+-\d+(?:-[a-z])?)", re.I)
_SIGNATURE_SUFFIX = re.compile(r"(?<=\d{4})\s+d$")
_CHARSET = re.compile(rb"charset=[\"']?([A-Za-z0-9_-]+)", re.I)
_SUPERSCRIPT = re.compile(r"<superscript>.*?</superscript>", re.I | re.S)
# a participant that withdrew or denounced: its dates in brackets ("[17 Dec 2002 ]")
_BRACKETED = re.compile(r"^\[\s*(.*?)\s*\]$")
# an MTDSG number as the Collection writes it: XVIII-12-a, XI-A-6, XXVII-7-d
_NUMBER = re.compile(r"^[IVXL]+(?:-[A-D])?-\d{1,3}(?:-[a-z]{1,2})?(?:-\d{1,2})?$")


@dataclass(frozen=True)
class Participant:
    state: str  # the UN name the planner uses
    written: str  # as the source writes it, footnote numbers taken off
    signed: dt.date | None
    consent: dt.date | None
    action: str  # ratification, accession, ...; "" for a signatory only
    ended: dt.date | None  # the day a denunciation or withdrawal takes effect
    row: int
    # the notes record a reservation of its: it is a party all the same (the Collection lists
    # it among the parties), so this only informs
    reserved: bool = False


@dataclass(frozen=True)
class StatusTable:
    source: str  # the file as given
    form: str  # status page, MTDSG XML, wide CSV, long form
    treaty: str  # the MTDSG number where the source says it (XVIII-12-a), else ""
    title: str
    as_at: dt.date | None  # the source's own "status as at" date
    sha256: str
    participants: tuple[Participant, ...]
    notes: tuple[str, ...] = ()  # what the reading passed over, worth a look
    noticed: dt.date | None = None  # the newest notice of withdrawal the notes date

    @property
    def newest(self) -> dt.date | None:
        """The newest signature or consent: a withdrawal's day of effect may lie ahead of the
        day the data was read, so it does not date the data."""
        days = [d for p in self.participants for d in (p.signed, p.consent) if d]
        return max([*days, *([self.noticed] if self.noticed else [])], default=None)

    @property
    def data_date(self) -> dt.date | None:
        """The day the data speaks for: the page's own date, else the newest date it holds."""
        return self.as_at or self.newest

    def parties(self) -> tuple[Participant, ...]:
        """Those whose consent stands on the data's date: a withdrawal ends it from the day it
        takes effect (one still to come leaves a party a party until then)."""
        on = self.data_date
        return tuple(p for p in self.participants if p.consent is not None and (
            p.ended is None or (on is not None and p.ended > on)))

    def ended_by(self) -> tuple[Participant, ...]:
        """Those whose withdrawal or denunciation has taken effect on the data's date."""
        on = self.data_date
        return tuple(p for p in self.participants if p.ended is not None and (
            on is None or p.ended <= on))


# ---------------------------------------------------------------------------------------------
# reading each form into a grid: the header's cells, then each row's, with its number


class _Grid:
    def __init__(self, header: list[str], rows: list[tuple[int, list[str]]],
                 endings: dict[str, dt.date] | None = None) -> None:
        self.header = header
        self.rows = rows
        # the day each withdrawal or denunciation takes effect, by the name the notes give
        self.endings = endings or {}
        # withdrawals and denunciations the notes tell in prose, the sentences that may tell
        # of one in a wording not read, and the notes' texts (a recall may be a note apart)
        self.told: list[Told] = []
        self.unread: list[str] = []
        self.texts: list[str] = []
        # the names the notes give a reservation to
        self.reserved: set[str] = set()
        # what the reading of the source's notes found worth saying
        self.notes: list[str] = []
        # the count of parties the source's own header gives (the XML's Status/Parties)
        self.counted: int | None = None
        # the days of the notices of withdrawal its notes' tables give
        self.notices: list[dt.date] = []


def _check_size(header: list[str], rows: list[tuple[int, list[str]]], shown: str,
                problems: Problems) -> bool:
    """A status table is a few short columns; anything far larger is refused before reading."""
    if len(header) > MAX_STATUS_COLUMNS:
        problems.add(Where(shown, row=1), f"the status table has {len(header)} columns, more "
                     f"than the {MAX_STATUS_COLUMNS} a treaty's status table could need",
                     "give the treaty's status table itself (Participant, Signature, the "
                     "consent column)")
        return False
    for number, cells in [(1, header), *rows]:
        for i, cell in enumerate(cells):
            if len(cell) > MAX_STATUS_CELL_CHARS:
                problems.add(Where(shown, row=number, column=header[i] if i < len(header)
                                   else f"column {i + 1}"),
                             f"a cell of {len(cell):,} characters, more than the "
                             f"{MAX_STATUS_CELL_CHARS} a participant's name or a date needs",
                             "give the treaty's status table itself")
                return False
    return True


class _PageParser(html.parser.HTMLParser):
    """The tables of a saved page, cell by cell; a superscript's text (a footnote number)
    is left out of its cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.text: list[str] = []
        self._stack: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._sup = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack and self._stack[-1]:
            self._cell = []
        elif tag == "sup":
            self._sup += 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag in ("td", "th") and self._cell is not None and self._stack:
            self._stack[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "sup" and self._sup:
            self._sup -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None and not self._sup:
            self._cell.append(data)


def _is_header(cells: list[str]) -> bool:
    low = [c.lower() for c in cells]
    return bool(low) and low[0].startswith("participant") and any(
        any(w in c for w in CONSENT_WORDS) for c in low[1:])


def _page(raw: bytes, shown: str, problems: Problems) -> tuple[_Grid | None, str, str]:
    """The participant grid of a saved status page, its MTDSG number and its title."""
    declared = _CHARSET.search(raw[:4096])
    try:
        text = raw.decode(declared.group(1).decode("ascii") if declared else "utf-8")
    except (LookupError, UnicodeDecodeError):
        text = raw.decode("utf-8", errors="replace")
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    for table in parser.tables:
        at = next((i for i, r in enumerate(table) if _is_header(r) or _is_long(r)), None)
        if at is not None:
            rows = [(i + 1, r) for i, r in enumerate(table[at + 1:], start=at + 1) if any(r)]
            found = _MTDSG.search(text)
            grid = _Grid(table[at], rows)
            # the page's notes, below the table: withdrawals and denunciations told in prose
            grid.texts = [" ".join(parser.text)]
            grid.told, grid.unread = read_note(grid.texts[0], shown, problems, grid.notes)
            return grid, found.group(1) if found else "", ""
    problems.add(Where(shown), "no participant table (a header row starting Participant, "
                 "with a Ratification or Accession column)",
                 "save the treaty's status page from treaties.un.org whole (File > Save Page "
                 "As, complete), or give its MTDSG XML file")
    return None, "", ""


def _xml(raw: bytes, shown: str, problems: Problems) -> tuple[_Grid | None, str, str]:
    try:
        root = ET.fromstring(_LONE_AMP.sub(b"&amp;", _CONTROL.sub(b"", raw)))
    except ET.ParseError as exc:
        problems.add(Where(shown), f"not well-formed XML ({exc})",
                     "give the MTDSG XML file as downloaded from treaties.un.org")
        return None, "", ""
    head = root.find(".//Participants/Table/TGroup/Thead/Row")
    body = root.findall(".//Participants/Table/TGroup/Tbody/Rows/Row")
    ext = root.find(".//Treaty/Header/ExternalData")
    chapter = _SUPERSCRIPT.sub("", root.findtext(".//Treaty/Header/Chapter/Header") or ""
                               ).replace("CHAPTER", "")
    number = "-".join(p for p in (chapter.strip(), (ext.findtext("Numsect") if ext is not None
                                                   else "") or "",
                                  (ext.findtext("Subnumsect") if ext is not None else "")
                                  or "") if p)
    title = ""
    if ext is not None:
        title = (ext.findtext("Subtitlesect") or ext.findtext("Titlesect") or "").strip()
    if not _NUMBER.match(number):
        number = ""  # not an MTDSG number: the table is named after its file (it names a file)
    if head is None:
        problems.add(Where(shown), "no participant table in the XML (Participants/Table/"
                     "TGroup/Thead)", "give the treaty's MTDSG XML file, whose Participants "
                     "hold the status table (a treaty's own file, not its chapter's)")
        return None, number, title

    def cells(row: ET.Element) -> list[str]:
        # the entry's own text, its footnote reference ("China<superscript>1</superscript>",
        # escaped in the file) left out
        return [" ".join(_SUPERSCRIPT.sub("", e.text or "").split())
                for e in row.findall("Entry")]

    # a withdrawal's or denunciation's notes give a small table: Participant, Date of
    # notification, Date of effect (or "Effective date", XIX-21); or tell it in prose
    endings: dict[str, dt.date] = {}
    told: list[Told] = []
    unread: list[str] = []
    texts: list[str] = []
    said: list[str] = []
    notices: list[dt.date] = []
    for note in root.findall(".//EndNotes/Note"):
        texts.append(_SUPERSCRIPT.sub("", " ".join(t.text or "" for t in note.findall("text"))))
        found, maybe = read_note(texts[-1], shown, problems, said)
        told += found
        unread += maybe
        for table in note.findall("table"):
            lines = [[(c.text or "").strip().rstrip(":").lower() if i == 0 else
                      (c.text or "").strip() for c in r.findall("col")]
                     for i, r in enumerate(table.findall("row"))]
            at = next((i for i, h in enumerate(lines[0]) if "effect" in h), None) if lines \
                else None
            if at is None:
                continue
            told_at = next((i for i, h in enumerate(lines[0]) if "notification" in h), None)
            for line in lines[1:]:
                if told_at is not None and len(line) > told_at and line[told_at]:
                    noticed = _day(line[told_at], Where(shown, column="EndNotes"), problems)
                    if noticed is not None:
                        notices.append(noticed)
                if len(line) > at and line[0]:
                    day = _day(line[at], Where(shown, column="EndNotes"), problems)
                    if day is not None:
                        endings[_FOOTNOTE.sub("", line[0]).strip()] = day
    grid = _Grid(cells(head), [(i, cells(r)) for i, r in enumerate(body, start=2)], endings)
    grid.told, grid.unread, grid.texts, grid.notes = told, unread, texts, said
    grid.notices = notices
    counted = (root.findtext(".//Header/ExternalData/Status/Parties") or "").strip()
    grid.counted = int(counted) if counted.isascii() and counted.isdigit() \
        and len(counted) <= 6 else None
    # "Declarations and Reservations": a participant whose entry has a title naming a
    # reservation ("Reservation:", "Reservations made upon signature ...")
    for entry in root.findall(".//Declarations/Declaration"):
        titles = [(t.text or "").lower() for t in entry.findall("text")
                  if t.get("type") == "title"]
        if any("reservation" in t and not t.startswith("withdrawal") for t in titles):
            grid.reserved.add(" ".join(_SUPERSCRIPT.sub("", entry.findtext("Participant")
                                                        or "").split()))
    return grid, number, title


def _csv(raw: bytes, shown: str, problems: Problems) -> _Grid | None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(Where(shown), "not UTF-8 text", "save the table as CSV in UTF-8")
        return None
    first = text.split("\n", 1)[0]
    if ";" in first and "," not in first:
        problems.add(Where(shown, row=1), "the columns are separated by semicolons",
                     "save the table as CSV with commas (in a spreadsheet: CSV UTF-8, comma "
                     "delimited)")
        return None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        problems.add(Where(shown), "the file is empty", "give the status table with its header")
        return None
    return _Grid([c.strip() for c in rows[0]],
                 [(i, [c.strip() for c in r]) for i, r in enumerate(rows[1:], start=2)
                  if any(c.strip() for c in r)])


# ---------------------------------------------------------------------------------------------
# from a grid to the table


def _name(text: str, where: Where, problems: Problems) -> tuple[str, str] | None:
    """The UN name for a participant as the Collection writes it (footnote numbers off); an
    organisation that joins treaties is in the name list too (planner/data/states.csv)."""
    written = _FOOTNOTE.sub("", _SUPERSCRIPTS.sub("", text)).strip()
    found = registry().lookup(written)
    if found is None:
        problems.add(where, f"unknown participant {written!r}", did_you_mean(written) + (
            "; an organisation that joins treaties is added to planner/data/states.csv as "
            "kind organization" if not did_you_mean(written) else ""))
        return None
    return found, written


def _by_state(names: dict[str, dt.date]) -> dict[str, dt.date]:
    return {state: day for name, day in names.items()
            if (state := registry().lookup(name)) is not None}


def _prose_endings(grid: _Grid, listed: dict[str, str], shown: str, notes: list[str]
                   ) -> tuple[dict[str, Told], dict[str, str]]:
    """The withdrawals the notes tell in prose, by State (the latest where a State gave notice
    more than once); and, by State, a sentence that may tell of one in a wording not read.
    listed: each participant's name as written, by State."""
    out: dict[str, Told] = {}
    for told in grid.told:
        state = registry().lookup(told.name)
        if state is None or state not in listed:
            notes.append(f"{shown}: a note tells of a withdrawal or denunciation by "
                         f"{told.name!r}, a name " + ("the planner does not know" if state is None
                                                       else "not among the participants")
                         + f": not applied: \"{told.words}\"")
            continue
        # a recall in a note apart, where the State gave notice once (with two notices, a
        # recall elsewhere could be the other's)
        once = sum(1 for t in grid.told if t.name == told.name) == 1
        recall = "" if told.recalled or not once else recalled_elsewhere(told.name, grid.texts)
        if told.recalled or recall:
            notes.append(f"{shown}: {listed[state]} gave notice of withdrawal and withdrew or "
                         f"suspended the notice before it took effect, as a note tells: still a "
                         f"party: \"{told.words}{' ' + recall if recall else ''}\"")
        elif state not in out or (told.day is not None and (
                (had := out[state].day) is None or told.day > had)):
            # a State that denounced, acceded again and denounced again: the latest counts
            out[state] = told
    maybe: dict[str, str] = {}
    for sentence in grid.unread:
        for state, written in listed.items():
            if state not in out and (written in sentence or state in sentence):
                maybe.setdefault(state, sentence)
    return out, maybe


def _day(text: str, where: Where, problems: Problems) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_date(text.strip())
    except DateError as exc:
        problems.add(where, str(exc), DATE_FIX)
        return None


# the words of a column where a consent to be bound is given (Ratification, Acceptance(A),
# Accession(a), Succession(d), Definitive signature, Participation(P), Formal confirmation(c))
_CONSENT_COLUMN = (*CONSENT_WORDS, "succession", "participation", "definitive signature",
                   "formal confirmation", "consent to be bound", "simplified procedure")


def _columns(low: list[str]) -> tuple[list[int], list[int], int | None, list[int]]:
    """The table's columns by what they hold: consent (one or more), signature (one or more),
    the ending, and the others (not read)."""
    consent, signature, other = [], [], []
    ending = None
    for i, h in enumerate(low[1:], start=1):
        if "provisional" in h:
            other.append(i)  # "Provisional acceptance" (XIX-35), "Provisional application"
        elif h.startswith("signature"):
            signature.append(i)  # incl. "Signature, Succession to signature(d)"
        elif any(w in h for w in _CONSENT_COLUMN):
            consent.append(i)
        elif any(w in h for w in ENDING_WORDS) and ending is None:
            ending = i
        elif "signature" in h:
            signature.append(i)  # "Confirmation of signature ad referendum(C)" (XIV-7)
        else:
            other.append(i)  # "Notification under article 21 (1)" (XIV-7)
    return consent, signature, ending, other


def _from_grid(grid: _Grid, shown: str, problems: Problems, notes: list[str],
               given: Mapping[str, dt.date], xml: bool) -> list[Participant]:
    low = [h.lower() for h in grid.header]
    if not low or not low[0].startswith("participant"):
        problems.add(Where(shown, row=1, column=grid.header[0] if grid.header else None),
                     "the first column is not Participant",
                     "give the status table as the Collection publishes it: Participant, "
                     "Signature, then the consent column")
        return []
    consents, signatures, ending, others = _columns(low)
    if not consents:
        problems.add(Where(shown, row=1), "no consent column (Ratification, Acceptance(A), "
                     "Approval(AA), Accession(a), Succession(d))",
                     "give the status table with its consent column")
        return []
    if len(consents) > 1:
        # older tables give consent in two columns (VIII-6: Acceptance(A), then Accession(a),
        # Succession(d)): a date in either makes a party, the earliest from when
        notes.append(f"{shown}: consent is read from {len(consents)} columns ("
                     + "; ".join(grid.header[i] for i in consents) + "): a date in any makes "
                     "a party, from the earliest")
    for i in others:
        if any(cells[i].strip() for _n, cells in grid.rows if i < len(cells)):
            notes.append(f"{shown}: the column {grid.header[i]!r} is not read (no signature "
                         "and no consent)")
    out = []
    named_rows = {number: _name(_BRACKETED.sub(r"\1", cells[0]),
                                Where(shown, row=number, column=grid.header[0]), problems)
                  for number, cells in grid.rows if cells and cells[0]}
    listed = {n[0]: n[1] for n in named_rows.values() if n}
    prose, maybe = _prose_endings(grid, listed, shown, notes)
    tabled = _by_state(grid.endings)
    reserved = {state for name in grid.reserved if (state := registry().lookup(name))}
    for number, cells in grid.rows:
        cells = cells + [""] * (len(grid.header) - len(cells))
        where = Where(shown, row=number, column=grid.header[0])
        named = named_rows.get(number)
        if not _BRACKETED.sub(r"\1", cells[0]):
            problems.add(where, "the participant is missing", "give its name or remove the row")
        # dates in brackets: the participant withdrew or denounced (the notes say when)
        withdrew = any(_BRACKETED.match(c) for c in cells[1:] if c)
        signed = None
        for i in signatures:
            # "Signature, Succession to signature(d)": a succession's d after the date
            text = _SIGNATURE_SUFFIX.sub("", _BRACKETED.sub(r"\1", cells[i])).strip()
            day = _day(re.sub(r"\s+[sC]$", "", text),
                       Where(shown, row=number, column=grid.header[i]), problems)
            signed = signed or day
        date: dt.date | None = None
        action = ""
        for i in consents:
            text = _BRACKETED.sub(r"\1", cells[i]).strip()
            if not text:
                continue
            try:
                day, kind = parse_untc_consent(text)
            except DateError as exc:
                problems.add(Where(shown, row=number, column=grid.header[i]), str(exc),
                             "write the date as the Collection does, e.g. '17 Feb 2010 a'")
                continue
            if date is None or day < date:
                date, action = day, kind
        ended = _day(cells[ending] if ending is not None else "",
                     Where(shown, row=number, column=grid.header[ending]
                           if ending is not None else None), problems)
        if named is None:
            continue
        state, written = named
        told = prose.get(state)
        day_told = tabled.get(state) or (told.day if told else None)
        if ended is None and state in given:
            if not withdrew and told is None:
                problems.add(where, f"--effect gives a day for {written}, whose row and notes "
                             "show no withdrawal or denunciation",
                             "give --effect only for a participant the source says left the "
                             "treaty without giving the day")
            elif day_told is not None:
                problems.add(where, f"--effect gives a day for {written}, whose withdrawal the "
                             f"source dates already ({untc_style(day_told)})",
                             "leave --effect out for it")
            else:
                ended = given[state]  # the day of effect given with the import
        elif withdrew and ended is None:
            ended = day_told
            if ended is None:
                unread = maybe.get(state, "")
                problems.add(where, f"{written}'s dates are in brackets (it withdrew or "
                             "denounced), and the source gives no day of effect that can be "
                             "read" + (f"; the note says: \"{told.words}\"" if told else
                                       f"; a note says: \"{unread}\"" if unread else ""),
                             ("" if xml else "import the treaty's MTDSG XML file, whose notes "
                              "may give the day; or ") + "give the day the treaty's terms "
                             f"give it, with --effect '{written}=DAY'")
        elif ended is None and told is not None:
            # the row's dates are not in brackets, yet a note tells of a withdrawal (Poland in
            # XIV-7): applied, and said, unless the State consented again after its notice
            if day_told is None:
                problems.add(where, f"a note tells that {written} withdrew or denounced, and "
                             f"gives no day of effect that can be read: \"{told.words}\"",
                             "give the day it takes effect, as the treaty's terms give it, "
                             f"with --effect '{written}=DAY'")
            elif date is not None and (date > day_told or (told.rejoined and (
                    told.notice is not None and date >= told.notice))):
                # Guyana denounced with effect from 5 April 1999 and acceded again the day
                # of its notice, 5 January 1999: the row's consent is the new one
                notes.append(f"{shown}: {written} withdrew or denounced (effective "
                             f"{untc_style(day_told)}) and consented again: a party from "
                             f"{untc_style(date)}, as its row says")
            elif date is not None:
                ended = day_told
                notes.append(f"{shown}: {written} is counted out from {untc_style(day_told)}, "
                             f"as a note tells (its row's dates are not in brackets): "
                             f"\"{told.words}\"")
        elif ended is None and state in maybe and date is not None:
            notes.append(f"{shown}: a note may tell of a withdrawal or denunciation by "
                         f"{written}, in words not read: counted a party as its row says; "
                         f"check it: \"{maybe[state]}\"")
        if ended is not None and (date is None or ended <= date):
            problems.add(Where(shown, row=number, column=grid.header[ending]
                               if ending is not None else grid.header[0]),
                         f"the withdrawal or denunciation ({untc_style(ended)}) comes before "
                         f"any consent ({untc_style(date) or 'none'})",
                         "check the row's dates: a denunciation ends a consent given before")
        out.append(Participant(state, written, signed, date, action, ended, number,
                               state in reserved))
    return out


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# actions of the long form that change no one's standing: read and passed over
OTHER_ACTIONS = ("notification", "communication", "declaration", "reservation", "objection",
                 "territorial application", "acceptance of amendments", "modification",
                 "withdrawal of reservation", "withdrawal of declaration", "correction")


def _long_day(text: str, where: Where, problems: Problems) -> dt.date | None:
    """The long form's dates, day first as the Collection writes them (28/09/1999)."""
    found = _DMY.match(text.strip())
    if found:
        try:
            return parse_date(f"{found[3]}-{int(found[2]):02d}-{int(found[1]):02d}")
        except DateError:
            problems.add(where, f"{text.strip()!r} is not a date, read day first as the "
                         "Collection writes it", "write the date as the Collection does: "
                         "28/09/1999 for 28 September 1999")
            return None
    return _day(text, where, problems)


def _is_long(header: list[str]) -> bool:
    low = [h.lower() for h in header]
    return (len(low) >= 3 and low[0].startswith("participant") and low[1].startswith("action")
            and any("deposit" in h for h in low))


def _long(grid: _Grid, shown: str, problems: Problems, notes: list[str]) -> list[Participant]:
    """The long form: one row per action (Participant, Action, Date of deposit or of
    notification, Date of effect); a participant's rows come down to one."""
    low = [h.lower() for h in grid.header]
    deposit_at = next(i for i, h in enumerate(low) if "deposit" in h)
    effect_at = next((i for i, h in enumerate(low) if "effect" in h), None)
    # each participant's actions, read in the order of their dates: a consent after a
    # denunciation (a State that left and came back) stands, the denunciation no longer does
    events: dict[str, list[tuple[dt.date, int, str, str]]] = {}
    written: dict[str, tuple[str, int]] = {}
    # participants with only declarations, notifications and the like: said, not listed
    others: dict[str, int] = {}
    for number, cells in grid.rows:
        cells = cells + [""] * (len(grid.header) - len(cells))
        named = _name(cells[0], Where(shown, row=number, column=grid.header[0]), problems)
        action = " ".join(cells[1].split()).lower()
        deposited = _long_day(cells[deposit_at],
                              Where(shown, row=number, column=grid.header[deposit_at]), problems)
        effect = (_long_day(cells[effect_at],
                            Where(shown, row=number, column=grid.header[effect_at]), problems)
                  if effect_at is not None and cells[effect_at] else None)
        if action.startswith(OTHER_ACTIONS) and action not in ENDING_ACTIONS:
            if named is not None:
                others.setdefault(named[0], number)
            continue
        kind = ("signature" if action in SIGNATURE_ACTIONS else
                "consent" if action in LONG_ACTIONS else
                "ending" if action in ENDING_ACTIONS else "")
        if not kind:
            problems.add(Where(shown, row=number, column=grid.header[1]),
                         f"unknown action {cells[1]!r}",
                         "the actions read are: " + ", ".join(
                             (*LONG_ACTIONS, *SIGNATURE_ACTIONS, *ENDING_ACTIONS))
                         + "; and, passed over, " + ", ".join(OTHER_ACTIONS))
            continue
        day = (effect or deposited) if kind == "ending" else deposited
        if day is None:
            if not cells[deposit_at]:
                problems.add(Where(shown, row=number, column=grid.header[deposit_at]),
                             f"the {action}'s date is missing", "give the date of deposit")
            continue
        if named is not None:
            events.setdefault(named[0], []).append((day, number, kind, action))
            written.setdefault(named[0], (named[1], number))
    out = []
    for state, happened in sorted(events.items()):
        signed = consent = ended = None
        what = ""
        for day, number, kind, action in sorted(happened):
            if kind == "signature":
                signed = day
            elif kind == "consent":
                consent, what, ended = day, LONG_ACTIONS[action], None
            elif consent is None:
                problems.add(Where(shown, row=number, column=grid.header[1]),
                             f"{state}'s {action} comes before any consent of its",
                             "check the row's date, or add the consent it ends")
            else:
                ended = day
        if signed or consent:
            out.append(Participant(state, written[state][0], signed, consent, what, ended,
                                   written[state][1]))
    only = sorted(s for s in others if s not in events)
    if only:
        notes.append(f"{shown}: {len(only)} participant{'s' if len(only) > 1 else ''} with "
                     "only declarations, notifications or the like (no signature, no consent) "
                     f"left out: {', '.join(only)}")
    return out


def read_status(path: Path, shown: str, problems: Problems,
                given: Mapping[str, dt.date] | None = None) -> StatusTable | None:
    """One source, in whichever of the four forms it is (told by its content, not its name).
    given: the day a participant's withdrawal or denunciation took effect, where the source
    gives none (a note that names no day, IV-5's Jamaica) or contradicts itself; given by the
    user, applied over the source's, and said."""
    given = given or {}
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(Where(shown), f"cannot read the file ({exc.strerror or exc})",
                     "give a file that exists and can be read")
        return None
    digest = hashlib.sha256(raw).hexdigest()
    head = raw[:4096].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    number = title = ""
    as_at: dt.date | None = None
    notes: list[str] = []
    grid: _Grid | None
    if head.startswith(b"<?xml") or (head.startswith(b"<document") and b"<treaty" in head):
        form = "MTDSG XML"
        grid, number, title = _xml(raw, shown, problems)
    elif head.startswith((b"<!doctype html", b"<html")) or b"<table" in raw.lower():
        form = "status page"
        grid, number, title = _page(raw, shown, problems)
        page = raw.decode("utf-8", errors="replace")
        found = _AS_AT.search(page)
        if found:
            text_day = found.group(1)
            if numeric := _NUMERIC_DAY.match(text_day):
                # day first, as the Collection writes it (see _AS_AT)
                day_n, month_n = int(numeric[1]), int(numeric[2])
                try:
                    as_at = dt.date(int(numeric[3]), month_n, day_n)
                except ValueError:
                    problems.add(Where(shown, column="Status as at"), f"the page's \"Status "
                                 f"as at\" date, {text_day}, is not a date read day first (as "
                                 "the Collection writes it)", "save the page again from "
                                 "treaties.un.org, or give the treaty's MTDSG XML file")
                if as_at is not None and day_n <= 12 and month_n <= 12 and day_n != month_n:
                    notes.append(f"{shown}: its \"Status as at\" date, {text_day}, is read day "
                                 f"first, as the Collection writes it: {in_words(as_at)}")
            else:
                as_at = _day(text_day, Where(shown, column="Status as at"), problems)
            today = dt.datetime.now(dt.UTC).date()
            if as_at is not None and as_at > today:
                problems.add(Where(shown, column="Status as at"), f"the page says it is of "
                             f"{as_at.isoformat()}, a day still to come",
                             "save the page again from treaties.un.org")
        elif unread := _AS_AT_ANY.search(page):
            notes.append(f"{shown}: its \"Status as at\" date ({unread.group(1).strip()}) "
                         "was not read (not in a form the Collection writes: DD-MM-YYYY, "
                         "in words or ISO): the data is dated by the newest date it holds")
    else:
        form = "wide CSV"
        grid = _csv(raw, shown, problems)
    if grid is not None and not _check_size(grid.header, grid.rows, shown, problems):
        grid = None
    if grid is not None and _is_long(grid.header):
        form = "long form" + (" (page)" if form == "status page" else "")
        participants = _long(grid, shown, problems, notes)
        for state in given:
            # the long form dates every denunciation: a day given is for no one
            problems.add(Where(shown), f"--effect gives a day for {state}, but the long form "
                         "gives each withdrawal's day itself", "leave --effect out")
    else:
        participants = _from_grid(grid, shown, problems, notes, given,
                                  form == "MTDSG XML") if grid else []
    if grid is not None:
        notes[:0] = grid.notes
        listed = {p.state: p for p in participants}
        for state, day in sorted(given.items()):
            if state not in listed:
                problems.add(Where(shown), f"--effect gives a day for {state}, which is not "
                             "among the table's participants",
                             "give --effect only for a participant of this table")
            elif listed[state].ended == day:
                notes.append(f"{shown}: {listed[state].written}'s withdrawal or denunciation "
                             f"is taken to have effect on {untc_style(day)}, as given with the "
                             "import (the source gives no day)")
    ended = sorted((p for p in participants if p.ended), key=lambda p: p.state)
    if ended:
        notes.append(f"{shown}: withdrawals and denunciations read: " + "; ".join(
            f"{p.written} (effective {untc_style(p.ended)})" for p in ended))
    seen: dict[str, int] = {}
    for p in participants:
        if p.state in seen:
            problems.add(Where(shown, row=p.row), f"{p.state} is listed twice (rows "
                         f"{seen[p.state]} and {p.row})", "keep one row per participant")
        seen.setdefault(p.state, p.row)
    if not participants and not problems:
        problems.add(Where(shown), "no participant rows", "give the whole status table")
    # the data's own date: its newest signature, consent or notice of withdrawal; a
    # withdrawal's day of effect may lie ahead of the day the data was read
    noticed = max([*(grid.notices if grid else []),
                   *(t.notice for t in (grid.told if grid else []) if t.notice)], default=None)
    newest = max([*(d for p in participants for d in (p.signed, p.consent) if d),
                  *([noticed] if noticed else [])], default=None)
    if as_at is not None and newest is not None and as_at < newest:
        problems.add(Where(shown, column="Status as at"), f"the page says it is of "
                     f"{as_at.isoformat()}, before the newest date it holds "
                     f"({newest.isoformat()})", "save the page again from treaties.un.org")
    on = as_at or newest
    pending = [p for p in participants if p.ended and on is not None and p.ended > on]
    if pending:
        notes.append(f"{shown}: a withdrawal still to take effect on the data's date: " + "; ".join(
            f"{p.written} is a party until {untc_style(p.ended)}" for p in pending))
    table = StatusTable(shown, form, number, title, as_at, digest, tuple(participants),
                        tuple(notes), noticed)
    if grid is not None and grid.counted is not None and not problems and \
            grid.counted != (read := len(table.parties())):
        # said, not refused: the header is sometimes behind its own notes (XIV-7 counts 63
        # with Poland's withdrawal in effect)
        bare = [p.written for p in participants if p.consent is None and p.signed is None]
        table = replace(table, notes=(*table.notes, f"{shown}: its header counts "
                        f"{grid.counted} parties; the table as read counts {read}" + (
                            f"; listed with no date: {', '.join(bare)}" if bare else "")
                        + ": check the withdrawals noted above against the header's date"))
    return table


# ---------------------------------------------------------------------------------------------
# the table as the case reads it, and what changed between two


CONSENT_HEADER = "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"
_SUFFIX = {v: k for k, v in UNTC_ACTIONS.items()}


def wide_rows(table: StatusTable) -> list[list[str]]:
    """The table in the wide form the case reads (planner.io.reader), with a Denunciation
    column (the day it takes effect) where any participant has one."""
    ending = any(p.ended for p in table.participants)
    # a reservation changes no one's standing; the column tells the reader of the table which
    # parties made one (the case reads only the columns it needs)
    reserving = any(p.reserved for p in table.participants)
    rows = [["Participant", "Signature", CONSENT_HEADER, *(["Denunciation"] if ending else []),
             *(["Reservation"] if reserving else [])]]
    for p in sorted(table.participants, key=lambda p: p.state):
        suffix = _SUFFIX.get(p.action, "")
        consent = (untc_style(p.consent) + (f" {suffix}" if suffix else "")) if p.consent else ""
        rows.append([p.state, untc_style(p.signed), consent,
                     *([untc_style(p.ended)] if ending else []),
                     *(["made one" if p.reserved else ""] if reserving else [])])
    return rows


def differences(old: StatusTable, new: StatusTable) -> list[str]:
    """What changed between two readings of a treaty's status, in words: parties added (and
    any the old reading missed though they had joined before its date), changed and gone,
    denunciations made and denunciations no longer listed."""

    def listed(names: list[str]) -> str:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def parties(n: int) -> str:
        return f"{n} part{'y' if n == 1 else 'ies'}"

    since = old.data_date
    since_words = f" since {in_words(since)}" if since else ""
    a = {p.state: p for p in old.parties()}
    b = {p.state: p for p in new.parties()}
    ended_a = {p.state: p for p in old.participants if p.ended}
    ended_b = {p.state: p for p in new.participants if p.ended}
    out = []
    unended = sorted(s for s in ended_a if s not in ended_b and s in b)
    joined = sorted(s for s in set(b) - set(a) if s not in unended)
    late = [s for s in joined if since is None or (b[s].consent or since) > since]
    missed = [s for s in joined if s not in late]

    def joined_words(names: list[str]) -> str:
        return listed([f"{s} ({b[s].action}, {in_words(c)})" for s in names
                       if (c := b[s].consent)])

    if late:
        out.append(f"{parties(len(late))} added{since_words}: {joined_words(late)}.")
    if missed:
        out.append(f"{parties(len(missed))} the old reading did not list, though joined before "
                   f"its date: {joined_words(missed)}.")
    gone = sorted(s for s in set(a) - set(b) if s not in ended_b)
    if gone:
        out.append(f"{parties(len(gone))} no longer listed: {listed(gone)}.")
    changed = sorted(s for s in set(a) & set(b)
                     if (a[s].consent, a[s].action) != (b[s].consent, b[s].action))
    if changed:
        out.append(f"{len(changed)} changed: " + listed(
            [f"{s} ({a[s].action} {untc_style(a[s].consent)} -> {b[s].action} "
             f"{untc_style(b[s].consent)})" for s in changed]) + ".")
    ended = sorted(s for s in ended_b if s not in ended_a)
    if ended:
        out.append(f"{len(ended)} denounced or withdrew: " + listed(
            [f"{s} (from {in_words(e)})" for s in ended if (e := ended_b[s].ended)]) + ".")
    if unended:
        out.append(f"{len(unended)} whose denunciation or withdrawal is no longer listed: "
                   + listed([f"{s} (from {in_words(e)} in the old reading)" for s in unended
                             if (e := ended_a[s].ended)]) + ".")
    return out or [f"No party added, changed or gone{since_words}."]
