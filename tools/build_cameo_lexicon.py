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
- a pattern applies to the verb its comment names (where TABARI had it:
  PETRARCH2 shares a block's patterns among all its synonyms, which turns
  "appear in court" into "look in court"), by its key or any of its forms
  ("THREW", "RULED_OUT"), in the block or, for a verb moved to another block
  ("CONCLUDE" patterns left under CANCEL), where it now is; a pattern whose
  comment names no verb applies to every verb of its block;
- words before the verb ("&MILITARY * EXERCISES", "CRITICS *") are the
  subject: steppe finds actors around a trigger, not inside it, so those
  patterns are dropped;
- "[042:043]" keeps its first code; "[:173]" (only the reverse event: the
  subject of "appear in court" is the target) is a passive pattern
  (passive: true); "[---]" (no event: "appeal court", a look-alike PETRARCH
  keeps off the verb's default code) is dropped: an included file holds
  triggers only, and en.yaml's not_triggers are written by hand;
- a code the codebook (data/events/cameo_codebook.yaml) lacks becomes its
  parent (0234 -> 023, 029 -> 020) when the codebook has it, else is dropped;
- the same form twice keeps the first (in the file's order): a later one with
  the same code is a duplicate, with another code a conflict.

Narrowed for the news steppe reads (`narrow`, NARROWING), measured with
tools/events_report.py (PLOVER, English): the whole conversion, included by
en.yaml, took PLOVER F1 from 0.874 to 0.748; narrowed, it leaves it at 0.874.
- verbs alone are left out: `@lemma` matches every form of the word, nouns
  and names too ("United" is unite, 040; "forces" force, 170; "deal" 050);
- a pattern needs a word other than a preposition or particle after the verb
  ("@call ... on" says too little);
- verbs of saying ("said it will support") are left out: steppe codes the
  act itself, with the statement as its modality;
- codes of the governing roots (02 appeal, 03 intent, 10 demand, 12 reject,
  13 threaten) are left out: steppe composes them with the next trigger
  (codebook `compose`), and a CAMEO pattern that already names its object
  composes a second time ("agreed to a ceasefire after fierce fighting"
  became 1384);
- a pattern with an agent noun of steppe's English agents lexicon
  ("@arrest ... protesters") is left out: the actor would be inside the
  trigger, where the role finder does not look for it;
- every entry excludes gerunds ("the signing of a memorandum" is the noun);
- reviewed forms: CODE_OVERRIDES and FORMS_DROPPED, each with its reason.

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
AGENTS = (REPO / "src" / "steppe" / "data" / "events" / "agents" / "en_phoenix.yaml", REPO / "src" / "steppe" / "data" / "events" / "agents" / "en.yaml")
SYNSET_LIMIT = 12  # members of a synonym set that may become one "a|b|c" choice
SLOT_GAP = "...6"  # where the pattern has a source, target or phrase slot
MAX_FORMS = 8  # forms one pattern may expand into (multiword synonym members)



@dataclass(frozen=True)
class Narrowing:
    """What of the faithful conversion en.yaml includes (see the module's docstring)."""

    verbs_alone: bool = False
    need_content_word: bool = True
    lemmas_dropped: frozenset[str] = frozenset(
        "say tell state announce declare report add express comment mention describe explain assert note cite claim "
        "inform quote repeat reiterate".split()
    )
    roots_dropped: frozenset[str] = frozenset({"02", "03", "10", "12", "13"})
    actor_words: frozenset[str] = frozenset()  # agent nouns: a pattern word that is one would hide its actor
    exclude: tuple[str, ...] = ("gerund",)  # features of `morph` every entry excludes



# Words that do not make a pattern more specific than its verb.
FUNCTION_WORDS = frozenset(
    "to for on in with at of by from into against over up down out off about after before under upon toward towards as "
    "the a an its his her their and or back away forward aside through across behind between within without".split()
)
def agent_words(paths: Iterable[Path] = AGENTS) -> frozenset[str]:
    """The one-word agent nouns of steppe's English agents lexicon ("protesters", "rebels", "police")."""
    words: set[str] = set()
    for path in paths:
        for group in yaml.safe_load(path.read_text(encoding="utf-8")).get("agents") or ():
            for form in group.get("forms") or ():
                if " " not in form.strip():
                    words.update(form.split("|"))
    return frozenset(words - FUNCTION_WORDS)


NARROWING = Narrowing(actor_words=agent_words())


# Forms whose CAMEO.2.0 code is wrong for news, reviewed: form -> (code, why).
CODE_OVERRIDES: dict[str, tuple[str, str]] = {
    "@call off ... strike": ("082", "a called-off strike eases dissent (082), not a military de-escalation (087)"),
}
# Forms left out, reviewed: form -> why.
FORMS_DROPPED: dict[str, str] = {
    "@appoint ... minister": "060 in CAMEO.2.0; naming a minister is no material cooperation, and 'newly appointed minister X' no event",
    "@appoint ... as ... minister": "as above",
    "@call ... criminal": "1121 for 'called him a criminal', but 'call' is mostly the noun: 'the call in a regular criminal case'",
}

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


def verb_index(blocks: Sequence[Block]) -> dict[str, Verb]:
    """Every name of every verb (its key, listed and regular forms) -> the verb, the first block's where two have it."""
    index: dict[str, Verb] = {}
    for block in blocks:
        for verb in block.verbs:
            for name in verb.names:
                index.setdefault(name, verb)
    return index


def pattern_verbs(block: Block, pattern: Pattern, index: Mapping[str, Verb] | None = None) -> tuple[list[Verb], str]:
    """The verbs a pattern applies to, and how they were chosen: the verbs its comment names in
    the block ("block"); else those it names elsewhere, where a verb moved to another block
    took its patterns' intent with it ("elsewhere"); else every verb of the block ("all")."""
    by_name = {name: v for v in reversed(block.verbs) for name in v.names}
    named = list(dict.fromkeys(by_name[k] for k in pattern.named if k in by_name))
    if named:
        return named, "block"
    elsewhere = list(dict.fromkeys(index[k] for k in pattern.named if index and k in index))
    if elsewhere:
        return elsewhere, "elsewhere"
    return list(block.verbs), "all"


def code_usage(blocks: Sequence[Block], codes: Iterable[str]) -> dict[str, Counter]:
    """code -> {verb key: CAMEO.2.0 entries}: every pattern line and every verb with a code of its own or
    its block's counts once for its code (made a codebook code as the converter makes it), whatever
    steppe can write of it; a measure of how much CAMEO coding, and so news, uses each code."""
    codes = frozenset(codes)
    usage: dict[str, Counter] = {}
    index = verb_index(blocks)
    for block in blocks:
        for verb in block.verbs:
            raw = None if verb.code == "---" else (verb.code or block.code)
            if raw and (code := known_code(raw, codes)):
                usage.setdefault(code, Counter())[verb.key] += 1
        for pattern in block.patterns:
            if pattern.code and (code := known_code(pattern.code, codes)):
                verbs, _ = pattern_verbs(block, pattern, index)
                for verb in verbs:
                    usage.setdefault(code, Counter())[verb.key] += 1 / len(verbs)
    return usage


def usable(verb: Verb) -> bool:
    """Whether a verb may head triggers: "+KILLED_AND {}" is PETRARCH's device for coordinated verbs, no verb of its own."""
    return verb.words[-1] not in ("and", "or") and all(WORD.match(w) for w in verb.words)


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
    dropped: Counter = field(default_factory=Counter)  # reason -> patterns (one per pattern line, or per verb for a verb alone)
    notes: Counter = field(default_factory=Counter)
    verbs: int = 0
    patterns: int = 0
    patterns_kept: int = 0  # pattern lines that gave at least one trigger


def convert(synsets: Mapping[str, Sequence[str]], blocks: Sequence[Block], codes: Iterable[str]) -> Conversion:
    """The triggers of the dictionary, in the file's order, with the reasons for what is left out."""
    codes = frozenset(codes)
    index = verb_index(blocks)
    out = Conversion()
    seen: dict[str, str] = {}  # form -> code

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
            if not usable(verb):
                out.dropped["verb alone: a form ending in and/or, or a word a token cannot hold"] += 1
                continue
            code = known_code(raw, codes)
            if code is None:
                out.dropped["verb alone: code unknown to the codebook"] += 1
            elif reason := add(verb.form(), code, False, verb, 0):
                out.dropped[f"verb alone: {reason}"] += 1
            elif code != raw:
                out.notes[f"code mapped to its parent ({raw} -> {code})"] += 1
        for pattern in block.patterns:
            out.patterns += 1
            if pattern.after == ("?",):
                out.dropped["line not readable as a pattern"] += 1
                continue
            verbs, chosen = pattern_verbs(block, pattern, index)
            if chosen == "all":
                out.notes["pattern applied to every verb of its block (its comment names no verb)"] += 1
            elif chosen == "elsewhere":
                out.notes["pattern applied to the verb its comment names, in another block"] += 1
            verbs = [v for v in verbs if usable(v)]
            if not verbs:
                out.dropped["its verbs are unusable"] += 1
                continue
            if pattern.code is None:
                # "appeal court": PETRARCH's way to keep the verb's default code off a look-alike.
                # An included file holds triggers only, so these are left to en.yaml's not_triggers.
                out.dropped["no event ([---])"] += 1
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


def narrow(conversion: Conversion, rules: Narrowing = NARROWING) -> tuple[list[Entry], Counter]:
    """The triggers en.yaml includes, and how many forms each rule left out."""
    kept, dropped = [], Counter()
    for e in conversion.triggers:
        words = e.form.split()
        lemma = words[0].lstrip("@")
        after = [w for w in words[1:] if not w.startswith("...")][len(lemma_words(e.form)) - 1 :]
        if e.form in FORMS_DROPPED:
            dropped["reviewed (FORMS_DROPPED)"] += 1
        elif e.line == 0 and not rules.verbs_alone:
            dropped["verb alone (@lemma also matches nouns and names)"] += 1
        elif rules.need_content_word and e.line and not any(a not in FUNCTION_WORDS for w in after for a in w.split("|")):
            dropped["no word but prepositions and particles after the verb"] += 1
        elif any(a in rules.actor_words for w in after for a in w.split("|")):
            dropped["a word names an actor (agents lexicon: 'arrested protesters' would hide the protesters)"] += 1
        elif lemma in rules.lemmas_dropped:
            dropped["verb of saying"] += 1
        elif CODE_OVERRIDES.get(e.form, (e.code,))[0][:2] in rules.roots_dropped:
            dropped["governing root (02, 03, 10, 12, 13)"] += 1
        else:
            code = CODE_OVERRIDES.get(e.form, (e.code,))[0]
            kept.append(Entry(code, e.form, e.passive, e.verb, e.line))
    return kept, dropped


def lemma_words(form: str) -> list[str]:
    """The words of a form's verb: "@call off ... strike" -> ["@call", "off"]."""
    words = form.split()
    out = [words[0]]
    for w in words[1:]:
        if w.startswith("..."):
            break
        out.append(w)
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


def render(entries: Sequence[Entry], source: Path, exclude: Sequence[str] = NARROWING.exclude) -> str:
    lines = [
        "# English verb triggers from the CAMEO verb dictionary.",
        "#",
        "# GENERATED by tools/build_cameo_lexicon.py (.venv/bin/python tools/build_cameo_lexicon.py)",
        f"# from {source.name} (PETRARCH2 CAMEO verb pattern dictionary, Open Event Data",
        "# Alliance, MIT licence): do not edit by hand. en.yaml includes it; its own",
        "# hand-written patterns win where both match the same words. How a CAMEO",
        "# pattern becomes a form, and what is left out, is in the script's docstring.",
        "language: en",
        "triggers:",
    ]
    groups: dict[tuple[str, bool], set[str]] = {}
    for e in entries:
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
        if exclude:
            lines.append(f"    exclude: [{', '.join(exclude)}]")
        lines.append("    forms:")
        lines.extend(f"      - {quoted(f)}" for f in sorted(groups[(code, passive)]))
    return "\n".join(lines) + "\n"


def summary(conversion: Conversion, kept: Sequence[Entry], narrowed: Mapping[str, int]) -> str:
    forms = len(conversion.triggers)
    bare = sum(1 for e in conversion.triggers if e.line == 0)
    out = [
        f"read: {conversion.verbs} verbs, {conversion.patterns} patterns",
        f"converted: {forms} forms ({bare} verbs alone, {forms - bare} from {conversion.patterns_kept} patterns), "
        f"{len({e.code for e in conversion.triggers})} codes",
        "not converted (verbs alone, or pattern lines):",
    ]
    out += [f"  {n:6d}  {reason}" for reason, n in sorted(conversion.dropped.items(), key=lambda kv: (-kv[1], kv[0]))]
    out.append(f"  {sum(conversion.dropped.values()):6d}  in all")
    notes = Counter()
    for reason, n in conversion.notes.items():
        notes["code mapped to its parent" if reason.startswith("code mapped") else reason] += n
    out.append("notes (pattern lines):")
    out += [f"  {n:6d}  {reason}" for reason, n in sorted(notes.items(), key=lambda kv: (-kv[1], kv[0]))]
    out.append("narrowed for news (forms):")
    out += [f"  {n:6d}  {reason}" for reason, n in sorted(narrowed.items(), key=lambda kv: (-kv[1], kv[0]))]
    out.append(
        f"written: {len(kept)} forms from {len({e.line for e in kept})} patterns of {len({e.verb for e in kept})} verbs, "
        f"{len({e.code for e in kept})} codes"
    )
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
    kept, narrowed = narrow(conversion)
    args.output.write_text(render(kept, args.cameo), encoding="utf-8")
    print(summary(conversion, kept, narrowed))
    print(f"-> {args.output}")


if __name__ == "__main__":
    main()
