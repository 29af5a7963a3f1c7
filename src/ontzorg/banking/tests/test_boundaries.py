"""Banking does not depend on signals: signals subscribes to ``banking.hooks`` instead."""

import ast
from pathlib import Path

BANKING = Path(__file__).resolve().parents[1]


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_banking_imports_nothing_of_signals():
    offences = [
        f"{path.relative_to(BANKING)}: {name}"
        for path in BANKING.rglob("*.py")
        if "tests" not in path.relative_to(BANKING).parts
        for name in _imports(path)
        if name == "ontzorg.signals" or name.startswith("ontzorg.signals.")
    ]
    assert offences == []


def test_signals_subscribes_to_returned_payments():
    from ontzorg.banking import hooks
    from ontzorg.signals.internal import returned_payment

    assert returned_payment in hooks._payment_returned
