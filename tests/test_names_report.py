"""tools/names_report.py, the thin command line over steppe.dev.quality, run with fake finders and registries."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from steppe.dev.gold import gold_spans, load_gold

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "quality/gold/names"


def _load_script():
    spec = importlib.util.spec_from_file_location("names_report", ROOT / "tools/names_report.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


names_report = _load_script()


def _gold_by_text() -> dict[str, list]:
    by_text = {}
    for path in sorted(GOLD_DIR.glob("*.yaml")):
        for document in load_gold(path):
            by_text[document.text] = gold_spans(document)
    return by_text


GOLD_BY_TEXT = _gold_by_text()
CANONICAL_NAMES = sorted({s.label for spans in GOLD_BY_TEXT.values() for s in spans if s.label is not None})


def registry_of(names):
    """A registry stand-in: entity ids "e:<name>" with their canonical names."""
    return SimpleNamespace(entities={f"e:{name}": SimpleNamespace(canonical_name=name) for name in names})


def gold_finder(keep=lambda index, span: True):
    """find_mentions that answers with the gold (resolved to the stand-in registry's ids), filtered by `keep`."""

    def find_mentions(text, language, published):
        spans = [s for s in GOLD_BY_TEXT[text] if s.label is not None]
        return [
            SimpleNamespace(char_start=s.start, char_end=s.end, surface=s.surface, entity_id=f"e:{s.label}",
                            entity_type="x", method="gold", score=1.0)
            for index, s in enumerate(spans) if keep(index, s)
        ]

    return find_mentions


def run(tmp_path, *args, finder, registry):
    out = tmp_path / "names.json"
    code = names_report.main(["--no-seed", "--json", str(out), *args], finder=finder, registry=registry)
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_a_finder_that_returns_the_gold_passes_the_check(tmp_path, capsys):
    code, numbers = run(tmp_path, "--check", finder=gold_finder(), registry=registry_of(CANONICAL_NAMES))
    assert code == 0 and numbers["passed"]
    assert set(numbers["languages"]) == {"pt", "en", "ru", "kk"}
    for language in numbers["languages"].values():
        assert (language["precision"], language["recall"], language["f1"]) == (1.0, 1.0, 1.0)
        assert language["null_entity"]["resolved"] == 0
    assert numbers["registry_lacks"] == {}
    assert "below target" not in capsys.readouterr().out


def test_a_finder_that_drops_half_fails_the_check_but_not_the_report(tmp_path, capsys):
    half = gold_finder(lambda index, span: index % 2 == 0)
    code, numbers = run(tmp_path, "--check", finder=half, registry=registry_of(CANONICAL_NAMES))
    assert code == 1 and not numbers["passed"]
    for language in numbers["languages"].values():
        assert language["precision"] == 1.0
        assert 0.35 < language["recall"] < 0.65
    out = capsys.readouterr().out
    assert "below target" in out and "not found" in out
    code, _ = run(tmp_path, finder=half, registry=registry_of(CANONICAL_NAMES))
    assert code == 0  # a report without --check always exits 0


def test_names_the_registry_lacks_are_listed_and_left_out_of_recall(tmp_path, capsys):
    registry = registry_of(name for name in CANONICAL_NAMES if name not in ("Kazakhstan", "Kremlin"))
    code, numbers = run(tmp_path, "--check", finder=gold_finder(), registry=registry)
    out = capsys.readouterr().out
    assert "gold names the registry lacks" in out
    assert numbers["registry_lacks"]["Kazakhstan"] > 40 and "Kremlin" in numbers["registry_lacks"]
    assert all(language["recall"] == 1.0 for language in numbers["languages"].values())
    # The gold finder still resolves them (to ids the registry does not have): false positives.
    assert "gold names an entity the registry lacks" in out
    assert code == 1


def test_resolving_a_null_name_is_reported(tmp_path, capsys):
    base = gold_finder()

    def finder(text, language, published):
        found = list(base(text, language, published))
        for s in GOLD_BY_TEXT[text]:
            if s.label is None:
                found.append(SimpleNamespace(char_start=s.start, char_end=s.end, surface=s.surface,
                                             entity_id="e:Kazakhstan", method="fuzzy"))
        return found

    code, numbers = run(tmp_path, finder=finder, registry=registry_of(CANONICAL_NAMES))
    assert code == 0
    for language in numbers["languages"].values():
        assert language["null_entity"]["resolved"] == language["null_entity"]["gold"] > 0
        assert language["precision"] < 1.0
    assert "gold leaves it unresolved" in capsys.readouterr().out


def test_finder_errors_and_bad_offsets_are_reported(tmp_path, capsys):
    def broken(text, language, published):
        if language == "kk":
            raise RuntimeError("boom")
        return [SimpleNamespace(char_start=0, char_end=3, surface="???", entity_id=None, method="x")]

    code, numbers = run(tmp_path, "--check", finder=broken, registry=registry_of(CANONICAL_NAMES))
    out = capsys.readouterr().out
    assert code == 1 and numbers["finder_problems"] > 0
    assert "RuntimeError: boom" in out and "does not match the text" in out


def test_an_invalid_gold_file_is_reported_not_raised(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "en.yaml").write_text(
        "language: en\ndocuments:\n  - {id: en-1, text: Astana., mentions: [{surface: Almaty, entity: Almaty}]}\n",
        encoding="utf-8",
    )
    args = ["--no-seed", "--gold-dir", str(gold_dir)]
    assert names_report.main(args, finder=gold_finder(), registry=registry_of([])) == 0
    assert names_report.main([*args, "--check"], finder=gold_finder(), registry=registry_of([])) == 1
    assert "does not occur" in capsys.readouterr().err


@pytest.mark.skipif(not names_report.DEFAULT_SEED.is_file(), reason="../shared/gold/seed.gold.yaml is absent")
def test_the_seed_is_scored_with_portuguese(tmp_path, capsys):
    seed = load_gold(names_report.DEFAULT_SEED, text_dirs=names_report.SEED_TEXT_DIRS)[0]
    seed_spans = gold_spans(seed)
    names = sorted(set(CANONICAL_NAMES) | {s.label for s in seed_spans})
    base = gold_finder()

    def finder(text, language, published):
        if text == seed.text:
            return [SimpleNamespace(char_start=s.start, char_end=s.end, surface=s.surface, entity_id=f"e:{s.label}",
                                    method="gold") for s in seed_spans]
        return base(text, language, published)

    out_json = tmp_path / "names.json"
    code = names_report.main(["--json", str(out_json), "--check"], finder=finder, registry=registry_of(names))
    numbers = json.loads(out_json.read_text(encoding="utf-8"))
    assert code == 0
    assert set(numbers["languages"]["pt"]["files"]) == {"pt.yaml", names_report.DEFAULT_SEED.name}
    assert "seed.gold.yaml" in capsys.readouterr().out
