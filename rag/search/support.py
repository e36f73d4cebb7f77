"""Support features: how well the retrieved passages cover a question, as numbers a small model reads.

Computed per question from a fresh dense top-5 and BM25 top-5 (so the features are the
same whichever mode ranked the cited hits) and from the hits that would be cited. Each
feature is in [0, 1] or a cosine in [-1, 1]; :data:`FEATURES` fixes their order for the
model in :mod:`rag.search.abstention`. Sources of the ideas: a cosine floor and its margin
(the old rule), normalised BM25 (the score divided by the best score the question's terms
can reach, Robertson & Zaragoza 2009, eq. 3.x with tf -> infinity), dense/keyword agreement
(as in query-performance prediction, Carmel & Yom-Tov 2010), and coverage of the question's
specific terms, names, versions and numbers in the evidence (the near misses of issue 12).

Costs two index queries (dense, BM25), one statistics query and, when the question names
``<Product> <version>``, one query over headings and titles: about 20-40 ms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection

from rag.search.analysis import names_extract, terms_extract
from rag.search.bm25 import bm25_stats_get, chunks_rank_bm25
from rag.search.dense import chunks_retrieve_dense
from rag.search.hits import RetrievedChunk

FEATURES = ("dense_best", "dense_margin", "bm25_norm", "agreement", "term_coverage",
            "names_missing", "names_unknown", "versions_missing", "version_undocumented", "numbers_missing")
TOP_EVIDENCE = 3  # cited hits whose text counts as the evidence
_VERSION = re.compile(r"(?<![\w.])(\d+\.\d+(?:\.\d+)?)(?![\w]|\.\d)")
_PRODUCT_VERSION = re.compile(r"\b([A-Z][\w+.-]*)\s+(?:version\s+|v)?(\d+\.\d+(?:\.\d+)?)\b")
_NUMBER = re.compile(r"(?<![\w.])(\d{2,}(?:[.,]\d+)*)(?![\w])")
# Words that say how a question is asked, not what it is about (on top of the analyzer's stop list).
_GENERIC = frozenset(terms_extract("default value set use used using django new option work make get "
                                   "happen need want way possible happen exactly"))


@dataclass(frozen=True)
class SupportFeatures:
    """The features of one question (see the module docstring), plus what the reasons quote.

    Attributes:
        values: ``{feature: float}`` for every name in :data:`FEATURES`.
        missing_terms: the question's specific terms absent from the evidence, most specific first.
        missing_names / unknown_names: names absent from the evidence / from every chunk searched, as typed.
        missing_versions: versions named in the question absent from the evidence.
        undocumented: ``(product, asked, newest documented)`` when the question asks about a
            release of a product whose other releases the documents' headings or titles name.
    """

    values: dict[str, float]
    missing_terms: list[str] = field(default_factory=list)
    missing_names: list[str] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)
    missing_versions: list[str] = field(default_factory=list)
    undocumented: tuple[str, str, str] | None = None

    def vector(self) -> np.ndarray:
        """``(len(FEATURES),)`` float64 in :data:`FEATURES` order."""
        return np.array([self.values[f] for f in FEATURES], dtype=np.float64)


def _version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


def versions_documented(*, product: str, collection_ids: list[int] | None) -> list[str]:
    """Versions that follow ``product`` in a chunk heading or a document title of the searched
    collections (``"Django 5.2 release notes"`` -> ``"5.2"``), oldest first. One query, a scan
    of headings with a regular expression (about 10 ms on 15,000 chunks)."""
    pattern = r"\m" + re.escape(product) + r"\s+(?:version\s+)?(\d+\.\d+(?:\.\d+)?)"
    where, params = "TRUE", []
    if collection_ids is not None:
        where, params = "d.collection_id = ANY(%s::bigint[])", [list(collection_ids)]
    sql = f"""SELECT DISTINCT (regexp_matches(t, %s, 'gi'))[1] FROM (
                SELECT DISTINCT c.heading_path AS t FROM ingest_chunk c JOIN ingest_document d ON d.id = c.document_id
                WHERE d.status = 'ready' AND {where} AND c.heading_path ~* %s
                UNION SELECT d.title FROM ingest_document d WHERE d.status = 'ready' AND {where} AND d.title ~* %s
              ) s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [pattern, *params, pattern, *params, pattern])
        return sorted({row[0] for row in cursor.fetchall()}, key=_version_key)


def _covered(version: str, documented: list[str]) -> bool:
    """``6.1`` is covered by ``6.1`` or ``6.1.3``; ``5.2.19`` by ``5.2.19`` or by ``5.2``."""
    return any(d == version or d.startswith(version + ".") or version.startswith(d + ".") for d in documented)


