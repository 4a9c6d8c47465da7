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
# a note's prose telling of a withdrawal or a denunciation, as the Collection words it:
# "On 30 December 2016, the Government of Poland notified the Secretary-General of its
# decision to withdraw from the Statutes which shall take effect on 30 December 2017" (XIV-7);
# "... the Government of Canada had notified the Secretary-General of its decision to withdraw
# from the Convention. The withdrawal took effect on 28 March 2014." (XXVII-10)
_GOVERNMENT = r"Government\s+of\s+(?:the\s+)?(?P<name>[A-Z][^,;:.]*?),?\s+"
_TOLD_SG = r"(?:had\s+)?(?:notified|informed)\s+the\s+Secretary[-\s]General\s+"
_NOTICES = (
    re.compile(_GOVERNMENT + _TOLD_SG + r"(?:of\s+its\s+decision\s+to|that\s+it\s+had\s+"
               r"decided\s+to)\s+(?:withdraw\s+from|denounce)\b"),
    # "... the Government of Jamaica notified the Secretary-General of its denunciation of the
    # Protocol." (IV-5)
    re.compile(_GOVERNMENT + _TOLD_SG + r"of\s+its\s+(?:denunciation\s+of|withdrawal\s+from)\b"),
    # "The instrument of denunciation of the Protocol was deposited by the Government of New
    # Zealand on 17 December 1968 ..." (VI-14)
    re.compile(r"instrument\s+of\s+(?:denunciation|withdrawal)\b[^.]{0,200}?deposited\s+by\s+"
               r"the\s+Government\s+of\s+(?:the\s+)?(?P<name>[A-Z][^,;:.]*?)\s+on\b"),
    # "... the Secretary-General received from the Government of Bulgaria a notification of
    # denunciation of the said Convention." (XII-6)
    re.compile(r"received\s+from\s+the\s+Government\s+of\s+(?:the\s+)?(?P<name>[A-Z][^,;:.]*?)\s+"
               r"an?\s+(?:notification|instrument)\s+of\s+(?:denunciation|withdrawal)\b"),
)
_DAY_WORDS = r"\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}"
# "... which shall take effect on 30 December 2017" (XIV-7), "The withdrawal took effect on 28
# March 2014." (XXVII-10), "the date of effect being 14 May 2002" (XIV-7), "The action will
# become effective for Australia on 31 July 2007" (X-8), "with effect from 26 August 1998" (IV-5)
_EFFECT = re.compile(
    r"(?:(?:take|takes|took|taking)\s+effect|effective|with\s+effect|"
    r"date\s+of\s+effect\s+being|date\s+of\s+effect:?)\s+"
    r"(?:for\s+[A-Z][^,.;:]{0,80}?\s+)?"
    r"(?:on\s+|as\s+from\s+|from\s+)?(?P<day>" + _DAY_WORDS + ")")
# a notice of withdrawal itself withdrawn before it took effect: "Subsequently, ... the
# Government of Brazil notified the Secretary-General that it had decided to withdraw its
# notification of withdrawal of 15 May 2001." (XIV-7)
# or suspended: "... notified the Secretary-General of its decision to suspend the withdrawal
# from the Agreement." (X-8, Trinidad and Tobago)
_RECALLED = re.compile(r"withdr[a-z]+\s+(?:of\s+)?(?:its|the|that)\s+notification\s+of\s+"
                       r"(?:withdrawal|denunciation)|(?:revoke|rescind|suspend)[a-z]*\s+(?:its|the)"
                       r"\s+(?:notification|withdrawal|denunciation)")
# a consent given again after the notice: "On that same date, the Government of Guyana
# re-acceded to the Optional Protocol with a reservation." (IV-5), "On 21 December 2016, Canada
# deposited with the Secretary-General an instrument of accession to the Convention." (XXVII-10)
_REJOINED = re.compile(r"re-?acceded|re-?accession|acceded\s+again|deposited\s+(?:with\s+the\s+"
                       r"Secretary[-\s]General\s+)?an\s+instrument\s+of\s+(?:accession|"
                       r"ratification|acceptance|approval)")
