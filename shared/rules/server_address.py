"""Which sync server addresses the app accepts: https, or plain http only on this machine.

A token and a company's prices sent in clear over a café's Wi-Fi are anyone's. Plain http is
allowed for loopback (127.0.0.0/8, ::1, localhost: a demo, the tests, a kiosk serving the
web build) and, for anything else, only when the device's settings say so explicitly
(`allow_plain_http`, for a closed network the company vouches for).
"""

import ipaddress
from urllib.parse import urlsplit

from shared.errors import ValidationFailed


def is_loopback_host(host: str) -> bool:
    """Whether `host` names this machine (localhost or a loopback address)."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_server_address(url: str, *, allow_plain_http: bool = False) -> str:
    """The address without a trailing slash; ValidationFailed naming the problem otherwise."""
    text = url.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise ValidationFailed(
            f"a server address looks like https://sync.example.com, not {url.strip()!r}",
            key="problem.settings.server_url",
            params={"text": url.strip()},
        )
    if parts.scheme == "http" and not allow_plain_http and not is_loopback_host(host):
        raise ValidationFailed(
            f"{host} must be reached over https: plain http would send the password and the data in clear",
            key="problem.settings.server_needs_https",
            params={"host": host},
        )
    return text


__all__ = ["check_server_address", "is_loopback_host"]
