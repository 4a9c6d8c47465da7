"""Rounds of consultation: alternative slates, each group's room, who could fill a seat,
replacements after a withdrawal, and what-ifs on the case."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.domain.body import MEMBERSHIP
from planner.domain.case import Case, Deposit, Nomination
from planner.domain.slate import NO_GROUP, Seat, Slate, open_seat, open_seat_group, state_order
from planner.errors import Where
from planner.rules.base import (
    Outcome,
    Rule,
    check,
    cost,
    group_label,
    listing,
    preference_weights,
    score,
)
from planner.rules.election import Election, ordered_slate, prepare
from planner.rules.forms import NotDecomposable
from planner.rules.kinds import qualifies
from planner.rules.profile import Profile
from planner.rules.reduce import carries, reduced
from planner.solve.near import Neighbourhood, seat_places
from planner.solve.result import Conflict, SolverOptions
from planner.solve.space import MAX_OPTIONS, GroupRoom, SlateSpace, TooManyWays, room_by_model

Progress = Callable[[int, int], None]


def slate_key(slate: Slate) -> frozenset[tuple[str, str]]:
    """Who holds what: Vice-Presidents are a set, so their order does not matter."""
    return frozenset((s.state, s.post) for s in slate)


# ---------------------------------------------------------------------------------------------
# Alternatives


@dataclass(frozen=True)
class Alternatives:
    status: str  # solved | infeasible | unknown
    slates: tuple[Slate, ...]
    conflicts: tuple[Conflict, ...]
    method: str  # how the slates after the first were listed
    first: str = ""  # how the first was found (and proven best): the enumeration or CP-SAT


# the search for the k best at once stops past this many slates per slate asked for (the
# bound from near slates is then too loose to pay), and they are found one solve at a time
LISTED_PER_SLATE = 4


def alternatives(el: Election, k: int, fixed: Sequence[tuple[str, str]] = (),
                 excluded: Sequence[str] = (), vary: str | None = None,
                 options: SolverOptions | None = None,
                 progress: Progress | None = None) -> Alternatives:
    """The k best distinct slates, best first. The first is the slate solve gives; the rest
    come from the exact group-by-group enumeration, or from the CP-SAT model with a cut per
    slate found where the rules do not decompose by group."""
    from planner.rules.reduce import reduced
    from planner.solve.best import ENUMERATION

    full = el
    # only the first States of each kind can be on the k best slates (planner.rules.reduce)
    el = reduced(full, k, keep=[s for s, _p in fixed], drop=excluded)
    space: SlateSpace | None = None
    try:
        # the options of groups counted by kind are expanded only as far as k slates reach
        space = SlateSpace(el, fixed, excluded, list_up_to=0)
        slates = space.best()
        first = next(slates, None)
    except NotDecomposable:
        space = None
    if space is None:
        from planner.solve.model import SlateModel

        status, best = SlateModel(el, options, fixed, excluded).next()
    else:
        status, best = ("solved", first) if first is not None else ("infeasible", ())
    engine = ENUMERATION if space is not None else "cp-sat"
    if status == "infeasible":
        return Alternatives("infeasible", (), _why_none(full, fixed, excluded, options), "",
                            engine)
    if status != "solved":
        return Alternatives(status, (), (), "", engine)
    only = None
    if vary is not None:
        keep = [(s.state, s.post) for s in best if (el.group(s.state) or NO_GROUP) != vary]
        only = {}
        for g in el.groups_in_play:
            if g != vary:
                only[g] = tuple(key for key in keep if (el.group(key[0]) or NO_GROUP) == g)
    found = [best]
    if progress:
        progress(1, k)
    if k == 1:
        return Alternatives("solved", (best,), (), "", engine)
    method = ENUMERATION
    try:
        if space is None and only is None:
            # the same space again would not decompose either: straight to the model
            raise NotDecomposable("as found for the best slate")
        if space is None or only is not None:
            space = SlateSpace(el, fixed, excluded, only, list_up_to=0)
            slates = space.best()
        seen = slate_key(best)
        for slate in slates:
            if len(found) >= k:
                break
            if slate_key(slate) == seen:
                continue  # the best again, from the space with the other groups pinned
            found.append(slate)
            if progress:
                progress(len(found), k)
    except NotDecomposable:
        from planner.solve.model import SlateModel

        method = "CP-SAT, one cut per slate found"
        pinned = [key for keys in (only or {}).values() for key in keys]
        # the other groups as in the first slate, exactly as the enumeration keeps them: their
        # officers fixed, and no other State of theirs on any seat
        kept = set(pinned)
        shut = [(st, p) for g in (only or {}) for st in el.members(g)
                for p in el.body.post_names if (st, p) not in kept]
        barred = [*excluded, *sorted({st for st, _p in shut} - {st for st, _p in kept})]
        sm = SlateModel(el, options, [*fixed, *pinned], excluded, forbidden=shut)
        # the enumeration may have listed some before giving up (a kind too large to expand):
        # they are the best, in order; the model goes on from there
        for slate in found:
            sm.exclude(slate)
        # every slate within an objective that k known valid slates reach (or every slate,
        # where fewer than k are found near the best), in one search, sorted: the k best at
        # once, where they are not too many (planner.solve.near)
        near = Neighbourhood(el)
        bound = near.bound(best, k, [*fixed, *pinned], barred)
        within = sm.all_within(bound, LISTED_PER_SLATE * k)
        if within is not None:
            method = "CP-SAT, every slate within the k-th best's objective, sorted"
            memo: dict[tuple[str, str], tuple[int, int]] = {}
            within.sort(key=lambda held: (near.objective.value(held),
                                          seat_places(el, held, memo)))
            for held in within[:k - len(found)]:
                found.append(ordered_slate(el, held))
                sm.exclude(found[-1])
            if progress:
                progress(len(found), k)
        while len(found) < k:
            status, slate = sm.next()
            if status != "solved":
                break
            found.append(slate)
            sm.exclude(slate)
            if progress:
                progress(len(found), k)
    return Alternatives("solved", tuple(found), (), method, engine)


def _why_none(el: Election, fixed: Sequence[tuple[str, str]], excluded: Sequence[str],
              options: SolverOptions | None) -> tuple[Conflict, ...]:
    """The rules that conflict, and the choices made for the question that bring them to."""
    from planner.solve.model import RuleModel, explain

    if not fixed and not excluded:
        return explain(el, options)
    rules, kept, out = RuleModel(el, options).why_not_each(list(fixed), list(excluded))
    # only the choices the conflict needs: the others are no part of it
    asked = [f"{fixed[i][0]} as {fixed[i][1]}" for i in kept]
    asked += [f"{excluded[i]} left out" for i in out]
    if not asked:
        return rules or explain(el, options)
    them = "it" if len(asked) == 1 else "them"
    said = (f"asked for: {listing(asked)}; with {them}, the rules above cannot all hold"
            if rules else f"asked for: {listing(asked)}: these choices cannot all hold "
            "together")
    choice = Conflict("choices", "the choices asked for", (), said)
    return (*rules, choice)


def equally_good(el: Election) -> int | None:
    """How many valid slates are as good as the best on every rule-based preference (so that
    only the tie-break chose among them); None where the rules do not decompose by group."""
    from planner.rules.reduce import reduced

    try:
        # counted on the reduced election, whose States count for those left out
        return SlateSpace(reduced(el), by_class=True).equally_good()
    except NotDecomposable:
        return None


# ---------------------------------------------------------------------------------------------
# Room


@dataclass(frozen=True)
class Room:
    total: int | None  # None: the rules do not decompose, so no exact count is given
    groups: tuple[GroupRoom, ...]
    conflicts: tuple[Conflict, ...]
    not_exact: str  # why there is no exact count ('' when there is)


def room(el: Election, options: SolverOptions | None = None,
         fixed: Sequence[tuple[str, str]] = (), excluded: Sequence[str] = (),
         by_class: bool = False) -> Room:
    """How many valid slates there are, and each group's room (with some officers fixed and
    some States left out, where asked); exact where the rules decompose by group, else asked
    of the model (and then no count: never a wrong one). Counted by kind (by_class), it is
    counted on the reduced election, as solve works (alike States left out, each kept one
    counting for them), and who can sit is given for the whole universe. Listed (the pairs
    of each group, not by_class), the reduced election is asked first only whether the whole
    can be listed at all."""
    names: dict[str, list[str]] = {}
    # one more of each kind than a group can hold: any valid slate, with or without a given
    # kept State, has one among the reduced election's with the same States of each kind kept
    # (planner.rules.reduce), so who can sit, hold a post, or be on every slate reads the
    # same; and each kept State counts for those it stands for
    small = reduced(el, slates=2, keep={s for s, _p in fixed}, drop=excluded,
                    standing_for=names)
    if small is not el:
        try:
            # counted by kind only: a listing of the reduced election would count its own
            # States, not the whole universe's (where it cannot, the whole below)
            space = SlateSpace(small, fixed, excluded, by_class=True)
        except TooManyWays as exc:
            if exc.size > MAX_OPTIONS:
                # the whole election has at least as many ways: neither counted nor listed,
                # and its forms over every State (most of a 100-post conference's room) are
                # not built to find it out
                return _room_asked(el, options, fixed, excluded, f"the {exc.group} have so "
                                   "many ways to fill their seats: too many to list, and too "
                                   "many kinds of State to count by kind")
        except NotDecomposable:
            pass
        else:
            if by_class:
                total = space.count()
                conflicts = _why_none(el, fixed, excluded, options) if total == 0 else ()
                return Room(total, tuple(_stood_for(el, g, names) for g in space.room()),
                            conflicts, "")
    try:
        try:
            space = SlateSpace(el, fixed, excluded, by_class=by_class)
        except NotDecomposable:
            if not by_class:
                raise
            # too many kinds of State to count by kind: listed, where a group can be
            space = SlateSpace(el, fixed, excluded)
    except NotDecomposable as exc:
        return _room_asked(el, options, fixed, excluded, str(exc))
    total = space.count()
    conflicts = _why_none(el, fixed, excluded, options) if total == 0 else ()
    return Room(total, tuple(space.room()), conflicts, "")


def _room_asked(el: Election, options: SolverOptions | None, fixed: Sequence[tuple[str, str]],
                excluded: Sequence[str], why: str) -> Room:
    """Each group's room asked of the model, where it cannot be counted (why): no count."""
    from planner.solve.model import explain

    groups = room_by_model(el, options)
    conflicts = () if groups else explain(el, options)
    said = why + ("; who is on some valid slate is shown without the fixes and exclusions"
                  if fixed or excluded else "")
    return Room(None, tuple(groups), conflicts, said)


