"""A slate: who holds which post. Vice-Presidents (and the like) are a set, so a slate's order
is only the order in which it is shown."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from planner.domain.names import normalise

NO_GROUP = "no regional group"


@dataclass(frozen=True)
class Seat:
    post: str
    state: str
    representative: str = ""  # the person who holds the post, where known
    # remained in office pending a successor (a record's hold-over, not an election)
    holdover: bool = False


Slate = tuple[Seat, ...]


# a seat a group leaves open pending its consultations stands on a slate as a State would,
# one per group ("open seat (African States)"): every rule then counts it as the group's seat
# and finds in it none of a State's standings, so it can only ever stand where a group is short
OPEN_SEAT = "open seat"


def open_seat(group: str) -> str:
    """The name an open seat of the group goes by on a slate."""
    return f"{OPEN_SEAT} ({group})"


def open_seat_group(name: str) -> str | None:
    """The group whose open seat the name is, None where it names a State."""
    if name.startswith(f"{OPEN_SEAT} (") and name.endswith(")"):
        return name[len(OPEN_SEAT) + 2:-1]
    return None


def state_order(name: str) -> tuple[str, str]:
    """The order States are listed in: by name as normalised (accents and case aside), then
    as written."""
    return (normalise(name), name)


def state_orders(names: Iterable[str]) -> Iterator[tuple[str, str]]:
    """state_order of each name, made in C (no Python call per name, for sorting thousands)."""
    names = tuple(names)
    return zip(map(normalise, names), names, strict=True)


def in_state_order(names: Iterable[str]) -> list[str]:
    """The names sorted by state_order (as sorted(names, key=state_order), on keys made in C)."""
    return [name for _key, name in sorted(state_orders(names))]
