"""JSON logs (structlog) with the request id bound per request and per Celery task.

Every record of every logger (ours, Django's, Celery's) becomes one JSON object on
stderr: ``{"event", "level", "logger", "timestamp", "request_id", ...}``. The request
id and the task name are bound with :mod:`structlog.contextvars`, so any log line
written while serving a request or running a task carries them.

What must never be logged: document text, question text, answers, names or any
other personal data. Log ids, counts, durations and statuses only (the walkthrough
test in tests/ops greps the logs of a full ask-escalate-approve run for its PII).
"""
from __future__ import annotations

import logging
import re
import uuid

import structlog

# An incoming X-Request-ID is kept only if it looks like an id, never free text.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def json_formatter() -> logging.Formatter:
    """The ``logging`` formatter of settings.LOGGING: one JSON object per record."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )


def structlog_configure() -> None:
    """Route structlog loggers through ``logging`` so both share the JSON formatter."""
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def request_id_new(incoming: str | None = None) -> str:
    """``incoming`` if it is a plausible id (8-64 of ``[A-Za-z0-9._-]``), else a new uuid4 hex."""
    if incoming and _REQUEST_ID_RE.match(incoming):
        return incoming
    return uuid.uuid4().hex


def request_id_current() -> str | None:
    """The request id bound in this context (a web request or a Celery task), or None."""
    return structlog.contextvars.get_contextvars().get("request_id")
