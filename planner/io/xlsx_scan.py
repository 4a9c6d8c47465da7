"""What an .xlsx holds, counted by a real XML parser before any spreadsheet library opens it.

A spreadsheet reader allocates what a workbook declares: the span of each sheet (its far cell,
its dimension) and every shared string each cell repeats. A pre-scan that matches text can be
walked around by spelling the same XML another way (attributes in another order, single quotes,
a cell with no reference that follows the one before it, a prefix on a tag). So every XML part
of the archive, whatever its name (a workbook may put a sheet anywhere its relationships point),
is read here with expat, a DTD and every entity declaration refused (as defusedxml refuses
them), one streaming pass each, and
what a reader would allocate is counted as the reader would place it: rows and cells without a
reference take the next position, as the format says. The totals are held to the limits of
planner.limits per sheet and per workbook.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.limits import (
    MAX_CELLS,
    MAX_SHEETS,
    MAX_UNPACKED_BYTES,
    MAX_WORKBOOK_CELLS,
    MAX_ZIP_ENTRIES,
)

_REF = re.compile(r"\s*([A-Za-z]{1,3})?\s*([0-9]{1,7})?\s*")
_MAX_COLUMN = 16_384  # XFD, the last column a workbook has
_MAX_ROW = 1_048_576


class Refusal(Exception):
    """Why a workbook must not be opened."""


def _position(ref: str) -> tuple[int | None, int | None]:
    """(column, row) of a reference such as B7 (either part may be missing)."""
    m = _REF.fullmatch(ref)
    if m is None:
        raise Refusal(f"a cell reference {ref[:20]!r} is not one")
    letters, number = m.groups()
    col = None
    if letters:
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
    return col, int(number) if number else None


@dataclass
class _Counts:
    """What one XML part declares, as a reader would lay it out."""

    rows: int = 0  # the far row reached
    cols: int = 0  # the far column reached
    cells: int = 0
    string_cells: int = 0  # cells that repeat a shared string
    inline_chars: int = 0  # text held in cells' own (inline) strings
    longest_shared: int = 0  # the longest shared string
    shared: int = 0  # shared strings
    span: int = 0  # the span the part's dimension declares
    is_sheet: bool = False
    sheet_ids: list[str] = field(default_factory=list)  # a workbook part's <sheet> entries
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (id, type, target)
    row: int = 0
    col: int = 0
    in_shared: int = 0  # characters of the shared string being read
    reading_shared: bool = False
    in_inline: bool = False
    stack: list[str] = field(default_factory=list)

    @property
    def area(self) -> int:
        return max(self.rows * self.cols, self.span)


class _Handler:
    """Expat callbacks counting one part (namespace-aware: a prefix changes nothing). Names
    arrive as "namespace local" (expat's separator is a space), attributes likewise, or bare
    where they have no namespace."""

    def __init__(self, counts: _Counts) -> None:
        self.n = counts

    def start(self, qualified: str, attrs: dict[str, str]) -> None:
        space, _sep, local = qualified.rpartition(" ")
        n = self.n
        if local == "row":
            r = _attr(attrs, "r")
            number = _position(r)[1] if r is not None else None
            n.row = number if number is not None else n.row + 1
            n.col = 0
            n.rows = max(n.rows, n.row)
        elif local == "c":
            ref = _attr(attrs, "r")
            col, row = _position(ref) if ref is not None else (None, None)
            n.col = col if col is not None else n.col + 1
            if row is not None:
                n.row = row
            n.row = max(n.row, 1)
            if n.col > _MAX_COLUMN or n.row > _MAX_ROW:
                raise Refusal(f"a cell lies beyond the last one a sheet has (column {n.col:,}, "
                              f"row {n.row:,})")
            n.cols, n.rows = max(n.cols, n.col), max(n.rows, n.row)
            n.cells += 1
            kind = (_attr(attrs, "t") or "").strip().lower()
            if kind == "s":
                n.string_cells += 1
            n.in_inline = kind == "inlinestr"
        elif local == "sheetData" or local == "dimension":
            n.is_sheet = True
            ref = _attr(attrs, "ref") if local == "dimension" else None
            if ref is not None:
                corners = [_position(p) for p in ref.split(":")[:2]]
                cols = [c for c, _r in corners if c is not None]
                rows = [r for _c, r in corners if r is not None]
                span = (max(cols, default=1)) * (max(rows, default=1))
                n.span = max(n.span, span)
        elif local == "si":
            n.reading_shared, n.in_shared = True, 0
        elif local == "sheet" and space.endswith("spreadsheetml/2006/main"):
            n.sheet_ids.append(_attr(attrs, "id") or "")
            if len(n.sheet_ids) > MAX_SHEETS:
                raise Refusal(f"it lists more than the {MAX_SHEETS} sheets a workbook may have")
        elif local == "Relationship":
            n.relations.append((_attr(attrs, "Id") or "", _attr(attrs, "Type") or "",
                                _attr(attrs, "Target") or ""))
            if len(n.relations) > MAX_ZIP_ENTRIES:
                raise Refusal("its relationships are more than a workbook has")

    def end(self, qualified: str) -> None:
        local = qualified.rpartition(" ")[2]
        n = self.n
        if local == "si":
            n.shared += 1
            n.longest_shared = max(n.longest_shared, n.in_shared)
            n.reading_shared = False
        elif local == "c":
            n.in_inline = False

    def characters(self, content: str) -> None:
        if self.n.reading_shared:
            self.n.in_shared += len(content)
        elif self.n.in_inline:
            self.n.inline_chars += len(content)


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by its local name, whatever namespace it is written in."""
    found = attrs.get(local)
    if found is not None:
        return found
    return next((v for k, v in attrs.items() if k.rpartition(" ")[2] == local), None)


def _refuse_declarations(*_args: Any) -> None:
    raise Refusal("it declares XML entities, which a workbook never needs")


def _scan_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, strict: bool) -> _Counts | None:
    """One part's counts; a part that is not strict (not named .xml or .rels, nor named by
    the workbook's relationships) and does not begin as XML is None (an image: no reader
    parses it as cells). A strict part is parsed whatever its first bytes. Expat directly
    (the SAX layer costs a call and an object per element), with what defusedxml forbids
    forbidden here: a DTD, any entity declaration, any external entity."""
    import xml.parsers.expat as expat

    counts = _Counts()
    with z.open(info) as fh:
        first = fh.read(1 << 16)
        if not strict and not first.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return None
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = _refuse_declarations
        parser.EntityDeclHandler = _refuse_declarations
        parser.UnparsedEntityDeclHandler = _refuse_declarations
        parser.ExternalEntityRefHandler = _refuse_declarations  # type: ignore[assignment]
        parser.SkippedEntityHandler = _refuse_declarations
        handler = _Handler(counts)
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.characters
        parser.buffer_text = True  # text in one call, not in pieces
        try:
            chunk = first
            while chunk:
                parser.Parse(chunk, False)
                chunk = fh.read(1 << 20)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise Refusal(f"its part {info.filename[:60]} is not well-formed XML "
                          f"({expat.ErrorString(exc.code)}, line {exc.lineno})") from None
    return counts


