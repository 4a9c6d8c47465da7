"""Generated conferences for benchmarks: N States in G groups electing P officers, with the
rules scaled alike (seats per group = P / G, officers party to every instrument = P / 5)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

from planner.domain.body import Body, GroupSpec, PostSpec
from planner.domain.case import Case, Deposit, Instrument, Membership, Nomination, Session
from planner.errors import Where
from planner.rules.kinds import GroupOfficers, PartyTo
from planner.rules.profile import Profile, load_profile

OPENING = dt.date(2012, 10, 15)
INSTRUMENTS = (
    Instrument("convention", "Convention", "convention", dt.date(2003, 9, 29), 30),
    Instrument("p1", "Protocol 1", "protocol", dt.date(2003, 12, 25), 30),
    Instrument("p2", "Protocol 2", "protocol", dt.date(2004, 1, 28), 30),
    Instrument("p3", "Protocol 3", "protocol", dt.date(2005, 7, 3), 30),
)


def profile_for(groups: int, posts: int) -> Profile:
    """Rule 22's profile over a generated body: seats per group and the all-instruments count
    scaled with the posts."""
    untoc = load_profile("untoc-cop")
    names = [f"Group {i + 1}" for i in range(groups)]
    body = dataclasses.replace(
        untoc.body, conference=f"Generated conference ({groups} groups)",
        conference_short="Generated", groups=tuple(GroupSpec(n, n) for n in names),
        posts=(PostSpec("President", 1), PostSpec("Vice-President", posts - 2),
               PostSpec("Rapporteur", 1)), default_cycle=())
    rules = tuple(
        dataclasses.replace(r, count=posts // groups) if isinstance(r, GroupOfficers)
        else dataclasses.replace(r, at_least=max(2, posts // 5))
        if isinstance(r, PartyTo) and r.scope == "bureau" else r
        for r in untoc.rules)
    return dataclasses.replace(untoc, name="generated", body=body, rules=rules)


def conference(states: int, groups: int, posts: int, seed: int = 0) -> tuple[Case, Profile]:
    rng = random.Random(seed)
    profile = profile_for(groups, posts)
    spec: Body = profile.body
    names = list(spec.group_names)
    memberships, deposits = [], []
    for i in range(states):
        state = f"State {i + 1:05d}"
        memberships.append(Membership(state, names[i % groups]))
        if rng.random() < 0.85:
            when = dt.date(2002, 1, 1) + dt.timedelta(days=rng.randrange(4000))
            deposits.append(Deposit(state, "convention", when, "ratification", Where("gen")))
            for p in ("p1", "p2", "p3"):
                if rng.random() < 0.6:
                    deposits.append(Deposit(state, p, when, "ratification", Where("gen")))
    president = names[0]
    return Case(
        name=f"generated-{states}",
        path=Path("generated"),
        body=spec,
        instruments=INSTRUMENTS,
        deposits=tuple(sorted(deposits, key=lambda d: (d.state, d.instrument))),
        signatures=(),
        memberships=tuple(memberships),
        session=Session(spec.conference, 6, OPENING, president, names[-1]),
        attendance=None,
        nominations=(Nomination(memberships[0].state, "President", 1, "", Where("gen")),),
        rotation=(),
        warnings=(),
        files=(),
    ), profile
