"""Issue 15: Redis persists with its append-only file in every mode (rag.embedded.redis), so
what the broker holds survives a stop and start on the same state directory."""
from __future__ import annotations

import kombu
import redis

from rag.embedded.net import port_free
from rag.embedded.redis import redis_start, redis_stop


def test_it_keeps_a_key_and_a_queued_message_across_a_stop_and_a_start(tmp_path):
    port = port_free()
    url = f"redis://127.0.0.1:{port}/0"
    redis_start(state_dir=tmp_path, port=port)
    try:
        with redis.Redis(host="127.0.0.1", port=port) as client:
            client.set("perimeter:test:key", "kept")
        # a message as Celery's transport queues a task: a list in the broker
        with kombu.Connection(url) as conn, conn.SimpleQueue("perimeter-test-ingest") as queue:
            queue.put({"document_id": 42})

        redis_stop(port=port)  # as `./perimeter run` stops it on exit
        redis_start(state_dir=tmp_path, port=port)

        assert (tmp_path / "redis" / "appendonly.aof").stat().st_size > 0
        with redis.Redis(host="127.0.0.1", port=port) as client:
            assert client.get("perimeter:test:key") == b"kept"
        with kombu.Connection(url) as conn, conn.SimpleQueue("perimeter-test-ingest") as queue:
            message = queue.get(timeout=5)
            assert message.payload == {"document_id": 42}
            message.ack()
    finally:
        redis_stop(port=port)