def _stood_for(el: Election, g: GroupRoom, names: Mapping[str, list[str]]) -> GroupRoom:
    """A group's room on the reduced election, for the whole universe: a State left out can do
    whatever the kept State of its kind it is counted by can (they are alike, and swap on any
    slate); none is on every slate (its kind has more States than a slate holds)."""
    def wide(states: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted({x for s in states for x in (s, *names.get(s, ()))},
                            key=state_order))

    states = wide(g.states)
    return dataclasses.replace(
        g, states=states,
        standing={c: tuple(s for s in states if qualifies(el, s, c))
                  for c in el.profile.conditions()},
        single_posts={p: wide(v) for p, v in g.single_posts.items()})


# ---------------------------------------------------------------------------------------------
# Candidates for one seat


@dataclass(frozen=True)
class Candidate:
    state: str
    replaces: str
    slate: Slate
    score: dict[str, int]
    change: dict[str, int]  # score minus the current slate's score
    needed_for: tuple[str, ...]  # the ids of the rules and preferences it is needed for


def seat_holders(el: Election, slate: Slate, post: str, group: str | None) -> list[Seat]:
    return [s for s in slate if s.post == post
            and (group is None or (el.group(s.state) or NO_GROUP) == group)]


def candidates(el: Election, slate: Slate, post: str, group: str | None) -> list[Candidate]:
    """Every State that could take the seat with the rest of the slate as it is, best first,
    each once (where the group holds several seats of the post, the one it would best take).
    el must know the slate's States (prepare(..., extra_states=...))."""
    now = score(el, slate)
    weights = preference_weights(el)
    best: dict[str, list[tuple[int, Candidate]]] = {}
    on_slate = {s.state for s in slate}
    for holder in seat_holders(el, slate, post, group):
        rest = tuple(s for s in slate if s != holder)
        for state in el.universe:
            if state in on_slate:
                continue
            trial = ordered_slate(el, [(s.state, s.post) for s in rest] + [(state, post)])
            if not all(o.passed for o in check(el, trial)):
                continue
            values = score(el, trial)
            cand = Candidate(state, holder.state, trial, values,
                             {k: values[k] - now.get(k, 0) for k in values},
                             carries(el, trial, state, post))
            best.setdefault(state, []).append((cost(el, trial, weights), cand))
    out = []
    for state, options in best.items():
        low = min(c for c, _cand in options)
        tied = [cand for c, cand in options if c == low]
        first = tied[0]
        if len(tied) > 1:
            first = dataclasses.replace(first, replaces=" or ".join(c.replaces for c in tied))
        out.append((low, state_order(state), first))
    out.sort(key=lambda t: (t[0], t[1]))
    return [c for _cost, _order, c in out]


