"""A conference profile: everything that is particular to one body, written as a TOML file.

A profile names the body's posts, the groups of States it uses, who may sit (parties to its
treaty, or members of the body), its hard rules and preferences (composed from the kinds in
planner.rules.kinds and planner.rules.preferences, each with its citation and wording), the
rotation of its posts and the fairness rules of its plans. The shipped profiles are in
planner/rules/profiles/; a secretariat adds a body by writing one more file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from planner.domain.body import (
    ELIGIBILITY_BASES,
    MEMBERSHIP,
    UN_REGIONAL_GROUPS,
    Body,
    GroupSpec,
    PostSpec,
)
from planner.domain.case import Case
from planner.errors import InputError, Problem, Problems, Where
from planner.io.paths import Refused, case_folder, given_file, named_file
from planner.io.tables import control_said
from planner.limits import (
    MAX_PROFILE_BYTES,
    MAX_PROFILE_DEPTH,
    MAX_SESSION,
    MAX_YEARS_BETWEEN_SESSIONS,
)
from planner.rules.base import Kind
from planner.rules.base import Profile as Profile
from planner.rules.fairness import FAIRNESS_KINDS
from planner.rules.kinds import CONDITIONS, KIND_ALIASES, RULE_KINDS
from planner.rules.preferences import PREFERENCE_KINDS, TIE_BREAK, SeatsFilled

DEFAULT_PROFILE = "untoc-cop"
UN_GROUPS = "un-regional-groups"
TOP_KEYS = {"name", "conference", "short", "source", "eligibility", "notes", "groups", "posts",
            "constituencies", "rotation", "rules", "preferences", "fairness", "default_case",
            "fairness_condition", "years_between_sessions", "extra_states", "serves",
            "open_seats"}
ROTATION_KEYS = {"post", "following", "follows", "published", "default_cycle", "default_start"}
COMMON_KEYS = {"kind", "id", "citation", "text", "label"}


# ---------------------------------------------------------------------------------------------
# Reading


class _Reader:
    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.problems = Problems()

    def bad(self, key: str, message: str, fix: str) -> None:
        self.problems.add(Where(self.shown, key=key), message, fix)

    def text(self, data: Mapping[str, Any], key: str, where: str, required: bool = True,
             default: str = "") -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.bad(where, "is missing", f"add {key} = \"...\"")
            return default
        if not isinstance(value, str) or not value.strip():
            self.bad(where, f"must be text, not {value!r}", f"write {key} = \"...\"")
            return default
        return value.strip()

    def integer(self, data: Mapping[str, Any], key: str, where: str, default: int,
                low: int = 0, high: int = 1000) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.bad(where, f"must be a whole number from {low} to {high}, not {value!r}",
                     f"write {key} = {max(default, low)}")
            return default
        return value

    def flag(self, data: Mapping[str, Any], key: str, where: str | None = None) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.bad(where or key, f"must be true or false, not {value!r}",
                     f"write {key} = true")
            return False
        return value

    def texts(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(where, f"must be a list of text, not {value!r}", f'write {key} = ["..."]')
            return ()
        return tuple(v.strip() for v in value)

    def tables(self, data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.bad(key, "must be a list of tables", f"write each entry as [[{key}]]")
            return []
        return value

    def unknown(self, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(data) - allowed):
            self.bad(f"{where}.{key}" if where else key, "is not a key of a profile here",
                     "allowed: " + ", ".join(sorted(allowed)))

    def choice(self, value: Any, allowed: Sequence[str], where: str) -> str | None:
        if value not in allowed:
            self.bad(where, f"{value!r} is not allowed", "allowed: " + ", ".join(allowed))
            return None
        return str(value)

    # -- parts

    def groups(self, data: Mapping[str, Any]) -> tuple[GroupSpec, ...]:
        value = data.get("groups", UN_GROUPS)
        if value == UN_GROUPS:
            return UN_REGIONAL_GROUPS
        if isinstance(value, str):
            self.bad("groups", f"{value!r} is not allowed",
                     f'allowed: "{UN_GROUPS}", or the groups as [[groups]] tables')
            return UN_REGIONAL_GROUPS
        out = []
        for i, g in enumerate(self.tables(data, "groups")):
            where = f"groups[{i}]"
            self.unknown(g, {"name", "short", "aliases"}, where)
            name = self.text(g, "name", f"{where}.name")
            out.append(GroupSpec(name, self.text(g, "short", f"{where}.short", False, name),
                                 self.texts(g, "aliases", f"{where}.aliases")))
        if not out:
            self.bad("groups", "names no group", f'write groups = "{UN_GROUPS}" or [[groups]]')
        return tuple(out)

    def posts(self, data: Mapping[str, Any]) -> tuple[PostSpec, ...]:
        out = []
        for i, p in enumerate(self.tables(data, "posts")):
            where = f"posts[{i}]"
            self.unknown(p, {"name", "count", "aliases"}, where)
            out.append(PostSpec(self.text(p, "name", f"{where}.name"),
                                self.integer(p, "count", f"{where}.count", 1, 1),
                                self.texts(p, "aliases", f"{where}.aliases")))
        if not out:
            self.bad("posts", "names no post", "add [[posts]] tables, the head post first")
        names = [p.name for p in out]
        for name in sorted({n for n in names if names.count(n) > 1}):
            self.bad("posts", f"post {name!r} is listed twice", "keep one")
        return tuple(out)

    def item(self, entry: dict[str, Any], where: str, kinds: Mapping[str, type[Kind]],
             body: Body) -> Any:
        """One rule or preference: its kind, its common keys, and each parameter its kind
        declares (Kind.params), read by the parameter's type and choices; then the kind's
        own check of how its parameters fit the body."""
        if "kind" not in entry:
            self.bad(f"{where}.kind", "is missing", "allowed: " + ", ".join(sorted(kinds)))
            return None
        given = KIND_ALIASES.get(entry["kind"], entry["kind"]) if isinstance(
            entry["kind"], str) else entry["kind"]
        kind = self.choice(given, sorted(kinds), f"{where}.kind")
        if kind is None:
            return None
        cls = kinds[kind]
        params = {name: (default, spec) for name, default, spec in cls.params()}
        self.unknown(entry, COMMON_KEYS | set(params), where)
        args: dict[str, Any] = {
            "id": self.text(entry, "id", f"{where}.id", False, kind),
            "citation": self.text(entry, "citation", f"{where}.citation"),
            "wording": self.text(entry, "text", f"{where}.text"),
            "label": self.text(entry, "label", f"{where}.label", False, ""),
        }
        for name, (default, spec) in params.items():
            key = f"{where}.{name}"
            if name not in entry:
                if spec.required:
                    self.bad(key, "is missing", f"a rule of kind {kind!r} says its {name} "
                             f"({spec.about}); see docs/rules.md")
                continue
            allowed = spec.choices or self.among(spec.among, body, key)
            if isinstance(default, bool):
                args[name] = self.flag(entry, name, key)
            elif isinstance(default, int):
                args[name] = self.integer(entry, name, key, default, spec.low, spec.high)
            elif isinstance(default, tuple):
                items = self.texts(entry, name, key)
                if spec.among == "posts":
                    # a post by its name, an alias, or numbered as records number seats
                    items = tuple(body.find_post(v) or v for v in items)
                if allowed is not None:
                    items = tuple(v for i, v in enumerate(items)
                                  if self.choice(v, allowed, f"{key}[{i}]") is not None)
                args[name] = items
            elif allowed is not None:
                value = entry[name]
                if spec.among == "posts" and isinstance(value, str):
                    value = body.find_post(value) or value
                args[name] = self.choice(value, allowed, key) or default
            else:
                args[name] = self.text(entry, name, key)
        made = cls(**args)
        for c in made.validate(body):
            self.bad(f"{where}.{c.key}", c.message, c.fix)
        return made

    def among(self, among: str, body: Body, key: str) -> Sequence[str] | None:
        """The values a parameter may take from the profile itself, by what it names."""
        if among == "posts":
            return body.post_names
        if among == "groups":
            return body.group_names
        if among == "constituencies":
            if not body.constituencies:
                self.bad(key, "names a constituency, but the profile names none",
                         'name it in the top-level list: constituencies = ["..."]')
            return body.constituencies
        return None

    def followers(self, rotation: Mapping[str, Any], posts: Sequence[str],
                  head: str | None) -> tuple[tuple[str, int], ...]:
        """The posts that follow the head post's rotation: `following = "Rapporteur"` (the
        group that held the head post at the session before), or [[rotation.follows]] tables
        with post and offset."""
        out: list[tuple[str, int]] = []
        if "following" in rotation:
            post = self.choice(rotation["following"], posts, "rotation.following")
            if post is not None:
                out.append((post, 1))
        for i, entry in enumerate(self.tables(rotation, "follows")):
            where = f"rotation.follows[{i}]"
            self.unknown(entry, {"post", "offset"}, where)
            post = self.choice(entry.get("post"), posts, f"{where}.post")
            offset = entry.get("offset", 1)
            if isinstance(offset, bool) or not isinstance(offset, int) or offset == 0 or not (
                    -50 <= offset <= 50):
                self.bad(f"{where}.offset", f"must be a whole number from -50 to 50 other than "
                         f"0, not {offset!r}", "write offset = 1 (the group that held the "
                         "head post at the session before) or -1 (the group next in line)")
            elif post is not None:
                out.append((post, offset))
        if out and head is None:
            self.bad("rotation", "names posts that follow the rotation but no post that "
                     "rotates", 'add post = "..." (the post whose group follows the cycle)')
        names = [p for p, _o in out]
        for post in sorted({p for p in names if names.count(p) > 1 or p == head}):
            self.bad("rotation", f"post {post!r} follows the rotation twice",
                     "name each post once")
        return tuple(out)

    def published(self, rotation: Mapping[str, Any], posts: Sequence[str],
                  groups: Sequence[str]) -> tuple[tuple[int, str, str], ...]:
        """A published rotation table: [[rotation.published]] with session, post (a rotating
        post: the head post or one that follows it) and group, one row a session and post."""
        out: dict[tuple[int, str], str] = {}
        for i, entry in enumerate(self.tables(rotation, "published")):
            where = f"rotation.published[{i}]"
            self.unknown(entry, {"session", "post", "group"}, where)
            session = self.integer(entry, "session", f"{where}.session", 1, 1, MAX_SESSION)
            post = self.choice(entry.get("post"), posts, f"{where}.post")
            group = self.choice(entry.get("group"), groups, f"{where}.group")
            if post is None or group is None:
                continue
            if out.get((session, post), group) != group:
                self.bad(where, f"session {session}'s {post} is given to the "
                         f"{out[(session, post)]} and to the {group}",
                         "keep one row for each session and post")
            out[(session, post)] = group
        return tuple(sorted((s, p, g) for (s, p), g in out.items()))

    def open_seats(self, data: Mapping[str, Any], body: Body) -> list[Any]:
        """The shorthand `open_seats = true` (any post) or a list of posts: the open_seats rule
        with the profile's own words."""
        value = data.get("open_seats")
        if value is None or value is False:
            return []
        if value is not True and not (isinstance(value, list) and value):
            self.bad("open_seats", "must be true or a list of posts",
                     "write open_seats = true, or open_seats = [\"Vice-President\"]")
            return []
        entry: dict[str, Any] = {
            "kind": "open_seats", "id": "open_seats", "label": "seats left open",
            "citation": "practice (the profile's open_seats)",
            "text": "A regional group that has not agreed its candidate may leave its seat "
                    "open pending its consultations, and the election goes ahead."}
        if isinstance(value, list):
            entry["posts"] = value
        return [self.item(entry, "open_seats", RULE_KINDS, body)]

    def hidden_controls(self, value: Any, key: str = "") -> None:
        """Every text of the profile (keys too) free of control and invisible formatting
        characters: a group's name with a direction override prints one name and is
        another."""
        if isinstance(value, str):
            said = control_said(value)
            if said is not None:
                self.bad(key or "(top)", f"holds a control or invisible formatting character "
                         f"({said}), which can make it read otherwise than it is",
                         "retype the text")
        elif isinstance(value, Mapping):
            for k, v in value.items():
                self.hidden_controls(k, f"{key}.{k}".lstrip(".") if isinstance(k, str) else key)
                self.hidden_controls(v, f"{key}.{k}".lstrip("."))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self.hidden_controls(v, f"{key}[{i}]")

    def read(self, data: Mapping[str, Any], path: str) -> Profile:
        self.hidden_controls(data)
        self.unknown(data, TOP_KEYS, "")
        name = self.text(data, "name", "name")
        eligibility = self.choice(data.get("eligibility", "treaty"), ELIGIBILITY_BASES,
                                  "eligibility") or "treaty"
        groups = self.groups(data)
        posts = self.posts(data)
        rotation = data.get("rotation", {})
        if not isinstance(rotation, dict):
            self.bad("rotation", "must be a table", "write [rotation] with post = \"...\"")
            rotation = {}
        self.unknown(rotation, ROTATION_KEYS, "rotation")
        post_names = [p.name for p in posts]
        rotating = (self.choice(rotation["post"], post_names, "rotation.post")
                    if "post" in rotation else None)
        followers = self.followers(rotation, post_names, rotating)
        group_names = [g.name for g in groups]
        rotating_posts = [*([rotating] if rotating else []), *(p for p, _o in followers)]
        published = self.published(rotation, rotating_posts, group_names)
        cycle = self.texts(rotation, "default_cycle", "rotation.default_cycle")
        if cycle and sorted(cycle) != sorted(group_names):
            self.bad("rotation.default_cycle", "must list every group once",
                     "allowed: " + ", ".join(group_names))
            cycle = ()
        body = Body(
            conference=self.text(data, "conference", "conference"),
            conference_short=self.text(data, "short", "short", False, name),
            groups=groups,
            posts=posts,
            eligibility=eligibility,
            constituencies=self.texts(data, "constituencies", "constituencies"),
            rotating_post=rotating,
            followers=followers,
            published=published,
            default_cycle=cycle,
            default_cycle_start=self.integer(rotation, "default_start", "rotation.default_start",
                                             1, 1),
            session_interval=self.integer(data, "years_between_sessions",
                                          "years_between_sessions", 1, 1,
                                          MAX_YEARS_BETWEEN_SESSIONS),
            extra_states=self.flag(data, "extra_states"),
            serves=self.texts(data, "serves", "serves"),
        )
        rules = [self.item(e, f"rules[{i}]", RULE_KINDS, body)
                 for i, e in enumerate(self.tables(data, "rules"))]
        rules.extend(self.open_seats(data, body))
        prefs = [self.item(e, f"preferences[{i}]", PREFERENCE_KINDS, body)
                 for i, e in enumerate(self.tables(data, "preferences"))]
        if not rules:
            self.bad("rules", "names no rule", "add [[rules]] tables; see planner profiles")
        default_case = data.get("default_case")
        if default_case is not None:
            from planner.io.reader import shipped_cases

            if not isinstance(default_case, str) or default_case not in shipped_cases():
                self.bad("default_case", f"{default_case!r} is not a shipped case",
                         "allowed: " + ", ".join(sorted(shipped_cases())))
        kinds = {r.kind for r in rules if r is not None}
        for needed in ("post_counts", "one_post_per_state", "eligibility"):
            if needed not in kinds and rules:
                self.bad("rules", f"has no rule of kind {needed!r}",
                         f"add [[rules]] with kind = \"{needed}\": every bureau needs it")
        ids = [x.id for x in (*rules, *prefs) if x is not None]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            self.bad("rules", f"id {dup!r} is used twice", "give each rule its own id")
        fairness = self.texts(data, "fairness", "fairness")
        for i, f in enumerate(fairness):
            self.choice(f, list(FAIRNESS_KINDS), f"fairness[{i}]")
        condition = data.get("fairness_condition")
        if condition is not None:
            condition = self.choice(condition, list(CONDITIONS), "fairness_condition")
        if eligibility == MEMBERSHIP and any(getattr(x, "condition", None) for x in
                                             (*rules, *prefs) if x is not None):
            self.bad("eligibility", "a body whose members sit has no treaty standing to ask "
                     "about", "drop the rules with a condition, or use eligibility = \"treaty\"")
        source = self.text(data, "source", "source")
        notes = self.texts(data, "notes", "notes")
        self.problems.raise_if_any()
        prefs_done = [p for p in prefs if p is not None and not p.planners_own]
        opened = next((r for r in rules if r is not None and r.kind == "open_seats"), None)
        if opened is not None:
            # before every preference: a seat stays open only where no slate fills it
            prefs_done.insert(0, SeatsFilled(
                "seats_filled", opened.citation, "Every seat the rules let be filled is "
                "filled: a seat is left open only where no valid slate fills it (seats left "
                "open; fewer is better).", label="seats left open"))
        return Profile(
            name=name,
            body=body,
            rules=tuple(r for r in rules if r is not None),
            preferences=(*prefs_done, TIE_BREAK),
            fairness=tuple(f for f in fairness if f in FAIRNESS_KINDS),
            fairness_reads=frozenset(r for f in fairness if f in FAIRNESS_KINDS
                                     for r in FAIRNESS_KINDS[f].reads),
            fairness_condition=condition,
            source=source,
            notes=notes,
            default_case=default_case if isinstance(default_case, str) else None,
            path=path,
        )


