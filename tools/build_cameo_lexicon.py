"""Generate src/steppe/data/events/patterns/en_cameo.yaml: English verb triggers from the CAMEO verb dictionary.

    .venv/bin/python tools/build_cameo_lexicon.py [--cameo PATH] [--output PATH]

Source: CAMEO.2.0.txt, the CAMEO verb pattern dictionary of the PETRARCH2
event coder (Open Event Data Alliance; Philip Schrodt, John Beieler, Clayton
Norris and the Computational Event Data System Project, from the TABARI
CAMEO dictionaries and WordNet synonym sets), MIT licence, as kept in
../shared/reference/petrarch2/ (github.com/openeventdata/petrarch2, commit
676801cd, petrarch2/data/dictionaries).

The dictionary holds synonym sets ("&CEASEFIRE" with "+TRUCE", "+ARMISTICE",
...) and verb blocks:

    ---  APPEAL   [020]  ---              the block's default code ("---": none)
    APPEAL                                a verb of the block
    BEG {BEGS BEGGED BEGGING }            ... with its irregular forms
    +ASK_FOR {+ASKED_FOR ...} [020]       a multiword verb, with its own code
    - * (FOR RELEASE)    [0253]  # APPEAL a pattern: "*" is the verb, "$"/"+"
                                          the source/target, "^" any phrase,
                                          "{}" a noun phrase, "()" a
                                          prepositional phrase; the comment
                                          names the verb it was written for.

How it becomes steppe's syntax (the top of patterns/pt.yaml):
- a verb is "@lemma" (any inflected form; the lemma is the dictionary's
  word in lower case); a multiword verb is "@ask for"; a verb listed with an
  empty set of forms ("+ANGERED_BY {}") is taken literally ("angered by");
- a verb alone takes its own code, else the block's (the block's default
  applies to the bare verb);
- a pattern is the verb, then the pattern's literal words in order, each
  separated by "..." (up to 3 words); a source/target/phrase slot is a wider
  gap ("...6"), never a word; a word with "_" inside is several adjacent
  words ("PRIME_MINISTER"), a final "_" (PETRARCH's exact match) is dropped,
  "A/B" is a choice "a|b";
- a synonym set of at most SYNSET_LIMIT members becomes a choice of its
  one-word members (each multiword member adds a form of its own); a larger
  one, or one the file does not define, drops the pattern;
- a pattern applies to the verb its comment names when that verb is in the
  block (where TABARI had it: PETRARCH2 shares a block's patterns among all
  its synonyms, which turns "appear in court" into "look in court"), else to
  every verb of the block;
- words before the verb ("&MILITARY * EXERCISES", "CRITICS *") are the
  subject: steppe finds actors around a trigger, not inside it, so those
  patterns are dropped;
- "[042:043]" keeps its first code; "[:173]" (only the reverse event: the
  subject of "appear in court" is the target) is a passive pattern
  (passive: true); "[---]" (no event: "appeal court") is a not_trigger when
  the bare verb has a code, else it says nothing and is dropped;
- a code the codebook (data/events/cameo_codebook.yaml) lacks becomes its
  parent (0234 -> 023, 029 -> 020) when the codebook has it, else is dropped;
- the same form twice keeps the first (in the file's order): a later one with
  the same code is a duplicate, with another code a conflict.

Narrowed for the news steppe reads (measured on the English gold, see the
commit that set them): BARE_CODES_DROPPED, verbs alone with a generic code;
LEMMAS_DROPPED, verbs whose lemma is mostly not an event in news.

The output is deterministic: rerunning on the same input rewrites the same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "reference" / "petrarch2" / "CAMEO.2.0.txt"
DEFAULT_OUTPUT = REPO / "src" / "steppe" / "data" / "events" / "patterns" / "en_cameo.yaml"
CODEBOOK = REPO / "src" / "steppe" / "data" / "events" / "cameo_codebook.yaml"
SYNSET_LIMIT = 12  # members of a synonym set that may become one "a|b|c" choice
SLOT_GAP = "...6"  # where the pattern has a source, target or phrase slot
MAX_FORMS = 8  # forms one pattern may expand into (multiword synonym members)

# Verbs alone with these codes are dropped: "say", "state", "tell" (010),
# "hope", "suggest" (020), "consider", "arrive" (040), "use" (190) are mostly
# no event of their own; their patterns with words stay.
BARE_CODES_DROPPED: frozenset[str] = frozenset()
# Verbs whose every trigger is dropped: the lemma is mostly no event in news.
LEMMAS_DROPPED: frozenset[str] = frozenset()

WORD = re.compile(r"^\w+(?:[-']\w+)*$")
CODE = re.compile(r"\[([^\]]*)\]")
HEADER = re.compile(r"^---\s+(?P<name>\S+)\s+\[(?P<code>[^\]]*)\]")  # "[120]---  ---" happens
VERB_LINE = re.compile(r"^(?P<verb>\+?[A-Z][A-Z0-9_'-]*)\s*(?P<forms>\{[^}]*\})?\s*(?:\[(?P<code>[^\]]*)\])?")


@dataclass(frozen=True)
class Verb:
    key: str  # as the file writes it, without "+": "ASK_FOR"
    words: tuple[str, ...]  # ("ask", "for")
    code: str | None  # its own code; None: the block's; "---": none
    literal: bool  # "+ANGERED_BY {}": this form only, not a lemma
    names: frozenset[str] = frozenset()  # how a pattern's comment may name it: "THREW", "RULED_OUT"

    def form(self) -> str:
        if self.literal:
            return " ".join(self.words)
        return " ".join((f"@{self.words[0]}", *self.words[1:]))


@dataclass(frozen=True)
class Pattern:
    line: int
    before: tuple[str, ...]  # elements before "*"
    after: tuple[str, ...]  # elements after "*"
    code: str | None  # None: "[---]"
    reverse: bool  # "[:173]": only the reverse event
    named: tuple[str, ...]  # verbs the comment names


@dataclass
class Block:
    name: str
    code: str | None
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


def parse_code(text: str) -> tuple[str | None, bool]:
    """The code of "[042:043]" ("042", False), "[:173]" ("173", True: reverse only), "[---]" (None, False)."""
    text = text.strip()
    first, _, second = text.partition(":")
    first, second = first.strip(), second.strip()
    if first and first != "---":
        return first, False
    if not first and second and second != "---":
        return second, True
    return None, False


def parse_verb_line(line: str) -> Verb | None:
    """'+ASK_FOR {+ASKED_FOR +ASKING_FOR} [020]' -> Verb("ASK_FOR", ("ask", "for"), "020", False)."""
    text = line.split("#", 1)[0].strip()
    m = VERB_LINE.match(text)
    if not m:
        return None
    key = m["verb"].lstrip("+").rstrip("_")
    forms = m["forms"]
    code = None
    if m["code"] is not None:
        code, reverse = parse_code(m["code"])
        code = "---" if code is None or reverse else code
    listed = [f.lstrip("+").rstrip("_") for f in (forms or "").strip("{}").split()]
    literal = forms is not None and not listed
    return Verb(key, tuple(w.lower() for w in key.split("_") if w), code, literal, frozenset([key, *listed, *inflections(key)]))


def inflections(key: str) -> list[str]:
    """Regular English forms of a verb key ("RULE_OUT" -> "RULED_OUT", "RULES_OUT", "RULING_OUT", ...)."""
    head, _, rest = key.partition("_")
    stems = {head + "S", head + "ED", head + "D", head + "ING", head + head[-1:] + "ED", head + head[-1:] + "ING", head[:-1] + "ING"}
    if head.endswith("Y"):
        stems |= {head[:-1] + "IED", head[:-1] + "IES"}
    return sorted(s + ("_" + rest if rest else "") for s in stems)


def pattern_elements(text: str) -> list[str]:
    """The elements of a pattern's text: '* (TO LIST) (OF {BANNED PARTIES}) $' -> ['*', 'TO', 'LIST', 'OF', 'BANNED', 'PARTIES', '$']."""
    return text.replace("(", " ").replace(")", " ").replace("{", " ").replace("}", " ").split()


