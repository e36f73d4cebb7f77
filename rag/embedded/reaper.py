"""supervisord event listener: a supervised process that exits leaves nothing of itself behind.

supervisord starts every program as the leader of its own process group and, on a stop, signals
the whole group (``stopasgroup``); but when a program's main process dies on its own (``kill -9``,
the OOM killer), its children are orphaned and live on beside the replacement: gunicorn workers,
vLLM's engine process with its KV cache, an ingestion pool process still writing chunks. On
each ``PROCESS_STATE_EXITED`` event this listener sends SIGKILL to what is left of that process
group (the group id is the dead process's pid), before or while the replacement starts in a
group of its own. Run by supervisord as ``python -m rag.embedded.reaper``
(:func:`rag.embedded.processes.supervisor_config_write`); stdout carries the event-listener
protocol, so it reports on stderr.
"""
from __future__ import annotations

import os
import signal
import sys


def process_group_reap(*, pgid: int) -> bool:
    """SIGKILL every process still in process group ``pgid``; whether there was any.

    Linux reuses no pid while a process group of that id has members, so ``pgid`` cannot name
    a newer process's group as long as something of the old one is left to kill.
    """
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


def main() -> None:
    """Serve supervisord's events forever: reap the group of each process that exited."""
    from supervisor import childutils

    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        if headers.get("eventname") == "PROCESS_STATE_EXITED":
            fields = dict(token.split(":", 1) for token in payload.split())
            if process_group_reap(pgid=int(fields["pid"])):
                print(f"reaper: killed what was left of {fields['processname']} (process group {fields['pid']})",
                      file=sys.stderr, flush=True)
        childutils.listener.ok(sys.stdout)


if __name__ == "__main__":
    main()
