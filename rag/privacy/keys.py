"""Where the vault keys come from: the one place in rag.privacy that reads Django settings."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def vault_keys() -> list[str]:
    """The secrets vault keys are derived from, newest first (see :func:`rag.privacy.vault.vault_encrypt`).

    ``[VAULT_KEY, *VAULT_KEY_PREVIOUS]`` whenever ``VAULT_KEY`` is set: new vaults
    are encrypted with ``VAULT_KEY``, and vaults encrypted before a rotation still
    open while their key is listed in ``VAULT_KEY_PREVIOUS``. ``SECRET_KEY`` is
    then never used, so rotating it does not break open requests. Without a vault
    key (development and tests only: production settings refuse to start without
    one) the single key is ``SECRET_KEY``.

    Raises ``ImproperlyConfigured`` if no key is available.
    """
    current = getattr(settings, "VAULT_KEY", "")
    if current:
        previous = [k for k in getattr(settings, "VAULT_KEY_PREVIOUS", []) if k and k != current]
        return [current, *previous]
    secret = getattr(settings, "SECRET_KEY", "")
    if not secret:
        raise ImproperlyConfigured("VAULT_KEY (or, outside production, SECRET_KEY) must be set to encrypt "
                                   "pseudonym vaults")
    return [secret]
