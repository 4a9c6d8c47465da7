"""What a rule is, and the two faces every rule shares.

A rule states its constraints once, through a Backend: evaluated on a given slate (plain Python
integers) they check it; built on CP-SAT variables they are posted to the model; built as linear
forms (planner.rules.forms) they let the enumeration count and list slates and let `carries`
tell which rules an officer is needed for. So no face can drift from another; tests hold them
to it. Preferences and fairness rules are written the same way.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from planner.domain.body import Body
from planner.domain.case import Case
from planner.domain.names import normalise
from planner.domain.slate import NO_GROUP, Slate

if TYPE_CHECKING:
    from planner.rules.election import Election
    from planner.rules.forms import Form, Key
    from planner.rules.planning import PlanBackend, PlanView

E = TypeVar("E")
T = TypeVar("T")
Scope = tuple[str, ...]
OPS = ("==", ">=", "<=")


class Backend(Protocol[E]):
    """What a rule may say about a slate: who holds what, sums, and caps."""

    def holds(self, state: str, post: str) -> E: ...

    def total(self, terms: Iterable[E]) -> E: ...

    def capped(self, expr: E, cap: int) -> E:
        """min(expr, cap)."""
        ...

    def scaled(self, expr: E, factor: int) -> E: ...


@dataclass(frozen=True)
class Need(Generic[E]):
    """One constraint: lhs op rhs, with what it says in words."""

    lhs: E
    op: str  # '==', '>=', '<='
    rhs: E | int
    says: str


class EvalBackend:
    """The rules evaluated on a given slate."""

    def __init__(self, slate: Slate) -> None:
        self.count = Counter((seat.state, seat.post) for seat in slate)
        self.seated = frozenset(seat.state for seat in slate)
        # seats whose officer remained in office pending a successor (not elected now)
        self.held_over = Counter((seat.state, seat.post) for seat in slate if seat.holdover)
        # the persons the slate names, by seat (normalised), over the nominations' persons
        self.persons = {(seat.state, seat.post): normalise(seat.representative)
                        for seat in slate if seat.representative}

    def elected(self, state: str, post: str) -> int:
        return self.count[(state, post)] - self.held_over[(state, post)]

    def on_bureau(self, state: str, posts: Sequence[str]) -> int:
        # a State off the slate holds nothing: no need to ask post by post
        return sum(self.count[(state, p)] for p in posts) if state in self.seated else 0

    def holds(self, state: str, post: str) -> int:
        return self.count[(state, post)]

    def total(self, terms: Iterable[int]) -> int:
        return sum(terms)

    def capped(self, expr: int, cap: int) -> int:
        return min(expr, cap)

    def scaled(self, expr: int, factor: int) -> int:
        return expr * factor


def holds_need(need: Need[int]) -> bool:
    rhs = need.rhs
    assert isinstance(rhs, int)
    if need.op == "==":
        return need.lhs == rhs
    if need.op == ">=":
        return need.lhs >= rhs
    return need.lhs <= rhs


def who_may_hold(b: Backend[E], states: Iterable[str]) -> Iterable[str]:
    """The States whose terms can be other than zero: on a given slate, the States on it (the
    rest hold nothing, so a sum or a need of theirs is 0); in a model or a form, all."""
    if isinstance(b, EvalBackend):
        return [s for s in states if s in b.seated]
    return states


def on_bureau(el: Election, b: Backend[E], state: str) -> E:
    if isinstance(b, EvalBackend):
        return b.on_bureau(state, el.body.post_names)
    return b.total(b.holds(state, p) for p in el.body.post_names)


def officers(el: Election, b: Backend[E], states: Iterable[str]) -> E:
    if isinstance(b, EvalBackend):
        # the same sum, read only for the States on the slate (the rest hold nothing)
        posts = el.body.post_names
        return sum(b.on_bureau(s, posts) for s in states if s in b.seated)
    return b.total(on_bureau(el, b, s) for s in states)


def listing(names: Sequence[str], limit: int = 6) -> str:
    names = list(names)
    if not names:
        return "none"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def group_label(group: str) -> str:
    return "States in no regional group" if group == NO_GROUP else f"the {group}"


@dataclass(frozen=True)
class Param:
    """How a profile gives one parameter of a kind: its words, and what it may be. The type
    is the field's default's (a whole number, text, true/false, a list of text)."""

    about: str
    choices: tuple[str, ...] = ()  # the values it may take, where they are fixed
    among: str = ""  # or one of the profile's own: "posts" (its posts' names)
    low: int = 0
    high: int = 1000
    required: bool = False  # a profile must give it


def param(default: T, about: str, *, choices: tuple[str, ...] = (), among: str = "",
          low: int = 0, high: int = 1000, required: bool = False) -> T:
    """A kind's parameter, read from the profile by the one generic reader
    (planner.rules.profile) and documented from `about`."""
    spec = Param(about, choices, among, low, high, required)
    made: T = field(default=default, metadata={"param": spec})
    return made



@dataclass(frozen=True)
class Complaint:
    """A profile's parameters that do not fit together: the key, what is wrong, the fix."""

    key: str
    message: str
    fix: str


