"""Operations: health and readiness checks, Prometheus metrics, JSON logs with a
request id carried from the web request into Celery tasks and model calls, and
the worker heartbeat. Nothing here changes business data."""
