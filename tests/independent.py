"""Rule 22 written again, from the rules' text, without the planner's rules module: a second
opinion on any slate, for the property tests."""

from __future__ import annotations

from collections import Counter

from planner.domain.slate import NO_GROUP, Slate
from planner.rules.election import Election


def rule22_failures(el: Election, slate: Slate) -> list[str]:
    """What is wrong with the slate, in short words; empty when it meets rule 22."""
    out: list[str] = []
    spec = el.spec
    posts = Counter(s.post for s in slate)
    for p in spec.posts:
        if posts[p.name] != p.count:
            out.append(f"{p.count} {p.name} wanted, {posts[p.name]} given")
    states = [s.state for s in slate]
    if len(set(states)) != len(states):
        out.append("a State holds two posts")
    for s in states:
        st = el.status[s]
        if not st.eligible:
            out.append(f"{s} cannot sit: {st.reason}")
    by_group: dict[str, list[str]] = {}
    for s in slate:
        by_group.setdefault(el.group(s.state) or NO_GROUP, []).append(s.state)
    for g in spec.group_names:
        members = by_group.get(g, [])
        if len(members) != spec.seats_per_group:
            out.append(f"{g} holds {len(members)} posts")
        if not any(el.status[m].protocol_seat for m in members):
            out.append(f"{g} has no officer party to the Convention and a Protocol")
    if sum(el.status[s].all_instruments for s in states) < spec.min_all_instruments:
        out.append("too few officers party to every instrument")
    for post, group in (("President", el.president_group), ("Rapporteur", el.rapporteur_group)):
        holders = [s.state for s in slate if s.post == post]
        if group is not None and not all(el.group(h) == group for h in holders):
            out.append(f"the {post} is not from the {group}")
    for n in el.case.nominations:
        group = el.group(n.state) or NO_GROUP
        mine = {m.post for m in el.case.nominations if m.state == n.state}
        held = [s.post for s in slate if s.state == n.state]
        if any(p not in mine for p in held):
            out.append(f"{n.state} holds a post it was not nominated for")
        seats = [s.state for s in slate if s.post == n.post and
                 (el.group(s.state) or NO_GROUP) == group]
        nominees = {m.state for m in el.case.nominations if m.post == n.post and
                    (el.group(m.state) or NO_GROUP) == group}
        if sum(s in nominees for s in seats) < min(len(seats), len(nominees)):
            out.append(f"the {group}' {n.post} seats do not go to their nominees")
    return out
