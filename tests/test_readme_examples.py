"""The README's analyst examples run as written against the committed release."""

import contextlib
import io
import re
from pathlib import Path

import pytest

import steppe

REPO = Path(__file__).resolve().parents[1]


def example_blocks() -> list[tuple[str, str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Examples", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(python|sql)\n(.*?)```", section, flags=re.S)


def test_the_examples_section_has_four_analyses_in_pandas_and_duckdb():
    kinds = [kind for kind, _ in example_blocks()]
    assert kinds.count("python") == 4 and kinds.count("sql") == 4


@pytest.mark.parametrize("kind, code", example_blocks(), ids=lambda v: v if v in ("python", "sql") else "")
def test_example_runs_against_the_committed_release(kind, code, monkeypatch):
    monkeypatch.chdir(REPO)
    if kind == "python":
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})
        assert out.getvalue().strip(), "the example printed nothing"
    else:
        sql = "\n".join(line for line in code.splitlines() if not line.startswith("--"))
        rows = steppe.connect().execute(sql).fetchall()
        assert rows, "the query returned no rows on the committed release"
