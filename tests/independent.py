"""Rule 22 written again, from the rules' text, without the planner's rules, profiles or party
status: a second opinion on any slate, for the property tests. Party status is recomputed here
from the case's deposits alone, and so is the order of preference among valid slates."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from planner.domain.case import Case
from planner.domain.slate import NO_GROUP, Slate
from planner.rules.election import Election

SEATS_PER_GROUP = 2  # rule 22(3)
MIN_ALL_INSTRUMENTS = 2  # rule 22(3)


def standing(case: Case, state: str) -> tuple[bool, bool, bool, bool]:
    """(party to the Convention, and to a Protocol, and to all the Protocols, party to every
    instrument) at the opening:
    an instrument binds a State from the later of its entry into force and the deposit plus
    its delay."""
    opening = case.session.opening_date
    in_force = {i.id: i for i in case.instruments if i.entry_into_force <= opening}
    held = set()
    for d in case.deposits:
        i = in_force.get(d.instrument)
        if d.state == state and i is not None and max(
                i.entry_into_force, d.date + dt.timedelta(days=i.days_after_deposit)) <= opening:
            held.add(i.id)
    in_force_list = list(in_force.values())
    convention = any(i.id in held and i.kind == "convention" for i in in_force_list)
    protocols = [i for i in in_force_list if i.kind == "protocol"]
    protocol = convention and any(i.id in held for i in protocols)
    every_protocol = convention and all(i.id in held for i in protocols)
    return convention, protocol, every_protocol, all(i.id in held for i in in_force_list)


def rule22_failures(el: Election, slate: Slate) -> list[str]:
    """What is wrong with the slate, in short words; empty when it meets rule 22."""
    out: list[str] = []
    spec = el.body
    case = el.case
    group_of = {m.state: m.group for m in case.memberships}
    present = case.attendance
    posts = Counter(s.post for s in slate)
    for p in spec.posts:
        if posts[p.name] != p.count:
            out.append(f"{p.count} {p.name} wanted, {posts[p.name]} given")
    states = [s.state for s in slate]
    if len(set(states)) != len(states):
        out.append("a State holds two posts")
    for s in states:
        if s not in group_of or not standing(case, s)[0] or (present is not None
                                                             and s not in present):
            out.append(f"{s} cannot sit")
    by_group: dict[str, list[str]] = {}
    for s in slate:
        by_group.setdefault(group_of.get(s.state, NO_GROUP), []).append(s.state)
    for g in spec.group_names:
        members = by_group.get(g, [])
        if len(members) != SEATS_PER_GROUP:
            out.append(f"{g} holds {len(members)} posts")
        if not any(standing(case, m)[1] for m in members):
            out.append(f"{g} has no officer party to the Convention and a Protocol")
    if sum(standing(case, s)[3] for s in states) < MIN_ALL_INSTRUMENTS:
        out.append("too few officers party to every instrument")
    for post, group in (("President", el.president_group), ("Rapporteur", el.rapporteur_group)):
        holders = [s.state for s in slate if s.post == post]
        if group is not None and not all(group_of.get(h) == group for h in holders):
            out.append(f"the {post} is not from the {group}")
    for n in el.case.nominations:
        group = group_of.get(n.state, NO_GROUP)
        mine = {m.post for m in el.case.nominations if m.state == n.state}
        held = [s.post for s in slate if s.state == n.state]
        if any(p not in mine for p in held):
            out.append(f"{n.state} holds a post it was not nominated for")
        seats = [s.state for s in slate if s.post == n.post and
                 (group_of.get(s.state, NO_GROUP)) == group]
        nominees = {m.state for m in el.case.nominations if m.post == n.post and
                    group_of.get(m.state, NO_GROUP) == group}
        if sum(s in nominees for s in seats) < min(len(seats), len(nominees)):
            out.append(f"the {group}' {n.post} seats do not go to their nominees")
    return out


def rule22_key(el: Election, slate: Slate) -> tuple[int, ...]:
    """The order of preference among valid slates, lowest first: nominees by the groups' order
    of priority; then, as rule 22(3) asks "if possible", more groups whose officers include a
    party to the Convention and all its Protocols; then more officers party to every
    instrument; then, the planner's own tie-break, States that served least recently (the bureau
    history), then earlier in the alphabet (the universe's order), for seats (their sum) and
    then for the single posts, one after another, the head post first."""
    case = el.case
    group_of = {m.state: m.group for m in case.memberships}
    held = {(s.state, s.post) for s in slate}
    priority = sum(n.priority - 1 for n in case.nominations if (n.state, n.post) in held)
    groups_all = sum(
        any(standing(case, s.state)[2] for s in slate if group_of.get(s.state) == g)
        for g in el.body.group_names)
    officers_all = sum(standing(case, s.state)[3] for s in slate)
    # States that never served first, then those that served longest ago, then by name
    last: dict[str, int] = {}
    for h in case.history:
        if h.session < case.session.number:
            last[h.state] = max(last.get(h.state, 0), h.session)
    order = sorted(el.universe, key=lambda s: (last.get(s, 0), el.universe.index(s)))
    rank = {s: i for i, s in enumerate(order)}
    single = [p.name for p in el.body.posts if p.count == 1]
    holder = {s.post: s.state for s in slate if s.post in single}
    seats = sum(rank[s.state] for s in slate)
    # the single posts compared in turn, the head post first
    chairs = tuple(rank[holder[p]] if p in holder else -1 for p in single)
    return priority, -groups_all, -officers_all, seats, *chairs
