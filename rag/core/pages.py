"""Web pages show a refused operation the one way: ``str(exc)`` of the DomainError as an error message.

Pages redirect after a POST, so the refusal travels as a Django message (the API
renders the same exception as its error body, :mod:`rag.core.api`)::

    with refusal_shown(request, prefix=f"Request #{request_id} was not approved: "):
        fallback_approve(...)
        messages.success(request, f"Request #{request_id} approved.")
    return redirect(...)
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from django.contrib import messages

from rag.core.errors import DomainError


@contextmanager
def refusal_shown(request, *, prefix: str = "") -> Iterator[None]:
    """Run the block; if it raises a DomainError, add ``prefix + str(exc)`` as an error message
    and go on after the block (the rest of the block is skipped). Other exceptions propagate."""
    try:
        yield
    except DomainError as exc:
        messages.error(request, f"{prefix}{exc}")