def left_out(el: Election, slate: Slate, post: str, group: str | None,
             limit: int = 200) -> list[tuple[str, str]]:
    """The States of the seat's group that cannot take it with the rest of the slate as it is,
    each with the first rule its slate would break, in the rule's words."""
    holders = seat_holders(el, slate, post, group)
    if not holders:
        return []
    holder = holders[0]
    rest = [(s.state, s.post) for s in slate if s != holder]
    on_slate = {s.state for s in slate}
    members = el.members(group) if group else el.universe
    out: list[tuple[str, str]] = []
    for state in members[:limit]:
        if state in on_slate:
            continue
        trial = ordered_slate(el, [*rest, (state, post)])
        failed = [o for o in check(el, trial) if not o.passed]
        if failed:
            out.append((state, failed[0].message))
    return out


def why_nobody(el: Election, slate: Slate, post: str, group: str | None,
               options: SolverOptions | None = None) -> tuple[Conflict, ...]:
    """Why no State can take the seat with the rest of the slate as it is: the rules that
    conflict once the other officers stay."""
    from planner.solve.model import RuleModel

    rm = RuleModel(el, options)
    for holder in seat_holders(el, slate, post, group):
        rest = [(s.state, s.post) for s in slate if s != holder]
        found = rm.why_not(rest, [holder.state])
        if found:
            return (*found, Conflict("rest_of_slate", "the rest of the slate", (),
                                     "the other officers stay as they are"))
    return ()


