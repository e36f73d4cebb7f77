"""Abstention: whether the retrieved passages support an answer, and why not.

:func:`support_decide` reads the features of :mod:`rag.search.support` into a logistic
regression fitted on a labelled set of answerable and near-miss unanswerable questions
(``benchmarks/abstention/fit.py``; coefficients in ``support_model.json`` next to this
module, as JSON: no pickle is ever loaded). It returns P(answerable), the decision and a
reason a person can check ("the documents cover Django up to 5.2.19; the question asks
about 6.1"). Between the abstain threshold and the weak threshold the answer goes out with
a "weakly supported" mark.

After the model has answered, :func:`support_after_answer` applies a documented rule (not
fitted), :func:`answer_citation_reason`: an answer that cites no source, or whose cited
passages hold none of its key tokens (or not a number it states), is marked weakly supported.

RETRIEVAL_ABSTAIN_MODEL chooses the model file; ``rule`` (or a file that cannot be read,
logged once) falls back to the old rule, :func:`retrieval_abstain_reason`: a cosine floor
(RETRIEVAL_ABSTAIN_MIN_COSINE) plus "the question names something no chunk contains"
(RETRIEVAL_ABSTAIN_UNKNOWN_NAMES).
"""
from __future__ import annotations

import dataclasses
import functools
import json
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings

from rag.search.analysis import names_extract, terms_extract
from rag.search.bm25 import bm25_stats_get
from rag.search.hits import RetrievedChunk, citation_dict
from rag.search.support import FEATURES, SupportFeatures, support_features, surface_forms

logger = logging.getLogger(__name__)
MODEL_PATH = Path(__file__).with_name("support_model.json")


@dataclass(frozen=True)
class SupportDecision:
    """What retrieval concludes about a question.

    Attributes:
        supported: False means answer "I don't know" and cite nothing.
        weak: supported, but with P(answerable) below the model's weak threshold.
        reason: why it abstained or is weak, for people ("" when well supported).
        probability: P(answerable) in [0, 1] from the model; None under the rule.
        method: ``"model"`` or ``"rule"``.
        features: ``{feature: value}`` (empty under the rule).
    """

    supported: bool
    weak: bool = False
    reason: str = ""
    probability: float | None = None
    method: str = "rule"
    features: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The API/audit form: ``supported``, ``weak``, ``reason``, ``probability`` (4 places or None), ``method``; no features."""
        p = None if self.probability is None else round(self.probability, 4)
        return {"supported": self.supported, "weak": self.weak, "reason": self.reason, "probability": p,
                "method": self.method}


@dataclass(frozen=True)
class SupportModel:
    """A fitted logistic regression: ``p = sigmoid(intercept + coef . (x - mean) / scale)``.

    ``threshold``: abstain when p < threshold; ``weak_threshold``: mark weak when p < it.
    Every array has one entry per name in ``features`` (which must equal :data:`FEATURES`).
    """

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    weak_threshold: float
    unknown_names_rule: bool = False  # also abstain when a name occurs in no chunk (chosen by the fit)

    @classmethod
    def from_json(cls, data: dict) -> SupportModel:
        """Raises ValueError when the file does not match :data:`FEATURES` or is malformed."""
        features = tuple(data["features"])
        if features != FEATURES:
            raise ValueError(f"model features {features} differ from {FEATURES}")
        arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
        if any(a.shape != (len(features),) for a in arrays) or not np.all(arrays[1] > 0):
            raise ValueError("mean, scale and coef need one entry per feature (scale > 0)")
        return cls(features, *arrays, float(data["intercept"]), float(data["threshold"]),
                   float(data.get("weak_threshold", data["threshold"])), bool(data.get("unknown_names_rule")))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Per-feature log-odds terms ``coef * (x - mean) / scale``: negative pushes towards abstaining."""
        return self.coef * (x - self.mean) / self.scale

    def probability(self, x: np.ndarray) -> float:
        """P(answerable) in [0, 1] for one feature vector ``x`` (shape ``(len(features),)`` float64); the logit is clipped to ±50."""
        z = self.intercept + float(self.contributions(x).sum())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@functools.lru_cache(maxsize=4)
def support_model_load(path: str) -> SupportModel | None:
    """The model in ``path`` (JSON), or None (logged) when it cannot be read or does not fit."""
    try:
        return SupportModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("abstention model %s not loaded (%s); using the cosine/unknown-name rule", path, exc)
        return None


def support_model_get() -> SupportModel | None:
    """The model RETRIEVAL_ABSTAIN_MODEL names (``""``: the packaged one), or None for the rule."""
    choice = settings.RETRIEVAL_ABSTAIN_MODEL
    if choice == "rule":
        return None
    return support_model_load(str(Path(choice) if choice else MODEL_PATH))


def _join(items: list[str], limit: int = 3) -> str:
    return ", ".join(items[:limit])


