"""An imported `password_hash` is read as the argon2id hash it claims to be, not by its prefix."""

import re

from argon2 import Type, extract_parameters
from argon2.exceptions import InvalidHashError

MAX_LENGTH = 300
"""The width of credentials.password_hash."""
_SHAPE = re.compile(r"\$argon2id\$v=19\$m=[0-9]{1,8},t=[0-9]{1,3},p=[0-9]{1,3}\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+")
# Bounds on the cost a hash asks of every sign-in: a hash made to need 64 GiB is an attack.
_MAX_MEMORY_KIB, _MAX_TIME, _MAX_LANES = 1024 * 1024, 20, 64
_MIN_SALT, _MIN_HASH = 8, 16


def hash_problem(text: str) -> str | None:
    """Why `text` is not a usable argon2id hash (never quoting it), or None."""
    if len(text) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    if not _SHAPE.fullmatch(text):
        return "must be an argon2id hash such as $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>"
    try:
        parameters = extract_parameters(text)
    except InvalidHashError:
        return "is not a readable argon2id hash"
    if parameters.type != Type.ID:
        return "must be an argon2id hash"
    if parameters.salt_len < _MIN_SALT or parameters.hash_len < _MIN_HASH:
        return f"needs a salt of at least {_MIN_SALT} bytes and a hash of at least {_MIN_HASH}"
    if (
        parameters.memory_cost > _MAX_MEMORY_KIB
        or parameters.time_cost > _MAX_TIME
        or parameters.parallelism > _MAX_LANES
    ):
        return f"asks too much of every sign-in (at most m={_MAX_MEMORY_KIB}, t={_MAX_TIME}, p={_MAX_LANES})"
    if parameters.memory_cost < 8 * parameters.parallelism or parameters.time_cost < 1:
        return "has parameters argon2 does not allow"
    return None


__all__ = ["MAX_LENGTH", "hash_problem"]
