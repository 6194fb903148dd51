"""The Kazakh suffix analyser on real forms.

Forms quoted from the UD Kazakh treebank (UD_Kazakh-KTB, CC BY-SA 4.0) with
their sentence ids; the stem is the treebank's lemma. The forms marked
"constructed" are not in the treebank.
"""

from __future__ import annotations

import pytest

from steppe.analyse import morph
from steppe.analyse.morph import kk
from steppe.analyse.morph.kk import KkAnalysis, analyse, start

ACCEPTED = [
    # form, stem, pos, suffixes, features that must be among the analysis's
    # verbs
    ("талқыланды", "талқыла", "verb", "н+ды", {"passive", "past", "3"}),  # akorda-random.tagged.txt:79:1396
    ("қабылданды", "қабылда", "verb", "н+ды", {"passive", "past"}),  # akorda-random.tagged.txt:59:1025
    ("қабылданған", "қабылда", "verb", "н+ған", {"passive", "perfect"}),  # akorda-random.tagged.txt:219:3924
    ("жариялады", "жарияла", "verb", "ды", {"past", "3"}),  # Футболдан_әлем_чемпионаты_2014.tagged.txt:5:152
    ("қолдау", "қолда", "verb", "у", {"verbal_noun", "nom"}),  # akorda-random.tagged.txt:62:1074
    ("сақталуда", "сақта", "verb", "л+у+да", {"passive", "progressive"}),  # akorda-random.tagged.txt:119:2141
    ("дамуда", "дамы", "verb", "у+да", {"progressive"}),  # akorda-random.tagged.txt:65:1123 (дамы+у is даму)
    ("оқиды", "оқы", "verb", "й+ды", {"present", "3"}),  # kdt.tagged.txt:254:4137 (оқы+й is оқи)
    ("кемиді", "кемі", "verb", "й+ді", {"present", "3"}),  # kdt.tagged.txt:20:331
    ("жияды", "жи", "verb", "а+ды", {"present", "3"}),  # kdt.tagged.txt:79:1292 (жи+а is жия)
    ("тояды", "той", "verb", "а+ды", {"present"}),  # Жиырма_Бесінші_Сөз.tagged.txt:4:99 (той+а is тоя)
    ("қиылады", "қи", "verb", "ыл+а+ды", {"passive", "present"}),  # udhr.tagged.txt:16:566
    ("айтпайды", "айт", "verb", "па+й+ды", {"negative", "present", "3"}),  # kdt.tagged.txt:152:2410
    ("шығып", "шық", "verb", "ып", {"converb"}),  # kdt.tagged.txt:29:458 (қ voiced)
    ("жауып", "жап", "verb", "ып", {"converb"}),  # kdt.tagged.txt:200:3187 (п becomes у)
    ("таба", "тап", "verb", "а", {"converb"}),  # story.tagged.txt:38:671
    ("қорыққаннан", "қорық", "verb", "қан+нан", {"perfect", "abl"}),  # kdt.tagged.txt:213:3378
    ("сүймеген", "сүй", "verb", "ме+ген", {"negative", "perfect"}),  # sholpan.tagged.txt:2:49
    ("кетпесем", "кет", "verb", "пе+се+м", {"negative", "conditional", "1sg"}),  # Жиырма_Бесінші_Сөз.tagged.txt:25:614
    ("жатсам", "жат", "verb", "са+м", {"conditional", "1sg"}),  # kdt.tagged.txt:35:570
    ("болыпты", "бол", "verb", "ып+ты", {"past", "evidential"}),  # Ер_Төстік.tagged.txt:1:0
    ("демепті", "де", "verb", "ме+п+ті", {"negative", "evidential"}),  # Өлген_қазан.tagged.txt:4:49
    ("өткізіліп", "өткіз", "verb", "іл+іп", {"passive", "converb"}),  # Иран.tagged.txt:136:3964
    ("қорғалуға", "қорға", "verb", "л+у+ға", {"passive", "verbal_noun", "dat", "infinitive"}),  # udhr.tagged.txt:10:391
    ("айтушы", "айт", "verb", "у+шы", {"agent_noun"}),  # sholpan.tagged.txt:1:0
    ("келгендеріңіз", "кел", "verb", "ген+дер+іңіз", {"perfect", "plural", "poss_2sg_polite"}),  # akorda-random.tagged.txt:105:1859
    ("жасаңыздар", "жаса", "verb", "ңыздар", {"imperative", "2pl_polite"}),  # akorda-random.tagged.txt:39:683
    ("барсын", "бар", "verb", "сын", {"optative", "3"}),  # Жиырма_Бесінші_Сөз.tagged.txt:24:601
    ("білейік", "біл", "verb", "ейік", {"optative", "1pl"}),  # kdt.tagged.txt:211:3358
    ("айтқысы", "айт", "verb", "қы+сы", {"desiderative", "poss_3"}),  # story.tagged.txt:34:596
    ("көздемек", "көзде", "verb", "мек", {"future", "3"}),  # kdt.tagged.txt:140:2232
    ("естірсіз", "есті", "verb", "р+сіз", {"future", "2sg_polite"}),  # kdt.tagged.txt:279:4569
    ("жазылмасын", "жаз", "verb", None, {"passive", "negative"}),  # kdt.tagged.txt:178:2826
    ("сездірмеске", "сездір", "verb", "ме+с+ке", {"negative", "future", "dat"}),  # sholpan.tagged.txt:12:397
    ("алмастан", "ал", "verb", "ма+с+тан", {"negative", "converb"}),  # kdt.tagged.txt:156:2484
    ("тұрғызылғандықтан", "тұрғыз", "verb", "ыл+ған+дық+тан", {"passive", "perfect", "abl"}),  # Elizabeth-II.tagged.txt:6:174
    # nouns
    ("орнына", "орын", "noun", "ы+на", {"poss_3", "dat"}),  # Иран.tagged.txt:35:898 (орын loses ы)
    ("мүлкінен", "мүлік", "noun", "і+нен", {"poss_3", "abl"}),  # udhr.tagged.txt:18:629
    ("аузымен", "ауыз", "noun", "ы+мен", {"poss_3", "ins"}),  # sholpan.tagged.txt:1:0
    ("қыздарының", "қыз", "noun", "дар+ы+ның", {"plural", "poss_3", "gen"}),  # sholpan.tagged.txt:2:49
    ("жақтарында", "жақ", "noun", "тар+ы+нда", {"plural", "poss_3", "loc"}),  # Иран.tagged.txt:18:467
    ("келіншектермен", "келіншек", "noun", "тер+мен", {"plural", "ins"}),  # sholpan.tagged.txt:1:0
    ("еліміздегі", "ел", "noun", "іміз+де+гі", {"poss_1pl", "loc", "attributive"}),  # akorda-random.tagged.txt:108:1923
    ("қасиеттеріміз", "қасиет", "noun", "тер+іміз", {"plural", "poss_1pl", "nom"}),  # akorda-random.tagged.txt:247:4426
    ("шекараларды", "шекара", "noun", "лар+ды", {"plural", "acc"}),  # wikipedia.tagged.txt:57:935
    ("ойлар", "ой", "noun", "лар", {"plural", "nom"}),  # kdt.tagged.txt:130:2099
    ("фактісі", "факт", "noun", "сі", {"poss_3"}),  # kdt.tagged.txt:286:4716 (факт+і+сі)
    ("ресурстар", "ресурс", "noun", "тар", {"plural"}),  # akorda-random.tagged.txt:157:2808
    ("командирі", "командир", "noun", "і", {"poss_3"}),  # wikipedia.tagged.txt:2:18
    ("кинофестивальдер", "кинофестиваль", "noun", "дер", {"plural"}),  # Иран.tagged.txt:140:4072
    ("саммитке", "саммит", "noun", "ке", {"dat"}),  # akorda-random.tagged.txt:116:2082
    ("миына", "ми", "noun", "ы+на", {"poss_3", "dat"}),  # kdt.tagged.txt:64:1053
    ("бөлме", "бөлме", "noun", "", {"nom"}),  # kdt.tagged.txt:240:3875
    ("қолдарында", "қол", "noun", "дар+ы+нда", {"plural", "poss_3", "loc"}),  # constructed
]

