"""The event coder on statements that accuse, purposes, plans announced for a day ahead, and verbs found by lemma.

Small sentences written here by hand; quality on real news is measured by
tools/triggers_report.py on quality/gold/actors.
"""

from __future__ import annotations

from datetime import date, timedelta

from test_events import coded, only

PUBLISHED = date(2018, 3, 2)  # a Friday


def test_a_statement_laying_wrongdoing_on_someone_is_an_accusation_of_him():
    event = only(coded("O procurador Rodrigo Janot diz que não há dúvidas de que Temer cometeu crime de corrupção.", "pt", PUBLISHED))
    assert (event.cameo_code, event.target_entity_id) == ("112", "person:michel-temer")
    assert "Janot" in event.source_text
    event = only(coded("Trump said Bolton broke the law.", "en", PUBLISHED), "11")
    assert event.target_text == "Bolton"
    event = only(coded("Песков заявил, что Навальный получил взятку.", "ru", PUBLISHED), "11")
    assert event.target_text.startswith("Навальн")
    # Without wrongdoing it stays a statement, told to no one of the reported clause.
    event = only(coded("Janot diz que Temer viajou a Moscou.", "pt", PUBLISHED), "01")
    assert event.target_entity_id is None


def test_a_weekday_or_day_after_next_is_ahead_and_a_fact_there_is_a_plan():
    event = only(coded("Segundo Jungmann, haverá no próximo dia 15 uma reunião de Temer com Putin.", "pt", PUBLISHED), "04")
    assert event.negated and event.event_date == PUBLISHED
    # Last Tuesday, without "next": the most recent one.
    event = only(coded("Putin met Tokayev on Tuesday.", "en", PUBLISHED), "04")
    assert event.event_date == PUBLISHED - timedelta(days=3) and not event.negated


def test_an_infinitive_of_purpose_is_no_fact():
    events = coded("The delegations of Cyprus and Israel met in Athens to sign an agreement.", "en", PUBLISHED)
    assert all(e.negated for e in events if e.cameo_code.startswith("05"))
    assert not any(e.negated for e in events if e.cameo_code.startswith("04"))
    assert {e.cameo_code[:2] for e in events} == {"04", "05"}
    assert not only(coded("Russia managed to sign an agreement with Kazakhstan.", "en", PUBLISHED), "05").negated
    assert only(coded("Путин прибыл в Астану, чтобы подписать соглашение с Казахстаном.", "ru", PUBLISHED), "05").negated


def test_verbs_match_every_form_of_their_lemma():
    assert only(coded("Os manifestantes protestavam contra o governo do Cazaquistão.", "pt", PUBLISHED), "14")
    assert only(coded("O Brasil recorreu à OMC contra os Estados Unidos.", "pt", PUBLISHED), "02")
    assert only(coded("Путин поручил правительству России подготовить соглашение.", "ru", PUBLISHED), "10")
    assert only(coded("Хакеры взломали сайт правительства Казахстана.", "ru", PUBLISHED), "17")
    assert only(coded("Токаев выразил заинтересованность в сотрудничестве с Китаем.", "ru", PUBLISHED), "03")


def test_a_kazakh_stay_in_the_locative_is_a_visit_but_not_a_time_or_a_happening():
    event = only(coded("Мемлекет басшысы Нұрсұлтан Назарбаев Астанада болды.", "kk", PUBLISHED))
    assert event.cameo_code == "042" and "Назарбаев" in event.source_text
    assert not [e for e in coded("Бұл оқиға 1979 жылы ақпанда болған.", "kk", PUBLISHED) if e.cameo_code == "042"]
    assert not [e for e in coded("Кездесу Астанада болды.", "kk", PUBLISHED) if e.cameo_code == "042"]


