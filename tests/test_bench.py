"""steppe bench's corpus builder and report (the measurements themselves are run by `steppe bench`)."""

import gzip
import json

import pyarrow.parquet as pq
import pytest

from steppe import cli
from steppe.analyse import document as pipeline
from steppe.dev.bench import corpus, machine, measure, report
from steppe.ingest import read as ingest
from steppe.tables import assemble


def test_perturb_changes_the_first_number_or_appends_the_copy_number():
    assert corpus.perturb("Em 2017, 3 ministros.", 0) == "Em 2017, 3 ministros."
    assert corpus.perturb("Em 2017, 3 ministros.", 2) == "Em 2019, 3 ministros."
    assert corpus.perturb("Sem números.", 3) == "Sem números. (3)"


def test_corpus_repeats_with_distinct_texts_and_is_deterministic():
    records = [{"id": "a", "text": "Ano 2017."}, {"id": "b", "text": "Sem data."}]
    built = corpus.build_corpus(records, 5)
    assert [r["text"] for r in built] == ["Ano 2017.", "Sem data.", "Ano 2018.", "Sem data. (1)", "Ano 2019."]
    assert [r["id"] for r in built] == ["a", "b", "a~1", "b~1", "a~2"]
    assert corpus.build_corpus(records, 5) == built
    assert corpus.build_corpus(records, 3) == built[:3]  # the incremental corpus extends the base one
    assert records[0]["text"] == "Ano 2017."  # the source records are not changed


