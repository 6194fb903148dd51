"""The data files are read so that a word stays a word (YAML 1.2 booleans only)."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

import steppe
from steppe.datafiles import load_yaml

PACKAGE = Path(steppe.__file__).resolve().parent


def test_only_true_and_false_are_booleans():
    data = load_yaml("w: [on, On, off, yes, no, No, y, n, Y, true, False, 12, 1.5, ~, 2025-11-27, 'x']")
    assert data["w"] == ["on", "On", "off", "yes", "no", "No", "y", "n", "Y", True, False, 12, 1.5, None, date(2025, 11, 27), "x"]
    assert load_yaml("yes: no") == {"yes": "no"}


def _mixed_lists(node, where, found):
    """Lists of scalars that hold text and something else: a word that YAML turned into a value."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, bool):
                found.append(f"{where}: key {key!r}")
            _mixed_lists(value, f"{where}/{key}", found)
    elif isinstance(node, list):
        scalars = [x for x in node if not isinstance(x, (dict, list))]
        if any(isinstance(x, str) for x in scalars) and not all(isinstance(x, str) for x in scalars):
            found.append(f"{where}: {[x for x in scalars if not isinstance(x, str)]}")
        for i, x in enumerate(node):
            _mixed_lists(x, f"{where}/{i}", found)
    return found


DATA_FILES = sorted((PACKAGE / "data").rglob("*.yaml")) + sorted((PACKAGE / "schemas").glob("*.yaml"))


def test_the_scan_sees_the_data_files():
    assert len(DATA_FILES) > 10 and any(p.name == "stoplist.yaml" for p in DATA_FILES)
    assert _mixed_lists(load_yaml("w: [a, 1]"), "t", []) == ["t/w: [1]"]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_word_list_holds_a_non_string(path):
    assert _mixed_lists(load_yaml(path.read_text(encoding="utf-8")), path.name, []) == []


def test_every_data_file_is_read_with_the_data_loader():
    """No module reads YAML by PyYAML's own (YAML 1.1) rules, but the reader of untrusted sidecars."""
    data_loaders = {"DataLoader", "_DatesAsText"}  # _DatesAsText: the registry's DataLoader that keeps dates as text
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "datafiles.py" or path.relative_to(PACKAGE).as_posix() == "ingest/read.py":  # read.py: input sidecars
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml"):
                continue
            loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
            if node.func.attr in {"safe_load", "full_load", "unsafe_load", "safe_load_all"} or (
                node.func.attr in {"load", "load_all"} and not (isinstance(loader, ast.Name) and loader.id in data_loaders)
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_on_no_and_yes_are_stopwords_and_open_no_name():
    from steppe.analyse.names.index import default_index
    from steppe.analyse.names.lexicon import language_data
    from steppe.analyse.names.resolution import find_unmatched_names
    from steppe.analyse.sentences import split_sentences

    assert {"on", "no", "yes"} <= language_data().stopwords
    text = "On Tuesday Kyrgyzstan signed. Yes Minister Ulan Dzhaparov agreed."
    found = [m.surface for m in find_unmatched_names(text, "en", split_sentences(text, "en"), [], default_index())]
    assert "On Tuesday" not in found and not any(s.startswith(("On ", "Yes ")) for s in found)