# ---------------------------------------------------------------------------------------------
# Replacements


@dataclass(frozen=True)
class Change:
    post: str
    group: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Replacement:
    status: str
    slate: Slate
    changes: tuple[Change, ...]
    conflicts: tuple[Conflict, ...]
    # States withdrawn that hold no post on the current slate: their withdrawal moves no seat
    idle: tuple[str, ...] = ()


def replace(el: Election, current: Slate, withdrawn: Iterable[str],
            options: SolverOptions | None = None) -> Replacement:
    """Keep every officer who can stay and change as few posts as possible; keep the President
    unless the President's State withdrew. Each change says why it was needed."""
    from planner.solve.model import RuleModel, SlateModel, explain

    gone = sorted(set(withdrawn), key=state_order)
    president = next((s for s in current if s.post == el.body.head_post), None)
    keep_president = president is not None and president.state not in gone
    sm = SlateModel(el, options, excluded=gone, keep=current, keep_president=keep_president)
    status, slate = sm.next()
    if status == "infeasible":
        rm = RuleModel(el, options)
        found = rm.why_not([], gone)
        if found and gone:
            found = (*found, Conflict("withdrawn", "the withdrawal", (),
                                      f"{listing(gone)} withdrew: without "
                                      f"{'it' if len(gone) == 1 else 'them'}, these rules "
                                      "cannot all hold"))
        return Replacement("infeasible", (), (), found or explain(el, options))
    if status != "solved":
        return Replacement(status, (), (), ())
    new = slate_key(slate)
    old = slate_key(current)
    kept = [k for k in old if k in new]
    rm = RuleModel(el, options)
    changes: list[Change] = []
    left = sorted(old - new, key=lambda k: (k[1], state_order(k[0])))
    arrived = sorted(new - old, key=lambda k: (k[1], state_order(k[0])))
    for state, post in left:
        group = el.group(state) or NO_GROUP
        if state in gone:
            reason = f"{state} withdrew"
        else:
            why = rm.why_not([*kept, (state, post)], gone)
            reason = ("could not stay: " + " ".join(c.message for c in why)) if why else (
                "moved so that the other changes could be made")
        # pair the leaving officer with an arrival of the same post and group where possible
        match = next((a for a in arrived if a[1] == post and
                      (el.group(a[0]) or NO_GROUP) == group), None)
        match = match or next((a for a in arrived if a[1] == post), None)
        if match is not None:
            arrived.remove(match)
        changes.append(Change(post, group, state, match[0] if match else "", reason))
    for state, post in arrived:
        changes.append(Change(post, el.group(state) or NO_GROUP, "", state, "new seat"))
    seated = {seat.state for seat in current}
    return Replacement("solved", slate, tuple(changes), (),
                       tuple(st for st in gone if st not in seated))


