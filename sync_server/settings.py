"""Typed server settings (prefix TERRENO_), built once in the composition root."""

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServerSettings(BaseSettings):
    """Settings of the sync server; every one can be set as TERRENO_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="TERRENO_", extra="ignore")

    data_dir: Path = Path("data")
    """Folder of the embedded SQLite database and stored attachments."""
    database_url: str = ""
    """SQLAlchemy URL; empty means the embedded SQLite file `<data_dir>/terreno.db`."""
    token_ttl_hours: int = Field(default=24 * 14, ge=1, le=24 * 90)
    tombstone_retention_days: int = Field(default=90, ge=1)
    """How long deletes stay in the change log: longer than the longest offline period allowed."""
    host: str = "127.0.0.1"
    port: int = Field(default=8470, ge=1, le=65535)

    @model_validator(mode="after")
    def _default_database(self) -> "ServerSettings":
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'terreno.db').as_posix()}"
        if self.database_url.startswith("postgresql://"):
            # One driver everywhere: psycopg 3.
            self.database_url = "postgresql+psycopg://" + self.database_url.removeprefix("postgresql://")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


__all__ = ["ServerSettings"]
