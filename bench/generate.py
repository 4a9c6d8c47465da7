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


PROFILE = """# A generated conference: the UNTOC rule 22, {groups} groups, {posts} posts
name = "generated-{groups}x{posts}"
conference = "Generated conference ({groups} groups, {posts} posts)"
short = "Generated"
source = "bench/generate.py: rule 22 of the UNTOC Conference, scaled"
eligibility = "treaty"
extra_states = true
years_between_sessions = 2
fairness = ["repeat_service", "consecutive_terms", "protocol_seat_repeats"]
fairness_condition = "convention_and_a_protocol"
{group_tables}
[[posts]]
name = "President"
count = 1
[[posts]]
name = "Vice-President"
count = {vps}
[[posts]]
name = "Rapporteur"
count = 1

[rotation]
post = "President"
following = "Rapporteur"
default_cycle = [{cycle}]

[[rules]]
kind = "post_counts"
citation = "rule 22(1)"
text = "The posts are filled."
[[rules]]
kind = "one_post_per_state"
citation = "rule 22(1)"
text = "Each officer is from a different State."
[[rules]]
kind = "eligibility"
citation = "rule 22(1)"
text = "Officers from States parties present."
[[rules]]
kind = "group_officers"
id = "seats_per_group"
citation = "rule 22(3)"
text = "Each group holds its seats."
bound = "exactly"
count = {seats}
[[rules]]
kind = "party_to"
id = "protocol_seat"
citation = "rule 22(3)"
text = "One officer of each group is party to the Convention and a Protocol."
condition = "convention_and_a_protocol"
scope = "each_group"
at_least = 1
[[rules]]
kind = "party_to"
id = "all_instruments"
citation = "rule 22(3)"
text = "Officers party to every instrument."
condition = "all_instruments"
scope = "bureau"
at_least = {all_count}
[[rules]]
kind = "rotation"
id = "president_rotation"
citation = "rule 22(3)"
text = "The President's group rotates."
post = "President"
[[rules]]
kind = "rotation"
id = "rapporteur_rotation"
citation = "rule 22(3)"
text = "The Rapporteur's group rotates."
post = "Rapporteur"
[[rules]]
kind = "nominations"
citation = "nominations"
text = "Nominees take their group's seats."

[[preferences]]
kind = "nomination_priority"
citation = "nominations"
text = "First choices first."
[[preferences]]
kind = "groups_with"
id = "protocol_seat_all"
citation = "rule 22(3)"
text = "Groups with a party to all Protocols."
condition = "convention_and_all_protocols"
[[preferences]]
kind = "officers_with"
id = "all_instruments_count"
citation = "rule 22(3)"
text = "Officers party to every instrument."
condition = "all_instruments"
"""


def write_case(out: Path, states: int, groups: int, posts: int, seed: int = 0) -> Path:
    """The generated conference as a case folder the command line reads: its profile beside
    its tables, and the States it declares itself."""
    import csv

    case, _profile = conference(states, groups, posts, seed)
    names = list(case.body.group_names)
    out.mkdir(parents=True, exist_ok=True)
    (out / "profile.toml").write_text(PROFILE.format(
        groups=groups, posts=posts, vps=posts - 2, seats=posts // groups,
        all_count=max(2, posts // 5), cycle=", ".join(f'"{n}"' for n in names),
        group_tables="".join(f'[[groups]]\nname = "{n}"\n' for n in names)), encoding="utf-8")

    def table(name: str, header: list[str], rows: list[list[object]]) -> None:
        with (out / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)

    table("states", ["state"], [[m.state] for m in case.memberships])
    table("groups", ["state", "group"], [[m.state, m.group] for m in case.memberships])
    table("instruments", ["instrument", "title", "kind", "entry_into_force",
                          "days_after_deposit"],
          [[i.id, i.title, i.kind, i.entry_into_force.isoformat(), i.days_after_deposit]
           for i in case.instruments])
    table("ratifications", ["state", "instrument", "deposit_date", "action"],
          [[d.state, d.instrument, d.date.isoformat(), "ratification"] for d in case.deposits])
    table("session", ["key", "value"],
          [["profile", "profile.toml"], ["session", case.session.number],
           ["opening_date", case.session.opening_date.isoformat()],
           ["president_group", case.session.president_group],
           ["rapporteur_group", case.session.rapporteur_group]])
    table("nominations", ["state", "post"], [[n.state, n.post] for n in case.nominations])
    return out


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Write a generated conference as a case folder.")
    parser.add_argument("--states", type=int, required=True)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--posts", type=int, default=None,
                        help="posts on the bureau (default: two per group)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    posts = args.posts if args.posts is not None else 2 * args.groups
    print(write_case(args.out, args.states, args.groups, posts, args.seed))


if __name__ == "__main__":
    main()
