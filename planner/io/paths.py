"""One rule for every file a case names (its profile, a status table): a path inside the case's
own folder, never followed outside it, and a regular file of bounded size.

A case travels (a workbook is e-mailed, uploaded to the board): what it names must mean the same
file wherever the command runs, and must never reach a file the sender could not have sent with
it. So a name is read relative to the case's folder only (never the working folder), may not
climb out of it (`..`, an absolute path, a link that leads outside), and must be a regular file
(a pipe or a device would block or never end) no larger than the bound. A refusal names the key
and what to do, and says nothing of what lies outside the folder: not whether a file exists
there, nor what it holds.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath


@dataclass(frozen=True)
class Refused:
    """Why a named file cannot be read, and the fix."""

    message: str
    fix: str


def case_folder(case_path: Path) -> Path:
    """The folder whose files a case may name: the case folder, or a workbook's folder."""
    return case_path if case_path.is_dir() else case_path.parent


def _climbs(name: str) -> bool:
    """Whether a name leaves the folder as written: absolute (in either spelling), or with a
    `..` part."""
    for pure in (PurePosixPath(name), PureWindowsPath(name)):
        if pure.is_absolute() or pure.anchor or ".." in pure.parts:
            return True
    return False


def named_file(folder: Path, name: str, what: str, max_bytes: int) -> Path | Refused:
    """The file `name` (as a case gives it) inside `folder`, or why it cannot be read."""
    name = name.strip()
    fix = f"put the {what} in the case's folder and name it by its file name"
    if not name or _climbs(name):
        return Refused(f"the {what} {name!r} is outside the case folder", fix)
    path = folder / PurePath(name)
    missing = Refused(f"the {what} {name!r} is not in the case folder",
                      f"put {PurePath(name).name} in the case's folder, beside its tables")
    try:
        # where it leads, whether or not anything is there: a link out of the folder is
        # refused the same whether its end exists or not (nothing learnt of outside)
        real, inside = path.resolve(strict=False), folder.resolve(strict=True)
    except (OSError, RuntimeError):  # a loop of links, an unreadable folder
        return missing
    if not real.is_relative_to(inside):
        return Refused(f"the {what} {name!r} is outside the case folder", fix)
    if not real.exists():
        return missing
    return given_file(real, what, max_bytes, shown=repr(name))


def given_file(path: Path, what: str, max_bytes: int, shown: str = "") -> Path | Refused:
    """A file a person named on the command line (anywhere on their machine): a regular file
    no larger than the bound, or why it cannot be read."""
    shown = shown or str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            return Refused(f"the {what} {shown} does not exist", "check the path")
        return Refused(f"cannot read the {what} {shown} ({exc.strerror})",
                       "check the file's rights")
    if not stat.S_ISREG(info.st_mode):
        return Refused(f"the {what} {shown} is not a regular file (a pipe, a device or a "
                       "folder)", f"name a {what}")
    if not os.access(path, os.R_OK):
        return Refused(f"cannot read the {what} {shown} (permission denied)",
                       "check the file's rights")
    if info.st_size > max_bytes:
        return Refused(f"the {what} {shown} is {info.st_size / 2**20:.1f} MiB, more than the "
                       f"{max_bytes / 2**20:g} MiB it may have",
                       "check that this is the right file")
    return path