def parse_pattern_line(line: str, number: int = 0) -> Pattern | None:
    """'- * (FOR RELEASE)   [0253]  # APPEAL' -> Pattern(after=('FOR', 'RELEASE'), code='0253', named=('APPEAL',))."""
    body, _, comment = line.lstrip("-").partition("#")
    m = CODE.search(body)
    if not m:
        return None
    code, reverse = parse_code(m[1])
    elements = pattern_elements(body[: m.start()])
    if elements.count("*") != 1:
        return None
    at = elements.index("*")
    named = tuple(w for w in re.split(r"[\s,]+", comment.strip()) if w)
    return Pattern(number, tuple(elements[:at]), tuple(elements[at + 1 :]), code, reverse, named)


def parse_dictionary(text: str) -> tuple[dict[str, list[str]], list[Block]]:
    """(synonym sets, verb blocks) of the CAMEO verb dictionary's text."""
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    current: list[str] | None = None
    section = "synsets"
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("#######"):
            section = "verbs" if "VERB PATTERNS" in line else ("transformations" if "TRANSFORMATIONS" in line else section)
            continue
        stripped = line.split("#", 1)[0].strip()
        if not stripped or section == "transformations":
            continue
        if section == "synsets":
            if stripped.startswith("&"):
                current = synsets.setdefault(stripped.split()[0], [])
            elif stripped.startswith("+") and current is not None:
                current.append(stripped[1:].split()[0])
            continue
        if m := HEADER.match(line):
            code, _ = parse_code(m["code"])
            blocks.append(Block(m["name"], code))
        elif not blocks:
            continue
        elif line.startswith("-"):
            if pattern := parse_pattern_line(line, number):
                blocks[-1].patterns.append(pattern)
            else:
                blocks[-1].patterns.append(Pattern(number, (), ("?",), None, False, ()))  # unreadable: counted
        elif verb := parse_verb_line(line):
            blocks[-1].verbs.append(verb)
    return synsets, blocks


