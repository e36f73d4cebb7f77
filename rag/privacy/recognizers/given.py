"""PERSON for a name word on its own: "Hi Amara,", "Signed off by Björn.", "Fujiwara-san:", "Rocio is out".

:class:`~rag.privacy.recognizers.person.PersonRecognizer` needs two name words
(or an honorific and a surname). Colleagues are often named by one word, most
often the given name, so this recognizer scores a capitalised word that stands
alone (no capitalised word joined to it by a space or a hyphen, see
``_joined``) when it is a known given name (``names-dataset``, see
:mod:`~rag.privacy.recognizers.gazetteer`; accents folded, so "Adéọlá" counts
as "adeola"), carries a name suffix ("-san", "-ji"), follows a family name in
capitals ("XIE Yuhang", "HAN Jun-ho") or, with no English reading, follows a
greeting or role. A hyphenated given name ("Min-Seo", "Jun-ho") is one word.
Scores (cues in :mod:`~rag.privacy.recognizers.cues`):

* a name suffix after it, or a family name in capitals before it: 0.8;
* initials written against a family name, one token ("D.Cvetković"): 0.7,
  0.8 after a cue;
* a greeting, role, list header, sign-off line, chat handle or mention
  before it ("Dear Omer", "manager, Yutong", "Attendees: Bakari, ...",
  "Regards,\\nDaniil", "<Daniil>", "@Daniil"), a chat log's timestamp
  before it and a colon after it ("[09:41] David: on it"), or a spaced
  dash before it at the end of a line ("Thanks for the fix - Khoa"): 0.8;
* spaCy's NER labels it PERSON: 0.75;
* a verb of a person, a possessive or a parenthesis after it ("Rocio is on
  leave", "Tamsin's badge", "Jana (Tier 3)"): 0.7;
* a preposition or verb that takes a person before it ("by Björn", "with
  Tomasz", "for Emre"), or, for a word with no English reading, a colon
  after it at the start of a line ("Oyelaran: restarting now"): 0.65;
* a proper noun with no English reading, no cue and no ORG label: 0.55.

A common English word ("Will", "Mark", "Iris", "Summer") needs a greeting or
role before it, a name suffix, or spaCy's PERSON label and a verb of a person
after it ("Gabriel will chair": WordNet lists "gabriel"). Never a name,
whatever the cues: a word after a determiner or a project/product word ("the
Aurora rollout", "Project Sakura", "Operation Julia"), a word the sentence
calls a thing ("Penny, our expense bot", "Ada is the support chatbot"), what software is migrated to
("migrated the jobs to Stella"), a word no gazetteer lists right after "in" ("the site in Salatiga"),
before a version or a
software or product-stage word ("Jasper 2.1", "Hugo plugin", "Kirby beta",
"Atlas 2 maintenance window") or
next to a legal form ("PT Sentosa", "Tbk"), an eponym ("Dijkstra's
algorithm"), a language's own name ("Polski"), or, unless a greeting or role
says person: a place (ISO 3166, tz cities; "Izmir"), a word spaCy labels a
product, event or date (a place label only when no cue at all says person), a
modifier of a lower-case noun ("Ingrid desk lamps", "Kafka consumer lag") or
a word before a short version ("Jupyter 1.9").
"""
from __future__ import annotations

import regex

