"""Which protocol and schema versions this server serves (DESIGN §4.10)."""

from shared.errors import UnsupportedVersion
from shared.protocol import SCHEMA_VERSION, SUPPORTED_PROTOCOL_VERSIONS


def check_versions(protocol_version: int, schema_version: int) -> None:
    """Refuse, with a clear problem, a protocol or schema this server does not serve."""
    if protocol_version not in SUPPORTED_PROTOCOL_VERSIONS:
        raise UnsupportedVersion(
            f"protocol version {protocol_version} is not supported; update the app",
            supported=sorted(SUPPORTED_PROTOCOL_VERSIONS),
        )
    if schema_version > SCHEMA_VERSION:
        raise UnsupportedVersion(
            f"schema version {schema_version} is newer than this server's ({SCHEMA_VERSION})",
            server_schema_version=SCHEMA_VERSION,
        )


__all__ = ["check_versions"]
