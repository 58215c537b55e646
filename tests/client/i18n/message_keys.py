"""Every message key the code names, found in its source, with the values each call site gives.

A key is a string literal `problem.…`, `rule.…` or `credit_reason.…` (see shared.messages).
Where a call passes `key=` with a literal (or `a if … else b` of literals) and `params=` a
dict literal, the dict's keys are what the catalog text must use as its placeholders.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("shared", "client/services", "client/store", "client/sync", "sync_server")
PREFIXES = ("problem.", "rule.", "credit_reason.")


@dataclass(frozen=True)
class KeyUse:
    key: str
    where: str
    params: frozenset[str] | None
    """The dict literal's keys, or None when the values are not a plain dict literal."""
    exact: bool
    """Whether `params` are all the values (no `**spread` in the dict)."""


def _literal_keys(node: ast.AST | None) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) + _literal_keys(node.orelse)
    return []


def _params(node: ast.AST | None) -> tuple[frozenset[str] | None, bool]:
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return frozenset(), True
    if isinstance(node, ast.Dict):
        names = frozenset(k.value for k in node.keys if isinstance(k, ast.Constant))
        return names, all(k is not None for k in node.keys)
    return None, False


def key_uses() -> list[KeyUse]:
    """Every use of a message key in the application's source."""
    found: list[KeyUse] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            where = str(path.relative_to(ROOT))
            in_calls = {
                id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
            }  # pieces of an f-string are not keys
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                keywords = {k.arg: k.value for k in node.keywords}
                if "key" in keywords:
                    params, exact = _params(keywords.get("params"))
                    for key in _literal_keys(keywords["key"]):
                        if key.startswith(PREFIXES):
                            found.append(KeyUse(key, f"{where}:{node.lineno}", params, exact))
                            in_calls.add(id(keywords["key"]))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and node.value.startswith(PREFIXES)
                    and " " not in node.value
                    and id(node) not in in_calls
                ):
                    found.append(KeyUse(node.value, f"{where}:{node.lineno}", None, False))
    return found