def test_planning_and_intending_is_intent_not_a_plan_reported():
    # CAMEO.2.0 files PLAN and INTEND under 030: the actor's own plan is a statement of intent.
    assert only(coded("Токаев намерен посетить Москву.", "ru", PUBLISHED)).cameo_code == "036"
    assert only(coded("O presidente Toqaev pretende visitar a Rússia.", "pt", PUBLISHED)).cameo_code == "036"
    # A plan reported without its actor's word stays no fact.
    assert only(coded("Визит Токаева в Москву планируется в декабре.", "ru", PUBLISHED)).negated


def test_a_statement_is_coded_for_a_named_speaker_and_for_an_agent_noun():
    event = only(coded("O deputado federal Paulo Pimenta disse que não teve conhecimento do caso.", "pt", PUBLISHED))
    assert event.cameo_code == "010" and "Paulo Pimenta" in event.source_text
    event = only(coded("A polícia disse que o caso foi grave.", "pt", PUBLISHED))
    assert (event.cameo_code, event.source_type) == ("010", "COP") and "polícia" in event.source_text
    event = only(coded("Полиция заявила, что более 20 полицейских получили ранения.", "ru", PUBLISHED))
    assert (event.cameo_code, event.source_type) == ("010", "COP")


def test_each_coordinated_target_is_an_event_of_its_own():
    events = coded("Путин переговорил с Сергеем Шойгу и Николаем Евменовым.", "ru", PUBLISHED)
    assert len(events) == 2 and {e.cameo_code for e in events} == {"040"}
    assert len({e.target_text for e in events}) == 2


def test_an_attack_by_anyone_but_a_state_force_is_an_assault_not_a_fight():
    assert only(coded("Пьяный мужчина Иван Петров напал на журналистов в Москве.", "ru", PUBLISHED)).cameo_code.startswith("18")
    assert only(coded("Russia attacked Ukraine.", "en", PUBLISHED)).cameo_code.startswith("19")


def test_portuguese_verbs_with_an_object_pronoun_after_them_are_their_lemma():
    assert only(coded("O procurador Rodrigo Janot acusou-o de corrupção.", "pt", PUBLISHED)).cameo_code == "112"
    assert only(coded("Putin decidiu ameaçá-los com sanções.", "pt", PUBLISHED)).cameo_code.startswith("13")


def test_a_bad_after_or_not_after_key_is_reported_with_its_file(tmp_path, monkeypatch):
    import pytest

    from steppe.analyse.events import lexicon
    from steppe.analyse.events.codebook import EventDataError

    bad = tmp_path / "data/events/patterns"
    bad.mkdir(parents=True)
    monkeypatch.setattr(lexicon, "data_file", lambda name: tmp_path / "data/events" / name)
    for entry, message in [
        ("{code: '042', after: да, forms: ['болды']}", r"kk\.yaml: trigger 1: after is a list of word endings"),
        ("{code: '042', after: [да], not_after: ['ақпан айы'], forms: ['болды']}", r"kk\.yaml: trigger 1: not_after is a list"),
    ]:
        (bad / "kk.yaml").write_text(f"language: kk\ntriggers:\n  - {entry}\n", encoding="utf-8")
        lexicon.load_patterns.cache_clear()
        try:
            with pytest.raises(EventDataError, match=message):
                lexicon.load_patterns("kk")
        finally:
            lexicon.load_patterns.cache_clear()


def test_a_coordination_after_between_with_no_source_is_each_with_the_other():
    events = coded("The agreement signed between Turkey and Libya angered Greece.", "en", PUBLISHED)
    assert sorted((e.source_country, e.target_country) for e in events if e.cameo_code == "057") == [("LBY", "TUR"), ("TUR", "LBY")]


