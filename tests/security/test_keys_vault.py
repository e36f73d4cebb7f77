"""Attack 5 of issue 10: VAULT_KEY was documented but never read; vaults were always derived
from SECRET_KEY, so rotating SECRET_KEY broke every open request, and there was no way to
rotate the vault key itself.

Now vaults are encrypted with VAULT_KEY whenever it is set (never SECRET_KEY), and older
vault keys listed in VAULT_KEY_PREVIOUS (newest first) still open older vaults."""
from __future__ import annotations

import stat

import pytest

from rag.embedded.__main__ import _key_file_ensure
from rag.privacy.errors import VaultDecryptError
from rag.privacy.keys import vault_keys
from rag.privacy.vault import Vault, vault_decrypt, vault_encrypt, vault_reencrypt

OLD, NEW = "vault-key-of-last-year-0123456789abcdef", "vault-key-of-this-year-0123456789abcdef"
VAULT = Vault({"<PERSON_1>": "Jérôme Ndiaye", "<EMAIL_1>": "jerome@corp.example"})


def test_rotating_the_django_secret_leaves_open_vaults_readable(settings):
    settings.VAULT_KEY, settings.VAULT_KEY_PREVIOUS = NEW, []
    blob = vault_encrypt(VAULT, vault_keys())
    settings.SECRET_KEY = "a-brand-new-django-secret-" + "x" * 40
    assert vault_decrypt(blob, vault_keys()).entries == VAULT.entries


def test_the_django_secret_never_encrypts_a_vault_when_a_vault_key_is_set(settings):
    settings.VAULT_KEY, settings.VAULT_KEY_PREVIOUS = NEW, []
    assert settings.SECRET_KEY not in vault_keys()
    blob = vault_encrypt(VAULT, vault_keys())
    with pytest.raises(VaultDecryptError):
        vault_decrypt(blob, settings.SECRET_KEY)


def test_rotating_the_vault_key_keeps_old_vaults_readable_while_the_old_key_is_listed(settings):
    settings.VAULT_KEY, settings.VAULT_KEY_PREVIOUS = OLD, []
    old_blob = vault_encrypt(VAULT, vault_keys())

    settings.VAULT_KEY, settings.VAULT_KEY_PREVIOUS = NEW, [OLD]  # rotated
    assert vault_keys() == [NEW, OLD]
    assert vault_decrypt(old_blob, vault_keys()).entries == VAULT.entries
    new_blob = vault_encrypt(VAULT, vault_keys())
    assert vault_decrypt(new_blob, NEW).entries == VAULT.entries  # new vaults use the newest key only
    with pytest.raises(VaultDecryptError):
        vault_decrypt(new_blob, OLD)

    settings.VAULT_KEY_PREVIOUS = []  # the old key retired
    with pytest.raises(VaultDecryptError):
        vault_decrypt(old_blob, vault_keys())


def test_an_old_vault_can_be_moved_to_the_newest_key_before_its_key_is_retired():
    old_blob = vault_encrypt(VAULT, OLD)
    moved = vault_reencrypt(old_blob, [NEW, OLD])
    assert vault_decrypt(moved, NEW).entries == VAULT.entries


def test_without_a_vault_key_development_falls_back_to_the_django_secret(settings):
    settings.VAULT_KEY, settings.VAULT_KEY_PREVIOUS = "", [OLD]
    assert vault_keys() == [settings.SECRET_KEY]


def test_the_embedded_mode_generates_each_key_once_readable_by_its_owner_only(tmp_path):
    key_file = _key_file_ensure(tmp_path / "vault_key", nbytes=32)
    first = key_file.read_text()
    assert len(first) >= 43 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _key_file_ensure(tmp_path / "vault_key", nbytes=32).read_text() == first
