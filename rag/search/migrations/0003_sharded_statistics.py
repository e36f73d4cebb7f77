"""BM25 statistics in shards, so parallel ingestion into one collection never waits on them.

Until now every transaction that indexed or deleted chunks of a collection updated that
collection's one ``search_collection_stat`` row (and the ``search_term_stat`` rows of every
term it touched, common words included) and held those row locks until it committed: two
workers storing documents of one collection took turns for the rest of their chunk swaps.

Now each statistics row also has a ``shard`` (0..15), and a transaction writes to one shard
only, which it holds alone: the first trigger it fires claims a shard with
``pg_try_advisory_xact_lock(SHARD_LOCK_SPACE, shard)``, trying the shards in turn from
``pg_backend_pid() % 16``, and remembers it (``perimeter.search_stat_shard``, transaction-local)
for its later triggers. Transaction-level advisory locks go away at commit or rollback, like the
shard setting, so up to 16 concurrent writers never touch the same statistics row; a 17th waits
for one shard to be free (it holds no shard meanwhile, so no deadlock through shards). This is
the sharded-counter pattern (a counter split into rows that writers pick so as not to collide,
summed by readers), with the pick made collision-free by the try-lock.

- Inserts add to, deletes subtract from, the writer's shard (statement-level triggers over
  transition tables, one upsert per statement as before). A shard may go negative (chunks
  indexed under shard 3 deleted under shard 5): only the sum over shards means anything.
  Readers sum (``rag.search.bm25`` already sums over collections; shards add rows to the same sums).
- A shard row that reaches exactly zero is deleted; rows of a collection or term whose shards
  cancel out are not (their sum is 0, as if absent).
- ``df`` loses its ``>= 0`` check (a shard may be negative); ``UPDATE`` is still refused on the
  two index tables; ``TRUNCATE`` still skips the triggers (truncate all four tables together).
- Existing statistics are kept as shard 0.
"""
from django.db import migrations, models

SHARD_LOCK_SPACE = 0x626D3235  # "bm25": first key of pg_advisory_xact_lock(int, int); the second is the shard
SHARDS = 16

FORWARD = rf"""
ALTER TABLE search_collection_stat ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE search_collection_stat DROP CONSTRAINT search_collection_stat_pkey;
ALTER TABLE search_collection_stat ADD CONSTRAINT search_collection_stat_pkey PRIMARY KEY (collection_id, shard);
ALTER TABLE search_collection_stat ALTER COLUMN shard DROP DEFAULT;
ALTER TABLE search_term_stat ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE search_term_stat DROP CONSTRAINT search_term_stat_pkey;
ALTER TABLE search_term_stat ADD CONSTRAINT search_term_stat_pkey PRIMARY KEY (term, collection_id, shard);
ALTER TABLE search_term_stat ALTER COLUMN shard DROP DEFAULT;
ALTER TABLE search_term_stat DROP CONSTRAINT IF EXISTS search_term_stat_df_check;

CREATE FUNCTION search_stat_shard() RETURNS smallint
LANGUAGE plpgsql AS $$
DECLARE
    held text := current_setting('perimeter.search_stat_shard', true);
    start_at integer := pg_backend_pid() % {SHARDS};
    candidate integer;
BEGIN
    IF coalesce(held, '') <> '' THEN
        RETURN held::smallint;
    END IF;
    FOR i IN 0..{SHARDS - 1} LOOP
        candidate := (start_at + i) % {SHARDS};
        IF pg_try_advisory_xact_lock({SHARD_LOCK_SPACE}, candidate) THEN
            PERFORM set_config('perimeter.search_stat_shard', candidate::text, true);
            RETURN candidate;
        END IF;
    END LOOP;
    PERFORM pg_advisory_xact_lock({SHARD_LOCK_SPACE}, start_at);  -- every shard busy: wait for ours
    PERFORM set_config('perimeter.search_stat_shard', start_at::text, true);
    RETURN start_at;
END;
$$;

CREATE OR REPLACE FUNCTION search_indexed_chunk_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    my_shard smallint := search_stat_shard();
    k integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    zeroed bigint[];
BEGIN
    WITH up AS (
        INSERT INTO search_collection_stat AS s (collection_id, shard, chunk_count, total_length)
        SELECT collection_id, my_shard, k * count(*), k * sum(length) FROM changed
        GROUP BY collection_id ORDER BY collection_id
        ON CONFLICT (collection_id, shard) DO UPDATE
            SET chunk_count = s.chunk_count + EXCLUDED.chunk_count,
                total_length = s.total_length + EXCLUDED.total_length
        RETURNING s.collection_id, s.chunk_count, s.total_length)
    SELECT array_agg(up.collection_id) INTO zeroed FROM up WHERE up.chunk_count = 0 AND up.total_length = 0;
    IF zeroed IS NOT NULL THEN
        DELETE FROM search_collection_stat
        WHERE shard = my_shard AND collection_id = ANY(zeroed) AND chunk_count = 0 AND total_length = 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION search_posting_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    my_shard smallint := search_stat_shard();
    k integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    zeroed_terms text[];
    zeroed_collections bigint[];
BEGIN
    WITH up AS (
        INSERT INTO search_term_stat AS s (term, collection_id, shard, df)
        SELECT term, collection_id, my_shard, k * count(*) FROM changed
        GROUP BY term, collection_id ORDER BY collection_id, term
        ON CONFLICT (term, collection_id, shard) DO UPDATE SET df = s.df + EXCLUDED.df
        RETURNING s.term, s.collection_id, s.df)
    SELECT array_agg(up.term), array_agg(up.collection_id) INTO zeroed_terms, zeroed_collections
    FROM up WHERE up.df = 0;
    IF zeroed_terms IS NOT NULL THEN
        DELETE FROM search_term_stat s USING unnest(zeroed_terms, zeroed_collections) AS z(term, collection_id)
        WHERE s.term = z.term AND s.collection_id = z.collection_id AND s.shard = my_shard AND s.df = 0;
    END IF;
    RETURN NULL;
END;
$$;
"""