def test_a_statement_in_a_gerund_is_part_of_its_speakers_act():
    events = coded("Tokayev congratulated Putin, saying that relations between the two countries are strong.", "en", PUBLISHED)
    assert [e.cameo_code[:2] for e in events] == ["05"]
    (event,) = events
    assert "Tokayev" in event.source_text
    saying = event.evidence_spans[-1]
    assert "Tokayev congratulated Putin, saying that relations"[saying[0] : saying[1]] == "saying"
    events = coded("Токаев поздравил Путина, заявив, что отношения между странами крепкие.", "ru", PUBLISHED)
    assert [e.cameo_code[:2] for e in events] == ["05"]
    events = coded("Temer criticou Maduro, dizendo que a Venezuela vive uma ditadura.", "pt", PUBLISHED)
    assert [e.cameo_code[:2] for e in events] == ["11"]
    # A finite verb ending like a Russian gerund ("высказался") is no gerund.
    assert only(coded("Токаев высказался о ситуации в регионе.", "ru", PUBLISHED), "01")


def test_a_speaker_makes_one_statement_per_sentence():
    # The second "said" would take a target from the clause it reports ("Congress").
    events = coded("Tokayev said on Friday that the talks went well, which he said would please Congress.", "en", PUBLISHED)
    statements = [e for e in events if e.cameo_code == "010"]
    assert len(statements) == 1 and len(statements[0].evidence_spans) == 2
    assert statements[0].target_text is None
    # Two speakers make two statements.
    events = coded("Tokayev said the talks went well, and Putin said they were useful.", "en", PUBLISHED)
    assert len([e for e in events if e.cameo_code == "010"]) == 2


def test_a_statement_of_the_speakers_own_act_is_that_act():
    # PETRARCH codes what is said: Berlin's intent to help, not a statement beside it.
    events = coded("Берлин заявил, что поможет Варшаве в урегулировании кризиса.", "ru", PUBLISHED)
    assert [e.cameo_code[:2] for e in events] == ["03"]
    assert any("Берлин заявил, что поможет"[s:t] == "заявил" for s, t in events[0].evidence_spans)
    assert [e.cameo_code[:2] for e in coded("Tokayev said he had asked Putin to reopen the border.", "en", PUBLISHED)] == ["02"]
    # Someone else's act, a denied one, or a second act of the speaker coordinated with the
    # statement leaves the statement standing.
    events = coded("Tokayev said that Putin had visited Astana.", "en", PUBLISHED)
    assert sorted(e.cameo_code[:2] for e in events) == ["01", "04"]
    events = coded("Токаев заявил, что не поедет в Москву.", "ru", PUBLISHED)
    assert "01" in [e.cameo_code[:2] for e in events]
    events = coded("Tokayev spoke at the summit and criticised Putin.", "en", PUBLISHED)
    assert sorted(e.cameo_code[:2] for e in events) == ["01", "11"]


def test_calling_someone_names_is_criticism():
    assert only(coded('Lula chamou Palocci de "mentiroso".', "pt", PUBLISHED), "11")
    assert only(coded("Biden called Trump a clown.", "en", PUBLISHED), "11")
    # A pattern's gap crosses quotation marks, not other punctuation.
    assert only(coded('Tokayev called it a "terrible event".', "en", PUBLISHED), "11")
    assert not [e for e in coded("Tokayev called it, in the end, terrible.", "en", PUBLISHED) if e.cameo_code.startswith("11")]
    # Naming without an epithet is no criticism ("o chamado mensalão").
    assert not [e for e in coded("O chamado mensalão foi julgado pelo STF.", "pt", PUBLISHED) if e.cameo_code.startswith("11")]


def test_a_courts_sentence_is_legal_action_and_a_condemnation_in_words_is_criticism():
    assert only(coded("Lula foi condenado pelo juiz Sergio Moro a nove anos de prisão.", "pt", PUBLISHED), "17")
    assert only(coded("O TRF-4 manteve a condenação de Lula por corrupção.", "pt", PUBLISHED), "17")
    assert only(coded("O Itamaraty expressou a condenação do Brasil ao ataque da Rússia.", "pt", PUBLISHED), "11")
    assert only(coded("На Навального был составлен протокол о нарушении порядка проведения митинга.", "ru", PUBLISHED), "17")


