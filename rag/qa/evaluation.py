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
