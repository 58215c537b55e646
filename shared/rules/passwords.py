"""The password policy: what a new password must be (checked where one is set, on the server).

At least 10 characters and at most 256 (argon2 hashes any length, but a megabyte password is
a megabyte of hashing for every sign-in attempt), not one of the most common passwords (a
small list: the ones guessed first), and not the login itself.
"""

from shared.errors import ValidationFailed

MIN_LENGTH = 10
MAX_LENGTH = 256

# The most common passwords of 10 characters or more (shorter ones fail the length anyway),
# from public breach lists, plus the obvious ones of this app. Compared without case.
COMMON = frozenset(
    [
        "1234567890",
        "0123456789",
        "0987654321",
        "1111111111",
        "0000000000",
        "1122334455",
        "1234512345",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "123456789a",
        "a123456789",
        "123456789q",
        "qwertyuiop",
        "asdfghjkl1",
        "zxcvbnm123",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "1234qwerty",
        "password12",
        "password123",
        "password1234",
        "password12345",
        "passw0rd12",
        "passw0rd123",
        "p@ssw0rd123",
        "p@ssword123",
        "iloveyou12",
        "iloveyou123",
        "princess12",
        "sunshine12",
        "football12",
        "football123",
        "baseball12",
        "basketball",
        "superman12",
        "welcome123",
        "welcome1234",
        "letmein123",
        "changeme12",
        "changeme123",
        "administrator",
        "admin12345",
        "admin123456",
        "abcdefghij",
        "abcd123456",
        "abc1234567",
        "qazwsxedcrfv",
        "1q2w3e4r5t6y",
        "zaq12wsxcde",
        "trustno1234",
        "monkey1234",
        "dragon1234",
        "master1234",
        "whatever12",
        "michael123",
        "jennifer12",
        "1234554321",
        "9876543210",
        "5555555555",
        "7777777777",
        "9999999999",
        "contraseña",
        "contrasena",
        "contrasena1",
        "contraseña1",
        "contrasena123",
        "contraseña123",
        "terreno123",
        "terreno1234",
        "demo123456",
        "demodemo12",
        "ventas2024",
        "ventas2025",
        "ventas2026",
        "verano2025",
        "verano2026",
        "invierno2025",
        "invierno2026",
        "summer2025",
        "summer2026",
        "winter2025",
        "winter2026",
        "spring2026",
    ]
)


def check_password(password: str, login: str = "") -> None:
    """ValidationFailed naming what the password lacks, or nothing."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed(
            f"a password needs at least {MIN_LENGTH} characters",
            key="problem.password.too_short",
            params={"min": MIN_LENGTH},
        )
    if len(password) > MAX_LENGTH:
        raise ValidationFailed(
            f"a password has at most {MAX_LENGTH} characters",
            key="problem.password.too_long",
            params={"max": MAX_LENGTH},
        )
    lowered = password.lower()
    if lowered in COMMON:
        raise ValidationFailed(
            "this password is one of the most common ones; choose another", key="problem.password.common"
        )
    if login and login.lower() in lowered:
        raise ValidationFailed("a password must not contain the login", key="problem.password.has_login")


__all__ = ["COMMON", "MAX_LENGTH", "MIN_LENGTH", "check_password"]
