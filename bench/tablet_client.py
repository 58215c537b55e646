"""`python -m bench.tablet_client ...`: `bench.sync_client` as on a tablet.

The accelerators a tablet build does not install (tests/tablet.py's list: msgspec,
zstandard, rapidfuzz, pypdfium2, sqlcipher3) are made unimportable before the app is
imported, so the client decodes pages with pydantic and asks for gzip (docs/mobile.md).
"""

import runpy
import sys

from tests.tablet import BLOCKED

for _name in BLOCKED:
    sys.modules[_name] = None  # type: ignore[assignment]  # `import name` raises ImportError

runpy.run_module("bench.sync_client", run_name="__main__", alter_sys=True)