# how far after the notice its date of effect may be told (the same note's next sentence)
_EFFECT_REACH = 400
# an intergovernmental organisation among the participants (the Common Fund for Commodities
# lists ten): not a State, so no seat; told apart only when the name list does not know it
_ORGANISATION = re.compile(r"\b(?:Community|Union|Organi[sz]ation|Market|Fund|Bank|Agency|"
                           r"Association|Commission|Council)\b")


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

    @property
    def newest(self) -> dt.date | None:
        days = [d for p in self.participants for d in (p.signed, p.consent, p.ended) if d]
        return max(days, default=None)

    @property
    def data_date(self) -> dt.date | None:
        """The day the data speaks for: the page's own date, else the newest date it holds."""
        return self.as_at or self.newest

    def parties(self) -> tuple[Participant, ...]:
        """Those whose consent stands: a denunciation or withdrawal ends it (counted apart)."""
        return tuple(p for p in self.participants if p.consent is not None and p.ended is None)


# ---------------------------------------------------------------------------------------------
# reading each form into a grid: the header's cells, then each row's, with its number


class _Grid:
    def __init__(self, header: list[str], rows: list[tuple[int, list[str]]],
                 endings: dict[str, dt.date] | None = None) -> None:
        self.header = header
        self.rows = rows
        # the day each withdrawal or denunciation takes effect, by the name the notes give
        self.endings = endings or {}
        # withdrawals and denunciations the notes tell in prose
        self.told: list[_Told] = []
        # the names the notes give a reservation to
        self.reserved: set[str] = set()
        # what the reading left out, said in the table's notes
        self.left_out: list[str] = []
        # the count of parties the source's own header gives (the XML's Status/Parties)
        self.counted: int | None = None


@dataclass(frozen=True)
class _Told:
    """A withdrawal or denunciation a note tells in prose."""
    name: str  # as the note writes it
    day: dt.date | None  # the day it takes effect, where the same passage says it
    words: str  # the passage, for a message
    recalled: bool  # the notice was itself withdrawn before it took effect
    rejoined: bool  # the same passage tells of a consent given again after it


def _told(text: str, shown: str, problems: Problems) -> list[_Told]:
    out = []
    found_all = sorted((m for r in _NOTICES for m in r.finditer(text)), key=lambda m: m.start())
    for k, found in enumerate(found_all):
        after = text[found.end():found.end() + _EFFECT_REACH]
        # the notice's own date of effect and recall, not the next notice's
        nxt = next((m.start() - found.end() for m in found_all[k + 1:]
                    if m.start() >= found.end()), None)
        after = after[:nxt] if nxt is not None else after
        effect = _EFFECT.search(after)
        day = (_day(effect.group("day"), Where(shown, column="notes"), problems)
               if effect else None)
        recalled = _RECALLED.search(after)
        # the passage quoted runs to the end of its sentence at least
        stop = re.search(r"\.(?:\s|$)", after)
        end = max(effect.end() if effect else 0, recalled.end() if recalled else 0,
                  stop.start() + 1 if stop else len(after))
        words = " ".join(text[found.start():found.end() + end].split())
        out.append(_Told(" ".join(found.group("name").split()), day, words,
                         recalled is not None, _REJOINED.search(after) is not None))
    return out


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
            grid.told = _told(" ".join(parser.text), shown, problems)
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
    chapter = (root.findtext(".//Treaty/Header/Chapter/Header") or "").replace("CHAPTER", "")
    number = "-".join(p for p in (chapter.strip(), (ext.findtext("Numsect") if ext is not None
                                                   else "") or "",
                                  (ext.findtext("Subnumsect") if ext is not None else "")
                                  or "") if p)
    title = ""
    if ext is not None:
        title = (ext.findtext("Subtitlesect") or ext.findtext("Titlesect") or "").strip()
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
    told: list[_Told] = []
    for note in root.findall(".//EndNotes/Note"):
        told += _told(" ".join(t.text or "" for t in note.findall("text")), shown, problems)
        for table in note.findall("table"):
            lines = [[(c.text or "").strip().rstrip(":").lower() if i == 0 else
                      (c.text or "").strip() for c in r.findall("col")]
                     for i, r in enumerate(table.findall("row"))]
            at = next((i for i, h in enumerate(lines[0]) if "effect" in h), None) if lines \
                else None
            if at is None:
                continue
            for line in lines[1:]:
                if len(line) > at and line[0]:
                    day = _day(line[at], Where(shown, column="EndNotes"), problems)
                    if day is not None:
                        endings[_FOOTNOTE.sub("", line[0]).strip()] = day
    grid = _Grid(cells(head), [(i, cells(r)) for i, r in enumerate(body, start=2)], endings)
    grid.told = told
    counted = (root.findtext(".//Header/ExternalData/Status/Parties") or "").strip()
    grid.counted = int(counted) if counted.isdigit() else None
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


