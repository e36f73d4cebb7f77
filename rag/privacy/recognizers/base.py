"""The base of our recognizers: one entity type, final scores, context helpers."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_SENTENCE_END = regex.compile(r"[.!?;\n](?:\s|$)")


def folded(word: str) -> str:
    """``word`` casefolded with combining marks removed: "Adéọlá" -> "adeola", "İzmir" -> "izmir"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clause_before(text: str, start: int, width: int) -> str:
    """Up to ``width`` characters before ``start``, cut at the last sentence end."""
    left = text[max(0, start - width):start]
    ends = list(_SENTENCE_END.finditer(left))
    return left[ends[-1].end():] if ends else left


def recognizer_result(entity: str, start: int, end: int, score: float, recognizer: str) -> RecognizerResult:
    """A Presidio result for ``text[start:end]`` with ``score`` rounded to 3 places and marked final
    (Presidio's context enhancer leaves it alone); ``recognizer`` is the name shown in explanations.
    """
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=round(score, 3),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer,
            # Scores are final: keep Presidio's lemma context enhancer off them.
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
        },
    )


class BaseRecognizer(EntityRecognizer):
    """Base: one entity type, English, no model to load."""

    ENTITY = ""

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], supported_language="en", name=type(self).__name__)

    def load(self) -> None:  # nothing to load
        """Nothing to load: our recognizers are regular expressions and word lists built at import."""
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Presidio's entry point: ``[]`` unless ``entities`` is empty or includes :attr:`ENTITY`; else
        one RecognizerResult per span of :meth:`spans` scoring above 0.
        """
        if entities and self.ENTITY not in entities:
            return []
        return [
            recognizer_result(self.ENTITY, s, e, score, self.name)
            for s, e, score in self.spans(text, nlp_artifacts)
            if score > 0
        ]

    def spans(self, text: str, nlp_artifacts: NlpArtifacts | None) -> Iterable[tuple[int, int, float]]:
        """Yields ``(start, end, score)``: character offsets of each candidate in ``text`` (end
        exclusive) and a final score in [0, 1] (0 drops it). ``nlp_artifacts`` is spaCy's output,
        None when no NLP engine ran. Subclasses must implement it (NotImplementedError here).
        """
        raise NotImplementedError
