"""The shape of one body's bureau: its posts, the groupings of States it uses, who may sit and
whose turn it is. The profile (planner.rules.profile) adds the rules; this is the part the case
reader and the domain need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from planner.domain.names import normalise
from planner.domain.slate import open_seat

# how a slate may write a seat left open: the words, then the group in brackets
_OPEN_SEAT = re.compile(r"(?i)^(?:open(?: seat)?|seat left open|vacant(?: seat)?|"
                        r"pending)\s*\((.+)\)$")

# the eligibility bases a body may use
TREATY = "treaty"  # parties to the body's treaty at the opening (deposits and entry into force)
MEMBERSHIP = "membership"  # members of the body, as its members table lists them
ELIGIBILITY_BASES = (TREATY, MEMBERSHIP)


@dataclass(frozen=True)
class GroupSpec:
    name: str
    short: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostSpec:
    name: str
    count: int
    aliases: tuple[str, ...] = ()

    @property
    def counted(self) -> str:
        """'1 President', '8 Vice-Presidents'."""
        return f"{self.count} {self.name}{'s' if self.count != 1 else ''}"


@dataclass(frozen=True)
class Body:
    conference: str
    conference_short: str
    groups: tuple[GroupSpec, ...]
    posts: tuple[PostSpec, ...]  # in the order a bureau is listed: the head post first
    eligibility: str = TREATY
    constituencies: tuple[str, ...] = ()  # lists of States the case gives (e.g. SIDS)
    # the post whose group follows the cycle (None: no post rotates), and the posts that
    # follow it: (post, offset), the post's group is the one that held the head post's turn
    # offset sessions before (a negative offset: sessions after)
    rotating_post: str | None = None
    followers: tuple[tuple[str, int], ...] = ()
    # a rotation table the profile publishes: (session, post, group), for any post; a case's
    # own rotation table wins over it
    published: tuple[tuple[int, str, str], ...] = ()
    # the presidency's cycle when neither the case nor its history gives one, from this session
    default_cycle: tuple[str, ...] = ()
    default_cycle_start: int = 1
    session_interval: int = 1  # years from one regular session to the next
    extra_states: bool = False  # the case may declare States of its own (a states table)
    # the instruments (by the case's ids) whose meetings of the parties the bureau also
    # serves: an officer not party to one is replaced there by a substitute from its parties
    serves: tuple[str, ...] = ()

    @property
    def following_post(self) -> str | None:
        """The first post that follows the head post's rotation (the Rapporteur)."""
        return self.followers[0][0] if self.followers else None

    @property
    def rotating_posts(self) -> tuple[str, ...]:
        """The posts whose group follows a rotation: the head post, then its followers."""
        head = (self.rotating_post,) if self.rotating_post else ()
        return (*head, *(p for p, _o in self.followers))

    @cached_property
    def post_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.posts)

    @cached_property
    def group_names(self) -> tuple[str, ...]:
        return tuple(g.name for g in self.groups)

    @cached_property
    def _post_ranks(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.post_names)}

    @property
    def total_posts(self) -> int:
        return sum(p.count for p in self.posts)

    @property
    def head_post(self) -> str:
        return self.posts[0].name

    def post(self, name: str) -> PostSpec:
        return next(p for p in self.posts if p.name == name)

    def post_rank(self, name: str) -> int:
        return self._post_ranks.get(name, len(self.posts))

    def group(self, name: str) -> GroupSpec:
        return next(g for g in self.groups if g.name == name)

    def short(self, group: str) -> str:
        return self.group(group).short if group in self.group_names else group

    @cached_property
    def _group_index(self) -> dict[str, str]:
        return {normalise(n): g.name for g in reversed(self.groups)
                for n in (g.name, g.short, *g.aliases)}

    @cached_property
    def _post_index(self) -> dict[str, str]:
        return {normalise(n): p.name for p in reversed(self.posts) for n in (p.name, *p.aliases)}

    def find_group(self, text: str) -> str | None:
        return self._group_index.get(normalise(text))

    def find_post(self, text: str) -> str | None:
        """The post a name gives: the post's name or an alias the profile declares, or one
        of them numbered as records number the seats of a post held by several ("First
        Vice-Chair", "2nd Vice-President": a Vice-Chair, where the body has two at least)."""
        key = normalise(text)
        found = self._post_index.get(key)
        if found is not None:
            return found
        first, _space, rest = key.partition(" ")
        ordinal = ORDINALS.get(first)
        found = self._post_index.get(rest) if ordinal else None
        if found is not None and ordinal is not None and self.post(found).count >= max(2, ordinal):
            return found
        return None

    def find_open_seat(self, text: str) -> str | None:
        """The open seat a text names ("open seat (WEOG)", "open (African States)", "vacant
        (GRULAC)"), by the group's name, short name or alias; None where it names none."""
        match = _OPEN_SEAT.match(text.strip())
        group = self.find_group(match.group(1)) if match else None
        return open_seat(group) if group else None

    def find_constituency(self, text: str) -> str | None:
        key = normalise(text)
        return next((c for c in self.constituencies if normalise(c) == key), None)


# how records number the seats of a post held by several
ORDINALS = {word: n for n, words in enumerate((
    ("first", "1st"), ("second", "2nd"), ("third", "3rd"), ("fourth", "4th"), ("fifth", "5th"),
    ("sixth", "6th"), ("seventh", "7th"), ("eighth", "8th"), ("ninth", "9th"),
    ("tenth", "10th")), start=1) for word in words}


# the five regional groups of the United Nations, as most bodies use them
UN_REGIONAL_GROUPS = (
    GroupSpec("African States", "African", ("Africa", "African Group", "AG")),
    GroupSpec("Asia-Pacific States", "Asia-Pacific",
              ("Asia and the Pacific", "Asian States", "Asia-Pacific Group", "APG")),
    GroupSpec("Eastern European States", "Eastern European",
              ("Eastern Europe", "Eastern European Group", "EEG")),
    GroupSpec("Latin American and Caribbean States", "Latin American and Caribbean",
              ("Latin America and the Caribbean", "GRULAC")),
    GroupSpec("Western European and other States", "Western European and other",
              ("Western European and Others", "Western European and other States Group",
               "WEOG")),
)
