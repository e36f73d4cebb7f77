"""Issue 15: the embedded mode's supervisor (rag.embedded.processes) restarts a process that
dies, leaves nothing of it behind, and stops everything on SIGTERM.

These run the real supervisord with our generated config on small stand-in programs (``sleep``
under ``sh``); tests/embedded/test_launcher.py runs the whole ``./perimeter run``.
"""
from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from rag.embedded.processes import Program, env_changes, supervisor_config_write

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(predicate, *, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout_s} s")


def _gone(proc: psutil.Process) -> bool:
    try:
        return not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _program_process(supervisor: psutil.Process, marker: str) -> psutil.Process | None:
    """The main process of the supervised program whose command line contains ``marker``."""
    for child in supervisor.children():
        try:
            if marker in " ".join(child.cmdline()):
                return child
        except psutil.NoSuchProcess:
            continue
    return None


@pytest.fixture
def supervised(tmp_path):
    """supervisord run by ``supervisor_run`` (as the launcher runs it) in a process of its own,
    with two programs: ``steady`` and ``family`` (a shell with a child of its own)."""
    programs = [Program("steady", ["sleep", "1001"], startsecs=1),
                Program("family", ["sh", "-c", "sleep 1002 & wait"], startsecs=1)]
    config = supervisor_config_write(programs=programs, state_dir=tmp_path)
    runner = subprocess.Popen(
        [sys.executable, "-c", "import os, sys; from pathlib import Path; from rag.embedded.processes import "
         "supervisor_run; sys.exit(supervisor_run(config=Path(sys.argv[1]), env=dict(os.environ)))", str(config)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=open(tmp_path / "out.log", "ab"), stderr=subprocess.STDOUT)  # append: supervisord reopens /dev/stdout
    launcher = psutil.Process(runner.pid)
    supervisor = _wait_for(lambda: next((c for c in launcher.children() if "supervisord" in " ".join(c.cmdline())),
                                        None), timeout_s=30, what="supervisord started")
    _wait_for(lambda: _program_process(supervisor, "sleep 1002 & wait") and _program_process(supervisor, "1001"),
              timeout_s=30, what="both programs started")
    yield runner, supervisor, tmp_path
    if runner.poll() is None:
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=60)


def test_it_writes_commands_supervisord_reads_back_verbatim(tmp_path):
    from supervisor.options import ServerOptions

    program = Program("ingest", [sys.executable, "-m", "celery", "-n", "ingest@%h", "--schedule", "/tmp/a b/c'd",
                                 "50%", 'say "hi";now'], cwd=tmp_path / "100% here", nice=10,
                      env=env_changes(base={"KEEP": "1", "DROP": "x"}, target={"KEEP": "1", "NEW": "a b%c"}))
    config = supervisor_config_write(programs=[program], state_dir=tmp_path)

    options = ServerOptions()
    options.configfile = str(config)
    options.process_config(do_usage=False)
    read = {group.name: group.process_configs[0] for group in options.process_group_configs}

    command = program.command()
    assert shlex.split(read["ingest"].command) == command
    # env changes the environment, nice lowers the priority, each exec()s the next: one pid
    assert Path(command[0]).name == "env" and command[1:4] == ["-u", "DROP", "NEW=a b%c"]
    assert Path(command[4]).name == "nice" and command[5:7] == ["-n", "10"]
    assert command[7:] == program.argv
    assert read["ingest"].directory == str(tmp_path / "100% here")
    assert read["ingest"].stopasgroup and read["ingest"].killasgroup
    assert "reaper" in read  # the event listener that kills a dead process's orphans


def test_it_refuses_a_command_the_config_format_would_cut_at_a_comment(tmp_path):
    with pytest.raises(ValueError, match="supervisord.conf"):
        supervisor_config_write(programs=[Program("x", ["echo", "a ;b"])], state_dir=tmp_path)


def test_it_restarts_a_killed_program_and_kills_the_children_it_left_behind(supervised):
    runner, supervisor, _ = supervised
    steady = _program_process(supervisor, "1001")
    family = _program_process(supervisor, "sleep 1002 & wait")
    orphan = family.children()[0]

    family.send_signal(signal.SIGKILL)

    def replacement_started():
        process = _program_process(supervisor, "sleep 1002 & wait")
        return process if process is not None and process.pid != family.pid else None

    replacement = _wait_for(replacement_started, timeout_s=15, what="a new 'family' process")
    assert replacement.is_running()
    _wait_for(lambda: _gone(orphan), timeout_s=15, what="the killed shell's child was killed")
    assert _program_process(supervisor, "1001").pid == steady.pid  # the others keep running
    assert runner.poll() is None


def test_it_stops_every_process_on_sigterm_and_exits_0(supervised):
    runner, supervisor, tmp_path = supervised
    everyone = [supervisor, *supervisor.children(recursive=True)]
    assert len(everyone) == 5  # supervisord, the reaper, sleep, sh and its sleep

    runner.send_signal(signal.SIGTERM)

    assert runner.wait(timeout=30) == 0, (tmp_path / "out.log").read_text()[-3000:]
    _wait_for(lambda: all(_gone(p) for p in everyone), timeout_s=30, what="every supervised process gone")
