"""planner data: today's treaty data, imported from the forms the UN Treaty Collection serves,
and what changed between two readings."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import click

from planner.cli.common import cli, json_option, say

PROVENANCE = "provenance.csv"
PROVENANCE_COLUMNS = ("table", "source", "form", "treaty", "title", "status_as_at", "data_date",
                      "read_at", "sha256", "participants", "parties", "signatories_only",
                      "denounced", "reservations", "effects_given", "changes")


@cli.group(name="data")
def data_group() -> None:
    """Bring a treaty's current status into a case, and see what changed."""


def _read_all(sources: tuple[Path, ...], effects: tuple[str, ...] = ()) -> list[object]:
    from planner.errors import Problems
    from planner.io.untc import read_status

    problems = Problems()
    given = _given(effects, problems)
    tables = [read_status(p, str(p), problems, given) for p in sources]
    problems.raise_if_any()
    return [t for t in tables if t is not None]


def _given(effects: tuple[str, ...], problems: object) -> dict[str, dt.date]:
    """--effect STATE=DAY, each read, every problem listed together."""
    from planner.domain.names import did_you_mean, registry
    from planner.errors import Problems, Where
    from planner.io.dates import DATE_FIX, DateError, parse_date

    assert isinstance(problems, Problems)
    given: dict[str, dt.date] = {}
    for text in effects:
        name, _, day = text.rpartition("=")
        where = Where("--effect", column=text[:80])
        if not name.strip() or not day.strip():
            problems.add(where, f"{text[:80]!r} gives no State and day",
                         "write it as STATE=DAY, e.g. --effect 'Jamaica=23 Jan 1998'")
            continue
        state = registry().lookup(name.strip())
        if state in given:
            problems.add(where, f"--effect gives {state} twice",
                         "give each State's day once")
            continue
        if state is None:
            problems.add(where, f"{name.strip() or text!r} is not a State or participant the "
                         "planner knows", "write it as STATE=DAY, e.g. --effect "
                         "'Jamaica=23 Jan 1998'" + (f"; {did_you_mean(name.strip())}"
                                                    if name.strip() else ""))
            continue
        try:
            given[state] = parse_date(day.strip())
        except DateError as exc:
            problems.add(where, str(exc), DATE_FIX)
    return given


def _provenance_rows(path: Path, replaced: set[str]) -> list[list[object]]:
    """The rows of an earlier provenance.csv for the tables not written again."""
    if not path.is_file():
        return []
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return [[row.get(c, "") for c in PROVENANCE_COLUMNS] for row in csv.DictReader(f)
                    if row.get("table") and row["table"] not in replaced]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


_MTDSG_FILE = re.compile(r"^([IVXL]+(?:-[A-D])?-\d{1,3}(?:-[a-z]{1,2})?(?:-\d{1,2})?)"
                        r"(?:\.[a-z]{2})?$")


def _table_name(table: object, path: Path) -> str:
    """The name the table is written under: the MTDSG number its file is named by (XI-A-6.en.xml
    keeps the chapter's letter, which the XML's header leaves out), else the one the source
    gives, else the file's own name, in letters, digits, dots, dashes and underscores only (a
    name is never a path)."""
    from planner.io.untc import StatusTable

    assert isinstance(table, StatusTable)
    by_file = _MTDSG_FILE.match(path.stem)
    # the Collection's files end in their language (XVIII-12-a.en.xml)
    name = by_file.group(1) if by_file else table.treaty or re.sub(r"\.[a-z]{2}$", "",
                                                                   path.stem)
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).strip("._") or "status"


@data_group.command(name="import")
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the status tables and provenance.csv into (the "
                   "case's untc folder, say).")
@click.option("--effect", "effects", multiple=True, metavar="STATE=DAY",
              help="The day a participant's withdrawal or denunciation took effect, where the "
                   "source gives none or contradicts itself (its note names no day); with one "
                   "SOURCE only; said in the import and in provenance.csv. Repeatable.")
