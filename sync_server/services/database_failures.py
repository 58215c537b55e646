"""A database error as the caller should hear it: the input's fault, or try again later."""

from shared.errors import DomainError, InvalidValue, RetryLater
from sync_server.repository.database import DatabaseError as DBAPIError
from sync_server.repository.errors import is_data_error, is_transient


def as_domain_error(exc: DBAPIError) -> DomainError | None:
    """InvalidValue for a value the database refused, RetryLater for passing trouble, else
    None (a server fault: the caller logs it)."""
    if is_data_error(exc):
        reason = str(exc.orig).splitlines()[0][:200] if exc.orig is not None else "a value was refused"
        return InvalidValue(f"the database refused a value of the request: {reason}")
    if is_transient(exc):
        return RetryLater("the database is busy or unreachable; try again")
    return None


__all__ = ["as_domain_error"]
