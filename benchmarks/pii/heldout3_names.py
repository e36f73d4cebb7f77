"""Hand-written person names for the ``heldout3`` PII set, 22 locales.

Written for this set only, from general knowledge of naming customs; not taken
from Faker, ``names-dataset``, any other generator's lists, the detector's
gazetteers or :mod:`benchmarks.pii.names`. Each locale has at least 8 given
names per gender and 14 family names, in the native spelling and romanised.

Compact notation (parsed by :func:`_names`), ``|`` separates entries:

* ``native=roman``: the native spelling and its usual romanisation; a Latin
  locale writes the native spelling only and the romanised one is its
  ASCII folding (:func:`benchmarks.pii.make_heldout3.latin_fold`).
* family names ``masc/fem``: gendered forms (Polish ``-ski/-ska``, Russian
  ``-ов/-ова``, Greek ``-ος/-ου``); one form means the name does not inflect.

Honorifics are ``(before, after, part, spelling, gender)``: the text around
the name (outside the entity span), which part of the name it goes with
(``family``, ``given`` or ``full``), the spelling it takes (``native`` or
``roman``) and the gender it fits (``m``, ``f`` or ``u`` for either).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Locale:
    """One naming culture: names as ``(native, roman)`` pairs and how they are written.

    ``given_m``/``given_f``: ``(native, roman)``; ``family``: ``(native_m, roman_m,
    native_f, roman_f)``; ``family_first``: native order is family name first;
    ``joiner``: between family and given name in native script (``""`` for
    Chinese, Japanese, Korean); ``latin``: the native spelling is Latin script;
    ``call_last``: people are addressed by the last word of the given name
    (Vietnamese); ``extra_full``: whole native names that do not split (Japanese
    renderings of foreign names, Cantonese-romanised names), ``extra_given``:
    given names in another script (Japanese hiragana), both ``(native, roman, gender)``.
    """

    code: str
    given_m: tuple[tuple[str, str], ...]
    given_f: tuple[tuple[str, str], ...]
    family: tuple[tuple[str, str, str, str], ...]
    honorifics: tuple[tuple[str, str, str, str, str], ...] = ()
    family_first: bool = False
    joiner: str = " "
    latin: bool = False
    call_last: bool = False
    extra_full: tuple[tuple[str, str, str], ...] = ()
    extra_given: tuple[tuple[str, str, str], ...] = ()


def _pairs(spec: str) -> tuple[tuple[str, str], ...]:
    out = []
    for item in unicodedata.normalize("NFC", spec).split("|"):
        native, _, roman = item.strip().partition("=")
        out.append((native.strip(), (roman or native).strip()))
    return tuple(out)


def _families(spec: str) -> tuple[tuple[str, str, str, str], ...]:
    out = []
    for item in spec.split("|"):
        masc, _, fem = item.strip().partition("/")
        (nm, rm), = _pairs(masc)
        (nf, rf), = _pairs(fem) if fem else ((nm, rm),)
        out.append((nm, rm, nf, rf))
    return tuple(out)


def _names(code: str, given_m: str, given_f: str, family: str, **kw) -> Locale:
    return Locale(code=code, given_m=_pairs(given_m), given_f=_pairs(given_f), family=_families(family), **kw)


# English honorifics, used with every locale (romanised spelling unless the locale is Latin).
ENGLISH_HONORIFICS = (
    ("Mr. ", "", "family", "roman", "m"),
    ("Ms. ", "", "family", "roman", "f"),
    ("Mrs. ", "", "family", "roman", "f"),
    ("Dr. ", "", "family", "roman", "u"),
    ("Prof. ", "", "family", "roman", "u"),
    ("Dr ", "", "full", "roman", "u"),
    ("Ms ", "", "full", "roman", "f"),
    ("Mr ", "", "full", "roman", "m"),
)

LOCALES: dict[str, Locale] = {loc.code: loc for loc in (
    _names("zh",
           "志强=Zhiqiang|俊杰=Junjie|浩然=Haoran|建华=Jianhua|博文=Bowen|一鸣=Yiming|磊=Lei|宇航=Yuhang",
           "雨桐=Yutong|晓燕=Xiaoyan|思琪=Siqi|丽娟=Lijuan|欣怡=Xinyi|婧=Jing|梦瑶=Mengyao|佳慧=Jiahui",
           "王=Wang|陈=Chen|谢=Xie|韩=Han|唐=Tang|冯=Feng|邓=Deng|曹=Cao|彭=Peng|曾=Zeng|蒋=Jiang|蔡=Cai|"
           "叶=Ye|魏=Wei|苏=Su|欧阳=Ouyang",
           honorifics=(("", "先生", "family", "native", "m"), ("", "女士", "family", "native", "f"),
                       ("", "经理", "family", "native", "u"), ("", "总", "family", "native", "u")),
           family_first=True, joiner="",
           extra_full=(("陳嘉欣", "Chan Ka-yan", "f"), ("黃偉明", "Wong Wai-ming", "m"),
                       ("張麗華", "Cheung Lai-wah", "f"), ("劉家豪", "Lau Ka-ho", "m"))),
    _names("ja",
           "健太=Kenta|大輔=Daisuke|翔太=Shota|拓也=Takuya|直樹=Naoki|悠斗=Yuto|誠=Makoto|浩二=Koji",
           "陽菜=Hina|美咲=Misaki|由美=Yumi|彩花=Ayaka|真由美=Mayumi|恵子=Keiko|千尋=Chihiro|愛=Ai",
           "高橋=Takahashi|渡辺=Watanabe|山口=Yamaguchi|松本=Matsumoto|井上=Inoue|木村=Kimura|清水=Shimizu|"
           "池田=Ikeda|橋本=Hashimoto|石川=Ishikawa|前田=Maeda|藤原=Fujiwara|岡田=Okada|長谷川=Hasegawa|"
           "近藤=Kondo|小野寺=Onodera",
           honorifics=(("", "さん", "family", "native", "u"), ("", "様", "family", "native", "u"),
                       ("", "-san", "family", "roman", "u"), ("", "部長", "family", "native", "u")),
           family_first=True, joiner="",
           extra_given=(("さくら", "Sakura", "f"), ("あおい", "Aoi", "f"), ("ひかる", "Hikaru", "m"),
                        ("みどり", "Midori", "f")),
           extra_full=(("マリア・サントス", "Maria Santos", "f"), ("アンドレ・ルブラン", "Andre Leblanc", "m"),
                       ("ケビン・オブライエン", "Kevin O'Brien", "m"), ("ラウラ・ゴメス", "Laura Gomez", "f"))),
    _names("ko",
           "민준=Min-jun|지훈=Ji-hoon|현우=Hyun-woo|도윤=Do-yoon|성민=Sung-min|태현=Tae-hyun|준호=Jun-ho|동현=Dong-hyun",
           "서연=Seo-yeon|수빈=Su-bin|예린=Ye-rin|하은=Ha-eun|지영=Ji-young|은지=Eun-ji|유나=Yu-na|민지=Min-ji",
           "김=Kim|이=Lee|박=Park|최=Choi|정=Jung|강=Kang|조=Cho|윤=Yoon|장=Jang|임=Lim|한=Han|오=Oh|서=Seo|"
           "신=Shin|권=Kwon|황=Hwang|송=Song|홍=Hong",
           honorifics=(("", " 님", "full", "native", "u"), ("", " 씨", "full", "native", "u"),
                       ("", " 팀장님", "family", "native", "u"), ("", " 과장", "family", "native", "u")),
           family_first=True, joiner=""),
    _names("ar",
           "يوسف=Youssef|عمر=Omar|طارق=Tariq|حسن=Hassan|كريم=Karim|إبراهيم=Ibrahim|سامي=Sami|وليد=Walid",
           "فاطمة=Fatima|ليلى=Layla|نور=Nour|سلمى=Salma|رنا=Rana|هدى=Huda|ياسمين=Yasmin|مريم=Mariam",
           "العتيبي=Al-Otaibi|الشمري=Al-Shammari|حداد=Haddad|المصري=Al-Masri|النجار=Al-Najjar|"
           "الزهراني=Al-Zahrani|منصور=Mansour|الخطيب=Al-Khatib|فرحات=Farhat|القاسم=Al-Qasim|الحسيني=Al-Husseini|"
           "عبد الرحمن=Abdelrahman|السويدي=Al-Suwaidi|الدوسري=Al-Dosari",
           honorifics=(("السيد ", "", "full", "native", "m"), ("السيدة ", "", "full", "native", "f"),
                       ("الدكتور ", "", "full", "native", "m"), ("Sheikh ", "", "full", "roman", "m"))),
    _names("fa",
           "رضا=Reza|امیر=Amir|حسین=Hossein|کاوه=Kaveh|آرش=Arash|بهرام=Bahram|مهدی=Mehdi|فرهاد=Farhad",
           "مریم=Maryam|سارا=Sara|نگار=Negar|پریسا=Parisa|مهسا=Mahsa|شیرین=Shirin|لیلا=Leila|نازنین=Nazanin",
           "محمدی=Mohammadi|حسینی=Hosseini|رضایی=Rezaei|احمدی=Ahmadi|کریمی=Karimi|موسوی=Mousavi|جعفری=Jafari|"
           "صادقی=Sadeghi|تهرانی=Tehrani|نوری=Nouri|قاسمی=Ghasemi|شریفی=Sharifi|اکبری=Akbari|یزدانی=Yazdani",
           honorifics=(("آقای ", "", "family", "native", "m"), ("خانم ", "", "family", "native", "f"))),
    _names("he",
           "יונתן=Yonatan|אורי=Uri|איתי=Itai|דניאל=Daniel|עומר=Omer|גיא=Guy|נדב=Nadav|עמית=Amit",
           "נועה=Noa|תמר=Tamar|מיכל=Michal|שירה=Shira|יעל=Yael|רוני=Roni|הדס=Hadas|ענבל=Inbal",
           "כהן=Cohen|לוי=Levi|מזרחי=Mizrahi|פרץ=Peretz|ביטון=Biton|פרידמן=Friedman|שפירא=Shapira|"
           "גולדברג=Goldberg|אזולאי=Azoulay|דהן=Dahan|רוזנברג=Rosenberg|בן דוד=Ben-David|אוחיון=Ohayon|קרמר=Kramer",
           honorifics=(("מר ", "", "family", "native", "m"), ("גב' ", "", "family", "native", "f"),
                       ("ד\"ר ", "", "full", "native", "u"))),
    _names("hi",
           "अर्जुन=Arjun|राहुल=Rahul|विकास=Vikas|आदित्य=Aditya|सुरेश=Suresh|करण=Karan|रोहन=Rohan|अमित=Amit",
           "प्रिया=Priya|अनन्या=Ananya|स्नेहा=Sneha|पूजा=Pooja|नेहा=Neha|दीपिका=Deepika|कविता=Kavita|"
           "मीनाक्षी=Meenakshi",
           "शर्मा=Sharma|वर्मा=Verma|गुप्ता=Gupta|मेहता=Mehta|अग्रवाल=Agarwal|जोशी=Joshi|चौधरी=Chaudhary|"
           "त्रिपाठी=Tripathi|मल्होत्रा=Malhotra|श्रीवास्तव=Srivastava|देशपांडे=Deshpande|सक्सेना=Saxena|भट्ट=Bhatt|"
           "कुलकर्णी=Kulkarni",
           honorifics=(("श्री ", "", "full", "native", "m"), ("श्रीमती ", "", "full", "native", "f"),
                       ("", " जी", "family", "native", "u"), ("", "-ji", "family", "roman", "u"),
                       ("Shri ", "", "full", "roman", "m"))),
    _names("ru",
           "Алексей=Alexey|Дмитрий=Dmitry|Сергей=Sergey|Михаил=Mikhail|Никита=Nikita|Илья=Ilya|Артём=Artyom|"
           "Павел=Pavel",
           "Екатерина=Ekaterina|Ольга=Olga|Наталья=Natalya|Анастасия=Anastasia|Татьяна=Tatiana|Юлия=Yulia|"
           "Ксения=Ksenia|Дарья=Darya",
           "Смирнов=Smirnov/Смирнова=Smirnova|Кузнецов=Kuznetsov/Кузнецова=Kuznetsova|Волков=Volkov/Волкова=Volkova|"
           "Морозов=Morozov/Морозова=Morozova|Лебедев=Lebedev/Лебедева=Lebedeva|Соколов=Sokolov/Соколова=Sokolova|"
           "Новиков=Novikov/Новикова=Novikova|Фёдоров=Fyodorov/Фёдорова=Fyodorova|Орлов=Orlov/Орлова=Orlova|"
           "Зайцев=Zaitsev/Зайцева=Zaitseva|Белов=Belov/Белова=Belova|Жуковский=Zhukovsky/Жуковская=Zhukovskaya|"
           "Виноградов=Vinogradov/Виноградова=Vinogradova|Громов=Gromov/Громова=Gromova"),
    _names("uk",
           "Андрій=Andrii|Олександр=Oleksandr|Богдан=Bohdan|Тарас=Taras|Юрій=Yurii|Віталій=Vitalii|Остап=Ostap|"
           "Ярослав=Yaroslav",
           "Оксана=Oksana|Ірина=Iryna|Людмила=Liudmyla|Соломія=Solomiia|Галина=Halyna|Олена=Olena|Ганна=Hanna|"
           "Христина=Khrystyna",
           "Коваленко=Kovalenko|Бондаренко=Bondarenko|Ткаченко=Tkachenko|Кравчук=Kravchuk|Мельник=Melnyk|"
           "Гнатюк=Hnatiuk|Савчук=Savchuk|Поліщук=Polishchuk|Романенко=Romanenko|Лисенко=Lysenko|"
           "Дорошенко=Doroshenko|Грушевський=Hrushevskyi/Грушевська=Hrushevska|"
           "Заболотний=Zabolotnyi/Заболотна=Zabolotna|Федорів=Fedoriv",
           honorifics=(("пан ", "", "family", "native", "m"), ("пані ", "", "family", "native", "f"))),
    _names("el",
           "Γιώργος=Giorgos|Νίκος=Nikos|Κώστας=Kostas|Παναγιώτης=Panagiotis|Στέλιος=Stelios|Θανάσης=Thanasis|"
           "Άρης=Aris|Σπύρος=Spyros",
           "Ελένη=Eleni|Κατερίνα=Katerina|Σοφία=Sofia|Αθηνά=Athina|Δέσποινα=Despoina|Βασιλική=Vasiliki|"
           "Ειρήνη=Eirini|Χαρά=Chara",
           "Παπαδόπουλος=Papadopoulos/Παπαδοπούλου=Papadopoulou|Οικονόμου=Oikonomou|Γεωργίου=Georgiou|"
           "Βασιλείου=Vasileiou|Αλεξίου=Alexiou|Νικολαΐδης=Nikolaidis/Νικολαΐδου=Nikolaidou|"
           "Μαυρίδης=Mavridis/Μαυρίδου=Mavridou|Κωνσταντίνου=Konstantinou|"
           "Πετρόπουλος=Petropoulos/Πετροπούλου=Petropoulou|Ζαχαρίου=Zachariou|Τσακίρης=Tsakiris/Τσακίρη=Tsakiri|"
           "Λαμπράκης=Lamprakis/Λαμπράκη=Lampraki|Σταματόπουλος=Stamatopoulos/Σταματοπούλου=Stamatopoulou|"
           "Ραφαηλίδης=Rafailidis/Ραφαηλίδου=Rafailidou",
           honorifics=(("κ. ", "", "family", "native", "u"), ("κα ", "", "family", "native", "f"))),
    _names("th",
           "สมชาย=Somchai|ธนพล=Thanaphon|อนุชา=Anucha|วีระพงษ์=Weeraphong|ณัฐวุฒิ=Nattawut|ชัยวัฒน์=Chaiwat|"
           "ประเสริฐ=Prasert|กิตติพงษ์=Kittiphong",
           "สุดารัตน์=Sudarat|กมลวรรณ=Kamonwan|ปิยะนุช=Piyanut|ศิริพร=Siriporn|พิมพ์ชนก=Pimchanok|อรุณี=Arunee|"
           "วรรณา=Wanna|นภัสสร=Napatsorn",
           "ศรีสุข=Srisuk|วงศ์สวัสดิ์=Wongsawat|แก้วมณี=Kaewmanee|จันทร์เพ็ญ=Chanphen|บุญมา=Boonma|ทองดี=Thongdee|"
           "สุขสวัสดิ์=Suksawat|รัตนพันธ์=Rattanaphan|พงษ์พานิช=Phongphanit|เจริญผล=Charoenphon|"
           "อินทรประเสริฐ=Intaraprasert|ศักดิ์สิทธิ์=Saksit|ชัยมงคล=Chaimongkol|ปัญญาดี=Panyadee",
           honorifics=(("คุณ", "", "given", "native", "u"), ("Khun ", "", "given", "roman", "u"))),
    _names("vi",
           "Văn Hùng|Minh Tuấn|Đức Anh|Quang Huy|Hữu Phước|Thanh Tùng|Bảo Long|Quốc Khánh",
           "Thị Hương|Ngọc Lan|Thu Trang|Phương Linh|Thị Mai|Khánh Vy|Bích Ngọc|Hoài Thương",
           "Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý",
           honorifics=(("anh ", "", "given", "native", "m"), ("chị ", "", "given", "native", "f")),
           family_first=True, latin=True, call_last=True),
    _names("tr",
           "Emre|Burak|Mert|Oğuz|Serkan|İlker|Barış|Cem",
           "Elif|Zeynep|Ayşe|Gülşen|Çağla|Dilek|Şule|Ebru",
           "Yılmaz|Kaya|Demir|Şahin|Çelik|Öztürk|Aydın|Arslan|Doğan|Kılıç|Koç|Özdemir|Güneş|Karakaya|Yıldırım|Aksoy",
           honorifics=(("", " Bey", "given", "native", "m"), ("", " Hanım", "given", "native", "f")),
           latin=True),
    _names("pl",
           "Łukasz|Grzegorz|Paweł|Krzysztof|Michał|Wojciech|Jakub|Tomasz",
           "Agnieszka|Małgorzata|Katarzyna|Zofia|Joanna|Magdalena|Alicja|Żaneta",
           "Wróblewski/Wróblewska|Zieliński/Zielińska|Szymański/Szymańska|Nowak|Wójcik|Kamiński/Kamińska|"
           "Lewandowski/Lewandowska|Dąbrowski/Dąbrowska|Kaczmarek|Pietrzak|Jabłoński/Jabłońska|Grabowski/Grabowska|"
           "Mazur|Krawczyk|Ślusarczyk|Gołębiowski/Gołębiowska",
           honorifics=(("Pan ", "", "family", "native", "m"), ("Pani ", "", "family", "native", "f"),
                       ("dr inż. ", "", "full", "native", "u")),
           latin=True),
    _names("de",
           "Jürgen|Matthias|Björn|Tobias|Florian|Sören|Lukas|Jörg",
           "Katrin|Anja|Sabine|Ute|Henrike|Dörte|Friederike|Jana",
           "Schäfer|Hoffmann|Weißenborn|Köhler|Neumann|Schröder|Krüger|Zimmermann|Hartmann|Baumgärtner|Lindemann|"
           "Vogt|von Arnim|Schulze-Bräuer|Meißner|Dietrich",
           honorifics=(("Herr ", "", "family", "native", "m"), ("Frau ", "", "family", "native", "f"),
                       ("Prof. Dr. ", "", "family", "native", "u"), ("Frau Dr. ", "", "family", "native", "f")),
           latin=True),
    _names("es",
           "Alejandro|Javier|Íñigo|Álvaro|Sergio|Diego|Gonzalo|Rubén",
           "Carmen|Marta|Nuria|Begoña|Pilar|Rocío|Ainhoa|Inmaculada",
           "Fernández|Gutiérrez|Ruiz|Navarro|Domínguez|Morales|Ortega|Castillo|Iglesias|Ibáñez|Peña|Sáez|Vidal|"
           "Herrero|Calvo|Núñez",
           honorifics=(("Sr. ", "", "family", "native", "m"), ("Sra. ", "", "family", "native", "f"),
                       ("Dña. ", "", "full", "native", "f"), ("D. ", "", "full", "native", "m")),
           latin=True),
    _names("pt-BR",
           "Thiago|Rafael|Gustavo|Leandro|Caio|Vinícius|João Pedro|Otávio",
           "Larissa|Camila|Beatriz|Fernanda|Juliana|Letícia|Ana Clara|Luana",
           "Souza|Oliveira|Pereira|Carvalho|Rodrigues|Almeida|Nascimento|Araújo|Ribeiro|Barbosa|Cavalcanti|"
           "Gonçalves|Monteiro|Magalhães|dos Santos|da Conceição",
           honorifics=(("Sr. ", "", "family", "native", "m"), ("Sra. ", "", "family", "native", "f"),
                       ("Dra. ", "", "given", "native", "f"), ("Dr. ", "", "given", "native", "m")),
           latin=True),
    _names("fr",
           "Étienne|Jean-Baptiste|Théo|François|Quentin|Benoît|Loïc|Mathieu",
           "Clémence|Margaux|Amélie|Hélène|Solène|Gaëlle|Marie-Hélène|Anaïs",
           "Lefèvre|Moreau|Girard|Fontaine|Chevalier|Rousseau|Lambert|Mercier|Bonnet|Faure|Gauthier|de Villiers|"
           "Lemaître|Barbier|Leroux|Desjardins",
           honorifics=(("M. ", "", "family", "native", "m"), ("Mme ", "", "family", "native", "f"),
                       ("Me ", "", "family", "native", "u")),
           latin=True),
    _names("sv",
           "Björn|Oskar|Henrik|Gustav|Johan|Axel|Pär|Måns",
           "Linnéa|Ebba|Ingrid|Maja|Sigrid|Elin|Märta|Tove",
           "Bergström|Sjöberg|Nyström|Holmgren|Wallin|Lundgren|Åkesson|Forsberg|Engström|Söderlund|Hedlund|"
           "Ekström|Blomqvist|Öberg|Dahlberg|Nordin",
           latin=True),
    _names("en",
           "Gareth|Declan|Marcus|Trevor|Colin|Darnell|Wyatt|Rhys",
           "Bethany|Kayleigh|Rhiannon|Shauna|Megan|Tamsin|Brooke|Imogen",
           "O'Sullivan|Whitfield|Pemberton|Ashworth|McAllister|Hargreaves|Fitzgerald|Thornton|Brennan|Caldwell|"
           "Dunmore|Kingsley|Lockhart|Prescott|Fairbanks|Abernathy",
           latin=True),
    _names("yo",
           "Adébáyọ̀|Olúwaṣeun|Babátúndé|Ọlálékan|Ayọ̀délé|Kẹ́hìndé|Olúmídé|Oyèbámijí",
           "Fúnmiláyọ̀|Tèmítọ́pẹ́|Adéọlá|Títílọlá|Bọ́lánlé|Yéwándé|Mọ́rẹ́nikẹ́|Ìfẹ́olúwa",
           "Ògúndélé|Adéyẹmí|Ọlátúnjí|Àjàyí|Akínwùmí|Oyèwọlé|Adébísí|Fáṣọlá|Bámidélé|Àlàbí|Ọdúnsí|Akínyẹlé",
           honorifics=(("Chief ", "", "full", "roman", "u"), ("Alhaji ", "", "full", "roman", "m"),
                       ("Alhaja ", "", "full", "roman", "f")),
           latin=True),
    _names("sw",
           "Juma|Baraka|Amani|Faraji|Bakari|Jabari|Hamisi|Rashidi",
           "Neema|Zawadi|Rehema|Halima|Subira|Imani|Mwanaisha|Tumaini",
           "Mwakalinga|Njoroge|Omondi|Kamau|Mbwana|Kiprotich|Wanjiku|Mutua|Chepkoech|Msuya|Kombo|Otieno|Achieng|"
           "Lyimo",
           honorifics=(("Bw. ", "", "family", "native", "m"), ("Bi. ", "", "family", "native", "f"),
                       ("Mzee ", "", "family", "native", "m")),
           latin=True),
)}