from rag.privacy.recognizers.base import BaseRecognizer, clause_before, folded
from rag.privacy.recognizers.cues import (
    AND_I_LIST_AFTER,
    CALENDAR_WORDS,
    CUE_AFTER,
    DASH_SIGNATURE_BEFORE,
    FUNCTION_POS,
    HONORIFIC,
    HONORIFIC_SUFFIX,
    LEADING_CUES,
    LINE_END_AFTER,
    LOCATIVE_BEFORE,
    MOVED_BEFORE,
    NAME_WORD,
    NEWS_FROM_BEFORE,
    ONTO_TEAM_AFTER,
    PERSON_VERB_AFTER,
    PERSON_VERB_BEFORE,
    SIGNOFF_BEFORE,
    STRONG_CUE_BEFORE,
    WEAK_CUE_BEFORE,
    chat_speaker,
    chat_speakers,
    list_cue_before,
)
from rag.privacy.recognizers.gazetteer import name_gazetteer, popular_given_names
from rag.privacy.recognizers.lexicon import artifacts_lexicon, english_word
from rag.privacy.recognizers.organisations import (
    legal_form,
    legal_form_after,
    legal_form_before,
    made_by_company,
    place_name,
    place_word,
    product_context,
)
from rag.privacy.recognizers.things import (
    EPONYM_AFTER,
    IN_BEFORE,
    MIGRATED_TO_BEFORE,
    NUMBERED_THING_AFTER,
    PROJECT_BEFORE,
    SHORT_VERSION_AFTER,
    THING_APPOSITION,
    THING_BEFORE,
)

