"""Credentials in a payload: found so that the request is blocked, never masked and sent.

A leaked credential has to be rotated, so the admin must see that (and which
kind) was found; masking it would hide the leak. :func:`secrets_find` runs

* the regex plugins of Yelp's ``detect-secrets`` (AWS, Azure storage, GitHub,
  GitLab, Slack, Stripe, OpenAI, SendGrid, Twilio, npm, PyPI, private keys,
  JWTs, ``scheme://user:password@`` URIs, ...), with its own JWT validation;
* what it lacks for prose: ``password=``/``pwd:``/``api_key=``-style
  assignments, ``Password=...;`` in connection strings, ``Authorization:
  Bearer`` tokens, the AWS secret access key after its name, Google API keys.

detect-secrets' entropy and keyword plugins are left out: they are tuned for
source files and flag ordinary identifiers in prose. Its public-IP plugin is
left out: IP addresses are personal data, pseudonymised, not a secret.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.jwt import JwtTokenDetector

SECRET_PLACEHOLDER = "<SECRET>"

_VALUE = r"(?P<value>\"[^\"\n]{4,}\"|'[^'\n]{4,}'|[^\s\"',;]{4,})"
_EXTRA = [
    ("private key", re.compile(
        r"(?P<value>-----BEGIN[A-Z ]* PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z ]* PRIVATE KEY(?: BLOCK)?-----|\Z))")),
    ("password in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<value>[^\s@/]+)@", re.I)),
    ("password", re.compile(
        r"\b(?:password|passwd|passphrase|pwd|pass)\s*[:=]\s*" + _VALUE, re.I)),
    ("API key or token", re.compile(
        r"\b(?:api[_-]?key|apikey|x-api-key|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|"
        r"secret[_-]?key|app[_-]?secret|secret|token)\s*[:=]\s*" + _VALUE, re.I)),
    ("AWS secret access key", re.compile(
        r"\baws_?secret_?access_?key\b\W{0,5}(?P<value>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])", re.I)),
    ("bearer token", re.compile(r"\bBearer\s+(?P<value>[A-Za-z0-9\-._~+/]{16,}=*)")),
    ("Google API key", re.compile(r"\b(?P<value>AIza[0-9A-Za-z\-_]{35})(?![0-9A-Za-z\-_])")),
]
# values of a password= that are prose, not a password: "password: see the vault"
_PROSE_VALUE = re.compile(r"^(?:see|the|your|our|their|a|an|is|was|reset|changed|expired|required|policy|"
                          r"rotation|manager|none|null|redacted|\*+|x+|<[A-Z_]+(?:_\d+)?>)$", re.I)


_TOKEN_TAIL = re.compile(r"[A-Za-z0-9_\-=]*")


def _kind_name(secret_type: str) -> str:
    """detect-secrets' type in running text: "Slack Token" -> "Slack token", "AWS Access Key" -> "AWS access key"."""
    first, *rest = secret_type.split()
    return " ".join([first, *(w.lower() if w.istitle() else w for w in rest)])


@dataclass(frozen=True)
class SecretFinding:
    """A credential at ``texts[text_index][start:end]``; ``kind`` names it ("AWS access key"), never its value."""

    text_index: int
    start: int
    end: int
    kind: str


