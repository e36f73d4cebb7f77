"""The base of our recognizers: one entity type, final scores, context helpers."""
from __future__ import annotations

from collections.abc import Iterable

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_SENTENCE_END = regex.compile(r"[.!?;\n](?:\s|$)")


def clause_before(text: str, start: int, width: int) -> str:
    """Up to ``width`` characters before ``start``, cut at the last sentence end."""
    left = text[max(0, start - width):start]
    ends = list(_SENTENCE_END.finditer(left))
    return left[ends[-1].end():] if ends else left


def recognizer_result(entity: str, start: int, end: int, score: float, recognizer: str) -> RecognizerResult:
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
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        return [
            recognizer_result(self.ENTITY, s, e, score, self.name)
            for s, e, score in self.spans(text, nlp_artifacts)
            if score > 0
        ]

    def spans(self, text: str, nlp_artifacts: NlpArtifacts | None) -> Iterable[tuple[int, int, float]]:
        raise NotImplementedError