def word_choice(element: str) -> str | None:
    """One pattern word in steppe's syntax ("BY/WITH" -> "by|with"; "CASH_" -> "cash"), or None if a token cannot hold it."""
    alts = [a.rstrip("_").lower() for a in element.split("/")]
    return "|".join(alts) if alts and all(WORD.match(a) for a in alts) else None


def element_variants(element: str, synsets: Mapping[str, Sequence[str]], limit: int = SYNSET_LIMIT) -> list[str] | str:
    """The steppe texts one element may be (several for a synonym set with multiword members), or why it cannot be written."""
    if "*" in element:
        return "verb marker inside a word"
    if element.startswith("&"):
        members = synsets.get(element)
        if members is None:
            return "synonym set not defined"
        if len(members) > limit:
            return f"synonym set over {limit} words"
        single = [m.rstrip("_").lower() for m in members if "_" not in m.rstrip("_") and WORD.match(m.rstrip("_").lower())]
        multi = [" ".join(w.lower() for w in m.rstrip("_").split("_")) for m in members if "_" in m.rstrip("_")]
        multi = [m for m in multi if all(WORD.match(w) for w in m.split())]
        out = (["|".join(dict.fromkeys(single))] if single else []) + multi
        return out or "synonym set with no usable word"
    parts = [p for p in element.split("_") if p]
    if len(parts) > 1:
        texts = [element_variants(p, synsets, limit) for p in parts]
        for t in texts:
            if isinstance(t, str):
                return t
        return [" ".join(combo) for combo in itertools.product(*texts)]  # type: ignore[arg-type]
    word = word_choice(element)
    return [word] if word else "word a token cannot hold"


