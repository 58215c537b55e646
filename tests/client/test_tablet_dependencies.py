"""pyproject.toml's tablet lists agree with the app's own: what `flet build` installs on a
tablet is the client extra less the desktop's packages and the accelerators, at versions
the base and client requirements admit (docs/mobile.md)."""

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.tablet import BLOCKED

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
DESKTOP_ONLY = {"flet-web", "flet-desktop", "uvicorn"}
"""The web build and the desktop window: a tablet runs Flet's own shell."""
ACCELERATOR_DISTRIBUTIONS = {"msgspec", "zstandard", "rapidfuzz", "pypdfium2", "sqlcipher3-binary"}


def _requirements(lines: list[str]) -> dict[str, Requirement]:
    return {Requirement(line).name.lower(): Requirement(line) for line in lines}


def _pinned(requirement: Requirement) -> str:
    (spec,) = requirement.specifier
    assert spec.operator == "==", f"{requirement} is not pinned to one version"
    return spec.version


@pytest.mark.parametrize("platform", ["android", "ios"])
def test_the_tablet_list_is_the_client_extra_less_the_desktop_and_the_accelerators(platform):
    tablet = _requirements(PYPROJECT["tool"]["flet"][platform]["dependencies"])
    client = _requirements(PROJECT["optional-dependencies"]["client"])
    assert set(tablet) == set(client) - DESKTOP_ONLY - ACCELERATOR_DISTRIBUTIONS | {"pydantic"}
    assert {name.split(".")[0] for name in BLOCKED} == {"msgspec", "zstandard", "rapidfuzz", "pypdfium2", "sqlcipher3"}


@pytest.mark.parametrize("platform", ["android", "ios"])
def test_every_tablet_pin_is_one_the_app_admits(platform):
    tablet = _requirements(PYPROJECT["tool"]["flet"][platform]["dependencies"])
    admitted = {**_requirements(PROJECT["optional-dependencies"]["client"]), **_requirements(PROJECT["dependencies"])}
    for name, requirement in tablet.items():
        version = _pinned(requirement)
        assert admitted[name].specifier.contains(version), f"{name} {version} is outside {admitted[name]}"


def test_the_tablet_takes_the_wheels_flets_index_has():
    """The binary packages left on the tablet, at the versions docs/mobile.md checked."""
    tablet = _requirements(PYPROJECT["tool"]["flet"]["android"]["dependencies"])
    assert (_pinned(tablet["pydantic"]), _pinned(tablet["pillow"])) == ("2.11.7", "12.2.0")


def test_the_desktop_and_the_tests_pin_what_they_run():
    server = _requirements(PROJECT["optional-dependencies"]["server"])
    assert (_pinned(server["pydantic"]), _pinned(server["pillow"])) == ("2.14.4", "13.0.0")
    assert "terreno[client,server]" in PROJECT["optional-dependencies"]["test"]
