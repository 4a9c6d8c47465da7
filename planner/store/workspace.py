"""A consultation's shared workspace: who may do what, the groups' nominations, and the log.

The roles are enforced here, for every caller (the command line, the board, the API): a
coordinator enters and changes only the nominations of the group it was invited for; the
secretariat changes everything and invites and revokes people. Every change is one
transaction that also appends its line to the log, so a crash leaves the last whole state.
A change names the version it was made from: a change made from an older one is refused as
stale (the second of two people changing the same thing is shown the conflict). Tokens are
random, shown once, and kept only as their SHA-256."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from planner.domain.body import Body
from planner.domain.case import Case, Nomination
from planner.domain.lots import DRAW_METHOD, drawn_order
from planner.domain.rotation import Turn
from planner.errors import InputError, PlannerError, Problem, Where
from planner.rules.profile import Profile
from planner.store.schema import log, nominations, people, rounds, settings

SECRETARIAT = "secretariat"
COORDINATOR = "coordinator"
MAX_PRIORITY = 99


class Forbidden(PlannerError):
    """The person may not do this (HTTP 403)."""


class Stale(PlannerError):
    """The change was made from an older version of what it changes (HTTP 409)."""

    def __init__(self, message: str, current: int) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: str
    group: str | None
    revoked: bool


@dataclass(frozen=True)
class NominationRow:
    group: str
    state: str
    post: str
    priority: int
    person: str
    withdrawn: bool
    version: int
    updated_by: str
    updated_at: str


@dataclass(frozen=True)
class Tracked:
    """One group's nominations for one post, as the tracker shows them."""

    group: str
    post: str
    status: str  # received | pending | late | not this group's turn
    received: tuple[NominationRow, ...]
    deadline: dt.datetime | None


@dataclass(frozen=True)
class Round:
    name: str
    at: str
    who: str
    log_id: int  # the log's last line when it was taken
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class LogLine:
    id: int
    at: str
    who: str
    action: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class Drawn:
    """A drawing of lots, as logged."""

    log_id: int
    what: str
    among: tuple[str, ...]  # sorted: the order given plays no part
    seed: str
    order: tuple[str, ...]  # the first is drawn
    seed_given: bool = False  # given by the secretariat (agreed beforehand), not made then

    @property
    def drawn(self) -> str:
        return self.order[0]


def database_url(target: str | Path) -> str:
    """A database URL as given, or a file's SQLite URL."""
    text = str(target)
    # PostgreSQL through psycopg (version 3), the driver the project installs, however the
    # URL names the server (SQLAlchemy's plain postgresql:// means psycopg2)
    for plain in ("postgresql://", "postgres://"):
        if text.startswith(plain):
            return "postgresql+psycopg://" + text[len(plain):]
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).resolve()}"


MAX_TEXT = 200  # a name, a person, a round's name: the schema's columns hold as many
MAX_DRAWN = 200  # names one drawing of lots is made among


def _text(value: str, where: str, what: str, problems: list[Problem],
          required: bool = True) -> str:
    """A free text as stored: spaces run together, in Unicode's composed form, without a
    control or invisible formatting character (it could make a name read otherwise than it
    is, and a workbook cannot hold it), at most MAX_TEXT characters; each problem said."""
    import unicodedata

    from planner.io.tables import control_said

    text = unicodedata.normalize("NFC", " ".join(value.split()))
    if required and not text:
        problems.append(Problem(Where(where), f"{what} is missing", f"give {what}"))
    elif len(text) > MAX_TEXT:
        problems.append(Problem(Where(where), f"{what} has {len(text):,} characters, more than "
                                f"the {MAX_TEXT} it may", "shorten it"))
    elif (said := control_said(text)) is not None:
        problems.append(Problem(Where(where), f"{what} holds a control or invisible "
                                f"formatting character ({said})", "retype it"))
    return text


def _same(name: str) -> str:
    """A name as compared for look-alikes: compatibility form, case folded."""
    import unicodedata

    return unicodedata.normalize("NFKC", name).casefold()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi: Any, _record: Any) -> None:
            cursor = dbapi.cursor()
            # foreign keys as declared; a full fsync at each commit: a crash keeps the last
            # whole state
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()
    return engine


