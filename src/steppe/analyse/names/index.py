"""The index of every form of every registry name: one Aho-Corasick automaton
over the normalised forms (steppe.text.normalise_for_matching), and the forms
by folding key (steppe.text.fold(key=True)), grouped by their first two
letters for the fuzzy search.
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ahocorasick

from steppe.analyse.names.forms import (
    CYRILLIC,
    SCHEME_LANGUAGES,
    generated_forms,
    hyphen_variants,
    russian_case_forms,
)
from steppe.analyse.names.registry import Entity, Registry, load_registry
from steppe.text import fold, normalise_for_matching


@dataclass(frozen=True)
class Form:
    entity_id: str
    entity_type: str
    text: str  # the form as written in the registry or generated
    kind: str
    language: str | None
    method: str  # exact, transliteration, inflection or demonym, if this form matches
    capitalised: bool  # must start with an upper-case letter in the text
    case_sensitive: bool  # must match letter for letter (abbreviations, short forms)
    valid_from: date | None
    valid_to: date | None


@dataclass
class NameIndex:
    registry: Registry
    automaton: Any
    fold_index: dict[str, tuple[Form, ...]]
    fold_buckets: dict[str, tuple[str, ...]]
    # Unmatched spans repeat across documents (the same unknown names recur),
    # and resolving one by folding and fuzzy search is the costly part.
    fold_cache: dict[tuple[str, str | None], tuple[str | None, str | None, str, float]] = field(default_factory=dict)  # (surface, language)


def _forms_of(entity: Entity) -> Iterable[Form]:
    """Every form a name of the entity may take in text, each with how it matches.

    A generated transliteration keeps the kind of the name it comes from, so
    that "Tokaiev" (from the short name Тоқаев) is still a short name.
    """
    all_words = entity.entity_type == "person"
    for n in entity.names:
        if not n.text.strip():
            continue
        written = [(n.text, "demonym" if n.kind == "demonym" else "exact", n.language)]
        # The Latin form of another language's exonym ("Сальвадор", El Salvador in Russian,
        # read "Salvador") belongs to that language's text: in Portuguese it is the city in Bahia.
        exonym = n.language if n.kind == "translation" and n.language in ("ru", "kk") else None
        written += [(form, "transliteration", exonym or SCHEME_LANGUAGES.get(scheme)) for scheme, form in generated_forms(n).items()]
        for text, base_method, language in written:
            capitalised = text[:1].isupper() and n.kind != "demonym"
            case_sensitive = n.kind == "abbreviation" or len(text) <= 3
            variants = [(v, base_method) for v in hyphen_variants(text)]
            if CYRILLIC.search(text) and n.language in (None, "ru") and not case_sensitive:
                inflected = "demonym" if n.kind == "demonym" else "inflection"
                variants += [(f, inflected) for f in russian_case_forms(text, all_words) if f != text]
            for variant, method in variants:
                yield Form(entity.entity_id, entity.entity_type, variant, n.kind, language, method, capitalised, case_sensitive, n.valid_from, n.valid_to)


def build_index(registry: Registry) -> NameIndex:
    by_key: dict[str, list[Form]] = defaultdict(list)
    by_fold: dict[str, list[Form]] = defaultdict(list)
    for entity in registry.entities.values():
        for form in _forms_of(entity):
            key = normalise_for_matching(form.text)
            if form not in by_key[key]:
                by_key[key].append(form)
            if form.method != "inflection" and not form.case_sensitive:
                folded = fold(form.text, key=True)
                if len(folded) >= 4 and form not in by_fold[folded]:
                    by_fold[folded].append(form)
    automaton = ahocorasick.Automaton()
    for key, forms in by_key.items():
        automaton.add_word(key, (key, tuple(forms)))
    automaton.make_automaton()
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in by_fold:
        buckets[key[:2]].append(key)
    return NameIndex(
        registry=registry,
        automaton=automaton,
        fold_index={k: tuple(v) for k, v in by_fold.items()},
        fold_buckets={k: tuple(sorted(v)) for k, v in buckets.items()},
    )


_DEFAULT_INDEX_LOCK = threading.Lock()


@functools.cache
def _build_default_index() -> NameIndex:
    return build_index(load_registry())


def default_index() -> NameIndex:
    """The index of the package's registry, built once per process.

    The lock matters: batches run in threads, and without it each thread that
    starts before the first build ends would build an index of its own.
    """
    with _DEFAULT_INDEX_LOCK:
        return _build_default_index()
