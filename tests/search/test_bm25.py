"""BM25 scores against a hand-computed example, and the index after add, update and delete."""
from __future__ import annotations

import math

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from ingest.models import Chunk, Document
from ingest.services import document_delete
from rag.search.models import Posting
from rag.search.bm25 import bm25_stats_get, chunks_rank_bm25
from tests.factories import document_ingested
from tests.search.conftest import index_recount, index_stats

pytestmark = pytest.mark.django_db

K1, B = 1.2, 0.75


def idf(n: int, df: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def term_score(tf: int, dl: int, avgdl: float, n: int, df: int) -> float:
    return idf(n, df) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))


@pytest.fixture
def three_chunks(stored_document):
    """Three one-chunk documents. Terms are plain words the stemmer leaves alone."""
    return {
        "c1": stored_document("c1.txt", ["cat cat dog"]),         # cat:2 dog:1, dl 3
        "c2": stored_document("c2.txt", ["dog bird"]),            # dog:1 bird:1, dl 2
        "c3": stored_document("c3.txt", ["bird bird bird fish"]),  # bird:3 fish:1, dl 4
    }


def ranked_sources(query: str, **kwargs) -> list[tuple[str, float]]:
    ranked = chunks_rank_bm25(query=query, limit=10, k1=K1, b=B, **kwargs)
    sources = dict(Chunk.objects.filter(pk__in=[i for i, _ in ranked]).values_list("id", "document__source"))
    return [(sources[i], score) for i, score in ranked]


def test_it_scores_a_query_as_computed_by_hand(three_chunks):
    # N = 3, avgdl = (3 + 2 + 4) / 3 = 3; df(cat) = 1, df(bird) = 2.
    expected = {
        "c1.txt": term_score(tf=2, dl=3, avgdl=3, n=3, df=1),  # 0.98083 * 4.4 / 3.2 = 1.34864
        "c3.txt": term_score(tf=3, dl=4, avgdl=3, n=3, df=2),  # 0.47000 * 6.6 / 4.5 = 0.68934
        "c2.txt": term_score(tf=1, dl=2, avgdl=3, n=3, df=2),  # 0.47000 * 2.2 / 1.9 = 0.54421
    }
    assert expected["c1.txt"] == pytest.approx(1.34864, abs=1e-5)
    ranked = ranked_sources("cat bird")
    assert [s for s, _ in ranked] == ["c1.txt", "c3.txt", "c2.txt"]
    for source, score in ranked:
        assert score == pytest.approx(expected[source], rel=1e-9)


def test_a_repeated_query_term_counts_twice(three_chunks):
    once = dict(ranked_sources("fish"))["c3.txt"]
    assert dict(ranked_sources("fish fish"))["c3.txt"] == pytest.approx(2 * once)


def test_a_query_of_stopwords_or_unknown_terms_finds_nothing(three_chunks):
    assert ranked_sources("what is the") == []
    assert ranked_sources("zebra") == []


def test_statistics_are_those_of_the_searched_collections_only(three_chunks, stored_document):
    stored_document("other.txt", ["cat cat cat cat cat cat"], collection_slug="other")  # dl 6
    default_id = three_chunks["c1"].collection_id
    # Restricted to "default": exactly the hand-computed N = 3, avgdl = 3 statistics.
    restricted = dict(ranked_sources("cat", collection_ids=[default_id]))
    assert restricted == {"c1.txt": pytest.approx(term_score(tf=2, dl=3, avgdl=3, n=3, df=1))}
    # Everything: N = 4, avgdl = 15 / 4, df(cat) = 2.
    everything = dict(ranked_sources("cat"))
    assert everything["c1.txt"] == pytest.approx(term_score(tf=2, dl=3, avgdl=15 / 4, n=4, df=2))
    assert everything["other.txt"] == pytest.approx(term_score(tf=6, dl=6, avgdl=15 / 4, n=4, df=2))


