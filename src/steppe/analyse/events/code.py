"""Code events: who did what to whom, when and where, from the sentences of a document.

An event is found where a sentence holds a trigger: a verb or noun pattern of
the document's language (data/events/patterns/<language>.yaml) mapped to a
CAMEO code (data/events/cameo_codebook.yaml), whose PLOVER type comes from
the CAMEO-to-PLOVER crosswalk (data/events/cameo2plover.tsv). Per sentence:

1. Triggers: every pattern match; where two overlap, the longer wins (a word
   that is both verb and noun, "visita", "talks", is the noun after an
   article or preposition). Look-alikes listed as `not_triggers` win and are
   dropped.
2. Governed actions: an appeal, intent, demand, refusal or threat (CAMEO 02,
   03, 10, 12, 13) takes the next trigger of its clause as its complement
   (in Kazakh, where the governing verb comes last, the one before it), and
   the pair is one event coded by the codebook's `compose` tables: "agreed
   to meet" 036, "refused to meet" 125, "threatened to impose sanctions" 1312.
3. Roles: in Portuguese and English by position (the subject before an
   active verb, its object after it; the agent after "por"/"by" for a
   passive); in Russian and Kazakh by case first (the nominative is the
   subject wherever it stands: "Путина встретил Токаев"), then by position.
   A noun trigger takes only the actors attached to it ("visita de Putin ao
   Cazaquistão", "визит Путина", "Путиннің сапары"), or names no event.
   "A and B" as subject gives A as source and B as target. Actors are
   mentions of persons, countries, organisations, companies, blocs and
   media; an unresolved name is kept as raw text. Where the text says
   whose they are, actors take their country, as CAMEO codes them (in
   Portuguese and English; Russian and Kazakh mark such roles by case): a
   city that acts or is acted on stands for its country ("Berlin
   rejected"; not a dateline, nor a place after "em"/"in"/"de"); an
   unknown name introduced by a country and an office is that country
   ("Palestinian leader Yasser Arafat"), and so is a titled unknown target
   in a sentence naming the source's country alone ("Egyptian
   demonstrators ... President Hosni Mubarak"); a protest, show of force,
   coercion or attack in a place, with no target named, is aimed at the
   place's country ("shelled Juba").
4. Modality: a negation ("não assinou", "не подписали", "did not sign",
   "қол қоймады"), a denial ("опроверг"), a plan or a possibility ("plans
   to", "may", "pretende", "планирует", "жоспарлап отыр") marks the event
   `negated`: recorded, not a fact. An announced future ("will visit") is a
   statement of intent and coded as one (CAMEO 03); an announced refusal
   ("will not join") as a rejection (CAMEO 12).
5. When and where: the date expression of the sentence nearest the trigger,
   resolved against the publication date ("no dia 27 de novembro", "вчера",
   "в понедельник", "em 2024"), else the publication date itself; the place
   introduced as one ("em Astana", "в Астане", "Астанада"). A visit to a
   city is a visit to its country. What is coded as having happened is not
   dated after publication (FUTURE_SLACK_DAYS): a date written without its
   year is then the past one; a statement about a future action ("will
   visit in December") is dated at publication; any other fact dated in the
   future is a plan and marked `negated`.

Only sentences in which a trigger may start are tokenised and coded: one
regular expression pass over the document finds the words that begin a
pattern (`candidate_sentences`); the others cannot code an event.

Events with the same source, target, code, date and negation in one document
are one event; every trigger span that produced it is kept as evidence.
"""

from __future__ import annotations

import bisect
import calendar
import csv
import functools
import itertools
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any, NamedTuple

import ahocorasick
import yaml

from steppe.analyse.names.mentions import Mention, language_data, normalise_for_matching
from steppe.analyse.names.registry import Registry, load_registry
from steppe.dates import MONTH_NAMES

__all__ = [
    "DATE_PRECISIONS",
    "EVENT_LANGUAGES",
    "PLOVER_TYPES",
    "CameoCode",
    "Event",
    "EventDataError",
    "code_events",
    "compose",
    "load_codebook",
    "load_crosswalk",
    "load_patterns",
    "plover_type",
]

EVENT_LANGUAGES = ("pt", "en", "ru", "kk")
PLOVER_TYPES = frozenset(
    {
        "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE",
        "REQUEST", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT",
    }
)  # PLOVER manual 2021: 16 event types
ACTOR_TYPES = frozenset({"person", "country", "organization", "company", "bloc", "media"})
PLACE_TYPES = frozenset({"city", "region", "country"})
DATE_PRECISIONS = ("day", "month", "year", "publication")

# Confidence by how the event was found: a verb with both actors resolved is
# the pattern the coder gets right most often; every missing or unresolved
# actor, and a noun trigger (which names an event without asserting it),
# makes it less sure.
CONFIDENCE_BOTH = 0.9
CONFIDENCE_ONE = 0.7
CONFIDENCE_NONE = 0.5
NOUN_PENALTY = 0.15
UNRESOLVED_PENALTY = 0.1

GAP = 3  # "..." in a pattern skips up to this many words
GOVERN_WINDOW = 8  # a complement starts at most this many words after its governor
TARGET_WINDOW = 12  # a verb's object starts at most this many words after it
NOUN_WINDOW = 5  # a noun's attached actors stand at most this many words from it
# A fact may be dated at most this many days after publication (time zones,
# a date line written the evening before): steppe.gate.cross's
# EVENT_DATE_SLACK_DAYS checks the same in the release.
FUTURE_SLACK_DAYS = 1
PLACE_TARGET_ROOTS = ("14", "15", "16", "17", "18", "19", "20")  # protest, force posture, reduce relations, coerce, assault, fight, mass violence
GOVERNING_ROOTS = ("02", "03", "10", "12", "13")  # appeal, intent, demand, reject, threaten: they take a complement

_DATA = "data/events"


class EventDataError(ValueError):
    """The event reference data is invalid; the message names the file, the entry and what was expected."""


# --- Codebook and crosswalk -----------------------------------------------------------------


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    quad_class: int
    goldstein: float
    root: str
    plover_type: str | None


_CODE = re.compile(r"^\d{2,4}$")


def _data_file(name: str) -> Traversable:
    return resources.files("steppe").joinpath(_DATA, name)


def _read_yaml(source: Traversable) -> Any:
    try:
        return yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise EventDataError(f"{source}: not valid YAML: {err}") from None


@functools.cache
def _codebook_data() -> tuple[Mapping[str, tuple[str, float, int]], Mapping[str, Mapping[str, str]]]:
    source = _data_file("cameo_codebook.yaml")
    data = _read_yaml(source)
    if not isinstance(data, dict) or set(data) != {"codes", "compose"}:
        raise EventDataError(f"{source}: expected a mapping with exactly the keys 'codes' and 'compose'")
    problems: list[str] = []
    quads: dict[str, int] = {}
    codes: dict[str, tuple[str, float, int]] = {}
    for code, entry in data["codes"].items():
        where = f"{source}: code {code!r}"
        if not isinstance(code, str) or not _CODE.match(code):
            problems.append(f"{where}: a code is a quoted string of 2 to 4 digits")
            continue
        if not isinstance(entry, dict) or not {"name", "goldstein"} <= set(entry) <= {"name", "goldstein", "quad_class"}:
            problems.append(f"{where}: expected name, goldstein and (on roots only) quad_class")
            continue
        goldstein = entry["goldstein"]
        if not isinstance(goldstein, (int, float)) or not -10 <= goldstein <= 10:
            problems.append(f"{where}: goldstein must be a number from -10 to 10")
            continue
        if len(code) == 2:
            if entry.get("quad_class") not in (1, 2, 3, 4):
                problems.append(f"{where}: a root needs quad_class 1, 2, 3 or 4")
                continue
            quads[code] = entry["quad_class"]
        elif "quad_class" in entry:
            problems.append(f"{where}: quad_class belongs to the root {code[:2]!r} only")
        codes[code] = (str(entry["name"]), float(goldstein), 0)
    for code in list(codes):
        if code[:2] not in quads:
            problems.append(f"{source}: code {code!r} has no root {code[:2]!r}")
        else:
            name, goldstein, _ = codes[code]
            codes[code] = (name, goldstein, quads[code[:2]])
    compose_tables: dict[str, dict[str, str]] = {}
    for governor, table in (data["compose"] or {}).items():
        if governor not in quads or not isinstance(table, dict):
            problems.append(f"{source}: compose {governor!r}: expected a root with a mapping of codes")
            continue
        for governed, result in table.items():
            if governed not in codes or result not in codes:
                problems.append(f"{source}: compose {governor!r}: {governed!r} -> {result!r} names a code not in the codebook")
        compose_tables[governor] = {str(k): str(v) for k, v in table.items()}
    if problems:
        raise EventDataError("\n".join(problems))
    return MappingProxyType(codes), MappingProxyType(compose_tables)


