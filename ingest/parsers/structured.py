"""JSON and YAML to sections, with key paths as headings.

A mapping's scalar values become one ``key: value`` paragraph under the
mapping's key path (``servers > 0 > tls``); nested mappings and lists get
their own path; a list of scalars is a ``list`` section. YAML is read with
``safe_load`` only (no Python object tags), every document of a stream in
turn. At most :data:`STRUCTURE_MAX_NODES` values are visited (YAML aliases
can make a tiny file expand exponentially); past that a note says the rest
was not indexed.
"""

from __future__ import annotations

import json

import yaml

from .base import DocumentBuilder, ParsedDocument, ParseError, heading_clean
from .detect import APPLICATION_JSON, APPLICATION_YAML
from .limits import STRUCTURE_MAX_NODES
from .plain import filename_stem

_MAX_DEPTH = 64
_TITLE_KEYS = ("title", "name")


def json_parse(*, text: str, filename: str) -> ParsedDocument:
    """Parse JSON (one value, or JSON Lines). Raises ``ParseError("invalid JSON: ...")``
    with the line and column of the first error."""
    try:
        values = [json.loads(text)]
    except json.JSONDecodeError as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        try:
            values = [json.loads(line) for line in lines] if len(lines) > 1 else None
        except json.JSONDecodeError:
            values = None
        if values is None:
            raise ParseError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    return _build(values, media_type=APPLICATION_JSON, filename=filename)


def yaml_parse(*, text: str, filename: str) -> ParsedDocument:
    """Parse YAML with ``safe_load_all``. Raises ``ParseError("invalid YAML: ...")``."""
    try:
        values = [value for value in yaml.safe_load_all(text) if value is not None]
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid YAML: {' '.join(str(exc).split())}") from exc
    return _build(values, media_type=APPLICATION_YAML, filename=filename)


def _build(values: list, *, media_type: str, filename: str) -> ParsedDocument:
    builder = DocumentBuilder(media_type=media_type)
    walker = _Walker(builder)
    for index, value in enumerate(values):
        walker.visit(value, path=(f"[{index}]",) if len(values) > 1 else (), depth=0)
        if walker.capped:
            break
    if walker.capped:
        builder.note(f"only the first {STRUCTURE_MAX_NODES} values were indexed")
    title = ""
    if values and isinstance(values[0], dict):
        title = next((str(values[0][key]) for key in _TITLE_KEYS if isinstance(values[0].get(key), str)), "")
    return builder.build(title=heading_clean(title) or filename_stem(filename))


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Walker:
    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.visited = 0
        self.capped = False

    def _count(self) -> bool:
        self.visited += 1
        if self.visited > STRUCTURE_MAX_NODES:
            self.capped = True
        return not self.capped

    def visit(self, value: object, *, path: tuple[str, ...], depth: int) -> None:
        if self.capped or not self._count():
            return
        if depth > _MAX_DEPTH:
            raise ParseError(f"nested more than {_MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            lines = []
            nested = []
            for key, child in value.items():
                if isinstance(child, (dict, list)):
                    nested.append((str(key), child))
                elif self._count():
                    lines.append(f"{key}: {_scalar(child)}")
            self.builder.add("\n".join(lines), heading_path=path, kind="paragraph")
            for key, child in nested:
                self.visit(child, path=path + (heading_clean(key),), depth=depth + 1)
        elif isinstance(value, list):
            if all(not isinstance(item, (dict, list)) for item in value):
                items = [f"- {_scalar(item)}" for item in value if self._count()]
                self.builder.add("\n".join(items), heading_path=path, kind="list")
                return
            for index, item in enumerate(value):
                self.visit(item, path=path + (f"[{index}]",), depth=depth + 1)
        else:
            self.builder.add(_scalar(value), heading_path=path, kind="paragraph")