SLOTS = {"$", "+", "^", "%"}


def pattern_forms(verb: Verb, pattern: Pattern, synsets: Mapping[str, Sequence[str]], limit: int = SYNSET_LIMIT) -> list[str] | str:
    """The steppe forms of one pattern for one verb ('@appeal ... for ... release'), or why it has none."""
    if any(e not in SLOTS for e in pattern.before):
        return "words before the verb"
    steps: list[list[str]] = [[verb.form()]]
    gaps: list[str] = []
    pending = "..."
    for element in pattern.after:
        if element in SLOTS:
            pending = SLOT_GAP
            continue
        variants = element_variants(element, synsets, limit)
        if isinstance(variants, str):
            return variants
        steps.append(variants)
        gaps.append(pending)
        pending = "..."
    forms = []
    for combo in itertools.product(*steps):
        parts = [combo[0]]
        for gap, text in zip(gaps, combo[1:]):
            parts += [gap, text]
        forms.append(" ".join(parts))
    if len(forms) > MAX_FORMS:
        return f"expands into over {MAX_FORMS} forms"
    return forms


def codebook_codes(path: Path = CODEBOOK) -> frozenset[str]:
    return frozenset(yaml.safe_load(path.read_text(encoding="utf-8"))["codes"])


def known_code(code: str, codes: Iterable[str]) -> str | None:
    """The code, or its parent (0234 -> 023; 029 -> 020), if the codebook has it and it is 3 or 4 digits."""
    codes = set(codes)
    if not re.fullmatch(r"\d{3,4}", code):
        return None
    if code in codes:
        return code
    parent = code[:3] if len(code) == 4 else code[:2] + "0"
    return parent if parent in codes else None


def pattern_verbs(block: Block, pattern: Pattern) -> tuple[list[Verb], bool]:
    """The verbs a pattern applies to, and whether its comment named them (else: every verb of the block)."""
    by_name = {name: v for v in reversed(block.verbs) for name in v.names}
    named = list(dict.fromkeys(by_name[k] for k in pattern.named if k in by_name))
    return (named, True) if named else (list(block.verbs), False)


def code_usage(blocks: Sequence[Block], codes: Iterable[str]) -> dict[str, Counter]:
    """code -> {verb key: CAMEO.2.0 entries}: every pattern line and every verb with a code of its own or
    its block's counts once for its code (made a codebook code as the converter makes it), whatever
    steppe can write of it; a measure of how much CAMEO coding, and so news, uses each code."""
    codes = frozenset(codes)
    usage: dict[str, Counter] = {}
    for block in blocks:
        for verb in block.verbs:
            raw = None if verb.code == "---" else (verb.code or block.code)
            if raw and (code := known_code(raw, codes)):
                usage.setdefault(code, Counter())[verb.key] += 1
        for pattern in block.patterns:
            if pattern.code and (code := known_code(pattern.code, codes)):
                verbs, _ = pattern_verbs(block, pattern)
                for verb in verbs:
                    usage.setdefault(code, Counter())[verb.key] += 1 / len(verbs)
    return usage


def usable(verb: Verb, lemmas_dropped: frozenset[str]) -> bool:
    """Whether a verb may head triggers: "+KILLED_AND {}" is PETRARCH's device for coordinated verbs, no verb of its own."""
    return verb.words[0] not in lemmas_dropped and verb.words[-1] not in ("and", "or") and all(WORD.match(w) for w in verb.words)


@dataclass(frozen=True)
class Entry:
    code: str
    form: str
    passive: bool
    verb: str  # the dictionary's verb key, for the coverage map
    line: int  # 0 for a verb alone


@dataclass
class Conversion:
    triggers: list[Entry] = field(default_factory=list)
    not_triggers: list[str] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)  # reason -> patterns (one per pattern line, or per verb for a verb alone)
    notes: Counter = field(default_factory=Counter)
    verbs: int = 0
    patterns: int = 0
    patterns_kept: int = 0  # pattern lines that gave at least one trigger or not_trigger


