"""Agent nouns: actors named by what they are rather than who ("the police", "суд", "Қазақстан полициясы").

Each language lists its agent nouns in data/events/agents/<language>.yaml by
CAMEO actor type (GOV, MIL, COP, JUD, LEG, ...; the types and their meaning
are in data/events/actor_types.yaml). A form is written as a trigger pattern
is (steppe.analyse.events.lexicon): words and stems ending in "*", so that
"полици*" matches every case of "полиция". Russian and Kazakh list the
nominative forms of an entry's words apart (`nominative`: not forms of their
own), since the nominative is the subject.
English also reads data/events/agents/en_phoenix.yaml, generated from the
PETRARCH2/Phoenix agents dictionary by tools/build_agents.py; its own file
adds to it and, form by form, overrides it.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from types import MappingProxyType

from steppe.analyse.events.codebook import EventDataError, data_file, read_yaml
from steppe.analyse.events.lexicon import (
    CANDIDATE_CACHE_SIZE,
    EVENT_LANGUAGES,
    Step,
    match_steps,
    parse_form,
)
from steppe.analyse.events.tokens import Token
from steppe.text import normalise_for_matching

_ENTRY_KEYS = {"type", "forms", "nominative"}


@dataclass(frozen=True)
class AgentNoun:
    actor_type: str
    steps: tuple[Step, ...]
    form: str  # as written, for curators
    nominative: frozenset[str]  # normalised head words in the nominative (Russian, Kazakh); empty elsewhere


@dataclass(frozen=True)
class AgentMatch:
    noun: AgentNoun
    first: int  # token indices, inclusive
    last: int
    nominative: bool


@dataclass(frozen=True)
class AgentLexicon:
    language: str
    by_first_word: Mapping[str, tuple[AgentNoun, ...]]
    by_first_stem: Mapping[str, tuple[AgentNoun, ...]]
    max_stem: int
    # The agent nouns that may start at a word, filled as words are met (words recur across sentences).
    lookups: dict[str, tuple[AgentNoun, ...]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def candidates(self, word: str) -> tuple[AgentNoun, ...]:
        found = self.lookups.get(word)
        if found is None:
            out = list(self.by_first_word.get(word, ()))
            for k in range(1, min(len(word), self.max_stem) + 1):
                out.extend(self.by_first_stem.get(word[:k], ()))
            found = tuple(out)
            if len(self.lookups) < CANDIDATE_CACHE_SIZE:
                self.lookups[word] = found
        return found


@functools.cache
def actor_types() -> Mapping[str, str]:
    """CAMEO actor type code -> what it stands for (data/events/actor_types.yaml)."""
    source = data_file("actor_types.yaml")
    data = read_yaml(source)
    if not isinstance(data, dict) or not all(isinstance(k, str) and len(k) == 3 and k.isupper() and isinstance(v, str) for k, v in data.items()):
        raise EventDataError(f"{source}: expected a mapping of three-letter type codes to descriptions")
    return MappingProxyType(dict(data))


def _read_entries(name: str, language: str) -> list[tuple[str, dict]]:
    source = data_file(f"agents/{name}.yaml")
    data = read_yaml(source)
    if not isinstance(data, dict) or data.get("language") != language or set(data) - {"language", "agents"}:
        raise EventDataError(f"{source}: expected a mapping with language: {language} and agents")
    entries = data.get("agents") or []
    if not isinstance(entries, list):
        raise EventDataError(f"{source}: agents: expected a list")
    return [(f"{source}: agent {n}", entry) for n, entry in enumerate(entries, start=1)]


@functools.cache
def load_agents(language: str) -> AgentLexicon:
    """The agent nouns of one language, validated; every problem names its file and entry."""
    if language not in EVENT_LANGUAGES:
        raise EventDataError(f"no agent nouns for language {language!r} (expected one of {', '.join(EVENT_LANGUAGES)})")
    files = (["en_phoenix"] if language == "en" else []) + [language]
    types = actor_types()
    by_form: dict[str, AgentNoun] = {}  # a later file's form replaces an earlier one's
    for name in files:
        for where, entry in _read_entries(name, language):
            if not isinstance(entry, dict) or not {"type", "forms"} <= set(entry) or set(entry) - _ENTRY_KEYS:
                raise EventDataError(f"{where}: expected type, forms and optionally nominative")
            if entry["type"] not in types:
                raise EventDataError(f"{where}: unknown actor type {entry['type']!r} (see actor_types.yaml)")
            forms, nominative = entry["forms"], entry.get("nominative") or []
            if not isinstance(forms, list) or not isinstance(nominative, list):
                raise EventDataError(f"{where}: forms and nominative are lists")
            heads = frozenset(normalise_for_matching(w) for w in nominative if isinstance(w, str))
            if len(heads) != len(nominative):
                raise EventDataError(f"{where}: nominative forms are strings")
            for form in forms:
                steps = parse_form(form, where)
                by_form[_form_key(form)] = AgentNoun(entry["type"], steps, form, heads)
    by_first_word: dict[str, list[AgentNoun]] = {}
    by_first_stem: dict[str, list[AgentNoun]] = {}
    for noun in by_form.values():
        first = noun.steps[0]
        for word in first.exact:
            by_first_word.setdefault(word, []).append(noun)
        for stem in first.stems:
            by_first_stem.setdefault(stem, []).append(noun)
    return AgentLexicon(
        language,
        MappingProxyType({k: tuple(v) for k, v in by_first_word.items()}),
        MappingProxyType({k: tuple(v) for k, v in by_first_stem.items()}),
        max((len(s) for s in by_first_stem), default=0),
    )


def _form_key(form: str) -> str:
    """A form by the first alternative of each word: "ministry|ministries of defence" is "ministry of defence"."""
    return " ".join(word.split("|")[0] for word in normalise_for_matching(form).split())


_WORD = operator.attrgetter("word")


def find_agents(tokens: Sequence[Token], lexicon: AgentLexicon, taken: Sequence[tuple[int, int]] = ()) -> list[AgentMatch]:
    """Agent nouns of a sentence, longest first where two overlap, in text order; none inside `taken` token spans (names)."""
    # An English possessive is its noun ("the network's franchise") unless a form holds it ("prosecutor's office").
    bare = (
        [t._replace(word=t.word[:-2]) if t.word.endswith("'s") and len(t.word) > 2 else t for t in tokens]
        if lexicon.language == "en" else None
    )
    found: list[tuple[int, int, int, AgentNoun]] = []
    words = list(map(_WORD, tokens))
    nouns_at = list(map(lexicon.lookups.get, words))  # most words are met again: their nouns are known
    if None in nouns_at:
        nouns_at = [lexicon.candidates(w) if nouns is None else nouns for w, nouns in zip(words, nouns_at)]
    # Only the tokens where a noun may start, and (English) the possessives, are read.
    at: Iterable[int] = compress(range(len(tokens)), nouns_at)
    if bare is not None:
        at = sorted({*at, *(i for i, t in enumerate(bare) if t is not tokens[i])})
    for i in at:
        token = tokens[i]
        if token.is_punct:
            continue
        before = len(found)
        for noun in nouns_at[i]:
            m = match_steps(noun.steps, tokens, i)
            if m is not None:
                found.append((i, m[0] - 1, m[1], noun))
        if bare is not None and len(found) == before and bare[i] is not token:
            for noun in lexicon.candidates(bare[i].word):
                m = match_steps(noun.steps, bare, i)
                if m is not None:
                    found.append((i, m[0] - 1, m[1], noun))
    found.sort(key=lambda f: (-(f[1] - f[0]), -f[2], f[0]))
    chosen: list[AgentMatch] = []
    for first, last, _, noun in found:
        if any(not (last < a or first > b) for a, b in taken):
            continue
        if all(last < c.first or first > c.last for c in chosen):
            heads = noun.nominative
            chosen.append(AgentMatch(noun, first, last, bool(heads) and any(tokens[k].word in heads for k in range(first, last + 1))))
    return sorted(chosen, key=lambda c: c.first)
