"""Sample candidate sentences from real news text for hand annotation.

The gold files in quality/gold/actors/ hold sentences copied verbatim from
published news articles. This script picks the candidates reproducibly: it
reads one source (a JSON-lines file, a CSV of articles, a WMT test-set XML
file or a CoNLL-U treebank, either from disk or from a bare git repository at
a given commit), splits articles into sentences, keeps those that mention a
country or a typical actor word of the language, shuffles them with the seed
and prints them with their provenance. The annotator then reads the output and
chooses which sentences go into the gold file.

The split (dev or heldout) of every candidate is fixed here, by the seed and
the sentence's provenance alone, before anyone has seen what the event coder
makes of it: about one third is held out.

Examples (the commands that made the current gold files are in their headers):

    python tools/sample_gold_sentences.py --format jsonl \\
        --file ../shared/corpora/fakebr-pt/articles.jsonl.gz --language pt --seed 2026 -n 150
    python tools/sample_gold_sentences.py --format wmt-xml --git-dir MIRROR/repo \\
        --rev COMMIT --path xml/newstest2021.ru-en.all.xml --language ru --seed 2026 -n 200

With --articles OUT the script instead writes up to --max-articles whole
articles (a treebank's documents, for conllu) as steppe-ingestable JSON lines (text, title, url, published,
language, publisher, id), those mentioning Kazakhstan or Russia first.
With --sectors it prints candidates for sector gold instead (quality/gold/sectors/news/): half of
them sentences where steppe's sector finder matches, a third sentences with an economy word
(ECONOMY_WORDS, kept apart from the finder's patterns) and no match, the rest any other sentence,
so that recall is also measured on words the finder does not know. Only that mode imports steppe;
the rest uses the standard library only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

# Words that make a sentence a candidate: countries, capitals and typical actor
# nouns of each language (a sentence needs at least one).
ACTOR_WORDS = {
    "pt": r"\b(Brasil|Rússia|Russia|Cazaquistão|China|Estados Unidos|EUA|Venezuela|Argentina|Itamaraty|"
    r"governo|presidente|ministr[oa]|Polícia|polícia|PF|STF|Supremo|juiz|juíza|procurador|Ministério Público|"
    r"Senado|Câmara|deputad[oa]s?|senador(es)?|manifestantes|sindicato|empresa|Petrobras|ONU|Temer|Lula|Dilma|"
    r"Moro|Trump|Putin|Bolsonaro|Congresso|partido|PT|PSDB|PMDB|TSE|TCU|Lava Jato)\b",
    "en": r"\b(Russia|Russian|Moscow|Kremlin|Putin|Kazakh\w*|Ukrain\w*|China|Chinese|United States|U\.?S\.?|"
    r"government|president|President|minister|Minister|police|court|Court|prosecutors?|parliament|Parliament|"
    r"Senate|Congress|House|army|military|forces|protesters|company|UN|United Nations|NATO|EU|European Union|"
    r"officials?|spokes\w+|Iran\w*|Israel\w*|Germany|German|France|French|UK|Britain|British|Turkey|Trump|"
    r"Biden|Pelosi)\b",
    "ru": r"(Росси\w*|Москв\w*|Кремл\w*|Путин\w*|Казахстан\w*|Токаев\w*|Назарбаев\w*|Украин\w*|Белорус\w*|"
    r"Узбекистан\w*|Киргиз\w*|Кыргыз\w*|Таджикистан\w*|Туркмени\w*|Китай|Кита\w+|США|Вашингтон\w*|ЕС|НАТО|ООН|"
    r"ОДКБ|ЕАЭС|ШОС|СНГ|правительств\w*|президент\w*|министр\w*|министерств\w*|МИД|полици\w*|суд\w*|"
    r"прокурат\w*|Госдум\w*|депутат\w*|губернатор\w*|оппозици\w*|компани\w*|Газпром\w*|армия|арми\w+|военн\w+|"
    r"СК|ФСБ|МВД|задерж\w+|арест\w*|санкци\w+|переговор\w+|соглашени\w+|заяв\w+)",
    "kk": r"(Қазақстан\w*|Ресей\w*|Мәскеу\w*|Қытай\w*|АҚШ|Өзбекстан\w*|Қырғыз\w*|Тәжікстан\w*|Түрікмен\w*|"
    r"Президент\w*|президент\w*|Мемлекет басшы\w*|Елбасы\w*|Назарбаев\w*|Тоқаев\w*|Үкімет\w*|үкімет\w*|"
    r"министр\w*|Парламент\w*|Мәжіліс\w*|Сенат\w*|әкім\w*|сот\w*|полиция\w*|прокуратура\w*|компания\w*|"
    r"БҰҰ|ЕАЭО|ШЫҰ|ТМД|ҰҚШҰ|Иран\w*|кездес\w+|келіссөз\w*|келісім\w*|сапар\w*|мәлімде\w+|қол қой\w+)",
    "es": r"\b(España|Rusia|Kazajistán|Kazajstán|China|Estados Unidos|EEUU|EE\.UU\.|Francia|Alemania|Israel|Irak|Irán|"
    r"Cuba|México|Argentina|Colombia|Perú|Chile|Venezuela|Moscú|Pekín|Washington|Madrid|Gobierno|gobierno|presidente|"
    r"ministr[oa]s?|Ministerio|policía|Policía|Guardia Civil|ejército|Ejército|juez|jueza|fiscal|Fiscalía|tribunal|"
    r"Tribunal|Congreso|Senado|Parlamento|diputad[oa]s?|manifestantes|sindicatos?|empresa|ONU|Naciones Unidas|OTAN|"
    r"UE|Unión Europea|ETA|PP|PSOE|Aznar|González|Clinton|Yeltsin|Putin|rebeldes|guerrilla|palestin\w+|israelí\w*)\b",
}

# Words of economic news (--sectors): prices, trade, output, firms, quantities. They pick the sentences that may
# name a sector in words the sector finder does not know, so that recall is measured beyond its own vocabulary.
# They are kept apart from the finder's patterns on purpose.
ECONOMY_WORDS = {
    "pt": r"\b(pre[çc]os?|export\w*|import\w*|produ[çc]\w*|produz\w*|empresas?|companhias?|toneladas|barris|"
    r"mercados?|invest\w*|ind[úu]stri\w*|bilh(?:ão|ões)|milh(?:ão|ões)|d[óo]lar\w*|reais|tarifas?|f[áa]bricas?|"
    r"usinas?|safras?|colheitas?|abastecimento|fornec\w*|setor|economia|econ[ôo]mic\w*|vendas?|estatal|PIB|"
    r"consumidores|obras|infraestrutura)\b",
    "en": r"\b(prices?|exports?|imports?|production|produc\w+|compan(?:y|ies)|firms?|tonnes|tons|barrels|markets?|"
    r"invest\w*|industr\w*|billion|million|dollars?|tariffs?|factor(?:y|ies)|plants?|harvests?|supply|supplies|"
    r"suppliers?|sector|economy|economic|sales|output|GDP|consumers|infrastructure|manufactur\w*|shares|stocks?)\b",
    "ru": r"(цен[аыуе]\w*|экспорт\w*|импорт\w*|производ\w+|компани\w+|предприяти\w+|тонн\w*|баррел\w+|рын[оке]\w*|"
    r"инвест\w+|промышлен\w+|млрд|млн|миллиард\w*|миллион\w*|доллар\w*|рубл\w+|тариф\w*|завод\w*|фабрик\w+|"
    r"урожа\w+|поставк\w+|поставщик\w*|отрасл\w+|сектор\w*|экономик\w+|экономическ\w+|продаж\w+|ВВП|"
    r"потребител\w+|инфраструктур\w+|выпуск\w*)",
    "kk": r"(баға\w*|бағас\w*|экспорт\w*|импорт\w*|өндір\w+|өнім\w*|компани\w+|кәсіпорын\w*|тонна\w*|баррель\w*|"
    r"нарық\w*|инвестиц\w+|өнеркәсіп\w*|индустри\w+|млрд|млн|миллиард\w*|миллион\w*|доллар\w*|теңге\w*|"
    r"тариф\w*|зауыт\w*|фабрика\w*|өнім\w*|егін\w*|жеткіз\w+|сала\w*|саласы\w*|экономика\w*|экономикалық|"
    r"сауда\w*|ЖІӨ|тұтынушы\w*|инфрақұрылым\w*|құрылыс\w*)",
    "es": r"\b(precios?|export\w*|import\w*|producci[óo]n\w*|produc\w+|empresas?|compañías?|toneladas|barriles|"
    r"mercados?|invers\w+|industri\w+|millones|mil millones|d[óo]lares|pesetas|euros|aranceles?|f[áa]bricas?|"
    r"plantas?|cosechas?|suministro\w*|proveedor\w*|sector\w*|econom[íi]a|econ[óo]mic\w*|ventas?|PIB|"
    r"consumidores|infraestructuras?|obras)\b",
}
# The share of --sectors candidates from each stratum: sentences where the sector finder matches, sentences with
# an economy word and no match, and the rest.
SECTOR_STRATA = (("match", 0.5), ("economy", 0.35), ("other", 0.15))

# Country words used to put articles about Kazakhstan or Russia first.
REGION = re.compile(
    r"Kazakh|Cazaquist|Казахстан|Қазақстан|Russia|Rússia|Росси|Ресей|Moscow|Moscou|Москв|Мәскеу|Putin|Путин",
)

SENTENCE_END = re.compile(r"(?<=[.!?…»\"”])\s+(?=[«\"“(A-ZÀ-ÖØ-ÞА-ЯЁӘҒҚҢӨҰҮҺІ0-9—–-])")


@dataclass
class Article:
    id: str
    text: str
    title: str = ""
    url: str = ""
    published: str = ""
    publisher: str = ""
    language: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Sentence:
    article: str
    index: int
    text: str
    published: str = ""
    url: str = ""


def read_bytes(args: argparse.Namespace) -> bytes:
    if args.git_dir:
        return subprocess.run(
            ["git", "--git-dir", args.git_dir, "show", f"{args.rev}:{args.path}"],
            check=True, capture_output=True,
        ).stdout
    data = Path(args.file).read_bytes()
    if args.file.endswith(".gz"):
        data = gzip.decompress(data)
    return data


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    for para in re.split(r"\n+", text):
        para = " ".join(para.split())
        if not para:
            continue
        out.extend(s.strip() for s in SENTENCE_END.split(para) if s.strip())
    return out


def articles_jsonl(data: bytes) -> list[Article]:
    arts = []
    for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        arts.append(Article(
            id=str(rec.get("id", n)), text=rec.get("text", ""), title=rec.get("title", "") or "",
            url=rec.get("url", "") or "", published=str(rec.get("published", "") or ""),
            publisher=rec.get("publisher", "") or "", language=rec.get("language", "") or "",
        ))
    return arts


def articles_csv(data: bytes) -> list[Article]:
    csv.field_size_limit(10**9)
    rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return [
        Article(id=str(n), text=r.get("text", ""), title=r.get("title", ""), url=re.sub(r"(?<!:)//", "/", r.get("url", "")),
                published=r.get("date", ""), publisher="Wikinews")
        for n, r in enumerate(rows, 1)
    ]


def articles_wmt(data: bytes, language: str, domain: str | None = None) -> list[Article]:
    """WMT test-set XML: documents written in `language` (origlang), test suites left out; of `domain` if given."""
    root = ET.fromstring(data)
    arts = []
    for doc in root.iter("doc"):
        if doc.get("origlang") != language or doc.get("testsuite") or (domain and doc.get("domain") != domain):
            continue
        segs = [(s.get("id"), (s.text or "").strip()) for s in doc.find("src").iter("seg")]
        arts.append(Article(id=doc.get("id"), text="\n".join(t for _, t in segs), title=segs[0][1] if segs else "",
                            publisher=doc.get("id").rsplit(".", 1)[0], language=language,
                            extra={"segs": segs}))
    return arts


def sentences_conllu(data: bytes, prefixes: tuple[str, ...]) -> list[Sentence]:
    out, sent_id = [], None
    for line in data.decode("utf-8").splitlines():
        if line.startswith("# sent_id = "):
            sent_id = line[len("# sent_id = "):].strip()
        elif line.startswith("# text = ") and sent_id:
            if not prefixes or sent_id.startswith(prefixes):
                # "akorda-random.tagged.txt:140:2481" (UD Kazakh) or "CESS-CAST-A-20000123-15801-s23" (UD Spanish
                # AnCora, whose agency news ids carry the date; "-s23A", "-s23B" are pieces of one sentence: left out).
                if ":" in sent_id:
                    doc, number = sent_id.rsplit(":", 1)
                elif found := re.fullmatch(r"(.+)-s(\d+)", sent_id):
                    doc, number = found.groups()
                else:
                    sent_id = None
                    continue
                day = re.search(r"-((?:19|20)\d\d)(\d\d)(\d\d)-", doc)
                out.append(Sentence(article=doc, index=int(number), text=line[9:].strip(),
                                    published="-".join(day.groups()) if day else ""))
            sent_id = None
    return out


def articles_conllu(data: bytes) -> list[Article]:
    """A treebank's documents as articles: the `# text` of their sentences in order, joined by spaces.

    Only AnCora-style ids ("CESS-CAST-A-20000123-15801-s23", pieces "-s23A"
    included) name a document; the date in the id is the article's.
    """
    texts: dict[str, list[str]] = {}
    sent_id = None
    for line in data.decode("utf-8").splitlines():
        if line.startswith("# sent_id = "):
            sent_id = line[len("# sent_id = "):].strip()
        elif line.startswith("# text = ") and sent_id:
            if found := re.fullmatch(r"(.+)-s\d+[A-Z]?", sent_id):
                texts.setdefault(found.group(1), []).append(line[9:].strip())
            sent_id = None
    arts = []
    for doc, sentences in texts.items():
        day = re.search(r"-((?:19|20)\d\d)(\d\d)(\d\d)-", doc)
        publisher = {"A": "EFE", "AA": "EFE", "P": "El Periódico"}.get(doc.split("-")[2], "") if doc.startswith("CESS-CAST-") else ""
        arts.append(Article(id=doc, text=" ".join(sentences), published="-".join(day.groups()) if day else "", publisher=publisher))
    return arts


def to_sentences(arts: list[Article]) -> list[Sentence]:
    out = []
    for a in arts:
        if "segs" in a.extra:
            pieces = [(int(i), t) for i, t in a.extra["segs"] if t]
        else:
            pieces = list(enumerate(split_sentences(a.text), 1))
        out.extend(Sentence(article=a.id, index=i, text=t, published=a.published, url=a.url) for i, t in pieces)
    return out


def split_of(seed: int, article: str, index: int) -> str:
    """dev or heldout, from the seed and the provenance only (about one third held out)."""
    h = hashlib.sha256(f"{seed}:{article}:{index}".encode()).digest()
    return "heldout" if h[0] % 3 == 0 else "dev"


def print_sector_candidates(sents: list[Sentence], args: argparse.Namespace) -> None:
    """-n sentences for sector gold, by SECTOR_STRATA, each stratum shuffled with the seed."""
    import yaml  # only this mode reads gold files

    from steppe.analyse.sectors import find_sectors  # only this mode needs steppe

    economy = re.compile(ECONOMY_WORDS[args.language])
    excluded = {str(d["id"]) for path in args.exclude
                for d in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["documents"]}
    strata: dict[str, list[Sentence]] = {name: [] for name, _ in SECTOR_STRATA}
    for s in sents:
        if not args.min_chars <= len(s.text) <= args.max_chars or f"{s.article}:{s.index}" in excluded:
            continue
        name = "match" if find_sectors(s.text, args.language) else "economy" if economy.search(s.text) else "other"
        strata[name].append(s)
    rng = random.Random(args.seed)
    for name, share in SECTOR_STRATA:
        pool = strata[name]
        rng.shuffle(pool)
        for s in pool[: round(args.n * share)]:
            print(json.dumps({"split": split_of(args.split_seed, s.article, s.index), "stratum": name,
                              "article": s.article, "sentence": s.index, "published": s.published, "url": s.url,
                              "text": s.text}, ensure_ascii=False))
    print("# " + ", ".join(f"{name} {len(strata[name])}" for name, _ in SECTOR_STRATA) + " sentences",
          file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--format", choices=["jsonl", "csv", "wmt-xml", "conllu"], required=True)
    p.add_argument("--file", help="a file on disk (.gz is decompressed)")
    p.add_argument("--git-dir", help="a bare git repository (a fetched snapshot)")
    p.add_argument("--rev", default="HEAD", help="commit to read --path at")
    p.add_argument("--path", help="path inside --git-dir")
    p.add_argument("--language", required=True, choices=sorted(ACTOR_WORDS))
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("-n", type=int, default=150, help="how many candidates to print")
    p.add_argument("--min-chars", type=int, default=40)
    p.add_argument("--max-chars", type=int, default=400)
    p.add_argument("--sent-prefix", action="append", default=[],
                   help="conllu: keep sentence ids starting with this (repeatable)")
    p.add_argument("--all", action="store_true", help="print candidates without the actor-word filter")
    p.add_argument("--split-seed", type=int, default=2026,
                   help="seed of the dev/heldout split (keep it when a later sample grows a gold file)")
    p.add_argument("--exclude", action="append", default=[],
                   help="--sectors: a gold file whose sentences (ids article:sentence) are left out")
    p.add_argument("--domain", help="wmt-xml: keep only documents of this domain (WMT22: news, social, ...)")
    p.add_argument("--sectors", action="store_true",
                   help="candidates for sector gold: -n sentences drawn from three strata (SECTOR_STRATA), "
                        "each printed with its stratum; needs steppe installed")
    p.add_argument("--articles", help="write whole articles as JSON lines to this file instead")
    p.add_argument("--max-articles", type=int, default=300)
    p.add_argument("--append", action="store_true", help="--articles: append to the file")
    p.add_argument("--id-prefix", default="", help="--articles: put this before each article id")
    args = p.parse_args(argv)
    if not (args.file or (args.git_dir and args.path)):
        p.error("give --file, or --git-dir with --path")

    data = read_bytes(args)
    arts: list[Article] = []
    if args.format == "jsonl":
        arts = articles_jsonl(data)
    elif args.format == "csv":
        arts = articles_csv(data)
    elif args.format == "wmt-xml":
        arts = articles_wmt(data, args.language, args.domain)
    elif args.articles:  # conllu
        arts = articles_conllu(data)

    if args.articles:
        if not arts:
            p.error("--articles needs a format with whole articles")
        rng = random.Random(args.seed)
        order = list(arts)
        rng.shuffle(order)
        order.sort(key=lambda a: 0 if REGION.search(a.text) else 1)
        with open(args.articles, "a" if args.append else "w", encoding="utf-8") as f:
            for a in order[: args.max_articles]:
                rec = {"id": args.id_prefix + a.id, "title": a.title, "url": a.url, "published": a.published,
                       "publisher": a.publisher, "language": args.language, "text": a.text}
                f.write(json.dumps({k: v for k, v in rec.items() if v}, ensure_ascii=False) + "\n")
        return 0

    sents = sentences_conllu(data, tuple(args.sent_prefix)) if args.format == "conllu" else to_sentences(arts)
    if args.sectors:
        print_sector_candidates(sents, args)
        return 0
    actor = re.compile(ACTOR_WORDS[args.language])
    cands = [s for s in sents if args.min_chars <= len(s.text) <= args.max_chars
             and (args.all or actor.search(s.text))]
    rng = random.Random(args.seed)
    rng.shuffle(cands)
    for s in cands[: args.n]:
        print(json.dumps({"split": split_of(args.split_seed, s.article, s.index), "article": s.article,
                          "sentence": s.index, "published": s.published, "url": s.url, "text": s.text},
                         ensure_ascii=False))
    print(f"# {len(cands)} candidates of {len(sents)} sentences; printed {min(args.n, len(cands))}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
