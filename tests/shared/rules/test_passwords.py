"""The password policy, case by case."""

import pytest

from shared.errors import ValidationFailed
from shared.rules.passwords import check_password


@pytest.mark.parametrize(
    ("password", "login", "key"),
    [
        ("short-pw", "ana.garcia", "problem.password.too_short"),
        ("123456789", "ana.garcia", "problem.password.too_short"),
        ("x" * 257, "ana.garcia", "problem.password.too_long"),
        ("1234567890", "ana.garcia", "problem.password.common"),
        ("Password123", "ana.garcia", "problem.password.common"),
        ("QWERTYUIOP", "ana.garcia", "problem.password.common"),
        ("ana.garcia-2026", "ana.garcia", "problem.password.has_login"),
        ("my-ANA.GARCIA-x", "ana.garcia", "problem.password.has_login"),
        ("Contraseña", "ana.garcia", "problem.password.common"),
    ],
)
def test_a_weak_password_is_refused_naming_why(password, login, key):
    with pytest.raises(ValidationFailed) as refused:
        check_password(password, login)
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("password", "login"),
    [
        ("secret-pass-1", "ana.garcia"),
        ("x" * 10, "ana.garcia"),
        ("x" * 256, "ana.garcia"),
        ("tortilla de patatas", "ana.garcia"),
        ("1234567890x", "ana.garcia"),
    ],
)
def test_a_good_enough_password_passes(password, login):
    check_password(password, login)
