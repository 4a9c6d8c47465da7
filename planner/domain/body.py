"""What the rules of procedure fix for one conference: posts, groups and seat numbers.

Kept as data so that another conference with rules of the same kind (the UNCAC Conference of the
States Parties, say) can be described without touching the rules' code.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.names import normalise

PRESIDENT = "President"
VICE_PRESIDENT = "Vice-President"
RAPPORTEUR = "Rapporteur"
# the order in which a bureau is listed: the President, the Vice-Presidents, the Rapporteur
POST_ORDER = {PRESIDENT: 0, VICE_PRESIDENT: 1, RAPPORTEUR: 2}


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


@dataclass(frozen=True)
class BureauSpec:
    conference: str
    conference_short: str
    groups: tuple[GroupSpec, ...]
    posts: tuple[PostSpec, ...]
    seats_per_group: int
    min_all_instruments: int
    # the presidency's cycle when neither the case nor its history gives one, from this session
    default_cycle: tuple[str, ...] = ()
    default_cycle_start: int = 1

    @property
    def post_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.posts)

    @property
    def group_names(self) -> tuple[str, ...]:
        return tuple(g.name for g in self.groups)

    @property
    def total_posts(self) -> int:
        return sum(p.count for p in self.posts)

    def post(self, name: str) -> PostSpec:
        return next(p for p in self.posts if p.name == name)

    def group(self, name: str) -> GroupSpec:
        return next(g for g in self.groups if g.name == name)

    def find_group(self, text: str) -> str | None:
        key = normalise(text)
        for g in self.groups:
            if key in {normalise(n) for n in (g.name, g.short, *g.aliases)}:
                return g.name
        return None

    def find_post(self, text: str) -> str | None:
        key = normalise(text)
        for p in self.posts:
            if key in {normalise(n) for n in (p.name, *p.aliases)}:
                return p.name
        return None


UNTOC = BureauSpec(
    conference="Conference of the Parties to the United Nations Convention against "
    "Transnational Organized Crime",
    conference_short="UNTOC Conference of the Parties",
    groups=(
        GroupSpec("African States", "African", ("Africa", "African Group", "AG")),
        GroupSpec(
            "Asia-Pacific States",
            "Asia-Pacific",
            ("Asia and the Pacific", "Asian States", "Asia-Pacific Group", "APG"),
        ),
        GroupSpec(
            "Eastern European States",
            "Eastern European",
            ("Eastern Europe", "Eastern European Group", "EEG"),
        ),
        GroupSpec(
            "Latin American and Caribbean States",
            "Latin American and Caribbean",
            ("Latin America and the Caribbean", "GRULAC"),
        ),
        GroupSpec(
            "Western European and other States",
            "Western European and other",
            ("Western European and Others", "Western European and other States Group", "WEOG"),
        ),
    ),
    posts=(
        PostSpec(PRESIDENT, 1, ("Chair", "Chairperson")),
        PostSpec(VICE_PRESIDENT, 8, ("Vice President", "VP", "Vice-Chair")),
        PostSpec(RAPPORTEUR, 1, ()),
    ),
    seats_per_group=2,
    min_all_instruments=2,
    # every session with a known President fits it (../shared/data/sessions.csv)
    default_cycle=("Asia-Pacific States", "Eastern European States",
                   "Latin American and Caribbean States", "Western European and other States",
                   "African States"),
    default_cycle_start=1,
)