def test_releasing_a_statement_is_a_statement_and_being_allowed_is_no_concession():
    assert only(coded("The Kremlin released a statement on the talks with Kazakhstan.", "en", PUBLISHED), "01")
    events = coded("According to a statement released by the Kremlin, Putin will visit Astana.", "en", PUBLISHED)
    assert not [e for e in events if e.cameo_code.startswith("08")]
    assert only(coded("Kazakhstan released two Russian journalists.", "en", PUBLISHED), "08")
    assert not [e for e in coded("Russia is allowed to use the Baikonur cosmodrome.", "en", PUBLISHED) if e.cameo_code.startswith("08")]


def test_a_speaker_after_his_verb_is_the_source_and_the_quotation_names_no_role():
    event = only(coded('"Франция была бы менее красивой без Новой Каледонии", - добавил Макрон.', "ru", PUBLISHED), "01")
    assert (event.source_text, event.target_text) == ("Макрон", None)
    event = only(coded("“O acordo com a Rússia é bom”, disse o chefe da diplomacia do Cazaquistão.", "pt", PUBLISHED), "01")
    assert event.source_country == "KAZ" and event.target_text is None
    # A pronoun speaker: no one in the quotation speaks or is told, nor the outlet after him.
    event = only(coded('"Москва готова к диалогу с Астаной", - сказал он.', "ru", PUBLISHED), "01")
    assert (event.source_text, event.target_text) == (None, None)
    event = only(coded('"Москва готова к диалогу с Астаной", сказал он телеканалу CNBC.', "ru", PUBLISHED), "01")
    assert event.source_text is None


def test_a_russian_speaker_named_after_his_verb_is_the_source_and_tells_no_one():
    # A name the registry does not know, which may be nominative: an agency, a Latin name, a person after his title.
    for text, speaker in (
        ('Об этом 27 сентября сообщает ИА "Хабаровский край сегодня".', "ИА"),
        ("Об этом сообщает El Desmarque.", "Desmarque"),
        ('Об этом заявил генеральный директор кредитной организации "Дом.рф" Александр Плутник.', "Александр Плутник"),
    ):
        event = only(coded(text, "ru", PUBLISHED), "01")
        assert (event.source_text, event.target_text) == (speaker, None), text
    # Where, when and through whom he spoke are no one told.
    event = only(coded("Об этом заявил президент России Владимир Путин во время Главного военно-морского парада.", "ru", PUBLISHED), "01")
    assert (event.source_entity_id, event.target_text) == ("person:vladimir-putin", None)
    event = only(coded('Об этом сообщает "Коммерсантъ" со ссылкой на данные Центробанка.', "ru", PUBLISHED), "01")
    assert event.target_text is None
    # What a statement is about is not whom it is said to; the dative is.
    assert only(coded("Власти Подмосковья рассказали о судьбе закрытых свалок в России.", "ru", PUBLISHED), "01").target_text is None
    assert only(coded("Путин заявил журналистам, что устал.", "ru", PUBLISHED), "01").target_text == "журналистам"
    # A name after a preposition is no speaker, but an office after "в" speaks for a plural verb with no subject.
    assert only(coded("Об этом сообщили в Instagram.", "ru", PUBLISHED), "01").source_text is None
    event = only(coded("Как сообщили в МЧС, 59-летний мужчина скончался на месте.", "ru", PUBLISHED), "01")
    assert (event.source_text, event.target_text) == ("МЧС", None)
    # A name the registry does not know before the verb, that may be nominative, is its subject.
    event = only(coded("Представители ByteDance рассказали The Guardian, что правила устарели.", "ru", PUBLISHED), "01")
    assert event.source_text == "Представители ByteDance"


