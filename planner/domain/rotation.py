"""Whose turn it is: which group gives each rotating post, session by session.

A turn is a post and a group. A body's profile names the post whose group follows the cycle
(the head post: the President, the Chair) and the posts that follow it: a follower's group is
the group that held the head post's turn `offset` sessions before (the UNTOC Conference's and
the CND's Rapporteur: 1, the group that presided at the session before). Where a session's
group for a post is settled (the session table; a rotation table the case or the profile gives,
recorded or published) it wins; otherwise the cycle decides, taken in this order from: the
case's setting (session keys rotation_cycle and rotation_start); the recent record; the
profile's default cycle.

Reading the record. The sessions whose head post's group is known (the rotation table, the
bureau history's holders of the head post, the session's own group) are read as a positional
cycle: each group has a place, and the group in place (s - start) mod n holds the post at
session s. The last three runs of the record (3n sessions) each vote for their group's place;
the cycle is the one most of them fit, ties going to the one that fits the more recent sessions,
then to the profile's default cycle. A group that took another's turn at the last session is
taken to give it back at the next (a swap: Denmark presided at COP 15 in the Latin American and
Caribbean States' place, Mexico at COP 16 in the Western European and other States'). Older
departures are kept as history, and every reading says how many recent sessions fit it.

Measured one step ahead on the record of UNFCCC presidencies (COPs 5 to 30, each predicted from
the COPs before it; tests/data/unfccc_presidencies.csv, docs/planning.md): this reading is right
24 times in 26; the profile's default cycle 23; the group that presided least recently 23; the
reading it replaces (the earliest sessions fixing the cycle, later ones ignored as breaks) 15.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.domain.case import Case

# runs of the record read: each group's place is voted for by its last three turns
RUNS_READ = 3
# beyond this many groups, places are voted for one by one instead of as a whole order
WHOLE_ORDERS_UP_TO = 7


@dataclass(frozen=True)
class PostTurn:
    post: str
    group: str | None  # None: open to every group
    basis: str  # why, in words
    # where the group comes from: settled for the session by a plan, the session table, a
    # rotation table, the record, a swap given back, the cycle, the head post's turn that a
    # follower follows, or nothing (open)
    source: str = "open"  # settled | session | table | record | swap | cycle | follows | open


@dataclass(frozen=True)
class Turn:
    session: int
    posts: tuple[PostTurn, ...]  # the head post first, then its followers

    def of(self, post: str) -> PostTurn | None:
        return next((p for p in self.posts if p.post == post), None)

    def group(self, post: str) -> str | None:
        found = self.of(post)
        return found.group if found is not None else None

    @property
    def president_group(self) -> str | None:
        """The head post's group."""
        return self.posts[0].group if self.posts else None

    @property
    def rapporteur_group(self) -> str | None:
        """The first follower's group."""
        return self.posts[1].group if len(self.posts) > 1 else None

    @property
    def basis(self) -> str:
        return "; ".join(f"{p.post}: {p.basis}" for p in self.posts)


@dataclass(frozen=True)
class Cycle:
    order: tuple[str, ...] | None  # order[i] holds the head post at s with (s - start) % n == i
    start: int
    source: str  # setting | record | default | none
    evidence: str  # where the cycle comes from, in words
    breaks: tuple[str, ...]  # recent sessions that depart from the cycle, in words
    older: tuple[str, ...] = ()  # departures before the recent record: history
    sure: str = ""  # how sure the reading is, in words
    owed: tuple[tuple[int, str], ...] = ()  # (session, group): a swap given back
    departures: tuple[int, ...] = ()  # the recent sessions of `breaks`

    def at(self, session: int) -> str | None:
        if self.order is None:
            return None
        return self.order[(session - self.start) % len(self.order)]


@dataclass(frozen=True)
class Reading:
    """The cycle the recent record shows."""

    order: tuple[str | None, ...]  # by place: order[s % n]; None where nothing fixes a place
    fits: int  # recent sessions that fit
    read: tuple[int, ...]  # the recent sessions read
    from_default: tuple[int, ...]  # places the default cycle settled (the record did not)
    owed: tuple[tuple[int, str], ...]


def _votes(order: Sequence[str | None], record: Sequence[tuple[int, str]]) -> tuple[int, ...]:
    """For each session read, newest first, whether the order fits it."""
    n = len(order)
    return tuple(int(order[s % n] == g) for s, g in reversed(record))