def convert(
    synsets: Mapping[str, Sequence[str]], blocks: Sequence[Block], codes: Iterable[str],
    bare_codes_dropped: frozenset[str] = BARE_CODES_DROPPED, lemmas_dropped: frozenset[str] = LEMMAS_DROPPED,
) -> Conversion:
    """The triggers and not_triggers of the dictionary, in the file's order, with the reasons for what is left out."""
    codes = frozenset(codes)
    out = Conversion()
    seen: dict[str, str] = {}  # form -> code ("" for a not_trigger)

    def add(form: str, code: str, passive: bool, verb: Verb, line: int) -> str | None:
        if form in seen:
            return "duplicate" if seen[form] == code else "conflict with an earlier pattern's code"
        seen[form] = code
        out.triggers.append(Entry(code, form, passive, verb.key, line))
        return None

    def bare_code(verb: Verb, block: Block) -> str | None:
        if verb.code == "---":
            return None
        return verb.code or block.code

    for block in blocks:
        out.verbs += len(block.verbs)
        for verb in block.verbs:
            raw = bare_code(verb, block)
            if raw is None:
                continue
            if not usable(verb, lemmas_dropped):
                out.dropped["verb alone: LEMMAS_DROPPED, a form ending in and/or, or a word a token cannot hold"] += 1
                continue
            code = known_code(raw, codes)
            if code is None:
                out.dropped["verb alone: code unknown to the codebook"] += 1
            elif code in bare_codes_dropped:
                out.dropped[f"verb alone: generic code {code} (BARE_CODES_DROPPED)"] += 1
            elif reason := add(verb.form(), code, False, verb, 0):
                out.dropped[f"verb alone: {reason}"] += 1
            elif code != raw:
                out.notes[f"code mapped to its parent ({raw} -> {code})"] += 1
        for pattern in block.patterns:
            out.patterns += 1
            if pattern.after == ("?",):
                out.dropped["line not readable as a pattern"] += 1
                continue
            verbs, named = pattern_verbs(block, pattern)
            if not named:
                out.notes["pattern applied to every verb of its block (comment names none)"] += 1
            verbs = [v for v in verbs if usable(v, lemmas_dropped)]
            if not verbs:
                out.dropped["its verbs are LEMMAS_DROPPED or unusable"] += 1
                continue
            if pattern.code is None:
                if pattern.reverse:
                    out.dropped["no code"] += 1
                    continue
                kept = False
                for verb in verbs:
                    if bare_code(verb, block) is None:
                        continue
                    forms = pattern_forms(verb, pattern, synsets)
                    if isinstance(forms, str) or len(pattern.after) == 0:
                        continue
                    for form in forms:
                        if form not in seen:
                            seen[form] = ""
                            out.not_triggers.append(form)
                            kept = True
                out.patterns_kept += kept
                if not kept:
                    out.dropped["no event ([---]) on a verb with no code of its own, or unwritable"] += 1
                continue
            code = known_code(pattern.code, codes)
            if code is None:
                out.dropped[f"code unknown to the codebook ({pattern.code})"] += 1
                continue
            reasons, added = [], 0
            for verb in verbs:
                forms = pattern_forms(verb, pattern, synsets)
                if isinstance(forms, str):
                    reasons.append(forms)
                    continue
                for form in forms:
                    if reason := add(form, code, pattern.reverse, verb, pattern.line):
                        reasons.append(reason)
                    else:
                        added += 1
            if added:
                out.patterns_kept += 1
                if code != pattern.code:
                    out.notes[f"code mapped to its parent ({pattern.code} -> {code})"] += 1
            else:
                out.dropped[reasons[0] if reasons else "no form"] += 1
    return out


