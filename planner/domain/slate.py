"""A slate: who holds which post. Vice-Presidents (and the like) are a set, so a slate's order
is only the order in which it is shown."""

from __future__ import annotations

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


def state_order(name: str) -> tuple[str, str]:
    return (normalise(name), name)
