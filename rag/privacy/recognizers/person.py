"""PERSON from spaCy's NER and part-of-speech tags plus the words around a capitalised run."""
from __future__ import annotations

from collections.abc import Iterator

import regex

from rag.privacy.recognizers.base import BaseRecognizer, clause_before
from rag.privacy.recognizers.cues import (
    CALENDAR_WORDS,
    CUE_AFTER,
    FUNCTION_POS,
    HONORIFIC,
    LEADING_CUES,
    LOCATIVE_BEFORE,
    NAME_WORD,
    SIGNOFF_BEFORE,
    STRONG_CUE_BEFORE,
    WEAK_CUE_BEFORE,
    NAME_PARTICLES,
    chat_speaker,
    list_cue_before,
)
from rag.privacy.recognizers.gazetteer import name_gazetteer
from rag.privacy.recognizers.given import known_given
from rag.privacy.recognizers.lexicon import artifacts_lexicon, english_word
from rag.privacy.recognizers.organisations import (
    ORG_HEADS,
    legal_form,
    legal_form_after,
    legal_form_before,
    made_by_company,
    org_head,
    place_name,
    place_word,
    product_context,
)
from rag.privacy.recognizers.things import (
    EPONYM_AFTER,
    EVENT_WORDS,
    ORG_WORDS,
    PARTICLE_ADVERBS,
    PLACE_FIRST,
    PLACE_WORDS,
    PRODUCT_TIERS,
    PROJECT_BEFORE,
    THING_FIRST,
)

def _is_particle(word: list) -> bool:
    """``van``, ``de``, ``al``... standing alone (``Al-Farsi`` is a name)."""
    return len(word) == 1 and word[0].lower_ in NAME_PARTICLES


_NOT_NAME = CALENDAR_WORDS | {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "herr", "frau", "mme",
                              "mlle", "sr", "sra"}
_NON_PERSON_NER = {"GPE", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "LAW",
                   "LANGUAGE", "EVENT", "PRODUCT", "WORK_OF_ART", "FAC"}
# spaCy's place labels. Not ORG, FAC or NORP: the small model files many foreign names there
# ("Åsa Lindqvist"/ORG, "Gonçalo Falcão"/FAC), so those labels never outweigh the gazetteer.
_PLACE_NER = {"GPE", "LOC"}


_INITIAL = regex.compile(r"\p{Lu}\.(?:-?\p{Lu}\.){0,2}")
_WORD_POS = {"PROPN", "NOUN", "ADJ", "X"}


def _is_initial(word: list) -> bool:
    """``M.`` in "Lucía M. Ferreira" (one token: spaCy keeps the dot on a capital)."""
    return len(word) == 1 and bool(_INITIAL.fullmatch(word[0].text))


def _name_evidence(names: list, full: list) -> float:
    """Score of a capitalised run from its shape and the name gazetteer alone, or 0.

    * given name (known or PROPN), middle initial(s), a known family name
      ("Lucía M. Ferreira"; not "Plan B. Next"): 0.8;
    * initial(s) then a family name the gazetteer knows ("A. Kılıç"): 0.75;
    * a known given name first and a known family name last, every word a
      noun-like token ("Åsa Lindqvist"): 0.7.
    The gazetteer (:func:`name_gazetteer`) is noisy, so both ends must match
    and function words (verbs, determiners...) never count.
    """
    if any(t.pos_ not in _WORD_POS for w in full for t in w if t.text not in ("-", "\u2010")):
        return 0.0
    given, family = name_gazetteer()
    last = "".join(t.text for t in full[-1]).casefold()
    first = "".join(t.text for t in full[0]).casefold()
    initials = [w for w in names if _is_initial(w)]
    def known(word: list, table: frozenset[str]) -> bool:
        return "".join(t.text for t in word).casefold() in table or all(t.pos_ == "PROPN" for t in word)

    if (initials and len(full) >= 2 and names.index(initials[0]) > 0 and not _is_initial(names[-1])
            and known(full[0], given) and last in family):
        # "Plan B. Next week": a sentence break, not a middle initial
        return 0.8
    if initials and _is_initial(names[0]) and len(full) == 1 and last in family:
        return 0.75
    if not initials and len(full) >= 2 and first in given and last in family:
        return 0.7
    return 0.0


