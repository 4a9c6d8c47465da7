"""The shape of one body's bureau: its posts, the groupings of States it uses, who may sit and
whose turn it is. The profile (planner.rules.profile) adds the rules; this is the part the case
reader and the domain need.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from planner.domain.names import normalise

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
    # the post whose group follows the cycle, and the post whose group follows that one
    # rapporteur_offset sessions later (None: that post does not rotate)
    rotating_post: str | None = None
    following_post: str | None = None
    # the presidency's cycle when neither the case nor its history gives one, from this session
    default_cycle: tuple[str, ...] = ()
    default_cycle_start: int = 1
    session_interval: int = 1  # years from one regular session to the next
    extra_states: bool = False  # the case may declare States of its own (a states table)

    @property
    def rotating_posts(self) -> tuple[str, ...]:
        """The posts whose group follows a rotation."""
        return tuple(p for p in (self.rotating_post, self.following_post) if p is not None)

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
        return self._post_index.get(normalise(text))

    def find_constituency(self, text: str) -> str | None:
        key = normalise(text)
        return next((c for c in self.constituencies if normalise(c) == key), None)


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
