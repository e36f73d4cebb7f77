"""Ingestion throughput of the real pipeline steps on a corpus, without the broker.

    ./perimeter python benchmarks/ingest_throughput.py [CORPUS_DIR] [--limit N]

Parses, chunks (CHUNK_MAX_TOKENS / CHUNK_OVERLAP_TOKENS) and embeds every file
in process, one file at a time like the worker, and prints seconds per stage,
chunks per second of embedding and peak RSS. Default corpus: the Django docs
fetched by ``./perimeter run`` into ``.state/corpus``. No database is needed.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from ingest.chunking import document_chunk, embedding_text
    from ingest.embedding import texts_embed, tokenizer_counter
    from ingest.parsers import ParseError, document_parse

    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path,
                        default=ROOT / ".state" / "corpus" / "django-docs-5.2.19")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    files = sorted(f for f in args.corpus.rglob("*") if f.is_file() and not f.name.startswith("."))
    files = files[: args.limit] if args.limit else files
    counter = tokenizer_counter()
    texts_embed(["warm up"])
    t_parse = t_chunk = t_embed = 0.0
    n_chunks = failed = 0
    started = time.monotonic()
    for f in files:
        t0 = time.monotonic()
        try:
            parsed = document_parse(data=f.read_bytes(), filename=f.relative_to(args.corpus).as_posix())
        except ParseError:
            failed += 1
            continue
        t1 = time.monotonic()
        drafts = document_chunk(parsed=parsed, max_tokens=settings.CHUNK_MAX_TOKENS,
                                overlap_tokens=settings.CHUNK_OVERLAP_TOKENS, token_counter=counter)
        t2 = time.monotonic()
        texts_embed([embedding_text(chunk=d, title=parsed.title) for d in drafts])
        t3 = time.monotonic()
        t_parse, t_chunk, t_embed = t_parse + t1 - t0, t_chunk + t2 - t1, t_embed + t3 - t2
        n_chunks += len(drafts)
    total = time.monotonic() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files {len(files)} (failed {failed}), chunks {n_chunks}, "
          f"max_tokens {settings.CHUNK_MAX_TOKENS}, overlap {settings.CHUNK_OVERLAP_TOKENS}")
    print(f"parse {t_parse:.1f} s, chunk {t_chunk:.1f} s, embed {t_embed:.1f} s "
          f"({n_chunks / max(t_embed, 1e-9):.1f} chunks/s), total {total:.1f} s, peak RSS {rss_mb:.0f} MiB")


if __name__ == "__main__":
    main()
