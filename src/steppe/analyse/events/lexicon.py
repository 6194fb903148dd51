"""The trigger patterns of each language, compiled from data/events/patterns/<language>.yaml.

A pattern is a sequence of steps (exact words, stems ending in "*", gaps of
"..."); with the triggers come the modality cues, the grammar words the
role finder reads and the date words. Compiling builds the lookups the
coder uses on every sentence: triggers by first word and stem, a regular
expression and an Aho-Corasick automaton of the words where a pattern may
start.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from steppe.analyse import morph
from steppe.analyse.events.codebook import (
    EventDataError,
    codebook_data,
    data_file,
    read_yaml,
)
from steppe.analyse.events.starts import start_automaton, starts_pattern
from steppe.analyse.events.tokens import QUOTES, Token
from steppe.text import normalise_for_matching

EVENT_LANGUAGES = ("pt", "en", "ru", "kk", "es")
GAP = 3  # "..." in a pattern skips up to this many words

# The triggers that may start at a word, kept with the language's patterns:
# words recur across sentences and documents, and looking up every stem
# length of every word was a large cost.
CANDIDATE_CACHE_SIZE = 200_000  # words per lookup table


@dataclass(frozen=True)
class Step:
    """One word of a pattern: exact forms and stems (a stem matches any word it begins), or a gap.

    A lemma (`@подписать`) adds its forms to `exact` where a dictionary lists
    them (ru, pt, en, es); in Kazakh it is an `analysed` stem: a word that
    begins with the stem's start is analysed (`morph.kk`) and matches if it
    is the stem with a valid chain of suffixes whose features pass the
    trigger's `only` and `exclude`.
    """

    exact: frozenset[str] = frozenset()
    stems: tuple[str, ...] = ()
    gap: int = 0
    analysed: tuple[tuple[str, str, str], ...] = ()  # (start, stem, part of speech), Kazakh
    only: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()

    def matches(self, word: str) -> int | None:
        """How many letters of `word` the step fixes (the whole word, or the stem), or None."""
        if word in self.exact:
            return len(word)
        stems = self.stems
        if stems and word.startswith(stems):  # most words begin with none: one test for them all
            return max(len(stem) for stem in stems if word.startswith(stem))
        if self.analysed and kk_features(self, word) is not None:
            return len(word)
        return None

    def matches_any(self, words: frozenset[str]) -> bool:
        """Whether the step matches one of `words` (`matches` of each, with sets and tuples doing most of the work)."""
        if not words.isdisjoint(self.exact):
            return True
        if self.stems and any(w.startswith(self.stems) for w in words):
            return True
        return bool(self.analysed) and any(kk_features(self, w) is not None for w in words)

    @functools.cached_property
    def starts(self) -> tuple[str, ...]:
        """The stems and the starts of analysed stems: what a word this step matches begins with."""
        return self.stems + tuple(start for start, _, _ in self.analysed)


@functools.cache
def _kk():
    """The Kazakh analyser, imported where a Kazakh lemma is met."""
    from steppe.analyse.morph import kk

    return kk


def kk_features(step: Step, word: str) -> frozenset[str] | None:
    """The features of `word` as a form of one of the step's analysed (Kazakh) stems, if it is one."""
    for start, stem, pos in step.analysed:
        if word.startswith(start):
            found = _kk().analyse(word, stem, pos)
            if found is not None and step.only <= found.features and not (step.exclude & found.features):
                return found.features
    return None


@dataclass(frozen=True)
class Trigger:
    code: str
    steps: tuple[Step, ...]
    form: str  # as written in the YAML, for curators
    noun: bool
    passive: bool
    of: str  # what a genitive complement of a noun is: "source" or "target"
    # "default", "speaker" (the actor before the subject says what the subject must do), "claim" (what is claimed
    # is no fact), "object" (no event without its object right after it: when_where.object_missing) or "agent"
    # (no event without an actor as its source: "ofrecen servicios" with no one offering is commerce or a figure)
    roles: str
    negated: bool = False  # the form is itself negative (Kazakh "қолдамады")
    ignored: bool = False  # a look-alike that is no trigger ("келісім", an agreement, beside "келісті", agreed)
    included: bool = False  # from an included (generated) file: a written pattern on the same words wins
    # The sense, by the sentence: the trigger counts only where a word of `context`
    # is in its sentence, and none of `not_context` ("strike" by workers or by missiles).
    context: Step | None = None
    not_context: Step | None = None
    # Endings the word before the trigger must have: a verb that is an event only after a
    # case ("Астанада болды", was in Astana: a visit); such a trigger needs a source.
    after: tuple[str, ...] = ()
    not_after: Step | None = None  # words or stems the word before may not be ("ақпанда болған", in February)
    # Forms of its lemmas whose morphology gives a mood: "intent" (a future:
    # "посетит", "visitará") or "negated" (a conditional: "firmaría").
    form_moods: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @functools.cached_property
    def analysed_steps(self) -> tuple[Step, ...]:
        """The steps whose words are analysed (Kazakh stems): their features give the form's mood."""
        return tuple(step for step in self.steps if step.analysed)


