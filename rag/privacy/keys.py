"""Where the vault secret comes from: the one place in rag.privacy that reads Django settings."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def vault_secret() -> str:
    """The secret that vault keys are derived from (see :func:`rag.privacy.redaction.vault_key_derive`).

    ``settings.VAULT_KEY`` when set (rotate it independently of sessions and
    CSRF), else ``settings.SECRET_KEY``. Raises ``ImproperlyConfigured`` if both
    are empty.
    """
    secret = getattr(settings, "VAULT_KEY", "") or getattr(settings, "SECRET_KEY", "")
    if not secret:
        raise ImproperlyConfigured("VAULT_KEY or SECRET_KEY must be set to encrypt pseudonym vaults")
    return secret
