"""UN State names: canonical names, former names and variants, and did-you-mean.

The registry (planner/data/states.csv) holds today's UN names with the names the UN used before
(Swaziland, Turkey, Czech Republic, ...) and common variants as aliases. Lookup is exact after
normalisation (case, accents, apostrophes, "St." for "Saint", punctuation); anything else is an
unknown name, answered with suggestions from rapidfuzz. Nothing is matched approximately on its
own, so look-alikes such as Niger and Nigeria are never merged.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import compress, repeat
from operator import is_, methodcaller, ne


@dataclass(frozen=True)
class StateName:
    name: str
    iso3: str
    kind: str  # member | observer | non-member | organization
    aliases: tuple[str, ...]
    # the regional group it counts in for elections ("" for none: the Holy See, the State of
    # Palestine, the Cook Islands, Niue, the European Union), from ../shared/data
    group: str = ""

    @property
    def is_state(self) -> bool:
        return self.kind != "organization"


_SAINT = re.compile(r"\bst\b\.?\s*")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_FOOTNOTE = re.compile(r"[\s\d,]+$")


@lru_cache(maxsize=1 << 16)  # a name recurs in every table that names its State
def normalise(text: str) -> str:
    """A key under which spelling variants of one name coincide."""
    if text.isascii():  # most names: nothing to decompose, no mark to drop
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = plain.replace("&", " and ")
    plain = _SAINT.sub("saint ", plain)
    return _NON_WORD.sub(" ", plain).strip()


# normalise() of many plain ASCII texts at once, joined by NUL (which none holds): the same
# steps, none running over a NUL, in a few calls over the joined text. "st" as a word is
# found from its letters first (where the search runs fastest), the other characters than
# letters and digits become spaces by a table, and the runs of spaces are made one
_SAINT_ALL = re.compile(r"st\b(?<!\wst)\.?[^\S\x00]*")
_PLAIN_ALL = {c: " " for c in range(128) if not (chr(c).isalnum() or c == 0)}
_SPACES = re.compile("  +")
# what the footnote's expression drops from the end of a plain ASCII text: blank space,
# digits and commas
_FOOTNOTE_CHARS = "".join(c for c in map(chr, range(128)) if c.isspace() or c.isdigit()) + ","


def _normalise_all(texts: list[str]) -> list[str]:
    """normalise() of each text, each plain ASCII with no NUL."""
    if not texts:
        return []
    joined = "\x00".join(texts).lower().replace("&", " and ")
    joined = _SAINT_ALL.sub("saint ", joined).translate(_PLAIN_ALL)
    return list(map(str.strip, _SPACES.sub(" ", joined).split("\x00")))


class Registry:
    def __init__(self, entries: list[StateName]) -> None:
        self.entries = {e.name: e for e in entries}
        self._index: dict[str, str] = {}
        for e in entries:
            for key in (e.name, *e.aliases, e.iso3):
                if not key:
                    continue
                k = normalise(key)
                other = self._index.get(k)
                if other is not None and other != e.name:
                    raise ValueError(f"registry: {key!r} names both {other} and {e.name}")
                self._index[k] = e.name

    def lookup(self, text: str) -> str | None:
        """The canonical name for text, or None when the name is not known exactly."""
        key = normalise(text)
        found = self._index.get(key)
        if found is None:
            # UNTC tables mark footnotes with trailing numbers ("Germany 4")
            stripped = _FOOTNOTE.sub("", text)
            if stripped != text:
                found = self._index.get(normalise(stripped))
        return found

    def lookup_all(self, texts: Collection[str]) -> dict[str, str | None]:
        """lookup() of each of many texts, the plain ASCII ones normalised together: a large
        case declares thousands of names, and normalising each alone (a few regular
        expressions' calls each) is most of checking them."""
        plain = list(compress(texts, map(str.isascii, texts)))
        if len(plain) < 64 or "\x00" in "".join(plain):
            return {t: self.lookup(t) for t in texts}  # a body's own few States, one by one
        out = dict(zip(plain, map(self._index.get, _normalise_all(plain)), strict=True))
        # a name unknown as written may be known without a footnote's number after it (each
        # bare name looked up once: numbered names, such as a large case declares, share few)
        unknown = list(compress(out, map(is_, out.values(), repeat(None))))
        bare = list(map(methodcaller("rstrip", _FOOTNOTE_CHARS), unknown))
        noted = list(map(ne, bare, unknown))
        distinct = list(dict.fromkeys(compress(bare, noted)))
        known = dict(zip(distinct, map(self._index.get, _normalise_all(distinct)), strict=True))
        out.update(zip(compress(unknown, noted), map(known.__getitem__, compress(bare, noted)),
                       strict=True))
        if len(out) < len(texts):  # accents and the rest, one by one
            out.update((t, self.lookup(t)) for t in texts if t not in out)
        return out

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Canonical names that look like text, best first."""
        from rapidfuzz import fuzz, process

        keys = list(self._index)
        hits = process.extract(
            normalise(text), keys, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=70
        )
        out: list[str] = []
        for key, _score, _i in hits:
            name = self._index[key]
            if name not in out:
                out.append(name)
        return out[:limit]

    def get(self, name: str) -> StateName:
        return self.entries[name]


@cache
def registry() -> Registry:
    text = resources.files("planner.data").joinpath("states.csv").read_text(encoding="utf-8")
    entries = [
        StateName(
            name=row["name"],
            iso3=row["iso3"],
            kind=row["kind"],
            aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            group=row["group"],
        )
        for row in csv.DictReader(text.splitlines())
    ]
    return Registry(entries)


def did_you_mean(text: str) -> str:
    """A fix suggestion for an unknown name."""
    hints = registry().suggest(text)
    if hints:
        return "did you mean " + " or ".join(repr(h) for h in hints) + "?"
    return "use the State's UN name, as in the UN Treaty Collection"


def did_you_mean_among(text: str, choices: list[str], what: str) -> str:
    """A fix suggestion for an unknown name among a short list of choices."""
    from rapidfuzz import fuzz, process

    best = process.extractOne(normalise(text), {c: normalise(c) for c in choices},
                              scorer=fuzz.ratio, score_cutoff=60)
    known = "known: " + ", ".join(choices)
    return f"did you mean {best[2]!r}? ({known})" if best else f"use a {what} name ({known})"