@dataclass(frozen=True)
class LanguagePatterns:
    language: str
    triggers: tuple[Trigger, ...]
    cues: Mapping[str, tuple[Step, ...]]
    window: int
    purpose_reach: int  # a purpose marker ("para", "to", "чтобы") stands at most this many words before its verb
    grammar: Mapping[str, frozenset[str]]
    case_roles: bool
    case_word: str  # which word of a role phrase carries its case: "first" (президента России) or "last" (Қазақстан Президентінің)
    complement_before: bool  # Kazakh: the governing verb follows its complement
    subject_first: bool  # Kazakh: the subject is the first nominative of the clause, not the nearest
    suffixes: Mapping[str, tuple[str, ...]]  # kk: case -> endings after a name
    relative_days: Mapping[str, int]
    weekdays: tuple[tuple[Step, int], ...]
    year_words: frozenset[str]
    next_words: frozenset[str]  # "próximo", "next", "следующий": the weekday or day of month after them is ahead
    by_first_word: Mapping[str, tuple[Trigger, ...]]
    by_first_stem: Mapping[str, tuple[Trigger, ...]]
    max_stem: int
    # The same words and stems as an Aho-Corasick automaton (see `triggers.pattern_start_offsets`).
    start_words: Any
    # Lookups by word (triggers and cues that may start at it, date words),
    # filled as words are met; not part of the patterns' identity.
    lookups: dict[Any, dict[str, Any]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @functools.cached_property
    def determiners(self) -> frozenset[str]:
        """The words after which a verb-or-noun form reads as the noun: articles, possessives and prepositions."""
        g = self.grammar
        return g["articles"] | g["possessives"] | g["genitive_markers"] | g["location_markers"] | g["target_markers"]

    @functools.cached_property
    def cue_first_words(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """The cues' first words, and what else a cue's first word may begin with (stems, starts of analysed
        stems): a word that is none of the first words and begins with none of the starts starts no cue."""
        firsts = [steps[0] for cues in self.cues.values() for steps in cues]
        return frozenset(w for step in firsts for w in step.exact), tuple(sorted({s for step in firsts for s in step.starts}))

    @functools.cached_property
    def endings(self) -> Mapping[str, tuple[str, ...]]:
        """The grammar's `*_endings` lists as tuples for str.endswith: "participle", "gerund", "infinitive"."""
        return {key.removesuffix("_endings"): tuple(sorted(words)) for key, words in self.grammar.items() if key.endswith("_endings")}

    @functools.cached_property
    def pattern_starts(self) -> re.Pattern[str]:
        """Where a pattern may start, as one regular expression: a token that is the first word of a
        trigger or of a look-alike, or begins with its stem. The coder uses `start_words`, the same
        words as an automaton; this is its specification (tests compare the two), built on demand:
        with every form of the lemmas it takes seconds to compile."""
        return starts_pattern([w for t in self.triggers for w in t.steps[0].exact], [w for t in self.triggers for w in t.steps[0].starts])


_CUE_KINDS = (
    "negation", "negation_after", "quantifier_negation", "denial", "denial_after",
    "plan", "plan_after", "possibility", "possibility_after", "intent", "intent_after", "intent_infinitive", "refusal", "wrongdoing",
)
_GRAMMAR_KEYS = (
    "auxiliaries", "participle_endings", "agent_markers", "agent_postpositions", "coordinators", "possessives",
    "genitive_markers", "target_markers", "between_markers", "location_markers", "negative_infixes", "articles",
    "fronted_clause_openers", "office_words", "place_modifiers", "complementizers", "gerund_endings",
    "purpose_markers", "infinitive_endings", "not_purpose_before", "adverb_endings", "attributive_before",
    "addressee_markers", "participle_verbs", "subject_pronouns", "speaker_after", "relative_subjects", "clitics",
)
_TRIGGER_KEYS = {"code", "forms", "noun", "passive", "of", "roles", "negated", "only", "exclude", "context", "not_context", "after", "not_after"}
_TOP_KEYS = {
    "language", "include", "lemmas", "window", "purpose_reach", "cues", "grammar", "case_roles", "case_word", "complement", "subject", "suffixes", "dates", "triggers", "not_triggers",
}


@dataclass(frozen=True)
class Lemmas:
    """How `@lemma` words of one pattern are read: the language, the trigger's feature
    constraints, and the forms of every lemma of the file (`morph.lemma_forms`)."""

    language: str
    forms: Mapping[str, Mapping[str, frozenset[str]]]
    only: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    pos: str = "verb"

    def resolve(self, lemma: str, where: str) -> tuple[frozenset[str], tuple[tuple[str, str, str], ...], dict[str, str]]:
        """(forms, analysed stems, form -> mood) of a lemma under the constraints."""
        if self.language in morph.ANALYSED_LANGUAGES:
            return frozenset(), ((_kk().start(lemma, self.pos), lemma, self.pos),), {}
        forms = self.forms.get(lemma)
        if forms is None:
            raise EventDataError(f"{where}: no forms of the lemma {lemma!r}")
        chosen = morph.select(forms, self.only, self.exclude)
        if not chosen:
            raise EventDataError(f"{where}: no form of {lemma!r} has the features only={sorted(self.only)}, exclude={sorted(self.exclude)}")
        moods = {w: mood for w in chosen for key, mood in morph.MOODS[self.language].items() if morph.has(forms[w], key)}
        return chosen, (), moods


def _parse_word(text: str, where: str, lemmas: Lemmas | None = None, moods: dict[str, str] | None = None) -> Step:
    if text.startswith("..."):
        if text == "...":
            return Step(gap=GAP)
        if text[3:].isdigit() and 0 < int(text[3:]) <= 8:
            return Step(gap=int(text[3:]))
        raise EventDataError(f"{where}: bad gap {text!r}: '...' or '...N' with N from 1 to 8")
    exact, stems, analysed = set(), [], []
    for alt in text.split("|"):
        alt = normalise_for_matching(alt.strip())
        if not alt or alt == "*" or " " in alt or alt == "@":
            raise EventDataError(f"{where}: bad word {text!r}: alternatives are words, stems ending in '*' or lemmas after '@'")
        if alt.startswith("@"):
            if lemmas is None:
                raise EventDataError(f"{where}: {text!r}: a lemma ('@') is not allowed here")
            forms, stems_of, form_moods = lemmas.resolve(alt[1:], where)
            exact |= forms
            analysed.extend(stems_of)
            if moods is not None:
                moods.update(form_moods)
        elif alt.endswith("*"):
            stems.append(alt[:-1])
        else:
            exact.add(alt)
    if analysed and lemmas is not None:
        return Step(frozenset(exact), tuple(stems), analysed=tuple(analysed), only=lemmas.only, exclude=lemmas.exclude)
    return Step(frozenset(exact), tuple(stems))


def parse_form(form: Any, where: str, lemmas: Lemmas | None = None, moods: dict[str, str] | None = None) -> tuple[Step, ...]:
    if not isinstance(form, str) or not form.strip():
        raise EventDataError(f"{where}: a form is a non-empty string")
    steps = tuple(_parse_word(word, where, lemmas, moods) for word in form.split())
    if steps[0].gap or steps[-1].gap:
        raise EventDataError(f"{where}: {form!r}: a form may not start or end with '...'")
    return steps


_LEMMA = re.compile(r"@([^\s|*@\"',\]\[{}]+)")


def _lemmas_in(data: Any) -> set[str]:
    """Every `@lemma` written anywhere in a patterns file's triggers and cues."""
    found: set[str] = set()
    if isinstance(data, str):
        found.update(normalise_for_matching(m) for m in _LEMMA.findall(data))
    elif isinstance(data, dict):
        for v in data.values():
            found |= _lemmas_in(v)
    elif isinstance(data, list):
        for v in data:
            found |= _lemmas_in(v)
    return found


def _features(value: Any, language: str, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    known = morph.FEATURES.get(language, frozenset())
    if not isinstance(value, list) or any(not isinstance(v, str) or v not in known for v in value):
        raise EventDataError(f"{where}: features are a list of {sorted(known)}")
    return frozenset(value)


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
    source = data_file(f"patterns/{language}.yaml")
    data = read_yaml(source)
    if not isinstance(data, dict) or data.get("language") != language:
        raise EventDataError(f"{source}: expected a mapping with language: {language}")
    if unknown := set(data) - _TOP_KEYS:
        raise EventDataError(f"{source}: unknown keys {sorted(unknown)} (expected {sorted(_TOP_KEYS)})")
    codes, _ = codebook_data()

    cues_data = data.get("cues") or {}
    if unknown := set(cues_data) - set(_CUE_KINDS):
        raise EventDataError(f"{source}: cues: unknown kinds {sorted(unknown)} (expected {list(_CUE_KINDS)})")
    cues = {kind: tuple(parse_form(c, f"{source}: cues.{kind}") for c in cues_data.get(kind) or ()) for kind in _CUE_KINDS}

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
    next_words = frozenset(_word_list(dates.get("next_words"), f"{source}: dates.next_words"))

    case_word, complement = data.get("case_word", "first"), data.get("complement", "after")
    if case_word not in ("first", "last") or complement not in ("before", "after") or data.get("subject", "nearest") not in ("first", "nearest"):
        raise EventDataError(f"{source}: case_word is first or last; complement is before or after; subject is first or nearest")

    entries = [(source, number, entry, False) for number, entry in enumerate(data.get("triggers") or (), start=1)]
    for name in data.get("include") or ():
        # Another file of the same folder (a generated lexicon): its triggers come after
        # this file's and lose to them where both match the same words.
        included = data_file(f"patterns/{name}")
        extra = read_yaml(included)
        if not isinstance(extra, dict) or set(extra) - {"language", "triggers"} or extra.get("language") != language:
            raise EventDataError(f"{included}: expected language: {language} and triggers")
        entries.extend((included, number, entry, True) for number, entry in enumerate(extra.get("triggers") or (), start=1))

    # The forms of every lemma of the file, found once (`morph`), and the
    # constraints a lemma's forms take unless a trigger gives its own.
    lemma_defaults = data.get("lemmas") or {}
    if not isinstance(lemma_defaults, dict) or set(lemma_defaults) - {"only", "exclude"}:
        raise EventDataError(f"{source}: lemmas: expected only and exclude (lists of features)")
    default_only = _features(lemma_defaults.get("only"), language, f"{source}: lemmas.only")
    default_exclude = _features(lemma_defaults.get("exclude"), language, f"{source}: lemmas.exclude")
    lemma_set = _lemmas_in([e for _, _, e, _ in entries]) | _lemmas_in(data.get("not_triggers") or [])
    try:
        forms = morph.lemma_forms(language, lemma_set) if lemma_set and language in morph.GENERATED_LANGUAGES else {}
    except morph.MorphologyError as exc:
        raise EventDataError(f"{source}: {exc}") from exc

    triggers = []
    for path, number, entry, included in entries:
        where = f"{path}: trigger {number}"
        if not isinstance(entry, dict) or not {"code", "forms"} <= set(entry) or set(entry) - _TRIGGER_KEYS:
            raise EventDataError(f"{where}: expected code, forms and optionally {sorted(_TRIGGER_KEYS - {'code', 'forms'})}")
        code = entry["code"]
        if code not in codes or len(code) < 3:
            raise EventDataError(f"{where}: code {code!r} is not a CAMEO code of the codebook (quote it: \"043\")")
        of = entry.get("of", "source")
        roles = entry.get("roles", "default")
        if of not in ("source", "target") or roles not in ("default", "speaker", "claim", "object", "agent"):
            raise EventDataError(f"{where}: 'of' is source or target; 'roles' is default, speaker, claim, object or agent")
        own = "only" in entry or "exclude" in entry
        lemmas = Lemmas(
            language,
            forms,
            _features(entry.get("only"), language, f"{where}: only") if own else default_only,
            _features(entry.get("exclude"), language, f"{where}: exclude") if own else default_exclude,
            "noun" if entry.get("noun") else "verb",
        )
        senses = []
        for key in ("context", "not_context"):
            words = entry.get(key)
            if words is not None and (not isinstance(words, list) or not words or any(not isinstance(w, str) or " " in w.strip() for w in words)):
                raise EventDataError(f"{where}: {key} is a list of single words, stems (word*) or lemmas (@word)")
            senses.append(_parse_word("|".join(w.strip() for w in words), f"{where}: {key}", lemmas) if words else None)
        after = entry.get("after") or []
        if not isinstance(after, list) or any(not isinstance(w, str) or not w.strip() for w in after):
            raise EventDataError(f"{where}: after is a list of word endings")
        not_after = entry.get("not_after")
        if not_after is not None and (not isinstance(not_after, list) or not not_after or any(not isinstance(w, str) or " " in w.strip() for w in not_after)):
            raise EventDataError(f"{where}: not_after is a list of single words or stems (word*)")
        for form in entry["forms"]:
            moods: dict[str, str] = {}
            steps = parse_form(form, where, lemmas, moods)
            triggers.append(
                Trigger(
                    code, steps, form, bool(entry.get("noun")), bool(entry.get("passive")), of, roles,
                    negated=bool(entry.get("negated")), included=included, form_moods=MappingProxyType(moods),
                    context=senses[0], not_context=senses[1], after=tuple(normalise_for_matching(w.strip()) for w in after),
                    not_after=_parse_word("|".join(w.strip() for w in not_after), f"{where}: not_after") if not_after else None,
                )
            )
    for form in data.get("not_triggers") or ():
        # Forms that win the longest-match contest and are then dropped.
        not_trigger = parse_form(form, f"{source}: not_triggers", Lemmas(language, forms, default_only, default_exclude))
        triggers.append(Trigger("010", not_trigger, form, False, False, "source", "default", ignored=True))
    if not triggers:
        raise EventDataError(f"{source}: no triggers")

    by_word: dict[str, list[Trigger]] = {}
    by_stem: dict[str, list[Trigger]] = {}
    for t in triggers:
        for word in t.steps[0].exact:
            by_word.setdefault(word, []).append(t)
        for stem in t.steps[0].starts:
            by_stem.setdefault(stem, []).append(t)
    all_exact = [w for t in triggers for w in t.steps[0].exact]
    all_stems = [w for t in triggers for w in t.steps[0].starts]
    return LanguagePatterns(
        language=language,
        triggers=tuple(triggers),
        cues=MappingProxyType(cues),
        window=int(data.get("window", 4)),
        purpose_reach=int(data.get("purpose_reach", 1)),
        grammar=MappingProxyType(grammar),
        case_roles=bool(data.get("case_roles")),
        case_word=case_word,
        complement_before=complement == "before",
        subject_first=data.get("subject", "nearest") == "first",
        suffixes=MappingProxyType(suffixes),
        relative_days=MappingProxyType(relative),
        weekdays=tuple(weekdays),
        year_words=year_words,
        next_words=next_words,
        by_first_word=MappingProxyType({k: tuple(v) for k, v in by_word.items()}),
        by_first_stem=MappingProxyType({k: tuple(v) for k, v in by_stem.items()}),
        max_stem=max((len(s) for s in by_stem), default=0),
        start_words=start_automaton(
            all_exact, all_stems,
            [w for t in triggers if len(t.steps) == 1 and not t.ignored for w in t.steps[0].exact],
            [w for t in triggers if len(t.steps) == 1 and not t.ignored for w in t.steps[0].stems],
            # An analysed stem's start may begin other words: such a word is a candidate, not a sure match.
        ),
    )


def match_steps(steps: Sequence[Step], tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """(index after the last matched token, letters fixed) if the steps match from token i, else None.

    Word steps are matched in a loop; a gap tries each width it allows, narrowest first, and
    matches the steps after it from there.
    """
    fixed = 0
    n = len(tokens)
    for k, step in enumerate(steps):
        if step.gap:
            rest = steps[k + 1 :]
            for j in range(i, min(i + step.gap, n) + 1):
                if j > i and tokens[j - 1].is_punct and tokens[j - 1].word not in QUOTES:
                    break  # a gap crosses no punctuation but quotation marks ('called it a "terrible event"')
                found = match_steps(rest, tokens, j)
                if found:
                    return found[0], found[1] + fixed
            return None
        if i >= n:
            return None
        token = tokens[i]
        if token.is_punct:
            return None
        letters = step.matches(token.word)
        if letters is None:
            return None
        fixed += letters
        i += 1
    return i, fixed


# The triggers that may start at a word, kept with the language's patterns:
# words recur across sentences and documents, and looking up every stem
# length of every word was a large cost.
CANDIDATE_CACHE_SIZE = 200_000  # words per lookup table


def candidates(patterns: LanguagePatterns, word: str) -> tuple[Trigger, ...]:
    cache = patterns.lookups.setdefault("triggers", {})
    found = cache.get(word)
    if found is None:
        out = list(patterns.by_first_word.get(word, ()))
        for k in range(1, min(len(word), patterns.max_stem) + 1):
            out.extend(patterns.by_first_stem.get(word[:k], ()))
        found = tuple(out)
        if len(cache) < CANDIDATE_CACHE_SIZE:
            cache[word] = found
    return found