REJECTED = [
    # form, stem, pos: the form is another word's, not this stem's
    ("қолдарында", "қолда", "verb"),  # constructed: қол+дар+ы+нда, in their hands
    ("қолдары", "қолда", "verb"),  # constructed
    ("қолдар", "қолда", "verb"),  # constructed: the plural of қол, not "will support"
    ("қолданды", "қолда", "verb"),  # constructed: "used" (қолдан), not "was supported"
    ("жоспарлар", "жоспарла", "verb"),  # constructed: plans (жоспар+лар)
    ("мәлімдеме", "мәлімде", "verb"),  # constructed: a statement, not "don't state!"
    ("бөлме", "бөл", "verb"),  # kdt.tagged.txt:240:3875: a room
    ("салалар", "сал", "verb"),  # akorda-random.tagged.txt:21:357: сала+лар, branches
    ("жинақтарының", "жина", "verb"),  # akorda-random.tagged.txt:51:881: жинақ+тар+ы+ның
    ("барысын", "бар", "verb"),  # akorda-random.tagged.txt:55:953: барыс+ы+н
    ("құрамда", "құра", "verb"),  # akorda-random.tagged.txt:253:4537: құрам+да
    ("істеріне", "істе", "verb"),  # Иран.tagged.txt:56:1621: іс+тер+і+не
    ("орнатылды", "орна", "verb"),  # Иран.tagged.txt:102:2985: орнат (causative) is its own verb
    ("білдірген", "біл", "verb"),  # akorda-random.tagged.txt:26:442: білдір, express
    ("көшірді", "көш", "verb"),  # Иран.tagged.txt:39:1010: көшір, move (something)
    ("мақтанатыны", "мақта", "verb"),  # kdt.tagged.txt:154:2462: мақтан, boast
    ("келісті", "кел", "verb"),  # akorda-random.tagged.txt:140:2481: келіс, agree (with derivation only)
    ("жарияланады", "жар", "noun"),  # akorda-random.tagged.txt:60:1044
    ("бастап", "бас", "noun"),  # Elizabeth-II.tagged.txt:8:248: баста+п
    ("кездесуіміз", "кез", "noun"),  # akorda-random.tagged.txt:216:3868
    ("орталықтар", "орта", "noun"),  # akorda-random.tagged.txt:16:255: орталық+тар
    ("басшылары", "бас", "noun"),  # akorda-random.tagged.txt:288:5152: басшы+лар+ы
    ("қорқады", "қор", "noun"),  # kdt.tagged.txt:15:212: қорық+а+ды
    ("түрікмендер", "түрік", "noun"),  # Иран.tagged.txt:4:68
    ("қолдау", "қол", "noun"),  # akorda-random.tagged.txt:62:1074
    ("қолдамақшыды", "қолда", "verb"),  # constructed: no case after -мақшы
    ("қолдағанданып", "қолда", "verb"),  # constructed: no verb suffix after a case
]