def changed_posts(before: Slate, after: Slate) -> int:
    """How many posts changed hands (a VP seat counts once)."""
    return len(slate_key(before) - slate_key(after))


# ---------------------------------------------------------------------------------------------
# What-ifs


def what_if(case: Case, absent: Iterable[str] = (), ratified: Iterable[tuple[str, str, dt.date]]
            = (), nominate: Iterable[tuple[str, str]] = (), withdrawn: Iterable[str] = (),
            choices: Iterable[str] = ()) -> tuple[Case, tuple[str, ...]]:
    """The case changed as the consultation supposes, and the suppositions in words, which
    the case keeps apart from the facts (its suppositions; a supposed deposit's action says
    so), so that every paper made from it says what it rests on. choices: what else the
    slate rests on, in words (an officer fixed or a State left out on the board). A withdrawn
    State's nominations lapse, so its group's seat is open again; a withdrawal is a fact."""
    said: list[str] = []  # what follows from a fact (a withdrawal), in words
    supposed: list[str] = []  # what is supposed, kept in the case apart from the facts
    gone = set(withdrawn)
    absent = sorted(set(absent), key=state_order)
    attendance = case.attendance
    if absent:
        # no attendance list: every State that could be present is; where membership decides
        # who sits, that is the members (the list a workbook carries then names no others; a
        # treaty body's members table, which decides nothing, is not read so)
        members = case.members if case.body.eligibility == MEMBERSHIP else None
        present = (attendance if attendance is not None
                   else members if members is not None
                   else frozenset(case.known_states()))
        attendance = frozenset(present) - set(absent)
        supposed += [f"{s} absent" for s in absent]
    deposits = {(d.state, d.instrument): d for d in case.deposits}
    for state, instrument, date in ratified:
        deposits[(state, instrument)] = Deposit(state, instrument, date, "supposed",
                                                Where("what-if"))
        supposed.append(f"{state} supposed to deposit for {instrument} on {date.isoformat()}")
    nominations = [n for n in case.nominations if n.state not in gone]
    for n in case.nominations:
        if n.state in gone:
            said.append(f"{n.state}'s nomination for {n.post} lapses with its withdrawal.")
    for state, post in nominate:
        if not any(n.state == state and n.post == post for n in nominations):
            nominations.append(Nomination(state, post, 1, "", Where("what-if")))
        supposed.append(f"{state} supposed nominated for {post}")
    changed = dataclasses.replace(
        case,
        suppositions=tuple(dict.fromkeys([*case.suppositions, *supposed, *choices])),
        attendance=attendance,
        # carried by the workbooks written from it, so that a later round keeps it out
        withdrawn=case.withdrawn | gone,
        deposits=tuple(sorted(deposits.values(), key=lambda d: (d.state, d.instrument))),
        nominations=tuple(sorted(nominations, key=lambda n: (n.post, n.priority, n.state))),
    )
    return changed, tuple(said)