def test_identifiers_are_found_whole_and_by_their_parts(stored_document):
    stored_document("settings.txt", ["CSRF_COOKIE_AGE defaults to 31449600 seconds."])
    stored_document("testing.txt", ["Run the tests with --keepdb to reuse the database."])
    stored_document("queries.txt", ["Use select_related() to follow foreign keys."])
    assert ranked_sources("CSRF_COOKIE_AGE")[0][0] == "settings.txt"
    assert ranked_sources("cookie age")[0][0] == "settings.txt"
    assert ranked_sources("keepdb")[0][0] == "testing.txt"
    assert ranked_sources("select_related")[0][0] == "queries.txt"
    assert ranked_sources("31449600")[0][0] == "settings.txt"


def test_chunks_of_documents_that_are_not_ready_are_not_returned(three_chunks):
    Document.objects.filter(pk=three_chunks["c1"].pk).update(status=Document.Status.EMBEDDING)
    assert "c1.txt" not in dict(ranked_sources("cat dog"))


# -- the index stays correct ---------------------------------------------------------

LEAVE_V1 = "# Annual leave\n\nStaff receive 28 days of annual leave. Carry-over needs a manager's approval."
LEAVE_V2 = "# Annual leave\n\nStaff receive 30 days of holiday. Sabbaticals follow after seven years."
PARKING = "# Parking\n\nThe car park opens at 06:30. Bicycle racks are behind building C."


def test_ingesting_a_document_indexes_its_chunks_and_counts_them():
    doc = document_ingested(source="hr/leave.md", text=LEAVE_V1)
    chunk_ids = set(doc.chunks.values_list("id", flat=True))
    assert chunk_ids and set(Posting.objects.values_list("chunk_id", flat=True)) == chunk_ids
    assert index_stats() == index_recount()
    stats = bm25_stats_get(terms=["approv"])
    assert stats.chunk_count == len(chunk_ids) and stats.df == {"approv": 1}


def test_updating_a_document_replaces_its_postings_and_statistics():
    document_ingested(source="facilities/parking.md", text=PARKING)
    doc = document_ingested(source="hr/leave.md", text=LEAVE_V1)
    assert ranked_sources("approval carry-over")
    document_ingested(source="hr/leave.md", text=LEAVE_V2)
    assert ranked_sources("approval carry-over") == []
    assert ranked_sources("sabbaticals")[0][0] == "hr/leave.md"
    assert set(Posting.objects.filter(chunk__document=doc).values_list("chunk_id", flat=True)) == set(
        doc.chunks.values_list("id", flat=True))
    assert index_stats() == index_recount()


def test_deleting_a_document_removes_its_postings_and_statistics():
    parking = document_ingested(source="facilities/parking.md", text=PARKING)
    before = bm25_stats_get(terms=["bicycl"])
    doc = document_ingested(source="hr/leave.md", text=LEAVE_V1)
    document_delete(document=doc)
    assert ranked_sources("annual leave") == []
    assert index_stats() == index_recount()
    after = bm25_stats_get(terms=["bicycl", "leav"])
    assert (after.chunk_count, after.avg_length) == (before.chunk_count, before.avg_length)
    assert after.df == {"bicycl": 1}
    document_delete(document=parking)
    assert index_stats() == {"chunks": {}, "df": {}}


def test_a_failed_reingestion_leaves_no_postings_behind():
    from ingest.services import document_fail

    doc = document_ingested(source="hr/leave.md", text=LEAVE_V1)
    document_fail(document_id=doc.pk, sha256=doc.sha256, reason="corrupt")
    assert not Posting.objects.exists()
    assert index_stats() == {"chunks": {}, "df": {}}


def test_postings_cannot_be_updated_in_place(three_chunks):
    with pytest.raises(DatabaseError, match="UPDATE refused"), transaction.atomic():
        Posting.objects.filter(term="cat").update(tf=7)


def test_search_reindex_backfills_chunks_stored_without_postings(three_chunks):
    expected = ranked_sources("cat bird")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_posting, search_indexed_chunk, search_term_stat, search_collection_stat")
    assert ranked_sources("cat bird") == []
    call_command("search_reindex")
    assert ranked_sources("cat bird") == expected
    call_command("search_reindex")  # idempotent
    assert ranked_sources("cat bird") == expected and index_stats() == index_recount()


def test_search_reindex_rebuild_gives_the_same_index(three_chunks):
    before = (index_stats(), ranked_sources("cat bird"))
    call_command("search_reindex", "--rebuild")
    assert (index_stats(), ranked_sources("cat bird")) == before