def support_reason(features: SupportFeatures, contributions: dict[str, float]) -> str:
    """The sentence for the feature that pushed hardest towards abstaining (most negative
    contribution), e.g. ``"the documents never mention kafka"``."""
    v = features.values
    for name in sorted(contributions, key=contributions.get):
        if name == "version_undocumented" and features.undocumented:
            product, asked, newest = features.undocumented
            return f"the documents cover {product} up to {newest}; the question asks about {product} {asked}"
        if name == "names_unknown" and features.unknown_names:
            return f"the documents never mention {_join(features.unknown_names)}"
        if name == "names_missing" and features.missing_names:
            return f"the closest passages do not mention {_join(features.missing_names)}"
        if name == "versions_missing" and features.missing_versions:
            return f"the closest passages do not mention version {_join(features.missing_versions)}"
        if name == "term_coverage" and features.missing_terms:
            return (f"the closest passages cover {v['term_coverage']:.0%} of the question's specific terms "
                    f"(missing: {_join(features.missing_terms)})")
        if name == "numbers_missing" and v["numbers_missing"] > 0:
            return "the closest passages do not contain the numbers the question names"
        if name in ("dense_best", "dense_margin"):
            return f"the closest passage is only {v['dense_best']:.2f} similar to the question"
        if name == "bm25_norm":
            return "no passage contains the question's words together"
        if name == "agreement":
            return "keyword and meaning search point to different passages"
    return "the passages found do not support an answer"


def support_decide(*, question: str, query_embedding: np.ndarray, hits: list[RetrievedChunk],
                   collection_ids: list[int] | None = None) -> SupportDecision:
    """Whether ``hits`` (the retrieval's top-k, rank order) support answering ``question``.

    Args:
        query_embedding: ``(384,)`` float32, L2-normalised, the embedding of ``question``.
        collection_ids: the searched collections; None means all.

    With the model: P(answerable), abstain below its threshold, weak below its weak
    threshold, the reason from :func:`support_reason`; when the fit chose it
    (``unknown_names_rule``), a name the searched collections never contain also abstains.
    Without (RETRIEVAL_ABSTAIN_MODEL=rule or an unreadable file): :func:`retrieval_abstain_reason`.
    Nothing retrieved always abstains.
    """
    if not hits:
        return SupportDecision(False, reason="nothing retrieved")
    model = support_model_get()
    if model is None:
        reason = retrieval_abstain_reason(question=question, hits=hits, collection_ids=collection_ids)
        return SupportDecision(not reason, reason=reason)
    features = support_features(question=question, query_embedding=query_embedding, hits=hits,
                                collection_ids=collection_ids)
    x = features.vector()
    p = model.probability(x)
    contributions = dict(zip(FEATURES, model.contributions(x).tolist()))
    supported = p >= model.threshold
    weak = supported and p < model.weak_threshold
    reason = support_reason(features, contributions) if (not supported or weak) else ""
    if supported and model.unknown_names_rule and features.unknown_names:
        supported, weak, reason = False, False, f"the documents never mention {_join(features.unknown_names)}"
    return SupportDecision(supported, weak, reason, p, "model", dict(features.values))


def names_unknown(*, question: str, collection_ids: list[int] | None = None) -> list[str]:
    """The specific names in ``question`` (see :func:`rag.search.analysis.names_extract`)
    that no indexed chunk of ``collection_ids`` contains, e.g. ``["kafka"]``."""
    names = names_extract(question)
    if not names:
        return []
    known = bm25_stats_get(terms=names, collection_ids=collection_ids).df
    return [n for n in names if not known.get(n)]


def retrieval_abstain_reason(*, question: str, hits: list[RetrievedChunk],
                             collection_ids: list[int] | None = None) -> str:
    """The old rule: why the answer should be "I don't know", or "".

    - ``"nothing retrieved"``;
    - ``"best cosine 0.21 < 0.30"``: no retrieved chunk is similar enough
      (RETRIEVAL_ABSTAIN_MIN_COSINE);
    - ``"unknown names: kafka"``: the question names something that appears
      nowhere in the searched collections (RETRIEVAL_ABSTAIN_UNKNOWN_NAMES). A
      misspelt identifier also abstains; that is the intended side: the model
      would otherwise answer about a neighbouring name.
    """
    if not hits:
        return "nothing retrieved"
    best = max(h.score for h in hits)
    if best < settings.RETRIEVAL_ABSTAIN_MIN_COSINE:
        return f"best cosine {best:.2f} < {settings.RETRIEVAL_ABSTAIN_MIN_COSINE:.2f}"
    if settings.RETRIEVAL_ABSTAIN_UNKNOWN_NAMES:
        unknown = names_unknown(question=question, collection_ids=collection_ids)
        if unknown:
            return "unknown names: " + ", ".join(unknown)
    return ""


def support_dict(support: SupportDecision, hits: list[RetrievedChunk]) -> dict:
    """What an answer or a search shows of its support decision: ``SupportDecision.as_dict()``
    plus ``closest``, the two best ``hits`` as citation dicts (:func:`rag.search.hits.citation_dict`;
    shown as "closest: ..." when it abstains). ``hits`` must already be permission-filtered."""
    return {**support.as_dict(), "closest": [citation_dict(h) for h in hits[:2]]}


