"""Triggers in text: where a pattern may start in a document, and which patterns match in a sentence.

Only sentences in which a trigger may start are tokenised and coded: one pass
over the document finds the words that begin a pattern
(`candidate_sentences`); the others cannot code an event.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from steppe.analyse.events.lexicon import (
    CANDIDATE_CACHE_SIZE,
    LanguagePatterns,
    Step,
    Trigger,
    candidates,
    match_steps,
)
from steppe.analyse.events.starts import prefix_regex
from steppe.analyse.events.tokens import (
    CUT_AFTER,
    PUNCT,
    TOKEN,
    TOKEN_ENDS,
    WORD_CHAR,
    Token,
    new_tuple,
)


@dataclass(frozen=True)
class Match:
    trigger: Trigger
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # char offsets in the document
    end: int
    fixed: int  # letters fixed by the pattern: more is more specific
    stem_rest: str  # what follows the stem in the last word (for Kazakh negative infixes)


def find_triggers(tokens: Sequence[Token], patterns: LanguagePatterns, starts: frozenset[int] | None = None) -> list[Match]:
    """Every trigger match, overlaps settled in favour of the longest and most specific, in text order.

    `starts`, if given, limits the search to the tokens that begin at those offsets.
    """
    found: list[Match] = []
    words: frozenset[str] | None = None  # the sentence's words, read where a trigger's sense depends on them
    senses: dict[int, bool] = {}  # id(step) -> whether it matches a word of the sentence: triggers share their senses

    def in_sentence(step: Step) -> bool:
        nonlocal words
        found = senses.get(id(step))
        if found is None:
            if words is None:
                words = frozenset(t.word for t in tokens if not t.is_punct)
            found = senses[id(step)] = step.matches_any(words)
        return found

    for i in _start_indices(tokens, starts):
        token = tokens[i]
        if token.is_punct:
            continue
        for trigger in candidates(patterns, token.word):
            if (trigger.context is not None and not in_sentence(trigger.context)) or (
                trigger.not_context is not None and in_sentence(trigger.not_context)
            ):
                continue
            if trigger.after and (i == 0 or not tokens[i - 1].word.endswith(trigger.after)):
                continue
            if trigger.not_after is not None and i > 0 and trigger.not_after.matches(tokens[i - 1].word) is not None:
                continue
            m = match_steps(trigger.steps, tokens, i)
            if m is None:
                continue
            end_index, fixed = m
            last = end_index - 1
            last_step = trigger.steps[-1]
            last_word = tokens[last].word
            stem = max((s for s in last_step.starts if last_word.startswith(s)), key=len, default=None)
            rest = last_word[len(stem) :] if stem is not None and last_word not in last_step.exact else ""
            found.append(Match(trigger, i, last, tokens[i].start, tokens[last].end, fixed, rest))
    # A word that is both a verb and a noun ("visita", "talks", "визит") is the
    # noun after a determiner or preposition ("a visita", "sua visita", "da
    # visita"), else the verb ("Putin visita o Cazaquistão").
    g = patterns.grammar
    determiners = patterns.determiners

    def reads_as_noun(m: Match) -> bool:
        if not g["articles"]:
            return m.trigger.noun  # no articles (Russian, Kazakh): noun and verb forms differ, the longer form decides
        return m.first > 0 and tokens[m.first - 1].word in determiners

    found.sort(key=lambda m: (-(m.last - m.first), m.trigger.included, m.trigger.noun != reads_as_noun(m), -m.fixed, m.first))
    chosen: list[Match] = []
    for m in found:
        if all(m.last < c.first or m.first > c.last for c in chosen):
            chosen.append(m)
    return sorted((m for m in chosen if not m.trigger.ignored and not _describes(m, tokens, patterns)), key=lambda m: m.first)


def _describes(m: Match, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether a one-word verb trigger is a participle that names or describes and reports no act:
    - right after an article or a determiner (the grammar's `attributive_before`: "the confirmed deaths",
      "the accused", "os investigados", "dos denunciados"), unless an auxiliary precedes ("was further sanctioned");
    - in a language that lists `participle_verbs` (its participles differ from its finite forms), with none of
      them up to three words before, no agent after and the sentence not opening with it: "as empresas
      investigadas", "o acordo assinado em 2015"; but "os manifestantes detidos pela polícia" is a passive and
      "Detido duas vezes, Diego ..." reports."""
    g = patterns.grammar
    if m.first != m.last or m.trigger.noun or m.first == 0 or not tokens[m.first].word.endswith(patterns.endings["participle"]):
        return False
    if tokens[m.first - 1].word in g["attributive_before"]:
        return m.first < 2 or tokens[m.first - 2].word not in g["auxiliaries"]
    if not g["participle_verbs"] or (m.last + 1 < len(tokens) and tokens[m.last + 1].word in g["agent_markers"]):
        return False
    return not any(t.word in g["participle_verbs"] for t in tokens[max(0, m.first - 3) : m.first])


