"""Pseudonymisation of a request's payload before it may leave the network.

Pure functions: no Django, no database, no network. The analyzers come from
:mod:`rag.privacy.analyzers` (one spaCy pipeline per model, installed, never
downloaded); the vault, its encryption and de-anonymisation from
:mod:`rag.privacy.vault`.

Pipeline used by the external-fallback path (and by ``manage.py redact``)::

    result = payload_redact_checked(texts=[question, *chunks], spacy_model=None)
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

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex
from presidio_analyzer import AnalyzerEngine

from rag.privacy.analyzers import (  # noqa: F401  (re-exported: callers import them from here)
    LANGUAGE,
    REDACT_THRESHOLD,
    RESIDUAL_THRESHOLD,
    SPACY_MODEL,
    analyzer_build,
    nlp_configuration,
    nlp_engine_get,
    payload_analyze,
    redaction_analyzer,
    residual_analyzer,
    residual_recognizers,
)
from rag.privacy.errors import RedactionBlocked, RedactionError, VaultDecryptError  # noqa: F401
from rag.privacy.recognizers.cues import NAME_PARTICLES
from rag.privacy.secrets import SECRET_PLACEHOLDER, secrets_find, secrets_mask, secrets_reason
from rag.privacy.vault import (  # noqa: F401
    PLACEHOLDER_RE,
    Vault,
    text_deanonymize,
    vault_decrypt,
    vault_encrypt,
    vault_key_derive,
)


# --------------------------------------------------------------------- data
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
            if kind == "SECRET":  # a credential is masked for display only, never vaulted
                pieces.append(text[pos:start] + SECRET_PLACEHOLDER)
                shift += len(SECRET_PLACEHOLDER) - (end - start)
                pos = end
                continue
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
    # the words of a name found whole stand for the same person elsewhere in the payload: "Zbyslava Voráček"
    # ... "Zbyslava contacted HR", "Ms. Aslanidou" ... "Antriana Aslanidou" (written as found, case kept)
    parts = {part for value, kind in values.items() if kind == "PERSON" for part in _name_parts(value)}
    for part in sorted(parts, key=len, reverse=True):  # found alone too: "Zea" (under 4 letters, not above)
        pattern = regex.compile(r"(?<![\w])" + regex.escape(part) + r"(?![\w])")
        for i, text in enumerate(texts):
            for m in pattern.finditer(text):
                if all(m.end() <= s or e <= m.start() for s, e, _ in found[i]):
                    found[i].append((m.start(), m.end(), "PERSON"))


# a name's particles, the words joining names and honorifics written without their dot
_NAME_PARTICLES = NAME_PARTICLES | frozenset("and the of mr mrs ms mx dr prof sir".split())


def _name_parts(name: str) -> list[str]:
    """The words of a PERSON value of two or more words that may name the person alone: capitalised, three letters
    or more, no initial and no particle or honorific ("Zbyslava Voráček" -> "Zbyslava", "Voráček")."""
    words = regex.split(r"[\s,]+", name.strip())
    if len(words) < 2:
        return []
    return [w for w in words if len(w) >= 3 and w[:1].isupper() and not w.endswith(".")
            and w.casefold() not in _NAME_PARTICLES and regex.fullmatch(r"[\p{L}\p{M}'’-]+", w)]


def payload_pseudonymize(*, texts: Sequence[str], vault: Vault | None = None,
                         analyzer: AnalyzerEngine | None = None,
                         spacy_model: str | None = None) -> RedactionResult:
    """Replace personal data in all texts of one request by consistent placeholders.

    ``texts``: e.g. ``[question, chunk_1, ..., chunk_k]``. ``vault``: an earlier
    vault to continue (its values keep their placeholders; it is copied, not
    modified). ``analyzer``: defaults to ``redaction_analyzer(spacy_model=spacy_model)``.

    Returns a :class:`RedactionResult` whose ``texts`` have one ``<TYPE_n>`` per
    replaced occurrence; equal values (after normalisation: digits of a card
    number, E.164 form of a phone number, case-folded name...) share ``n``
    across texts. Raises whatever the analyzer raises; use
    :func:`payload_redact_checked` to turn that into :class:`RedactionBlocked`.
    """
    vault = vault.copy() if vault is not None else Vault()
    detected = payload_analyze(texts=texts, analyzer=analyzer or redaction_analyzer(spacy_model=spacy_model))
    found = [[(r.start, r.end, r.entity_type) for r in results] for results in detected]
    _propagate(texts, found, vault)
    return _render(texts, found, vault)


# --------------------------------------------------------------------- residual scan
def payload_residual_scan(*, texts: Sequence[str], vault: Vault | None = None,
                          analyzer: AnalyzerEngine | None = None,
                          spacy_model: str | None = None) -> list[Finding]:
    """Look for personal data left in already redacted texts; any finding means "block".

    Runs ``residual_analyzer(spacy_model=spacy_model)`` (or ``analyzer``) at
    :data:`RESIDUAL_THRESHOLD` and drops findings that overlap one of our
    placeholders. With ``vault``, also reports every original value (4+
    characters) that still occurs verbatim, case-insensitively
    (``source="vault_echo"``), and every credential :func:`secrets_find` sees
    (``entity_type="SECRET"``, ``source="secret"``). Every run of non-Latin
    letters is a finding too (the residual analyzer includes
    :class:`NonLatinScriptRecognizer`). Returns findings sorted by text and
    offset. Raises whatever the analyzer or the secret scan raises.
    """
    analyzer = analyzer or residual_analyzer(spacy_model=spacy_model)
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
    findings += [Finding(f.text_index, f.start, f.end, "SECRET", 1.0, "secret") for f in secrets_find(texts=texts)]
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
                           analyzer: AnalyzerEngine | None = None,
                           spacy_model: str | None = None) -> RedactionResult:
    """Pseudonymise, then verify with the residual scan; fail closed.

    ``texts``, ``vault``, ``analyzer`` and ``spacy_model`` as for
    :func:`payload_pseudonymize`; the residual scan uses
    ``residual_analyzer(spacy_model=spacy_model)``, i.e. the same spaCy
    pipeline with the independent recognizer set. A model that cannot be
    loaded (``OSError``) blocks like any other analyzer failure.

    Returns the :class:`RedactionResult` of :func:`payload_pseudonymize` when the
    residual scan finds nothing. Raises :class:`RedactionBlocked` when a text
    holds a credential (reason ``"secret detected: AWS access key"``, naming
    the kinds, never the value; ``result`` is the redaction with the secrets
    replaced by ``<SECRET>``), when the analyzer raises anything (``result`` is ``None``), when the residual scan
    raises (``result`` is the unverified redaction), or when the scan finds
    personal data (``result`` has the findings masked as well, ``findings``
    lists them).
    """
    try:
        result = payload_pseudonymize(texts=texts, vault=vault, analyzer=analyzer, spacy_model=spacy_model)
    except Exception as exc:  # fail closed on anything, incl. spaCy/Presidio bugs
        raise RedactionBlocked(f"analyzer failed: {type(exc).__name__}: {exc}"[:300]) from exc
    try:
        secrets = secrets_find(texts=texts)
    except Exception as exc:
        raise RedactionBlocked(f"secret scan failed: {type(exc).__name__}: {exc}"[:300]) from exc
    if secrets:
        # never masked and sent: a leaked credential must be rotated, so the admin must see the block
        masked = secrets_mask(texts=texts, findings=secrets)
        try:
            best = payload_pseudonymize(texts=masked, vault=vault, analyzer=analyzer, spacy_model=spacy_model)
        except Exception:
            best = None
        raise RedactionBlocked(secrets_reason(secrets), result=best)
    try:
        findings = payload_residual_scan(texts=result.texts, vault=result.vault, spacy_model=spacy_model)
    except Exception as exc:
        raise RedactionBlocked(f"residual scan failed: {type(exc).__name__}: {exc}"[:300], result=result) from exc
    secret_findings = [f for f in findings if f.source == "secret"]
    if secret_findings:
        raise RedactionBlocked(
            secrets_reason(secrets_find(texts=result.texts)) + " (residual scan)",
            result=_mask_findings(result, findings),
            findings=findings,
        )
    if findings:
        where = ", ".join(f"{f.entity_type} in text {f.text_index} at {f.start}-{f.end} ({f.source})"
                          for f in findings[:10])
        raise RedactionBlocked(
            f"residual scan found {len(findings)} item(s): {where}",
            result=_mask_findings(result, findings),
            findings=findings,
        )
    return result
