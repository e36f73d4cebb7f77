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

# A third, disjoint set of hand-written names for the ``heldout2`` split (written
# before any tuning on the extended dev set; same shape as LOCALES).
HELDOUT2_LOCALES: dict[str, dict] = {
    "es": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "FGL",
        "native": [("Maite", "Echeverría"), ("Rocío", "Villalobos"), ("Ignacio", "Barrientos"), ("Nuria", "Cifuentes"),
                   ("Fermín", "Arrieta"), ("Guadalupe", "Ordóñez")],
    },
    "pt": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "BRV",
        "native": [("Leandro", "Gusmão"), ("Fernanda", "Albuquerque"), ("Sebastião", "Rebelo"), ("Lúcia", "Quaresma"),
                   ("Caetano", "Mendonça"), ("Inês", "Paixão")],
    },
    "sv": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "AMT",
        "native": [("Sigrid", "Wahlström"), ("Henrik", "Sandqvist"), ("Elsa", "Fröberg"), ("Jöns", "Nordenskiöld"),
                   ("Agneta", "Holmgren"), ("Östen", "Rydén")],
    },
    "de": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "FR",
        "native": [("Friedhelm", "Kühnert"), ("Roswitha", "Dörfler"), ("Volker", "Straßburger"), ("Heike", "Münzner"),
                   ("Dietmar", "Jäckel"), ("Ute", "Hölzl")],
    },
    "pl": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "MK",
        "native": [("Krystyna", "Grabowska"), ("Mieczysław", "Wróbel"), ("Halina", "Pawłowska"),
                   ("Jarosław", "Kościelniak"), ("Teresa", "Błaszczyk"), ("Ryszard", "Jędrzejczak")],
    },
    "tr": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "",
        "native": [("Hülya", "Aksoy"), ("Barış", "Korkmaz"), ("Nurcan", "Şahin"), ("Tuğrul", "Akgündüz"),
                   ("Özlem", "Güneş"), ("Serkan", "Bıyıklı")],
    },
    "yo": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "AT",
        "native": [("Temitope", "Adewale"), ("Olumide", "Ajayi"), ("Funmilayo", "Olatunji"), ("Kehinde", "Ogundipe"),
                   ("Adaeze", "Chukwu"), ("Obinna", "Uzor")],
    },
    "vi": {
        "script": "Latin", "order": "family", "sep": " ", "middle": "",
        "native": [("Thanh Tùng", "Hoàng"), ("Mai Phương", "Đỗ"), ("Gia Huy", "Ngô"), ("Khánh Linh", "Dương"),
                   ("Bảo Ngọc", "Lý"), ("Tuấn Kiệt", "Võ")],
        "roman": [("Thanh Tung", "Hoang"), ("Mai Phuong", "Do"), ("Gia Huy", "Ngo"), ("Khanh Linh", "Duong"),
                  ("Bao Ngoc", "Ly"), ("Tuan Kiet", "Vo")],
    },
    "zh": {
        "script": "Han", "order": "family", "sep": "", "middle": "",
        "native": [("建平", "孙"), ("雪梅", "周"), ("伟", "吴"), ("春燕", "徐"), ("德华", "郭"), ("婷婷", "何")],
        "roman": [("Jianping", "Sun"), ("Xuemei", "Zhou"), ("Wei", "Wu"), ("Chunyan", "Xu"), ("Dehua", "Guo"),
                  ("Tingting", "He")],
    },
    "ja": {
        "script": "Han", "order": "family", "sep": " ", "middle": "",
        "native": [("大輔", "松本"), ("恵子", "井上"), ("翔太", "木村"), ("あかり", "林"), ("誠", "清水"), ("ユミ", "森")],
        "roman": [("Daisuke", "Matsumoto"), ("Keiko", "Inoue"), ("Shota", "Kimura"), ("Akari", "Hayashi"),
                  ("Makoto", "Shimizu"), ("Yumi", "Mori")],
    },
    "ko": {
        "script": "Hangul", "order": "family", "sep": "", "middle": "",
        "native": [("서준", "한"), ("유진", "신"), ("현우", "오"), ("채원", "서"), ("준호", "권"), ("다은", "황")],
        "roman": [("Seo-jun", "Han"), ("Yu-jin", "Shin"), ("Hyun-woo", "Oh"), ("Chae-won", "Seo"), ("Jun-ho", "Kwon"),
                  ("Da-eun", "Hwang")],
    },
    "ar": {
        "script": "Arabic", "order": "given", "sep": " ", "middle": "",
        "native": [("حسن", "البلوشي"), ("نورة", "الدوسري"), ("إبراهيم", "الكعبي"), ("هالة", "منصور"),
                   ("سعيد", "الغامدي"), ("رنا", "الحسيني")],
        "roman": [("Hassan", "Al-Balushi"), ("Noura", "Al-Dosari"), ("Ibrahim", "Al-Kaabi"), ("Hala", "Mansour"),
                  ("Saeed", "Al-Ghamdi"), ("Rana", "Al-Husseini")],
    },
    "he": {
        "script": "Hebrew", "order": "given", "sep": " ", "middle": "",
        "native": [("אורי", "גולדברג"), ("טל", "אשכנזי"), ("עומר", "דהן"), ("הדס", "רוזן"), ("גיל", "קליין"), ("יעל", "חדד")],
        "roman": [("Uri", "Goldberg"), ("Tal", "Ashkenazi"), ("Omer", "Dahan"), ("Hadas", "Rosen"), ("Gil", "Klein"),
                  ("Yael", "Hadad")],
    },
    "hi": {
        "script": "Devanagari", "order": "given", "sep": " ", "middle": "RS",
        "native": [("अर्जुन", "सिंह"), ("मीना", "अग्रवाल"), ("रवि", "कुमार"), ("पूजा", "जैन"), ("नितिन", "देशमुख"),
                   ("स्नेहा", "कुलकर्णी")],
        "roman": [("Arjun", "Singh"), ("Meena", "Agarwal"), ("Ravi", "Kumar"), ("Pooja", "Jain"), ("Nitin", "Deshmukh"),
                  ("Sneha", "Kulkarni")],
    },
    "ru": {
        "script": "Cyrillic", "order": "given", "sep": " ", "middle": "NS",
        "native": [("Михаил", "Фёдоров"), ("Анна", "Павлова"), ("Владимир", "Зайцев"), ("Юлия", "Орлова"),
                   ("Павел", "Григорьев"), ("Ирина", "Белова")],
        "roman": [("Mikhail", "Fyodorov"), ("Anna", "Pavlova"), ("Vladimir", "Zaitsev"), ("Yulia", "Orlova"),
                  ("Pavel", "Grigoryev"), ("Irina", "Belova")],
    },
    "el": {
        "script": "Greek", "order": "given", "sep": " ", "middle": "",
        "native": [("Χρήστος", "Αλεξίου"), ("Δέσποινα", "Παππά"), ("Θανάσης", "Σταματόπουλος"), ("Κατερίνα", "Ζαχαρίου"),
                   ("Βασίλης", "Κωνσταντίνου"), ("Ευαγγελία", "Ραφαηλίδου")],
        "roman": [("Christos", "Alexiou"), ("Despoina", "Pappa"), ("Thanasis", "Stamatopoulos"),
                  ("Katerina", "Zachariou"), ("Vasilis", "Konstantinou"), ("Evangelia", "Rafailidou")],
    },
    "th": {
        "script": "Thai", "order": "given", "sep": " ", "middle": "",
        "native": [("สุรชัย", "ประเสริฐสุข"), ("นภา", "จันทร์เพ็ญ"), ("วีระ", "สุวรรณรัตน์"), ("อรุณี", "มั่นคง"),
                   ("ชัยวัฒน์", "ศักดิ์ดี"), ("ปิยะนุช", "เพชรรัตน์")],
        "roman": [("Surachai", "Prasertsuk"), ("Napha", "Chanpen"), ("Weera", "Suwannarat"), ("Arunee", "Mankong"),
                  ("Chaiwat", "Sakdee"), ("Piyanuch", "Phetcharat")],
    },
    "hu": {
        "script": "Latin", "order": "family", "sep": " ", "middle": "",
        "native": [("Ágnes", "Kovács"), ("Dorottya", "Vörös"), ("Zoltán", "Horváth"), ("Ildikó", "Szabó"),
                   ("Csaba", "Pintér"), ("Enikő", "Fülöp")],
    },
    "en": {
        "script": "Latin", "order": "given", "sep": " ", "middle": "BEW",
        "native": [("Gwendolyn", "Hargreaves"), ("Ciaran", "Doherty"), ("Bethan", "Pritchard"),
                   ("Alastair", "Cruickshank"), ("Philippa", "Sotheby"), ("Fergus", "Blackwood")],
    },
}
