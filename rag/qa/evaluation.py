"""Retrieval and answer quality on a question set: the metrics of ``manage.py evaluate``
(:mod:`rag.qa.management.commands.evaluate`).

Pure functions, no Django. The definitions follow the dev set's scorer
(``dev-eval/score.py``), so the numbers can be cross-checked:

- **hit@k**: answerable questions with a gold path among the first k *distinct*
  cited documents, in citation order.
- **MRR@10**: mean over answerable questions of 1 / rank of the first gold
  document among the first 10 distinct cited documents (0 if none)
  (Voorhees 1999, TREC-8 QA track).
- **answer accuracy**: answerable questions whose answer contains every
  ``answer_must_contain`` string (case-insensitive, NFKC, thousands separators
  ignored).
- **abstention accuracy**: unanswerable questions answered "I don't know"
  *and* with no citation; **false abstentions**: answerable questions declined.
- **latency p50/p95**: nearest-rank percentiles, in ms.
- **abstention precision / recall, false-abstention rate** (:func:`abstention_report`), and
  the **reliability curve** (:func:`reliability_curve`): answered share vs accuracy as the
  support threshold rises, where a question counts as correct when it is answerable and a
  gold document is among its first 5 retrieved (with answers: and the answer contains the
  gold strings); and calibration bins (:func:`calibration_bins`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_THOUSANDS = re.compile(r"(?<=\d)[,_\u00a0\u202f\u2009](?=\d{3}(?!\d))")


@dataclass(frozen=True)
class QAItem:
    """One question of the set; ``gold`` is empty for questions the documents cannot answer."""

    id: str
    question: str
    gold: tuple[str, ...]  # corpus-relative paths; empty when unanswerable
    must_contain: tuple[str, ...]
    kind: str

    @property
    def answerable(self) -> bool:
        """Whether the documents hold the answer (it has gold paths)."""
        return bool(self.gold)


@dataclass
class QAResult:
    """What the pipeline did with one question; latencies in ms (NaN when not measured)."""

    id: str
    answer: str
    citations: list[str]  # cited sources, in citation order (repeats allowed)
    abstained: bool
    retrieval_ms: float
    generation_ms: float | None = None
    support_p: float | None = None  # P(answerable) of the support model; None under the rule
    support_reason: str = ""
    retrieved: list[str] = field(default_factory=list)  # sources of every hit, cited or not (rank order)


@dataclass
class Report:
    """The metrics of one run (definitions in the module docstring); rates in [0, 1], latencies in ms."""

    n_answerable: int
    n_unanswerable: int
    hit_at_1: float
    hit_at_5: float
    mrr_at_10: float
    answer_accuracy: float | None  # None when answers were not generated
    abstention_accuracy: float
    false_abstentions: int
    retrieval_ms_p50: float
    retrieval_ms_p95: float
    generation_ms_p50: float | None = None
    generation_ms_p95: float | None = None
    per_kind_hit_at_5: dict[str, float] = field(default_factory=dict)
    abstention_precision: float = math.nan  # filled by the command from abstention_report()
    abstention_recall: float = math.nan
    false_abstention_rate: float = math.nan
    abstained_per_kind: dict[str, float] = field(default_factory=dict)
    reliability: list[dict] = field(default_factory=list)  # reliability_curve()
    calibration_bins: list[dict] = field(default_factory=list)


def qa_item_from_json(obj: dict) -> QAItem:
    """A QAItem from one line of the dev set's ``qa.jsonl`` format. Raises KeyError if a key is missing."""
    return QAItem(id=str(obj["id"]), question=obj["question"], gold=tuple(obj.get("gold") or ()),
                  must_contain=tuple(obj.get("answer_must_contain") or ()),
                  kind=obj.get("kind") or ("lookup" if obj.get("gold") else "unanswerable"))