def test_read_records_names_file_and_line_of_bad_json(tmp_path):
    path = tmp_path / "c.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "ok"}) + "\n{broken\n")
    with pytest.raises(ValueError, match=r"c\.jsonl\.gz, line 2"):
        corpus.read_records(tmp_path)


def test_summary_and_table_from_measurements():
    results = {
        "core": {"docs": 100, "setup_s": 1.0, "stages_s": {"ingest": 0.5, "events": 2.0}, "end_to_end_s": 10.0,
                 "validation": {"success": True, "failed": []}, "peak_rss_mb": 500.0, "peak_rss_children_mb": 0.0,
                 "republish_s": 4.0, "peak_rss_first_release_mb": 450.0},
        "bare": {"scan_s": 2.5, "docs": 100, "peak_rss_mb": 300.0, "peak_rss_children_mb": 0.0},
        "incremental": {"cold_cache_s": 11.0, "warm_plus_new_s": 1.0, "validation_floor_s": 0.5, "warm_stats": {"hits": 100, "misses": 10},
                        "cache_storage": {"files": 110, "bytes": 220000}, "peak_rss_mb": 510.0},
        "run-local": {"end_to_end_s": 20.0, "peak_rss_mb": 600.0, "peak_rss_children_mb": 100.0},
        "run-dask": {"end_to_end_s": 10.0, "peak_rss_mb": 600.0, "peak_rss_children_mb": 400.0},
        "scaling": {"docs": 100, "batches": 1, "workers": 2, "workers_started": 2, "one_process_s": 9.0, "parallel_s": 5.0},
    }
    summary = report.summarise(100, results)
    assert summary["targets"] == {
        "core_vs_bare": 0.25, "incremental_vs_full_core": 0.1, "validation_floor_vs_full_core": 0.05,
        "incremental_vs_cold_cache": 0.0909, "dask_vs_local_run": 2.0, "batch_work_scaling": 1.8,
    }
    rows = {r["what"]: r for r in summary["rows"]}
    assert rows["core: events"]["docs_per_s"] == 50.0 and rows["core: end to end"]["docs_per_s"] == 10.0
    assert rows["core: end to end"]["peak_rss_mb"] == 450.0  # a first release's
    assert rows["core: write over the previous release"]["seconds"] == 4.0 and rows["core: write over the previous release"]["peak_rss_mb"] == 500.0
    made = {"docs": 100, "corpus": "c", "machine": {"cpus": 2, "platform": "p", "python": "3.11", "load_before": [1], "load_after": [1],
                                                       "python_loop_s": [0.25, 0.375]},
              "results": results, "summary": summary}
    text = report.render(made)
    assert "2 cores" in text and "25.0%" in text and "10.0%" in text and "2.00x" in text and "+ 400 in child processes" in text
    assert "validate a one-document release" in text and "full core run: 5.0%" in text
    assert "Python loop took 0.250 s before / 0.375 s after" in text
    assert "per-batch work, 2 plain processes" in text and "2 plain processes / 1 (no Prefect, no Dask): 1.80x" in text
    only_runs = {k: results[k] for k in ("run-local", "run-dask")}
    assert report.summarise(100, only_runs)["targets"] == {"dask_vs_local_run": 2.0}
    assert "Dask 2 workers" in report.render({**made, "results": only_runs, "summary": report.summarise(100, only_runs)})


def test_bench_is_a_cli_command():
    args = cli.build_parser().parse_args(["bench", "--docs", "10", "--runner", "dask", "--json", "x.json"])
    assert (args.docs, args.runner, str(args.json)) == (10, "dask", "x.json")


def test_language_is_rated_over_the_documents_it_detected():
    core = {"docs": 100, "setup_s": 1.0, "stages_s": {"language": 0.5}, "end_to_end_s": 10.0,
            "validation": {"success": True, "failed": []}, "peak_rss_mb": 500.0, "peak_rss_children_mb": 0.0}
    rows = {r["what"]: r for r in report.summarise(100, {"core": {**core, "language_detected": 40}})["rows"]}
    assert rows["core: language (40 detected)"]["docs_per_s"] == 80.0
    rows = {r["what"]: r for r in report.summarise(100, {"core": {**core, "language_detected": 0}})["rows"]}
    assert rows["core: language (0 detected)"]["docs_per_s"] is None


@pytest.mark.slow
def test_core_measurement_batch_by_batch_builds_the_tables_of_a_whole_run(tmp_path, monkeypatch):
    texts = [
        "O presidente do Cazaquistão, Tok\u00adayev, recebeu Pu\u200btin em Astana em 2024.",  # format characters
        "Putin criticou a Ucrânia. A Rússia assinou um acordo de gás com o Cazaquistão.",
        "Kazakhstan's president Tokayev met Xi Jinping in Astana to discuss oil and uranium.",
        "Президент Казахстана Токаев провёл переговоры с Путиным в Москве.",
    ]
    records = corpus.build_corpus([{"id": str(i), "text": t} for i, t in enumerate(texts)], 7)
    records.append({"id": "again", "text": texts[1]})  # a duplicate whose original is in another batch
    corpus.write_corpus(records, tmp_path / "raw")
    monkeypatch.setattr(measure, "CORE_BATCH", 3)
    result = measure.measure_core(tmp_path / "raw", tmp_path)

    raw_docs, rejections, _ = ingest.read_raw(tmp_path / "raw")
    docs = pipeline.identify_documents(raw_docs)
    whole = assemble.build_tables(docs, pipeline.process_batch(docs), rejections)
    assert result["rows"] == {name: t.num_rows for name, t in whole.items()}
    assert result["tables_mb"] == round(sum(t.nbytes for t in whole.values()) / 2**20, 1)
    assert result["rows"]["events"] > 0 and result["rows"]["documents"] == 8
    # Not only as many rows: the same rows, the stages reading the text as process_document reads it.
    from steppe.publish import plan as release_plan

    first = release_plan.list_versions(tmp_path / "core-out")[0]
    for name in ("mentions", "events", "sector_mentions", "sentences"):
        assert pq.read_table(tmp_path / "core-out" / "releases" / first / "parquet" / f"{name}.parquet").equals(whole[name]), name
    resolved = dict(zip(whole["mentions"].column("surface").to_pylist(), whole["mentions"].column("entity_id").to_pylist()))
    assert resolved["Tok\u00adayev"] == "person:kassym-jomart-tokayev" and resolved["Pu\u200btin"] == "person:vladimir-putin"
    assert list(result["stages_s"]) == ["ingest", "language", "sentences", "mentions", "events", "sectors", "build tables", "validate", "write"]
    assert result["language_detected"] == 7  # the duplicate is not analysed
    assert result["validation"]["success"]
    # Then the same tables published over that release, as a day's run diffs against the day before's.
    versions = release_plan.list_versions(tmp_path / "core-out")
    assert len(versions) == 2 and result["republish_s"] > 0 and result["peak_rss_first_release_mb"] >= result["peak_rss_after_setup_mb"] > 0
    changes = json.loads((tmp_path / "core-out" / "releases" / versions[1] / "changes.json").read_text(encoding="utf-8"))
    assert changes["from"] == versions[0] and changes["summary"] == f"Since {versions[0]}: sentences -1."


@pytest.mark.slow
def test_scaling_runs_a_runs_batch_work_in_one_process_then_in_a_pool(tmp_path):
    texts = ["O presidente do Cazaquistão, Tokayev, recebeu Putin em Astana.", "Putin criticou a Ucrânia em Moscou."]
    corpus.write_corpus(corpus.build_corpus([{"id": str(i), "text": t} for i, t in enumerate(texts)], 6), tmp_path / "raw")
    result = measure.measure_scaling(tmp_path / "raw", workers=2)
    assert (result["docs"], result["batches"], result["workers"], result["workers_started"]) == (6, 1, 2, 2)
    assert result["one_process_s"] > 0 and result["parallel_s"] > 0
    # What a batch's work gives, in a worker process as in this one: a run's table parts.
    raw_docs, _, _ = ingest.read_raw(tmp_path / "raw")
    parts = measure._batch_work(pipeline.identify_documents(raw_docs))
    assert parts.tables["mentions"].num_rows > 0 and len(parts.documents) == 6


def test_the_machine_speed_check_times_a_loop(monkeypatch):
    monkeypatch.setattr(machine, "LOOP_STEPS", 1000)
    assert 0 < machine.python_loop_s(repeat=2) < 1
