"""The query plan of a dense search: how a permission-filtered vector search runs inside PostgreSQL.

Top-k over *permitted* chunks only, computed in one SQL query. Two strategies,
chosen per query from the size of the permitted set (measured by
``benchmarks/filtered_retrieval_bench.py`` at 100k chunks; figures in its
docstring: exact is 15 ms at 10k permitted chunks and 115 ms at 100k; iterative
HNSW with ef_search=100 is ~10 ms with recall@10 >= 0.96, but 0.86 when forced
on a 1% set):

- **exact**: when the permitted collections hold at most
  ``RETRIEVAL_EXACT_MAX_CHUNKS`` ready chunks, the filter runs first (B-tree on
  ``chunk.document_id``) and every permitted distance is computed and sorted.
  Recall is 1 by construction, and a small set is cheaper to scan than to find
  in a graph built over everything.
- **iterative HNSW**: otherwise the HNSW index is walked with pgvector 0.8's
  iterative index scan (``hnsw.iterative_scan = relaxed_order``), which keeps
  scanning until ``top_k`` rows pass the filter (up to ``hnsw.max_scan_tuples``),
  with ``hnsw.ef_search = RETRIEVAL_FILTERED_EF_SEARCH``. Plain HNSW with a
  filter would find the 40 nearest chunks overall and then drop the forbidden
  ones, returning too few or the wrong rows.

Unrestricted searches (staff) use plain HNSW with ``RETRIEVAL_HNSW_EF_SEARCH``.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Expression, Sum, Value

from ingest.models import Document


@dataclass(frozen=True)
class RetrievalPlan:
    """How one dense search runs; chosen by :func:`retrieval_plan`, applied by :func:`retrieval_plan_applied`."""

    exact: bool  # pre-filter, then compute every permitted distance (no vector index)
    ef_search: int  # HNSW candidate list size; unused when exact
    iterative: bool  # pgvector iterative index scan (relaxed order)


def retrieval_plan(*, collection_ids: list[int] | None, top_k: int) -> RetrievalPlan:
    """Choose the strategy for a search over ``collection_ids`` (None: all collections).

    Exact when the permitted ready documents hold at most RETRIEVAL_EXACT_MAX_CHUNKS
    chunks; iterative HNSW (ef_search RETRIEVAL_FILTERED_EF_SEARCH) above that; plain
    HNSW (RETRIEVAL_HNSW_EF_SEARCH) when unrestricted. ``ef_search`` is at least ``top_k``.
    Costs one indexed aggregate over ``ingest_document`` (small next to the chunks).
    """
    ef_search = max(settings.RETRIEVAL_HNSW_EF_SEARCH, top_k)
    if collection_ids is None:
        return RetrievalPlan(exact=False, ef_search=ef_search, iterative=False)
    permitted = (Document.objects.filter(collection_id__in=collection_ids, status=Document.Status.READY)
                 .aggregate(n=Sum("chunk_count"))["n"] or 0)
    if permitted <= settings.RETRIEVAL_EXACT_MAX_CHUNKS:
        return RetrievalPlan(exact=True, ef_search=ef_search, iterative=False)
    return RetrievalPlan(exact=False, ef_search=max(settings.RETRIEVAL_FILTERED_EF_SEARCH, top_k), iterative=True)


def distance_ordering(plan: RetrievalPlan, distance: Expression) -> Expression:
    """The ORDER BY expression. For an exact search ``distance + 0``: the HNSW index
    only serves ``ORDER BY embedding <=> constant``, so any other expression makes
    PostgreSQL filter first and sort the permitted rows exactly."""
    return distance + Value(0.0) if plan.exact else distance


@contextmanager
def retrieval_plan_applied(plan: RetrievalPlan) -> Iterator[None]:
    """A transaction in which the plan's ``hnsw.*`` settings hold (``SET LOCAL``), so they
    never leak to other queries on a pooled connection."""
    with transaction.atomic():
        if not plan.exact:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('hnsw.ef_search', %s, true), set_config('hnsw.iterative_scan', %s, true)",
                    [str(plan.ef_search), "relaxed_order" if plan.iterative else "off"],
                )
        yield
