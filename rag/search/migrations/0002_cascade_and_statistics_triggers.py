"""The database keeps the BM25 index consistent with ``ingest_chunk``.

- ``search_indexed_chunk`` and ``search_posting`` reference ``ingest_chunk``
  with ``ON DELETE CASCADE``: a chunk deleted by any code path (re-ingestion,
  a failed re-ingestion, a document delete, a worker still running older
  code) takes its index rows with it.
- Statement-level ``AFTER INSERT`` / ``AFTER DELETE`` triggers with transition
  tables add or subtract what changed to ``search_collection_stat`` (N, sum of
  lengths) and ``search_term_stat`` (df), in the same transaction. Rows that
  reach zero are deleted.
- Lock order, to keep concurrent ingestion deadlock-free: every trigger first
  locks the ``search_collection_stat`` rows of the collections it touches (in
  collection order), then the term rows (in term order). Writers of one
  collection therefore queue on its stats row for the rest of their
  transaction, which is the short chunk swap of ``document_process``.
- ``UPDATE`` on the two index tables is refused (it would bypass the counts):
  re-index by deleting and inserting.
- ``TRUNCATE`` does not fire these triggers; truncate all four tables
  together (``manage.py search_reindex --rebuild`` does).
"""
from django.db import migrations

FORWARD = r"""
ALTER TABLE search_indexed_chunk ADD CONSTRAINT search_indexed_chunk_chunk_fk
    FOREIGN KEY (chunk_id) REFERENCES ingest_chunk (id) ON DELETE CASCADE;
ALTER TABLE search_posting ADD CONSTRAINT search_posting_chunk_fk
    FOREIGN KEY (chunk_id) REFERENCES ingest_chunk (id) ON DELETE CASCADE;

CREATE FUNCTION search_indexed_chunk_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_collection_stat AS s (collection_id, chunk_count, total_length)
        SELECT collection_id, count(*), sum(length) FROM changed
        GROUP BY collection_id ORDER BY collection_id
        ON CONFLICT (collection_id) DO UPDATE
            SET chunk_count = s.chunk_count + EXCLUDED.chunk_count,
                total_length = s.total_length + EXCLUDED.total_length;
    ELSE
        PERFORM 1 FROM search_collection_stat
        WHERE collection_id IN (SELECT collection_id FROM changed)
        ORDER BY collection_id FOR UPDATE;
        UPDATE search_collection_stat s
        SET chunk_count = s.chunk_count - d.n, total_length = s.total_length - d.total
        FROM (SELECT collection_id, count(*) AS n, sum(length) AS total FROM changed GROUP BY collection_id) d
        WHERE s.collection_id = d.collection_id;
        DELETE FROM search_collection_stat
        WHERE chunk_count <= 0 AND collection_id IN (SELECT collection_id FROM changed);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION search_posting_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM search_collection_stat
    WHERE collection_id IN (SELECT collection_id FROM changed)
    ORDER BY collection_id FOR UPDATE;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_term_stat AS s (term, collection_id, df)
        SELECT term, collection_id, count(*) FROM changed
        GROUP BY term, collection_id ORDER BY collection_id, term
        ON CONFLICT (term, collection_id) DO UPDATE SET df = s.df + EXCLUDED.df;
    ELSE
        UPDATE search_term_stat s SET df = s.df - d.n
        FROM (SELECT term, collection_id, count(*) AS n FROM changed GROUP BY term, collection_id) d
        WHERE s.term = d.term AND s.collection_id = d.collection_id;
        DELETE FROM search_term_stat s
        USING (SELECT DISTINCT term, collection_id FROM changed) d
        WHERE s.term = d.term AND s.collection_id = d.collection_id AND s.df <= 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION search_index_refuse_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is insert/delete only: UPDATE refused', TG_TABLE_NAME
        USING HINT = 'Delete the chunk''s index rows and insert them again (rag.search.services.chunks_index).';
END;
$$;

CREATE TRIGGER search_indexed_chunk_counted_insert AFTER INSERT ON search_indexed_chunk
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_indexed_chunk_count();
CREATE TRIGGER search_indexed_chunk_counted_delete AFTER DELETE ON search_indexed_chunk
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_indexed_chunk_count();
CREATE TRIGGER search_posting_counted_insert AFTER INSERT ON search_posting
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_posting_count();
CREATE TRIGGER search_posting_counted_delete AFTER DELETE ON search_posting
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_posting_count();
CREATE TRIGGER search_indexed_chunk_no_update BEFORE UPDATE ON search_indexed_chunk
    FOR EACH STATEMENT EXECUTE FUNCTION search_index_refuse_update();
CREATE TRIGGER search_posting_no_update BEFORE UPDATE ON search_posting
    FOR EACH STATEMENT EXECUTE FUNCTION search_index_refuse_update();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS search_posting_no_update ON search_posting;
DROP TRIGGER IF EXISTS search_indexed_chunk_no_update ON search_indexed_chunk;
DROP TRIGGER IF EXISTS search_posting_counted_delete ON search_posting;
DROP TRIGGER IF EXISTS search_posting_counted_insert ON search_posting;
DROP TRIGGER IF EXISTS search_indexed_chunk_counted_delete ON search_indexed_chunk;
DROP TRIGGER IF EXISTS search_indexed_chunk_counted_insert ON search_indexed_chunk;
DROP FUNCTION IF EXISTS search_index_refuse_update();
DROP FUNCTION IF EXISTS search_posting_count();
DROP FUNCTION IF EXISTS search_indexed_chunk_count();
ALTER TABLE search_posting DROP CONSTRAINT IF EXISTS search_posting_chunk_fk;
ALTER TABLE search_indexed_chunk DROP CONSTRAINT IF EXISTS search_indexed_chunk_chunk_fk;
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, reverse_sql=REVERSE)]
