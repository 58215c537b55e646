"""Every DomainError has a stable code and survives the trip through problem+json."""

import pytest

from shared.errors import (
    ERRORS_BY_CODE,
    DomainError,
    ImportFailed,
    MutationGap,
    StaleCursor,
    error_from_problem,
)


@pytest.mark.parametrize("code", sorted(ERRORS_BY_CODE))
def test_round_trip_through_problem(code):
    cls = ERRORS_BY_CODE[code]
    error = ImportFailed(["a.csv:2: bad"]) if cls is ImportFailed else cls("something failed", extra_field=3)
    problem = error.to_problem()
    assert problem["status"] == cls.status and problem["code"] == code
    back = error_from_problem(problem)
    assert type(back) is cls and back.detail == error.detail


def _tree(cls):
    return [cls, *(c for sub in cls.__subclasses__() for c in _tree(sub))]


def test_codes_are_unique_across_the_whole_tree():
    classes = _tree(DomainError)
    assert len(classes) > 10
    assert len({c.code for c in classes}) == len(classes) == len(ERRORS_BY_CODE)


def test_extra_members_travel():
    back = error_from_problem(MutationGap("expected 7", expected=7).to_problem())
    assert back.extra == {"expected": 7}


def test_unknown_code_becomes_the_base_class():
    back = error_from_problem({"code": "from_the_future", "detail": "new server", "status": 400})
    assert type(back) is DomainError and back.detail == "new server"


def test_stale_cursor_is_410():
    assert StaleCursor("x").to_problem()["status"] == 410


def test_no_module_defines_its_own_domain_error():
    """Every DomainError lives in shared/errors.py, so devices can rebuild it from its code."""
    import importlib
    import pkgutil

    import client
    import shared
    import sync_server

    for package in (shared, sync_server, client):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".ui" in module.name or module.name.endswith(("app", "main")):
                continue  # the UI imports flet; its modules define no errors
            importlib.import_module(module.name)
    strays = [c for c in _tree(DomainError) if c.__module__ != "shared.errors"]
    assert strays == []
