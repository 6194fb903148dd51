"""tools/sectors_judged.py: judged samples of sector matches in real news."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _load_script():
    spec = importlib.util.spec_from_file_location("sectors_judged", ROOT / "tools/sectors_judged.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


judged = _load_script()


def test_a_sample_is_fixed_by_its_seed_and_leaves_the_gold_sentences_out(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.jsonl"
    texts = ["O preço do petróleo subiu. A Petrobras vendeu gás natural.", "Nada aqui.",
             "A refinaria parou. O gasoduto foi atacado."]
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) + "\n"
                              for i, t in enumerate(texts)), encoding="utf-8")
    monkeypatch.setattr(judged, "gold_sentences", lambda language: {"A refinaria parou."})
    items, total = judged.draw("pt", [corpus], 2, seed=1)
    again, _ = judged.draw("pt", [corpus], 2, seed=1)
    assert items == again and total == 3  # petróleo, gás natural, gasoduto; the gold's "refinaria" left out
    assert {i["surface"] for i in items} <= {"petróleo", "gás natural", "gasoduto"}
    assert all("⟦" + i["surface"] + "⟧" in i["sentence"] and i["verdict"] == "" for i in items)


def test_the_report_gives_the_judged_precision_and_what_the_finder_still_makes(tmp_path, capsys):
    path = tmp_path / "pt.yaml"
    items = [
        {"n": 1, "doc": "d1", "surface": "petróleo", "sector": "ENERGY.OIL",
         "sentence": "O preço do ⟦petróleo⟧ subiu.", "verdict": "right", "note": ""},
        {"n": 2, "doc": "d2", "surface": "prata", "sector": "MINING.METALS",
         "sentence": "Ele ganhou a medalha de ⟦prata⟧.", "verdict": "wrong", "note": "a medal"},
    ]
    path.write_text(yaml.safe_dump({"language": "pt", "corpora": [], "seed": 1, "items": items},
                                   allow_unicode=True), encoding="utf-8")
    assert judged.main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "pt             2     1     1     0.500     1/2" in out  # the medal is no longer matched
    assert "'prata': a medal" in out
    items[1]["verdict"] = ""
    path.write_text(yaml.safe_dump({"language": "pt", "corpora": [], "seed": 1, "items": items},
                                   allow_unicode=True), encoding="utf-8")
    assert judged.main(["report", str(path)]) == 1