@dataclass(frozen=True)
class Kind:
    """What every rule and preference kind shares: its name in a profile, its citation and
    words, the facts it reads (planner.rules.facts: beyond a State's group and whether it may
    sit, which every kind reads), and its parameters (fields made with `param`)."""

    kind: ClassVar[str]
    reads: ClassVar[frozenset[str]] = frozenset()
    id: str
    citation: str
    wording: str
    label: str = field(default="", kw_only=True)  # a few words naming the rule, for tables

    @property
    def name(self) -> str:
        """What people read for the rule where its full wording does not fit."""
        return self.label or self.id.replace("_", " ")

    @classmethod
    def params(cls) -> tuple[tuple[str, Any, Param], ...]:
        """(name, default, how it is given) of each parameter, in the order written."""
        import dataclasses

        return tuple((f.name, f.default, f.metadata["param"]) for f in dataclasses.fields(cls)
                     if "param" in f.metadata)

    def validate(self, body: Body) -> Iterator[Complaint]:
        """What in its parameters does not fit the body (most kinds: nothing)."""
        return iter(())

    def notes(self, el: Election) -> Iterator[str]:
        """What the kind assumed at this election, to be said with every result."""
        return iter(())

    def most_officers(self, body: Body, group: str) -> int | None:
        """The most officers this kind alone lets one group hold (None: it does not bound
        them)."""
        return None

    def least_officers(self, body: Body, group: str) -> int:
        """The fewest officers this kind alone lets one group hold."""
        return 0

    def attributes_read(self) -> frozenset[str]:
        """The attributes (attributes table, nominations' own columns) the kind reads, by
        name as normalised (most kinds: none)."""
        return frozenset()


@dataclass(frozen=True)
class Rule(Kind, ABC):
    """A hard rule: every slate must meet it. One instance per scope (a group, say).

    A scope whose first element is a group (or NO_GROUP) declares that the instance concerns
    that group's officers only; the enumeration checks the declaration against the
    constraints themselves."""

    # every post is filled as the profile's posts say (a slate leaving a seat empty breaks it)
    fills_posts: ClassVar[bool] = False

    def scopes(self, el: Election) -> tuple[Scope, ...]:
        return ((),)

    @abstractmethod
    def needs(self, el: Election, scope: Scope, b: Backend[E]) -> Iterator[Need[E]]: ...

    @abstractmethod
    def conflict(self, el: Election, scope: Scope) -> str:
        """The facts that make this rule bind, for an explanation of infeasibility."""

    def title(self, scope: Scope) -> str:
        return f"{self.citation} ({', '.join(scope)})" if scope else self.citation

    def across(self, view: PlanView, bs: Sequence[PlanBackend[Any]]) -> Iterator[Need[Any]]:
        """What the rule asks across a plan's sessions, beyond each session alone (most rules:
        nothing)."""
        return iter(())

    def plan_notes(self, case: Case, sessions: Sequence[int]) -> Iterator[str]:
        """What a plan of these sessions cannot apply of the rule, in words (most: nothing)."""
        return iter(())