def _after_noun_at(doc, i: int) -> bool:
    """``doc[i]`` follows "<noun> at": "our auditors at Morgan Stanley", "a contact at Brandt Keller" —
    where people work, not who they are ("look at" is a verb, "at Ana's desk" a possessive)."""
    return i >= 2 and doc[i - 1].lower_ == "at" and doc[i - 2].pos_ == "NOUN"


def _common_words(full: list, lexicon: frozenset[str]) -> bool:
    """A place ("Mount Pleasant", "San Jose") or a phrase that ends in a common English word the
    family-name gazetteer does not know ("Grant Approval", "Bill Payments", "Maya Insights")."""
    first = "".join(t.text for t in full[0]).casefold().rstrip(".")
    if len(full) >= 2 and first in PLACE_FIRST:
        return True
    last = "".join(t.text for t in full[-1]).casefold()
    # "O'Neill", "Al-Harbi": the gazetteer writes "oneill", "harbi"
    spellings = {last, regex.sub(r"['’\-]", "", last), regex.split(r"['’\-]", last)[-1]}
    return english_word(last, lexicon) and not spellings & name_gazetteer()[1]


def _foreign_run(full: list, spelled: list[str], lexicon: frozenset[str]) -> bool:
    """Two or more name words, none with an English reading (each part of a hyphenated word too) and none
    a place the ISO 3166 / tz lists know: "Nichakarn Pikatsingkorn", "Chernov Vladlen Yakubovich". Needs the
    pipeline's lexicon (an empty one proves nothing, so the answer is then False)."""
    if len(full) < 2 or not lexicon:
        return False
    parts = [p for w in spelled for p in regex.split(r"[-\u2010]", w) if p]
    # a run of three or more words may hold one English word that is also a name: "Canal Nerim Aksu Çetin"
    given, family = name_gazetteer()
    english = [p for p in parts if english_word(p, lexicon)]
    spare = len(full) >= 3 and len(english) == 1 and english[0] != parts[-1] and (
        english[0].casefold() in given or english[0].casefold() in family)
    return (all(len(p) >= 2 and NAME_WORD.match(p) for p in parts) and (not english or spare)
            and not any(place_word(w) for w in spelled) and not place_name(spelled))


def _partly_foreign(spelled: list[str], lexicon: frozenset[str]) -> bool:
    """Some word of the run has no English reading and names no place: "Sarasvati Rajkarnikar" (WordNet lists
    "Sarasvati"). Needs the pipeline's lexicon, as :func:`_foreign_run`."""
    return bool(lexicon) and any(NAME_WORD.match(w) and not english_word(w, lexicon) and not place_word(w)
                                 for w in spelled)


