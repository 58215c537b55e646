"""Babel's extractor for Terreno's message keys (`pybabel extract -F babel.cfg`, `make translations`).

Message ids are keys, found in the source as:
- the first argument of a call to `t(...)` (the Translator, however reached: `self.ctx.t`,
  or made for another language: `Translator("es")(...)`);
  `t.plural("key", n)` and `plural_message("key", n)` give a plural message (`key`, `key.plural`);
- the first argument of `message("key", ...)` or `phrase(...)` (shared.messages);
- a literal given as `key=` or `*_key=` (errors, fired rules, credit reasons, views' toasts),
  or any literal with a prefix only message keys use (`problem.`, `rule.`, `credit_reason.`,
  `availability.`), as rules and services name them in `shared.messages` values;
- every key of the families made from values (client/i18n/families.py), yielded with that file.
"""

import ast
import re
from collections.abc import Iterator
from typing import IO, Any

KEY_PREFIXES = ("problem.", "rule.", "credit_reason.", "availability.")
KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
"""What a message key looks like: `quote.send`, `enum.QuoteStatus.sent` is made, not written."""
_FAMILIES_FILE = "client/i18n/families.py"

Extracted = tuple[int, str | None, str | tuple[str, str], list[str]]


def extract_keys(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]) -> Iterator[Extracted]:
    """Yield (line, function, message, comments) for every message key in one Python file."""
    source = fileobj.read().decode("utf-8")
    name = getattr(fileobj, "name", "")
    if str(name).replace("\\", "/").endswith(_FAMILIES_FILE):
        from client.i18n.families import keys

        yield from ((1, None, key, []) for key in keys())
    tree = ast.parse(source)
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield from _from_call(node)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith(KEY_PREFIXES)
            and KEY.match(node.value)
            and id(node) not in in_fstrings
        ):
            yield node.lineno, None, node.value, []


def _from_call(node: ast.Call) -> Iterator[Extracted]:
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "Translator":
        called = "t"  # `Translator(language)("key", ...)`: words in another language than the app's
    firsts = _literals(node.args[0]) if node.args else []
    # `self(...)`: the Translator's own messages (translator.py).
    if called in ("t", "self", "message", "phrase"):  # shared.messages.message("key", ...)
        yield from ((node.lineno, "gettext", key, []) for key in firsts if KEY.match(key))
    is_plural = called == "plural" and isinstance(func, ast.Attribute) and _names_t(func.value)
    if is_plural or called == "plural_message":  # shared.messages.plural_message("key", n)
        yield from ((node.lineno, "ngettext", (key, key + ".plural"), []) for key in firsts if KEY.match(key))
    for keyword in node.keywords:
        if keyword.arg and (keyword.arg == "key" or keyword.arg.endswith("_key")):
            for value in _literals(keyword.value):
                if KEY.match(value):
                    yield node.lineno, None, value, []


def _names_t(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "t") or (isinstance(node, ast.Attribute) and node.attr == "t")


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


__all__ = ["KEY_PREFIXES", "extract_keys"]
