"""The audit key: held outside the database, it keys the chain's HMAC and signs checkpoints."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

AUDIT_KEY_MIN_CHARS = 32


def audit_key() -> bytes:
    """``settings.AUDIT_KEY`` as the UTF-8 bytes used as the HMAC key (RFC 2104).

    Raises ImproperlyConfigured when the key is missing or shorter than
    :data:`AUDIT_KEY_MIN_CHARS` characters: nothing is audited (so nothing that must
    be audited happens) without it. ``./perimeter run`` generates one in
    ``.state/audit_key``; production passes ``AUDIT_KEY_FILE``.
    """
    key = getattr(settings, "AUDIT_KEY", "")
    if len(key) < AUDIT_KEY_MIN_CHARS:
        raise ImproperlyConfigured(
            f"AUDIT_KEY must be set to at least {AUDIT_KEY_MIN_CHARS} characters (AUDIT_KEY or AUDIT_KEY_FILE); "
            "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return key.encode("utf-8")
