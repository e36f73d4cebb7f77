"""Every environment variable rag/settings.py reads is documented once in the README's Configuration table."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _variables_read() -> set[str]:
    source = (ROOT / "rag" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'\benv_\w+\(\s*"([A-Z][A-Z0-9_]+)"', source))


def _variables_documented() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration"):]
    table = table[:table.index("\n## ")]
    names: list[str] = []
    for row in table.splitlines():
        if row.startswith("| `"):
            first_cell = row.split("|")[1]
            names += re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell)
    return names


def test_every_variable_read_by_the_settings_is_in_the_readme_table():
    missing = _variables_read() - set(_variables_documented())
    assert not missing, f"document these in the README's Configuration table: {sorted(missing)}"


def test_the_readme_table_documents_each_variable_once():
    documented = _variables_documented()
    repeated = sorted({n for n in documented if documented.count(n) > 1})
    assert not repeated, f"documented more than once: {repeated}"


def test_the_readme_table_names_no_variable_the_settings_do_not_read():
    stale = set(_variables_documented()) - _variables_read()
    assert not stale, f"the README documents variables nothing reads: {sorted(stale)}"