def test_a_spanish_or_portuguese_speaker_after_segun_or_como_is_the_source():
    event = only(coded("Muchos jóvenes se aburren en la escuela, según afirma el profesor Vodanovich.", "es", PUBLISHED), "01")
    assert (event.source_text, event.target_text) == ("Vodanovich", None)
    event = only(coded("A empresa terá de pagar a licença, como explicou Wentzler.", "pt", PUBLISHED), "01")
    assert event.source_text == "Wentzler"
    # A verb that opens what was said ("contou que") has no speaker after it.
    event = only(coded("A prima da vítima, Ágatha Inara, contou que o ministro Fulano chegou a Brasília.", "pt", PUBLISHED), "01")
    assert event.source_text == "Ágatha Inara"
    # Past a clitic before the verb: whom he told, not who spoke.
    event = only(coded('"Queríamos trabajar con materiales reciclados", nos explica Joop Trouborst.', "es", PUBLISHED), "01")
    assert (event.source_text, event.target_text) == ("Joop Trouborst", None)


def test_a_russian_subjects_own_country_in_his_title_is_not_what_he_acts_on():
    event = only(coded("Президент России Владимир Путин провел встречу с премьер-министром.", "ru", PUBLISHED), "04")
    assert (event.source_entity_id, event.target_text) == ("person:vladimir-putin", None)
    event = only(coded("Ранее президент США Дональд Трамп заявил, что торговое соглашение близко.", "ru", PUBLISHED), "01")
    assert (event.source_entity_id, event.target_text) == ("person:donald-trump", None)
    # Another country there is: "Президент России Владимир Путин посетил Казахстан".
    event = only(coded("Президент России Владимир Путин посетил Казахстан.", "ru", PUBLISHED), "04")
    assert (event.source_country, event.target_country) == ("RUS", "KAZ")


def test_a_russian_relative_pronoun_stands_for_the_actor_before_it():
    event = only(coded("Дело Суворова позднее дошло до суда, который полностью оправдал политика.", "ru", PUBLISHED), "08")
    assert (event.source_text, event.target_text) == ("суда", None)


def test_coordinated_russian_subjects_each_act_on_the_object_after_the_verb():
    events = coded("Аарон Дэвид Миллер и Ричард Сокольский назвали Майка Помпео худшим госсекретарем.", "ru", PUBLISHED)
    assert len(events) == 2 and "Ричард Сокольский" in {e.source_text for e in events}
    assert {e.target_text for e in events} == {"Майка Помпео"}


def test_a_russian_passive_has_an_agent_in_the_instrumental_and_its_subject_is_acted_on():
    event = only(coded("Активист был задержан полицией в Москве.", "ru", PUBLISHED), "17")
    assert (event.source_text, event.target_text) == ("полицией", "Активист")
    # A place after a preposition is no agent, nor a name in another case.
    assert only(coded("В Турции 8 человек арестованы по делу о недоделках.", "ru", PUBLISHED), "17").source_text is None
    event = only(coded("Житель американского города Окленд-Парк арестован по обвинению в покушении на убийство.", "ru", PUBLISHED), "17")
    assert (event.source_text, event.target_text) == (None, "Житель американского")


def test_a_russian_pronoun_subject_leaves_the_source_empty_and_the_name_after_the_verb_its_object():
    event = only(coded("Вчера он посетил Казахстан.", "ru", PUBLISHED), "04")
    assert (event.source_text, event.target_country) == (None, "KAZ")
    # A pronoun in a reported clause refers back to the speaker before it.
    event = only(coded("Путин заявил, что он посетит Казахстан.", "ru", PUBLISHED), "03")
    assert (event.source_entity_id, event.target_country) == ("person:vladimir-putin", "KAZ")


def test_a_speaker_the_registry_does_not_know_takes_the_articles_country():
    text = (
        "O Brasil e o Cazaquistão assinaram um acordo em Brasília. A Rússia criticou o acordo do Brasil. "
        "O deputado Fulano Beltrano disse que o acordo é bom."
    )
    statement = only(coded(text, "pt", PUBLISHED), "01")
    assert statement.source_text.endswith("Fulano Beltrano")
    assert (statement.source_country, statement.source_basis) == ("BRA", "context")


