"""English common words, from the lemmatizer tables of the spaCy pipeline already loaded.

``en_core_web_*`` pipelines ship the WordNet-derived ``lemma_index`` table
(about 90,000 nouns, verbs, adjectives and adverbs) with their rule-based
lemmatizer. :func:`english_word` uses it to tell a capitalised common word
("Approval", "Payments", "Pleasant") from a family name: the person
recognizer does not accept a run whose last word is a common English word
unless the family-name gazetteer knows that word too ("Baker", "Young",
"Park" stay names). A pipeline without those tables gives an empty lexicon,
which vetoes nothing (fail safe: more is masked, never less).
"""
from __future__ import annotations

import threading
import weakref

_lock = threading.Lock()
_by_pipeline: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def pipeline_lexicon(nlp) -> frozenset[str]:
    """Lower-case English words of the spaCy ``nlp``'s ``lemma_index`` table (empty if it has none); cached."""
    words = _by_pipeline.get(nlp)
    if words is None:
        with _lock:
            words = _by_pipeline.get(nlp)
            if words is None:
                found: set[str] = set()
                if "lemmatizer" in nlp.pipe_names:
                    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
                    if lookups is not None and lookups.has_table("lemma_index"):
                        table = lookups.get_table("lemma_index")
                        for pos in table:
                            found.update(w for w in table[pos] if "_" not in w)
                words = frozenset(found)
                _by_pipeline[nlp] = words
    return words


def english_word(word: str, lexicon: frozenset[str]) -> bool:
    """``word`` (any case) or its singular is in ``lexicon``: ``Payments`` -> ``payment``, ``Policies`` -> ``policy``."""
    w = word.casefold()
    return (w in lexicon or (w.endswith("ies") and w[:-3] + "y" in lexicon)
            or (w.endswith("es") and w[:-2] in lexicon) or (w.endswith("s") and w[:-1] in lexicon))


def artifacts_lexicon(nlp_artifacts) -> frozenset[str]:
    """The lexicon (:func:`pipeline_lexicon`) of the spaCy pipeline that made Presidio's ``nlp_artifacts``;
    empty when that pipeline cannot be reached (then no word counts as English: more is masked, never less)."""
    engine = getattr(nlp_artifacts, "nlp_engine", None)
    nlp = getattr(engine, "nlp", {}).get(getattr(nlp_artifacts, "language", "en")) if engine else None
    return pipeline_lexicon(nlp) if nlp is not None else frozenset()
