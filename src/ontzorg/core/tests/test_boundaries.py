"""Production code stays apart from the demo data, the benchmarks and the test support.

Every module of the `ontzorg` package that is not itself a test (no ``tests`` folder, no
``conftest.py``) is read with `ast`, imports inside functions included, and may import none
of: the demo app (``ontzorg_demo``), the benchmarks (``bench``), a ``tests`` package, or a
``testdata``, ``factories`` or ``conftest`` module."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # src/ontzorg
FORBIDDEN_ROOTS = {"ontzorg_demo", "bench"}
FORBIDDEN_PARTS = {"tests", "testdata", "factories", "conftest"}


def production_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.relative_to(PACKAGE).parts and path.name != "conftest.py"
    )


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `path`; for ``from x import y`` both
    ``x`` and ``x.y``, since ``y`` may be a module."""
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def is_forbidden(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in FORBIDDEN_ROOTS or bool(FORBIDDEN_PARTS & set(parts))


def test_the_walk_sees_the_whole_package():
    names = {module_name(path) for path in production_modules()}
    assert {"ontzorg.urls", "ontzorg.core.access", "ontzorg.monitor.services"} <= names
    assert not any(".tests" in name for name in names)


def test_production_code_imports_no_demo_bench_or_test_support():
    offences = {}
    for path in production_modules():
        for line, name in imported_names(path):
            if is_forbidden(name):
                offences.setdefault(f"{path.relative_to(PACKAGE.parent)}:{line}", name)
    offences = [f"{where}: {name}" for where, name in offences.items()]
    assert not offences, "production code imports demo/bench/test support:\n" + "\n".join(offences)


@pytest.mark.parametrize(
    ("source", "where", "expected"),
    [
        ("import ontzorg_demo.users", "ontzorg/a/b.py", True),
        ("from bench.support import monitor", "ontzorg/a/b.py", True),
        ("from .tests.factories import X", "ontzorg/a/b.py", True),
        ("from ..participants import testdata", "ontzorg/a/b.py", True),
        ("from . import factories", "ontzorg/a/__init__.py", True),
        ("from ontzorg.participants.testdata import fake_bsn", "ontzorg/a/b.py", True),
        ("from ontzorg.core import access", "ontzorg/a/b.py", False),
        ("from .models import Snapshot", "ontzorg/a/b.py", False),
        ("import benchmark_free_name", "ontzorg/a/b.py", False),
    ],
)
def test_the_check_catches_each_kind_of_import(tmp_path, monkeypatch, source, where, expected):
    path = tmp_path / where
    path.parent.mkdir(parents=True)
    path.write_text(f"def f():\n    {source}\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "ontzorg")
    assert any(is_forbidden(name) for _, name in imported_names(path)) is expected
