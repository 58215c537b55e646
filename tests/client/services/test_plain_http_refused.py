"""The app talks to another machine over https only, unless its settings allow plain http."""

import pytest

from client.services.preferences import choose_server, load_preferences
from client.services.session import resume_session, sign_in, sign_out
from client.sync import Offline, SyncApi
from shared.errors import ValidationFailed
from tests.client.fakes import FakeSyncServer


def test_signing_in_to_a_plain_http_server_elsewhere_is_refused_before_sending(client_settings):
    settings = client_settings.model_copy(update={"server_url": "http://sync.example.com"})
    with pytest.raises(ValidationFailed) as refused:
        sign_in(settings, "ana.garcia", "secret-pass-1")
    assert refused.value.key == "problem.settings.server_needs_https"
    assert refused.value.params == {"host": "sync.example.com"}


def test_an_explicit_setting_allows_plain_http(client_settings):
    # 192.0.2.0/24 is reserved for documentation: nothing answers, so the app is offline,
    # which shows the request was allowed to go.
    settings = client_settings.model_copy(
        update={"server_url": "http://192.0.2.1:9", "allow_plain_http": True, "connect_timeout_seconds": 0.5}
    )
    with pytest.raises(Offline):
        sign_in(settings, "ana.garcia", "secret-pass-1")


def test_loopback_needs_no_setting(client_settings):
    settings = client_settings.model_copy(update={"server_url": "http://localhost:9", "connect_timeout_seconds": 2})
    with pytest.raises(Offline):
        sign_in(settings, "ana.garcia", "secret-pass-1")


def test_settings_refuse_to_save_a_plain_http_address_elsewhere(tmp_path):
    with pytest.raises(ValidationFailed) as refused:
        choose_server(tmp_path, "http://sync.example.com")
    assert refused.value.key == "problem.settings.server_needs_https"
    assert load_preferences(tmp_path).server_url is None
    assert choose_server(tmp_path, "http://sync.example.com", allow_plain_http=True).server_url == (
        "http://sync.example.com"
    )


def test_resuming_with_an_address_now_refused_opens_nothing(client_settings):
    api = SyncApi("http://terreno.test", transport=FakeSyncServer([]).transport())
    session = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api)
    session.store.close()
    session.api.close()
    refused = client_settings.model_copy(update={"server_url": "http://sync.example.com"})
    assert resume_session(refused) is None
    reopened = resume_session(client_settings.model_copy(update={"server_url": "https://sync.example.com"}))
    assert reopened is not None
    sign_out(reopened)
