"""Fixtures for operations tests: a fresh Redis database per test, and an own Redis
server that a test may stop."""
from __future__ import annotations

import pytest

from rag.embedded.net import port_free
from rag.embedded.redis import redis_start, redis_stop


@pytest.fixture
def redis_db(settings):
    """An empty database on the session's Redis (db 7), so heartbeats and verifications
    written by other tests or the session's worker are not seen."""
    from rag.ops.state import redis_client

    settings.REDIS_URL = settings.REDIS_URL.rsplit("/", 1)[0] + "/7"
    redis_client().flushdb()
    yield settings.REDIS_URL
    redis_client().flushdb()


@pytest.fixture
def own_redis(settings, tmp_path):
    """A Redis server of this test's own on a free port; ``own_redis.stop()`` stops it."""
    port = port_free()
    redis_start(state_dir=tmp_path, port=port)
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"

    class Handle:
        url = settings.REDIS_URL
        stopped = False

        def stop(self):
            redis_stop(port=port)
            self.stopped = True

    handle = Handle()
    yield handle
    if not handle.stopped:
        redis_stop(port=port)