def read_profile(path: Path | str, shown: str | None = None) -> Profile:
    """A profile from a TOML file: a regular file within the profile bound, nested no deeper
    than the bound. Raises InputError naming every bad key."""
    p = Path(path)
    shown = shown or str(p)
    checked = given_file(p, "profile file", MAX_PROFILE_BYTES)
    if isinstance(checked, Refused):
        raise InputError([Problem(Where(shown), checked.message, checked.fix)])
    try:
        with p.open("rb") as f:
            raw = f.read(MAX_PROFILE_BYTES + 1)  # the file may have grown since it was looked at
    except OSError as exc:
        raise InputError([Problem(Where(shown), f"cannot read the profile: {exc.strerror}",
                                  "give the path of a profile .toml file, or a shipped name")]
                         ) from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise InputError([Problem(Where(shown), "the profile file is larger than the "
                                  f"{MAX_PROFILE_BYTES // 2**20} MiB it may have",
                                  "check that this is the right file")])
    try:
        text = raw.decode("utf-8")
        deep = _nesting(text)
        if deep > MAX_PROFILE_DEPTH:
            raise InputError([Problem(Where(shown), f"tables or lists are nested {deep} deep, "
                                      f"more than the {MAX_PROFILE_DEPTH} a profile may have",
                                      "write the profile as docs/profiles.md shows")])
        data = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        said = ("nested too deep" if isinstance(exc, RecursionError) else str(exc))
        raise InputError([Problem(Where(shown), f"not a valid TOML file: {said}",
                                  "fix the TOML syntax (https://toml.io)")]) from None
    return profile_from_data(data, shown)


