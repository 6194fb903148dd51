"""What a clause does to the events in it: statements, claims and coordinated verbs.

- A statement ("disse", "заявил") is CAMEO 010, whoever makes it: a name
  ("Temer disse"), an agent noun ("a polícia disse") or a pronoun, which
  gives no source ("Он заявил").
- A claim ("alegou que", "claimed that") accuses the actor of what it
  reports, which is no fact (`claimed`); so does a statement whose reported
  clause names wrongdoing ("disse que X recebeu propina": `wrongdoing_accused`).
- A verb coordinated with an earlier one keeps its subject
  (`coordinated_verb`).
- A speaker makes one statement per sentence ("said ..., which he said"),
  a statement in a gerund beside another act of its speaker is part of
  that act ("congratulated Pelosi, saying ...") and so is one that reports
  the speaker's own act ("Berlin said it will help Warsaw": `fold_statements`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from steppe.analyse.events.actors import Actor
from steppe.analyse.events.lexicon import LanguagePatterns
from steppe.analyse.events.tokens import Token, boundary_between
from steppe.analyse.events.triggers import Match
from steppe.ids import unlinked_id

STATEMENT = "010"  # CAMEO "make public statement"
CLAUSE_STOPS = frozenset({".", ";", "!", "?"})  # what a reported clause does not run past
# `claimed` takes and returns code.Event objects (Any here: code imports this module).


def entity_of(actor: Actor | None) -> str | None:
    """The entity of an event side: the registry's, or for a name it does not hold an unlinked
    entity derived from the name (steppe.ids.unlinked_id); none for an agent noun."""
    if actor is None:
        return None
    if actor.entity_id is not None:
        return actor.entity_id
    return unlinked_id(actor.text) if actor.named else None


def wrongdoing_accused(
    match: Match, tokens: Sequence[Token], cues: Mapping[str, tuple[tuple[int, int], ...]], actors: Sequence[Actor], speaker: Actor | None
) -> Actor | None:
    """Whom a statement accuses, when the clause it reports names wrongdoing: the actor nearest
    before the first `wrongdoing` cue after the statement's trigger (its doer: "diz que não há
    dúvidas de que Temer cometeu crime", "said Bolton broke the law"), else the first one right
    after it ("acusou de corrupção o governo"), in the same sentence and not the speaker; None if
    the clause names no wrongdoing or no one."""
    at = cues.get("wrongdoing")
    if not at:
        return None
    hi = match.last + 1
    while hi < len(tokens) and tokens[hi].word not in CLAUSE_STOPS:
        hi += 1
    cue = next((i for i, _ in at if match.last < i < hi), None)
    if cue is None:
        return None
    others = [a for a in actors if a is not speaker and (speaker is None or a.entity_id is None or a.entity_id != speaker.entity_id)]
    before = [a for a in others if match.last < a.first and a.last < cue]
    if before:
        return before[-1]
    return next((a for a in others if cue < a.first <= cue + 3), None)


def _own_act(k: int, events: Sequence[Any], reportable: Sequence[bool]) -> int | None:
    """The index of the act a statement reports of its own speaker: the first event after its
    trigger, not a statement, that states a fact or an intent, whose source is the statement's,
    and whose trigger is a verb not coordinated with an earlier one (`reportable`: "spoke at the
    rally and encouraged supporters" is two acts, "a statement on the talks" names its topic);
    None if there is none."""
    e = events[k]
    who = e.source_entity_id or e.source_text
    if who is None or e.negated:
        return None
    return next(
        (
            j
            for j, o in enumerate(events)
            if o.char_start >= e.char_end and o.cameo_code != STATEMENT and not o.negated and reportable[j] and (o.source_entity_id or o.source_text) == who
        ),
        None,
    )


def fold_statements(events: list[Any], gerunds: Sequence[bool], reportable: Sequence[bool]) -> list[Any]:
    """The sentence's events with statements (010) folded into the events they belong to, as
    PETRARCH codes the act and not the saying of it:
    - a statement whose trigger is a gerund (`gerunds`, aligned with `events`: "saying",
      "dizendo", "заявив") shares the subject of the sentence's main verb, and is part of the
      nearest other event before it ("Trump congratulated Pelosi, saying ..."), else after it
      ("Speaking on TV, Sarea said ...");
    - a statement that reports an act of its own speaker is part of that act: "Берлин заявил,
      что поможет Варшаве" is Berlin's intent to help (033), "Schwarzman said the president
      should accept" Schwarzman's appeal; an act of someone else, or a denied one, leaves the
      statement standing (`_own_act`; `reportable`, aligned with `events`, marks the verbs
      a statement may report);
    - a speaker makes one statement per sentence: a later one of the same speaker, with the same
      negation, is part of the first ("Trump said ..., which he said would ..."), and one whose
      speaker is not found is part of the first whose speaker is ('"... habíamos dicho ...",
      dijo Bondevik').
    A folded statement's trigger becomes evidence of the event it joins."""
    into: dict[int, int] = {}  # a folded statement's index -> the index of the event it joins
    first: dict[tuple[str, bool], int] = {}
    for k, e in enumerate(events):
        if e.cameo_code != STATEMENT:
            continue
        if not gerunds[k] and (act := _own_act(k, events, reportable)) is not None:
            into[k] = act
            first.setdefault((e.source_entity_id or e.source_text, e.negated), act)
            continue
        if gerunds[k]:
            others = [j for j in range(len(events)) if events[j].char_start != e.char_start and not (gerunds[j] and events[j].cameo_code == STATEMENT)]
            before = [j for j in others if events[j].char_start < e.char_start]
            if others:
                into[k] = before[-1] if before else others[0]
                continue
        who = e.source_entity_id or e.source_text
        if who is None:
            spoken = next((j for j, o in enumerate(events) if o.cameo_code == STATEMENT and (o.source_entity_id or o.source_text)), None)
            if spoken is not None:
                into[k] = spoken  # a statement whose speaker is not found, beside one whose speaker is
            continue
        if (who, e.negated) in first:
            into[k] = first[who, e.negated]
        else:
            first[who, e.negated] = k
    if not into:
        return events
    for k in list(into):
        # A statement folded into one that is itself folded joins where that one goes; in a
        # cycle (a gerund and a speakerless statement each folded into the other) it stays.
        kept, seen = into[k], {k}
        while kept in into and kept not in seen:
            seen.add(kept)
            kept = into[kept]
        if kept in into:
            del into[k]
        else:
            into[k] = kept
    out = list(events)
    for k, kept in into.items():
        spans = out[kept].evidence_spans + tuple(s for s in events[k].evidence_spans if s not in out[kept].evidence_spans)
        out[kept] = replace(out[kept], evidence_spans=spans)
    return [e for k, e in enumerate(out) if k not in into]


def coordinated_verb(previous: Match, match: Match, tokens: Sequence[Token], patterns: LanguagePatterns) -> bool:
    """Whether `match` is a verb coordinated with the verb `previous` ("received Putin and signed"):
    a coordinator right before it, after `previous`, in the same clause."""
    if match.trigger.noun or previous.last >= match.first or match.first < 1:
        return False
    if tokens[match.first - 1].word not in patterns.grammar["coordinators"]:
        return False
    return not boundary_between(tokens, previous.last, match.first - 1) and not any(
        t.word in patterns.grammar["complementizers"] for t in tokens[previous.last + 1 : match.first]
    )


def claimed(
    events: list[Any], claims: Sequence[tuple[Match, int]], tokens: Sequence[Token], patterns: LanguagePatterns, actors: Sequence[Actor]
) -> list[Any]:
    """What a claim reports is no fact, and whom it accuses is that event's actor.

    "Russia claimed that Ukraine attacked Belgorod" is Russia ACCUSE Ukraine
    (the claim's code), not a fact that Ukraine attacked: the first event
    after the claim's trigger, past a complementizer, is `negated`, and its
    source is the claim's target when the claim has none. Where the claimed
    clause codes no event, its first actor is the accused ("alegou que
    Delcídio admitiu..."); a claim that accuses no one ("claimed 190 were
    dead") is a statement (010).
    """
    for match, index in claims:
        if index >= len(events):
            continue
        claim = events[index]
        reported = next((k for k in range(len(events)) if events[k].char_start >= match.end and events[k] is not claim), None)
        between = [t.word for t in tokens if match.end <= t.start < events[reported].char_start] if reported is not None else []
        if reported is None or not any(w in patterns.grammar["complementizers"] for w in between) or any(w in (".", ";") for w in between):
            if claim.target_entity_id is None and claim.target_text is None:
                opener = next((k for k in range(match.last + 1, len(tokens)) if tokens[k].word in patterns.grammar["complementizers"]), None)
                if opener is None:
                    opener = match.last  # a bare clause: "claimed Iran spoofed e-mails"
                accused = next(
                    (a for a in actors if opener < a.first <= opener + 2 and entity_of(a) != claim.source_entity_id and not boundary_between(tokens, match.last, a.first)),
                    None,
                )
                if accused is not None:
                    events[index] = replace(
                        claim, target_entity_id=entity_of(accused), target_text=accused.text, target_country=accused.country,
                        target_type=accused.actor_type, target_basis=accused.basis,
                    )
                else:
                    # Claiming no one's act ("claimed 190 were dead") is a statement.
                    events[index] = replace(claim, cameo_code="010")
            continue
        inner = events[reported]
        events[reported] = replace(inner, negated=True)
        if claim.target_entity_id is None and claim.target_text is None and (inner.source_entity_id or inner.source_text):
            events[index] = replace(
                claim, target_entity_id=inner.source_entity_id, target_text=inner.source_text, target_country=inner.source_country,
                target_type=inner.source_type, target_basis=inner.source_basis,
            )
    return events