def _name(text: str, where: Where, problems: Problems,
          left_out: list[str] | None = None) -> tuple[str, str] | None:
    """The UN name for a participant as the Collection writes it (footnote numbers off). An
    organisation the name list does not know goes to left_out, to be said, not refused."""
    written = _FOOTNOTE.sub("", _SUPERSCRIPTS.sub("", text)).strip()
    found = registry().lookup(written)
    if found is None:
        if left_out is not None and _ORGANISATION.search(written):
            left_out.append(written)
            return None
        problems.add(where, f"unknown participant {written!r}", did_you_mean(written))
        return None
    return found, written


def _by_state(names: dict[str, dt.date]) -> dict[str, dt.date]:
    return {state: day for name, day in names.items()
            if (state := registry().lookup(name)) is not None}


def _prose_endings(grid: _Grid, listed: set[str], shown: str, notes: list[str]
                   ) -> dict[str, tuple[dt.date | None, str, bool]]:
    """The withdrawals the notes tell in prose, by State; one naming no participant is said."""
    out: dict[str, tuple[dt.date | None, str, bool]] = {}
    for told in grid.told:
        state = registry().lookup(told.name)
        if state is None or state not in listed:
            notes.append(f"{shown}: a note tells of a withdrawal or denunciation by "
                         f"{told.name}, which is not among the participants read: "
                         f"\"{told.words}\"")
        elif told.recalled:
            notes.append(f"{shown}: {told.name} gave notice of withdrawal and withdrew the "
                         f"notice before it took effect, as a note tells: still a party: "
                         f"\"{told.words}\"")
        elif state not in out or (told.day is not None and (
                (had := out[state][0]) is None or told.day > had)):
            # a State that denounced, acceded again and denounced again: the latest counts
            out[state] = (told.day, told.words, told.rejoined)
    return out


def _day(text: str, where: Where, problems: Problems) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_date(text.strip())
    except DateError as exc:
        problems.add(where, str(exc), DATE_FIX)
        return None