def _migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest version (Alembic)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location",
                           str(resources.files("planner.store").joinpath("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _existing(target: str | Path) -> sa.Engine:
    """The engine of a workspace that exists, its schema brought to the newest version (a
    missing file is never made here: only init makes one)."""
    url = database_url(target)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        raise PlannerError(f"{target}: no workspace there; make one with planner workspace "
                           "init")
    engine = _engine(url)
    _migrate(engine)
    return engine


class Workspace:
    def __init__(self, engine: sa.Engine, body: Body) -> None:
        self.engine = engine
        self.body = body

    # -- setting up

    @classmethod
    def create(cls, target: str | Path, body: Body, case: str, profile: str,
               secretariat: str) -> tuple[Workspace, str]:
        """A new workspace for a case, and the secretariat's token (shown once)."""
        url = database_url(target)
        engine = _engine(url)
        _migrate(engine)
        with engine.begin() as db:
            if db.execute(sa.select(sa.func.count()).select_from(settings)).scalar_one():
                raise PlannerError(f"{target} already holds a workspace: open it, or give "
                                   "another file")
            db.execute(settings.insert(), [{"key": "case", "value": case},
                                           {"key": "profile", "value": profile},
                                           {"key": "created_at", "value": _now()}])
        ws = cls(engine, body)
        token = ws._add_person(None, secretariat, SECRETARIAT, None)
        return ws, token

    @classmethod
    def open(cls, target: str | Path, body: Body) -> Workspace:
        return cls(_existing(target), body)

    @classmethod
    def open_with_case(cls, target: str | Path) -> tuple[Workspace, Case, Profile]:
        """A workspace, with the case and profile it was set up for (one engine, its schema
        brought up to date once)."""
        from planner.rules.profile import open_case

        engine = _existing(target)
        with engine.connect() as db:
            kept = {k: v for k, v in db.execute(sa.select(settings.c.key, settings.c.value))}
        case, profile = open_case(kept["case"], kept["profile"])
        return cls(engine, profile.body), case, profile

    # -- people

    @contextmanager
    def _change(self, by: Person | None, action: str, detail: dict[str, Any]
                ) -> Iterator[sa.Connection]:
        """One change and its log line, in one transaction; the line names the round the
        change was made after (the last taken), if any."""
        with self.engine.begin() as db:
            # the round in effect when the change began (a change that takes a round is
            # made after the one before)
            since = db.execute(sa.select(rounds.c.name).order_by(rounds.c.id.desc()).limit(1)
                               ).scalar_one_or_none()
            yield db
            if since is not None:
                detail = {**detail, "after_round": since}
            db.execute(log.insert().values(
                at=_now(), person_id=by.id if by else None,
                who=by.name if by else "secretariat (command line)", action=action,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True)))

    def _add_person(self, by: Person | None, name: str, role: str, group: str | None) -> str:
        problems: list[Problem] = []
        name = _text(name, "--name", "the person's name", problems)
        if problems:
            raise InputError(problems)
        token = secrets.token_urlsafe(32)
        with self._change(by, "invite", {"name": name, "role": role, "group": group}) as db:
            # a name that reads like one already in (another case, a look-alike letter) is
            # refused: the log and the page must tell people apart
            for known, revoked in db.execute(sa.select(people.c.name, people.c.revoked_at)):
                if _same(known) == _same(name):
                    raise InputError([Problem(Where("--name"), f"{name} reads as {known}, "
                                              "already in the workspace" + (
                                                  " (revoked: a name stays in the log)"
                                                  if revoked else ""),
                                              "give another name")])
            db.execute(people.insert().values(name=name, role=role, group_name=group,
                                              token_hash=_hash(token), created_at=_now()))
        return token

    def invite(self, by: Person | None, name: str, group: str) -> str:
        """A coordinator for a group, and their token (shown once). by: the secretariat (None:
        the command line, which holds the workspace's file)."""
        self.secretariat_only(by, "invite people")
        found = self.body.find_group(group)
        if found is None:
            raise InputError([Problem(Where("--group"), f"unknown regional group {group!r}",
                                      "use one of: " + "; ".join(self.body.group_names))])
        return self._add_person(by, name, COORDINATOR, found)

    def revoke(self, by: Person | None, name: str) -> None:
        self.secretariat_only(by, "revoke people")
        name = " ".join(name.split())
        with self._change(by, "revoke", {"name": name}) as db:
            done = db.execute(people.update().where(people.c.name == name,
                                                    people.c.revoked_at.is_(None))
                              .values(revoked_at=_now()))
            if not done.rowcount:
                raise InputError([Problem(Where("--name"), f"no one named {name} holds a "
                                          "token", "see planner workspace people")])

    def people(self) -> list[Person]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(people).order_by(people.c.id)).mappings()
            return [Person(r["id"], r["name"], r["role"], r["group_name"],
                           r["revoked_at"] is not None) for r in rows]

    def who(self, token: str) -> Person | None:
        """The person a token is for, unless revoked (compared in constant time)."""
        digest = _hash(token)
        with self.engine.connect() as db:
            row = db.execute(sa.select(people).where(people.c.token_hash == digest,
                                                     people.c.revoked_at.is_(None))
                             ).mappings().first()
        if row is None or not hmac.compare_digest(row["token_hash"], digest):
            return None
        return Person(row["id"], row["name"], row["role"], row["group_name"], False)

    @staticmethod
    def secretariat_only(by: Person | None, what: str) -> None:
        """Forbidden unless by is the secretariat (None: the command line, which holds the
        workspace's file); asked before work done for the secretariat alone."""
        if by is not None and by.role != SECRETARIAT:
            raise Forbidden(f"only the secretariat may {what}")

    # -- nominations

    def nominations(self) -> list[NominationRow]:
        with self.engine.connect() as db:
            rows = db.execute(
                sa.select(nominations, people.c.name.label("by"))
                .join(people, people.c.id == nominations.c.updated_by)
                .order_by(nominations.c.group_name, nominations.c.post,
                          nominations.c.priority, nominations.c.state)).mappings()
            return [NominationRow(r["group_name"], r["state"], r["post"], r["priority"],
                                  r["person"], bool(r["withdrawn"]), r["version"], r["by"],
                                  r["updated_at"]) for r in rows]

    def _checked(self, state: str, post: str, priority: int, group_of: dict[str, str],
                 problems: list[Problem]) -> tuple[str, str]:
        """The State's and the post's names as the case writes them; every problem at once
        (with those already found)."""
        from planner.domain.names import did_you_mean, registry

        name = registry().lookup(state) or (state if state in group_of else None)
        if name is None:
            problems.append(Problem(Where("state"), f"unknown State {state!r}",
                                    did_you_mean(state)))
        found = self.body.find_post(post)
        if found is None:
            problems.append(Problem(Where("post"), f"unknown post {post!r}",
                                    "use one of: " + "; ".join(self.body.post_names)))
        if not 1 <= priority <= MAX_PRIORITY:
            problems.append(Problem(Where("priority"), f"priority {priority} is out of range",
                                    f"give 1 (first choice) to {MAX_PRIORITY}"))
        if name is not None and name not in group_of:
            problems.append(Problem(Where("state"), f"{name} is in no regional group of the "
                                    "case", "nominate a State of one of the groups"))
        if problems:
            raise InputError(problems)
        assert name is not None and found is not None
        return name, found

    def nominate(self, by: Person, state: str, post: str, priority: int, person: str,
                 group_of: dict[str, str], version: int = 0,
                 withdrawn: bool = False) -> NominationRow:
        """A nomination entered or changed (or withdrawn). version: the one the change was
        made from (0: a new nomination). A coordinator may only touch its own group's."""
        problems: list[Problem] = []
        if version < 0:
            problems.append(Problem(Where("version"), f"version {version} is no version",
                                    "give the version you saw (0 for a new nomination)"))
        person = _text(person, "person", "the person's name", problems, required=False)
        name, post_name = self._checked(state, post, priority, group_of, problems)
        group = group_of[name]
        if by.role != SECRETARIAT and by.group != group:
            raise Forbidden(f"{by.name} coordinates the {by.group}: {name} is of the {group}, "
                            "whose coordinator or the secretariat enters its nominations")
        detail = {"group": group, "state": name, "post": post_name, "priority": priority,
                  "person": person, "withdrawn": withdrawn}
        with self._change(by, "withdraw" if withdrawn else "nominate", detail) as db:
            row = db.execute(sa.select(nominations.c.version).where(
                nominations.c.state == name, nominations.c.post == post_name)).first()
            now = _now()
            if row is None:
                if version:
                    raise Stale(f"{name}'s nomination for {post_name} was removed since "
                                "you saw it", 0)
                try:
                    db.execute(nominations.insert().values(
                        group_name=group, state=name, post=post_name, priority=priority,
                        person=person, withdrawn=withdrawn, version=1, updated_at=now,
                        updated_by=by.id))
                except sa.exc.IntegrityError:
                    # another person entered it between the read above and this write
                    raise Stale(f"{name}'s nomination for {post_name} was entered meanwhile",
                                1) from None
                new = 1
            else:
                current = row[0]
                if version != current:
                    raise Stale(f"{name}'s nomination for {post_name} was changed since you "
                                f"saw it (version {current}, you saw {version or 'none'})",
                                current)
                new = current + 1
                # the version in the WHERE clause too: two writers at once, one wins
                done = db.execute(nominations.update().where(
                    nominations.c.state == name, nominations.c.post == post_name,
                    nominations.c.version == current).values(
                    priority=priority, person=person, withdrawn=withdrawn, version=new,
                    updated_at=now, updated_by=by.id))
                if not done.rowcount:
                    raise Stale(f"{name}'s nomination for {post_name} was changed meanwhile",
                                current + 1)
        return NominationRow(group, name, post_name, priority, person, withdrawn, new,
                             by.name, now)

    # -- the tracker

    def set_deadline(self, by: Person | None, deadline: dt.datetime) -> None:
        """The day and hour the groups' nominations are due (the secretariat's)."""
        self.secretariat_only(by, "set the deadline")
        at = deadline.astimezone(dt.UTC).isoformat(timespec="minutes")
        with self._change(by, "deadline", {"deadline": at}) as db:
            db.execute(settings.delete().where(settings.c.key == "deadline"))
            db.execute(settings.insert().values(key="deadline", value=at))

    def tracker(self, turn: Turn | None = None, now: dt.datetime | None = None
                ) -> list[Tracked]:
        """Per group and post: the nominations received (withdrawn ones left out) and, where
        none is, whether it is pending or late (past the deadline); a rotating post is
        expected only of the group whose turn it is (turn: the session's)."""
        now = now or dt.datetime.now(dt.UTC)
        with self.engine.connect() as db:
            due = db.execute(sa.select(settings.c.value).where(settings.c.key == "deadline")
                             ).scalar_one_or_none()
        deadline = dt.datetime.fromisoformat(due) if due else None
        rows = [n for n in self.nominations() if not n.withdrawn]
        out = []
        for group in self.body.group_names:
            for post in self.body.post_names:
                got = tuple(n for n in rows if n.group == group and n.post == post)
                whose = turn.group(post) if turn is not None else None
                status = ("received" if got else
                          "not this group's turn" if whose is not None and whose != group else
                          "late" if deadline is not None and now > deadline else "pending")
                out.append(Tracked(group, post, status, got, deadline))
        return out

    # -- the case as the nominations stand, and rounds

    def case_with_nominations(self, case: Case) -> Case:
        """The case with the workspace's nominations in place of its own (withdrawn ones left
        out)."""
        return dataclasses.replace(case, nominations=tuple(
            Nomination(n.state, n.post, n.priority, n.person, Where("workspace"))
            for n in self.nominations() if not n.withdrawn))

    def save_round(self, by: Person | None, name: str, snapshot: dict[str, Any]) -> Round:
        """A named, dated snapshot (the secretariat's), at the log's last line."""
        self.secretariat_only(by, "open and close rounds")
        name = self._round_name(name)
        with self._change(by, "round", {"name": name}) as db:
            return self._insert_round(db, by, name, snapshot)

    def _round_name(self, name: str) -> str:
        """A new round's name, checked before anything is done: given, and not taken."""
        problems: list[Problem] = []
        name = _text(name, "--name", "the round's name", problems)
        if not problems and any(_same(r.name) == _same(name) for r in self.rounds()):
            problems.append(Problem(Where("--name"), f"there is a round named {name} already",
                                    "give the new round another name"))
        if problems:
            raise InputError(problems)
        return name

    @staticmethod
    def _insert_round(db: sa.Connection, by: Person | None, name: str,
                      snapshot: dict[str, Any]) -> Round:
        if db.execute(sa.select(rounds.c.id).where(rounds.c.name == name)).first():
            raise InputError([Problem(Where("--name"), f"there is a round named {name} "
                                      "already", "give the new round another name")])
        at = _now()
        last = db.execute(sa.select(sa.func.max(log.c.id))).scalar_one() or 0
        db.execute(rounds.insert().values(
            name=name, at=at, person_id=by.id if by else None,
            who=by.name if by else "secretariat (command line)", log_id=last,
            snapshot=json.dumps(snapshot, ensure_ascii=False, sort_keys=True, default=str)))
        return Round(name, at, by.name if by else "secretariat (command line)", last, snapshot)

    def rounds_named(self, *names: str) -> list[Round]:
        """The rounds of these names, in the order given; every unknown name at once."""
        by = {r.name: r for r in self.rounds()}
        missing = [n for n in names if n not in by]
        if missing:
            raise InputError([Problem(Where("ROUND"), f"no round named {n!r}",
                                      "the rounds: " + (", ".join(by) or "none yet"))
                              for n in missing])
        return [by[n] for n in names]

    def rounds(self) -> list[Round]:
        with self.engine.connect() as db:
            return [Round(r.name, r.at, r.who, r.log_id, json.loads(r.snapshot))
                    for r in db.execute(sa.select(rounds).order_by(rounds.c.id))]

    def restore(self, by: Person | None, round_name: str, new_name: str,
                snapshot: dict[str, Any], version: int = 0) -> Round:
        """The nominations and asks a round was taken with, put back as they were, and taken
        as a new round of its own name with its snapshot (the board those nominations and
        asks give, built by the caller beforehand), in one transaction: all of it, or, where
        anything is refused, nothing. Each nomination changed is said in the log line.
        version: the workspace's version the restore was asked from (0: not said); a change
        made meanwhile makes it stale. The secretariat's."""
        self.secretariat_only(by, "restore rounds")
        (old,) = self.rounds_named(round_name)
        kept = old.snapshot.get("workspace")
        if not isinstance(kept, dict):
            raise InputError([Problem(Where("ROUND"), f"{round_name} was taken before rounds "
                                      "kept their nominations", "restore a later round")])
        new_name = self._round_name(new_name)
        wanted = {(n["state"], n["post"]): n for n in kept.get("nominations", [])}
        now = _now()
        changed: list[str] = []
        detail = {"round": old.name, "as": new_name, "changed": changed,
                  "asks": kept.get("asks", "")}
        with self._change(by, "restore", detail) as db:
            last = db.execute(sa.select(sa.func.max(log.c.id))).scalar_one() or 0
            if version and version != last:
                raise Stale("the workspace was changed since you saw it", last)
            current = {(r.state, r.post): r for r in db.execute(sa.select(nominations))}
            for key, row in current.items():
                if key not in wanted and not row.withdrawn:
                    changed.append(f"{row.state} for {row.post}: withdrawn")
                    db.execute(nominations.update().where(nominations.c.id == row.id).values(
                        withdrawn=True, version=row.version + 1, updated_at=now,
                        updated_by=by.id if by else row.updated_by))
            for key, n in wanted.items():
                values = {"priority": n["priority"], "person": n["person"],
                          "withdrawn": False, "updated_at": now}
                had = current.get(key)
                if had is not None and (had.priority, had.person, bool(had.withdrawn)) == (
                        n["priority"], n["person"], False):
                    continue  # as the round had it
                changed.append(f"{n['state']} for {n['post']}: priority {n['priority']}"
                               + (f", {n['person']}" if n["person"] else ""))
                if had is not None:
                    db.execute(nominations.update().where(nominations.c.id == had.id)
                               .values(**values, version=had.version + 1,
                                       updated_by=by.id if by else had.updated_by))
                else:
                    if by is None:
                        raise InputError([Problem(Where("ROUND"), "a nomination no longer "
                                                  "in the workspace is restored only by a "
                                                  "person", "restore it from the board")])
                    db.execute(nominations.insert().values(
                        group_name=n["group"], state=n["state"], post=n["post"],
                        version=1, updated_by=by.id, **values))
            self._put_asks(db, kept.get("asks", ""))
            taken = self._insert_round(db, by, new_name, snapshot)
        return taken

    # -- the secretariat's asks: fixes, exclusions, suppositions (a board's query)

    def asks(self) -> str:
        with self.engine.connect() as db:
            return db.execute(sa.select(settings.c.value).where(settings.c.key == "asks")
                              ).scalar_one_or_none() or ""

    def asks_version(self) -> int:
        """The log line of the last change of the asks (0: never set)."""
        with self.engine.connect() as db:
            at = db.execute(sa.select(settings.c.value).where(settings.c.key == "asks_at")
                            ).scalar_one_or_none()
        return int(at) if at else 0

    def set_asks(self, by: Person | None, query: str, version: int) -> None:
        """The board's asks as a query (planner.web.board.BoardState.query), changed from the
        version of the asks seen (asks_version): a change made from an older one is stale,
        whatever else changed meanwhile."""
        self.secretariat_only(by, "fix, leave out or suppose")
        with self._change(by, "asks", {"asks": query}) as db:
            at = db.execute(sa.select(settings.c.value).where(settings.c.key == "asks_at")
                            ).scalar_one_or_none()
            now = int(at) if at else 0
            if version != now:
                raise Stale("what the board supposes was changed since you saw it", now)
            self._put_asks(db, query)

    @staticmethod
    def _put_asks(db: sa.Connection, query: str) -> None:
        last = db.execute(sa.select(sa.func.max(log.c.id))).scalar_one() or 0
        for key, value in (("asks", query), ("asks_at", str(last + 1))):  # this change's line
            db.execute(settings.delete().where(settings.c.key == key))
            db.execute(settings.insert().values(key=key, value=value))

    # -- drawing lots

    def draw(self, by: Person | None, what: str, among: list[str], seed: str = "") -> Drawn:
        """A drawing of lots (the secretariat's), logged whole: what it decides, the names
        drawn from, the seed, the order and the result. The order is each name's SHA-256 with
        the seed (planner.domain.lots): anyone can repeat it from the log, and
        the order the names were given in plays no part."""
        from planner.domain.names import registry

        self.secretariat_only(by, "draw lots")
        problems: list[Problem] = []
        what = _text(what, "for", "what the drawing decides", problems)
        given = bool(seed.strip())
        seed = _text(seed, "seed", "the seed", problems, required=False) or secrets.token_hex(8)
        names: dict[str, str] = {}  # by the name as compared for look-alikes
        if len([n for n in among if n.strip()]) > MAX_DRAWN:
            problems.append(Problem(Where("among"), f"more than {MAX_DRAWN} names",
                                    "draw among fewer"))
            among = []
        for raw in among:
            if not raw.strip():
                continue
            name = _text(raw, "among", "a name drawn from", problems)
            name = registry().lookup(name) or name  # a State by its UN name
            if _same(name) in names:
                problems.append(Problem(Where("among"), f"{raw.strip()!r} is "
                                        f"{names[_same(name)]} again (or reads as it)",
                                        "give each name once: a name twice has two tickets"))
            names[_same(name)] = name
        if len(names) < 2:
            problems.append(Problem(Where("among"), "a drawing needs two names or more",
                                    "give each name drawn from, one a line"))
        earlier = next((line for line in self.log() if line.action == "draw"
                        and _same(str(line.detail.get("for", ""))) == _same(what)), None)
        if earlier is not None and what:
            problems.append(Problem(Where("for"), f"lots were drawn for {what} already (log "
                                    f"line {earlier.id}: {earlier.detail.get('drawn')}); "
                                    "that result stands", "a drawing is made once; name "
                                    "another question"))
        if problems:
            raise InputError(problems)
        ordered = sorted(names.values())
        order = drawn_order(seed, ordered)
        with self._change(by, "draw", {"for": what, "among": ordered, "seed": seed,
                                       "seed_given": given, "order": order,
                                       "drawn": order[0], "method": DRAW_METHOD}) as db:
            last = db.execute(sa.select(sa.func.max(log.c.id))).scalar_one() or 0
        return Drawn(last + 1, what, tuple(ordered), seed, tuple(order), given)

    def draws(self, lines: list[LogLine] | None = None) -> list[tuple[Drawn, bool]]:
        """Every drawing in the log (lines: the log as already read), each repeated from what
        the log holds: True where the repetition gives the order logged."""
        out = []
        for line in self.log() if lines is None else lines:
            if line.action == "draw":
                d = line.detail
                drawn = Drawn(line.id, d["for"], tuple(d["among"]), d["seed"],
                              tuple(d["order"]), bool(d.get("seed_given")))
                out.append((drawn, drawn_order(drawn.seed, list(drawn.among)) ==
                            list(drawn.order)))
        return out

    def version(self) -> int:
        """The log's last line: every change moves it on (a board polls it)."""
        with self.engine.connect() as db:
            return int(db.execute(sa.select(sa.func.max(log.c.id))).scalar_one() or 0)

    # -- the log

    def log(self, since: int = 0) -> list[LogLine]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(log).where(log.c.id > since).order_by(log.c.id))
            return [LogLine(r.id, r.at, r.who, r.action, json.loads(r.detail)) for r in rows]

