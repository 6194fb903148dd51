"""Whole articles from a WMT test set stored as plain segments: one segment a line, plus a table of documents.

WMT news test sets before 2021 are kept in public repositories mostly as plain
text (one source segment a line, as sacrebleu and OPUS-MT-testsets store
them), without the SGML that grouped segments into documents. The metrics
task of the same year publishes, for each line, its document and segment
number (`input/details/<pair>.txt` in WMT-Metrics-task/wmt20-metrics: index,
test set, pair, docid, segment). This script joins the two into articles in
the JSON-lines form steppe ingests and the quality tools read (`id`, `title`,
`url`, `published`, `publisher`, `language`, `text`), checking that the two
files line up: the same number of lines, each document's segments contiguous
and numbered from 1, and the pair's source language the one asked for.

    python tools/wmt_segments_to_articles.py --testset newstest2020 --language ru \\
        --segments $G1::<commit>::datasets/statmt/wmt_newstest/2020/ru-en/newstest2020.ru \\
        --documents $G2::<commit>::input/details/ru-en.txt --out /tmp/ru_wmt20.jsonl

A file is a local path or GITDIR::REV::PATH (read with `git show`, from a bare
snapshot). The title is the first segment; the text is the segments joined by
line breaks; publisher is the docid without its trailing number.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path


class AlignmentError(ValueError):
    """The segments and the documents table do not line up."""


def read_spec(spec: str) -> str:
    """A local file, or GITDIR::REV::PATH read from a bare repository."""
    if "::" in spec:
        git_dir, rev, path = spec.split("::", 2)
        return subprocess.run(["git", "--git-dir", git_dir, "show", f"{rev}:{path}"], check=True,
                              capture_output=True).stdout.decode("utf-8")
    return Path(spec).read_text(encoding="utf-8")


def documents(segments: str, table: str, language: str) -> list[tuple[str, list[str]]]:
    """(docid, segments) in file order; AlignmentError names the table's row when the files do not line up."""
    lines = segments.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows = [row.split("\t") for row in table.split("\n") if row.strip()]
    if len(rows) != len(lines):
        raise AlignmentError(f"{len(lines)} segment lines but {len(rows)} rows in the documents table")
    out: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for number, (row, line) in enumerate(zip(rows, lines), 1):
        if len(row) < 5:
            raise AlignmentError(f"row {number}: expected index, test set, pair, docid, segment; got {row!r}")
        pair, docid, segment = row[2], row[3], row[4]
        if not pair.startswith(f"{language}-"):
            raise AlignmentError(f"row {number}: pair {pair} does not have {language} as its source")
        if not out or out[-1][0] != docid:
            if docid in seen or segment != "1":
                raise AlignmentError(f"row {number}: document {docid} is not contiguous or does not start at 1")
            seen.add(docid)
            out.append((docid, []))
        elif segment != str(len(out[-1][1]) + 1):
            raise AlignmentError(f"row {number}: segment {segment} of {docid} is out of order")
        out[-1][1].append(line.strip())
    return out


def article(testset: str, docid: str, segments: list[str], language: str) -> dict[str, str]:
    return {"id": f"{testset}:{docid}", "title": segments[0], "url": "", "published": "",
            "publisher": re.sub(r"\.\d+$", "", docid), "language": language, "text": "\n".join(segments)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--testset", required=True, help="put before each docid in the article id")
    parser.add_argument("--language", required=True, help="the source language of the segments")
    parser.add_argument("--segments", required=True)
    parser.add_argument("--documents", required=True)
    parser.add_argument("--exclude-prefix", action="append", default=[],
                        help="leave out documents whose docid starts with this (repeatable)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args(argv)
    try:
        docs = documents(read_spec(args.segments), read_spec(args.documents), args.language)
    except AlignmentError as error:
        print(f"{args.documents}: {error}", file=sys.stderr)
        return 1
    kept = [(d, s) for d, s in docs if any(s) and not d.startswith(tuple(args.exclude_prefix))]
    with args.out.open("a" if args.append else "w", encoding="utf-8") as out:
        for docid, segments in kept:
            out.write(json.dumps(article(args.testset, docid, segments, args.language), ensure_ascii=False) + "\n")
    print(f"{args.out}: {len(kept)} articles of {len(docs)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
