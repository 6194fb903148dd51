"""Words and punctuation marks of a sentence, as the patterns, cues and role finder read them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

# A word token (see `TOKEN`) ends where no word character, and no hyphen or
# apostrophe with one after it, follows.
TOKEN_ENDS = r"(?![\w]|[-'’]\w)"
# Numbers keep their separators ("25,000", "5.1") so that a pattern gap can cross them.
TOKEN = re.compile(r"\d+(?:[.,/]\d+)+|\w+(?:[-'’]\w+)*|[.,;:!?()«»\"“”„—–]")
WORD_CHAR = re.compile(r"\w")
CUT_AFTER = re.compile(r"\w|[-'’]\w|[.,/]\d")  # a token would go on past this point
CLAUSE_PUNCT = frozenset(";:()—–")  # never crossed by a pattern, a cue or an actor search
PUNCT = frozenset(".,;:!?()«»\"“”„—–")
QUOTES = frozenset("«»\"“”„")


class Token(NamedTuple):
    """A word or punctuation mark; a named tuple, since every sentence makes dozens and they are read a lot."""

    start: int
    end: int
    word: str  # normalised: lower case, plain hyphens and apostrophes, е for ё
    is_punct: bool


new_tuple = tuple.__new__  # builds a Token without the keyword handling of its constructor: tokenising is a hot loop


def tokenize(norm: str, start: int, end: int) -> list[Token]:
    """Word and punctuation tokens of norm[start:end]; `norm` is normalise_for_matching(text), offsets are the text's."""
    return [new_tuple(Token, (m.start(), m.end(), w, w in PUNCT)) for m in TOKEN.finditer(norm, start, end) for w in (m.group(),)]


def boundary_between(tokens: Sequence[Token], a: int, b: int) -> bool:
    """Whether a clause boundary (; : brackets, dashes) lies between token a and token b."""
    lo, hi = min(a, b), max(a, b)
    return any(t.word in CLAUSE_PUNCT for t in tokens[lo + 1 : hi])
