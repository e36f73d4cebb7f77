"""The house keeps its shape: the import-linter contracts in pyproject.toml
([tool.importlinter]) all hold (function-level imports count: import-linter reads them), no
module of rag/ or ingest/ is over 400 lines, and every public name there has a docstring."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_import_runs_from_a_lower_layer_back_up():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    print(result.stdout, result.stderr)
    assert result.returncode == 0, f"import-linter contracts broken:\n{result.stdout}\n{result.stderr}"
    assert "0 broken" in result.stdout


# ---- module size and docstrings -------------------------------------------------------

MAX_MODULE_LINES = 400
PACKAGES = ("rag", "ingest")


def _modules() -> list[Path]:
    """Every .py module of our packages, migrations left out (generated, never read as code)."""
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


# Nested classes that only configure their enclosing class for a framework: the ``Meta`` of a
# Django model, form or DRF serializer, and the nested ``Input``/``Output`` serializers of a view
# (HackSoft style), whose request and response the view's own docstring describes.
EXEMPT_NESTED_CLASSES = frozenset({"Meta", "Input", "Output"})
# Methods overriding a framework hook whose contract the framework documents, and whose class
# docstring says what ours does: DRF views and permissions (get_queryset, get_permissions,
# has_permission, has_object_permission), serializers (to_representation), management commands
# (add_arguments, handle: the Command's docstring says what the command does) and AppConfig.ready
# (the config's docstring says what it wires). Everything else that overrides a hook with a
# decision of ours (admin save_model, authenticate, ...) documents that decision.
FRAMEWORK_HOOKS = frozenset({"get_queryset", "get_permissions", "has_permission", "has_object_permission",
                             "to_representation", "add_arguments", "handle", "ready"})


def _is_function(node: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))


def _serializer_method_fields(cls: ast.ClassDef) -> set[str]:
    """Names ``x`` declared as ``x = serializers.SerializerMethodField()`` in ``cls``'s body:
    DRF calls ``get_x`` for them, and the field's name says what the getter returns."""
    names = set()
    for node in cls.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == "SerializerMethodField":
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _undocumented(path: Path) -> list[str]:
    """``path:line name`` of each public module-level function or class, and each public member
    of a public class, without a docstring (exemptions above)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(ROOT)
    missing = []
    for node in tree.body:
        if not (_is_function(node) or isinstance(node, ast.ClassDef)) or node.name.startswith("_"):
            continue
        if not ast.get_docstring(node):
            missing.append(f"{where}:{node.lineno} {node.name}")
        if not isinstance(node, ast.ClassDef):
            continue
        method_fields = _serializer_method_fields(node)
        for member in node.body:
            if not (_is_function(member) or isinstance(member, ast.ClassDef)) or member.name.startswith("_"):
                continue
            if isinstance(member, ast.ClassDef) and member.name in EXEMPT_NESTED_CLASSES:
                continue
            if _is_function(member) and (member.name in FRAMEWORK_HOOKS
                                         or member.name.removeprefix("get_") in method_fields):
                continue
            if not ast.get_docstring(member):
                missing.append(f"{where}:{member.lineno} {node.name}.{member.name}")
    return missing




def test_no_module_is_over_400_lines():
    too_long = [f"{p.relative_to(ROOT)}: {n} lines" for p in _modules()
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert not too_long, "split these by responsibility:\n" + "\n".join(too_long)


def test_every_public_function_and_class_has_a_docstring():
    missing = [name for p in _modules() for name in _undocumented(p)]
    assert not missing, f"{len(missing)} public names without a docstring:\n" + "\n".join(missing)
