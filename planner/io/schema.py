"""The case's tables, written once: their columns, which are required, what each means. The
reader asks it which columns to require; `planner init` builds its workbook from it; the
README's table of the case contract says the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planner.domain.body import MEMBERSHIP, TREATY, Body


@dataclass(frozen=True)
class Column:
    name: str
    about: str
    required: bool = False
    choices: str = ""  # the list a template offers as a drop-down: state, group, post, ...
    date: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    about: str
    columns: tuple[Column, ...]
    basis: str | None = None  # only for bodies whose eligibility basis this is
    constituencies: bool = False  # only for bodies with constituencies
    extra: bool = False  # only for bodies whose cases may declare States of their own
    open_columns: str = ""  # what columns beyond these mean, where the table takes any

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def applies(self, body: Body) -> bool:
        return ((self.basis is None or self.basis == body.eligibility)
                and (not self.constituencies or bool(body.constituencies))
                and (not self.extra or body.extra_states))


def _c(name: str, about: str, *, required: bool = False, choices: str = "",
       date: bool = False) -> Column:
    return Column(name, about, required, choices, date)


SCHEMA: tuple[TableSpec, ...] = (
    TableSpec("states", "States the case declares beyond the UN's (a generated or hypothetical "
              "body whose profile allows it)", (
        _c("state", "the State's name, as the other tables write it", required=True),
    ), extra=True),
    TableSpec("session", "the session: one row per key (see the keys below)", (
        _c("key", "what the value is", required=True, choices="session_key"),
        _c("value", "the value", required=True),
    )),
    TableSpec("instruments", "the Convention and its Protocols, with their entry into force", (
        _c("instrument", "a short id, used in the other tables", required=True),
        _c("title", "the instrument's title", required=True),
        _c("kind", "convention or protocol", required=True, choices="kind"),
        _c("entry_into_force", "the instrument's own entry into force", required=True,
           date=True),
        _c("days_after_deposit", "days from a later deposit to entry into force for that "
           "State (30)"),
        _c("adopted", "date of adoption, if known", date=True),
        _c("status_file", "a UN Treaty Collection status table for the instrument, in the "
           "case folder (instead of ratifications rows)"),
    ), basis=TREATY),
    TableSpec("ratifications", "one row per State and instrument deposited (or signed only)", (
        _c("state", "the State (UN name)", required=True, choices="state"),
        _c("instrument", "the instrument's id", required=True, choices="instrument"),
        _c("deposit_date", "date of the instrument of ratification, acceptance, approval or "
           "accession; empty if signed only", required=True, date=True),
        _c("action", "ratification, accession, acceptance, approval, succession"),
        _c("signature_date", "date of signature, if any", date=True),
    ), basis=TREATY),
    TableSpec("members", "the body's members (where membership, not a treaty, decides who may "
              "sit)", (
        _c("state", "a member of the body (one row per term, where the terms are given)",
           required=True, choices="state"),
        _c("from", "the first day of its term, if known (empty: a member since before the "
           "session)", date=True),
        _c("until", "the last day of its term, if known (empty: a member until after the "
           "session)", date=True),
    ), basis=MEMBERSHIP),
    TableSpec("groups", "the regional group of each State; a State listed twice counts in the "
              "row marked yes", (
        _c("state", "the State (UN name)", required=True, choices="state"),
        _c("group", "its regional group", required=True, choices="group"),
        _c("counts_for_elections", "yes, or no for the second group of a State in two",
           choices="yesno"),
    )),
    TableSpec("constituencies", "States of the constituencies the profile names (e.g. small "
              "island developing States)", (
        _c("state", "a State of the constituency", required=True, choices="state"),
        _c("constituency", "the constituency's name, as the profile gives it", required=True,
           choices="constituency"),
    ), constituencies=True),
    TableSpec("attendance", "the States present at the opening (empty: every State that can "
              "sit is taken as present)", (
        _c("state", "a State present at the opening", required=True, choices="state"),
    )),
    TableSpec("nominations", "the groups' nominations; priority 1 is the first choice", (
        _c("state", "the nominated State", required=True, choices="state"),
        _c("post", "the post it is nominated for", required=True, choices="post"),
        _c("priority", "1 for the first choice, 2 for the next ..."),
        _c("person", "the person the State would seat, if known (also read under the "
           "heading representative)"),
        _c("group", "the nominating group, if the State is in two", choices="group"),
    ), open_columns="any other column is an attribute of the nominated officer (e.g. gender), "
       "which a quota rule may read"),
    TableSpec("withdrawals", "States that withdrew their candidacy for this session's bureau "
              "(they cannot be elected; planner replace --withdraw adds them)", (
        _c("state", "a State that withdrew", required=True, choices="state"),
    )),
    TableSpec("rotation", "the group that gives a rotating post at a session: recorded for "
              "earlier sessions, published for later ones (it wins over the cycle)", (
        _c("session", "a session's number", required=True),
        _c("post", "a rotating post (with group; one row per session and post)",
           choices="post"),
        _c("group", "the group that gives it", choices="group"),
        _c("president_group", "or, in one row per session: the head post's group",
           choices="group"),
        _c("rapporteur_group", "and the group of the post that follows it", choices="group"),
    )),
    TableSpec("sessions", "opening dates of later sessions, for plans", (
        _c("session", "a session's number", required=True),
        _c("opening_date", "its opening date", required=True, date=True),
    )),
    TableSpec("expected_ratifications", "deposits expected before a later session: forecasts, "
              "not facts", (
        _c("state", "the State", required=True, choices="state"),
        _c("instrument", "the instrument's id", required=True, choices="instrument"),
        _c("expected_date", "the expected date of deposit", required=True, date=True),
    ), basis=TREATY),
    TableSpec("bureau_history", "officers of earlier sessions (term limits, fairness of plans)", (
        _c("session", "an earlier session's number", required=True),
        _c("post", "the post held, as the profile or the record names it (First Vice-Chair)",
           required=True, choices="post"),
        _c("state", "the State that held it", required=True, choices="state"),
        _c("person", "the person who held it, if known (term limits that count persons)"),
        _c("holdover", "yes if the officer remained in office pending a successor, not "
           "elected at that session", choices="yesno"),
    )),
    TableSpec("suppositions", "what the case supposes, not facts: the what-ifs of a "
              "consultation (a supposed deposit, an absence, a nomination, a choice on the "
              "board); every result made from the case says it rests on them", (
        _c("supposition", "one supposition, in words", required=True),
    )),
    TableSpec("attributes", "what the rules may ask of a State beyond its group and standing: "
              "one row per State and attribute (ldc yes, sids yes, region AFRO)", (
        _c("state", "the State", required=True, choices="state"),
        _c("attribute", "the attribute's name, as the profile's rules name it", required=True),
        _c("value", "its value for the State", required=True),
    )),
)

SESSION_KEYS: tuple[tuple[str, str], ...] = (
    ("conference", "the body's name (default: the profile's)"),
    ("session", "the session's number (required)"),
    ("opening_date", "the opening date (required)"),
    ("president_group", "the group whose turn it is for the head post, if settled (overrides "
                        "the rotation)"),
    ("rapporteur_group", "the group whose turn it is for the post that follows it, if settled"),
    ("rotation_cycle", "the groups in presidency order, separated by ';'"),
    ("rotation_start", "a session whose President came from the first group of the cycle"),
    ("rapporteur_offset", "the Rapporteur's group (the post that follows the head post) held "
                          "the head post this many sessions before (the profile's, else 1)"),
    ("presidency", "the State that presides (holds the presidency), where a rule gives it a "
                   "post; not always the State where the session meets"),
    ("venue", "where the session meets (a city and country, in words)"),
    ("host", "read as presidency (cases written before the two were told apart)"),
    ("profile", "the body's profile (planner profiles), e.g. untoc-cop"),
)

TABLES = tuple(t.name for t in SCHEMA)
SESSION_KEY_NAMES = tuple(k for k, _ in SESSION_KEYS)


def table(name: str) -> TableSpec:
    return next(t for t in SCHEMA if t.name == name)


def required_columns(name: str) -> tuple[str, ...]:
    return table(name).required


def required_tables(body: Body) -> tuple[str, ...]:
    """The tables a case of this body cannot do without."""
    basis = {TREATY: "instruments", MEMBERSHIP: "members"}[body.eligibility]
    return (basis, "groups", "session", *(("constituencies",) if body.constituencies else ()))


# the mark of an example row in the last column of a template's sheet
EXAMPLE = "example: this row is ignored"


def example_rows(body: Body) -> dict[str, list[Any]]:
    """The example row of each table, as planner init writes it: the reader ignores a row so
    marked only where it still holds these values (an example typed over is data)."""
    last = body.post_names[-1]
    return {
        "members": ["Kenya"],
        "instruments": ["convention", "United Nations Convention against Transnational "
                        "Organized Crime", "convention", dt.date(2003, 9, 29), 30, "", ""],
        "ratifications": ["Kenya", "convention", dt.date(2004, 6, 16), "accession", ""],
        "groups": ["Kenya", "African States", "yes"],
        "attendance": ["Kenya"],
        "nominations": ["Kenya", last, 1, "", ""],
        "withdrawals": ["Kenya"],
        "rotation": [5, body.rotating_post or body.head_post, "African States", "", ""],
        "sessions": [7, dt.date(2014, 10, 6)],
        "expected_ratifications": ["Kenya", "convention", dt.date(2014, 9, 1)],
        "bureau_history": [5, last, "Kenya", "", ""],
        "attributes": ["Kenya", "ldc", "no"],
    }

