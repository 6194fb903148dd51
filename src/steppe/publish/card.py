"""The dataset card: the README.md of each release, rendered from its manifest and the schemas."""

from __future__ import annotations

from typing import Any

from steppe.schema import data_dictionary, tables
from steppe.tables.sector_codes import sector_card_lines

TEXT_POLICY_WORDS = {
    "full": "every sentence's text is republished",
    "evidence": "only the sentences that carry an event are republished, cut to 300 characters",
    "none": "no article text is republished; offsets point into the original articles",
}


MAX_INPUTS_LISTED = 20


def _input_lines(inputs: list[dict[str, Any]]) -> list[str]:
    if not inputs:
        return ["No input files."]
    lines = ["| file | bytes | SHA-256 |", "|---|---|---|"]
    lines += [f"| `{i['path']}` | {i['bytes']} | `{i['sha256'][:16]}…` |" for i in inputs[:MAX_INPUTS_LISTED]]
    if len(inputs) > MAX_INPUTS_LISTED:
        lines += ["", f"… and {len(inputs) - MAX_INPUTS_LISTED} more; `manifest.json` lists every input with its full SHA-256."]
    return lines


def _cut_lines(cut_sentences: int, n_sentences: int) -> list[str]:
    """What the card says of the sentences cut at the size limit (nothing when there are none)."""
    if not cut_sentences:
        return []
    which = "sentence ends" if cut_sentences == 1 else "sentences end"
    return [
        f"{cut_sentences} of the {n_sentences} {which} at the size limit, not at a sentence end "
        "(`cut` in the sentences table): their articles ran on without a line break or . ! ? …, so "
        "the text was cut at the last whitespace before the limit and goes on in the next sentence. "
        "No text is lost; an event or a name that straddles a cut may be missed.",
        "",
    ]


def render_card(manifest: dict[str, Any], plots: dict[str, str] | None = None, cut_sentences: int = 0) -> str:
    """The card of a release; ``cut_sentences``: how many sentences end at the size limit."""
    version = manifest["version"]
    counts = manifest["row_counts"]
    validation = manifest["validation"]
    status = "passed" if validation["success"] else "failed"
    # One file, or a dataset partitioned by publication year and month (large releases).
    documents_info = manifest.get("files", {}).get("documents", {}).get("parquet", {})
    documents_path = documents_info.get("path", "parquet/documents.parquet")
    partitioned = "partitioned_by" in documents_info
    documents_glob = f"{documents_path}/**/*.parquet" if partitioned else documents_path
    lines = [
        f"# steppe release {version}",
        "",
        "Open event data from Eurasian news: documents, sentences, canonical entities and their names, "
        "name mentions, coded events (CAMEO and PLOVER) and sector mentions, found in news about "
        "Kazakhstan, Russia and Central Asia in Portuguese, English, Russian, Kazakh and Spanish.",
        "",
        "| | |",
        "|---|---|",
        f"| version | `{version}` |",
        f"| previous version | {('`' + manifest['previous_version'] + '`') if manifest.get('previous_version') else 'none'} |",
        f"| schema version | `{manifest['schema_version']}` |",
        f"| code version | `{manifest['code_version']}` |",
        f"| created | {manifest['created_at']} |",
        f"| input files | {len(manifest['inputs'])} |",
        f"| text policy | `{manifest['text_policy']}`: {TEXT_POLICY_WORDS[manifest['text_policy']]} |",
        f"| validation | {status}: {validation['successful_expectations']} of {validation['evaluated_expectations']} expectations met ([report](validation/report.html)) |",
        "",
        "## Tables",
        "",
        "| table | rows | description |",
        "|---|---|---|",
    ]
    for name, spec in tables().items():
        lines.append(f"| [`{name}`](csv/{name}.csv) | {counts[name]} | {spec.description} |")
    lines += [
        "",
        *_cut_lines(cut_sentences, counts.get("sentences", 0)),
        "Each table is in `parquet/` (zstd, typed) and `csv/` (UTF-8, RFC 4180, ISO 8601 dates; text cells "
        "that a spreadsheet would read as a formula start with an apostrophe). `datapackage.json` describes "
        "both as a Frictionless Data Package; `manifest.json` lists the inputs with their SHA-256; "
        "`CHANGES.md` says what changed since the previous release. Before publishing, the row counts above "
        "were read back from the written Parquet and CSV files and checked against `manifest.json`, and every "
        "file was checked against its SHA-256.",
        "",
        *(
            ["## At a glance", ""]
            + [line for name, caption in (plots or {}).items() for line in (f"![{caption}](plots/{name})", "", f"*{caption}*", "")]
            if plots
            else []
        ),
        "## How to load it",
        "",
        "```python",
        "import pandas as pd",
        f'documents = pd.read_parquet("{documents_path}")',
        "```",
        "",
        "```sql",
        "-- DuckDB",
        f"SELECT language, count(*) FROM read_parquet('{documents_glob}') GROUP BY language;",
        "```",
        "",
        "```python",
        "import polars as pl",
        f'documents = pl.read_parquet("{documents_glob}"' + (", hive_partitioning=True)" if partitioned else ")"),
        "```",
        "",
        "```r",
        "library(arrow)",
        f'documents <- {"open_dataset" if partitioned else "read_parquet"}("{documents_path}")' + (" |> dplyr::collect()" if partitioned else ""),
        "```",
        "",
        "With the steppe package installed, `steppe.load(\"events\", version=\"" + version + "\")` returns a "
        "typed DataFrame and `steppe.connect()` a DuckDB connection with one view per table.",
        "",
        *sector_card_lines(),
        "## Inputs",
        "",
        *_input_lines(manifest["inputs"]),
        "",
        "## Licence and citation",
        "",
        "The tables are released under CC BY 4.0. The articles' text belongs to their publishers; "
        "the text policy above says how much of it this release republishes. Cite as: "
        f"*steppe: open event data from Eurasian news*, release {version}.",
        "",
        "```bibtex",
        f"@misc{{steppe_{version.replace('.', '_')},",
        "  title = {steppe: open event data from Eurasian news},",
        f"  note = {{Release {version}, schema {manifest['schema_version']}}},",
        f"  year = {{{version[:4]}}},",
        "}",
        "```",
        "",
        "## Data dictionary",
        "",
        data_dictionary(heading_level=3),
    ]
    return "\n".join(lines).rstrip() + "\n"