def _from_grid(grid: _Grid, shown: str, problems: Problems, notes: list[str],
               given: Mapping[str, dt.date]) -> list[Participant]:
    low = [h.lower() for h in grid.header]
    if not low or not low[0].startswith("participant"):
        problems.add(Where(shown, row=1, column=grid.header[0] if grid.header else None),
                     "the first column is not Participant",
                     "give the status table as the Collection publishes it: Participant, "
                     "Signature, then the consent column")
        return []
    # "Provisional acceptance" beside "Definitive acceptance" (XIX-35): a provisional column
    # is no consent to be bound
    consent = next((i for i, h in enumerate(low) if any(w in h for w in CONSENT_WORDS)
                    and "provisional" not in h), None)
    signature = next((i for i, h in enumerate(low) if h.startswith("signature")), None)
    ending = next((i for i, h in enumerate(low) if any(w in h for w in ENDING_WORDS)), None)
    if consent is None:
        problems.add(Where(shown, row=1), "no consent column (Ratification, Acceptance(A), "
                     "Approval(AA), Accession(a), Succession(d))",
                     "give the status table with its consent column")
        return []
    out = []
    named_rows = {number: _name(_BRACKETED.sub(r"\1", cells[0]),
                                Where(shown, row=number, column=grid.header[0]), problems,
                                grid.left_out)
                  for number, cells in grid.rows if cells and cells[0]}
    prose = _prose_endings(grid, {n[0] for n in named_rows.values() if n}, shown, notes)
    tabled = _by_state(grid.endings)
    reserved = {state for name in grid.reserved if (state := registry().lookup(name))}
    for number, cells in grid.rows:
        cells = cells + [""] * (len(grid.header) - len(cells))

        def at(i: int | None, cells: list[str] = cells) -> str:
            return cells[i] if i is not None and i < len(cells) else ""

        where = Where(shown, row=number, column=grid.header[0])
        name_text = _BRACKETED.sub(r"\1", cells[0])
        named = named_rows.get(number)
        if not name_text:
            problems.add(where, "the participant is missing", "give its name or remove the row")
        # dates in brackets: the participant withdrew or denounced (the notes say when)
        withdrew = any(_BRACKETED.match(c) for c in cells[1:] if c)
        # "Signature, Succession to signature(d)": a succession's d after the date
        signed = _day(_SIGNATURE_SUFFIX.sub("", _BRACKETED.sub(r"\1", at(signature))),
                      Where(shown, row=number, column=grid.header[signature]
                            if signature is not None else None), problems)
        date: dt.date | None = None
        action = ""
        text = _BRACKETED.sub(r"\1", at(consent)).strip()
        if text:
            try:
                date, action = parse_untc_consent(text)
            except DateError as exc:
                problems.add(Where(shown, row=number, column=grid.header[consent]), str(exc),
                             "write the date as the Collection does, e.g. '17 Feb 2010 a'")
        ended = _day(at(ending), Where(shown, row=number, column=grid.header[ending]
                                       if ending is not None else None), problems)
        if ended is None and named is not None and named[0] in given:
            ended = given[named[0]]  # the day of effect given with the import
        told, words, rejoined = prose.get(named[0], (None, "", False)) if named else (
            None, "", False)
        if withdrew and ended is None and named is not None:
            ended = tabled.get(named[0]) or told
            if ended is None:
                problems.add(where, f"{named[1]}'s dates are in brackets (it withdrew or "
                             "denounced), and no date of effect is given for it" + (
                                 f": the note says only \"{words}\"" if words else ""),
                             "give the treaty's MTDSG XML file, whose notes give the date of "
                             "effect; or give the day the treaty's terms give it, with "
                             f"--effect '{named[1]}=DAY'")
        elif ended is None and named is not None and named[0] in prose:
            # the row's dates are not in brackets, yet a note tells of a withdrawal (Poland in
            # XIV-7): applied, and said, unless the row's consent came after it (a State that
            # left and joined again, Canada in XXVII-10)
            day = tabled.get(named[0]) or told
            if day is None:
                problems.add(where, f"a note tells that {named[1]} withdrew or denounced, and "
                             f"gives no date of effect that can be read: \"{words}\"",
                             "give the day it takes effect, as the treaty's terms give it, "
                             f"with --effect '{named[1]}=DAY'")
            elif rejoined and date is not None:
                # Guyana denounced with effect from 5 April 1999 and acceded again on the day
                # of its notice, 5 January 1999: the row's consent is the new one
                notes.append(f"{shown}: {named[1]} withdrew or denounced (effective "
                             f"{untc_style(day)}) and, as the note tells, consented again: a "
                             f"party from {untc_style(date)}, as its row says")
            elif date is not None and day > date:
                ended = day
                notes.append(f"{shown}: {named[1]} is counted out from {untc_style(day)}, as a "
                             f"note tells (its row's dates are not in brackets): \"{words}\"")
            elif date is not None:
                notes.append(f"{shown}: {named[1]} withdrew or denounced (effective "
                             f"{untc_style(day)}) and consented again on {untc_style(date)}: "
                             "a party, as its row says")
        if ended is not None and (date is None or ended <= date):
            problems.add(Where(shown, row=number, column=grid.header[ending]
                               if ending is not None else grid.header[0]),
                         f"the denunciation ({untc_style(ended)}) comes before any consent "
                         f"({untc_style(date) or 'none'})",
                         "check the row's dates: a denunciation ends a consent given before")
        if named is not None:
            out.append(Participant(named[0], named[1], signed, date, action, ended, number,
                                   named[0] in reserved))
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
        named = _name(cells[0], Where(shown, row=number, column=grid.header[0]), problems,
                      grid.left_out)
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
                text_day = f"{numeric[3]}-{int(numeric[2]):02d}-{int(numeric[1]):02d}"
            as_at = _day(text_day, Where(shown, column="Status as at"), problems)
            today = dt.datetime.now(dt.UTC).date()
            if as_at is not None and as_at > today:
                problems.add(Where(shown, column="Status as at"), f"the page says it is of "
                             f"{as_at.isoformat()}, a day still to come",
                             "save the page again from treaties.un.org")
        elif unread := _AS_AT_ANY.search(page):
            notes.append(f"{shown}: its \"Status as at\" date ({unread.group(1).strip()}) "
                         "was not read (day or month first cannot be told): the data is dated "
                         "by the newest date it holds")
    else:
        form = "wide CSV"
        grid = _csv(raw, shown, problems)
    if grid is not None and not _check_size(grid.header, grid.rows, shown, problems):
        grid = None
    if grid is not None and _is_long(grid.header):
        form = "long form" + (" (page)" if form == "status page" else "")
        participants = [replace(p, ended=given.get(p.state, p.ended))
                        for p in _long(grid, shown, problems, notes)]
    else:
        participants = _from_grid(grid, shown, problems, notes, given) if grid else []
    if grid is not None:
        listed = {p.state: p for p in participants}
        for state, day in sorted(given.items()):
            if state not in listed:
                problems.add(Where(shown), f"a day of effect is given for {state}, which is "
                             "not among the table's participants",
                             "give --effect only for a participant of this table")
            else:
                notes.append(f"{shown}: {listed[state].written}'s withdrawal or denunciation "
                             f"is taken to have effect on {untc_style(day)}, as given with the "
                             "import, not from the source")
    if grid is not None and grid.counted is not None and not problems and \
            grid.counted != (read := sum(1 for p in participants if p.consent and not p.ended)):
        # said, not refused: the header is sometimes behind its own notes (XIV-7 counts 63
        # with Poland's withdrawal in effect), and organisations left out are in its count
        notes.append(f"{shown}: its header counts {grid.counted} parties; the table as read "
                     f"counts {read}: the other notes may say why")
    if grid is not None and grid.left_out:
        notes.append(f"{shown}: {len(grid.left_out)} organisation"
                     f"{'s' if len(grid.left_out) > 1 else ''} among the participants, not "
                     f"States, left out: {', '.join(grid.left_out)}")
    seen: dict[str, int] = {}
    for p in participants:
        if p.state in seen:
            problems.add(Where(shown, row=p.row), f"{p.state} is listed twice (rows "
                         f"{seen[p.state]} and {p.row})", "keep one row per participant")
        seen.setdefault(p.state, p.row)
    if not participants and not problems:
        problems.add(Where(shown), "no participant rows", "give the whole status table")
    if as_at is not None and (newest := max((d for p in participants
                                              for d in (p.signed, p.consent, p.ended) if d),
                                             default=None)) and as_at < newest:
        problems.add(Where(shown, column="Status as at"), f"the page says it is of "
                     f"{as_at.isoformat()}, before the newest date it holds "
                     f"({newest.isoformat()})", "save the page again from treaties.un.org")
    return StatusTable(shown, form, number, title, as_at, digest, tuple(participants),
                       tuple(notes))


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
