"""Safety of what steppe reads and publishes.

* YAML is only ever read with a SafeLoader, and nothing deserialises with pickle, eval or exec;
* no CSV cell of a release is executable in a spreadsheet, whatever the input held;
* nothing from input metadata (ids, urls, titles, file names) decides where a file is written;
* a release holds no absolute path of the machine that built it.
"""

from __future__ import annotations

import ast
import csv
import importlib
import io
import os
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from test_hostile import hostile_folder

from steppe.analyse import document as pipeline
from steppe.ingest.read import Limits, read_raw
from steppe.publish import plan as release_plan
from steppe.publish import release
from steppe.publish.plots import PLOTS
from steppe.schema import tables
from steppe.tables import assemble

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(REPO / "src").rglob("*.py"), *(REPO / "flows").rglob("*.py"), *(REPO / "tools").rglob("*.py")])
SAFE_LOADERS = (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO / "src" if path.is_relative_to(REPO / "src") else REPO).with_suffix("")
    return ".".join(rel.parts)


def yaml_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml"
    ]


def test_the_source_scan_sees_the_code() -> None:
    assert any(p.name == "cli.py" for p in SOURCES) and len(SOURCES) > 20
    unsafe = ast.parse("import yaml\nyaml.load(text)\nyaml.unsafe_load(text)\n")
    assert [call.func.attr for call in yaml_calls(unsafe)] == ["load", "unsafe_load"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_yaml_is_only_read_with_a_safe_loader_and_nothing_is_unpickled_or_evaluated(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    for call in yaml_calls(tree):
        where = f"{path.relative_to(REPO)}:{call.lineno}"
        name = call.func.attr
        assert name not in {"unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}, f"{where}: yaml.{name}"
        if name in {"load", "load_all"}:
            loader = next((k.value for k in call.keywords if k.arg == "Loader"), call.args[1] if len(call.args) > 1 else None)
            assert loader is not None, f"{where}: yaml.{name} without a Loader"
            if isinstance(loader, ast.Attribute):
                resolved = getattr(yaml, loader.attr)
            else:
                assert isinstance(loader, ast.Name), f"{where}: cannot tell which Loader"
                resolved = getattr(importlib.import_module(module_name(path)), loader.id)
            assert issubclass(resolved, SAFE_LOADERS), f"{where}: yaml.{name} with {resolved.__name__}, not a SafeLoader"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            assert called not in {"eval", "exec"} or owner not in {"", "builtins"}, f"{path.relative_to(REPO)}:{node.lineno}: {called}"
            # Writing a pickle is harmless; reading one only through an Unpickler whose find_class is restricted.
            allowed = {"dumps", "dump", "UnpicklingError"} if owner == "pickle" else set()
            assert owner not in {"pickle", "marshal", "shelve", "dill"} or called in allowed, f"{path.relative_to(REPO)}:{node.lineno}: {owner}.{called}"
        if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Attribute) and b.attr == "Unpickler" for b in node.bases):
            methods = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
            assert "find_class" in methods, f"{path.relative_to(REPO)}:{node.lineno}: an Unpickler that does not restrict find_class"


@pytest.fixture(scope="module")
def hostile_release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A release published from the hostile folder, with formula-like and path-like metadata added."""
    from steppe.gate.validate import validate_tables

    root = tmp_path_factory.mktemp("safety")
    raw = root / "raw"
    hostile_folder(raw)
    (raw / "evil.jsonl").write_text(
        '{"id": "../../../escape", "url": "file:///etc/passwd", "title": "=cmd|\' /C calc\'!A0", '
        '"publisher": "@SUM(1+1)", "author": "-2+3", "text": "+7 701 555 Astana. \\t=1+1"}\n'
        '{"id": "/abs/path", "title": "\\uff1dHYPERLINK(1)", "text": "@alguém disse em Astana."}\n',
        encoding="utf-8",
    )
    docs, rejections, inputs = read_raw(raw, Limits(max_sentence_chars=10_000))
    identified = pipeline.identify_documents(docs)
    release_tables = assemble.build_tables(identified, pipeline.process_batch(identified), rejections, "full")
    report = validate_tables(release_tables)
    assert report.success, [f.message for f in report.failures]
    out = root / "processed"
    plan = release_plan.plan_release(out, inputs, "full", today=date(2025, 11, 28))
    published = release.publish(release_tables, report, out_dir=out, plan=plan, inputs=inputs, text_policy="full")
    return root, published.path


def test_no_csv_cell_of_a_release_is_a_formula(hostile_release: tuple[Path, Path]) -> None:
    _, path = hostile_release
    checked = 0
    for name, spec in tables().items():
        text_columns = {f.name for f in spec.fields if f.type == "string"}
        with (path / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for column in text_columns:
                    assert not row[column].startswith(FORMULA_STARTS), (name, column, row[column])
                    checked += 1
    documents = (path / "csv" / "documents.csv").read_text(encoding="utf-8")
    assert "'=cmd|" in documents and "'@SUM(1+1)" in documents and "'\uff1dHYPERLINK" in documents  # kept, neutralised
    assert checked > 100


def test_input_metadata_never_decides_where_files_are_written(hostile_release: tuple[Path, Path]) -> None:
    root, path = hostile_release
    written = {p.relative_to(root).parts[0] for p in root.rglob("*")}
    assert written == {"raw", "processed"}  # nothing next to them, whatever ids and urls said
    names = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    expected = (
        {f"parquet/{t}.parquet" for t in tables()} | {f"csv/{t}.csv" for t in tables()}
        | {f"plots/{p}" for p in PLOTS}
        | {"datapackage.json", "manifest.json", "CHANGES.md", "changes.json", "README.md",
           "validation/results.json", "validation/summary.json", "validation/report.html"}
    )
    assert names <= expected and {"manifest.json", "csv/documents.csv"} <= names
    assert {p.name for p in (path.parent).iterdir()} == {path.name, "latest.json"}
    assert not Path("/abs/path").exists() and not (root.parent / "escape").exists()


def test_a_release_holds_no_absolute_path_of_the_machine_that_built_it(hostile_release: tuple[Path, Path]) -> None:
    root, path = hostile_release
    machine_paths = {str(root), str(root.resolve()), str(REPO), str(Path.home()), os.getcwd(), str(Path(os.__file__).parent)}
    machine_paths = {p for p in machine_paths if len(p) > 1}
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        contents = [file.read_bytes()]
        if file.suffix == ".parquet":  # compressed: look at the values and the metadata
            table = pq.read_table(file)
            contents = [str(table.to_pylist()).encode(), str(pq.read_metadata(file).metadata).encode(), str(table.schema).encode()]
        for blob in contents:
            for machine_path in machine_paths:
                assert machine_path.encode() not in blob, f"{file.relative_to(path)} holds {machine_path}"
    manifest = (path / "manifest.json").read_text(encoding="utf-8")
    assert '"path": "evil.jsonl"' in manifest  # inputs are named relative to the raw folder
    assert all(not line.startswith("/") for line in io.StringIO((path / "csv" / "rejected.csv").read_text()))