def test_kazakh_news_naming_no_country_is_about_kazakhstan():
    event = only(coded("Барлық министрлер Президент идеясымен келісті.", "kk", PUBLISHED), "03")
    assert (event.source_country, event.source_basis) == ("KAZ", "context")


def test_a_participle_with_its_agent_is_passive_and_one_between_article_and_noun_describes():
    event = only(coded("Os manifestantes detidos pela polícia de Moscou foram levados ao tribunal.", "pt", PUBLISHED), "17")
    assert "polícia" in event.source_text and event.target_text == "manifestantes"
    assert not coded("The confirmed deaths in Kazakhstan are fourteen civilians.", "en", PUBLISHED)
    assert only(coded("Putin was further sanctioned by the United States.", "en", PUBLISHED), "16")


def test_an_arrival_names_its_destination_and_a_host_or_a_fight_its_object():
    assert only(coded("Putin chegou a Astana nesta segunda.", "pt", PUBLISHED), "04").target_text == "Astana"
    assert not [e for e in coded("A deputada chegou a ser presa após o acidente.", "pt", PUBLISHED) if e.cameo_code == "042"]
    assert not [e for e in coded("Lula chegou ao fim do mandato.", "pt", PUBLISHED) if e.cameo_code == "042"]
    # The guest is Argentina's president: an agent noun qualified by its country.
    guest = only(coded("Temer recebeu o presidente da Argentina.", "pt", PUBLISHED), "04")
    assert (guest.target_text, guest.target_country, guest.target_type) == ("presidente da Argentina", "ARG", "GOV")
    assert not coded("Dilma recebeu alta do hospital.", "pt", PUBLISHED)
    assert only(coded("Putin received Tokayev in Moscow.", "en", PUBLISHED), "04").target_text == "Tokayev"
    assert not [e for e in coded("Putin received a letter from Tokayev.", "en", PUBLISHED) if e.cameo_code == "043"]
    assert only(coded("O governo sírio combate o Estado Islâmico.", "pt", PUBLISHED), "19")
    assert not coded("O governo reforçou o combate à corrupção.", "pt", PUBLISHED)


def test_a_statement_is_said_to_its_target_not_about_it():
    assert only(coded("Police said people were hurt in Almaty.", "en", PUBLISHED)).target_text is None
    assert only(coded("Putin told Reuters that Russia would wait.", "en", PUBLISHED), "01").target_text == "Reuters"
    assert only(coded("Tokayev said to Putin that Kazakhstan would wait.", "en", PUBLISHED), "01").target_text == "Putin"
    assert "imprensa" in only(coded("Temer disse à imprensa que o Brasil vai crescer.", "pt", PUBLISHED), "01").target_text


def test_a_participle_without_a_verb_that_makes_it_one_describes():
    assert not [e for e in coded("As empresas investigadas negaram irregularidades.", "pt", PUBLISHED) if e.cameo_code.startswith("09")]
    assert not coded("O acordo assinado em 2015 prevê cooperação.", "pt", PUBLISHED)
    assert not coded("Las empresas investigadas no respondieron.", "es", PUBLISHED)
    # A verb before it, its agent after it, or the sentence's start make it report.
    assert only(coded("A empresa foi investigada pela Polícia Federal.", "pt", PUBLISHED), "09")
    assert only(coded("Detido duas vezes em Almaty, o ativista Yerlan Zhakenov recorreu.", "pt", PUBLISHED), "17")


def test_what_an_arrest_an_investigation_or_an_invasion_is_of_is_its_target():
    event = only(coded("The arrest of Navalny by Russian police angered Germany.", "en", PUBLISHED), "17")
    assert (event.source_text, event.target_text) == ("Russian police", "Navalny")
    assert only(coded("A prisão de Frederico Pacheco foi decretada por Fachin.", "pt", PUBLISHED), "17").target_text == "Frederico Pacheco"
    event = only(coded("A invasão da Ucrânia pela Rússia começou em fevereiro.", "pt", PUBLISHED), "19")
    assert (event.source_country, event.target_country) == ("RUS", "UKR")


