"""The app as on a tablet: its sync and quoting tests pass with the binary accelerators blocked.

A tablet build installs none of msgspec, zstandard, rapidfuzz, pypdfium2, sqlcipher3
(docs/mobile.md); each module that uses one has a path without it, chosen at import. This
runs a selection of the client's sync and quoting tests in a fresh interpreter where those
imports fail (tests/tablet.py), plus tests/client/tablet_checks.py, which fails unless every
module took the path without its accelerator.
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from client.services import quote_preview
from client.store import driver
from client.sync import content_coding, pull_wire
from shared.rules import fuzzy

ROOT = Path(__file__).resolve().parents[2]

AS_ON_A_TABLET = [
    "tests/client/tablet_checks.py",
    "tests/client/sync/test_pull_wire.py",
    "tests/client/sync/test_sync_http.py",
    "tests/client/sync/test_sync_puller.py",
    "tests/client/test_client_end_to_end.py",
    "tests/shared/rules/test_request_matching.py",
    "tests/client/quoting/test_pasted_requests.py",
]


def test_a_desktop_install_takes_every_accelerator():
    assert pull_wire.WIRE_DECODER == "msgspec"
    assert content_coding.ACCEPT_ENCODING == "zstd, gzip"
    assert fuzzy.BACKEND == "rapidfuzz"
    assert quote_preview.PREVIEW_AVAILABLE and driver.HAS_ENCRYPTION


def test_the_sync_and_quoting_tests_pass_without_the_accelerators(tmp_path):
    report = tmp_path / "tablet.xml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_XDIST_WORKER", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.tablet", "-p", "no:cacheprovider", "-q", "-x"]
        + ["-p", "no:xdist", f"--junitxml={report}", *AS_ON_A_TABLET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    counts = {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}
    assert counts["failures"] == counts["errors"] == counts["skipped"] == 0 and counts["tests"] > 100, counts
    ran = {case.get("classname", "").rsplit(".", 1)[-1] for case in suite.iter("testcase")}
    assert {Path(path).stem for path in AS_ON_A_TABLET} <= ran, ran
