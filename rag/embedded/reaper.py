"""Nothing of a dead supervised process is left behind.

supervisord starts every program as the leader of its own process group and, on a stop, signals
the whole group (``stopasgroup``); but when a program's main process dies on its own (``kill -9``,
the OOM killer), its children would be orphaned and live on beside the replacement: gunicorn
workers, vLLM's engine process with its KV cache, an ingestion pool process still writing chunks.
Two halves make sure they do not:

- ``python -m rag.embedded.reaper supervisord ARGS`` runs supervisord as a *child subreaper*
  (Linux ``PR_SET_CHILD_SUBREAPER``): a dead program's orphans are adopted by supervisord rather
  than by init, so they stay in view;
- ``python -m rag.embedded.reaper listen``, supervisord's event listener for every exit
  (``PROCESS_STATE_EXITED``, or ``PROCESS_STATE_BACKOFF`` for one that died while starting),
  kills (SIGKILL) each process group whose leader is gone but that still has a member adopted by
  supervisord: exactly what dead programs left behind. A live program's group is never touched,
  nor is a supervised process (each leads its own group).

Wired by :mod:`rag.embedded.processes`. The listener's stdout carries supervisord's event
protocol, so it reports on stderr.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>


def subreaper_become() -> bool:
    """Make this process the adopter of its descendants' orphans (kept across exec, not passed
    to children); False where the kernel has no such thing."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, process group id) of every process, from ``/proc/<pid>/stat``."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, ...
        found.append((int(entry.name), int(fields[1]), int(fields[2])))
    return found


def orphans_reap(*, adopter: int) -> list[int]:
    """SIGKILL every process group whose leader has exited while a member lives on as a child of
    ``adopter`` (the subreaper supervisord); return those group ids.

    Linux reuses no pid while a process group of that id has members, so a group id found here
    cannot name a newer process's group.
    """
    processes = _processes()
    alive = {pid for pid, _, _ in processes}
    groups = sorted({pgid for pid, ppid, pgid in processes if ppid == adopter and pgid != pid and pgid not in alive})
    for pgid in groups:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return groups


def listen() -> None:
    """Serve supervisord's events forever: after each exit, reap what dead programs left behind."""
    from supervisor import childutils

    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        if headers.get("eventname") in ("PROCESS_STATE_EXITED", "PROCESS_STATE_BACKOFF"):
            name = dict(token.split(":", 1) for token in payload.split()).get("processname", "?")
            for pgid in orphans_reap(adopter=os.getppid()):
                print(f"reaper: killed process group {pgid}, left behind when {name} exited",
                      file=sys.stderr, flush=True)
        childutils.listener.ok(sys.stdout)


def main(argv: list[str]) -> None:
    """``supervisord ARGS...``: supervisord as a child subreaper, in this process; ``listen``: the listener."""
    if argv[:1] == ["supervisord"]:
        from supervisor.supervisord import main as supervisord_main

        subreaper_become()
        supervisord_main(args=argv[1:])
    elif argv == ["listen"]:
        listen()
    else:
        raise SystemExit("usage: python -m rag.embedded.reaper {supervisord ARGS... | listen}")


if __name__ == "__main__":
    main(sys.argv[1:])