@pytest.mark.parametrize(("form", "stem", "pos", "suffixes", "features"), ACCEPTED)
def test_real_forms_are_read_with_their_suffixes_and_features(
    form: str, stem: str, pos: str, suffixes: str | None, features: set[str]
) -> None:
    analysis = analyse(form, stem, pos)
    assert analysis is not None, f"{form} is not read as {pos} {stem}"
    if suffixes is not None:
        assert "+".join(analysis.morphs) == suffixes
    assert features <= analysis.features, f"{form}: {sorted(analysis.features)}"
    assert form.startswith(start(stem, pos))


@pytest.mark.parametrize(("form", "stem", "pos"), REJECTED)
def test_forms_of_other_words_are_rejected(form: str, stem: str, pos: str) -> None:
    assert analyse(form, stem, pos) is None


def test_the_bare_stem_of_a_noun_is_its_nominative() -> None:
    assert analyse("қол", "қол", "noun") == KkAnalysis("қол", "noun", (), frozenset({"nom"}))


def test_derivation_reads_the_reciprocal_and_the_causative_when_asked() -> None:
    # akorda-random.tagged.txt:140:2481: the treebank lemmatises келісті as кел
    agreed = analyse("келісті", "кел", "verb", derivation=True)
    assert agreed is not None and {"reciprocal", "past"} <= agreed.features
    made = analyse("білдірген", "біл", "verb", derivation=True)  # akorda-random.tagged.txt:26:442
    assert made is not None and {"causative", "perfect"} <= made.features


def test_harmony_is_strict_in_native_words() -> None:
    assert analyse("қолдарда", "қол", "noun") is not None
    assert analyse("қолдерде", "қол", "noun") is None
    assert analyse("кездесті", "кездес", "verb") is not None
    assert analyse("кездесты", "кездес", "verb") is None


def test_start_is_the_prefix_every_form_shares() -> None:
    assert start("оқы", "verb") == "оқ"  # оқиды, оқу
    assert start("шық", "verb") == "шы"  # шығады
    assert start("орын", "noun") == "ор"  # орны
    assert start("қой", "verb") == "қо"  # қою
    assert start("қолда", "verb") == "қолда"


def test_pos_must_be_verb_or_noun() -> None:
    with pytest.raises(ValueError, match="pos"):
        analyse("қолдау", "қолда", "adj")


def test_every_feature_is_documented_and_named_where_patterns_are_checked() -> None:
    for form, stem, pos, _, _ in ACCEPTED:
        analysis = analyse(form, stem, pos)
        assert analysis is not None and analysis.features <= kk.FEATURES
    doc = kk.__doc__ or ""
    undocumented = {f for f in kk.FEATURES if f not in doc}
    assert not undocumented
    # the lead's list of the features an only/exclude may name gives no feature the analyser lacks
    assert morph.KK_FEATURES <= kk.FEATURES
