"""The bench's corpus: a JSONL corpus repeated with light, deterministic changes to reach N documents."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = Path("../shared/corpora/fakebr-pt/articles.jsonl.gz")
NEW_DOCS = 10
_NUMBER = re.compile(r"\d+")


def _corpus_file(path: Path) -> Path:
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.name.endswith((".jsonl", ".jsonl.gz")))
        if not found:
            raise FileNotFoundError(f"{path}: no .jsonl or .jsonl.gz file")
        return found[0]
    if not path.is_file():
        raise FileNotFoundError(f"corpus {path} does not exist")
    return path


def read_records(path: Path) -> list[dict[str, Any]]:
    path = _corpus_file(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    records = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}, line {n}: not JSON ({exc})") from exc
            if isinstance(rec, dict) and isinstance(rec.get("text"), str) and rec["text"].strip():
                records.append(rec)
    if not records:
        raise ValueError(f"{path}: no record with a text")
    return records


def perturb(text: str, k: int) -> str:
    """Copy k of a text (k=0: the text itself): the first number plus k, or " (k)" appended."""
    if k == 0:
        return text
    m = _NUMBER.search(text)
    if m is None:
        return f"{text} ({k})"
    return f"{text[: m.start()]}{int(m.group()) + k}{text[m.end() :]}"


def build_corpus(records: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """N records: the corpus in order, then copy 1, copy 2... (a prefix of the corpus for a larger N)."""
    out = []
    for i in range(n):
        k, rec = divmod(i, len(records))
        rec = dict(records[rec])
        if k:
            rec["text"] = perturb(rec["text"], k)
            if rec.get("id") is not None:
                rec["id"] = f"{rec['id']}~{k}"
        out.append(rec)
    return out


def write_corpus(records: list[dict[str, Any]], raw_dir: Path) -> Path:
    raw_dir.mkdir(parents=True, exist_ok=True)
    path = raw_dir / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path
