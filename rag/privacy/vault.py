"""The pseudonym vault of one request: placeholder <-> original value, its encryption, and de-anonymisation.

Pure functions, no Django: the keys come from the caller (see
:func:`rag.privacy.keys.vault_keys`).

* :class:`Vault` allocates ``<TYPE_n>`` placeholders; equal values (after
  normalisation) share one.
* :func:`vault_encrypt` / :func:`vault_decrypt`: Fernet with HKDF-derived keys; a list of
  keys, newest first, so rotating the vault key keeps older vaults readable (MultiFernet).
* :func:`text_deanonymize`: put the originals back into an external answer.
"""
from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import phonenumbers
import regex
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from rag.privacy.errors import VaultDecryptError
from rag.privacy.recognizers import ENTITY_TYPES

_TYPES_ALT = "|".join(sorted(ENTITY_TYPES, key=len, reverse=True))
PLACEHOLDER_RE = regex.compile(rf"<(?P<type>{_TYPES_ALT})_(?P<n>\d+)>")


def value_key(entity_type: str, value: str) -> str:
    """Canonical form of a value, so that spellings of one value share a placeholder."""
    v = " ".join(value.split())
    if entity_type in ("CREDIT_CARD", "US_SSN"):
        return regex.sub(r"\D", "", v)
    if entity_type == "IBAN":
        return regex.sub(r"[^0-9A-Za-z]", "", v).upper()
    if entity_type == "PHONE":
        number = "+" + v[2:] if v.startswith("00") else v
        try:
            parsed = phonenumbers.parse(number.replace("(0)", ""), "US")
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            return e164 + ("x" + parsed.extension if parsed.extension else "")
        except phonenumbers.NumberParseException:
            return regex.sub(r"[^\dx+]", "", v.lower())
    if entity_type == "IP_ADDRESS":
        return v.lower()
    if entity_type == "ADDRESS":
        return regex.sub(r"[\s,.]+", " ", v).casefold().strip()
    return v.casefold()


@dataclass
class Vault:
    """Placeholder -> original value for one request (or one conversation).

    Serialise with :meth:`to_dict` / :meth:`from_dict` (plain JSON types) and
    store only encrypted (:func:`vault_encrypt`).
    """

    entries: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index: dict[tuple[str, str], str] = {}
        self._next: Counter[str] = Counter()
        for placeholder, original in self.entries.items():
            m = PLACEHOLDER_RE.fullmatch(placeholder)
            if not m:
                raise ValueError(f"not a placeholder: {placeholder!r}")
            kind, n = m["type"], int(m["n"])
            self._index.setdefault((kind, value_key(kind, original)), placeholder)
            self._next[kind] = max(self._next[kind], n)

    def placeholder_for(self, entity_type: str, original: str) -> str:
        """Return the placeholder of ``original``, allocating ``<TYPE_n>`` on first sight."""
        key = (entity_type, value_key(entity_type, original))
        placeholder = self._index.get(key)
        if placeholder is None:
            self._next[entity_type] += 1
            placeholder = f"<{entity_type}_{self._next[entity_type]}>"
            self._index[key] = placeholder
            self.entries[placeholder] = original
        return placeholder

    def original(self, placeholder: str) -> str | None:
        """The original value behind ``placeholder`` (``"<PERSON_1>"``), or None if this vault never issued it."""
        return self.entries.get(placeholder)

    def copy(self) -> Vault:
        """An independent vault with the same entries (placeholders issued later do not affect this one)."""
        return Vault(dict(self.entries))

    def to_dict(self) -> dict:
        """``{"version": 1, "entries": {placeholder: original}}``: the plaintext form, only ever stored encrypted."""
        return {"version": 1, "entries": dict(self.entries)}

    @classmethod
    def from_dict(cls, data: dict) -> Vault:
        """The vault of :meth:`to_dict`'s output. Raises ValueError for another version or shape, or a key
        that is not a placeholder.
        """
        if data.get("version") != 1 or not isinstance(data.get("entries"), dict):
            raise ValueError("unsupported vault format")
        return cls({str(k): str(v) for k, v in data["entries"].items()})

    def __len__(self) -> int:
        return len(self.entries)


# --------------------------------------------------------------------- de-anonymise
_TYPE_SPELLINGS = {
    "PERSON": r"PERSON", "EMAIL": r"EMAIL", "PHONE": r"PHONE", "US_SSN": r"US[ _-]?SSN",
    "CREDIT_CARD": r"CREDIT[ _-]?CARD", "IBAN": r"IBAN", "IP_ADDRESS": r"IP[ _-]?ADDRESS",
    "ADDRESS": r"ADDRESS", "DATE_OF_BIRTH": r"DATE[ _-]?OF[ _-]?BIRTH",
}
_LOOSE_PLACEHOLDER = regex.compile(
    r"(?P<open>&lt;|<<|<|\[\[|\[|\{\{|\{)?\s?"
    r"(?<![\p{L}\p{N}_])(?P<type>" + "|".join(f"(?P<{k}>{v})" for k, v in _TYPE_SPELLINGS.items()) + r")"
    r"(?P<sep>[ _-]?#?)(?P<n>\d{1,4})(?!\d)\s?(?P<close>&gt;|>>|>|\]\]|\]|\}\}|\})?",
    regex.I,
)
_PAIRS = {"&lt;": "&gt;", "<<": ">>", "<": ">", "[[": "]]", "[": "]", "{{": "}}", "{": "}"}