@dataclass(frozen=True)
class Preference(Kind, ABC):
    """A soft rule: among valid slates, one value to make as high (or low) as possible."""

    maximise: ClassVar[bool]
    # the planner's own order among equally good slates, not a rule: no officer is needed for
    # it, and what it decides is said as a tie-break
    planners_own: ClassVar[bool] = False

    @abstractmethod
    def value(self, el: Election, b: Backend[E]) -> E: ...

    def bounds(self, el: Election) -> tuple[int, int] | None:
        """Bounds of the value where a kind knows them without building its form (None: read
        them from the form)."""
        return None

    def signed(self, el: Election, b: Backend[E]) -> E:
        """The value to minimise."""
        v = self.value(el, b)
        return b.scaled(v, -1) if self.maximise else v


# ---------------------------------------------------------------------------------------------
# The checking face


@dataclass(frozen=True)
class Outcome:
    rule: str
    citation: str
    scope: Scope
    passed: bool
    message: str


BOUND_WORDS = {"==": "exactly", ">=": "at least", "<=": "at most"}


def check(el: Election, slate: Slate) -> tuple[Outcome, ...]:
    """Each rule instance, passed or failed with the reason, on a given slate."""
    b = EvalBackend(slate)
    out: list[Outcome] = []
    for rule in el.profile.rules:
        for scope in rule.scopes(el):
            failed = [n for n in rule.needs(el, scope, b) if not holds_need(n)]
            if failed:
                text = f"{rule.citation}: " + "; ".join(
                    f"{n.says}: needs {BOUND_WORDS[n.op]} {n.rhs}, this slate has {n.lhs}"
                    for n in failed
                )
            else:
                text = rule.wording
            out.append(Outcome(rule.id, rule.title(scope), scope, not failed, text))
    return tuple(out)


def score(el: Election, slate: Slate) -> dict[str, int]:
    b = EvalBackend(slate)
    return {p.id: p.value(el, b) for p in el.profile.preferences}


def preference_weights(el: Election) -> dict[str, int]:
    """Weights that make one weighted sum order slates exactly as the preferences in turn do:
    each level weighs more than the whole range of every level after it."""
    from planner.rules.forms import FormBackend, form_range

    weights: dict[str, int] = {}
    weight = 1
    for pref in reversed(el.profile.preferences):
        weights[pref.id] = weight
        known = pref.bounds(el)
        lo, hi = known if known is not None else form_range(pref.value(el, FormBackend()),
                                                            el.body.total_posts)
        weight *= hi - lo + 1
    return weights


def objective(el: Election, b: Backend[E], weights: dict[str, int] | None = None) -> E:
    """The preferences as one weighted sum to minimise: the one objective every face uses."""
    weights = weights or preference_weights(el)
    return b.total(b.scaled(p.signed(el, b), weights[p.id]) for p in el.profile.preferences)


def cost(el: Election, slate: Slate, weights: dict[str, int] | None = None) -> int:
    """The objective on a given slate (lower is better)."""
    return objective(el, EvalBackend(slate), weights)