class PersonRecognizer(BaseRecognizer):
    """People's names from spaCy's NER and part-of-speech tags plus surrounding words.

    A candidate is a run of two or more capitalised name words (lower-case
    particles such as ``van``/``de`` allowed inside, a trailing ``'s`` dropped).
    Scores:

    * spaCy labels the run PERSON: 0.85;
    * every word is a proper noun (PROPN) and a cue stands before it
      ("attention", "claimant", "for", "from"...) or after it ("'s", "(",
      "from the", "reported"...): 0.7, or 0.6 when spaCy called it an
      organisation or place;
    * one capitalised word after an honorific (``Dr. Okafor``, ``Dott.ssa
      Ferrante``, ``Khun Anurak``; see :mod:`rag.privacy.recognizers.cues`): 0.8;
    * a known given name beside a proper noun with no English reading, after
      a cue in either order ("for Douloufaki Despoina"), or first when spaCy
      says no more than ORG ("Volker Brückbauer"): 0.65.

    A lone capitalised word is :mod:`rag.privacy.recognizers.given`'s to
    judge. Runs containing an organisation, street or title word ("Bank",
    "Cloud", "Road", "Chief ... Officer") are skipped, as are
    runs of three or more names ending in a building or event word ("Grace
    Hopper Hall", "Ada Lovelace Day"), and so
    (honorifics aside) are:

    * projects, products and eponyms whatever the cues: a project word
      first or before ("Project Aurora"), an eponym ("Dijkstra's algorithm"),
      a phrasal compound last ("Single Sign-On");
    * organisations, products and sites whatever the cues (see
      :mod:`rag.privacy.recognizers.organisations`): a legal form after or
      before the run ("Brandt Keller AG", "PT Sentosa Wijaya"), a sector word
      inside it ("Tanaka Seiki", "Kowalski Transport Sp."), a sector or plural head noun ending it
      ("Halvorsen Robotics", "Brennan Fixtures"), a version or a software or
      site word after it ("the Carter Hollis site", "Lorenzo Vane 4.2");
    * employers: a run after "<noun> at" ("our auditors at Morgan Stanley")
      without a possessive after it;
    * places named in ISO 3166(-2) or the tz database ("Milton Keynes"),
      unless a cue before the run says person;
    * places ("San Jose", "Lake Tahoe") and runs whose last word is a common English word
      that no family name spells ("Grant Approval"; see
      :mod:`rag.privacy.recognizers.lexicon`), unless a cue before the run, a
      possessive or a parenthesis says person (a verb after it does not:
      "Dawn Patrol starts at 05:00");
    * runs that spaCy labels a place (GPE, LOC) throughout when no cue at
      all says person: the gazetteer alone does not outweigh that ("Two
      trucks left Palo Alto"). Its ORG label does not count: the small model
      gives it to many foreign names.
    """

    ENTITY = "PERSON"

    def spans(self, text, nlp_artifacts):
        """Name runs scored by the rules above, then single surnames after an honorific (0.8) not
        already inside a run. Yields nothing without spaCy's tokens (``nlp_artifacts`` None).
        """
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return
        doc = nlp_artifacts.tokens
        lexicon = artifacts_lexicon(nlp_artifacts)
        found: list[tuple[int, int]] = []
        for run_start, run_end, words in self._runs(doc):
            start, end, score = self._score(text, doc, run_start, run_end, words, lexicon)
            if score:
                found.append((start, end))
                yield start, end, score
        # a surname on its own after an honorific: "Dr. Okafor", "Mrs. Gupta"
        for tok in doc:
            start, end = tok.idx, tok.idx + len(tok.text)
            if (self._is_name(tok) and HONORIFIC.search(text[max(0, start - 14):start])
                    and not any(s <= start < e for s, e in found)):
                yield start, end, 0.8

    @staticmethod
    def _is_name(tok) -> bool:
        return bool(NAME_WORD.match(tok.text)) and tok.lower_ not in _NOT_NAME

    @classmethod
    def _runs(cls, doc) -> Iterator[tuple[int, int, list]]:
        """Maximal runs of capitalised words separated by single spaces.

        Yields ``(start_char, end_char, words)`` where ``words`` lists each
        word's tokens (``Mary-Jane`` is one word of three tokens).
        """
        words: list[list] = []

        def flush():
            # a trailing particle or initial ends the sentence or an abbreviation: "plan B."; a capitalised one that
            # is a family name stays ("Ngoc Le", "Thi Van": Vietnamese Lê, Văn)
            while words and ((_is_particle(words[-1]) and not (words[-1][0].text[:1].isupper() and len(words) >= 2
                                                                and words[-1][0].lower_ in name_gazetteer()[1]))
                             or _is_initial(words[-1])):
                words.pop()
            if words and (sum(1 for w in words if not _is_particle(w)) + _is_particle(words[-1]) >= 2
                    and any(not _is_initial(w) and not _is_particle(w) for w in words)):
                first, last = words[0][0], words[-1][-1]
                yield first.idx, last.idx + len(last.text), words

        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            word = [tok]
            # hyphenated name: Mary-Jane, Müller-Lüdenscheidt
            while (cls._is_name(word[-1]) and not word[-1].whitespace_ and i + 2 < n
                   and doc[i + 1].text in ("-", "\u2010") and not doc[i + 1].whitespace_
                   and cls._is_name(doc[i + 2])):
                word += [doc[i + 1], doc[i + 2]]
                i += 2
            i += 1
            is_name = cls._is_name(tok) or _is_initial(word)
            if words and words[-1][-1].whitespace_ == " " and (is_name or tok.lower_ in NAME_PARTICLES):
                words.append(word)
                continue
            yield from flush()
            words = [word] if is_name else []
        yield from flush()

    @staticmethod
    def _score(text: str, doc, start: int, end: int, words: list,
               lexicon: frozenset[str] = frozenset()) -> tuple[int, int, float]:
        # Sentence-initial verbs and cue words are capitalised too: "Will Mark
        # review...", "Ask Lukas van der Berg", "Contact Ana Sousa".
        # A word that is not English is no English verb or determiner, whatever
        # spaCy's tagger says ("to Thanakorn Wongyai": Thanakorn/VERB).
        def function_word(word: list) -> bool:
            return word[0].pos_ in FUNCTION_POS and (not lexicon or english_word(word[0].text, lexicon))

        leading_cue = False
        while words and not _is_initial(words[0]) and (
                function_word(words[0]) or words[0][0].lower_ in LEADING_CUES or _is_particle(words[0])):
            leading_cue |= words[0][0].lower_ in LEADING_CUES
            words = words[1:]
        while words and (function_word(words[-1][-1:]) or (_is_particle(words[-1]) and (
                words[-1][0].text.islower() or words[-1][0].lower_ not in name_gazetteer()[1]))):
            words = words[:-1]
        # a capitalised particle ending the run is its family name: "Ngoc Le"
        names = [w for k, w in enumerate(words) if not _is_particle(w)
                 or (k == len(words) - 1 and k > 0 and w[0].text[:1].isupper())]
        full = [w for w in names if not _is_initial(w)]
        if len(names) < 2 or not full:
            return start, end, 0.0
        start, end = words[0][0].idx, words[-1][-1].idx + len(words[-1][-1].text)
        lowered = [t.lower_.rstrip(".") for w in names for t in w]
        if (any(x in ORG_WORDS for x in lowered) or (len(names) >= 3 and lowered[-1] in PLACE_WORDS | EVENT_WORDS)
                or (len(names) == 2 and lowered[-1] in PRODUCT_TIERS)):
            return start, end, 0.0
        before = clause_before(text, start, 40)
        honorific = bool(HONORIFIC.search(before))
        # a project, product or eponym ("Project Aurora", "Use Dijkstra's algorithm") or a phrasal compound
        # ("Single Sign-On", "Opt-Out") is no person
        # "host Yi Lei" in a visitor log is a person: a host's machine has one name, not a given and a family name
        project = PROJECT_BEFORE.search(before)
        if project and regex.match(r"host\b", project.group(), regex.I) and (
                all(t.ent_type_ == "PERSON" for w in full for t in w) or _name_evidence(names, full)):
            project = None
        if not honorific and (lowered[0] in THING_FIRST or project
                              or EPONYM_AFTER.match(text[end:end + 40])
                              or (len(names[-1]) >= 3 and names[-1][-1].lower_ in PARTICLE_ADVERBS
                                  and names[-1][-2].text in ("-", "\u2010"))):
            return start, end, 0.0
        spelled = ["".join(t.text for t in w) for w in full]
        # an organisation, product or site whatever the cues: "Müller AG", "Johnson Controls", "the Hugo plugin"
        if not honorific and (legal_form_after(text, end) or legal_form_before(text, start)
                              or any(legal_form(w) for w in spelled[1:])
                              or any(w.casefold() in ORG_HEADS for w in spelled[1:-1])
                              or org_head(spelled[-1], lexicon, name_gazetteer()[1]) or product_context(text, end)
                              or made_by_company(text, end)):
            return start, end, 0.0
        after = CUE_AFTER.match(text[end:end + 30])
        if not honorific and _after_noun_at(doc, words[0][0].i) and not (after and not after["verb"]):
            return start, end, 0.0
        cue_before = leading_cue or bool(STRONG_CUE_BEFORE.search(before)
                                         or list_cue_before(text, start)
                                         or SIGNOFF_BEFORE.search(text[max(0, start - 30):start])
                                         or chat_speaker(text, start, end))
        strong = cue_before or bool(after)
        if not (cue_before or honorific) and place_name(spelled):  # "Relocation to Milton Keynes"
            return start, end, 0.0
        # a person cue before the run, a possessive or a parenthesis outweighs the lexicon ("For Carsten
        # Killer's booking"); a verb after it does not ("Dawn Patrol starts at 05:00")
        weak = bool(WEAK_CUE_BEFORE.search(before))
        # so does spaCy's PERSON label on every word of a run that starts with a known given name, in a list or
        # after a weak cue ("Kudos to Dawud Yahyaa, Luka Prokhorov, and ...": WordNet lists "prokhorov")
        labelled = (all(t.ent_type_ == "PERSON" for w in full for t in w) and known_given(spelled[0])
                    and spelled[0].casefold() not in PLACE_FIRST and (weak or before.rstrip().endswith(",")))
        if (not (cue_before or (after and not after["verb"]) or labelled) and not honorific
                and _common_words(full, lexicon)):
            return start, end, 0.0
        # spaCy calls the whole run a place and nothing says person: the gazetteer alone
        # ("Palo", "Alto" are both listed) outweighs that only when the words before are no
        # way of naming a place ("Salary band review: Imani Omondi"; not "left Palo Alto")
        foreign = _foreign_run(full, spelled, lexicon) and not LOCATIVE_BEFORE.search(before)
        if (not (strong or weak or honorific) and all(t.ent_type_ in _PLACE_NER for w in full for t in w)
                and (LOCATIVE_BEFORE.search(before) or not (_name_evidence(names, full) or foreign))):
            return start, end, 0.0
        if any(t.ent_type_ == "PERSON" for w in names for t in w):
            # keep the PERSON-labelled core: "Jane Doe Consulting" -> "Jane Doe"
            core = [w for w in words if all(t.ent_type_ == "PERSON" for t in w) or _is_particle(w)]
            # "Plan B. Next week": after an initial, an adjective is a new sentence, not a surname
            ends_after_initial = any(_is_initial(w) for w in core) and core[-1][-1].pos_ not in _WORD_POS - {"ADJ"}
            if sum(1 for w in core if not _is_particle(w)) >= 2 and not ends_after_initial and core == words[
                    words.index(core[0]):words.index(core[0]) + len(core)]:
                last = core[-1][-1]
                return core[0][0].idx, last.idx + len(last.text), 0.85
        if honorific:
            return start, end, 0.85
        evidence = _name_evidence(names, full)
        if evidence:
            return start, end, evidence
        if (len(full) == 1 and _is_initial(names[0]) and all(t.pos_ == "PROPN" for t in full[0])
                and not english_word(spelled[0], lexicon) and not place_word(spelled[0])):
            # initials and one word with no English reading, whatever the gazetteer knows: "C.R. Szulist"
            return start, end, 0.7
        pos = [t.pos_ for w in full for t in w if t.text not in ("-", "\u2010")]
        labels = {t.ent_type_ for w in names for t in w} - {""}
        if ((strong or weak) and len(full) >= 2 and labels <= {"NORP", "PERSON"}
                and not any(english_word("".join(t.text for t in w), lexicon) for w in full)):
            # no word of it is English ("to Thanakorn Wongyai": spaCy tags the first a VERB)
            return start, end, 0.7
        if (len(full) == 2 and all(t.pos_ == "PROPN" for w in full for t in w)
                and not any(english_word(w, lexicon) and not known_given(w) for w in spelled)
                and (((strong or weak) and any(known_given(w) for w in spelled))
                     or (known_given(spelled[0]) and not labels - {"PERSON", "NORP", "ORG"}))):
            # a known given name beside a word with no English reading: in either order after a cue ("for
            # Douloufaki Despoina": spaCy's place label on the family name does not outweigh that), or first
            # when spaCy says no more than ORG, which its small model gives many foreign names ("Per IT, Volker
            # Brückbauer moves to Cork")
            return start, end, 0.65
        # spaCy's small model tags many non-English names NOUN or ADJ; a strong cue makes up for it
        if not (all(p == "PROPN" for p in pos) or (strong and all(p in _WORD_POS for p in pos))):
            return start, end, 0.0
        # no cue, but no word of it has an English reading or names a place: in English business text such a
        # run names a person far more often than anything else ("remove Nichakarn Pikatsingkorn", "thanked
        # Chernov Vladlen Yakubovich"), whatever spaCy's label; fail closed
        # (the small model's PRODUCT, FAC and WORK_OF_ART labels included: "Incident 88: Lars Blehr restarted...")
        floor = 0.55 if foreign and not labels - {"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "PRODUCT",
                                                  "WORK_OF_ART"} else 0.0
        if labels & _NON_PERSON_NER:
            # a weak cue outweighs spaCy's place label when a word of the run has no English reading: "Emergency
            # contact for Sarasvati Rajkarnikar"; not "Flights to Santa Cruz" (a locative) or "for Q3 2026"
            placed = labels <= {"GPE", "LOC", "PERSON", "NORP", "ORG"} and not LOCATIVE_BEFORE.search(before)
            return start, end, 0.6 if strong or (weak and placed and _partly_foreign(spelled, lexicon)) else floor
        if labels:  # ORG, NORP, LOC: spaCy's small model often files names there
            return start, end, 0.6 if strong or weak else floor
        return start, end, 0.7 if strong or weak else floor
