"""Errors the library raises; the CLI turns them into messages and exit codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple


class Where(NamedTuple):
    """A place in the user's input, numbered as the spreadsheet numbers it. (A named tuple,
    not a dataclass: a large case makes one per row, and a tuple is made three times as fast.)
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None  # a key of a TOML file, such as rules[2].kind

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.key:
            parts.append(f"key {self.key}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is and what to do about it."""

    where: Where
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text} ({self.fix})" if self.fix else text


class PlannerError(Exception):
    """Base class for errors meant for the user, never a bug."""


class InputError(PlannerError):
    """The input cannot be used; carries every problem found in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CarriedCaseEdited(InputError):
    """The case a workbook carries was changed after the planner wrote it (its digests differ
    from those its Run info records): refused where that case would be used, said where another
    case is named."""


class UsageError(PlannerError):
    """The command was asked something it cannot do (for example, overwrite an input)."""


class OutputError(PlannerError):
    """An output cannot be written where asked: the environment, not the planner."""

    def __init__(self, path: object, exc: OSError) -> None:
        reason = exc.strerror or type(exc).__name__
        if isinstance(exc, FileExistsError | NotADirectoryError):
            reason = "a file stands where its folder should be"
        super().__init__(f"cannot write {path}: {reason.lower()} (choose another --out, or "
                         "make room or rights for it); nothing was written")


class Problems:
    """Collects problems while reading, so that all of them are reported together."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.notices: list[str] = []  # read, but worth a look: carried into the case's warnings

    def add(self, where: Where, message: str, fix: str = "") -> None:
        self.items.append(Problem(where, message, fix))

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def raise_if_any(self) -> None:
        if self.items:
            # in file order, as a person would go through the spreadsheets to fix them
            raise InputError(sorted(self.items, key=lambda p: (
                p.where.file, p.where.sheet or "", p.where.row or 0)))

    def __bool__(self) -> bool:
        return bool(self.items)