def import_cmd(sources: tuple[Path, ...], out: Path, effects: tuple[str, ...]) -> None:
    """Read each SOURCE (a treaty's status page saved from treaties.un.org, its MTDSG XML
    file, a wide CSV status table or the long form of its actions) and write it as the status
    table a case reads, with its provenance: the source, the date of the data, when it was
    read, its SHA-256 and its counts. Every problem of every source is listed together, and
    then nothing is written.

    \b
    Example:
      planner data import XVIII-12.html XVIII-12-a.en.xml --out inputs/my-case/untc
    """
    from planner.errors import Problems, UsageError
    from planner.io.dates import untc_style
    from planner.io.untc import StatusTable, differences, read_status, wide_rows
    from planner.limits import MAX_FILE_BYTES
    from planner.report.files import write_atomic, written_together

    for p in sources:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise UsageError(f"{p} is larger than {MAX_FILE_BYTES // 2**20} MiB, more than a "
                             "treaty's status needs: give the treaty's own page or file")
    if effects and len(sources) > 1:
        raise UsageError("--effect applies to one source: import the table it corrects on its "
                         "own")
    tables = _read_all(sources, effects)
    names = [_table_name(t, p) for t, p in zip(tables, sources, strict=True)]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        files = [str(p) for p, n in zip(sources, names, strict=True) if n == twice[0]]
        raise UsageError(f"{' and '.join(files)} would both be written as {twice[0]}.csv (the "
                         "same treaty, or files of one name): give each treaty once, or "
                         "rename one file")
    targets = [out / f"{n}.csv" for n in names] + [out / PROVENANCE]
    given = {p.resolve() for p in sources}
    clash = [t for t in targets if t.resolve() in given]
    if clash:
        raise UsageError(f"{clash[0]} is one of the sources: write to another folder "
                         "(an input is never overwritten)")
    # refused before anything is written: a folder where a table goes would stop the outputs
    # halfway through being put in place
    blocked = [t for t in targets if t.exists() and not t.is_file()]
    if blocked:
        raise UsageError(f"{blocked[0]} is not a file: move it, or write to another folder")

    read_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    # what changed since the table each replaces (an earlier import), said in provenance.csv,
    # and from there on the Run info sheet and the board
    before = {}
    for table, name in zip(tables, names, strict=True):
        old = out / f"{name}.csv"
        if old.is_file():
            problems = Problems()
            earlier = read_status(old, str(old), problems)
            if earlier is not None and not problems:
                assert isinstance(table, StatusTable)
                before[name] = " ".join(differences(earlier, table))
    rows: list[list[object]] = []
    with written_together():
        for table, name in zip(tables, names, strict=True):
            assert isinstance(table, StatusTable)

            def write(tmp: str, table: StatusTable = table) -> None:
                with open(tmp, "w", newline="", encoding="utf-8") as f:
                    csv.writer(f).writerows(wide_rows(table))

            write_atomic(out / f"{name}.csv", write)
            parties = len(table.parties())
            ended = len(table.ended_by())
            signed = sum(1 for p in table.participants if p.consent is None and p.signed)
            reserved = sum(1 for p in table.participants if p.reserved)
            rows.append([
                f"{name}.csv", table.source, table.form, table.treaty, table.title,
                table.as_at.isoformat() if table.as_at else "",
                table.data_date.isoformat() if table.data_date else "", read_at, table.sha256,
                len(table.participants), parties, signed, ended, reserved,
                "; ".join(effects), before.get(name, "")])
            click.echo(f"{name}: {parties} part{'y' if parties == 1 else 'ies'}, {signed} "
                       f"signator{'y' if signed == 1 else 'ies'} only, {ended} denounced or "
                       f"withdrew; data of {untc_style(table.data_date) or 'no date'} "
                       f"({table.form})", err=True)
            if reserved:
                click.echo(f"Note: {reserved} made reservations, which the notes record; a "
                           "reservation does not change whether a State is a party, and the "
                           "Collection lists them among the parties, as the table does",
                           err=True)
            for note in table.notes:
                click.echo(f"Note: {note}", err=True)

        # the folder's other tables keep their rows
        kept = _provenance_rows(out / PROVENANCE, {str(r[0]) for r in rows})

        def provenance(tmp: str) -> None:
            with open(tmp, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(PROVENANCE_COLUMNS)
                merged: list[list[object]] = [*kept, *rows]
                merged.sort(key=lambda r: str(r[0]))
                w.writerows(merged)

        write_atomic(out / PROVENANCE, provenance)
    click.echo(f"Written: {', '.join(str(t) for t in targets)}", err=True)


@data_group.command(name="diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def diff_cmd(old: Path, new: Path, as_json: bool) -> None:
    """What changed between two readings of a treaty's status (each in any form import
    reads): parties added, changed and gone, and denunciations, in words.

    \b
    Example:
      planner data diff inputs/untoc-cop6-2012/untc/18-12.csv XVIII-12.html
    """
    from planner.io.untc import StatusTable, differences
    from planner.report.render import diff_said

    a, b = _read_all((old, new))
    assert isinstance(a, StatusTable) and isinstance(b, StatusTable)
    say(diff_said(str(old), str(new), a.data_date, b.data_date, differences(a, b)), as_json)