def path_normalise(path: str) -> str:
    """``"./ref\\settings.txt#x"`` -> ``"ref/settings.txt"``: separators, fragment, leading ``./`` and ``/``."""
    path = str(path).strip().replace("\\", "/").split("#", 1)[0]
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def text_normalise(text: str) -> str:
    """Text for "answer contains" checks: NFKC, dashes as ``-``, no thousands separators,
    whitespace collapsed, casefolded."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES).replace("\\_", "_")
    return re.sub(r"\s+", " ", _THOUSANDS.sub("", text)).casefold().strip()


def distinct(items: list[str]) -> list[str]:
    """``items`` without empties and repeats, first occurrence kept (citation order)."""
    return list(dict.fromkeys(i for i in items if i))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of ``values`` (NaNs ignored); NaN if none."""
    ordered = sorted(v for v in values if not math.isnan(v))
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def report_build(items: list[QAItem], results: dict[str, QAResult], *, answers: bool) -> Report:
    """Score ``results`` (by item id; a missing result counts as no answer, no citation)."""
    answerable = [i for i in items if i.answerable]
    unanswerable = [i for i in items if not i.answerable]
    hits1 = hits5 = rr = correct = false_abstentions = abstained_ok = 0.0
    kind_hits: dict[str, list[int]] = {}
    empty = QAResult("", "", [], False, math.nan)
    for item in answerable:
        r = results.get(item.id, empty)
        docs = distinct([path_normalise(c) for c in r.citations])
        gold = {path_normalise(g) for g in item.gold}
        ranks = [n for n, d in enumerate(docs[:10], 1) if d in gold]
        hits1 += bool(ranks and ranks[0] <= 1)
        hit5 = bool(ranks and ranks[0] <= 5)
        hits5 += hit5
        kind_hits.setdefault(item.kind, []).append(hit5)
        rr += 1.0 / ranks[0] if ranks else 0.0
        correct += all(text_normalise(s) in text_normalise(r.answer) for s in item.must_contain)
        false_abstentions += r.abstained
    for item in unanswerable:
        r = results.get(item.id, empty)
        abstained_ok += r.abstained and not r.citations
    n_a, n_u = len(answerable), len(unanswerable)
    retrieval = [r.retrieval_ms for r in results.values()]
    generation = [r.generation_ms for r in results.values() if r.generation_ms is not None]
    return Report(
        n_answerable=n_a, n_unanswerable=n_u,
        hit_at_1=hits1 / n_a if n_a else math.nan, hit_at_5=hits5 / n_a if n_a else math.nan,
        mrr_at_10=rr / n_a if n_a else math.nan,
        answer_accuracy=(correct / n_a if n_a else math.nan) if answers else None,
        abstention_accuracy=abstained_ok / n_u if n_u else math.nan,
        false_abstentions=int(false_abstentions),
        retrieval_ms_p50=percentile(retrieval, 50), retrieval_ms_p95=percentile(retrieval, 95),
        generation_ms_p50=percentile(generation, 50) if answers else None,
        generation_ms_p95=percentile(generation, 95) if answers else None,
        per_kind_hit_at_5={k: sum(v) / len(v) for k, v in sorted(kind_hits.items())},
    )


@dataclass(frozen=True)
class AbstentionReport:
    """How well abstention separates unanswerable from answerable questions.

    ``precision``: abstentions that were on unanswerable questions; ``recall`` (the
    "correct abstention" rate): unanswerable questions abstained on; ``false_abstention_rate``:
    answerable questions abstained on. NaN when the denominator is 0. ``per_kind``:
    ``{kind: share abstained}`` (on an answerable kind, that share is its false-abstention rate).
    """

    precision: float
    recall: float
    false_abstention_rate: float
    per_kind: dict[str, float]


def abstention_report(items: list[QAItem], abstained: dict[str, bool]) -> AbstentionReport:
    """Score abstentions (``{item id: abstained}``; a missing id counts as answered)."""
    tp = sum(1 for i in items if not i.answerable and abstained.get(i.id, False))
    fp = sum(1 for i in items if i.answerable and abstained.get(i.id, False))
    n_u = sum(1 for i in items if not i.answerable)
    n_a = len(items) - n_u
    kinds: dict[str, list[bool]] = {}
    for i in items:
        kinds.setdefault(i.kind, []).append(abstained.get(i.id, False))
    return AbstentionReport(
        precision=tp / (tp + fp) if tp + fp else math.nan, recall=tp / n_u if n_u else math.nan,
        false_abstention_rate=fp / n_a if n_a else math.nan,
        per_kind={k: sum(v) / len(v) for k, v in sorted(kinds.items())})


def reliability_curve(scores: list[float], correct: list[bool], *, points: int = 21) -> list[dict]:
    """Answered share vs accuracy as the support threshold rises: for each threshold ``t``
    in ``points`` steps over [0, 1], ``{"threshold", "answered_share", "accuracy"}`` where the
    questions with ``score >= t`` are answered and ``accuracy`` is the share of them that are
    ``correct`` (NaN when none is answered). ``scores`` are P(answerable) in [0, 1]."""
    out = []
    for n in range(points):
        t = n / (points - 1)
        kept = [c for s, c in zip(scores, correct) if s >= t]
        out.append({"threshold": round(t, 3), "answered_share": len(kept) / len(scores) if scores else math.nan,
                    "accuracy": sum(kept) / len(kept) if kept else math.nan})
    return out


def calibration_bins(scores: list[float], labels: list[bool], *, bins: int = 10) -> list[dict]:
    """Reliability bins (DeGroot & Fienberg 1983): per bin of predicted P(answerable),
    ``{"low", "high", "n", "mean_p", "answerable_share"}`` (NaN for empty bins)."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(s, y) for s, y in zip(scores, labels) if lo <= s < hi or (b == bins - 1 and s == 1.0)]
        out.append({"low": lo, "high": hi, "n": len(inside),
                    "mean_p": sum(s for s, _ in inside) / len(inside) if inside else math.nan,
                    "answerable_share": sum(y for _, y in inside) / len(inside) if inside else math.nan})
    return out


def item_correct(item: QAItem, result: QAResult, *, answers: bool) -> bool:
    """Whether answering ``item`` as ``result`` did would be right: answerable, a gold document
    among the first 5 distinct retrieved sources, and (``answers``) every gold string in the answer."""
    if not item.answerable:
        return False
    gold = {path_normalise(g) for g in item.gold}
    docs = distinct([path_normalise(c) for c in (result.retrieved or result.citations)])[:5]
    if not gold & set(docs):
        return False
    return not answers or all(text_normalise(s) in text_normalise(result.answer) for s in item.must_contain)
