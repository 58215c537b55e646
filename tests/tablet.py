"""A pytest plugin that runs tests as on a tablet: the binary accelerators cannot be imported.

`python -m pytest -p tests.tablet ...` (tests/client/test_tablet_paths.py does it in a
subprocess). A tablet build lists none of these wheels (docs/mobile.md), so every module
that uses one chooses its path without it at import; this plugin makes their import fail
as it fails there, before any app module is imported.

The tests run the real sync server in the same process, and the server keeps its own
msgspec and zstandard: it is imported first, and holds on to the modules it already has.
What the app imports afterwards finds them missing.
"""

import sys

import pytest

BLOCKED = ("msgspec", "zstandard", "rapidfuzz", "pypdfium2", "sqlcipher3")
"""The accelerators: installed on a desktop and on the server, absent from a tablet build."""

CHOOSERS = (
    "client.sync.pull_wire",
    "client.sync.content_coding",
    "shared.rules.fuzzy",
    "client.services.quote_preview",
    "client.store.driver",
)
"""The modules that choose a path at import: none may be imported before the block."""


def _block() -> None:
    import sync_server.app  # noqa: F401  # the server's msgspec and zstandard, before the block

    early = [name for name in CHOOSERS if name in sys.modules]
    if early:
        raise pytest.UsageError(f"imported before the accelerators were blocked: {', '.join(early)}")
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    for name in BLOCKED:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    """Before any conftest imports the app (called only for a plugin given with `-p`)."""
    _block()


def pytest_report_header(config: pytest.Config) -> str:
    return f"as on a tablet: {', '.join(BLOCKED)} cannot be imported"