ROOT_NAMES = {
    "01": "make public statement", "02": "appeal", "03": "express intent to cooperate", "04": "consult",
    "05": "engage in diplomatic cooperation", "06": "engage in material cooperation", "07": "provide aid",
    "08": "yield", "09": "investigate", "10": "demand", "11": "disapprove", "12": "reject", "13": "threaten",
    "14": "protest", "15": "exhibit force posture", "16": "reduce relations", "17": "coerce", "18": "assault",
    "19": "fight", "20": "use unconventional mass violence",
}


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(conversion: Conversion, source: Path) -> str:
    lines = [
        "# English verb triggers from the CAMEO verb dictionary.",
        "#",
        "# GENERATED by tools/build_cameo_lexicon.py (.venv/bin/python tools/build_cameo_lexicon.py)",
        f"# from {source.name} (PETRARCH2 CAMEO verb pattern dictionary, Open Event Data",
        "# Alliance, MIT licence): do not edit by hand. en.yaml includes it; its own",
        "# hand-written patterns win where both match the same words. How a CAMEO",
        "# pattern becomes a form, and what is left out, is in the script's docstring.",
        "language: en",
    ]
    if conversion.not_triggers:
        lines.append("# CAMEO patterns with no event (\"[---]\"): they win the longest match and are dropped.")
        lines.append("not_triggers:")
        lines.extend(f"  - {quoted(f)}" for f in sorted(conversion.not_triggers))
    lines.append("triggers:")
    groups: dict[tuple[str, bool], set[str]] = {}
    for e in conversion.triggers:
        groups.setdefault((e.code, e.passive), set()).add(e.form)
    root = None
    for code, passive in sorted(groups):
        if code[:2] != root:
            root = code[:2]
            lines.append("")
            lines.append(f"  # --- {root} {ROOT_NAMES.get(root, '')} " + "-" * max(4, 70 - len(ROOT_NAMES.get(root, ""))))
        lines.append(f"  - code: {quoted(code)}")
        if passive:
            lines.append("    passive: true  # CAMEO \"[:code]\": the subject is the target")
        lines.append("    forms:")
        lines.extend(f"      - {quoted(f)}" for f in sorted(groups[(code, passive)]))
    return "\n".join(lines) + "\n"


def summary(conversion: Conversion) -> str:
    forms = len(conversion.triggers)
    bare = sum(1 for e in conversion.triggers if e.line == 0)
    out = [
        f"{conversion.verbs} verbs, {conversion.patterns} patterns read; {conversion.patterns_kept} patterns kept",
        f"kept: {forms} trigger forms ({bare} verbs alone, {forms - bare} from patterns), {len(conversion.not_triggers)} not_triggers",
        f"codes: {len({e.code for e in conversion.triggers})}",
        "dropped (verbs alone, or pattern lines):",
    ]
    out += [f"  {n:6d}  {reason}" for reason, n in sorted(conversion.dropped.items(), key=lambda kv: (-kv[1], kv[0]))]
    out.append(f"  {sum(conversion.dropped.values()):6d}  in all")
    out.append("notes:")
    notes = Counter()
    for reason, n in conversion.notes.items():
        notes["code mapped to its parent" if reason.startswith("code mapped") else reason] += n
    out += [f"  {n:6d}  {reason}" for reason, n in sorted(notes.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(out)


def build(source: Path = DEFAULT_SOURCE, codebook: Path = CODEBOOK) -> Conversion:
    synsets, blocks = parse_dictionary(source.read_text(encoding="utf-8", errors="replace"))
    return convert(synsets, blocks, codebook_codes(codebook))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameo", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if not args.cameo.exists():
        sys.exit(f"{args.cameo}: not found (the CAMEO verb dictionary, ../shared/reference/petrarch2/CAMEO.2.0.txt)")
    conversion = build(args.cameo)
    args.output.write_text(render(conversion, args.cameo), encoding="utf-8")
    print(summary(conversion))
    print(f"-> {args.output}")


if __name__ == "__main__":
    main()