def _start_indices(tokens: Sequence[Token], starts: frozenset[int] | None) -> Iterable[int]:
    """The indices of the tokens that begin at one of `starts` (all of them for None), in order."""
    if starts is None:
        return range(len(tokens))
    found = []
    for at in sorted(starts):
        i = bisect.bisect_left(tokens, at, key=_TOKEN_START)
        if i < len(tokens) and tokens[i].start == at:
            found.append(i)
    return found


_TOKEN_START = operator.itemgetter(0)
_LETTER = re.compile(r"[^\W\d]")
_TOKEN_ENDS_AT = re.compile(TOKEN_ENDS)


def pattern_start_offsets(norm: str, patterns: LanguagePatterns) -> tuple[list[int], list[int]]:
    """The offsets where `patterns.pattern_starts` matches in `norm`, found with its automaton, and
    those of them where a one-word trigger matches (where `_trigger_matches_at` needs no tokens).

    The same places as the regular expression (no letter before; a stem
    begins there, or an exact word that ends as a token does), in order: one
    pass of the automaton over the text costs much less than trying the
    regular expression at every offset. The shortest words are not in the
    automaton but have a regular expression each (`starts.StartWords`).
    """
    found: set[int] = set()
    one_word: set[int] = set()
    words = patterns.start_words
    for end, value in words.automaton.iter(norm):
        start = end - value[0] + 1
        if start > 0 and _LETTER.match(norm, start - 1):
            continue
        _add_start(norm, start, end, value, found, one_word)
    for expression, value in words.short:
        for m in expression.finditer(norm):
            start = m.start()
            _add_start(norm, start, start + value[0] - 1, value, found, one_word)
    return sorted(found), sorted(one_word)


def _add_start(norm: str, start: int, end: int, value: tuple[int, bool, bool, bool], found: set[int], one_word: set[int]) -> None:
    """Record a word or stem found at norm[start:end + 1], where no letter precedes it."""
    _, is_stem, one_word_stem, one_word_exact = value
    whole = None
    if is_stem or (whole := bool(_TOKEN_ENDS_AT.match(norm, end + 1))):
        found.add(start)
    if one_word_stem or (one_word_exact and (whole if whole is not None else _TOKEN_ENDS_AT.match(norm, end + 1))):
        one_word.add(start)


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
        if (start > 0 and WORD_CHAR.match(norm, start - 1) and WORD_CHAR.match(norm, start)) or (
            end < len(norm) and WORD_CHAR.match(norm, end - 1) and CUT_AFTER.match(norm, end)
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
    first = TOKEN.match(norm, at, end)
    if first is None:
        return True  # cannot happen where a pattern's first word was found; keep the sentence rather than guess
    cache = patterns.lookups.setdefault("starts", {})
    word = first.group()
    found = cache.get(word)
    if found is None:
        possible = tuple(t for t in candidates(patterns, word) if not t.ignored)
        # True: a one-word pattern matches here; else the patterns to try, the
        # tokens they may need, and what their last words must begin with.
        if any(len(t.steps) == 1 and t.steps[0].matches(word) is not None for t in possible):
            found = True
        else:
            # A form never ends in a gap (`lexicon.load_patterns` refuses one): every last step has words or stems.
            ends = sorted({w for t in possible for w in (*t.steps[-1].exact, *t.steps[-1].starts)}, key=lambda w: (-len(w), w))
            # As a trie: a lemma's forms make long lists, which a flat alternation searches slowly.
            last_words = re.compile(prefix_regex((), ends)) if ends else None
            found = (possible, max(map(_span, possible), default=0), last_words)
        if len(cache) < CANDIDATE_CACHE_SIZE:
            cache[word] = found
    if found is True:
        return True
    possible, span, last_words = found
    # A pattern's last word is a token after this one, and a token is the text
    # it covers: where none of the last words or stems occurs in the rest of
    # the sentence, no pattern can match (most places: "é", "se", "por").
    if last_words is None or not last_words.search(norm, first.end(), end):
        return False  # no possible, or none of their last words later in the sentence
    tokens = [new_tuple(Token, (m.start(), m.end(), w, w in PUNCT)) for m in itertools.islice(TOKEN.finditer(norm, at, end), span) for w in (m.group(),)]
    return any(match_steps(t.steps, tokens, 0) is not None for t in possible)


def _span(trigger: Trigger) -> int:
    """The most tokens a pattern can cover: one per word, and each gap at its widest."""
    return sum(step.gap or 1 for step in trigger.steps)