def prepare_with(case: Case, profile: Profile, slates: Iterable[Slate]) -> Election:
    """The election, knowing every State named in the slates."""
    names = frozenset(s.state for slate in slates for s in slate)
    return prepare(case, profile, extra_states=names)


def unhonoured(el: Election, slate: Slate) -> tuple[str, ...]:
    """Each nomination the slate does not honour, with why, in words: a nominee that is not
    seated where nominated is never passed over in silence."""
    held = {(seat.state, seat.post) for seat in slate}
    out: list[str] = []
    for n in el.case.nominations:
        if (n.state, n.post) in held or n.state in el.case.withdrawn:
            continue
        group = el.group_or_none(n.state)
        nominees = [m for m in el.nominees(group, n.post) if (m.state, n.post) in held]
        seats = sum(1 for seat in slate if seat.post == n.post
                    and el.group_or_none(seat.state) == group)
        status = el.status.get(n.state)
        if status is not None and status.reason:
            why = f"{n.state} is {status.reason}"
        elif nominees:
            why = (f"the {group}'s seat of it went to "
                   f"{listing([m.state for m in nominees])}, nominated with priority "
                   f"{', '.join(str(m.priority) for m in nominees)} (this one: {n.priority})")
        elif seats == 0:
            turn = el.post_group(n.post)
            why = (f"the {group} hold no {n.post} seat on this slate"
                   + (f" (the {n.post} comes from the {turn} at this session)"
                      if turn and turn != group else
                      "; the rules let the post go to another group"))
        else:
            why = "the rules gave its group's seat to another of its States"
        out.append(f"{n.state}'s nomination for {n.post} is not honoured: {why}.")
    return tuple(out)


@dataclass(frozen=True)
class Substitute:
    """At the meeting of the parties to `instrument`, the officer (post, state) not party to it
    is replaced by `substitute`, of the same group and party to it (None: none can be)."""

    post: str
    state: str
    instrument: str
    substitute: str | None
    title: str  # the instrument's title, as people read it

    def said(self) -> str:
        if self.substitute is None:
            return (f"{self.state} ({self.post}) is not a party to the {self.title}: no State "
                    "of its group that is can substitute for it (none present, or all on the "
                    "bureau)")
        return (f"{self.state} ({self.post}) is not a party to the {self.title}: "
                f"{self.substitute} substitutes for it")


def substitutes(el: Election, slate: Slate) -> tuple[Substitute, ...]:
    """For each instrument whose meetings the bureau also serves (the profile's `serves`;
    Cartagena Protocol art. 29(3), Nagoya Protocol art. 26(3)): each officer whose State is not
    a party to it at the opening, and the substitute proposed, from the same group, a party to
    it that can sit and holds no seat, the planner's tie-break choosing among them (States that
    served least recently, then alphabetical order), each substitute once."""
    out: list[Substitute] = []
    on_slate = {seat.state for seat in slate}
    rank = el.turn_rank
    titles = {i.id: i.title for i in el.case.instruments}
    for instrument in el.body.serves:
        taken: set[str] = set()
        for seat in slate:
            status = el.status.get(seat.state)
            # a seat left open has no officer to substitute for: it stays open there too
            if (status is None or instrument in status.instruments
                    or open_seat_group(seat.state) is not None):
                continue
            group = el.group(seat.state)
            able = sorted((s for s in (el.members(group) if group else ())
                           if s not in on_slate and s not in taken
                           and el.status[s].eligible and instrument in el.status[s].instruments),
                          key=lambda s: rank.get(s, len(rank)))
            chosen = able[0] if able else None
            if chosen is not None:
                taken.add(chosen)
            out.append(Substitute(seat.post, seat.state, instrument, chosen,
                                  titles.get(instrument, instrument)))
    return tuple(out)


SUBSTITUTES_RULE = "substitutes"