def support_features(*, question: str, query_embedding: np.ndarray, hits: list[RetrievedChunk],
                     collection_ids: list[int] | None) -> SupportFeatures:
    """The features of ``question`` given the ``hits`` that would be cited (rank order).

    Args:
        query_embedding: ``(384,)`` float32, L2-normalised, the embedding of ``question``.
        hits: the retrieval's top-k in rank order (any mode); the first :data:`TOP_EVIDENCE` are the evidence.
        collection_ids: the searched collections; None means all.
    """
    dense = chunks_retrieve_dense(query_embedding=query_embedding, top_k=5, collection_ids=collection_ids)
    keyword = chunks_rank_bm25(query=question, limit=5, collection_ids=collection_ids)
    q_terms = [t for t in dict.fromkeys(terms_extract(question)) if t not in _GENERIC]
    names = names_extract(question)
    stats = bm25_stats_get(terms=list(dict.fromkeys(q_terms + names)), collection_ids=collection_ids)
    n = max(stats.chunk_count, 1)

    def idf(term: str) -> float:
        df = stats.df.get(term, 0)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    cos = sorted((h.score for h in dense), reverse=True) or [0.0]
    dense_best = max(cos[0], max((h.score for h in hits), default=0.0))
    margin = cos[0] - cos[1] if len(cos) > 1 else cos[0]
    k1 = settings.BM25_K1
    ceiling = sum(idf(t) * (k1 + 1) * c for t, c in _counts(terms_extract(question)).items())
    bm25_norm = min(1.0, keyword[0][1] / ceiling) if keyword and ceiling else 0.0
    dense_ids, keyword_ids = {h.chunk_id for h in dense[:3]}, {i for i, _ in keyword}
    dense_docs = {h.document_id for h in dense[:3]}
    keyword_docs = {h.document_id for h in hits if h.chunk_id in keyword_ids} | (
        {dense[0].document_id} if dense and dense[0].chunk_id in keyword_ids else set())
    agreement = 1.0 if dense_ids & keyword_ids else (0.5 if dense_docs & keyword_docs else 0.0)

    evidence = hits[:TOP_EVIDENCE]
    ev_text = "\n".join(f"{h.title}\n{h.heading}\n{h.text}" for h in evidence)
    ev_terms = set(terms_extract(ev_text))
    weights = {t: idf(t) for t in q_terms}
    total = sum(weights.values())
    missing = sorted((t for t in q_terms if t not in ev_terms), key=lambda t: -weights[t])
    coverage = (1.0 - sum(weights[t] for t in missing) / total) if total else 1.0
    surface = surface_forms(question)
    missing_terms = list(dict.fromkeys(surface.get(t, t) for t in missing))

    unknown = [surface.get(nm, nm) for nm in names if not stats.df.get(nm)]
    missing_names = [surface.get(nm, nm) for nm in names if nm not in ev_terms]
    versions = list(dict.fromkeys(_VERSION.findall(question)))
    ev_low = ev_text.lower()
    missing_versions = [v for v in versions if not re.search(r"(?<![\w.])" + re.escape(v) + r"(?![\w])", ev_low)]
    numbers = [x for x in _NUMBER.findall(question.replace(",", "")) if x not in versions]
    missing_numbers = [x for x in numbers if x not in ev_low.replace(",", "")]

    undocumented = None
    for product, version in _PRODUCT_VERSION.findall(question):
        documented = versions_documented(product=product, collection_ids=collection_ids)
        if documented and not _covered(version, documented):
            undocumented = (product, version, documented[-1])
            break
    values = {
        "dense_best": dense_best, "dense_margin": margin, "bm25_norm": bm25_norm, "agreement": agreement,
        "term_coverage": coverage,
        "names_missing": len(missing_names) / len(names) if names else 0.0,
        "names_unknown": len(unknown) / len(names) if names else 0.0,
        "versions_missing": len(missing_versions) / len(versions) if versions else 0.0,
        "version_undocumented": 1.0 if undocumented else 0.0,
        "numbers_missing": len(missing_numbers) / len(numbers) if numbers else 0.0,
    }
    return SupportFeatures(values, missing_terms, missing_names, unknown, missing_versions, undocumented)


def surface_forms(text: str) -> dict[str, str]:
    """``{index term: the word as typed}`` (``"symfoni"`` -> ``"Symfony"``), so reasons quote the text."""
    out: dict[str, str] = {}
    for match in re.finditer(r"[^\W_]+(?:[_.\-]+[^\W_]+)*", text):
        terms = terms_extract(match.group())
        if terms:
            out.setdefault(terms[0], match.group())
    return out


def _counts(terms: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in terms:
        out[t] = out.get(t, 0) + 1
    return out
