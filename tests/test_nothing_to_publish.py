"""A run in which every input record is rejected publishes nothing and exits non-zero,
printing the rejections by reason with a few examples (their file and line)."""

import json
import shutil
from pathlib import Path

import pytest

from steppe import cli, run
from steppe.ingest.read import Rejection
from steppe.publish import plan as release_plan

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "data" / "processed"
SEED = REPO / "data" / "raw" / "000_557d3577f576d2aa.txt"


def rejected_only(raw: Path) -> Path:
    """A raw folder of which no file nor line gives a document."""
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (raw / "image.txt").write_bytes(bytes(range(256)) * 8)
    (raw / "feed.jsonl").write_text('{"id": "a", "text": "unterminated\n{"id": "b"}\n', encoding="utf-8")
    (raw / "notext.csv").write_text("id,title,published\n1,Sem texto,13/12/2017\n", encoding="utf-8")
    return raw


def published_out(out: Path) -> Path:
    """An output folder holding the committed latest release, as after an earlier run."""
    latest = release_plan.read_latest(COMMITTED)
    shutil.copytree(COMMITTED / "releases" / latest, out / "releases" / latest)
    shutil.copy(COMMITTED / "releases" / "latest.json", out / "releases" / "latest.json")
    return out


def test_every_input_rejected_publishes_nothing_and_exits_4_with_the_summary(tmp_path, capsys):
    raw, out = rejected_only(tmp_path / "raw"), published_out(tmp_path / "out")
    latest_json = (out / "releases" / "latest.json").read_bytes()
    versions = release_plan.list_versions(out)

    status = cli.main(["run", "--raw", str(raw), "--out", str(out), "--force", "--no-cache"])

    assert status == cli.EXIT_NOTHING_TO_PUBLISH == 4
    assert release_plan.list_versions(out) == versions  # no release folder
    assert sorted(p.name for p in (out / "releases").iterdir()) == sorted([*versions, "latest.json"])
    assert (out / "releases" / "latest.json").read_bytes() == latest_json
    assert not (out / "failed").exists()
    err = capsys.readouterr().err
    assert f"nothing to publish: no valid document in {raw}, 6 inputs rejected" in err
    for reason, count in {"empty": 2, "binary": 1, "malformed-json": 1, "missing-text": 2}.items():
        assert any(line.split() == [reason, str(count)] for line in err.splitlines()), (reason, err)
    assert "feed.jsonl, line 1: malformed-json: not valid JSON" in err
    assert "feed.jsonl, line 2: missing-text:" in err
    assert "image.txt: binary:" in err
    assert "Published release" not in capsys.readouterr().out


def test_an_empty_raw_folder_publishes_nothing_either(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    assert cli.main(["run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 4
    assert f"nothing to publish: {tmp_path / 'raw'} holds no input file" in capsys.readouterr().err
    assert release_plan.list_versions(tmp_path / "out") == []
    assert release_plan.read_latest(tmp_path / "out") is None


def test_nothing_to_publish_is_raised_before_the_plan_and_the_tables(tmp_path):
    calls = []
    rejections = [Rejection("feed.jsonl", 2, "malformed-json", "not valid JSON")]

    def analyse(options):
        calls.append("analyse")
        return run.Analysis([], [], rejections, run.doc_cache.CacheStats(), [])

    def must_not_run(*args):
        calls.append("later stage")

    stages = run.Stages(analyse=analyse, plan=must_not_run, publish=must_not_run, prune=must_not_run)
    with pytest.raises(run.NothingToPublish) as err:
        run.build_release(run.RunOptions(raw_dir=tmp_path, out_dir=tmp_path / "o"), stages)
    assert calls == ["analyse"]
    assert err.value.rejections == rejections
    assert (tmp_path / "o" / ".lock").read_text() == ""  # the lock is released


def test_the_summary_counts_every_reason_and_shows_a_few_examples_of_each():
    rejections = [Rejection("big.jsonl", i, "malformed-json", f"line {i} is broken") for i in range(1, 101)]
    rejections += [Rejection("a.txt", 0, "empty", "the file is empty"), Rejection("b.txt", 0, "binary", "x" * 500)]
    exc = run.NothingToPublish(Path("raw"), rejections)
    assert exc.counts() == {"malformed-json": 100, "binary": 1, "empty": 1}
    examples = exc.examples()
    assert len(examples) == run.NothingToPublish.EXAMPLES
    assert {r.reason for r in examples} == {"malformed-json", "empty", "binary"}  # each reason shown
    text = str(exc)
    assert "102 inputs rejected" in text and "big.jsonl, line 1: malformed-json: line 1 is broken" in text
    assert "a.txt: empty: the file is empty" in text
    assert max(len(line) for line in text.splitlines()) < 200  # long details are cut
    assert "big.jsonl, line 99:" not in text
    import pickle

    assert str(pickle.loads(pickle.dumps(exc))) == text  # crosses process boundaries intact


@pytest.mark.integration
def test_one_valid_document_is_enough_to_publish(tmp_path, capsys):
    raw, out = rejected_only(tmp_path / "raw"), tmp_path / "out"
    assert cli.main(["run", "--raw", str(raw), "--out", str(out)]) == 4
    shutil.copy(SEED, raw / SEED.name)
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--no-cache"]) == 0
    (version,) = release_plan.list_versions(out)
    assert release_plan.read_latest(out) == version
    manifest = json.loads((out / "releases" / version / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["row_counts"]["documents"] == 1 and manifest["row_counts"]["rejected"] == 6


@pytest.mark.integration
def test_the_prefect_flow_fails_when_nothing_can_be_published(tmp_path):
    from prefect.testing.utilities import prefect_test_harness

    from flows.release import release_flow

    raw, out = rejected_only(tmp_path / "raw"), published_out(tmp_path / "out")
    latest_json = (out / "releases" / "latest.json").read_bytes()
    with prefect_test_harness(server_startup_timeout=120):
        with pytest.raises(run.NothingToPublish, match="6 inputs rejected"):
            release_flow(raw_dir=str(raw), out_dir=str(out), force=True)
    assert (out / "releases" / "latest.json").read_bytes() == latest_json
    assert release_plan.list_versions(out) == [release_plan.read_latest(COMMITTED)]