def _plugins() -> list[RegexBasedDetector]:
    """One instance of each detect-secrets regex plugin we use (imported lazily: ~30 modules)."""
    from detect_secrets.plugins.artifactory import ArtifactoryDetector
    from detect_secrets.plugins.aws import AWSKeyDetector
    from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
    from detect_secrets.plugins.basic_auth import BasicAuthDetector
    from detect_secrets.plugins.cloudant import CloudantDetector
    from detect_secrets.plugins.discord import DiscordBotTokenDetector
    from detect_secrets.plugins.github_token import GitHubTokenDetector
    from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
    from detect_secrets.plugins.ibm_cloud_iam import IbmCloudIamDetector
    from detect_secrets.plugins.ibm_cos_hmac import IbmCosHmacDetector
    from detect_secrets.plugins.mailchimp import MailchimpDetector
    from detect_secrets.plugins.npm import NpmDetector
    from detect_secrets.plugins.openai import OpenAIDetector
    from detect_secrets.plugins.private_key import PrivateKeyDetector
    from detect_secrets.plugins.pypi_token import PypiTokenDetector
    from detect_secrets.plugins.sendgrid import SendGridDetector
    from detect_secrets.plugins.slack import SlackDetector
    from detect_secrets.plugins.softlayer import SoftlayerDetector
    from detect_secrets.plugins.square_oauth import SquareOAuthDetector
    from detect_secrets.plugins.stripe import StripeDetector
    from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
    from detect_secrets.plugins.twilio import TwilioKeyDetector

    return [cls() for cls in (
        ArtifactoryDetector, AWSKeyDetector, AzureStorageKeyDetector, BasicAuthDetector, CloudantDetector,
        DiscordBotTokenDetector, GitHubTokenDetector, GitLabTokenDetector, IbmCloudIamDetector, IbmCosHmacDetector,
        JwtTokenDetector, MailchimpDetector, NpmDetector, OpenAIDetector, PrivateKeyDetector, PypiTokenDetector,
        SendGridDetector, SlackDetector, SoftlayerDetector, SquareOAuthDetector, StripeDetector,
        TelegramBotTokenDetector, TwilioKeyDetector,
    )]


_PLUGINS: list[RegexBasedDetector] | None = None


def _spans(text: str) -> list[tuple[int, int, str]]:
    global _PLUGINS
    if _PLUGINS is None:
        _PLUGINS = _plugins()
    found = []
    for plugin in _PLUGINS:
        for pattern in plugin.denylist:
            for m in pattern.finditer(text):
                start, end = m.start(), m.end()
                if isinstance(plugin, JwtTokenDetector):
                    # the plugin's pattern stops lazily before the signature: take it whole
                    end += len(_TOKEN_TAIL.match(text, end).group())
                    if not plugin.is_formally_valid(text[start:end]):
                        continue
                found.append((start, end, _kind_name(plugin.secret_type)))
    for kind, pattern in _EXTRA:
        for m in pattern.finditer(text):
            value = m.group("value").strip("\"'")
            if _PROSE_VALUE.match(value):
                continue
            found.append((m.start("value"), m.end("value"), kind))
    return found


def secrets_find(*, texts: Sequence[str]) -> list[SecretFinding]:
    """Every credential in ``texts``, sorted by text and offset, overlaps merged (first kind kept).

    Pure function; exceptions from detect-secrets propagate (the caller blocks).
    """
    out: list[SecretFinding] = []
    for i, text in enumerate(texts):
        kept: list[tuple[int, int, str]] = []
        for start, end, kind in sorted(_spans(text), key=lambda s: (s[0], -(s[1] - s[0]))):
            if kept and start < kept[-1][1]:
                kept[-1] = (kept[-1][0], max(end, kept[-1][1]), kept[-1][2])
            else:
                kept.append((start, end, kind))
        out += [SecretFinding(i, s, e, k) for s, e, k in kept]
    return out


def secrets_mask(*, texts: Sequence[str], findings: Sequence[SecretFinding]) -> list[str]:
    """``texts`` with every finding replaced by :data:`SECRET_PLACEHOLDER` (nothing is vaulted)."""
    out = list(texts)
    for f in sorted(findings, key=lambda f: (f.text_index, -f.start)):
        t = out[f.text_index]
        out[f.text_index] = t[:f.start] + SECRET_PLACEHOLDER + t[f.end:]
    return out


def secrets_reason(findings: Sequence[SecretFinding]) -> str:
    """The block reason shown in the approval queue: ``"secret detected: AWS access key, password"``."""
    kinds = list(dict.fromkeys(f.kind for f in findings))
    return "secret detected: " + ", ".join(kinds)
