"""Blind merging and reporting of judged event samples (tools/events_judged.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from events_judged import main  # noqa: E402


def _sample(path: Path, origin: str, n: int) -> None:
    events = [{"article": f"{origin}-{k}", "origin": origin, "sentence": f"S{k}", "verdict": None} for k in range(n)]
    path.write_text(yaml.safe_dump({"language": "pt", "events": events}), encoding="utf-8")


def test_a_blind_file_hides_the_origins_and_the_report_counts_verdicts_per_origin(tmp_path, capsys):
    _sample(tmp_path / "a.yaml", "new", 3)
    _sample(tmp_path / "b.yaml", "old", 2)
    judged, key = tmp_path / "judged.yaml", tmp_path / "key.yaml"
    assert main(["blind", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "--out", str(judged), "--key", str(key)]) == 0
    data = yaml.safe_load(judged.read_text(encoding="utf-8"))
    assert len(data["events"]) == 5 and not any("origin" in e for e in data["events"])
    origins = {k["id"]: k["origin"] for k in yaml.safe_load(key.read_text(encoding="utf-8"))["origins"]}
    for e in data["events"]:
        e["verdict"] = "right" if origins[e["id"]] == "new" else "wrong"
    judged.write_text(yaml.safe_dump(data), encoding="utf-8")
    capsys.readouterr()
    assert main(["report", str(judged), "--key", str(key)]) == 0
    out = capsys.readouterr().out
    assert "new      judged   3: right   3 (100%)" in out
    assert "old      judged   2: right   0 (0%)" in out and "wrong   2" in out


def test_a_sample_never_draws_a_sentence_an_earlier_round_judged(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    first = "Президент России Владимир Путин посетил Казахстан."
    second = "Токаев провел переговоры с Путиным в Москве."
    corpus.write_text("".join(json.dumps({"id": f"a{k}", "language": "ru", "text": t}) + "\n" for k, t in enumerate((first, second))),
                      encoding="utf-8")
    out = tmp_path / "sample.yaml"
    assert main(["sample", "--language", "ru", "--corpus", str(corpus), "-n", "2", "--seed", "1", "--out", str(out)]) == 0
    assert {e["sentence"] for e in yaml.safe_load(out.read_text(encoding="utf-8"))["events"]} == {first, second}
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(yaml.safe_dump({"language": "ru", "events": [{"id": 1, "sentence": first, "verdict": "right"}]}), encoding="utf-8")
    assert main(["sample", "--language", "ru", "--corpus", str(corpus), "-n", "2", "--seed", "1", "--out", str(out),
                 "--exclude", str(earlier)]) == 0
    assert [e["sentence"] for e in yaml.safe_load(out.read_text(encoding="utf-8"))["events"]] == [second]
