"""Typed environment helpers on top of django-environ.

Every helper raises :class:`django.core.exceptions.ImproperlyConfigured` with the
variable's name when a value cannot be parsed or is out of range, so a bad
deployment fails at start-up instead of at the first request. ``NAME_FILE``
variants are honoured for secrets (Docker/Kubernetes secret files).
"""
from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def env_str(name: str, *, default: str) -> str:
    """Return ``$NAME``, or the contents of the file named by ``$NAME_FILE``, or ``default``."""
    file_var = env.str(f"{name}_FILE", default="")
    if file_var:
        try:
            return Path(file_var).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_var!r} cannot be read: {exc}") from exc
    return env.str(name, default=default)


def env_int(name: str, *, default: int, min_value: int | None = None, max_value: int | None = None) -> int:
    """Integer setting with optional inclusive bounds."""
    raw = env.str(name, default=str(default))
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc
    if min_value is not None and value < min_value:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum {min_value}")
    if max_value is not None and value > max_value:
        raise ImproperlyConfigured(f"{name}={value} is above the maximum {max_value}")
    return value


def env_float(name: str, *, default: float, min_value: float | None = None, max_value: float | None = None) -> float:
    """Float setting with optional inclusive bounds."""
    raw = env.str(name, default=str(default))
    try:
        value = float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from exc
    if (min_value is not None and value < min_value) or (max_value is not None and value > max_value):
        raise ImproperlyConfigured(f"{name}={value} is outside [{min_value}, {max_value}]")
    return value


def env_bool(name: str, *, default: bool) -> bool:
    """Boolean setting: 1/true/yes/on or 0/false/no/off/empty (any case). Raises ImproperlyConfigured otherwise."""
    raw = env.str(name, default="1" if default else "0").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_choice(name: str, *, default: str, choices: tuple[str, ...]) -> str:
    """Setting that must be one of ``choices`` (exact match). Raises ImproperlyConfigured otherwise."""
    value = env.str(name, default=default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}")
    return value


def env_url(name: str, *, default: str, schemes: tuple[str, ...]) -> str:
    """URL setting whose scheme must be one of ``schemes``."""
    value = env_str(name, default=default)
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(f"{name}={value!r} must be a URL with scheme {' or '.join(schemes)}")
    return value


def env_db(name: str, *, default: str) -> dict:
    """Parse a ``postgres://`` database URL into Django's DATABASES entry."""
    value = env_url(name, default=default, schemes=("postgres", "postgresql", "pgsql"))
    try:
        return environ.Env.db_url_config(value)
    except Exception as exc:  # django-environ raises several types for bad URLs
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from exc


def env_secret(name: str, *, default: str, required: bool, min_length: int, state_file: Path | None = None) -> str:
    """A secret: ``$NAME`` or ``$NAME_FILE``; else, outside production, ``state_file``'s contents
    (the key ``./perimeter run`` generated) or ``default``.

    ``required`` (production, ``PERIMETER_ENV=production``): the value must be set, must not
    be ``default`` and must have at least ``min_length`` characters, or start-up stops
    with ImproperlyConfigured. Production never falls back to ``state_file``.
    """
    value = env_str(name, default="")
    if required:
        if not value:
            raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set in production")
        if value == default:
            raise ImproperlyConfigured(f"{name} is the embedded mode's public default; set your own in production")
        if len(value) < min_length:
            raise ImproperlyConfigured(f"{name} must have at least {min_length} characters in production")
        return value
    if not value and state_file is not None and state_file.is_file():
        value = state_file.read_text(encoding="utf-8").strip()
    return value or default