def substitutes_by_instrument(el: Election, slate: Slate) -> list[tuple[str, str]]:
    """The substitutes, one line per instrument for a page: (the instrument's title, "Benin
    for Algeria; Bhutan for Republic of Korea (President); none for ..."), the post said only
    where one officer holds it."""
    out: dict[str, list[str]] = {}
    for x in substitutes(el, slate):
        post = f" ({x.post})" if el.body.post(x.post).count == 1 else ""
        out.setdefault(x.title, []).append(
            f"{x.substitute} for {x.state}{post}" if x.substitute is not None
            else f"none of its group can substitute for {x.state}{post}")
    return [(title, "; ".join(parts)) for title, parts in out.items()]


def check_substitutions(el: Election, slate: Slate,
                        given: Sequence[tuple[str, str, str | None]]) -> tuple[Outcome, ...]:
    """A substitution given (instrument, officer's State, substitute or None) checked against
    what the profile's `serves` asks, one check per instrument: every officer on the slate not
    party to it has one substitute, of its group, a party to it at the opening that can sit and
    holds no seat, each substitute once; an officer party to it has none; None (no substitute)
    only where no State could be one."""
    titles = {i.id: i.title for i in el.case.instruments}
    on_slate = {seat.state: seat.post for seat in slate}
    proposed = {(x.instrument, x.state): x.substitute for x in substitutes(el, slate)}
    out: list[Outcome] = []
    for instrument in sorted({i for i, _o, _s in given} | set(el.body.serves),
                             key=lambda i: (i not in el.body.serves, i)):
        title = titles.get(instrument, instrument)
        mine = [(officer, sub) for i, officer, sub in given if i == instrument]
        wrong: list[str] = []
        if instrument not in el.body.serves:
            wrong.append(f"the bureau does not serve the meetings of the parties to the {title}"
                         " (the profile's serves): no substitute is elected for it")
        named: dict[str, int] = {}
        used: dict[str, str] = {}
        for officer, sub in mine:
            named[officer] = named.get(officer, 0) + 1
            status = el.status.get(officer)
            if officer not in on_slate:
                wrong.append(f"{officer} is not on the slate")
                continue
            if status is not None and instrument in status.instruments:
                wrong.append(f"{officer} is a party to the {title}: it sits there itself, "
                             "with no substitute")
                continue
            if sub is None:
                able = proposed.get((instrument, officer))
                if able is not None:
                    wrong.append(f"no substitute is given for {officer}, but {able} could be "
                                 "one")
                continue
            theirs = el.status.get(sub)
            group = el.group(officer)
            if sub in on_slate:
                wrong.append(f"{sub}, substitute for {officer}, holds a seat on the bureau")
            if theirs is None or theirs.group != group:
                wrong.append(f"{sub}, substitute for {officer}, is not of its group "
                             f"({group_label(group or NO_GROUP)})")
            if theirs is None or instrument not in theirs.instruments:
                wrong.append(f"{sub}, substitute for {officer}, is not a party to the {title} "
                             "at the opening")
            elif not theirs.eligible:
                wrong.append(f"{sub}, substitute for {officer}, cannot sit ({theirs.reason})")
            if sub in used:
                wrong.append(f"{sub} substitutes for both {used[sub]} and {officer}")
            used.setdefault(sub, officer)
        if instrument in el.body.serves:
            for officer, post in on_slate.items():
                status = el.status.get(officer)
                if (status is None or instrument in status.instruments
                        or open_seat_group(officer) is not None):
                    continue
                if officer not in named:
                    able = proposed.get((instrument, officer))
                    wrong.append(f"{officer} ({post}) is not a party to the {title}, and no "
                                 "substitute is given for it"
                                 + (f" ({able} could be one)" if able else ""))
                elif named[officer] > 1:
                    wrong.append(f"{officer} is given {named[officer]} substitutes")
        said = (f"every officer not party to the {title} has one substitute, of its group and "
                "a party to it, holding no seat")
        out.append(Outcome(SUBSTITUTES_RULE, f"substitutes at the meetings of the parties to "
                           f"the {title}", (title,), not wrong,
                           "; ".join(wrong) + "." if wrong else said[0].upper() + said[1:]
                           + "."))
    return tuple(out)


