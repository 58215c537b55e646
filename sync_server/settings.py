"""Typed server settings (prefix TERRENO_), built once in the composition root."""

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServerSettings(BaseSettings):
    """Settings of the sync server; every one can be set as TERRENO_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="TERRENO_", extra="ignore")

    data_dir: Path = Path("data")
    """Folder of the embedded SQLite database and stored attachments."""
    database_url: str = ""
    """SQLAlchemy URL; empty means the embedded SQLite file `<data_dir>/terreno.db`."""
    token_ttl_hours: int = Field(default=24 * 14, ge=1, le=24 * 90)
    tombstone_retention_days: int = Field(default=90, ge=0)
    """How long deletes stay in the change log: longer than the longest offline period allowed
    (0: none is kept past the next compaction, and every device behind it resyncs)."""
    max_attachment_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    """Largest attachment (photo, quote PDF) a device may upload, in bytes."""
    attachment_content_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/webp", "application/pdf")
    """Content types an attachment may have; as an environment variable, a JSON list."""
    worker_threads: int = Field(default=16, ge=1, le=256)
    """Threads each server process gives blocking work (database, files). More than the
    database pool feeds only make them take turns on the interpreter: at 40, a device round
    cost a quarter more CPU than at 16 (`make bench-sync`)."""
    database_pool_size: int = Field(default=16, ge=1, le=256)
    """PostgreSQL connections each server process keeps open (one per worker thread: a
    connection opened and closed for each request costs PostgreSQL more than the request)."""
    quote_expiry_minutes: int = Field(default=60, ge=0, le=24 * 60)
    """How often sent quotes past their validity are marked expired (0: never, by this process)."""
    sign_in_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    """The window over which failed sign-ins are counted (audit log)."""
    sign_in_failures_per_login: int = Field(default=5, ge=1, le=1000)
    """Failed sign-ins of one login in the window before it gets 429 (from anywhere)."""
    sign_in_failures_per_address: int = Field(default=30, ge=1, le=100000)
    """Failed sign-ins from one client address in the window before it gets 429. Behind a
    proxy the address is the proxy's unless uvicorn trusts its X-Forwarded-For
    (`--forwarded-allow-ips`, docs/security.md)."""
    metrics_update_seconds: float = Field(default=60, ge=0, le=24 * 3600)
    """How often the kept parts of the dashboard's figures follow the pushes and imports and
    the day's readings of now are made (`metric_kept.keep_up`; 0: only when a snapshot is asked)."""
    company_currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    """The company's base currency: what the metrics add amounts of several currencies up in."""
    host: str = "127.0.0.1"
    port: int = Field(default=8470, ge=1, le=65535)

    smtp_host: str = ""
    """SMTP server the e-mail outbox delivers through; empty means e-mail is not configured."""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_user: str = ""
    """Login for SMTP AUTH; empty sends without authenticating."""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = ""
    """Sender address of quote e-mails (required when smtp_host is set)."""
    smtp_starttls: bool = False
    """Upgrade the connection with STARTTLS before authenticating and sending."""
    smtp_timeout_seconds: float = Field(default=30, gt=0, le=600)
    email_retry_minutes: list[int] = Field(default=[1, 5, 15, 60], min_length=1)
    """Wait before each retry of a failed delivery; after the last one the delivery is failed
    (so a message gets len + 1 attempts). TERRENO_EMAIL_RETRY_MINUTES='[1,5,15,60]'."""
    email_delivery_seconds: float = Field(default=15, ge=0, le=3600)
    """How often each server process hands the due quote e-mails to SMTP, on its own scheduler
    thread (never a request's); only with smtp_host set. 0: not by this process."""

    @model_validator(mode="after")
    def _smtp_complete(self) -> "ServerSettings":
        if self.smtp_host and not self.smtp_from:
            raise ValueError("TERRENO_SMTP_FROM is required when TERRENO_SMTP_HOST is set")
        if any(minutes < 1 for minutes in self.email_retry_minutes):
            raise ValueError("every TERRENO_EMAIL_RETRY_MINUTES value must be 1 or more")
        return self

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

    @property
    def has_own_data_dir(self) -> bool:
        """Whether the data folder was given (flag, environment), not taken by default."""
        return "data_dir" in self.model_fields_set


__all__ = ["ServerSettings"]
