"""ClientSettings: TERRENO_ variables, the platform app-data folder, bounds."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from client.settings import ClientSettings, default_data_dir
from shared.protocol import MAX_PULL_LIMIT


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in (
        "TERRENO_DATA_DIR",
        "TERRENO_CLIENT_DATA_DIR",
        "TERRENO_SERVER_URL",
        "TERRENO_PULL_PAGE_SIZE",
        "FLET_APP_STORAGE_DATA",
        "XDG_DATA_HOME",
    ):
        monkeypatch.delenv(name, raising=False)


ROOT = Path(__file__).resolve().parents[2]


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = ClientSettings()
    assert settings.server_url == "http://127.0.0.1:8470"
    assert settings.pull_page_size == MAX_PULL_LIMIT
    assert settings.data_dir == default_data_dir()


def test_a_packaged_app_uses_the_folder_flet_gives_it(monkeypatch, tmp_path):
    monkeypatch.setenv("FLET_APP_STORAGE_DATA", str(tmp_path / "flet"))
    assert ClientSettings().data_dir == tmp_path / "flet"


@pytest.mark.skipif(not Path("/proc").exists(), reason="Linux folder convention")
def test_linux_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_data_dir() == tmp_path / ".local" / "share" / "terreno"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "terreno"


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("TERRENO_SERVER_URL", "https://sync.example.com")
    monkeypatch.setenv("TERRENO_PULL_PAGE_SIZE", "500")
    monkeypatch.setenv("TERRENO_DATA_DIR", str(tmp_path / "shared"))
    assert ClientSettings().data_dir == tmp_path / "shared"
    monkeypatch.setenv("TERRENO_CLIENT_DATA_DIR", str(tmp_path / "client"))
    settings = ClientSettings()
    assert (settings.server_url, settings.pull_page_size, settings.data_dir) == (
        "https://sync.example.com",
        500,
        tmp_path / "client",
    )
    assert ClientSettings(data_dir=tmp_path / "explicit").data_dir == tmp_path / "explicit"


@pytest.mark.parametrize("size", ["0", "10001"])
def test_a_page_size_outside_the_protocol_bounds_fails_loudly(monkeypatch, size):
    monkeypatch.setenv("TERRENO_PULL_PAGE_SIZE", size)
    with pytest.raises(ValidationError):
        ClientSettings()


def test_a_packaged_app_reads_its_server_address_from_the_bundled_file(tmp_path, monkeypatch):
    from client.settings import BUNDLED_ENV_FILE, ClientSettings

    assert ClientSettings.model_config["env_file"] == BUNDLED_ENV_FILE == ROOT / "terreno.env"  # beside main.py
    bundled = tmp_path / "terreno.env"
    bundled.write_text("TERRENO_SERVER_URL=https://sync.example.com\nTERRENO_SYNC_INTERVAL_MINUTES=10\n")
    monkeypatch.delenv("TERRENO_SERVER_URL", raising=False)
    monkeypatch.delenv("TERRENO_SYNC_INTERVAL_MINUTES", raising=False)
    settings = ClientSettings(_env_file=bundled)
    assert (settings.server_url, settings.sync_interval_minutes) == ("https://sync.example.com", 10.0)
    monkeypatch.setenv("TERRENO_SERVER_URL", "https://other.example.com")  # the environment wins
    assert ClientSettings(_env_file=bundled).server_url == "https://other.example.com"