def read_record(record: Mapping[int, str], groups: Sequence[str],
                default: Sequence[str] | None = None, default_start: int = 1) -> Reading | None:
    """The positional cycle the last three runs of the record fit best (None: no record)."""
    if not record:
        return None
    n = len(groups)
    recent = sorted(record.items())[-RUNS_READ * n:]
    prior = ({(s % n): default[(s - default_start) % n] for s in range(n)}
             if default else {})

    def key(order: Sequence[str | None]) -> tuple[int, tuple[int, ...], int]:
        votes = _votes(order, recent)
        return (sum(votes), votes, sum(1 for p, g in prior.items() if order[p] == g))

    if n <= WHOLE_ORDERS_UP_TO:
        best: Sequence[str | None] = max(itertools.permutations(groups), key=key)
    else:
        best = _by_place(recent, groups, prior)
    voted = {s % n for s, g in recent if best[s % n] == g}
    settled = [best[p] if p in voted else None for p in range(n)]
    if sum(1 for g in settled if g is None) == 1:
        # the last place goes to the last group
        missing = next(g for g in groups if g not in settled)
        settled[settled.index(None)] = missing
    from_default: list[int] = []
    if prior:
        for p in range(n):
            if settled[p] is None:
                settled[p] = best[p]
                from_default.append(p)
    order = tuple(settled)
    owed: list[tuple[int, str]] = []
    last, got = recent[-1]
    due = order[last % n]
    if due is not None and got != due and order[(last + 1) % n] == got:
        owed.append((last + 1, due))
    return Reading(order, sum(_votes(order, recent)), tuple(s for s, _g in recent),
                   tuple(from_default), tuple(owed))


def _by_place(recent: Sequence[tuple[int, str]], groups: Sequence[str],
              prior: Mapping[int, str]) -> list[str | None]:
    """Places voted for one by one (many groups): the most votes first, the newest breaking
    ties; a group takes one place."""
    n = len(groups)
    tally: dict[tuple[int, str], tuple[int, int]] = {}
    for s, g in recent:
        votes, newest = tally.get((s % n, g), (0, 0))
        tally[(s % n, g)] = (votes + 1, max(newest, s))
    order: list[str | None] = [None] * n
    for (place, group), _v in sorted(tally.items(), key=lambda kv: kv[1], reverse=True):
        if order[place] is None and group not in order:
            order[place] = group
    for place, group in prior.items():
        if order[place] is None and group not in order:
            order[place] = group
    return order


def head_record(case: Case) -> dict[int, str]:
    """The head post's group at the sessions up to the case's own: the bureau history's
    holders of the post, the rotation table over them, the session table over both."""
    body = case.body
    head = body.rotating_post
    own = case.session.number
    out: dict[int, str] = {}
    if head is None:
        return out
    for h in case.history:
        group = case.group_of.get(h.state)
        if h.post == head and not h.holdover and group and h.session <= own:
            out[h.session] = group
    for session, post, group in (*body.published, *case.rotation_rows()):
        if post == head and session <= own:
            out[session] = group
    if case.session.president_group:
        out[own] = case.session.president_group
    return out


def _sessions(items: Iterable[int]) -> str:
    return ", ".join(str(s) for s in sorted(items))


