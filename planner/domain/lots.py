"""A drawing of lots as the planner makes it: a pure function of a seed and a set of names, so
that anyone can repeat it from the log with any SHA-256 tool, and the order the names were
given in plays no part (never input order)."""

from __future__ import annotations

import hashlib

DRAW_METHOD = ("each name's SHA-256 of the seed, a newline and the name (UTF-8), in hex; "
               "the names in ascending order of it; the first is drawn")


def drawn_order(seed: str, names: list[str]) -> list[str]:
    """The order of a drawing (DRAW_METHOD)."""
    return sorted(set(names), key=lambda n: (
        hashlib.sha256(f"{seed}\n{n}".encode()).hexdigest(), n))
