"""Who is knocking: the client address of a request, for throttles and lockouts.

One function, used by django-axes (``AXES_CLIENT_IP_CALLABLE``), the failed-attempt
limiter (:mod:`rag.access.failures`) and nothing else, so every limit counts the same
client the same way.
"""
from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def client_address(request) -> str:
    """The client's IP address as a string ("" if unknown).

    With ``TRUSTED_PROXY_COUNT = n`` > 0 (n reverse proxies in front, each appending
    the address it saw to ``X-Forwarded-For``), the n-th entry from the right: entries
    further left were written by the client and can be forged. Otherwise
    ``REMOTE_ADDR``.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or ""


def client_pseudonym(address: str) -> str:
    """A stable pseudonym of a client address for the audit trail (16 hex characters).

    HMAC-SHA256 keyed with ``SECRET_KEY``: repeated attempts from one address can be
    correlated in the trail without storing the address (personal data).
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return digest[:16]
