"""steppe diff: an added article and an edited one are reported as exactly that."""

from datetime import date, datetime, timezone

from steppe import cli, pipeline, release
from steppe.changes import diff_releases
from steppe.ingest import RawDocument
from steppe.validate import validate_tables

A = "O presidente do Cazaquistão, Toqaev, recebe Putin em Astana. Os dois discutem petróleo e gás."
B = "Putin visita Astana. Toqaev elogia a cooperação em energia nuclear com a Rússia."
B_EDITED = "Putin visita Astana. Toqaev critica a Rússia pelo atraso no fornecimento de gás."
C = "A Rosatom assina um acordo com o Cazaquistão para construir uma usina nuclear."


def raw(text, name):
    return RawDocument(name, 1, None, text, "utf-8", None, None, None, None, datetime(2025, 11, 28, tzinfo=timezone.utc), "pt")


def publish(out, articles, version):
    docs = pipeline.identify_documents([raw(t, n) for n, t in articles])
    tables = pipeline.build_tables(docs, pipeline.process_batch(docs), [], text_policy="full")
    plan = release.plan_release(out, [], "full", version=version, force=True)
    return release.publish(tables, validate_tables(tables), out_dir=out, plan=plan, inputs=[], text_policy="full").path


def test_one_added_and_one_edited_article(tmp_path, capsys):
    old = publish(tmp_path, [("a.txt", A), ("b.txt", B)], "2025.11.28")
    new = publish(tmp_path, [("a.txt", A), ("b.txt", B_EDITED), ("c.txt", C)], "2025.11.29")
    changes = diff_releases(old, new, old_version="2025.11.28", new_version="2025.11.29")
    documents = changes["tables"]["documents"]
    assert len(documents["added"]) == 2 and len(documents["removed"]) == 1  # by ID: B's text changed
    (edited,) = documents["replaced"]
    assert edited["from"] == documents["removed"][0]
    assert "text_sha256" in edited["columns"]
    assert changes["summary"].startswith("Since 2025.11.28: documents +1, 1 edited")
    assert cli.main(["diff", "2025.11.28", "2025.11.29", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "documents +1, 1 edited" in printed
    assert f"- edited (1), listed above as one removed and one added:" in printed


def test_a_recoded_event_is_reported_with_its_codes():
    from steppe.changes import summarise

    changes = {
        "from": "2025.11.28",
        "to": "2025.11.29",
        "tables": {
            "events": {
                "added": ["e2", "e3"], "removed": ["e1"], "changed": [],
                "replaced": [{"from": "e1", "to": "e2", "columns": ["cameo_code"], "cameo_from": "040", "cameo_to": "043"}],
            }
        },
    }
    assert summarise(changes) == "Since 2025.11.28: events +1, 1 recoded (040 -> 043 x1)."
