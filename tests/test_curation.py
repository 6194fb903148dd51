"""Curator tools: `steppe resolve` and `steppe unresolved`."""

import json
from datetime import date, datetime, timezone

from steppe import cli
from steppe.analyse import document as pipeline
from steppe.curation import unresolved_names
from steppe.gate.validate import validate_tables
from steppe.ingest.read import RawDocument
from steppe.publish import plan as release_plan
from steppe.publish import release
from steppe.tables import assemble

TEXT = (
    "O deputado Carlos Gaguim visitou Astana com Toqaev.\n"
    "Depois, Carlos Gaguim voltou a Brasília e falou com a imprensa.\n"
    "Segundo Gaguim, o acordo com o Cazaquistão avança."
)


def build_release(tmp_path, policy="none"):
    raw = RawDocument("a.txt", 1, None, TEXT, "utf-8", None, None, None, None, datetime(2025, 11, 28, tzinfo=timezone.utc), "pt")
    docs = pipeline.identify_documents([raw])
    tables = assemble.build_tables(docs, pipeline.process_batch(docs), [], text_policy=policy)
    plan = release_plan.plan_release(tmp_path, [], policy, today=date(2025, 11, 28))
    published = release.publish(tables, validate_tables(tables), out_dir=tmp_path, plan=plan, inputs=[], text_policy=policy)
    return published.path, docs[0].doc_id


def test_unresolved_names_are_grouped_and_counted_with_an_example(tmp_path):
    path, doc_id = build_release(tmp_path, policy="full")
    groups = {g["name"]: g for g in unresolved_names(path)}
    assert groups["Carlos Gaguim"]["count"] == 2
    assert groups["Carlos Gaguim"]["example"].startswith("O deputado Carlos Gaguim")
    assert "Astana" not in groups and "Toqaev" not in groups


def test_examples_come_from_the_raw_text_when_the_release_withholds_it(tmp_path):
    path, doc_id = build_release(tmp_path, policy="none")
    assert unresolved_names(path)[0]["example"] is None
    groups = {g["name"]: g for g in unresolved_names(path, texts={doc_id: TEXT})}
    assert groups["Carlos Gaguim"]["example"].startswith("O deputado Carlos Gaguim")


def test_resolve_command_prints_the_winner_and_exits_by_outcome(capsys, tmp_path):
    assert cli.main(["resolve", "Тоқаевтың", "--lang", "kk", "--date", "2025-11-28", "--json", "--out", str(tmp_path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["entity_id"] == "person:kassym-jomart-tokayev" and result["method"] == "inflection"
    assert any(c["entity_id"] == "person:kassym-jomart-tokayev" for c in result["candidates"])
    assert cli.main(["resolve", "Zzyzx Qwerty", "--lang", "en", "--out", str(tmp_path)]) == 1
    assert "does not resolve" in capsys.readouterr().out
