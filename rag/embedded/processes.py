"""The embedded mode's long-running processes, supervised by supervisord (``supervisor`` on PyPI).

supervisord restarts a process that dies (``autorestart``; one that dies again within
``startsecs`` of its start is retried after 1, 2, 3 ... s, and given up after ``startretries`` (5)
retries, logged as ``gave up: NAME entered FATAL state``), so one ``kill -9`` of a
worker no longer takes the whole run down. It runs in the foreground (``-n``), writes its
children's output to the terminal, and on SIGTERM or SIGINT stops each process's whole process
group (``stopasgroup``/``killasgroup``: gunicorn's and Celery's pool children too), sending
SIGKILL after ``stopwaitsecs``. Every child gets its own process group from supervisord, so a
Ctrl-C in the terminal reaches supervisord and this launcher only, and the children are stopped
in order rather than all interrupted at once.

A program whose main process dies on its own would orphan its children (gunicorn's workers,
vLLM's engine, a Celery pool process): supervisord runs as their adopter and an event listener
kills what is left of the dead program's process group as the replacement starts
(:mod:`rag.embedded.reaper`).

The config file is generated under the state directory (``supervisord.conf``); supervisord's
own log (starts, exits, restarts) also goes to ``supervisord.log`` there.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Program:
    """One supervised process.

    ``env`` holds only what differs from the supervisor's own environment (set, or ``None``
    to unset); ``nice`` is the niceness increment (0: same CPU priority as the launcher).
    ``startsecs``: seconds it must stay up for a start to count; ``stopwaitsecs``: seconds
    between the stop signal (SIGTERM) and SIGKILL.
    """

    name: str
    argv: list[str]
    cwd: Path | None = None
    env: dict[str, str | None] = field(default_factory=dict)
    nice: int = 0
    startsecs: int = 10
    stopwaitsecs: int = 30

    def command(self) -> list[str]:
        """The argv supervisord executes: ``env`` for the environment changes and ``nice`` for
        the priority, each of which ``exec``s the next, so the process keeps one pid throughout."""
        prefix: list[str] = []
        if self.env:
            prefix = [shutil.which("env") or "/usr/bin/env"]
            prefix += [arg for k, v in sorted(self.env.items()) if v is None for arg in ("-u", k)]
            prefix += [f"{k}={v}" for k, v in sorted(self.env.items()) if v is not None]
        if self.nice:
            prefix += [shutil.which("nice") or "/usr/bin/nice", "-n", str(self.nice)]
        return [*prefix, *self.argv]


def env_changes(*, base: dict[str, str], target: dict[str, str]) -> dict[str, str | None]:
    """What turns environment ``base`` into ``target``: changed or new values, ``None`` for removed names."""
    changes: dict[str, str | None] = {k: v for k, v in target.items() if base.get(k) != v}
    changes.update({k: None for k in base if k not in target})
    return changes


def _conf_value(value: str) -> str:
    """``value`` as an INI value supervisord reads back verbatim: it expands ``%(...)s`` in every
    value (so ``%`` doubles) and strips comments after `` ;`` or `` #``.

    Raises:
        ValueError: a newline, or a comment marker after whitespace, which no escaping survives.
    """
    if "\n" in value or re.search(r"\s[;#]", value):
        raise ValueError(f"cannot be written to supervisord.conf: {value!r}")
    return value.replace("%", "%%")


def supervisor_config_write(*, programs: list[Program], state_dir: Path) -> Path:
    """Write ``state_dir/supervisord.conf`` for ``programs`` plus the :mod:`rag.embedded.reaper`
    event listener; return its path. The listener starts first and stops last; the programs start
    together and stop together (one priority), so a stop takes the slowest one's time, not the sum.

    Raises:
        ValueError: a command or path that the INI format cannot carry (see ``_conf_value``).
    """
    lines = ["[supervisord]", "nodaemon=true",
             f"logfile={_conf_value(str(state_dir / 'supervisord.log'))}",
             f"pidfile={_conf_value(str(state_dir / 'supervisord.pid'))}",
             f"childlogdir={_conf_value(str(state_dir))}",
             # as root it runs everything as root (as before), without a CRIT line saying so at every start
             *(["user=root"] if os.geteuid() == 0 else []), "",
             # started first; its stdout is the event protocol, its reports go to the terminal
             "[eventlistener:reaper]",
             f"command={_conf_value(shlex.join([sys.executable, '-m', 'rag.embedded.reaper', 'listen']))}",
             f"directory={_conf_value(str(ROOT))}",
             "events=PROCESS_STATE_EXITED,PROCESS_STATE_BACKOFF", "priority=0", "autorestart=true", "startsecs=1",
             "stdout_logfile=NONE", "stderr_logfile=/dev/stdout", "stderr_logfile_maxbytes=0", ""]
    for p in programs:
        lines += [f"[program:{p.name}]",
                  f"command={_conf_value(shlex.join(p.command()))}",
                  *([f"directory={_conf_value(str(p.cwd))}"] if p.cwd else []),
                  "priority=100", "autostart=true", "autorestart=true",
                  f"startsecs={p.startsecs}", "startretries=5",
                  "stopsignal=TERM", f"stopwaitsecs={p.stopwaitsecs}", "stopasgroup=true", "killasgroup=true",
                  # the terminal, unbuffered and never rotated (rotation of /dev/stdout is an error)
                  "redirect_stderr=true", "stdout_logfile=/dev/stdout", "stdout_logfile_maxbytes=0", ""]
    path = state_dir / "supervisord.conf"
    path.write_text("\n".join(lines))
    return path


def supervisor_run(*, config: Path, env: dict[str, str]) -> int:
    """Run ``supervisord -n -c config`` with ``env`` until it exits; return its exit status.

    supervisord runs as the orphans' adopter (:mod:`rag.embedded.reaper`). A SIGTERM or SIGINT
    to this process is passed on as SIGTERM, so supervisord stops every program (as above)
    before this returns. supervisord itself exits 0 after such a stop.
    """
    proc = subprocess.Popen([sys.executable, "-m", "rag.embedded.reaper", "supervisord", "-n", "-c", str(config)],
                            env=env, cwd=ROOT)

    def forward(signum, frame):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
