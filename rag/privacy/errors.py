"""Errors of the redaction path. None of them ever carries personal data or a secret."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.privacy.redaction import Finding, RedactionResult


class RedactionError(Exception):
    """Base class of rag.privacy's errors."""


class RedactionBlocked(RedactionError):
    """The payload must not leave the network.

    ``reason`` says why without quoting any personal data or secret (it is
    shown in the approval queue, e.g. ``"secret detected: AWS access key"``).
    ``result`` is the best redacted version available (never the original
    text), or ``None`` when the analyzer failed before anything was redacted.
    ``findings`` lists what the residual scan found, with offsets into the
    texts *before* the residual findings were masked.
    """

    def __init__(self, reason: str, *, result: RedactionResult | None = None,
                 findings: Sequence[Finding] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.result = result
        self.findings = tuple(findings)


class VaultDecryptError(RedactionError):
    """The vault blob was not made with this key, was altered, or is too old."""
