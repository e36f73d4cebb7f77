"""Bounds that protect the worker from one file: caps, container checks and a hard deadline.

Every parse runs in a forked child process (:func:`parse_bounded`) with an
address-space limit and a wall-clock deadline enforced by the parent with
``SIGKILL``. That holds in every pool we ship (prefork, solo, threads, the
test process) because it needs neither Celery's time limits nor ``SIGALRM``
in the main thread, and it stops C code (pdfium, tesseract) as surely as
Python loops. Container formats (OOXML, ODF) are checked *before* anything
is extracted: entry count, total uncompressed size, compression ratio, and
encrypted entries.
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import select
import signal
import time
import zipfile
from collections.abc import Callable

from .base import ParseError

PARSE_DEADLINE_SECONDS = 120.0  # wall clock for one document, OCR included
PARSE_MEMORY_BYTES = 2 * 1024**3  # extra address space the parsing child may map
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNCOMPRESSED_BYTES = 512 * 1024**2
ZIP_MAX_RATIO = 200  # total uncompressed / compressed; zip bombs are in the thousands
HTML_MAX_DEPTH = 256  # open elements at once (auto-closing ones not counted)
HTML_MAX_ELEMENTS = 300_000
SHEET_MAX_ROWS = 20_000  # per sheet or CSV
SHEET_MAX_CELLS = 1_000_000  # per workbook
STRUCTURE_MAX_NODES = 200_000  # JSON/YAML values visited
OCR_MAX_PAGES = 20  # per document
OCR_PAGE_SECONDS = 30
MAIL_MAX_DEPTH = 3  # a mail attached to a mail attached to a mail
MAIL_MAX_ATTACHMENT_BYTES = 50 * 1024**2  # all attachments of one message, nested ones included
MAIL_MAX_ATTACHMENTS = 100


class ParseTimeout(ParseError):
    """The parse ran past :data:`PARSE_DEADLINE_SECONDS` and was killed."""


def zip_check(data: bytes, *, name: str, kind: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking it is safe to extract.

    ``kind`` names the format in messages ("DOCX", "ODF"...). Returns the open
    ``ZipFile``. Raises ``ParseError`` for a file that is not a zip, has an
    encrypted entry ("encrypted"), more than :data:`ZIP_MAX_ENTRIES` entries,
    more than :data:`ZIP_MAX_UNCOMPRESSED_BYTES` uncompressed, or a
    compression ratio over :data:`ZIP_MAX_RATIO` (a zip bomb).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseError(f"corrupt {kind}: {name} is not a readable ZIP package ({exc})") from exc
    if any(info.flag_bits & 0x1 for info in infos):
        raise ParseError(f"encrypted {kind}: {name} is password-protected; upload an unprotected copy")
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ParseError(f"{kind} {name} has {len(infos)} entries; the limit is {ZIP_MAX_ENTRIES}")
    total = sum(info.file_size for info in infos)
    if total > ZIP_MAX_UNCOMPRESSED_BYTES:
        raise ParseError(f"{kind} {name} expands to {total} bytes; the limit is {ZIP_MAX_UNCOMPRESSED_BYTES}")
    compressed = max(1, sum(info.compress_size for info in infos))
    if total > 1024**2 and total / compressed > ZIP_MAX_RATIO:
        raise ParseError(
            f"{kind} {name} expands {total // compressed}-fold (limit {ZIP_MAX_RATIO}); refused as a zip bomb"
        )
    return archive


def parse_bounded(function: Callable[[], object], *, deadline_s: float = PARSE_DEADLINE_SECONDS,
                  memory_bytes: int = PARSE_MEMORY_BYTES) -> object:
    """Run ``function()`` in a forked child; return its result or re-raise its ``ParseError``.

    The child gets ``memory_bytes`` of address space beyond what the worker
    already maps (``MemoryError`` there becomes "too large to parse") and is
    killed with its process group (tesseract included) after ``deadline_s``
    seconds, raising :class:`ParseTimeout`. Other exceptions in the child come
    back as ``ParseError`` with the exception's text.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns
        os.close(read_fd)
        status = 0
        try:
            os.setpgid(0, 0)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _address_space_limit(memory_bytes)
            try:
                payload = ("ok", function())
            except ParseError as exc:
                payload = ("parse_error", (str(exc), exc.permanent))
            except MemoryError:
                payload = ("parse_error", (f"too large to parse within {memory_bytes // 1024**2} MiB", True))
            except RecursionError:
                payload = ("parse_error", ("structure nested too deeply", True))
            except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as text
                payload = ("error", f"{type(exc).__name__}: {exc}")
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(data)
        except BaseException:  # noqa: BLE001
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    chunks: list[bytes] = []
    started = time.monotonic()
    timed_out = False
    try:
        while True:
            left = deadline_s - (time.monotonic() - started)
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
                try:
                    target()
                except (ProcessLookupError, PermissionError):
                    pass
        _, wait_status = os.waitpid(pid, 0)
    if timed_out:
        raise ParseTimeout(f"parsing took longer than {deadline_s:g} s and was stopped", permanent=True)
    if not chunks:
        signal_number = -os.waitstatus_to_exitcode(wait_status)
        killed = f" (killed by signal {signal_number})" if signal_number > 0 else ""
        raise ParseError(f"the parser stopped without a result{killed}; the file may be too large or malformed")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "ok":
        return value
    if kind == "parse_error":
        message, permanent = value
        raise ParseError(message, permanent=permanent)
    raise ParseError(f"could not parse: {value}")


def _address_space_limit(extra_bytes: int) -> None:
    """Cap the child's address space at what it maps now plus ``extra_bytes``."""
    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return
    limit = mapped + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
