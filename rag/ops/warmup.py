"""Loading what a web process's first question would otherwise load while a client waits.

On 2 cores a cold gunicorn worker took seconds on its first requests (URL conf and every
view module it imports, Presidio's engine among them; the ONNX embedding session; the
abstention model; the stemmer), and the requests behind it in its threads waited as well.
"""
from __future__ import annotations

import time

import structlog

logger = structlog.get_logger("rag.ops")


def web_process_warm() -> float:
    """Import every view (the URL conf) and load the query path's models in this process;
    returns the seconds it took. Reads no database row and writes nothing. A part that fails
    to load is logged and skipped: the request that needs it will raise as it would have."""
    started = time.monotonic()
    from django.urls import get_resolver

    steps = [("urls", lambda: get_resolver().url_patterns)]
    from ingest.embedding import texts_embed
    from rag.search.abstention import support_model_get
    from rag.search.analysis import term_counts

    steps += [("embedding", lambda: texts_embed(["warm-up"])), ("support_model", support_model_get),
              ("analysis", lambda: term_counts("warming up"))]
    for name, step in steps:
        try:
            step()
        except Exception:  # logged; warming is an optimisation, never a reason not to serve
            logger.exception("web.warm_failed", step=name)
    seconds = time.monotonic() - started
    logger.info("web.warmed", seconds=round(seconds, 2))
    return seconds