def cycle_of(case: Case) -> Cycle:
    """The cycle the head post follows, where it comes from, and how the record fits it."""
    body = case.body
    groups = body.group_names
    n = len(groups)
    record = head_record(case)
    setting = case.session.rotation_cycle
    reading = None if setting else read_record(record, groups, body.default_cycle or None,
                                               body.default_cycle_start)
    owed: tuple[tuple[int, str], ...] = ()
    sure = ""
    if setting:
        order = tuple(setting)
        start = case.session.rotation_start or _align(order, record) or 1
        source, evidence = "setting", "the case's rotation setting"
    elif reading is not None and all(g is not None for g in reading.order):
        order = tuple(g for g in reading.order if g is not None)
        start = 0  # places are session % n
        owed = reading.owed
        read = reading.read
        source = "record"
        fixed = n - len(reading.from_default)
        evidence = (f"the record of sessions {read[0]} to {read[-1]}" if len(read) > 1
                    else f"the record of session {read[0]}")
        if reading.from_default:
            evidence += (f", which fixes {fixed} of the {n} groups' places; the default cycle "
                         "gives the rest (an assumption)")
        sure = (f"{reading.fits} of the {len(read)} session(s) read fit it"
                + ("" if len(read) >= n else
                   f"; fewer than {n} sessions with a known {body.rotating_post}, so read it "
                   "as a guide, not a finding"))
    elif body.rotating_post is None:
        return Cycle(None, 1, "none", "no post rotates among the groups in this body", ())
    elif body.default_cycle:
        order = body.default_cycle
        start = body.default_cycle_start
        source = "default"
        evidence = "the default cycle (" + ", ".join(body.group(g).short for g in order) + \
            f", from session {start}), an assumption: the record does not fix the cycle"
    else:
        return Cycle(None, 1, "none", "no rotation is known", ())
    cycle = Cycle(order, start, source, evidence, (), sure=sure, owed=owed)
    window = set(reading.read) if reading is not None else set(record)
    recent: list[str] = []
    older: list[str] = []
    departures: list[int] = []
    for session, group in sorted(record.items()):
        expected = cycle.at(session)
        if expected != group:
            said = (f"session {session} departs from the cycle: its {body.rotating_post} came "
                    f"from the {group}, the cycle gives the {expected}")
            if session in window:
                recent.append(said)
                departures.append(session)
            else:
                older.append(said)
    return Cycle(order, start, source, evidence, tuple(recent), tuple(older), sure, owed,
                 tuple(departures))


def _align(order: Sequence[str], record: Mapping[int, str]) -> int | None:
    """The session where order[0] holds the post, from the first record that fits."""
    for session, group in sorted(record.items()):
        if group in order:
            return session - order.index(group)
    return None


def turns(case: Case, sessions: Iterable[int]) -> list[Turn]:
    """For each session, which group gives each rotating post, and why."""
    body = case.body
    cycle = cycle_of(case)
    record = head_record(case)
    s = case.session
    owed = dict(cycle.owed)
    table = {(session, post): group for session, post, group in body.published}
    table.update({(session, post): group for session, post, group in case.rotation_rows()})
    settled = dict(s.settled)

    def head(session: int) -> tuple[str | None, str, str]:
        """The head post's group at a session, why, and where that comes from."""
        post = body.rotating_post
        if post is None:
            return None, "open to every group: the post does not rotate in this body", "open"
        if session == s.number and post in settled:
            return settled[post], "settled for this session", "settled"
        if session == s.number and s.president_group:
            return s.president_group, "session table", "session"
        if (session, post) in table:
            return table[(session, post)], f"rotation table, session {session}", "table"
        if session in record:
            return record[session], f"record of session {session} (bureau history)", "record"
        if session in owed:
            return owed[session], (f"given back by the group that took its turn at session "
                                   f"{session - 1} (a swap), the cycle from {cycle.evidence}"
                                   ), "swap"
        if cycle.order is not None and session >= 1:
            return cycle.at(session), f"cycle from {cycle.evidence}", "cycle"
        return None, "open to every group: no rotation is known", "open"

    out = []
    for session in sorted(set(sessions)):
        group, basis, source = head(session)
        posts = [PostTurn(body.rotating_post or body.head_post, group, basis, source)]
        for post, offset in body.followers:
            if session == s.number and post in settled:
                posts.append(PostTurn(post, settled[post], "settled for this session",
                                      "settled"))
                continue
            if (session == s.number and s.rapporteur_group
                    and post == body.following_post):
                posts.append(PostTurn(post, s.rapporteur_group, "session table", "session"))
                continue
            if (session, post) in table:
                posts.append(PostTurn(post, table[(session, post)],
                                      f"rotation table, session {session}", "table"))
                continue
            if post == body.following_post and s.rapporteur_offset is not None:
                offset = s.rapporteur_offset
            earlier = session - offset
            if earlier < 1:
                posts.append(PostTurn(post, None, f"open to every group: no session {earlier} "
                                      f"to take the {post} from"))
                continue
            before, why, _source = head(earlier)
            words = (f"the group that held the {body.rotating_post} at session {earlier} "
                     f"(offset {offset}, an assumption; that turn: {why})")
            if before is None:
                words = f"open to every group: the {body.rotating_post}'s turn is not known"
            posts.append(PostTurn(post, before, words, "follows" if before else "open"))
        out.append(Turn(session, tuple(posts)))
    return out