def carries(el: Election, slate: Slate, state: str, post: str,
            reduce: bool = True) -> tuple[str, ...]:
    """The rules and preferences this officer is needed for, by id: those that hold on the
    slate but would fail (or, for a preference, get worse) if the seat went to a plain member of
    the same group (the least helpful standing among its States that can sit, wherever a
    constraint tells States apart). Derived from the rules' own constraints, read on the
    reduced election that keeps the slate's States (planner.rules.reduce), whose States count
    for the whole universe's."""
    from planner.rules.forms import PLAIN_MEMBER, passes, with_plain_member

    if reduce and len(el.universe) >= LEAN_FROM:
        el = _lean(el, frozenset(s.state for s in slate))
    held = tuple((s.state, s.post) for s in slate)
    swapped = (*(k for k in held if k != (state, post)), (PLAIN_MEMBER, post))
    members = frozenset(s for s in el.members(el.group_or_none(state)) if el.status[s].eligible)
    alike = [(kept, left) for kept, left in el.alike if kept[0] in members]
    # only a constraint on this post for this group's States can tell the two apart
    keys = {(s, post) for s in (*members, state)}
    # a bound from below tells States apart by who helps least; a bound from above or an
    # equality counts as most of the group's States do
    worst = {">=": "min", "<=": "mode", "==": "mode"}
    out: list[str] = []
    for rule_id, diff, op, support in el.rule_forms:
        if rule_id in out or not keys & support:
            continue
        plain = with_plain_member(diff, members, post, worst[op], alike)
        if passes(plain.value(held), op) and not passes(plain.value(swapped), op):
            out.append(rule_id)
    for pref_id, form, support in el.preference_forms:
        if keys & support:
            plain = with_plain_member(form, members, post, "max", alike)
            if plain.value(swapped) > plain.value(held):
                out.append(pref_id)
    return tuple(out)


# from this many States on, reading every rule's forms over the universe once costs more than
# reducing the election for a slate asked about (a reduction costs about 15 ms at 200 States,
# the forms of 20,000 States 0.8 s); below it the forms are read once per election
LEAN_FROM = 1_000
# ... but not for many slates (one seat's candidates ask about one slate a candidate): after this
# many reductions of one election, its forms are read once instead
LEAN_SLATES = 3


def _lean(el: Election, states: frozenset[str]) -> Election:
    """The reduced election keeping these States (the last one made is kept, as the seats of one
    slate are asked about in turn), or the election itself once several slates were asked."""
    from planner.rules.reduce import reduced

    last: tuple[frozenset[str] | None, Election, int] = el.__dict__.get("_lean", (None, el, 0))
    kept, lean, made = last
    if kept == states:
        return lean
    if made >= LEAN_SLATES:
        return el
    # two of each kind at least, so that a form that singles one out shows it
    lean = reduced(el, slates=2, keep=states)
    el.__dict__["_lean"] = (states, lean, made + 1)
    return lean


def needed_for(el: Election, slate: Slate, state: str, post: str) -> str:
    """carries, in words: the names of the rules and preferences the officer is needed for."""
    return "; ".join(x.name for i in carries(el, slate, state, post)
                     if (x := el.profile.rule(i)) is not None)


def rule_forms(el: Election) -> tuple[tuple[str, Form, str, frozenset[Key]], ...]:
    """Every constraint of every rule instance as (rule id, lhs - rhs, op, the pairs it names),
    read through the linear-form backend."""
    from planner.rules.forms import FormBackend, difference

    fb = FormBackend()
    out = []
    for rule in el.profile.rules:
        for scope in rule.scopes(el):
            for need in rule.needs(el, scope, fb):
                diff = difference(need.lhs, need.rhs)
                out.append((rule.id, diff, need.op, frozenset(diff.support())))
    return tuple(out)


def preference_forms(el: Election) -> tuple[tuple[str, Form, frozenset[Key]], ...]:
    """Each preference's value to minimise as a linear form, but the tie-break: it is no rule,
    and no State is needed for it."""
    from planner.rules.forms import FormBackend

    fb = FormBackend()
    out = []
    for pref in el.profile.preferences:
        if not pref.planners_own:
            form = pref.signed(el, fb)
            out.append((pref.id, form, frozenset(form.support())))
    return tuple(out)