def _nesting(text: str) -> int:
    """How deep brackets and braces nest outside strings and comments: a bound checked before
    the TOML parser, whose recursion a deeply nested file would exhaust. Strings are skipped
    as TOML writes them (basic and literal, single and triple quoted)."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and text[j:j + len(quote)] != quote:
                j += 2 if c == '"' and text[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return deepest


def profile_from_data(data: Mapping[str, Any], shown: str) -> Profile:
    """A profile from the data of a TOML file, read and checked as a file is."""
    return _Reader(shown).read(data, shown)


def _shipped_dir() -> Path:
    return Path(str(resources.files("planner.rules").joinpath("profiles")))


def shipped_profiles() -> dict[str, Path]:
    return {p.stem: p for p in sorted(_shipped_dir().glob("*.toml"))}


def load_profile(name_or_path: str | None = None) -> Profile:
    """A shipped profile by name, or a profile file by path (as a person gives it, on the
    command line); the UNTOC Conference by default."""
    arg = name_or_path or DEFAULT_PROFILE
    shipped = shipped_profiles()
    if arg in shipped:
        return read_profile(shipped[arg], arg)
    p = Path(arg)
    if p.suffix.lower() == ".toml" or p.exists():
        return read_profile(p)
    from planner.domain.names import did_you_mean_among

    raise InputError([Problem(Where(f"profile {arg!r}"), "no such profile",
                              did_you_mean_among(arg, sorted(shipped), "profile"))])


def open_case(path: Path | str, profile: str | None = None) -> tuple[Case, Profile]:
    """A case with its profile: the one asked for, else the one the case names in its session
    table (key `profile`): a shipped name, or a file in the case's own folder (planner.io.paths:
    never the working folder, never outside); else the UNTOC Conference's."""
    from planner.io.reader import load_case, named_profile

    named = named_profile(path)
    if named and not profile and named not in shipped_profiles():
        found = named_file(case_folder(Path(path)), named, "profile file", MAX_PROFILE_BYTES)
        if isinstance(found, Refused):
            raise InputError([Problem(
                Where(str(path), "session", None, "value", "profile"), found.message,
                f"{found.fix}, or name a shipped profile ({', '.join(shipped_profiles())}), or "
                "give the body's profile with --profile FILE")])
        # known by its full path from here on, so that it is never looked up again by name
        chosen = read_profile(found)
    else:
        chosen = load_profile(profile or named)
    return load_case(path, chosen.body), chosen


def profile_reference(profile: Profile) -> str:
    """What a case's session table says to name this profile: a shipped name, else the
    file's name."""
    if profile.name in shipped_profiles() and profile.path == profile.name:
        return profile.name
    # a file is named by its file name alone: it travels beside the case, which reads it
    # from its own folder only
    return Path(profile.path).name
