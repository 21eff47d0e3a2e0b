"""Writes samples.jsonl: short texts written for Diurna's language tests and benchmark.

Each line: {"lang": ISO 639-1, "kind": headline | sentence | paragraph, "text": ...}.
The non-English texts are invented news in the style of wire copy (no real article is
quoted); the English headlines are the name-heavy kind a stopword count misreads.
Run it again after editing SAMPLES: python tests/languages/make_samples.py
"""
from __future__ import annotations

import json
from pathlib import Path

SAMPLES: dict[str, dict[str, list[str]]] = {
    "fr": {
        "headline": ["Macron reçoit Scholz à l'Élysée", "Grève générale dans les transports à Paris",
                     "Le Sénat rejette la réforme des retraites"],
        "sentence": ["Le ministre des Affaires étrangères a rencontré mardi son homologue allemand pour "
                     "discuter de la guerre en Ukraine et de l'aide militaire européenne.",
                     "Des milliers de manifestants se sont rassemblés samedi devant l'Assemblée nationale "
                     "pour protester contre la hausse des prix de l'énergie."],
        "paragraph": ["Le président de la République a annoncé jeudi une nouvelle série de sanctions contre "
                      "les responsables du coup d'État. Selon le Quai d'Orsay, les avoirs de six généraux "
                      "seront gelés et leurs visas annulés. L'opposition a salué la décision, tout en "
                      "demandant au gouvernement d'aller plus loin et de suspendre l'aide budgétaire."],
    },
    "es": {
        "headline": ["Sánchez viaja a Rabat para reunirse con el rey", "Protestas masivas en Buenos Aires",
                     "El Congreso aprueba la ley de amnistía"],
        "sentence": ["El gobierno de Colombia y los rebeldes del ELN firmaron el lunes en La Habana un "
                     "acuerdo para prolongar el alto el fuego durante seis meses más.",
                     "La policía detuvo a doce personas tras los enfrentamientos que se produjeron durante "
                     "la manifestación frente al palacio presidencial."],
        "paragraph": ["El ministro de Defensa anunció este martes el envío de trescientos soldados a la "
                      "frontera norte, donde los ataques de grupos armados se han multiplicado en las "
                      "últimas semanas. La oposición acusó al gobierno de improvisar y exigió una "
                      "comparecencia urgente en el Parlamento para explicar la estrategia de seguridad."],
    },
    "de": {
        "headline": ["Scholz empfängt Macron im Kanzleramt", "Bundestag stimmt für neue Waffenlieferungen",
                     "Tausende demonstrieren in Leipzig"],
        "sentence": ["Die Außenministerin hat am Mittwoch in Warschau ihren polnischen Amtskollegen "
                     "getroffen, um über die Lage an der Grenze zu Belarus zu sprechen.",
                     "Nach Angaben der Polizei wurden bei den Zusammenstößen in der Innenstadt mehrere "
                     "Beamte und Demonstranten leicht verletzt."],
        "paragraph": ["Der Bundeskanzler hat am Dienstag in Berlin eine neue Reihe von Maßnahmen "
                      "angekündigt, um die Landwirte zu unterstützen, nachdem es in den vergangenen Wochen "
                      "im ganzen Land Proteste gegeben hatte. Die Opposition kritisierte das Paket als "
                      "unzureichend und forderte den Rücktritt des Landwirtschaftsministers."],
    },
    "it": {
        "headline": ["Meloni incontra Erdogan a Roma", "Sciopero nazionale dei treni venerdì"],
        "sentence": ["Il ministro degli Esteri ha convocato l'ambasciatore russo dopo l'arresto di due "
                     "giornalisti italiani a Mosca.",
                     "Migliaia di persone hanno sfilato per le strade di Milano per chiedere la fine "
                     "della guerra a Gaza."],
        "paragraph": ["Il governo ha approvato ieri sera un decreto che stanzia due miliardi di euro per la "
                      "ricostruzione delle zone colpite dall'alluvione. Il presidente della Regione ha "
                      "definito la cifra insufficiente e ha chiesto un incontro urgente con il presidente "
                      "del Consiglio per discutere dei tempi dei rimborsi alle famiglie."],
    },
    "pt": {
        "headline": ["Lula recebe Biden em Brasília", "Greve dos professores chega ao décimo dia"],
        "sentence": ["O presidente do Brasil anunciou nesta segunda-feira que vai visitar a China no "
                     "próximo mês para assinar novos acordos comerciais.",
                     "A polícia usou gás lacrimogéneo para dispersar os manifestantes que bloqueavam a "
                     "entrada do parlamento em Lisboa."],
        "paragraph": ["O ministro das Relações Exteriores criticou duramente a decisão do governo vizinho "
                      "de fechar a fronteira e afirmou que o país vai recorrer às organizações "
                      "internacionais. Segundo ele, milhares de trabalhadores ficaram impedidos de chegar "
                      "aos seus empregos e o comércio entre as duas nações foi paralisado."],
    },
    "nl": {
        "headline": ["Rutte ontmoet Zelensky in Kyiv", "Boeren blokkeren snelwegen rond Den Haag"],
        "sentence": ["De minister van Buitenlandse Zaken heeft woensdag de Russische ambassadeur ontboden "
                     "vanwege de aanhouding van een Nederlandse journalist.",
                     "Duizenden mensen demonstreerden zaterdag in Amsterdam tegen de plannen van de "
                     "regering om te bezuinigen op onderwijs."],
        "paragraph": ["Het kabinet heeft dinsdag besloten om extra militairen naar Litouwen te sturen. "
                      "Volgens de minister van Defensie is de dreiging aan de oostgrens van de NAVO "
                      "toegenomen en moeten de bondgenoten hun aanwezigheid versterken. De oppositie "
                      "steunt het besluit, maar wil meer duidelijkheid over de kosten."],
    },
    "ru": {
        "headline": ["Путин встретился с Си Цзиньпином в Москве", "Протесты в Тбилиси продолжаются"],
        "sentence": ["Министр иностранных дел России заявил во вторник, что Москва готова к переговорам "
                     "с Киевом без предварительных условий.",
                     "Полиция задержала более ста человек во время несанкционированной акции протеста "
                     "в центре города."],
        "paragraph": ["Правительство объявило о введении новых санкций против ряда европейских компаний "
                      "в ответ на решение Евросоюза. По словам представителя министерства, меры вступят "
                      "в силу с первого числа следующего месяца и затронут поставки оборудования и "
                      "программного обеспечения."],
    },
    "ar": {
        "headline": ["الرئيس المصري يستقبل وزير الخارجية الأمريكي", "احتجاجات واسعة في الخرطوم"],
        "sentence": ["أعلنت وزارة الخارجية يوم الثلاثاء أن الوزير سيزور الرياض الأسبوع المقبل لبحث "
                     "العلاقات الثنائية والأوضاع في المنطقة.",
                     "قالت الشرطة إنها اعتقلت عشرين شخصا بعد اشتباكات بين المتظاهرين وقوات الأمن في "
                     "وسط العاصمة."],
        "paragraph": ["وقعت الحكومة والمعارضة المسلحة اتفاقا لوقف إطلاق النار في العاصمة بعد أسابيع من "
                      "المفاوضات برعاية الأمم المتحدة. وينص الاتفاق على انسحاب المقاتلين من الأحياء "
                      "السكنية وتبادل الأسرى خلال شهر، فيما رحبت الجامعة العربية بالخطوة ودعت الطرفين "
                      "إلى الالتزام بها."],
    },
    "zh": {
        "headline": ["中国外交部长会见美国国务卿", "香港举行大规模抗议活动"],
        "sentence": ["中国外交部发言人周二表示，北京愿意与华盛顿恢复对话，但美方必须停止对台湾出售武器。",
                     "警方称，在首都中心发生的冲突中有十多人受伤，另有三十人被拘留。"],
        "paragraph": ["国务院总理周三在北京会见了来访的德国总理，双方就贸易、气候变化和乌克兰局势交换了"
                      "意见。会谈后，两国签署了多项合作协议，涉及汽车、能源和科技领域。德方表示希望中国在"
                      "结束战争方面发挥更大作用。"],
    },
    "tr": {
        "headline": ["Erdoğan Putin ile Soçi'de görüştü", "İstanbul'da binlerce kişi yürüdü"],
        "sentence": ["Dışişleri Bakanı salı günü yaptığı açıklamada Ankara'nın Suriye sınırındaki askeri "
                     "varlığını artıracağını söyledi.",
                     "Polis, meydanda toplanan göstericilere biber gazı ile müdahale etti ve çok sayıda "
                     "kişiyi gözaltına aldı."],
        "paragraph": ["Hükümet, enflasyonla mücadele kapsamında yeni bir ekonomik paket açıkladı. Maliye "
                      "Bakanı, paketin vergi indirimlerini ve düşük gelirli ailelere yönelik doğrudan "
                      "yardımları içerdiğini belirtti. Muhalefet partileri ise önlemlerin yetersiz "
                      "olduğunu ve erken seçim yapılması gerektiğini savundu."],
    },
    "id": {
        "headline": ["Prabowo bertemu Albanese di Jakarta", "Ribuan buruh berunjuk rasa di Bandung"],
        "sentence": ["Menteri Luar Negeri Indonesia mengatakan pada hari Senin bahwa pemerintah akan "
                     "mengirim bantuan kemanusiaan ke Gaza dalam waktu dekat.",
                     "Polisi menangkap puluhan orang setelah bentrokan antara dua kelompok warga di "
                     "pinggiran kota."],
        "paragraph": ["Presiden menandatangani peraturan baru yang melarang ekspor bijih nikel mentah "
                      "mulai tahun depan. Menurut kementerian, langkah ini bertujuan untuk mendorong "
                      "pembangunan pabrik pengolahan di dalam negeri dan menciptakan lapangan kerja "
                      "bagi masyarakat setempat."],
    },
    "pl": {
        "headline": ["Tusk spotkał się z Macronem w Paryżu", "Rolnicy blokują drogi w całym kraju"],
        "sentence": ["Minister spraw zagranicznych wezwał we wtorek ambasadora Rosji w związku z "
                     "naruszeniem polskiej przestrzeni powietrznej przez drona.",
                     "Policja zatrzymała kilkanaście osób po starciach z kibicami przed stadionem w "
                     "Krakowie."],
        "paragraph": ["Rząd przyjął projekt ustawy zwiększającej wydatki na obronność do czterech procent "
                      "produktu krajowego brutto. Premier podkreślił, że sytuacja za wschodnią granicą "
                      "wymaga szybkich decyzji, a opozycja zapowiedziała, że poprze projekt w Sejmie, "
                      "choć ma zastrzeżenia co do sposobu jego finansowania."],
    },
    "en": {
        "headline": ["Putin, Xi meet in Moscow", "Lavrov, Blinken talk in Geneva", "Modi, Sharif trade barbs",
                     "Erdogan, Assad agree to talks", "Kim Jong Un fires missiles", "Zelensky visits Kherson",
                     "Netanyahu rejects Hamas offer", "Macron, Scholz, Meloni in Kyiv",
                     "Milei meets Lula in Brasilia", "Ramaphosa sacks Mkhwebane", "Orban vetoes EU aid",
                     "Xi Jinping, Li Qiang, Wang Yi", "Sanchez, Rutte sign deal", "Tinubu sacks service chiefs",
                     "Mnangagwa, Chamisa trade accusations", "Khamenei warns Washington",
                     "Abiy Ahmed, TPLF sign truce", "Yoon Suk Yeol impeached", "Fico shot in Handlova",
                     "Duterte arrested in Manila", "Museveni, Bobi Wine clash", "Tshisekedi accuses Kagame",
                     "Hezbollah fires rockets at Israel", "Houthis attack tanker", "Maduro, Machado claim win",
                     "Bukele jails gang leaders", "Lukashenko pardons Protasevich", "Nguyen Phu Trong dies",
                     "Sheinbaum, Trudeau discuss tariffs", "Prabowo, Albanese hold talks"],
    },
}


def main() -> None:
    out = Path(__file__).with_name("samples.jsonl")
    with out.open("w", encoding="utf-8") as f:
        for lang, kinds in SAMPLES.items():
            for kind, texts in kinds.items():
                for text in texts:
                    f.write(json.dumps({"lang": lang, "kind": kind, "text": text}, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
