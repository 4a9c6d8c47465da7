"""Withdrawals and denunciations as the UN Treaty Collection's notes tell them in prose.

A participant's row does not always show that it left a treaty: Poland's row in XIV-7 is not in
brackets, yet note 6 says it withdrew with effect from 30 December 2017. The notes are read
sentence by sentence, in the wordings the Collection uses (each quoted below from a real file of
tests/data/untc-import): who gave notice, the day it takes effect (said in the notice's own
sentence, or in a following one that speaks of the withdrawal), whether the notice was itself
withdrawn or suspended, and whether the State consented again. Anything less sure is said, never
guessed: a sentence that speaks of a denunciation or a withdrawal by a participant in a wording
not read is returned too, to be quoted to the user. A withdrawal of a reservation or a
declaration ends no one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from planner.errors import Problems, Where
from planner.io.dates import DateError, parse_date

_DAY = r"\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}"
# a State's name as the notes write it: capitals and words, "St. Lucia" crossing its period;
# bounded, so that a long note is read in linear time
_NAME = r"(?P<name>[A-Z](?:[^,;:.()]|\.(?=\s+[A-Z][a-z])){0,80}?)"
# an aside between the name and the verb: "the Government of France, referring to article 20
# of the Convention, notified ..."
_ASIDE = r"(?:,[^,;.]{0,120},)?\s*"
_TOLD_SG = r"(?:had\s+)?(?:notified|informed)\s+the\s+Secretary[-\s]General\s+"
# not a withdrawal from the treaty: of a reservation, a declaration, an objection, a notice
_NOT_THE_TREATY = (r"(?!\s+(?:of|from)?\s*(?:[\w-]+\s+){0,3}(?:reservations?|declarations?|"
                   r"objections?|notifications?|communications?)\b)")
_NOTICES = (
    # "On 30 December 2016, the Government of Poland notified the Secretary-General of its
    # decision to withdraw from the Statutes which shall take effect on 30 December 2017" (XIV-7);
    # "... that it had decided to denounce the said Optional Protocol" (IV-5), "that it decided
    # to denounce" (XIX-37), "informed the Secretary-General that it had decided to denounce
    # the Agreement" (X-8)
    re.compile(r"Government\s+of\s+(?:the\s+)?" + _NAME + _ASIDE + _TOLD_SG +
               r"(?:of\s+its\s+decision\s+to|that\s+it\s+(?:had\s+)?decided\s+to)\s+"
               r"(?:withdraw\s+from|denounce)\b" + _NOT_THE_TREATY),
    # "... the Government of Jamaica notified the Secretary-General of its denunciation of the
    # Protocol." (IV-5)
    # "... informed the Secretary-General of the withdrawal of Canada form the Agreement
    # effective on 14 April 2013." (XIX-46)
    re.compile(r"Government\s+of\s+(?:the\s+)?" + _NAME + _ASIDE + _TOLD_SG +
               r"of\s+(?:its|the)\s+(?:denunciation\s+of|withdrawal\s+(?:from|of))\b"
               + _NOT_THE_TREATY),
    # "By a notification received by the Secretary-General on 2 April 1965, the Government of
    # Madagascar denounced the Convention; the denunciation took effect on 2 April 1966." (V-3)
    re.compile(r"Government\s+of\s+(?:the\s+)?" + _NAME + _ASIDE +
               r"(?:had\s+)?denounced\s+the\b"),
    # "The instrument of denunciation of the Protocol was deposited by the Government of New
    # Zealand on 17 December 1968 ..." (VI-14)
    re.compile(r"instrument\s+of\s+(?:denunciation|withdrawal)\b" + _NOT_THE_TREATY +
               r"[^.]{0,200}?deposited\s+by\s+the\s+Government\s+of\s+(?:the\s+)?" + _NAME +
               r"\s+on\b"),
    # "... the Secretary-General received from the Government of Bulgaria a notification of
    # denunciation of the said Convention." (XII-6)
    # "... received from the Government of the United States of America, a communication
    # notifying its withdrawal from the Optional Protocol." (III-8)
    re.compile(r"received\s+from\s+the\s+Government\s+of\s+(?:the\s+)?" + _NAME +
               r",?\s+an?\s+(?:notification|instrument|communication)\s+(?:of|notifying\s+its)"
               r"\s+(?:denunciation|withdrawal)\b" + _NOT_THE_TREATY),
    # "... a communication from the Government of Senegal denouncing this Convention" (XXI-1)
    re.compile(r"from\s+the\s+Government\s+of\s+(?:the\s+)?" + _NAME +
               r"\s+denouncing\s+(?:the|this|that|said)\b"),
)
# several States in one notice: "the Governments of France and Germany notified the
# Secretary-General of their decision to withdraw from the Convention"
_NOTICE_OF_MANY = re.compile(
    r"Governments\s+of\s+(?P<names>[A-Z](?:[^;:.()]|\.(?=\s+[A-Z][a-z])){0,300}?)\s+"
    r"(?:had\s+)?(?:notified|informed)\s+the\s+Secretary[-\s]General\s+(?:of\s+their\s+"
    r"decision\s+to|that\s+they\s+had\s+decided\s+to)\s+(?:withdraw\s+from|denounce)\b"
    + _NOT_THE_TREATY)
# "... which shall take effect on 30 December 2017" (XIV-7), "The withdrawal took effect on 28
# March 2014." (XXVII-10), "the date of effect being 14 May 2002" (XIV-7), "The action will
# become effective for Australia on 31 July 2007" (X-8), "with effect from 26 August 1998" (IV-5)
_EFFECT = re.compile(
    r"(?:(?:take|takes|took|taking)\s+effect|effective|with\s+effect|"
    r"date\s+of\s+effect\s+being|date\s+of\s+effect:?)\s+"
    r"(?:for\s+[A-Z][^,.;:]{0,80}?\s+)?"
    r"(?:on\s+|as\s+from\s+|from\s+)?(?P<day>" + _DAY + ")")
# a later sentence gives the day only if it speaks of the withdrawal itself
_ABOUT_IT = re.compile(r"withdr|denunc|denounc|\baction\b", re.I)
# a notice withdrawn, retracted or suspended before it took effect: "Subsequently, ... the
# Government of Brazil notified the Secretary-General that it had decided to withdraw its
# notification of withdrawal of 15 May 2001." (XIV-7); "... its decision to suspend the
# withdrawal from the Agreement." (X-8, Trinidad and Tobago)
_RECALLED = re.compile(
    r"(?:withdr[a-z]+|retract[a-z]*|revok[a-z]+|rescind[a-z]*|suspend[a-z]*)\s+(?:of\s+)?"
    r"(?:its|the|that|their)\s+(?:notification|notice|instrument)\s+of\s+(?:withdrawal|"
    r"denunciation)|(?:revok|rescind|suspend|retract)[a-z]*\s+(?:its|the)\s+(?:withdrawal|"
    r"denunciation)", re.I)
# a consent given again after the notice: "On that same date, the Government of Guyana
# re-acceded to the Optional Protocol with a reservation." (IV-5), "On 21 December 2016, Canada
# deposited with the Secretary-General an instrument of accession to the Convention." (XXVII-10)
_REJOINED = re.compile(r"re-?acceded|re-?accession|acceded\s+again|deposited\s+(?:with\s+the\s+"
                       r"Secretary[-\s]General\s+)?an\s+instrument\s+of\s+(?:accession|"
                       r"ratification|acceptance|approval)")
# the notice's own date: "On 5 January 1999, the Government of Guyana notified ..."
_ON_DAY = re.compile(r"\b[Oo]n\s+(?P<day>" + _DAY + r")")
# a sentence that may tell of a withdrawal in a wording not read
_MAYBE = re.compile(r"denounc[a-z]*\s+(?:the|this|that|said|its)\b|denunciation\s+(?:of|by|"
                    r"for)\b|withdr[a-z]*\s+from\s+(?:the|this|that|said)\b|withdrawal\s+of\s+"
                    r"[A-Z]", re.I)
_RESERVATION = re.compile(r"reservation|declaration|objection", re.I)
# a sentence ends at a full stop before a capital, unless the stop ends a short abbreviation
_SENTENCE_END = re.compile(r"(?<!\bSt)(?<!\bNo)(?<!\bart)(?<!\bvol)(?<!\bpara)(?<!\bp)"
                           r"(?<!\bMr)(?<!\bMs)(?<!\bDr)[.;]\s+(?=[A-Z\"(\[])")
_OTHER_GOVERNMENT = re.compile(r"Government\s+of\s+(?:the\s+)?" + _NAME + r"(?=[\s,])")
# sentences of one note read after its notice, for its day, its recall, a consent again
_FOLLOWING = 3
MAX_NOTE_CHARS = 100_000  # a note longer than this is read in its first part only, and said


@dataclass(frozen=True)
class Told:
    """A withdrawal or denunciation a note tells in prose."""

    name: str  # as the note writes it
    day: dt.date | None  # the day it takes effect, where the note says it
    notice: dt.date | None  # the day of the notice, where the note says it
    words: str  # the passage, for a message
    recalled: bool  # the notice was withdrawn, retracted or suspended before it took effect
    rejoined: bool  # the note tells of a consent given again after it


def sentences(text: str) -> list[str]:
    out, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        out.append(text[start:end.start() + 1].strip())
        start = end.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _day(text: str, shown: str, problems: Problems) -> dt.date | None:
    try:
        return parse_date(" ".join(text.split()))
    except DateError as exc:
        problems.add(Where(shown, column="notes"), f"{exc}, in a note: \"{text}\"",
                     "check the note; give the day with --effect STATE=DAY")
        return None


def _names(many: str) -> list[str]:
    """The names of a notice by several Governments: parted at commas, and at an "and" where
    the longest name the planner knows ends ("the United Kingdom of Great Britain and Northern
    Ireland and France" is two)."""
    from planner.domain.names import registry

    out = []
    for chunk in re.split(r",\s*(?:and\s+)?", many):
        words = chunk.strip().removeprefix("the ").split(" and ")
        while words:
            took = next((n for n in range(len(words), 0, -1)
                         if registry().lookup(" and ".join(words[:n]).strip())), len(words))
            out.append(" and ".join(words[:took]).strip())
            words = [w.removeprefix("the ") for w in words[took:]]
    return [n for n in out if n]


def _names_another(sentence: str, name: str) -> bool:
    """The sentence speaks of another Government than the notice's."""
    return any(" ".join(m.group("name").split()) not in (name, f"the {name}")
               and not name.startswith(" ".join(m.group("name").split()))
               for m in _OTHER_GOVERNMENT.finditer(sentence))


def read_note(text: str, shown: str, problems: Problems,
              notes: list[str]) -> tuple[list[Told], list[str]]:
    """The withdrawals a note tells, and its sentences that may tell of one in a wording not
    read."""
    if len(text) > MAX_NOTE_CHARS:
        notes.append(f"{shown}: a note of {len(text):,} characters is read in its first "
                     f"{MAX_NOTE_CHARS:,} only")
        text = text[:MAX_NOTE_CHARS]
    said = sentences(" ".join(text.split()))
    told: list[Told] = []
    unread: list[str] = []
    read_up_to = -1  # the sentences a notice read (its own and those after it) are not unread
    for i, sentence in enumerate(said):
        found = [(" ".join(m.group("name").split()), m) for r in _NOTICES
                 for m in r.finditer(sentence)]
        found += [(n, m) for m in _NOTICE_OF_MANY.finditer(sentence)
                  for n in _names(m.group("names"))]
        if not found:
            if i > read_up_to and _MAYBE.search(sentence) and not _RESERVATION.search(sentence):
                unread.append(sentence)
            continue
        later = []
        for following in said[i + 1:i + 1 + _FOLLOWING]:
            if any(r.search(following) for r in (*_NOTICES, _NOTICE_OF_MANY)):
                break  # the next notice's sentences are its own
            later.append(following)
        read_up_to = i + len(later)
        for name, match in found:
            on = None
            for m in _ON_DAY.finditer(sentence[:match.start()]):
                on = m  # the nearest date before the notice is its own
            notice = _day(on.group("day"), shown, problems) if on else None
            day = None
            effect_words = ""
            for where, candidate in [(sentence[match.end():], True),
                                     *((s, False) for s in later)]:
                if not candidate and (not _ABOUT_IT.search(where)
                                      or _names_another(where, name)):
                    continue
                effect = _EFFECT.search(where)
                if effect is None:
                    continue
                found_day = _day(effect.group("day"), shown, problems)
                # the withdrawal's own day comes after its notice: an earlier one is another
                # event's (a declaration's, an amendment's)
                if found_day is not None and (notice is None or found_day >= notice):
                    day, effect_words = found_day, "" if candidate else where
                    break
            own = [s for s in later if not _names_another(s, name)]
            recalled = any(_RECALLED.search(s) for s in own)
            rejoined = any(_REJOINED.search(s) for s in own)
            words = " ".join(x for x in (sentence, effect_words) if x)
            told.append(Told(name, day, notice, words, recalled, rejoined))
    return told, unread


def recalled_elsewhere(name: str, texts: list[str]) -> str:
    """A sentence of any note that withdraws or suspends this Government's notice (a recall
    told in a note of its own), or ""."""
    for text in texts:
        for sentence in sentences(" ".join(text[:MAX_NOTE_CHARS].split())):
            if name in sentence and _RECALLED.search(sentence) \
                    and not _names_another(sentence, name):
                return sentence
    return ""
