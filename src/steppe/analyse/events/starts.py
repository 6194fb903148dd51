"""Where a trigger pattern may start in text: its first words and stems as a regular expression (a trie)
and as an Aho-Corasick automaton, built once per language by `lexicon.load_patterns`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

from steppe.analyse.events.tokens import TOKEN_ENDS


def prefix_regex(exact: Iterable[str], stems: Iterable[str]) -> str:
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
            alternatives.append(TOKEN_ENDS)
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return branch(trie) if trie else "(?!)"


def starts_pattern(exact: Iterable[str], stems: Iterable[str]) -> re.Pattern[str]:
    """Where a token that is one of `exact` or begins with a stem may start.

    A token starts where no letter (or underscore) precedes: `tokens.TOKEN` takes
    the whole run of word characters, and only a number with separators
    ("1.5") may end just before a word character. The lookahead makes every
    position a candidate, so no match hides another.
    """
    return re.compile(f"(?<![^\\W\\d])(?={prefix_regex(exact, stems)})")


# Words this short also occur inside most words ("a" in "para", "casa"): an automaton reports
# every such occurrence, so they are found with a regular expression each, at word starts only.
SHORT_WORD = 2
_LETTER = re.compile(r"[^\W\d]")


@dataclass(frozen=True)
class StartWords:
    """The words and stems where a pattern may start: the longer ones as an Aho-Corasick automaton,
    the short ones (`SHORT_WORD` letters at most) as regular expressions that match them only where
    no letter precedes (and, for a word that is no stem, only where the token ends). Each gives,
    for a word, (length, is a stem, is a one-word trigger's stem, is a one-word trigger's exact word)."""

    automaton: Any
    short: tuple[tuple[re.Pattern[str], tuple[int, bool, bool, bool]], ...]


def start_automaton(exact: Iterable[str], stems: Iterable[str], one_word_exact: Iterable[str], one_word_stems: Iterable[str]) -> StartWords:
    """The words and stems, with what is known of each, as `StartWords`."""
    stems, one_word_exact, one_word_stems = set(stems), set(one_word_exact), set(one_word_stems)
    automaton = ahocorasick.Automaton()
    short = []
    for word in sorted(set(exact) | stems):
        value = (len(word), word in stems, word in one_word_stems, word in one_word_exact)
        if len(word) > SHORT_WORD or not _LETTER.match(word):
            automaton.add_word(word, value)
        else:
            # The word first, so that the search looks for its first letter; then no letter before
            # it. A word that begins with a letter cannot begin again inside itself after one letter,
            # so the search, which resumes after each match, misses none.
            escaped = re.escape(word)
            short.append((re.compile(f"{escaped}(?<![^\\W\\d]{escaped})" + ("" if word in stems else TOKEN_ENDS)), value))
    automaton.make_automaton()
    return StartWords(automaton, tuple(short))