@dataclass(frozen=True)
class OpenSeat:
    """A seat of `post` the `group` leaves open pending its consultations, and why."""

    post: str
    group: str
    why: str

    def said(self) -> str:
        return f"a {self.post} seat of the {self.group} is left open: {self.why}"


def open_seats_left(el: Election, slate: Slate, fixed: Iterable[tuple[str, str]] = ()
                    ) -> tuple[OpenSeat, ...]:
    """The seats the slate leaves open, each with why: asked for (fixed open), or no valid
    slate fills it (the rules that would not hold with it filled), or, where a slate with it
    filled exists (a slate given to check), that the rules let it be filled."""
    asked = set(fixed)
    out: list[OpenSeat] = []
    for seat in slate:
        group = open_seat_group(seat.state)
        if group is None:
            continue
        why = ("asked for (the seat was fixed open)" if (seat.state, seat.post) in asked
               else _why_open(el, group))
        out.append(OpenSeat(seat.post, group, why))
    return tuple(out)


def _why_open(el: Election, group: str) -> str:
    """Why no valid slate fills the group's open seat: the rules in conflict once it must be
    filled, with their causes where they name them. Asked once per election and group (the
    terminal, the JSON and the Bureau page all say it)."""
    known: dict[str, str] = el.__dict__.setdefault("_why_open", {})
    if group not in known:
        known[group] = _why_open_asked(el, group)
    return known[group]


def _why_open_asked(el: Election, group: str) -> str:
    from planner.solve.best import solve

    seat = open_seat(group)
    filled = dataclasses.replace(el, universe=tuple(s for s in el.universe if s != seat),
                                 open_seats=tuple(o for o in el.open_seats if o.state != seat))
    result = solve(filled)
    if result.status == "solved":
        return ("the rules let every seat of the group be filled (planner solve proposes a "
                "slate that fills it)")
    if not result.conflicts:
        return "no valid slate fills it (which rules stand in the way was not narrowed down)"
    causes: dict[str, None] = {}
    names: dict[str, None] = {}
    for x in result.conflicts:
        rule = el.profile.rule(x.rule)
        if not isinstance(rule, Rule):
            continue
        causes.update((cause.rstrip("."), None) for cause, _fix in rule.causes(filled, x.scope))
        if not rule.structural:  # the bureau's own shape, which no one would drop
            names[f"{rule.name} ({', '.join(x.scope)})" if x.scope else rule.name] = None
    held = f"the rules that would not all hold with it filled: {listing(list(names), 8)}"
    if causes:
        return f"no valid slate fills it: {'; '.join(causes)} ({held})"
    return f"no valid slate fills it ({held})"


def repeated_notes(el: Election, slate: Slate) -> frozenset[str]:
    """The notes that the slate's unhonoured nominations already say (a nomination for a post
    whose turn is another group's), so that a slate's answer says each once."""
    from planner.rules.kinds import turn_note

    held = {(seat.state, seat.post) for seat in slate}
    out = set()
    for n in el.case.nominations:
        group, turn = el.group(n.state), el.post_group(n.post)
        if (n.state, n.post) not in held and group and turn and turn != group:
            out.add(turn_note(n.state, group, n.post, turn))
    return frozenset(out)


def settled_by_nominations(el: Election, slate: Slate) -> bool:
    """Whether every officer of the slate is its group's nominee for the post: where no other
    valid slate exists besides, the nominations settle the bureau, and a consultation can
    weigh others only by supposing a withdrawal or another nomination."""
    nominated = {(n.state, n.post) for n in el.case.nominations
                 if n.state not in el.case.withdrawn}
    return bool(slate) and all((seat.state, seat.post) in nominated for seat in slate)


SETTLED = ("The nominations settle every seat: no other valid slate exists. To weigh others, "
           "suppose a withdrawal (planner replace --withdraw STATE, or the board's withdraw) "
           "or another nomination (--nominate STATE:POST).")