def _sheet_parts(counts: dict[str, _Counts]) -> list[str] | None:
    """The worksheet part each <sheet> entry of the workbook reads, once per entry (entries
    may share a part: a reader reads it each time), as the package's relationships name them;
    None where the workbook part is not found (every part is then counted once)."""
    import posixpath

    def targets(rels_part: str, base: str) -> dict[str, tuple[str, str]]:
        found = counts.get(rels_part)
        if found is None:
            return {}
        out = {}
        for rid, kind, target in found.relations:
            where = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(base, target))
            out[rid] = (kind, where)
        return out

    package = targets("_rels/.rels", "")
    book = next((t for kind, t in package.values() if kind.endswith("/officeDocument")),
                "xl/workbook.xml")
    if book not in counts:
        return None
    folder, name = posixpath.split(book)
    named = targets(posixpath.join(folder, "_rels", f"{name}.rels"), folder)
    return [named[rid][1] for rid in counts[book].sheet_ids if rid in named]


def unsafe_workbook(path: Path) -> str | None:
    """Why an .xlsx must not be opened (None: it may), counted as its reader would allocate:
    its unpacked size, each sheet's span, every sheet's together (a part listed twice counts
    twice), the sheets, and the shared text its cells repeat."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return (f"it holds {len(infos):,} parts, more than the {MAX_ZIP_ENTRIES:,} a "
                        "workbook may")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNPACKED_BYTES:
                return (f"it unpacks to {total / 2**20:.0f} MiB, more than the "
                        f"{MAX_UNPACKED_BYTES // 2**20} MiB a workbook may")
            counts: dict[str, _Counts] = {}
            # the parts a reader parses as XML by their names first, strictly: whatever their
            # first bytes, they are XML or the workbook is refused
            named = [i for i in infos if not i.is_dir()
                     and i.filename.lower().endswith((".xml", ".rels"))]
            for info in named:
                n = _scan_part(z, info, strict=True)
                assert n is not None
                counts[info.filename] = n
            sheets = _sheet_parts(counts)
            # then any other part the relationships name (a sheet may be called anything)
            for info in infos:
                if info.filename not in counts and not info.is_dir() and (
                        sheets is None or info.filename in sheets):
                    n = _scan_part(z, info, strict=sheets is not None)
                    if n is not None:
                        counts[info.filename] = n
            if sheets is None:
                sheets = [k for k, n in counts.items() if n.is_sheet or n.cells]
            if len(sheets) > MAX_SHEETS:
                return (f"it has {len(sheets):,} sheets, more than the {MAX_SHEETS} sheets "
                        "a workbook may have")
            for n in counts.values():
                if n.area > MAX_CELLS:
                    return (f"a sheet reaches cell row {n.rows:,}, column {n.cols:,} (or "
                            f"declares a span of {n.area:,} cells): more than the "
                            f"{MAX_CELLS:,} cells a sheet may span")
            area = sum(counts[s].area for s in sheets if s in counts)
            if area > MAX_WORKBOOK_CELLS:
                return (f"its sheets span {area:,} cells together, more than the "
                        f"{MAX_WORKBOOK_CELLS:,} a workbook may")
            string_cells = sum(counts[s].string_cells for s in sheets if s in counts)
            inline = sum(counts[s].inline_chars for s in sheets if s in counts)
            longest = max((n.longest_shared for n in counts.values()), default=0)
            if longest * string_cells + inline > MAX_UNPACKED_BYTES:
                return (f"its cells repeat {longest:,} characters of text {string_cells:,} "
                        "times, more than a workbook may unpack to")
    except Refusal as exc:
        return str(exc)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        return f"it is not a readable zip archive ({type(exc).__name__})"
    return None