# Back to one row per collection and per (term, collection): shards folded (sums of zero or
# less dropped), and the functions of migration 0002.
REVERSE = r"""
CREATE TEMPORARY TABLE folded_collection_stat ON COMMIT DROP AS
    SELECT collection_id, sum(chunk_count)::bigint AS chunk_count, sum(total_length)::bigint AS total_length
    FROM search_collection_stat GROUP BY collection_id HAVING sum(chunk_count) > 0;
CREATE TEMPORARY TABLE folded_term_stat ON COMMIT DROP AS
    SELECT term, collection_id, sum(df)::integer AS df FROM search_term_stat
    GROUP BY term, collection_id HAVING sum(df) > 0;
DELETE FROM search_collection_stat;
DELETE FROM search_term_stat;
ALTER TABLE search_collection_stat DROP CONSTRAINT search_collection_stat_pkey;
ALTER TABLE search_collection_stat DROP COLUMN shard;
ALTER TABLE search_collection_stat ADD CONSTRAINT search_collection_stat_pkey PRIMARY KEY (collection_id);
ALTER TABLE search_term_stat DROP CONSTRAINT search_term_stat_pkey;
ALTER TABLE search_term_stat DROP COLUMN shard;
ALTER TABLE search_term_stat ADD CONSTRAINT search_term_stat_pkey PRIMARY KEY (term, collection_id);
INSERT INTO search_collection_stat (collection_id, chunk_count, total_length) SELECT * FROM folded_collection_stat;
INSERT INTO search_term_stat (term, collection_id, df) SELECT term, collection_id, df FROM folded_term_stat;
ALTER TABLE search_term_stat ADD CONSTRAINT search_term_stat_df_check CHECK (df >= 0);

CREATE OR REPLACE FUNCTION search_indexed_chunk_count() RETURNS trigger
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

CREATE OR REPLACE FUNCTION search_posting_count() RETURNS trigger
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

DROP FUNCTION IF EXISTS search_stat_shard();
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0002_cascade_and_statistics_triggers")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(FORWARD, reverse_sql=REVERSE)],
            # Django cannot alter a primary key into a composite one; the tables are recreated in
            # its state only (the SQL above altered them in place, rows kept).
            state_operations=[
                migrations.DeleteModel(name="CollectionStat"),
                migrations.DeleteModel(name="TermStat"),
                migrations.CreateModel(
                    name="CollectionStat",
                    fields=[
                        ("pk", models.CompositePrimaryKey("collection_id", "shard", blank=True, editable=False,
                                                          primary_key=True, serialize=False)),
                        ("collection_id", models.BigIntegerField()),
                        ("shard", models.SmallIntegerField()),
                        ("chunk_count", models.BigIntegerField()),
                        ("total_length", models.BigIntegerField()),
                    ],
                    options={"db_table": "search_collection_stat"},
                ),
                migrations.CreateModel(
                    name="TermStat",
                    fields=[
                        ("pk", models.CompositePrimaryKey("term", "collection_id", "shard", blank=True,
                                                          editable=False, primary_key=True, serialize=False)),
                        ("term", models.CharField(max_length=80)),
                        ("collection_id", models.BigIntegerField()),
                        ("shard", models.SmallIntegerField()),
                        ("df", models.IntegerField()),
                    ],
                    options={"db_table": "search_term_stat"},
                ),
            ],
        ),
    ]
