"""gunicorn settings every deployment of the web server shares: ``gunicorn -c python:rag.ops.gunicorn_conf``.

The embedded mode, compose, the Dockerfile and the Kubernetes web Deployment pass it; bind
address, workers and threads stay on their command lines (they differ per deployment).
Server hooks follow https://docs.gunicorn.org/en/stable/settings.html#server-hooks.
"""
from __future__ import annotations


def post_worker_init(worker) -> None:
    """Warm a web worker before it accepts requests (:func:`rag.ops.warmup.web_process_warm`),
    so the first requests it serves do not pay for loading views and models (seconds on 2 cores)."""
    from rag.ops.warmup import web_process_warm

    web_process_warm()
