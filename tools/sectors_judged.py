"""Judged samples of sector matches in real news: draw them, and report the precision a person judged.

The gold of quality/gold/sectors/news/ measures precision and recall on a few
hundred sentences; this measures precision where the finder is used, on whole
corpora: a fixed-seed random sample of the finder's matches, each judged by a
person as right (the words name that sector, in the economic sense, at the
level the convention gives) or wrong.

    # draw 50 matches from a corpus (JSON lines with `text`, plain or .gz) into a file to judge
    uv run python tools/sectors_judged.py sample --language pt \\
        --corpus ../shared/corpora/fakebr-pt/articles.jsonl.gz -n 50 --seed 2026 \\
        --out quality/judged/sectors/pt.yaml
    # a later round at newer code, leaving out what an earlier round judged
    uv run python tools/sectors_judged.py sample --language pt --corpus ... -n 50 --seed 2027 \
        --exclude quality/judged/sectors/pt.yaml --out quality/judged/sectors/round2/pt.yaml
    # precision per judged file, the wrong matches, and how many the finder still makes
    uv run python tools/sectors_judged.py report quality/judged/sectors/*.yaml

Matches in sentences of the sector gold (quality/gold/sectors/news/) are left
out of a sample: patterns were tuned on them. Each sampled match keeps its
sentence, so `report` can say whether the finder of the day still makes it
(run on the sentence alone; a word whose sense the rest of the document
decides may differ).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

import yaml

from steppe.analyse.sectors import find_sectors
from steppe.analyse.sentences import split_sentences
from steppe.text import normalise_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sectors_report import load_sector_gold  # noqa: E402  (tools import each other from their folder)
from unresolved_report import read_corpus as read_records  # noqa: E402  (the tools' one JSON-lines reader)

ROOT = Path(__file__).resolve().parents[1]
NEWS_GOLD = ROOT / "quality/gold/sectors/news"
VERDICTS = ("right", "wrong")


def gold_sentences(language: str) -> set[str]:
    """The sentences of the language's sector gold, spaces collapsed (matches in them are left out of a sample)."""
    path = NEWS_GOLD / f"{language}.yaml"
    if not path.is_file():
        return set()
    return {" ".join(document.text.split()) for document in load_sector_gold(path)}


def draw(language: str, corpora: list[Path], n: int, seed: int, exclude: set[tuple[str, str]] = frozenset()
         ) -> tuple[list[dict], int]:
    """n random matches (fixed seed) of the finder in the corpora, outside the gold's sentences, and how many there were."""
    excluded = gold_sentences(language)
    found = []
    for path in corpora:
        for number, record in enumerate(read_records(path, None), 1):
            doc_id, text = str(record.get("id") or f"{path.name}:{number}"), normalise_text(record["text"])
            sentences = split_sentences(text, language)
            matches = find_sectors(text, language, sentences)
            for m in matches:
                start, end = next(((s, e) for s, e in sentences if s <= m.char_start < e), (m.char_start, m.char_end))
                sentence = text[start:end]
                if " ".join(sentence.split()) in excluded or (doc_id, m.surface) in exclude:
                    continue
                found.append({"doc": doc_id, "surface": m.surface, "sector": m.sector_code,
                              "sentence": sentence[: m.char_start - start] + "⟦" + m.surface + "⟧"
                              + sentence[m.char_end - start :]})
    picked = random.Random(seed).sample(found, min(n, len(found)))
    return [{"n": i, **item, "verdict": "", "note": ""} for i, item in enumerate(picked, 1)], len(found)


def write_sample(args: argparse.Namespace) -> int:
    exclude = {(item["doc"], item["surface"]) for path in args.exclude
               for item in yaml.safe_load(path.read_text("utf-8"))["items"]}
    items, total = draw(args.language, args.corpus, args.n, args.seed, exclude)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    command = (f"uv run python tools/sectors_judged.py sample --language {args.language} "
               + " ".join(f"--corpus {p}" for p in args.corpus) + f" -n {args.n} --seed {args.seed}"
               + "".join(f" --exclude {p}" for p in args.exclude))
    header = (f"# Judged sample of sector matches, {args.language}: {len(items)} of the {total} matches the finder\n"
              f"# made (code at {commit}) in the corpora below, outside the sector gold's sentences, drawn by\n"
              f"#   {command}\n"
              "# Each match is judged `right` (the marked words name that sector, in the economic sense, with the\n"
              "# code the taxonomy and convention.yaml give) or `wrong`, with a note when wrong.\n")
    data = {"language": args.language, "corpora": [str(p) for p in args.corpus], "seed": args.seed, "items": items}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), "utf-8")
    print(f"{args.out}: {len(items)} matches of {total}")
    return 0


def still_found(item: dict, language: str) -> bool:
    sentence = item["sentence"]
    start = sentence.index("⟦")
    text = sentence.replace("⟦", "").replace("⟧", "")
    return any(m.char_start == start and m.surface == item["surface"] and m.sector_code == item["sector"]
               for m in find_sectors(text, language))


def report(paths: list[Path]) -> int:
    failed = False
    print(f"{'language':<9} {'judged':>6} {'right':>5} {'wrong':>5} {'precision':>9} {'still found':>11}  file")
    wrong_lines = []
    for path in paths:
        data = yaml.safe_load(path.read_text("utf-8"))
        items = data["items"]
        verdicts = [i["verdict"] for i in items]
        if any(v not in VERDICTS for v in verdicts):
            print(f"{path}: an item has no verdict (right or wrong)", file=sys.stderr)
            failed = True
            continue
        right = verdicts.count("right")
        current = sum(still_found(i, data["language"]) for i in items)
        print(f"{data['language']:<9} {len(items):>6} {right:>5} {len(items) - right:>5} "
              f"{right / len(items):>9.3f} {current:>5}/{len(items):<5}  {path}")
        wrong_lines += [f"  {data['language']} {i['n']:>2}. {i['sector']} {i['surface']!r}: {i['note']}  "
                        f"{' '.join(i['sentence'].split())[:200]}" for i in items if i["verdict"] == "wrong"]
    if wrong_lines:
        print("\nwrong matches:")
        print("\n".join(wrong_lines))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="draw matches to judge")
    sample.add_argument("--language", required=True)
    sample.add_argument("--corpus", type=Path, action="append", required=True)
    sample.add_argument("-n", type=int, default=50)
    sample.add_argument("--seed", type=int, default=2026)
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--exclude", type=Path, action="append", default=[],
                        help="a judged file whose matches (document and words) are left out: a later round is new")
    judged = commands.add_parser("report", help="precision of judged samples")
    judged.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    return write_sample(args) if args.command == "sample" else report(args.files)


if __name__ == "__main__":
    sys.exit(main())
