"""Whether a trigger states a fact: negation, denial, plan, possibility, announced intent or refusal.

The cues are the language's (`cues` in its patterns file); they are found
once per sentence (`cue_index`) and read for each trigger by position.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from itertools import compress

from steppe.analyse import morph
from steppe.analyse.events.lexicon import (
    CANDIDATE_CACHE_SIZE,
    LanguagePatterns,
    Step,
    kk_features,
    match_steps,
)
from steppe.analyse.events.tokens import CLAUSE_PUNCT, PUNCT, Token
from steppe.analyse.events.triggers import Match


def _cues_starting(patterns: LanguagePatterns, word: str) -> Mapping[str, tuple[tuple[Step, ...], ...]]:
    """Cue kind -> the cues of that kind whose first word matches `word`, in their order: most words start none."""
    cache = patterns.lookups.setdefault("cues", {})
    found = cache.get(word)
    if found is None:
        found = {}
        exact, starts = patterns.cue_first_words
        for kind, cues in patterns.cues.items() if word in exact or word.startswith(starts) else ():
            if starting := tuple(steps for steps in cues if steps[0].matches(word) is not None):
                found[kind] = starting
        if len(cache) < CANDIDATE_CACHE_SIZE:
            cache[word] = found
    return found


CueIndex = Mapping[str, tuple[tuple[int, int], ...]]
_WORD = operator.attrgetter("word")


def cue_index(tokens: Sequence[Token], patterns: LanguagePatterns) -> CueIndex:
    """Cue kind -> (token index, end index) of every cue of that kind in the sentence, in token order.

    At each token the first cue of a kind that matches there counts. Built
    once per sentence: every trigger's modality reads it, instead of matching
    every cue at every token of its windows again. The cues that may start
    at a word are kept per word (`_cues_starting`) and looked up for the
    whole sentence at once; only where some may start are they matched.
    """
    found: dict[str, list[tuple[int, int]]] = {}
    words = list(map(_WORD, tokens))
    starting_at = list(map(patterns.lookups.setdefault("cues", {}).get, words))
    if None in starting_at:
        starting_at = [_cues_starting(patterns, w) if s is None else s for w, s in zip(words, starting_at)]
    for i in compress(range(len(tokens)), starting_at):
        if tokens[i].is_punct:
            continue
        starting = starting_at[i]
        for kind, cues in starting.items():
            for steps in cues:
                m = match_steps(steps, tokens, i)
                if m:
                    found.setdefault(kind, []).append((i, m[0]))
                    break
    return {kind: tuple(at) for kind, at in found.items()}


def _cue_before(kind: str, tokens: Sequence[Token], first: int, patterns: LanguagePatterns, cues: CueIndex, window: int | None = None) -> bool:
    """A cue of this kind ending by token `first`, starting within the window before it and after any punctuation."""
    at = cues.get(kind)
    if not at:
        return False
    lo = first
    span = window or patterns.window
    while lo > 0 and first - lo < span and tokens[lo - 1].word not in PUNCT:
        lo -= 1
    return any(lo <= i < first and end <= first for i, end in at)


def _cue_after(kind: str, tokens: Sequence[Token], last: int, patterns: LanguagePatterns, cues: CueIndex) -> bool:
    """A cue of this kind starting within the window after token `last`, before any punctuation or
    complementizer ("disse que já era previsto": what follows "que" is the reported clause's)."""
    at = cues.get(kind)
    if not at:
        return False
    hi = last + 1
    opens = patterns.grammar["complementizers"]
    while hi < len(tokens) and hi - last <= patterns.window and tokens[hi].word not in PUNCT and tokens[hi].word not in opens:
        hi += 1
    return any(last < i < hi for i, _ in at)


def _clause_start(tokens: Sequence[Token], first: int) -> int:
    i = first
    while i > 0 and tokens[i - 1].word not in CLAUSE_PUNCT and tokens[i - 1].word != ".":
        i -= 1
    return i


# A verb of stance in the present ("айыптайды", condemns; "қолдайды", supports;
# "тілейді", wishes; "мәлімдейді", states) holds now: only an action's present-future
# ("кездеседі", will meet) announces, and only an action's desiderative ("кездескісі
# келеді", wants to meet) is an intent.
STANCE_ROOTS = frozenset({"01", "05", "11", "12"})


def form_mood(match: Match, tokens: Sequence[Token], patterns: LanguagePatterns) -> str | None:
    """The mood the trigger's own inflection gives: "intent" (a future: "посетит", "visitará"),
    "negated" (a conditional, a Kazakh negative verb), or None (a plain report)."""
    moods = match.trigger.form_moods
    analysed = match.trigger.analysed_steps
    if not moods and not analysed:
        # A stem's word ("visit*": "visitará") by its ending, in pt and es; nouns have no mood.
        return None if match.trigger.noun else morph.ending_mood(patterns.language, tokens[match.first].word)
    found = set()
    stance = match.trigger.code[:2] in STANCE_ROOTS
    for token in tokens[match.first : match.last + 1]:
        if mood := moods.get(token.word):
            found.add(mood)
        for step in analysed:
            features = kk_features(step, token.word)
            # A wish to say or to support ("айтқым келеді") is saying or supporting, not an intent.
            if features and not (stance and (("present" in features and "future" not in features) or "desiderative" in features)):
                found.update(mood for key, mood in morph.MOODS[patterns.language].items() if morph.has(features, key))
    return "negated" if "negated" in found else ("intent" if "intent" in found else None)


def _is_infinitive(match: Match, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether the trigger is a verb in the infinitive, by the language's `infinitive_endings`."""
    endings = patterns.endings["infinitive"]
    return bool(endings) and not match.trigger.noun and tokens[match.first].word.endswith(endings)


def is_purpose(match: Match, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """An infinitive of purpose: what someone goes to do, not what was done. A purpose marker
    (grammar `purpose_markers`: "para", "чтобы", "to") stands at most `purpose_reach` words before
    the verb, with no punctuation between ("vai ao Palácio para gravar vídeo e receber"); where
    the language's `infinitive_endings` are given, the verb and the word after the marker are
    infinitives ("прибыл в Москву, чтобы подписать"). A marker after a word that takes it as its
    complement (`not_purpose_before`: "managed to sign", "plans to visit") is no purpose."""
    if match.trigger.noun or match.first == 0:
        return False
    grammar = patterns.grammar
    markers, endings = grammar["purpose_markers"], patterns.endings["infinitive"]
    if not markers or (endings and not tokens[match.first].word.endswith(endings)):
        return False
    for k in range(match.first - 1, max(-1, match.first - 1 - patterns.purpose_reach), -1):
        word = tokens[k].word
        if word in PUNCT:
            return False
        if word in markers and k + 1 < len(tokens) and (not endings or tokens[k + 1].word.endswith(endings)):
            return k == 0 or tokens[k - 1].word not in grammar["not_purpose_before"]
    return False


def modality(match: Match, end_token: int, tokens: Sequence[Token], patterns: LanguagePatterns, cues: CueIndex | None = None) -> str:
    """'fact', 'negated' (denied, planned or possible), 'intent' (announced) or 'refused' (announced not to).

    `cues` is the sentence's `cue_index`, made here if not given.
    """
    if cues is None:
        cues = cue_index(tokens, patterns)
    first, last = match.first, end_token
    clause = first - _clause_start(tokens, first) + 1
    inflection = form_mood(match, tokens, patterns)
    negated = (
        match.trigger.negated
        or inflection == "negated"
        or _cue_before("negation", tokens, first, patterns, cues)
        or _cue_after("negation_after", tokens, last, patterns, cues)
        # Kazakh negates inside the verb: қол қоймады, кездеспеді (stem + ма/ме/ба/бе/па/пе).
        or (not match.trigger.noun and match.stem_rest.startswith(tuple(patterns.grammar["negative_infixes"])))
        # "Nenhum detalhe ... é divulgado", "no agreement was signed": anywhere earlier in the clause.
        or _cue_before("quantifier_negation", tokens, first, patterns, cues, window=clause)
        # A denied report is no fact: "Кремль опроверг сообщения о визите", "... жоққа шығарды".
        or _cue_before("denial", tokens, first, patterns, cues, window=clause)
        or _cue_after("denial_after", tokens, last, patterns, cues)
    )
    intent = (
        inflection == "intent"
        or _cue_before("intent", tokens, first, patterns, cues)
        or _cue_after("intent_after", tokens, last, patterns, cues)
        # "quer visitar", "решил посетить": a wish or a decision to act, said of an infinitive only
        # ("quer a prisão de Lula" is a demand, "decidiu a questão" a ruling).
        or (_is_infinitive(match, tokens, patterns) and _cue_before("intent_infinitive", tokens, first, patterns, cues))
    )
    if _cue_before("refusal", tokens, first, patterns, cues) or (negated and intent):
        return "refused"
    planned = (
        is_purpose(match, tokens, patterns)
        or _cue_before("plan", tokens, first, patterns, cues)
        or _cue_after("plan_after", tokens, last, patterns, cues)
        or _cue_before("possibility", tokens, first, patterns, cues)
        or _cue_after("possibility_after", tokens, last, patterns, cues)
    )
    if negated or planned:
        return "negated"
    return "intent" if intent else "fact"