@functools.cache
def load_crosswalk() -> Mapping[str, str]:
    """CAMEO code -> PLOVER type, from data/events/cameo2plover.tsv (two-digit heading lines left out)."""
    source = _data_file("cameo2plover.tsv")
    codes, _ = _codebook_data()
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = "cameo_code\tplover_type\tmode\tcontext\tdescription\torigin"
    if not lines or lines[0] != header:
        raise EventDataError(f"{source}: the first line after the comments must be the header {header!r}")
    mapping: dict[str, str] = {}
    problems = []
    for number, row in enumerate(csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
        if len(row) != 6:
            problems.append(f"{source}: data line {number}: expected 6 tab-separated columns, found {len(row)}")
            continue
        code, ptype, *_ = row
        if code not in codes:
            problems.append(f"{source}: data line {number}: {code!r} is not in the CAMEO codebook")
        elif ptype not in PLOVER_TYPES:
            problems.append(f"{source}: data line {number}: {ptype!r} is not a PLOVER type")
        elif len(code) == 2:
            continue  # headings: 08 is both CONCEDE and RETREAT, so a root alone says nothing
        elif mapping.setdefault(code, ptype) != ptype:
            problems.append(f"{source}: data line {number}: {code!r} is mapped to both {mapping[code]} and {ptype}")
    if problems:
        raise EventDataError("\n".join(problems))
    return MappingProxyType(mapping)


def plover_type(cameo_code: str) -> str | None:
    """The PLOVER type of a CAMEO code by the crosswalk (a four-digit code not listed takes its parent's); None for 01x."""
    crosswalk = load_crosswalk()
    return crosswalk.get(cameo_code) or crosswalk.get(cameo_code[:3])


@functools.cache
def load_codebook() -> Mapping[str, CameoCode]:
    """Every CAMEO code (roots included) with its name, quad class, Goldstein score, root and PLOVER type."""
    codes, _ = _codebook_data()
    return MappingProxyType(
        {
            code: CameoCode(code, name, quad, goldstein, code[:2], plover_type(code) if len(code) > 2 else None)
            for code, (name, goldstein, quad) in codes.items()
        }
    )


def compose(governor: str, governed: str) -> str:
    """The code of `governor` (an appeal, intent, demand, refusal or threat) applied to the action `governed`."""
    _, tables = _codebook_data()
    table = tables.get(governor[:2])
    if table is None:
        return governor
    for key in (governed, governed[:3], governed[:2]):
        if key in table:
            return table[key]
    return governor


# --- Patterns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One word of a pattern: exact forms and stems (a stem matches any word it begins), or a gap."""

    exact: frozenset[str] = frozenset()
    stems: tuple[str, ...] = ()
    gap: int = 0

    def matches(self, word: str) -> int | None:
        """How many letters of `word` the step fixes (the whole word, or the stem), or None."""
        if word in self.exact:
            return len(word)
        best = None
        for stem in self.stems:
            if word.startswith(stem) and (best is None or len(stem) > best):
                best = len(stem)
        return best


@dataclass(frozen=True)
class Trigger:
    code: str
    steps: tuple[Step, ...]
    form: str  # as written in the YAML, for curators
    noun: bool
    passive: bool
    of: str  # what a genitive complement of a noun is: "source" or "target"
    roles: str  # "default" or "speaker" (the actor before the subject says what the subject must do)
    negated: bool = False  # the form is itself negative (Kazakh "қолдамады")
    ignored: bool = False  # a look-alike that is no trigger ("келісім", an agreement, beside "келісті", agreed)


@dataclass(frozen=True)
class LanguagePatterns:
    language: str
    triggers: tuple[Trigger, ...]
    cues: Mapping[str, tuple[Step, ...]]
    window: int
    grammar: Mapping[str, frozenset[str]]
    case_roles: bool
    case_word: str  # which word of a role phrase carries its case: "first" (президента России) or "last" (Қазақстан Президентінің)
    complement_before: bool  # Kazakh: the governing verb follows its complement
    subject_first: bool  # Kazakh: the subject is the first nominative of the clause, not the nearest
    suffixes: Mapping[str, tuple[str, ...]]  # kk: case -> endings after a name
    relative_days: Mapping[str, int]
    weekdays: tuple[tuple[Step, int], ...]
    year_words: frozenset[str]
    by_first_word: Mapping[str, tuple[Trigger, ...]]
    by_first_stem: Mapping[str, tuple[Trigger, ...]]
    max_stem: int
    # Where a pattern may start (see `candidate_sentences`): a token that is
    # the first word of a trigger or of a look-alike, or begins with its stem.
    # One pass over the document finds the sentences worth tokenising.
    pattern_starts: re.Pattern[str]
    # The same words and stems as an Aho-Corasick automaton (see `pattern_start_offsets`).
    start_words: Any
    cue_starts: re.Pattern[str]  # where a modality cue may start (see `cue_index`)
    # Lookups by word (triggers and cues that may start at it, date words),
    # filled as words are met; not part of the patterns' identity.
    lookups: dict[Any, dict[str, Any]] = field(default_factory=dict, compare=False, hash=False, repr=False)


_CUE_KINDS = (
    "negation", "negation_after", "quantifier_negation", "denial", "denial_after",
    "plan", "plan_after", "possibility", "possibility_after", "intent", "refusal",
)
_GRAMMAR_KEYS = (
    "auxiliaries", "participle_endings", "agent_markers", "agent_postpositions", "coordinators", "possessives",
    "genitive_markers", "target_markers", "between_markers", "location_markers", "negative_infixes", "articles",
    "fronted_clause_openers", "office_words", "place_modifiers",
)
_TRIGGER_KEYS = {"code", "forms", "noun", "passive", "of", "roles", "negated"}
_TOP_KEYS = {
    "language", "window", "cues", "grammar", "case_roles", "case_word", "complement", "subject", "suffixes", "dates", "triggers", "not_triggers",
}


def _parse_word(text: str, where: str) -> Step:
    if text.startswith("..."):
        if text == "...":
            return Step(gap=GAP)
        if text[3:].isdigit() and 0 < int(text[3:]) <= 8:
            return Step(gap=int(text[3:]))
        raise EventDataError(f"{where}: bad gap {text!r}: '...' or '...N' with N from 1 to 8")
    exact, stems = set(), []
    for alt in text.split("|"):
        alt = normalise_for_matching(alt.strip())
        if not alt or alt == "*" or " " in alt:
            raise EventDataError(f"{where}: bad word {text!r}: alternatives are words or stems ending in '*'")
        if alt.endswith("*"):
            stems.append(alt[:-1])
        else:
            exact.add(alt)
    return Step(frozenset(exact), tuple(stems))


def _parse_form(form: Any, where: str) -> tuple[Step, ...]:
    if not isinstance(form, str) or not form.strip():
        raise EventDataError(f"{where}: a form is a non-empty string")
    steps = tuple(_parse_word(word, where) for word in form.split())
    if steps[0].gap or steps[-1].gap:
        raise EventDataError(f"{where}: {form!r}: a form may not start or end with '...'")
    return steps


def _word_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise EventDataError(f"{where}: expected a list of words")
    for v in value:
        if not isinstance(v, str) or not v or " " in v:
            # YAML reads bare no, on, yes as booleans: quote them.
            raise EventDataError(f"{where}: {v!r} is not a single word (quote words such as \"no\" or \"on\")")
    return tuple(normalise_for_matching(v) for v in value)


@functools.cache
def load_patterns(language: str) -> LanguagePatterns:
    """The trigger patterns, cues and grammar words of one language, validated."""
    if language not in EVENT_LANGUAGES:
        raise EventDataError(f"no event patterns for language {language!r} (expected one of {', '.join(EVENT_LANGUAGES)})")
    source = _data_file(f"patterns/{language}.yaml")
    data = _read_yaml(source)
    if not isinstance(data, dict) or data.get("language") != language:
        raise EventDataError(f"{source}: expected a mapping with language: {language}")
    if unknown := set(data) - _TOP_KEYS:
        raise EventDataError(f"{source}: unknown keys {sorted(unknown)} (expected {sorted(_TOP_KEYS)})")
    codes, _ = _codebook_data()

    cues_data = data.get("cues") or {}
    if unknown := set(cues_data) - set(_CUE_KINDS):
        raise EventDataError(f"{source}: cues: unknown kinds {sorted(unknown)} (expected {list(_CUE_KINDS)})")
    cues = {kind: tuple(_parse_form(c, f"{source}: cues.{kind}") for c in cues_data.get(kind) or ()) for kind in _CUE_KINDS}

    grammar_data = data.get("grammar") or {}
    if unknown := set(grammar_data) - set(_GRAMMAR_KEYS):
        raise EventDataError(f"{source}: grammar: unknown keys {sorted(unknown)} (expected {list(_GRAMMAR_KEYS)})")
    grammar = {key: frozenset(_word_list(grammar_data.get(key), f"{source}: grammar.{key}")) for key in _GRAMMAR_KEYS}

    suffixes = {case: _word_list(words, f"{source}: suffixes.{case}") for case, words in (data.get("suffixes") or {}).items()}
    dates = data.get("dates") or {}
    relative = {normalise_for_matching(k): int(v) for k, v in (dates.get("relative") or {}).items()}
    weekdays = []
    for form, day in (dates.get("weekdays") or {}).items():
        if day not in range(7):
            raise EventDataError(f"{source}: dates.weekdays.{form}: expected 0 (Monday) to 6 (Sunday)")
        weekdays.append((_parse_word(form, f"{source}: dates.weekdays"), day))
    year_words = frozenset(_word_list(dates.get("year_words"), f"{source}: dates.year_words"))

    case_word, complement = data.get("case_word", "first"), data.get("complement", "after")
    if case_word not in ("first", "last") or complement not in ("before", "after") or data.get("subject", "nearest") not in ("first", "nearest"):
        raise EventDataError(f"{source}: case_word is first or last; complement is before or after; subject is first or nearest")

    triggers = []
    for number, entry in enumerate(data.get("triggers") or (), start=1):
        where = f"{source}: trigger {number}"
        if not isinstance(entry, dict) or not {"code", "forms"} <= set(entry) or set(entry) - _TRIGGER_KEYS:
            raise EventDataError(f"{where}: expected code, forms and optionally {sorted(_TRIGGER_KEYS - {'code', 'forms'})}")
        code = entry["code"]
        if code not in codes or len(code) < 3:
            raise EventDataError(f"{where}: code {code!r} is not a CAMEO code of the codebook (quote it: \"043\")")
        of = entry.get("of", "source")
        roles = entry.get("roles", "default")
        if of not in ("source", "target") or roles not in ("default", "speaker"):
            raise EventDataError(f"{where}: 'of' is source or target; 'roles' is default or speaker")
        for form in entry["forms"]:
            triggers.append(
                Trigger(
                    code, _parse_form(form, where), form, bool(entry.get("noun")), bool(entry.get("passive")), of, roles,
                    negated=bool(entry.get("negated")),
                )
            )
    for form in data.get("not_triggers") or ():
        # Forms that win the longest-match contest and are then dropped.
        triggers.append(Trigger("010", _parse_form(form, f"{source}: not_triggers"), form, False, False, "source", "default", ignored=True))
    if not triggers:
        raise EventDataError(f"{source}: no triggers")

    by_word: dict[str, list[Trigger]] = {}
    by_stem: dict[str, list[Trigger]] = {}
    for t in triggers:
        for word in t.steps[0].exact:
            by_word.setdefault(word, []).append(t)
        for stem in t.steps[0].stems:
            by_stem.setdefault(stem, []).append(t)
    all_exact = [w for t in triggers for w in t.steps[0].exact]
    all_stems = [w for t in triggers for w in t.steps[0].stems]
    return LanguagePatterns(
        language=language,
        triggers=tuple(triggers),
        cues=MappingProxyType(cues),
        window=int(data.get("window", 4)),
        grammar=MappingProxyType(grammar),
        case_roles=bool(data.get("case_roles")),
        case_word=case_word,
        complement_before=complement == "before",
        subject_first=data.get("subject", "nearest") == "first",
        suffixes=MappingProxyType(suffixes),
        relative_days=MappingProxyType(relative),
        weekdays=tuple(weekdays),
        year_words=year_words,
        by_first_word=MappingProxyType({k: tuple(v) for k, v in by_word.items()}),
        by_first_stem=MappingProxyType({k: tuple(v) for k, v in by_stem.items()}),
        max_stem=max((len(s) for s in by_stem), default=0),
        pattern_starts=_starts_pattern(all_exact, all_stems),
        start_words=_start_automaton(
            all_exact, all_stems,
            [w for t in triggers if len(t.steps) == 1 and not t.ignored for w in t.steps[0].exact],
            [w for t in triggers if len(t.steps) == 1 and not t.ignored for w in t.steps[0].stems],
        ),
        cue_starts=_starts_pattern(
            [w for cs in cues.values() for steps in cs for w in steps[0].exact], [w for cs in cues.values() for steps in cs for w in steps[0].stems]
        ),
    )


def _prefix_regex(exact: Iterable[str], stems: Iterable[str]) -> str:
    """A regular expression for a token that is one of `exact` or begins with one of `stems`, as a trie.

    It matches at the token's first letter and looks no further than the
    words themselves (and, after an exact word, that the token ends). A word
    with a stem of the set as its prefix is left out: the stem matches
    wherever it would.
    """
    trie: dict[str, dict] = {}
    for word, kind in sorted({(w, "stem") for w in stems} | {(w, "exact") for w in exact}, key=lambda x: (len(x[0]), x[1] != "stem")):
        node = trie
        for ch in word:
            if node.get("") == "stem":
                break
            node = node.setdefault(ch, {})
        else:
            if node.get("") != "stem":
                node[""] = kind
            if kind == "stem":
                for key in [k for k in node if k]:
                    del node[key]

    def branch(node: dict) -> str:
        if node.get("") == "stem":
            return ""
        alternatives = [re.escape(ch) + branch(child) for ch, child in sorted((k, v) for k, v in node.items() if k)]
        if node.get("") == "exact":
            alternatives.append(_TOKEN_ENDS)
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return branch(trie) if trie else "(?!)"


# A word token (see `_TOKEN`) ends where no word character, and no hyphen or
# apostrophe with one after it, follows.
_TOKEN_ENDS = r"(?![\w]|[-'’]\w)"


def _starts_pattern(exact: Iterable[str], stems: Iterable[str]) -> re.Pattern[str]:
    """Where a token that is one of `exact` or begins with a stem may start.

    A token starts where no letter (or underscore) precedes: `_TOKEN` takes
    the whole run of word characters, and only a number with separators
    ("1.5") may end just before a word character. The lookahead makes every
    position a candidate, so no match hides another.
    """
    return re.compile(f"(?<![^\\W\\d])(?={_prefix_regex(exact, stems)})")


def _start_automaton(exact: Iterable[str], stems: Iterable[str], one_word_exact: Iterable[str], one_word_stems: Iterable[str]) -> Any:
    """An Aho-Corasick automaton of the words and stems: word -> (length, is a stem, is a one-word
    trigger's stem, is a one-word trigger's exact word)."""
    stems, one_word_exact, one_word_stems = set(stems), set(one_word_exact), set(one_word_stems)
    automaton = ahocorasick.Automaton()
    for word in sorted(set(exact) | stems):
        automaton.add_word(word, (len(word), word in stems, word in one_word_stems, word in one_word_exact))
    automaton.make_automaton()
    return automaton


_LETTER = re.compile(r"[^\W\d]")
_TOKEN_ENDS_AT = re.compile(_TOKEN_ENDS)


def pattern_start_offsets(norm: str, patterns: LanguagePatterns) -> tuple[list[int], list[int]]:
    """The offsets where `patterns.pattern_starts` matches in `norm`, found with its automaton, and
    those of them where a one-word trigger matches (where `_trigger_matches_at` needs no tokens).

    The same places as the regular expression (no letter before; a stem
    begins there, or an exact word that ends as a token does), in order: one
    pass of the automaton over the text costs much less than trying the
    regular expression at every offset.
    """
    found = set()
    one_word = set()
    for end, (length, is_stem, one_word_stem, one_word_exact) in patterns.start_words.iter(norm):
        start = end - length + 1
        if start > 0 and _LETTER.match(norm, start - 1):
            continue
        whole = None
        if is_stem or (whole := bool(_TOKEN_ENDS_AT.match(norm, end + 1))):
            found.add(start)
        if one_word_stem or (one_word_exact and (whole if whole is not None else _TOKEN_ENDS_AT.match(norm, end + 1))):
            one_word.add(start)
    return sorted(found), sorted(one_word)


# --- Tokens -------------------------------------------------------------------------------------------

# Numbers keep their separators ("25,000", "5.1") so that a pattern gap can cross them.
_TOKEN = re.compile(r"\d+(?:[.,/]\d+)+|\w+(?:[-'’]\w+)*|[.,;:!?()«»\"“”„—–]")
_WORD_CHAR = re.compile(r"\w")
_CUT_AFTER = re.compile(r"\w|[-'’]\w|[.,/]\d")  # a token would go on past this point
_CLAUSE_PUNCT = frozenset(";:()—–")  # never crossed by a pattern, a cue or an actor search
_PUNCT = frozenset(".,;:!?()«»\"“”„—–")
_QUOTES = frozenset("«»\"“”„")


class Token(NamedTuple):
    """A word or punctuation mark; a named tuple, since every sentence makes dozens and they are read a lot."""

    start: int
    end: int
    word: str  # normalised: lower case, plain hyphens and apostrophes, е for ё
    is_punct: bool


_new_tuple = tuple.__new__  # builds a Token without the keyword handling of its constructor: tokenising is a hot loop


def tokenize(norm: str, start: int, end: int) -> list[Token]:
    """Word and punctuation tokens of norm[start:end]; `norm` is normalise_for_matching(text), offsets are the text's."""
    return [_new_tuple(Token, (m.start(), m.end(), w, w in _PUNCT)) for m in _TOKEN.finditer(norm, start, end) for w in (m.group(),)]


def _match_steps(steps: Sequence[Step], tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """(index after the last matched token, letters fixed) if the steps match from token i, else None."""
    if not steps:
        return i, 0
    step = steps[0]
    if step.gap:
        for skip in range(0, step.gap + 1):
            j = i + skip
            if j > len(tokens) or any(t.is_punct for t in tokens[i:j]):
                break
            found = _match_steps(steps[1:], tokens, j)
            if found:
                return found
        return None
    if i >= len(tokens) or tokens[i].is_punct:
        return None
    fixed = step.matches(tokens[i].word)
    if fixed is None:
        return None
    rest = _match_steps(steps[1:], tokens, i + 1)
    return (rest[0], rest[1] + fixed) if rest else None


def _cues_starting(patterns: LanguagePatterns, word: str) -> Mapping[str, tuple[tuple[Step, ...], ...]]:
    """Cue kind -> the cues of that kind whose first word matches `word`, in their order: most words start none."""
    cache = patterns.lookups.setdefault("cues", {})
    found = cache.get(word)
    if found is None:
        found = {}
        for kind, cues in patterns.cues.items():
            if starting := tuple(steps for steps in cues if steps[0].matches(word) is not None):
                found[kind] = starting
        if len(cache) < _CANDIDATE_CACHE_SIZE:
            cache[word] = found
    return found


# --- Triggers in a sentence --------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    trigger: Trigger
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # char offsets in the document
    end: int
    fixed: int  # letters fixed by the pattern: more is more specific
    stem_rest: str  # what follows the stem in the last word (for Kazakh negative infixes)


# The triggers that may start at a word, kept with the language's patterns:
# words recur across sentences and documents, and looking up every stem
# length of every word was a large cost.
_CANDIDATE_CACHE_SIZE = 200_000  # words per lookup table


def _candidates(patterns: LanguagePatterns, word: str) -> tuple[Trigger, ...]:
    cache = patterns.lookups.setdefault("triggers", {})
    found = cache.get(word)
    if found is None:
        out = list(patterns.by_first_word.get(word, ()))
        for k in range(1, min(len(word), patterns.max_stem) + 1):
            out.extend(patterns.by_first_stem.get(word[:k], ()))
        found = tuple(out)
        if len(cache) < _CANDIDATE_CACHE_SIZE:
            cache[word] = found
    return found


def find_triggers(tokens: Sequence[Token], patterns: LanguagePatterns, starts: frozenset[int] | None = None) -> list[Match]:
    """Every trigger match, overlaps settled in favour of the longest and most specific, in text order.

    `starts`, if given, limits the search to the tokens that begin at those offsets.
    """
    found: list[Match] = []
    for i, token in enumerate(tokens):
        if token.is_punct or (starts is not None and token.start not in starts):
            continue
        for trigger in _candidates(patterns, token.word):
            m = _match_steps(trigger.steps, tokens, i)
            if m is None:
                continue
            end_index, fixed = m
            last = end_index - 1
            last_step = trigger.steps[-1]
            last_word = tokens[last].word
            stem = max((s for s in last_step.stems if last_word.startswith(s)), key=len, default=None)
            rest = last_word[len(stem) :] if stem is not None and last_word not in last_step.exact else ""
            found.append(Match(trigger, i, last, tokens[i].start, tokens[last].end, fixed, rest))
    # A word that is both a verb and a noun ("visita", "talks", "визит") is the
    # noun after a determiner or preposition ("a visita", "sua visita", "da
    # visita"), else the verb ("Putin visita o Cazaquistão").
    g = patterns.grammar
    determiners = g["articles"] | g["possessives"] | g["genitive_markers"] | g["location_markers"] | g["target_markers"]

    def reads_as_noun(m: Match) -> bool:
        if not g["articles"]:
            return m.trigger.noun  # no articles (Russian, Kazakh): noun and verb forms differ, the longer form decides
        return m.first > 0 and tokens[m.first - 1].word in determiners

    found.sort(key=lambda m: (-(m.last - m.first), m.trigger.noun != reads_as_noun(m), -m.fixed, m.first))
    chosen: list[Match] = []
    for m in found:
        if all(m.last < c.first or m.first > c.last for c in chosen):
            chosen.append(m)
    return sorted((m for m in chosen if not m.trigger.ignored), key=lambda m: m.first)


# --- Actors and places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    start: int
    end: int
    first: int  # token indices, inclusive
    last: int
    entity_id: str | None
    entity_type: str | None
    text: str  # the name as written (the last part of an apposition)
    case: str  # "nom", "gen", "loc", "obl" (Russian and Kazakh), or "" where case is not used
    country: str | None


_TOKEN_START = operator.itemgetter(0)
_TOKEN_END = operator.itemgetter(1)


def _token_index(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """The first and last of the tokens that overlap [start, end): tokens are in order and do not overlap."""
    first = bisect.bisect_right(tokens, start, key=_TOKEN_END)  # the first token ending after start
    last = bisect.bisect_left(tokens, end, key=_TOKEN_START) - 1  # the last token starting before end
    return (first, last) if first <= last else None


def _outermost(mentions: Iterable[Mention]) -> list[Mention]:
    """Drop mentions inside longer ones: "presidente do Cazaquistão" is the person, not the country in it."""
    ordered = sorted(mentions, key=lambda m: (m.char_start, -(m.char_end - m.char_start)))
    kept: list[Mention] = []
    for m in ordered:
        if kept and m.char_start >= kept[-1].char_start and m.char_end <= kept[-1].char_end:
            continue
        kept.append(m)
    return kept


def _grammatical_case(m: Mention, word_end: str, patterns: LanguagePatterns, registry: Registry) -> str:
    """Nominative, genitive, locative, dative or other, from how the surface differs from the entity's names.

    `word_end` is what follows the mention inside its last word: a mention
    may stop before a hyphenated ending ("НАТО-ны", "АҚШ-тың").
    """
    if not patterns.case_roles:
        return ""
    surface = normalise_for_matching(m.surface) + normalise_for_matching(word_end).lstrip("-'")
    entity = registry.entities.get(m.entity_id) if m.entity_id else None
    names = {normalise_for_matching(n.text) for n in entity.names} if entity else set()
    if m.method == "role":
        # "Президент Казахстана" / "Қазақстан Президенті": the office word carries the case.
        words = {w for by_lang in language_data().roles.values() for w in by_lang.get(patterns.language, ())}
        heads = {normalise_for_matching(w.split()[0]) for w in words} | {normalise_for_matching(w.split()[-1]) for w in words}
        parts = surface.split()
        for word in (parts[0], parts[-1]) if patterns.case_word == "first" else (parts[-1], parts[0]):
            for head in heads:
                if word.startswith(head):
                    return _case_of_ending(word[len(head) :], patterns)
        return "obl"
    if surface in names:
        return "nom"
    last = surface.split()[-1]
    endings = [last[len(n.split()[-1]) :] for n in names if n and last.startswith(n.split()[-1])]
    if endings:
        return _case_of_ending(min(endings, key=len), patterns)
    return "obl"


def _case_of_ending(ending: str, patterns: LanguagePatterns) -> str:
    ending = ending.lstrip("-'")
    if not ending:
        return "nom"
    for case in ("nom", "gen", "loc", "dat"):
        if ending in patterns.suffixes.get(case, ()):
            return case
    return "obl"


def sentence_actors(
    text: str, tokens: Sequence[Token], mentions: Sequence[Mention], patterns: LanguagePatterns, registry: Registry
) -> tuple[list[Actor], list[Actor]]:
    """(actors, places) of one sentence. Appositions of one entity ("o presidente do Cazaquistão, Qasym-Zhomart Toqaev") are one actor."""
    actors: list[Actor] = []
    places: list[Actor] = []
    for m in _outermost(mentions):
        span = _token_index(tokens, m.char_start, m.char_end)
        if span is None:
            continue
        entity = registry.entities.get(m.entity_id) if m.entity_id else None
        word_end = text[m.char_end : max(m.char_end, tokens[span[1]].end)]
        actor = Actor(
            m.char_start, m.char_end, span[0], span[1], m.entity_id, m.entity_type, m.surface,
            _grammatical_case(m, word_end, patterns, registry), entity.country_iso3 if entity else None,
        )
        if m.entity_type in PLACE_TYPES and m.entity_id:
            places.append(actor)
        # An unresolved name is kept as raw text: the events table records such actors by their words.
        resolved_actor = m.entity_id is not None and m.entity_type in ACTOR_TYPES
        if (
            not resolved_actor and not patterns.case_roles and m.entity_type == "city" and actor.country
            and not _introduced_as_place(actor, tokens, patterns) and not _dateline(m, text)
        ):
            # A city named as who acts or is acted on stands for its country's
            # authorities, as CAMEO codes it: "Berlin rejected", "demanded by Moscow".
            # (Russian and Kazakh name a city's people or police by case,
            # "жители Алматы", "Алматыда полиция": there a city stays a place.)
            country = _country_entity(actor.country, registry)
            if country is not None:
                actor = replace(actor, entity_id=country, entity_type="country")
                resolved_actor = True
        if not resolved_actor and not (m.entity_id is None and m.method in ("unresolved", "ambiguous")):
            continue
        previous = actors[-1] if actors else None
        between = tokens[previous.last + 1 : span[0]] if previous else []
        if previous and m.entity_id is None and _qualified_by_country(previous, between, text, tokens, patterns):
            # "Palestinian leader Yasser Arafat", "Iran's religious leader ...", "o presidente francês X":
            # a name the registry does not know, introduced by its office and
            # country, is coded as that country (CAMEO: an official acts for his state).
            actors[-1] = replace(previous, end=m.char_end, last=span[1], text=m.surface)
            continue
        if previous and previous.entity_id and previous.entity_id == m.entity_id and all(t.word == "," for t in between):
            # The name carries the case of the apposition: "Президент Казахстана Касым-Жомарт Токаев".
            actors[-1] = replace(previous, end=m.char_end, last=span[1], text=m.surface, case=actor.case)
            continue
        actors.append(actor)
    return actors, places


def _aimed_at_place(code: str) -> bool:
    """Whether an action in a place is aimed at it: material conflict (PLACE_TARGET_ROOTS), or a threat of it (CAMEO 13x1 and on)."""
    return code[:2] in PLACE_TARGET_ROOTS or (code[:2] == "13" and len(code) == 4)


_DATELINE_AFTER = re.compile(r"\s*[-—–(]")


def _dateline(m: Mention, text: str) -> bool:
    """Whether a place name is a dateline ("BRASÍLIA - ...", "SEUL (Reuters) -"): in capitals, or followed by a dash or bracket."""
    return m.surface.isupper() or bool(_DATELINE_AFTER.match(text, m.char_end))


def _introduced_as_place(place: Actor, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether a place is named as where something happens or where someone is from.

    After "em", "in", "в", or in the locative or dative; or after "de", "of"
    ("uma mulher de Brasília", "the people of Kabul").
    """
    word = _word_before(tokens, place.first, patterns)
    g = patterns.grammar
    return _place_marker_before(place.first, tokens, patterns) or word in g["genitive_markers"] or place.case in ("loc", "dat")


QUALIFIER_WORDS = 4  # words at most between a country and the name of its official ("religious leader")


def _qualified_by_country(country: Actor, between: Sequence[Token], text: str, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether an unresolved name right after `country` is one of its officials.

    "Palestinian leader Yasser Arafat", "Nigerian junior foreign minister
    Dubem Oniya": the words between are lower-case and one is an office
    word; "presidente francês Fulano": the office word comes before the
    country and the name follows it. Languages with case roles are left
    out: there the name's own case decides its role.
    """
    if patterns.case_roles or country.entity_type != "country" or len(between) > QUALIFIER_WORDS:
        return False
    offices = patterns.grammar["office_words"]
    if not between:
        return _word_before(tokens, country.first) in offices
    if any(t.is_punct or not text[t.start].islower() for t in between):
        return False
    return any(t.word in offices for t in between)


def _official_of_source_country(
    target: Actor, source: Actor | None, actors: Sequence[Actor], places: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns
) -> bool:
    """Whether an unresolved target is an official ("President X", "Prime Minister X") of the source's country.

    Only where the source is a country, no other country is named in the
    sentence (as actor or place), and the name comes with its office word.
    Languages with case roles are left out, as in `_qualified_by_country`.
    """
    if patterns.case_roles or target.entity_id is not None or source is None or source.entity_type != "country" or not source.country:
        return False
    if {a.country for a in (*actors, *places) if a.entity_id and a.country} != {source.country}:
        return False
    offices = patterns.grammar["office_words"]
    titled = normalise_for_matching(target.text).split()[0] in offices
    i = target.first - 1
    while not titled and i >= 0 and target.first - i <= 2 and not tokens[i].is_punct:
        titled = tokens[i].word in offices
        i -= 1
    return titled


# --- Roles ------------------------------------------------------------------------------------------------


def _boundary_between(tokens: Sequence[Token], a: int, b: int) -> bool:
    """Whether a clause boundary (; : brackets, dashes) lies between token a and token b."""
    lo, hi = min(a, b), max(a, b)
    return any(t.word in _CLAUSE_PUNCT for t in tokens[lo + 1 : hi])


def _word_before(tokens: Sequence[Token], i: int, patterns: LanguagePatterns | None = None) -> str:
    """The word before token i, looking past articles when `patterns` is given ("para o Uzbequistão")."""
    i -= 1
    if patterns is not None:
        while i > 0 and tokens[i].word in patterns.grammar["articles"]:
            i -= 1
    return tokens[i].word if i >= 0 else ""


def _coordinated(actors: Sequence[Actor], index: int, tokens: Sequence[Token], patterns: LanguagePatterns) -> tuple[int, int]:
    """The first and last conjunct of "A e B" / "A и B" / "A мен B" around actors[index]."""
    coordinators = patterns.grammar["coordinators"]

    def joined(a: Actor, b: Actor) -> bool:
        # Quotes around a name ("«Газпром» и QazaqGaz") do not break the coordination.
        between = [t.word for t in tokens[a.last + 1 : b.first] if t.word not in _QUOTES]
        return len(between) == 1 and between[0] in coordinators

    first = last = index
    while first > 0 and joined(actors[first - 1], actors[first]):
        first -= 1
    while last + 1 < len(actors) and joined(actors[last], actors[last + 1]):
        last += 1
    return first, last


def _is_object_of_preposition(actor: Actor, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    word = _word_before(tokens, actor.first, patterns)
    g = patterns.grammar
    return word in g["location_markers"] or word in g["target_markers"] or word in g["genitive_markers"] or word in g["agent_markers"]


def assign_roles(
    match: Match, end_token: int, actors: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns, passive: bool
) -> tuple[Actor | None, Actor | None]:
    """(source, target) of a trigger spanning tokens match.first .. end_token."""
    first, last = match.first, end_token
    before = [i for i, a in enumerate(actors) if a.last < first and not _boundary_between(tokens, a.last, first)]
    # Actors inside a gapped pattern count as after it ("give Tanzania a grant");
    # the window runs from the end of the trigger (or of its complement).
    after = [
        i
        for i, a in enumerate(actors)
        if a.first > first and not (first <= a.first <= match.last and a.last <= match.last and match.trigger.noun)
        and a.first - last <= TARGET_WINDOW
        and not _boundary_between(tokens, first, a.first)
    ]
    if match.trigger.noun:
        return _noun_roles(match, last, actors, before, after, tokens, patterns)
    if match.trigger.roles == "speaker":
        # "X said Y must ...": Y is told, X tells.
        if not before:
            return None, None
        lo, _ = _coordinated(actors, before[-1], tokens, patterns)
        speaker = next((i for i in reversed(before) if i < lo), None)
        return (actors[speaker] if speaker is not None else None), actors[lo]
    if patterns.case_roles:
        return _case_roles(before, after, actors, tokens, patterns, passive, first)
    if passive:
        agent = next((i for i in after if _word_before(tokens, actors[i].first, patterns) in patterns.grammar["agent_markers"]), None)
        subject = before[-1] if before else None
        return (actors[agent] if agent is not None else None), (actors[subject] if subject is not None else None)
    source_index = _subject(before, actors, tokens, patterns)
    if source_index is None and any(t.word in patterns.grammar["fronted_clause_openers"] for t in tokens[:first]):
        # A fronted clause ("Ao chegar em Astana, Putin ...", "After arriving in Astana, Putin ..."):
        # the subject is the first actor after the comma that closes it.
        comma = next((k for k in range(last + 1, len(tokens)) if tokens[k].word == ","), None)
        if comma is not None:
            behind = [i for i, a in enumerate(actors) if a.first > comma and not _boundary_between(tokens, last, a.first)]
            if behind:
                source_index = behind[0]
                after = [i for i in after if actors[i].last < comma]
    source = target = None
    if source_index is not None:
        lo, hi = _coordinated(actors, source_index, tokens, patterns)
        source = actors[lo]
        if hi != lo:
            target = actors[hi]
    # The object: the first actor after the verb standing alone or after a
    # preposition; one after "de"/"of" is the owner of the object ("os
    # mercados da União", "leaders of Romania") and only a fallback.
    objects = [i for i in after if actors[i] is not source and (actors[i].entity_id is None or actors[i].entity_id != (source.entity_id if source else None))]
    # One after a word that only introduces places ("in Azerbaijan") says where, and comes last.
    only_place = patterns.grammar["location_markers"] - patterns.grammar["target_markers"]
    objects.sort(
        key=lambda i: (
            _word_before(tokens, actors[i].first, patterns) in only_place,
            _word_before(tokens, actors[i].first, patterns) in patterns.grammar["genitive_markers"],
        )
    )
    object_index = objects[0] if objects else None
    if object_index is not None:
        target = actors[object_index]
    return source, target


def _subject(before: Sequence[int], actors: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns) -> int | None:
    """The nearest actor before the verb that is not the object of a preposition (else the nearest one)."""
    for i in reversed(before):
        if not _is_object_of_preposition(actors[i], tokens, patterns):
            return i
    return before[-1] if before else None


def _case_roles(
    before: Sequence[int], after: Sequence[int], actors: Sequence[Actor], tokens: Sequence[Token],
    patterns: LanguagePatterns, passive: bool, trigger_first: int,
) -> tuple[Actor | None, Actor | None]:
    """Russian and Kazakh: the nominative is the subject wherever it stands; the other cases are objects.

    Kazakh puts the subject first (subject: first); Russian, freer, the
    nearest nominative before the verb, else the first after it ("Путина
    встретил Токаев"). A name in the locative ("Ақордада") is a place, never
    a role.
    """
    before = [i for i in before if actors[i].case != "loc"]
    after = [i for i in after if actors[i].case != "loc"]
    nominative_before = [i for i in before if actors[i].case == "nom"]
    nominative_after = [i for i in after if actors[i].case == "nom"]
    oblique_before = [i for i in before if actors[i].case in ("obl", "dat")]
    oblique_after = [i for i in after if actors[i].case in ("obl", "dat")]
    if passive:
        # The agent: Kazakh "Қазақстан тарапынан", Russian instrumental "Казахстаном".
        postpositions = patterns.grammar["agent_postpositions"]
        agent = next((i for i in reversed(before) if actors[i].last + 1 < len(tokens) and tokens[actors[i].last + 1].word in postpositions), None)
        if agent is None:
            agent = next(iter(oblique_after or oblique_before), None)
        if agent is not None:
            agent = _coordinated(actors, agent, tokens, patterns)[0]
        rest = [i for i in nominative_before + nominative_after if agent is None or actors[i].entity_id != actors[agent].entity_id]
        subject = rest[-1] if rest else None
        return (actors[agent] if agent is not None else None), (actors[subject] if subject is not None else None)
    if nominative_before:
        subject = nominative_before[0] if patterns.subject_first else nominative_before[-1]
    else:
        subject = nominative_after[0] if nominative_after else _subject(before, actors, tokens, patterns)
    source = target = None
    if subject is not None:
        lo, hi = _coordinated(actors, subject, tokens, patterns)
        source = actors[lo]
        if hi != lo:
            return source, actors[hi]
    source_id = source.entity_id if source else None

    def other(i: int) -> bool:
        return actors[i] is not source and (source_id is None or actors[i].entity_id != source_id)

    # The object: the first actor after the verb (Russian order; an
    # indeclinable or inanimate name there looks nominative: "обвинил НАТО",
    # "посетил Казахстан"), else, as in Kazakh, an oblique one before it.
    objects = [i for i in after if other(i) and actors[i].case != "gen"] + [i for i in reversed(oblique_before) if other(i)]
    if not objects:
        # An inanimate accusative looks nominative ("посетил Казахстан"), and so
        # does a Kazakh modifier ("Ресей елшісін", Russia's ambassador).
        objects = [i for i in after + list(reversed(before)) if other(i) and actors[i].case != "gen"]
    if not objects:
        # The owner of the object: "Еуропалық одақтың шешімін сынға алды" (criticised the EU's decision).
        objects = [i for i in list(reversed(before)) + list(after) if other(i)]
    if objects:
        target = actors[objects[0]]
    return source, target


def _noun_roles(
    match: Match, last: int, actors: Sequence[Actor], before: Sequence[int], after: Sequence[int],
    tokens: Sequence[Token], patterns: LanguagePatterns,
) -> tuple[Actor | None, Actor | None]:
    """A noun trigger's actors are attached to it: "visita de Putin ao Cazaquistão", "Путиннің Қазақстанға сапары"."""
    g = patterns.grammar
    source = target = None
    near_after = [i for i in after if actors[i].first - last <= NOUN_WINDOW]
    near_before = [i for i in before if match.first - actors[i].last <= NOUN_WINDOW]
    for i in near_after:
        a = actors[i]
        word = _word_before(tokens, a.first, patterns)
        if word in g["between_markers"]:
            lo, hi = _coordinated(actors, i, tokens, patterns)
            if hi != lo:
                return actors[lo], actors[hi]
            continue
        # Russian puts the owner after the noun in the genitive, maybe past an
        # adjective: "визит Путина", "переговоры правительственных делегаций Кыргызстана".
        attached = patterns.case_roles and a.case in ("gen", "obl") and all(
            not t.is_punct and t.word not in g["target_markers"] for t in tokens[last + 1 : a.first]
        )
        if word in g["genitive_markers"] or attached:
            lo, hi = _coordinated(actors, i, tokens, patterns)
            if hi != lo and source is None and target is None and match.trigger.of == "source":
                return actors[lo], actors[hi]  # the talks "of Kyrgyzstan and Uzbekistan"
            if match.trigger.of == "source" and source is None:
                source = a
                continue
            if match.trigger.of == "target" and target is None:
                target = a
                continue
        if word in g["target_markers"] and target is None:
            target = a
        elif word in g["agent_markers"] and source is None:
            source = a
    if patterns.case_roles:
        # A case language names the subject in the nominative; a noun after it
        # is its action ("Казахстан не будет участвовать в санкциях").
        nominative = [i for i in before if actors[i].case == "nom"]
        if source is None and nominative and match.trigger.of == "source" and all(actors[i].case != "gen" for i in near_before):
            lo, hi = _coordinated(actors, nominative[0] if patterns.subject_first else nominative[-1], tokens, patterns)
            source = actors[lo]
            if hi != lo and target is None:
                target = actors[hi]
        for i in reversed(near_before):
            a = actors[i]
            if a.case == "gen" and match.trigger.of == "source" and source is None:
                source = a
            elif a.case == "gen" and target is None:
                target = a
            elif a.case in ("obl", "dat") and target is None:
                target = a
    # "em sua visita", "its visit", "Putin's visit": the possessor is the source.
    window = [t.word for t in tokens[max(0, match.first - 3) : match.first]]
    possessed = any(w in g["possessives"] for w in window) or any(w.endswith(("'s", "’s")) for w in window[-1:])
    if source is None and before and (possessed or actors[before[-1]].last == match.first - 1):
        source = actors[before[-1]]
    if target is not None and source is not None and target.entity_id and target.entity_id == source.entity_id:
        target = None
    return source, target


# --- Modality ------------------------------------------------------------------------------------------------


CueIndex = Mapping[str, tuple[tuple[int, int], ...]]


def cue_index(tokens: Sequence[Token], patterns: LanguagePatterns, norm: str | None = None) -> CueIndex:
    """Cue kind -> (token index, end index) of every cue of that kind in the sentence, in token order.

    At each token the first cue of a kind that matches there counts. Built
    once per sentence: every trigger's modality reads it, instead of matching
    every cue at every token of its windows again. Given the normalised text
    the tokens come from, one regular expression finds the tokens where a
    cue may start (and the first token, which may begin inside a word of a
    cut sentence); the others are not looked up.
    """
    found: dict[str, list[tuple[int, int]]] = {}
    if not tokens:
        return found
    may_start = None
    if norm is not None:
        may_start = {m.start() for m in patterns.cue_starts.finditer(norm, tokens[0].start, tokens[-1].end)}
        may_start.add(tokens[0].start)
    for i, token in enumerate(tokens):
        if token.is_punct or (may_start is not None and token.start not in may_start):
            continue
        starting = _cues_starting(patterns, token.word)
        if not starting:
            continue
        for kind, cues in starting.items():
            for steps in cues:
                m = _match_steps(steps, tokens, i)
                if m:
                    found.setdefault(kind, []).append((i, m[0]))
                    break
    return {kind: tuple(at) for kind, at in found.items()}


def _cue_before(kind: str, tokens: Sequence[Token], first: int, patterns: LanguagePatterns, cues: CueIndex, window: int | None = None) -> bool:
    """A cue of this kind ending by token `first`, starting within the window before it and after any punctuation."""
    at = cues.get(kind)
    if not at:
        return False
    lo = first
    span = window or patterns.window
    while lo > 0 and first - lo < span and tokens[lo - 1].word not in _PUNCT:
        lo -= 1
    return any(lo <= i < first and end <= first for i, end in at)


def _cue_after(kind: str, tokens: Sequence[Token], last: int, patterns: LanguagePatterns, cues: CueIndex) -> bool:
    """A cue of this kind starting within the window after token `last`, before any punctuation."""
    at = cues.get(kind)
    if not at:
        return False
    hi = last + 1
    while hi < len(tokens) and hi - last <= patterns.window and tokens[hi].word not in _PUNCT:
        hi += 1
    return any(last < i < hi for i, _ in at)


def _clause_start(tokens: Sequence[Token], first: int) -> int:
    i = first
    while i > 0 and tokens[i - 1].word not in _CLAUSE_PUNCT and tokens[i - 1].word != ".":
        i -= 1
    return i


def modality(match: Match, end_token: int, tokens: Sequence[Token], patterns: LanguagePatterns, cues: CueIndex | None = None) -> str:
    """'fact', 'negated' (denied, planned or possible), 'intent' (announced) or 'refused' (announced not to).

    `cues` is the sentence's `cue_index`, made here if not given.
    """
    if cues is None:
        cues = cue_index(tokens, patterns)
    first, last = match.first, end_token
    clause = first - _clause_start(tokens, first) + 1
    negated = (
        match.trigger.negated
        or _cue_before("negation", tokens, first, patterns, cues)
        or _cue_after("negation_after", tokens, last, patterns, cues)
        # Kazakh negates inside the verb: қол қоймады, кездеспеді (stem + ма/ме/ба/бе/па/пе).
        or (not match.trigger.noun and match.stem_rest.startswith(tuple(patterns.grammar["negative_infixes"])))
        # "Nenhum detalhe ... é divulgado", "no agreement was signed": anywhere earlier in the clause.
        or _cue_before("quantifier_negation", tokens, first, patterns, cues, window=clause)
        # A denied report is no fact: "Кремль опроверг сообщения о визите", "... жоққа шығарды".
        or _cue_before("denial", tokens, first, patterns, cues, window=clause)
        or _cue_after("denial_after", tokens, last, patterns, cues)
    )
    intent = _cue_before("intent", tokens, first, patterns, cues)
    if _cue_before("refusal", tokens, first, patterns, cues) or (negated and intent):
        return "refused"
    planned = (
        _cue_before("plan", tokens, first, patterns, cues)
        or _cue_after("plan_after", tokens, last, patterns, cues)
        or _cue_before("possibility", tokens, first, patterns, cues)
        or _cue_after("possibility_after", tokens, last, patterns, cues)
    )
    if negated or planned:
        return "negated"
    return "intent" if intent else "fact"


def _is_passive(match: Match, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Explicitly passive patterns, or an auxiliary followed by a participle ("é recebido", "was attacked")."""
    if match.trigger.passive:
        return True
    if match.trigger.noun:
        return False
    g = patterns.grammar
    word = tokens[match.first].word
    if not any(word.endswith(e) for e in g["participle_endings"]):
        return False
    lo = max(0, match.first - 3)
    return any(t.word in g["auxiliaries"] for t in tokens[lo : match.first])


# --- Dates and places -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    first: int  # token indices
    last: int
    day: date
    precision: str
    past: date | None = None  # with no year written: the latest such date on or before publication


def _latest_on_or_before(month: int, day: int, published: date) -> date | None:
    """The latest date with this month and day on or before publication (a 29 February only in leap years)."""
    for year in range(published.year, published.year - 8, -1):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate <= published:
            return candidate
    return None


_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_NUMBER = re.compile(r"^(\d{1,4})(?:-?(?:st|nd|rd|th|º|ª|о|го|е|я|сі|ші|i|ı|inşi)?)?$")


@functools.cache
def _month_forms(language: str) -> tuple[Mapping[str, int], tuple[tuple[str, int], ...]]:
    """Exact month words of the language (and English, common in every press), and Kazakh stems."""
    exact: dict[str, int] = {}
    stems: list[tuple[str, int]] = []
    for lang in dict.fromkeys((language, "en")):
        for month, forms in MONTH_NAMES.get(lang, {}).items():
            full = normalise_for_matching(forms[0])
            for form in map(normalise_for_matching, forms):
                if form != full and full.startswith(form):
                    continue  # abbreviations ("mar", "jun") are common words in running text
                exact[form] = month
                if lang == "kk":
                    stems.append((form, month))  # Kazakh months take case endings: қарашада, қарашаның
    return MappingProxyType(exact), tuple(stems)


def _month(word: str, language: str) -> int | None:
    exact, stems = _month_forms(language)
    if word in exact:
        return exact[word]
    for stem, month in stems:
        if word.startswith(stem):
            return month
    return None


def _number(word: str) -> int | None:
    m = _NUMBER.match(word)
    return int(m.group(1)) if m else None


def _nearest_year(month: int, day: int, published: date) -> date | None:
    """The date with this month and day closest to publication (news reports the recent past and near future)."""
    best = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - published).days) < abs((best - published).days):
            best = candidate
    return best


def find_dates(
    text: str, tokens: Sequence[Token], language: str, published: date | None, patterns: LanguagePatterns
) -> list[DateMention]:
    """Date expressions of a sentence resolved to dates: absolute, relative to publication, weekdays."""
    found: list[DateMention] = []
    used: set[int] = set()
    words = [t.word for t in tokens]
    fillers = {"de", "of", "the", "do", "da", "dia", "жылғы", "жылы", "года", "году", "г", "ж"}

    def skip(i: int) -> int:
        while i < len(words) and (words[i] in fillers or words[i] == ","):
            i += 1
        return i

    def year_at(i: int) -> int | None:
        if i < len(words):
            n = _number(words[i])
            if n is not None and 1900 <= n <= 2100 and len(re.match(r"\d+", words[i]).group()) == 4:
                return n
        return None

    dated = patterns.lookups.setdefault(("date", language), {})
    for i, word in enumerate(words):
        if i in used:
            continue
        maybe = dated.get(word)
        if maybe is None:
            maybe = _could_be_date(word, language, patterns)
            if len(dated) < _CANDIDATE_CACHE_SIZE:
                dated[word] = maybe
        if not maybe:
            continue  # most words: none of the branches below would take them
        numeric = _NUMERIC_DATE.match(word)
        if numeric:
            # Day first, as the Brazilian, Russian and Kazakh press write it: 27.11.2025.
            day_number, month_number, year_number = map(int, numeric.groups())
            if 1 <= month_number <= 12 and (day := _safe_date(year_number, month_number, day_number)):
                found.append(DateMention(i, i, day, "day"))
            continue
        n = _number(word)
        # Day then month: "27 de novembro", "27 ноября", "27 қарашада", "27 November 2025".
        if n is not None and 1 <= n <= 31:
            j = skip(i + 1)
            month = _month(words[j], language) if j < len(words) else None
            if month:
                k = skip(j + 1)
                year = year_at(k)
                # Kazakh and Russian may put the year first: "2025 жылғы 27 қарашада".
                year_before = year_at(i - 2) if i >= 2 and words[i - 1] in fillers else None
                year = year or year_before
                day = _safe_date(year, month, n) if year else (_nearest_year(month, n, published) if published else None)
                if day:
                    last = k if year and year_at(k) else j
                    past = _latest_on_or_before(month, n, published) if published and not year else None
                    found.append(DateMention(i if not year_before else i - 2, last, day, "day", past))
                    used.update(range(i, last + 1))
                continue
        month = _month(word, language)
        # English months are capitalised; lower-case "may" is the verb.
        if month and (language != "en" or text[tokens[i].start].isupper()):
            # Month then day (English, Kazakh genitive): "November 27, 2025", "қарашаның 27-сі".
            j = skip(i + 1)
            day_number = _number(words[j]) if j < len(words) else None
            if day_number is not None and 1 <= day_number <= 31 and year_at(j) is None:
                k = skip(j + 1)
                year = year_at(k)
                day = _safe_date(year, month, day_number) if year else (_nearest_year(month, day_number, published) if published else None)
                if day:
                    last = k if year else j
                    past = _latest_on_or_before(month, day_number, published) if published and not year else None
                    found.append(DateMention(i, last, day, "day", past))
                    used.update(range(i, last + 1))
                continue
            year = year_at(j)
            year_before = year_at(i - 2) if i >= 2 and words[i - 1] in fillers else (year_at(i - 1) if i >= 1 else None)
            if year or year_before:
                found.append(DateMention(i, j if year else i, date(year or year_before, month, 1), "month"))
                used.update(range(i, (j if year else i) + 1))
                continue
            if i > 0 and words[i - 1] in patterns.grammar["location_markers"] and published:
                # "em novembro", "в ноябре": the nearest such month.
                day = _nearest_year(month, 1, published.replace(day=1))
                if day:
                    found.append(DateMention(i, i, day, "month", _latest_on_or_before(month, 1, published)))
                continue
        year = year_at(i)
        if year and (
            (i > 0 and words[i - 1] in patterns.grammar["location_markers"])
            or (i + 1 < len(words) and words[i + 1] in patterns.year_words)
        ):
            found.append(DateMention(i, i, date(year, 1, 1), "year"))
            continue
        if published is None:
            continue
        if word in patterns.relative_days:
            found.append(DateMention(i, i, published + timedelta(days=patterns.relative_days[word]), "day"))
            continue
        for step, weekday in patterns.weekdays:
            if step.matches(word) is not None:
                # The most recent such day on or before publication: news reports what happened.
                back = (published.weekday() - weekday) % 7
                found.append(DateMention(i, i, published - timedelta(days=back), "day"))
                break
    return found


def _could_be_date(word: str, language: str, patterns: LanguagePatterns) -> bool:
    """Whether a word can start a date expression in `find_dates`: a number, a month, a relative day or a weekday."""
    return bool(
        _NUMERIC_DATE.match(word)
        or _NUMBER.match(word)
        or _month(word, language)
        or word in patterns.relative_days
        or any(step.matches(word) is not None for step, _ in patterns.weekdays)
    )


def _safe_date(year: int | None, month: int, day: int) -> date | None:
    if year is None or day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _nearest(items: Sequence[Any], first: int, last: int) -> Any:
    def distance(item: Any) -> int:
        return item.first - last if item.first > last else first - item.last

    return min(items, key=distance, default=None)


def _location(
    places: Sequence[Actor], tokens: Sequence[Token], patterns: LanguagePatterns, first: int, last: int, used: set[str], visit: bool
) -> Actor | None:
    """The nearest place introduced as one: "em Astana", "in Astana", "в Астане", "Астанада"."""
    candidates = [
        p
        for p in places
        if (p.entity_type != "country" or p.entity_id not in used)
        and (visit and 0 < p.first - last <= 2  # "visited Astana", "посетит Москву"
        # Kazakh marks the place by case: "Астанада" (in Astana), "Астанаға келді" (came to Astana).
        or _place_marker_before(p.first, tokens, patterns) or p.case in ("loc", "dat"))
    ]
    return _nearest(candidates, first, last)


PLACE_MODIFIERS = 4  # words at most between a location marker and its place ("in the capital city of Algiers")


def _place_marker_before(first: int, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether a location marker introduces the name at token `first`, past articles and place modifiers ("in central Baghdad")."""
    g = patterns.grammar
    if _word_before(tokens, first, patterns) in g["location_markers"]:
        return True
    # Past at least one place word (and articles): "in central Baghdad", "in the capital city of Algiers".
    i, crossed = first - 1, False
    while i >= 0 and first - i <= PLACE_MODIFIERS and (tokens[i].word in g["articles"] or tokens[i].word in g["place_modifiers"]):
        crossed = crossed or tokens[i].word not in g["articles"]
        i -= 1
    return crossed and i >= 0 and tokens[i].word in g["location_markers"]


# --- The stage ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    sentence_idx: int
    char_start: int
    char_end: int
    trigger: str  # text[char_start:char_end] == trigger
    cameo_code: str  # zero-padded string "043", "0311"
    source_entity_id: str | None
    source_text: str | None
    target_entity_id: str | None
    target_text: str | None
    event_date: date | None
    date_precision: str | None  # "day" | "month" | "year" | "publication"
    location_entity_id: str | None
    negated: bool  # denied or merely planned/possible: not coded as a fact
    confidence: float  # 0..1 from how it was found
    evidence_spans: tuple[tuple[int, int], ...] = field(default=())  # every trigger span that produced this event


def _confidence(source: Actor | None, target: Actor | None, noun: bool) -> float:
    actors = [a for a in (source, target) if a is not None]
    base = (CONFIDENCE_NONE, CONFIDENCE_ONE, CONFIDENCE_BOTH)[len(actors)]
    if noun:
        base -= NOUN_PENALTY
    if any(a.entity_id is None for a in actors):
        base -= UNRESOLVED_PENALTY
    return round(max(0.05, min(1.0, base)), 2)


def _country_entity(iso3: str | None, registry: Registry) -> str | None:
    entity_id = f"country:{iso3.lower()}" if iso3 else None
    return entity_id if entity_id in registry.entities else None


def pair_complements(matches: Sequence[Match], tokens: Sequence[Token], patterns: LanguagePatterns) -> dict[int, int]:
    """Governor index -> complement index: the action an appeal, intent, demand, refusal or threat is about.

    The complement is the next trigger in the same clause ("agreed to meet",
    "отказался подписать"), or in Kazakh, where the governing verb comes last,
    the one before it ("қол қоюдан бас тартты", "кездесуге келісті").
    A noun governs too: "its demand that Israel ease restrictions" is 1051.
    """
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for n, governor in enumerate(matches):
        if governor.trigger.code[:2] not in GOVERNING_ROOTS or n in taken:
            continue
        m = n - 1 if patterns.complement_before else n + 1
        if not 0 <= m < len(matches) or m in taken or m in pairs:
            continue
        left, right = sorted((governor, matches[m]), key=lambda x: x.first)
        if right.first - left.last <= GOVERN_WINDOW and not _boundary_between(tokens, left.last, right.first):
            pairs[n] = m
            taken.add(m)
    return pairs


def code_sentence(
    text: str,
    norm: str,
    sentence_idx: int,
    span: tuple[int, int],
    language: str,
    published: date | None,
    mentions: Sequence[Mention],
    patterns: LanguagePatterns,
    registry: Registry,
    trigger_starts: frozenset[int] | None = None,
) -> list[Event]:
    """The events of one sentence, before deduplication across the document.

    `trigger_starts`, if given, are the offsets of the only words where a
    trigger may start (see `candidate_sentences`).
    """
    tokens = tokenize(norm, span[0], span[1])
    matches = find_triggers(tokens, patterns, trigger_starts)
    if not matches:
        return []
    actors, places = sentence_actors(text, tokens, mentions, patterns, registry)
    dates: list[DateMention] | None = None  # found at the first trigger that makes an event
    events: list[Event] = []
    pairs = pair_complements(matches, tokens, patterns)
    consumed = set(pairs.values())
    cues: CueIndex | None = None  # made at the first trigger that needs its modality
    for n, match in enumerate(matches):
        if n in consumed:
            continue
        code, end_token, spans = match.trigger.code, match.last, [(match.start, match.end)]
        complement_end = match.last
        if n in pairs:
            complement = matches[pairs[n]]
            code = compose(code, complement.trigger.code)
            spans.append((complement.start, complement.end))
            complement_end = max(match.last, complement.last)
        passive = _is_passive(match, tokens, patterns)
        source, target = assign_roles(match, complement_end, actors, tokens, patterns, passive)
        if match.trigger.noun and source is None and target is None:
            continue  # "durante a visita": a noun with no actor names no new event
        if target is not None and _official_of_source_country(target, source, actors, places, tokens, patterns):
            # "Egyptian demonstrators ... the removal of President Hosni Mubarak": an
            # official the registry does not know, in a sentence about the source's
            # country alone, is that country's official (a domestic event).
            target = replace(target, entity_id=source.entity_id, entity_type="country", country=source.country)
        if cues is None:
            cues = cue_index(tokens, patterns, norm)
        mood = modality(match, end_token, tokens, patterns, cues)
        negated = mood == "negated"
        if mood == "intent" and code[:2] not in GOVERNING_ROOTS:
            code = compose("030", code)
        elif mood == "refused":
            code = compose("120", code)
            negated = False
        used = {a.entity_id for a in (source, target) if a and a.entity_id}
        location = _location(places, tokens, patterns, match.first, end_token, used, visit=match.trigger.code == "042" or code == "036")
        if target is None and not patterns.case_roles and _aimed_at_place(code) and location and location.country:
            # A protest, a show of force, a curfew or an attack in a place (or a
            # threat of one), with no one else named as its target, is aimed at
            # that place's country ("shelled Juba", "threatened a curfew in Algiers"),
            # its own one included ("Liberian police ... in Monrovia").
            # In Russian and Kazakh a place in the locative is never a role.
            country = _country_entity(location.country, registry)
            if country is not None:
                target = Actor(location.start, location.end, location.first, location.last, country, "country", location.text, "", location.country)
        if target is None and code == "042" and location and location.country and (source is None or source.country != location.country):
            # A visit to a city is a visit to its country.
            country = _country_entity(location.country, registry)
            target = Actor(location.start, location.end, location.first, location.last, country, "country", location.text, "", location.country) if country else None
        if dates is None:
            dates = find_dates(text, tokens, language, published, patterns)
        when = _nearest(dates, match.first, end_token)
        if when is not None:
            event_date, precision = when.day, when.precision
        elif published is not None:
            event_date, precision = published, "publication"
        else:
            event_date, precision = None, None
        if published is not None and event_date is not None and not negated and event_date > published + timedelta(days=FUTURE_SLACK_DAYS):
            # What was coded as having happened cannot be dated after publication.
            if mood != "fact" or code[:2] in GOVERNING_ROOTS:
                # A statement about a future action ("will visit in December",
                # "agreed to meet on 5 December") was made by publication.
                event_date, precision = published, "publication"
            elif when is not None and when.past is not None:
                # A date written without its year, read as the recent past: news reports what happened.
                event_date = when.past
            else:
                # A fact dated in the future is a plan ("será julgado no dia 24"): recorded, not a fact.
                negated = True
        events.append(
            Event(
                sentence_idx=sentence_idx,
                char_start=match.start,
                char_end=match.end,
                trigger=text[match.start : match.end],
                cameo_code=code,
                source_entity_id=source.entity_id if source else None,
                source_text=source.text if source else None,
                target_entity_id=target.entity_id if target else None,
                target_text=target.text if target else None,
                event_date=event_date,
                date_precision=precision,
                location_entity_id=location.entity_id if location else None,
                negated=negated,
                confidence=_confidence(source, target, match.trigger.noun),
                evidence_spans=tuple(spans),
            )
        )
    return events


def deduplicate(events: Sequence[Event]) -> list[Event]:
    """One event per (source, target, code, date, negation); the first keeps its trigger, all spans are evidence.

    Negation is part of the key: "signed" and "did not sign" the same day are
    not the same claim.
    """
    merged: dict[tuple, Event] = {}
    for e in events:
        key = (e.source_entity_id or e.source_text, e.target_entity_id or e.target_text, e.cameo_code, e.event_date, e.negated)
        if key in merged:
            kept = merged[key]
            spans = kept.evidence_spans + tuple(s for s in e.evidence_spans if s not in kept.evidence_spans)
            merged[key] = replace(kept, evidence_spans=spans, confidence=max(kept.confidence, e.confidence))
        else:
            merged[key] = e
    return list(merged.values())


def code_events(
    text: str,
    language: str,
    published: date | None,
    sentences: Sequence[tuple[int, int]],
    mentions: Sequence[Mention],
) -> list[Event]:
    """Every event of a document, in text order, deduplicated within the document.

    `sentences` are (char_start, char_end) spans of `text`; `mentions` are its
    resolved names (steppe.analyse.names.mentions.find_mentions). A language without event
    patterns yields no events.
    """
    base = language.split("-")[0].lower()
    if base not in EVENT_LANGUAGES:
        return []
    patterns = load_patterns(base)
    registry = load_registry()
    norm = normalise_for_matching(text)
    ordered = sorted(mentions, key=lambda m: m.char_start)
    starts = [m.char_start for m in ordered]
    events: list[Event] = []
    for idx, trigger_starts in candidate_sentences(norm, sentences, patterns):
        start, end = sentences[idx]
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        events.extend(
            code_sentence(text, norm, idx, (start, end), base, published, ordered[lo:hi], patterns, registry, trigger_starts)
        )
    return deduplicate(events)


def candidate_sentences(
    norm: str, sentences: Sequence[tuple[int, int]], patterns: LanguagePatterns
) -> list[tuple[int, frozenset[int] | None]]:
    """The sentences in which a trigger may match, each with the offsets of the words where a pattern may start.

    One pass over the normalised document finds the words where a pattern
    may begin (the patterns' first words and stems, look-alikes included:
    `pattern_start_offsets`). A sentence is kept if, from one of its
    words, a one-word trigger matches or a longer one does
    (`_trigger_matches_at`, a few tokens read); only the kept sentences are
    tokenised, and only at those words are the patterns tried. A sentence
    cut inside a word at either end (its first or last token is then part of
    a word) is kept whole, with None for its offsets: every word of it is
    tried.
    """
    out: list[tuple[int, frozenset[int] | None]] = []
    # Lookarounds read across sentence ends as the per-sentence search did
    # not, but only where a sentence is cut inside a word, and those are
    # kept whole below.
    at, one_word = pattern_start_offsets(norm, patterns)
    for idx, (start, end) in enumerate(sentences):
        if start >= end:
            continue
        if (start > 0 and _WORD_CHAR.match(norm, start - 1) and _WORD_CHAR.match(norm, start)) or (
            end < len(norm) and _WORD_CHAR.match(norm, end - 1) and _CUT_AFTER.match(norm, end)
        ):
            out.append((idx, None))
            continue
        here = at[bisect.bisect_left(at, start) : bisect.bisect_left(at, end)]
        if bisect.bisect_left(one_word, start) < bisect.bisect_left(one_word, end) or any(
            _trigger_matches_at(norm, p, end, patterns) for p in here
        ):
            out.append((idx, frozenset(here)))
    return out


def _trigger_matches_at(norm: str, at: int, end: int, patterns: LanguagePatterns) -> bool:
    """Whether a (not ignored) trigger matches the tokens from offset `at` on, before `end`.

    What is known of the word there is kept per word: a one-word pattern
    matches it (then no more is read), or the longer patterns that begin
    with it, the most tokens they can span, and what their last words begin
    with (a sentence holding none of those needs no tokens). Tokens read from a word start are those the sentence's own
    tokenisation has there; from a place inside a token (as in "x-se") they
    may differ, which at worst keeps a sentence that codes nothing.
    """
    first = _TOKEN.match(norm, at, end)
    if first is None:
        return True  # cannot happen where a pattern's first word was found; keep the sentence rather than guess
    cache = patterns.lookups.setdefault("starts", {})
    word = first.group()
    found = cache.get(word)
    if found is None:
        candidates = tuple(t for t in _candidates(patterns, word) if not t.ignored)
        # True: a one-word pattern matches here; else the patterns to try, the
        # tokens they may need, and what their last words must begin with.
        if any(len(t.steps) == 1 for t in candidates):
            found = True
        else:
            # A form never ends in a gap (`_parse_form`): every last step has words or stems.
            ends = sorted({w for t in candidates for w in (*t.steps[-1].exact, *t.steps[-1].stems)}, key=lambda w: (-len(w), w))
            last_words = re.compile("|".join(map(re.escape, ends))) if ends else None
            found = (candidates, max(map(_span, candidates), default=0), last_words)
        if len(cache) < _CANDIDATE_CACHE_SIZE:
            cache[word] = found
    if found is True:
        return True
    candidates, span, last_words = found
    # A pattern's last word is a token after this one, and a token is the text
    # it covers: where none of the last words or stems occurs in the rest of
    # the sentence, no pattern can match (most places: "é", "se", "por").
    if last_words is None or not last_words.search(norm, first.end(), end):
        return False  # no candidates, or none of their last words later in the sentence
    tokens = [_new_tuple(Token, (m.start(), m.end(), w, w in _PUNCT)) for m in itertools.islice(_TOKEN.finditer(norm, at, end), span) for w in (m.group(),)]
    return any(_match_steps(t.steps, tokens, 0) is not None for t in candidates)


def _span(trigger: Trigger) -> int:
    """The most tokens a pattern can cover: one per word, and each gap at its widest."""
    return sum(step.gap or 1 for step in trigger.steps)
