"""Which CAMEO codes each language's event patterns cover, weighted by how much the CAMEO verb dictionary uses them.

    .venv/bin/python tools/lexicon_coverage.py [--cameo PATH] [--missing 25] [--verbs 8]

For every patterns file of src/steppe/data/events/patterns/ (pt.yaml,
en.yaml, ru.yaml, kk.yaml, es.yaml, and a file such as en_cameo.yaml that
another includes) it lists the 3- and 4-digit codes of the codebook that
have at least one trigger; a language file that includes others is counted
alone and with what it includes. Each code weighs as many entries (pattern
lines and coded verbs) as CAMEO.2.0.txt, the PETRARCH2 verb dictionary (MIT
licence, ../shared/reference/petrarch2/), gives it, a proxy for how much
news uses it (see build_cameo_lexicon.code_usage). Per file it prints the
codes covered, the share of that weight covered, and the heaviest codes it
lacks with the English CAMEO verbs that express them: a map for a curator
growing the Portuguese, Russian, Kazakh and Spanish lexicons.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_cameo_lexicon import CODEBOOK, DEFAULT_SOURCE, code_usage, parse_dictionary  # noqa: E402

PATTERNS = Path(__file__).resolve().parents[1] / "src" / "steppe" / "data" / "events" / "patterns"


def file_codes(path: Path, with_includes: bool, seen: frozenset[Path] = frozenset()) -> set[str]:
    """The codes of a patterns file's triggers (and of the files it includes, if asked)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    codes = {str(t["code"]) for t in data.get("triggers") or () if isinstance(t, dict) and "code" in t}
    if with_includes:
        for name in data.get("include") or ():
            other = path.parent / name
            if other not in seen:
                codes |= file_codes(other, True, seen | {path})
    return codes


def includes(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("include") or ())


def coverage(covered: Iterable[str], usage: Mapping[str, Counter], codebook: Iterable[str]) -> tuple[int, int, float, list[str]]:
    """(codes covered, codes of the codebook, share of the CAMEO weight covered, the codes lacked, heaviest first)."""
    book = {c for c in codebook if len(c) in (3, 4)}
    covered = set(covered) & book
    weight = {c: sum(usage.get(c, Counter()).values()) for c in book}
    total = sum(weight.values())
    share = sum(weight[c] for c in covered) / total if total else 0.0
    missing = sorted((c for c in book - covered if weight[c] > 0), key=lambda c: (-weight[c], c))
    return len(covered), len(book), share, missing


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameo", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--patterns", type=Path, default=PATTERNS)
    parser.add_argument("--missing", type=int, default=25, help="heaviest codes lacked to list per file")
    parser.add_argument("--verbs", type=int, default=8, help="English CAMEO verbs to list per code")
    args = parser.parse_args(argv)
    if not args.cameo.exists():
        sys.exit(f"{args.cameo}: not found (the CAMEO verb dictionary, ../shared/reference/petrarch2/CAMEO.2.0.txt)")
    names = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))["codes"]
    _, blocks = parse_dictionary(args.cameo.read_text(encoding="utf-8", errors="replace"))
    usage = code_usage(blocks, names)
    total = sum(sum(c.values()) for c in usage.values())
    print(f"CAMEO.2.0 weight: {total:.0f} entries over {len(usage)} codebook codes")

    rows = []
    for path in sorted(args.patterns.glob("*.yaml")):
        rows.append((path.stem, path, False))
        if includes(path):
            rows.append((f"{path.stem}+{'+'.join(Path(n).stem for n in includes(path))}", path, True))
    table = []
    details = []
    for label, path, merged in rows:
        n, of, share, missing = coverage(file_codes(path, merged), usage, names)
        table.append(f"{label:<20} {n:>4}/{of:<4} {share:>7.1%}")
        lines = [f"\n## {label}: {n} of {of} codes, {share:.1%} of the CAMEO weight; heaviest codes lacked:"]
        for code in missing[: args.missing]:
            ranked = sorted((kv for kv in usage[code].items() if not kv[0].endswith(("_AND", "_OR"))), key=lambda kv: (-kv[1], kv[0]))
            verbs = ", ".join(v.lower().replace("_", " ") for v, _ in ranked[: args.verbs])
            lines.append(f"  {code:<5} {sum(usage[code].values()):>5.0f}  {names[code]['name'][:60]:<60}  {verbs}")
        details.append("\n".join(lines))
    print(f"\n{'file':<20} {'codes':>9} {'weight':>7}")
    print("\n".join(table))
    print("\n".join(details))


if __name__ == "__main__":
    main()
