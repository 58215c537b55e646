"""Server addresses: https for any other machine, plain http only on loopback or when allowed."""

import pytest

from shared.errors import ValidationFailed
from shared.rules.server_address import check_server_address, is_loopback_host


@pytest.mark.parametrize(
    ("url", "allowed", "expected"),
    [
        ("https://sync.example.com/", False, "https://sync.example.com"),
        ("https://10.0.0.5:8470", False, "https://10.0.0.5:8470"),
        ("http://127.0.0.1:8470", False, "http://127.0.0.1:8470"),
        ("http://127.9.9.9", False, "http://127.9.9.9"),
        ("http://localhost:8470/", False, "http://localhost:8470"),
        ("http://[::1]:8470", False, "http://[::1]:8470"),
        ("http://sync.localhost", False, "http://sync.localhost"),
        ("http://10.0.0.5:8470", True, "http://10.0.0.5:8470"),
        ("  http://sync.example.com ", True, "http://sync.example.com"),
    ],
)
def test_addresses_the_app_accepts(url, allowed, expected):
    assert check_server_address(url, allow_plain_http=allowed) == expected


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://sync.example.com", "problem.settings.server_needs_https"),
        ("http://10.0.0.5:8470", "problem.settings.server_needs_https"),
        ("http://localhost.evil.com", "problem.settings.server_needs_https"),
        ("http://127.0.0.1.nip.io", "problem.settings.server_needs_https"),
        ("ftp://sync.example.com", "problem.settings.server_url"),
        ("sync.example.com", "problem.settings.server_url"),
        ("https://", "problem.settings.server_url"),
        ("http://[::1", "problem.settings.server_url"),
    ],
)
def test_addresses_the_app_refuses_say_why(url, key):
    with pytest.raises(ValidationFailed) as refused:
        check_server_address(url)
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("127.0.0.1", True),
        ("[::1]", True),
        ("::2", False),
        ("10.0.0.1", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback_host(host) is loopback