_NOT_NAME = CALENDAR_WORDS | {"spring", "summer", "autumn", "winter"}
_NON_PERSON_NER = {"GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "DATE", "TIME",
                   "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
_PLACE_NER = {"GPE", "LOC", "FAC"}
_GLUED_INITIAL = regex.compile(r"(?:\p{Lu}\.){1,2}(?P<name>\p{Lu}[\p{L}\p{M}'’]*\p{Ll}[\p{L}\p{M}'’]*)$")
# months and seasons that are given names too, named as such only right after a greeting ("Hi April,")
_GIVEN_CALENDAR = frozenset({"april", "may", "june", "july", "august", "summer", "autumn"})
_GREETING_BEFORE = regex.compile(
    r"(?:^|\b)(?:dear|hi|hello|hey|thanks|thank\s+you|cheers|congrats|congratulations|kudos\s+to|shout-?out\s+to|"
    r"welcome|happy\s+birthday|good\s+(?:morning|afternoon|evening))[,!]?\s+$",
    regex.I,
)
_PHONE_LABELS = frozenset({"tel", "tél", "telf", "telp", "fax", "mob", "ph", "phone", "mobile", "cell", "hp"})
_JOINERS = {"-", "\u2010", "&", "'", "’"}
_LATIN_WORD = regex.compile(r"^[\p{Script=Latin}\p{M}'’]+$", regex.V1)
_QUESTION_AUX = frozenset({"can", "could", "will", "would", "should", "did", "does", "do", "has", "is", "may", "might"})
# Languages' names for themselves in Latin script, as language menus write them (CLDR endonyms)
_ENDONYMS = frozenset("""
polski deutsch français francais español espanol português portugues italiano nederlands svenska norsk
dansk suomi türkçe turkce čeština cestina magyar română romana hrvatski slovenčina slovenščina srpski
bosanski shqip eesti latviešu lietuvių íslenska gaeilge cymraeg euskara català galego bahasa melayu
filipino tagalog kiswahili yorùbá yoruba igbo hausa isizulu afrikaans azərbaycan oʻzbek tiếng
""".split())


def known_given(word: str) -> bool:
    """``word`` is in the given-name gazetteer as written or with its accents folded."""
    given = name_gazetteer()[0]
    return word.casefold() in given or folded(word) in given


class GivenNameRecognizer(BaseRecognizer):
    """One name word standing alone, scored from the words around it (see the module docstring)."""

    ENTITY = "PERSON"

    def spans(self, text, nlp_artifacts):
        """``(start, end, score)`` for each lone name word; nothing without spaCy's tokens."""
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return
        doc = nlp_artifacts.tokens
        lexicon = artifacts_lexicon(nlp_artifacts)
        for i, tok in enumerate(doc):
            glued = _GLUED_INITIAL.match(tok.text)
            if glued and _LATIN_WORD.match(glued["name"]):
                # initials written against a family name: "D.Cvetković", "A.B.Kowalczyk" (one token)
                name = glued["name"]
                if name.casefold() in name_gazetteer()[1] or not english_word(name, lexicon):
                    before = clause_before(text, tok.idx, 60)
                    cue = (STRONG_CUE_BEFORE.search(before) or list_cue_before(text, tok.idx)
                           or SIGNOFF_BEFORE.search(text[max(0, tok.idx - 30):tok.idx]))
                    yield tok.idx, tok.idx + len(tok.text), 0.8 if cue else 0.7
                continue
            # Latin script only: a run of any other script is NonLatinScriptRecognizer's (and legal forms of its
            # own script make it a company there: "ООО Ромашка")
            if tok.lower_ in _GIVEN_CALENDAR and self._greeted(text, tok.idx, tok.idx + len(tok.text)):
                yield tok.idx, tok.idx + len(tok.text), 0.8  # "Hi April,", "Shout-out to June!"
                continue
            if not NAME_WORD.match(tok.text) or tok.lower_ in _NOT_NAME or not _LATIN_WORD.match(tok.text):
                continue
            score = self._score(text, doc, i, lexicon)
            if score:
                start, end = tok.idx, tok.idx + len(tok.text)
                if self._caps_family(doc, i):  # "HAN Jun-ho", "XIE Yuhang": the family name in capitals
                    start = doc[i - 1].idx
                elif score == 0.75 and self._inverted_family(doc, i, lexicon):  # "Steinberg, Vlado"
                    start = doc[i - 2].idx
                if (i + 2 < len(doc) and not tok.whitespace_ and doc[i + 1].text in ("-", "\u2010")
                        and not doc[i + 1].whitespace_ and doc[i + 2].text.isalpha()
                        and (doc[i + 2].text.islower() or self._hyphenated_given(doc, i, lexicon))):
                    end = doc[i + 2].idx + len(doc[i + 2].text)  # "Jun-ho", "Chae-won", "Min-Seo"
                yield start, end, score

    @staticmethod
    def _greeted(text: str, start: int, end: int) -> bool:
        """A greeting stands right before ``text[start:end]`` and no number after it ("Hi April," but not
        "Thanks, see you in April" nor "Hello April 2026 cohort")."""
        return bool(_GREETING_BEFORE.search(text[max(0, start - 30):start])
                    and not regex.match(r"\s*\d", text[end:end + 3]))

    @staticmethod
    def _hyphenated_given(doc, i: int, lexicon: frozenset[str]) -> bool:
        """``doc[i]`` starts a hyphenated given name of two capitalised parts, both known given names or one
        known and neither an English word: "Min-Seo", "Wen-Hsiang", "Hye-Jin" (not "Rolls-Royce",
        "Mercedes-Benz": "rolls" and "benz" are English words in WordNet's sense)."""
        if not (i + 2 < len(doc) and not doc[i].whitespace_ and doc[i + 1].text in ("-", "\u2010")
                and not doc[i + 1].whitespace_ and NAME_WORD.match(doc[i + 2].text)):
            return False
        parts = (doc[i].text, doc[i + 2].text)
        known = [known_given(p) for p in parts]
        return all(known) or (any(known) and not any(english_word(p, lexicon) for p in parts))

    @staticmethod
    def _inverted_family(doc, i: int, lexicon: frozenset[str]) -> bool:
        """``doc[i]`` is a known given name after "<family name>, " as directories and CSV exports write it
        ("Steinberg, Vlado"): a proper noun that is a known family name or has no English reading, and is no
        place and no given name (so "Ana, Bruno and Carla" stays a list)."""
        if i < 2 or doc[i - 1].text != "," or not known_given(doc[i].text):
            return False
        family = doc[i - 2]
        surname = family.text.casefold() in name_gazetteer()[1] or not english_word(family.text, lexicon)
        return (bool(NAME_WORD.match(family.text)) and family.pos_ == "PROPN" and not known_given(family.text)
                and surname and not place_word(family.text) and not place_word(folded(family.text)))

    @staticmethod
    def _chat_log_speaker(text: str, word: str) -> bool:
        """``word`` speaks a line of a chat log: it is a known given name, or the log has two or more speaker
        lines and one of them starts with a known given name ("[14:02] Michael: ...\\n[14:03] Oyelaran: ack");
        not an agenda ("09:30 Standup: room 4\\n10:15 Retro: room 2")."""
        if known_given(word):
            return True
        speakers = chat_speakers(text)
        return len(speakers) >= 2 and any(known_given(s.split()[0]) for s in speakers if s.split())

    @staticmethod
    def _caps_family(doc, i: int) -> bool:
        """The word before ``doc[i]`` is a family name written in capitals, as East Asian names often are."""
        if i == 0:
            return False
        prev = doc[i - 1]
        return (bool(prev.whitespace_) and prev.text.isalpha() and prev.text.isupper() and 2 <= len(prev.text) <= 12
                and prev.text.casefold() in name_gazetteer()[1])

    @staticmethod
    def _joined(doc, i: int, lexicon: frozenset[str]) -> bool:
        """``doc[i]`` is part of a capitalised phrase or a hyphenated word: "Grant Approval", "Rolls-Royce",
        "Wells Fargo", "Mark Complete", "Marks & Spencer". A greeting, cue or function word before it does
        not count ("Ask Jana", "Hi Omer"), nor an acronym ("FYI George"), an honorific ("Ms. Yılmaz":
        PersonRecognizer's) or a number ("#58251-Tamsin").
        """
        tok = doc[i]
        if i > 0:
            prev = doc[i - 1]
            if (prev.whitespace_ and prev.text[:1].isupper() and prev.lower_ not in LEADING_CUES
                    and prev.pos_ not in FUNCTION_POS and prev.lower_ not in _NOT_NAME  # "April Owen"
                    and not (prev.text.isupper() and len(prev.text) <= 4)):  # "FYI George", "HR: Anna"
                return True
            if not prev.whitespace_ and prev.text in _JOINERS and i > 1 and doc[i - 2].text[-1:].isalpha():
                return True
            if prev.text in ("&", "+") and i > 1 and doc[i - 2].text[:1].isupper():  # "Marks & Spencer"
                return True
        if i + 1 < len(doc):
            nxt = doc[i + 1]
            if tok.whitespace_ and nxt.text[:1].isupper():
                return True
            if nxt.text in ("&", "+") and i + 2 < len(doc) and doc[i + 2].text[:1].isupper():
                return True
            if (not tok.whitespace_ and nxt.text in _JOINERS and not nxt.whitespace_ and i + 2 < len(doc)
                    and doc[i + 2].text[:1].isupper() and not GivenNameRecognizer._hyphenated_given(doc, i, lexicon)):
                return True
        return False

    @staticmethod
    def _place(doc, i: int, before: str) -> bool:
        """``doc[i]``, alone or with the next one or two words, names a place: "Izmir", "Côte d'Ivoire",
        "Senegal". A region or city that is also a popular given name ("Paul", "Victoria", "Regina") is a
        place only after a word that puts a place after it ("in Victoria", "left Regina")."""
        word = doc[i].text
        kind = place_word(word) or place_word(folded(word))
        if kind == "country" or (kind == "place" and (folded(word) not in popular_given_names()
                                                       or LOCATIVE_BEFORE.search(before))):
            return True
        words = [t.text for t in doc[i:i + 3]]
        return any(place_name(words[:n]) or place_name([folded(w) for w in words[:n]]) for n in (2, 3))

    def _score(self, text: str, doc, i: int, lexicon: frozenset[str]) -> float:
        tok = doc[i]
        start, end = tok.idx, tok.idx + len(tok.text)
        # a run of two or more capitalised words is PersonRecognizer's to judge
        caps_family = self._caps_family(doc, i)
        if not caps_family and self._joined(doc, i, lexicon):
            return 0.0
        before = clause_before(text, start, 60)
        hyphenated = self._hyphenated_given(doc, i, lexicon)
        if hyphenated:  # read what follows "Min-Seo", not "-Seo"
            end = doc[i + 2].idx + len(doc[i + 2].text)
        after = text[end:end + 40]
        suffix = bool(HONORIFIC_SUFFIX.match(after))
        if HONORIFIC.search(before) or folded(tok.text) in _ENDONYMS or legal_form(tok.text):
            return 0.0  # after an honorific, PersonRecognizer scores the surname
        # "Min-Seo" is no English word, whatever "min" is
        english = english_word(tok.text, lexicon) and not hyphenated
        # cues before a family name in capitals count for the given name after it: "Best,\\nHOU Qiang"
        cue_start = doc[i - 1].idx if caps_family else start
        cue_before = before if cue_start == start else clause_before(text, cue_start, 60)
        greeting = bool(STRONG_CUE_BEFORE.search(cue_before) or list_cue_before(text, cue_start)
                        or SIGNOFF_BEFORE.search(text[max(0, cue_start - 30):cue_start])
                        or (DASH_SIGNATURE_BEFORE.search(text[max(0, start - 40):start])
                            and LINE_END_AFTER.match(after))
                        or (i > 0 and doc[i - 1].lower_ in LEADING_CUES)
                        or (chat_speaker(text, cue_start, end) and self._chat_log_speaker(text, tok.text)))
        # a verb said of people around it: "sync with Logan", "Rocio is on leave"; and "Can Sunna join...?",
        # an auxiliary before and a verb after (not for an English word: "Will Mark review it?" reads both ways)
        person_verb = bool(PERSON_VERB_BEFORE.search(before) or PERSON_VERB_AFTER.match(after)
                           or (AND_I_LIST_AFTER.match(after) and known_given(tok.text))
                           or (MOVED_BEFORE.search(before) and ONTO_TEAM_AFTER.match(after))
                           # a known given name, or a word with a letter beyond ASCII, as few product names have
                           or (NEWS_FROM_BEFORE.search(before) and (known_given(tok.text) or not tok.text.isascii())))
        question = (not english and i > 0 and doc[i - 1].lower_ in _QUESTION_AUX and i + 1 < len(doc)
                    and doc[i + 1].pos_ == "VERB")
        # a word the gazetteer does not know counts only with no English reading, after a greeting or role
        # ("manager, Somchai,", "Dear Weeraphong") or, when spaCy takes it for a proper noun, with a verb said
        # of people around it ("Kodchaporn will cover", "Escalated to Pitipat", "approved by Chausiki")
        # (spaCy's small model tags many unknown names VERB or ADJ and labels them PRODUCT: "Suvakit (HR) will
        # send", "feedback for Hawehindi")
        unknown_ok = not english and tok.pos_ in ("PROPN", "NOUN", "VERB", "ADJ") and (
            greeting or caps_family
            or (tok.ent_type_ in ("", "PERSON", "NORP", "ORG", "GPE", "PRODUCT", "FAC", "WORK_OF_ART")
                and (person_verb or question))
            # spaCy's PERSON label and a possessive: "in Wiremu's queue"
            or (tok.ent_type_ == "PERSON" and regex.match(r"['’]s\b", after)))
        # a greeting and spaCy's PERSON label outweigh an English reading the lexicon gives by a plural rule
        # ("Shout-out to Prames": "prame" + s)
        greeted = greeting and tok.ent_type_ == "PERSON" and tok.pos_ == "PROPN"
        if not (suffix or known_given(tok.text) or unknown_ok or greeted):
            return 0.0
        # a word no gazetteer lists as a given name, right after "in": a place ("the site in Salatiga approved"),
        # unless a possessive follows ("in Wiremu's team")
        if (not suffix and not known_given(tok.text) and IN_BEFORE.search(before)
                and not regex.match(r"['’]s?\b", after)):
            return 0.0
        # what software is migrated to is a system: "migrated the reporting jobs to Stella"
        if MIGRATED_TO_BEFORE.search(before):
            return 0.0
        # "We are", "Will Mark review it", "May I"; not a vocative spaCy calls an interjection ("Tara, can you...")
        if tok.lower_ in _PHONE_LABELS and after[:1] in (".", ":"):
            return 0.0  # a label: "Tel. 030/1234 5678", "Fax: +49 ..." (and, masked, "Tel. <PHONE_1>")
        if tok.is_stop or tok.lower_ in LEADING_CUES or (tok.pos_ in FUNCTION_POS and english
                           and not (tok.pos_ == "INTJ" and tok.ent_type_ == "PERSON" and person_verb)):
            return 0.0
        if (THING_BEFORE.search(before) or PROJECT_BEFORE.search(before) or EPONYM_AFTER.match(after)
                or THING_APPOSITION.match(after)
                or product_context(text, end) or legal_form_after(text, end) or legal_form_before(text, start)
                or made_by_company(text, end)):
            return 0.0
        if suffix or (caps_family and (not english or greeting or tok.ent_type_ == "PERSON")):
            return 0.8
        if (self._inverted_family(doc, i, lexicon) and not place_word(tok.text)
                and not LOCATIVE_BEFORE.search(clause_before(text, doc[i - 2].idx, 40))):
            return 0.75  # not "data centres in Frankfurt, Zürich and Stockholm"
        weak = bool(CUE_AFTER.match(after) or WEAK_CUE_BEFORE.search(before) or question or person_verb
                    or regex.search(r"\bwith\s+$", before, regex.I) or (chat_speaker(text, start, end, stamped=False) and not english))
        # spaCy's small model files many foreign given names as places: any cue outweighs that label, and a verb
        # said of people ("sync with Logan") any label; never a place the ISO 3166 / tz lists know
        # a country that is also a popular given name, which spaCy calls a person and a verb of a person or a
        # bracket follows, outside any locative: "Jordan (HR) will send the contract" (not "Flights to Jordan")
        named = (tok.ent_type_ == "PERSON" and folded(tok.text) in popular_given_names()
                 and (person_verb or CUE_AFTER.match(after)) and not LOCATIVE_BEFORE.search(before))
        if not greeting and ((self._place(doc, i, before) and not named) or (
                tok.ent_type_ in _NON_PERSON_NER and not person_verb and not (weak and tok.ent_type_ in _PLACE_NER))):
            return 0.0
        if greeting:
            return 0.8
        # a modifier of a noun ("Ingrid desk lamps", "Kafka consumer lag") or a short version after it
        # ("Jupyter 1.9") names a thing
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if (nxt is not None and tok.whitespace_ and nxt.text[:1].islower() and nxt.pos_ in ("NOUN", "PROPN")
                and not nxt.ent_type_) or SHORT_VERSION_AFTER.match(after) or NUMBERED_THING_AFTER.match(after):
            return 0.0
        # "Iris flagged 14 logins", "Batch 7107... failed": a common English word needs a greeting or role; or
        # spaCy's PERSON label and a verb of a person after it ("Gabriel will chair"); or, for a given name
        # popular somewhere (WordNet also lists "samuel", "rebecca", "iris"), any cue ("Escalated to Samuel",
        # "Rebecca will cover")
        if english:
            verb = CUE_AFTER.match(after)
            if tok.ent_type_ == "PERSON" and verb and verb["verb"]:
                return 0.7
            popular = folded(tok.text) in popular_given_names() and (
                tok.pos_ in ("PROPN", "NOUN", "ADJ") or (tok.pos_ == "INTJ" and tok.ent_type_ == "PERSON"))
            return 0.65 if popular and weak else 0.0
        if tok.ent_type_ == "PERSON":
            return 0.75
        if CUE_AFTER.match(after):
            return 0.7
        if weak:
            return 0.65
        # no cue at all: a proper noun spaCy does not file as an organisation ("Ferrari and Porsche")
        return 0.55 if tok.pos_ == "PROPN" and tok.ent_type_ != "ORG" else 0.0