def text_deanonymize(*, text: str, vault: Vault) -> str:
    """Put the original values back into ``text`` (e.g. an external model's answer).

    Accepts the placeholders as issued (``<PERSON_1>``) and the variants models
    tend to echo: other or doubled brackets (``[PERSON_1]``, ``<<PERSON_1>>``,
    ``{PERSON_1}``, HTML-escaped ``&lt;PERSON_1&gt;``), another case or
    separator inside brackets (``<person 1>``, ``[PERSON-1]``, ``<US SSN_2>``),
    and no brackets when written exactly ``PERSON_1`` (so prose such as
    "person 1" is left alone). Placeholders not in ``vault`` are left
    unchanged. Brackets that do not form a pair around the placeholder are kept.
    """

    def replace(m: regex.Match) -> str:
        kind = next(k for k in _TYPE_SPELLINGS if m.group(k) is not None)
        original = vault.original(f"<{kind}_{int(m['n'])}>")
        if original is None:
            return m.group()
        opening, closing = m["open"] or "", m["close"] or ""
        if not opening and not closing and not (m["type"].isupper() and m["sep"] == "_"):
            return m.group()  # "person 1" in prose is not a placeholder; "PERSON_1" is
        if opening and _PAIRS.get(opening) == closing:
            return original
        # keep unpaired brackets (and any space next to them) as they were
        head = m.group()[: m.start("type") - m.start()]
        tail = m.group()[m.end("n") - m.start():]
        return head + original + tail

    return _LOOSE_PLACEHOLDER.sub(replace, text)


# --------------------------------------------------------------------- encryption
_HKDF_SALT = b"perimeter.privacy.vault"
_HKDF_INFO = b"fernet-key-v1"


def vault_key_derive(secret: str | bytes) -> bytes:
    """A Fernet key (32 bytes, url-safe base64) derived from ``secret`` with HKDF-SHA256 (RFC 5869).

    ``secret`` is a settings secret such as ``VAULT_KEY`` or ``SECRET_KEY``; it
    should carry at least 128 bits of entropy. Raises ``ValueError`` if empty.
    """
    raw = secret.encode() if isinstance(secret, str) else bytes(secret)
    if not raw:
        raise ValueError("empty vault secret")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(raw)
    return base64.urlsafe_b64encode(key)


def _fernet(keys: str | bytes | Sequence[str | bytes]) -> MultiFernet:
    """A MultiFernet over ``keys`` (newest first): encrypts with the first, decrypts with any."""
    if isinstance(keys, (str, bytes)):
        keys = [keys]
    if not keys:
        raise ValueError("no vault key")
    return MultiFernet([Fernet(vault_key_derive(k)) for k in keys])


def vault_encrypt(vault: Vault, keys: str | bytes | Sequence[str | bytes]) -> bytes:
    """Encrypt and authenticate ``vault`` with Fernet (AES-128-CBC + HMAC-SHA256, timestamped).

    ``keys`` is one settings secret or a list of them, newest first (see
    :func:`rag.privacy.keys.vault_keys`); the Fernet key is derived from the
    newest with :func:`vault_key_derive`. Returns the Fernet token (ASCII bytes).
    Raises ``ValueError`` when no key is given.
    """
    payload = json.dumps(vault.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()
    return _fernet(keys).encrypt(payload)


def vault_decrypt(blob: bytes | str, keys: str | bytes | Sequence[str | bytes], *,
                  max_age_s: int | None = None) -> Vault:
    """Inverse of :func:`vault_encrypt`, with any of ``keys`` (newest first), so a vault
    encrypted before a key rotation still opens while its key is listed.

    ``max_age_s``: reject tokens older than this many seconds. Raises
    :class:`VaultDecryptError` on a wrong key, a tampered or expired token, or
    a payload that is not a vault.
    """
    try:
        payload = _fernet(keys).decrypt(blob, ttl=max_age_s)
        return Vault.from_dict(json.loads(payload))
    except (InvalidToken, ValueError, TypeError) as exc:
        raise VaultDecryptError("vault cannot be decrypted with these keys") from exc


def vault_reencrypt(blob: bytes | str, keys: Sequence[str | bytes]) -> bytes:
    """``blob`` re-encrypted with the newest of ``keys`` (its original timestamp kept), so
    older keys can be retired. Raises :class:`VaultDecryptError` as :func:`vault_decrypt`."""
    try:
        return _fernet(keys).rotate(blob)
    except (InvalidToken, ValueError, TypeError) as exc:
        raise VaultDecryptError("vault cannot be decrypted with these keys") from exc