def test_helping_is_aid_only_to_an_actor():
    assert only(coded("A Coreia do Sul ajudou os Estados Unidos.", "pt", PUBLISHED), "07").target_country == "USA"
    assert not coded("A reforma ajudará a pacificar o país.", "pt", PUBLISHED)
    assert not coded("Masks help reduce the spread of the virus.", "en", PUBLISHED)


def test_portuguese_nouns_that_look_like_verb_forms_are_no_events():
    # "peça" after an article is a document, a play or a part, not "ask"; "multa" after "e" or "de" a penalty a law
    # provides; a paper "assinado" by someone is no agreement signed; "recebido" is hosting only with a guest.
    assert not [e for e in coded("Havia imputações muito genéricas na peça do Ministério Público.", "pt", PUBLISHED)
                if e.cameo_code == "020"]
    assert only(coded("Lula defende que Temer peça antecipação de eleições.", "pt", PUBLISHED), "02")
    assert not [e for e in coded("O crime passa a ser punido com reclusão de 2 a 4 anos e multa.", "pt", PUBLISHED)
                if e.cameo_code == "172"]
    assert not [e for e in coded("O documento, assinado pela promotora Márcia Piatigorsky, pede a transferência.", "pt",
                                 PUBLISHED) if e.cameo_code == "057"]
    assert only(coded("O acordo foi assinado pela Rússia e pelo Cazaquistão.", "pt", PUBLISHED), "05")
    assert not [e for e in coded("O sindicato relatou ter recebido reclamações do público.", "pt", PUBLISHED)
                if e.cameo_code == "043"]
    assert only(coded("Tillerson foi recebido por Putin no Kremlin.", "pt", PUBLISHED), "04").source_text == "Putin"


def test_english_look_alikes_of_release_host_and_charge_are_no_events():
    assert not coded("Red Hat released a new version of its operating system.", "en", PUBLISHED)
    assert not [e for e in coded("Corals release chemical compounds into the water.", "en", PUBLISHED)]
    assert only(coded("Russia released Paul Whelan on Thursday.", "en", PUBLISHED), "08")
    assert only(coded("Navalny was released from prison on Friday.", "en", PUBLISHED), "08")
    assert not [e for e in coded("The radio show host asked Biden about Ukraine.", "en", PUBLISHED) if e.cameo_code == "043"]
    assert only(coded("Tokayev hosted Putin in Astana.", "en", PUBLISHED), "04")
    assert not [e for e in coded("Vaccination is free of charge for the children of Almaty.", "en", PUBLISHED)
                if e.cameo_code == "112"]


def test_a_spanish_statement_needs_a_finite_verb():
    assert not coded("Se trata de una fase de troceado, es decir, de transformación de un fichero.", "es", PUBLISHED)
    assert not coded("Eso quiere decir que el Gobierno de Rusia es competente.", "es", PUBLISHED)
    assert only(coded("Putin dijo que Rusia esperará.", "es", PUBLISHED), "01")


def test_statements_folded_into_each_other_keep_one():
    # A gerund statement folds into the nearest event, a speakerless statement into the first
    # statement with a speaker: when these point at each other, one of them stays.
    from steppe.analyse.events.clauses import fold_statements
    from steppe.analyse.events.code import Event

    def statement(start: int, source: str | None) -> Event:
        return Event(sentence_idx=0, char_start=start, char_end=start + 5, trigger="said", cameo_code="010", source_entity_id=None,
                     source_text=source, target_entity_id=None, target_text=None, event_date=None, date_precision=None,
                     location_entity_id=None, negated=False, confidence=0.5, evidence_spans=((start, start + 5),))

    events = [statement(0, None), statement(10, "Tokayev")]
    folded = fold_statements(events, [False, True], [False, False])
    assert len(folded) == 1 and len(folded[0].evidence_spans) == 2
