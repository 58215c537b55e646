"""Imports point down (DESIGN §2): services and store never reach up or into HTTP/UI."""

import ast
from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parents[2] / "client"

FORBIDDEN = {
    "services": ("flet", "fastapi", "httpx", "client.ui", "sync_server"),
    "store": ("flet", "fastapi", "httpx", "client.ui", "client.services", "client.sync", "sync_server"),
    "sync": ("flet", "fastapi", "client.ui", "client.services", "sync_server"),
    # Views render and call services; the store, the protocol client and HTTP are below them.
    "ui": ("fastapi", "httpx", "sqlite_utils", "client.store", "client.sync", "sync_server"),
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_above_it(package):
    offences = [
        f"{path.name}: {name}"
        for path in sorted((CLIENT / package).glob("*.py"))
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package])
    ]
    assert offences == []
