"""Hand-written per-locale names for the PII dev set (NOT used by any detector).

Each locale lists (given, family) pairs in its own script and romanised, and
the name order used in running text. The lists were written by hand for this
benchmark: they are not taken from ``names-dataset`` (which the detector
uses), Faker or any other generator, so the evaluation is not circular.
``order="family"`` means family name first (Chinese, Japanese, Korean,
Vietnamese, Hungarian).

Shape: ``LOCALES[code] = {"script": str, "order": "given"|"family", "sep": str,
"native": [(given, family), ...], "roman": [(given, family), ...],
"middle": [initial letters]}``; native and roman lists are index-aligned
where both exist.
"""
from __future__ import annotations

LOCALES: dict[str, dict] = {
    "es": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "MJCR",
        "native": [("Lucía", "Ferreira"), ("Álvaro", "Núñez"), ("Begoña", "Ibarra"), ("Iñigo", "Zubizarreta"),
                   ("Mónica", "Valdés"), ("Ramón", "Quintero"), ("Ximena", "Carrasco"), ("Joaquín", "Peñalosa")],
    },
    "pt": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "ACS",
        "native": [("João", "Conceição"), ("Conceição", "Magalhães"), ("Thiago", "Assunção"), ("Luana", "Brandão"),
                   ("Gonçalo", "Falcão"), ("Iara", "Sobral"), ("Marcelo", "Loureiro"), ("Rosângela", "Teixeira")],
    },
    "sv": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "EKL",
        "native": [("Åsa", "Lindqvist"), ("Björn", "Öberg"), ("Sölve", "Åkesson"), ("Märta", "Hägglund"),
                   ("Torbjörn", "Ekström"), ("Linnéa", "Sjöholm"), ("Göran", "Nyqvist"), ("Ylva", "Bergkvist")],
    },
    "de": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "HW",
        "native": [("Jürgen", "Weißmüller"), ("Hannelore", "Kötter"), ("Lutz", "Brückner"), ("Gudrun", "Oßwald"),
                   ("Wiebke", "Schäfer"), ("Ortwin", "Leuthäuser"), ("Sönke", "Petersen"), ("Anneliese", "Größl")],
    },
    "pl": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "JT",
        "native": [("Małgorzata", "Wójcik"), ("Grzegorz", "Żuławski"), ("Jadwiga", "Szczęsna"), ("Władysław", "Kłos"),
                   ("Bożena", "Ślęzak"), ("Zbigniew", "Chrząszcz"), ("Agnieszka", "Dąbrowska"), ("Łukasz", "Pietrzak")],
    },
    "tr": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "",
        "native": [("Gülşen", "Yıldırım"), ("Oğuzhan", "Çelik"), ("Şebnem", "Karaağaç"), ("İlker", "Öztürk"),
                   ("Ayşegül", "Kılıç"), ("Mübeccel", "Doğan"), ("Ümit", "Erdoğdu"), ("Çağla", "Sarıgül")],
    },
    "yo": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "O",
        "native": [("Adebayo", "Ogunleye"), ("Folasade", "Adeyemi"), ("Oluwaseun", "Bankole"), ("Yetunde", "Okonjo"),
                   ("Chukwuemeka", "Nwosu"), ("Ngozi", "Eze"), ("Babatunde", "Fashola"), ("Ifeoma", "Okafor")],
    },
    "vi": {
        "script": "Latin", "order": "family", "sep": " ", "middle": "",
        "native": [("Văn Minh", "Trần"), ("Thị Lan", "Nguyễn"), ("Đức Anh", "Phạm"), ("Thu Hằng", "Lê"),
                   ("Quốc Bảo", "Vũ"), ("Ngọc Ánh", "Đặng"), ("Hữu Phước", "Huỳnh"), ("Minh Thư", "Bùi")],
        "roman": [("Van Minh", "Tran"), ("Thi Lan", "Nguyen"), ("Duc Anh", "Pham"), ("Thu Hang", "Le"),
                  ("Quoc Bao", "Vu"), ("Ngoc Anh", "Dang"), ("Huu Phuoc", "Huynh"), ("Minh Thu", "Bui")],
    },
    "zh": {
        "script": "Han", "order": "family", "sep": "", "middle": "",
        "native": [("秀英", "王"), ("建国", "李"), ("丽娟", "张"), ("志强", "刘"),
                   ("海燕", "陈"), ("晓明", "杨"), ("文静", "黄"), ("国华", "赵")],
        "roman": [("Xiuying", "Wang"), ("Jianguo", "Li"), ("Lijuan", "Zhang"), ("Zhiqiang", "Liu"),
                  ("Haiyan", "Chen"), ("Xiaoming", "Yang"), ("Wenjing", "Huang"), ("Guohua", "Zhao")],
    },
    "ja": {
        "script": "Han", "order": "family", "sep": " ", "middle": "",
        "native": [("太郎", "山田"), ("花子", "佐藤"), ("健一", "高橋"), ("さくら", "渡辺"),
                   ("ゆうき", "伊藤"), ("直樹", "中村"), ("美咲", "小林"), ("ケンジ", "加藤")],
        "roman": [("Taro", "Yamada"), ("Hanako", "Sato"), ("Ken'ichi", "Takahashi"), ("Sakura", "Watanabe"),
                  ("Yuki", "Ito"), ("Naoki", "Nakamura"), ("Misaki", "Kobayashi"), ("Kenji", "Kato")],
    },
    "ko": {
        "script": "Hangul", "order": "family", "sep": "", "middle": "",
        "native": [("민준", "김"), ("서연", "이"), ("지훈", "박"), ("하은", "최"),
                   ("도윤", "정"), ("수빈", "강"), ("예준", "조"), ("지민", "윤")],
        "roman": [("Min-jun", "Kim"), ("Seo-yeon", "Lee"), ("Ji-hoon", "Park"), ("Ha-eun", "Choi"),
                  ("Do-yun", "Jung"), ("Su-bin", "Kang"), ("Ye-jun", "Cho"), ("Ji-min", "Yoon")],
    },
    "ar": {
        "script": "Arabic", "order": "given", "sep": " ", "middle": "",
        "native": [("خالد", "الحربي"), ("فاطمة", "الزهراني"), ("يوسف", "المنصوري"), ("ليلى", "حداد"),
                   ("عمر", "الشمري"), ("مريم", "القحطاني"), ("طارق", "النعيمي"), ("سلمى", "العتيبي")],
        "roman": [("Khalid", "Al-Harbi"), ("Fatima", "Al-Zahrani"), ("Youssef", "Al-Mansouri"), ("Layla", "Haddad"),
                  ("Omar", "Al-Shammari"), ("Maryam", "Al-Qahtani"), ("Tariq", "Al-Nuaimi"), ("Salma", "Al-Otaibi")],
    },
    "he": {
        "script": "Hebrew", "order": "given", "sep": " ", "middle": "",
        "native": [("יוסי", "כהן"), ("מיכל", "לוי"), ("אבי", "מזרחי"), ("נועה", "פרץ"),
                   ("איתן", "ביטון"), ("שירה", "אברהם"), ("דניאל", "פרידמן"), ("רותם", "שפירא")],
        "roman": [("Yossi", "Cohen"), ("Michal", "Levi"), ("Avi", "Mizrahi"), ("Noa", "Peretz"),
                  ("Eitan", "Biton"), ("Shira", "Avraham"), ("Daniel", "Friedman"), ("Rotem", "Shapira")],
    },
    "hi": {
        "script": "Devanagari", "order": "given", "sep": " ", "middle": "KP",
        "native": [("राहुल", "शर्मा"), ("प्रिया", "वर्मा"), ("अमित", "गुप्ता"), ("सुनीता", "यादव"),
                   ("विकास", "मिश्रा"), ("अनीता", "चौहान"), ("संजय", "त्रिपाठी"), ("कविता", "पांडे")],
        "roman": [("Rahul", "Sharma"), ("Priya", "Verma"), ("Amit", "Gupta"), ("Sunita", "Yadav"),
                  ("Vikas", "Mishra"), ("Anita", "Chauhan"), ("Sanjay", "Tripathi"), ("Kavita", "Pandey")],
    },
    "ru": {
        "script": "Cyrillic", "order": "given", "sep": " ", "middle": "AV",
        "native": [("Иван", "Петров"), ("Ольга", "Смирнова"), ("Дмитрий", "Кузнецов"), ("Наталья", "Соколова"),
                   ("Сергей", "Волков"), ("Екатерина", "Морозова"), ("Алексей", "Лебедев"), ("Татьяна", "Новикова")],
        "roman": [("Ivan", "Petrov"), ("Olga", "Smirnova"), ("Dmitry", "Kuznetsov"), ("Natalya", "Sokolova"),
                  ("Sergei", "Volkov"), ("Ekaterina", "Morozova"), ("Alexei", "Lebedev"), ("Tatiana", "Novikova")],
    },
    "el": {
        "script": "Greek", "order": "given", "sep": " ", "middle": "",
        "native": [("Γιώργος", "Παπαδόπουλος"), ("Ελένη", "Νικολάου"), ("Κώστας", "Οικονόμου"), ("Μαρία", "Γεωργίου"),
                   ("Δημήτρης", "Καραγιάννης"), ("Σοφία", "Βασιλείου"), ("Νίκος", "Αντωνίου"), ("Αθηνά", "Μακρή")],
        "roman": [("Giorgos", "Papadopoulos"), ("Eleni", "Nikolaou"), ("Kostas", "Oikonomou"), ("Maria", "Georgiou"),
                  ("Dimitris", "Karagiannis"), ("Sofia", "Vasileiou"), ("Nikos", "Antoniou"), ("Athina", "Makri")],
    },
    "th": {
        "script": "Thai", "order": "given", "sep": " ", "middle": "",
        "native": [("สมชาย", "ใจดี"), ("สุดารัตน์", "แก้วมณี"), ("ประเสริฐ", "ศรีสุข"), ("วิไล", "บุญมา"),
                   ("ธนากร", "วงศ์ใหญ่"), ("กมลวรรณ", "สุขสวัสดิ์"), ("อนุชา", "ทองดี"), ("พิมพ์ชนก", "รัตนพันธ์")],
        "roman": [("Somchai", "Jaidee"), ("Sudarat", "Kaewmanee"), ("Prasert", "Srisuk"), ("Wilai", "Boonma"),
                  ("Thanakorn", "Wongyai"), ("Kamonwan", "Suksawat"), ("Anucha", "Thongdee"), ("Phimchanok", "Rattanaphan")],
    },
    "hu": {
        "script": "Latin", "order": "family", "sep": " ", "middle": "",
        "native": [("Zsófia", "Szőke"), ("Gyula", "Kővári"), ("Erzsébet", "Bíró"), ("Ödön", "Fehérvári"),
                   ("Réka", "Tóth"), ("Bence", "Szűcs"), ("Krisztina", "Halász"), ("Levente", "Ujvári")],
    },
    "en": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "ADJT",
        "native": [("Siobhan", "Gallagher"), ("Declan", "Fitzgerald"), ("Imogen", "Ashworth"), ("Rhys", "Llewellyn"),
                   ("Tamsin", "Whitcombe"), ("Lachlan", "McTavish"), ("Niamh", "O'Sullivan"), ("Esme", "Pemberton")],
    },
}