# --- After the model ran: does the answer rest on the passages it cites? -------------------------
CITES_NOTHING = "the answer cites nothing"
_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_ANSWER_NUMBER = re.compile(r"(?<![\w.,:])(\d+(?:[.,:]\d+)+|\d{2,})(?!\w)")


def _cited_numbers(answer: str, n_sources: int) -> list[int]:
    """1-based source numbers the answer's ``[n]`` / ``[n, m]`` markers name, in order, within 1..n_sources."""
    cited = (int(n) for m in _MARKER.finditer(answer) for n in re.split(r"\s*,\s*", m.group(1)))
    return list(dict.fromkeys(n for n in cited if 1 <= n <= n_sources))


def _has_number(number: str, text: str) -> bool:
    return re.search(r"(?<![\w.])" + re.escape(number) + r"(?!\w|[.,:]\d)", text) is not None


def answer_key_tokens(*, answer: str, sources: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The answer's key tokens as ``(numbers, names, rare words)``, each as typed in the answer.

    - numbers: two or more digits, or digits with ``.``, ``,`` or ``:`` inside (``90``, ``06:30``,
      ``5.2``, ``1,000`` read as ``1000``); the source markers ``[n]`` are not numbers;
    - names: identifiers, words with inner capitals or digits, and capitalised words that do not
      start a sentence (:func:`rag.search.analysis.names_extract`);
    - rare words: other terms (stemmed, stop words out) that occur in some but not all of the
      ``sources`` the model was given: they tell the sources apart. With one source there are none.
    """
    text = _THOUSANDS.sub("", _MARKER.sub(" ", answer))
    numbers = list(dict.fromkeys(_ANSWER_NUMBER.findall(text)))
    surface = surface_forms(text)
    names = [t for t in names_extract(text) if not t.isdigit()]
    source_terms = [set(terms_extract(s)) for s in sources]
    taken = set(names) | {t for num in numbers for t in terms_extract(num)}
    rare = []
    if len(source_terms) > 1:
        for term in dict.fromkeys(terms_extract(text)):
            holders = sum(term in st for st in source_terms)
            if term not in taken and not term.isdigit() and 0 < holders < len(source_terms):
                rare.append(term)
    return numbers, [surface.get(t, t) for t in names], [surface.get(t, t) for t in rare]


def answer_citation_reason(*, answer: str, sources: list[str]) -> str:
    """Why ``answer`` is weakly supported by the passages it cites, or ``""``. A rule, not fitted.

    Args:
        answer: the model's answer, citing sources as ``[1]``, ``[2]`` or ``[1, 2]``.
        sources: the texts the model was given, in prompt order (``[n]`` is ``sources[n - 1]``).

    In order:

    1. no marker names a source it was given: ``"the answer cites nothing"``;
    2. the answer has key tokens (:func:`answer_key_tokens`) and the cited passages contain
       none of them: ``"the cited passage does not contain 28, annual, leave"``;
    3. a number the answer states is in none of the cited passages:
       ``"the cited passage does not contain 30"`` (a wrong number is the costliest slip).

    An answer without key tokens and with a marker passes: there is nothing specific to check.
    Matching is on index terms (case and inflection do not matter; identifiers match whole).
    """
    cited = _cited_numbers(answer, len(sources))
    if not cited:
        return CITES_NOTHING
    numbers, names, rare = answer_key_tokens(answer=answer, sources=sources)
    evidence = _THOUSANDS.sub("", "\n".join(sources[n - 1] for n in cited)).lower()
    ev_terms = set(terms_extract(evidence))
    passage = "the cited passage does not" if len(cited) == 1 else "the cited passages do not"
    present = [n for n in numbers if _has_number(n.lower(), evidence)] + [
        w for w in names + rare if (terms_extract(w) or [w.lower()])[0] in ev_terms]
    if (numbers or names or rare) and not present:
        return f"{passage} contain {_join(numbers + names + rare)}"
    missing_numbers = [n for n in numbers if n not in present]
    if missing_numbers:
        return f"{passage} contain {_join(missing_numbers)}"
    return ""


def support_after_answer(support: SupportDecision, *, answer: str, sources: list[RetrievedChunk]
                         ) -> SupportDecision:
    """``support`` after the model's ``answer`` from ``sources`` (the relevant hits, prompt order):
    weak, with :func:`answer_citation_reason` added to the reason, when that rule finds a fault;
    otherwise unchanged. Each source is read as the model saw it: ``source > heading`` then text."""
    texts = [f"{h.source} > {h.heading}\n{h.text}" if h.heading else f"{h.source}\n{h.text}" for h in sources]
    reason = answer_citation_reason(answer=answer, sources=texts)
    if not reason:
        return support
    return dataclasses.replace(support, weak=True, reason="; ".join(r for r in (support.reason, reason) if r))
