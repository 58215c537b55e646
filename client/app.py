"""Composition root of the app: settings, then the UI shell per session; `terreno` CLI."""

import argparse
import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import flet as ft

from client.settings import ClientSettings
from client.ui.shell import Shell

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


LOG_FILE_BYTES = 1024 * 1024
"""The app's log file rolls over at this size, keeping three older files."""


def configure_logging(settings: ClientSettings) -> Path:
    """Send the app's log to `<data folder>/logs/terreno.log` (and stderr); its path.

    The error boundary (client/ui/wording.py) writes an unexpected error's traceback here,
    under the reference the seller is shown.
    """
    folder = Path(settings.data_dir) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "terreno.log"
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=LOG_FILE_BYTES, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    return path


def build_main(settings: ClientSettings):
    """The Flet `main` for these settings (a coroutine function, as Flet requires)."""

    async def main(page: ft.Page) -> None:
        await Shell(page, settings).start()

    return main


def create_web_app(settings: ClientSettings | None = None):
    """The app's web build as an ASGI app (loads nothing from the internet)."""
    settings = settings or ClientSettings()
    configure_logging(settings)
    # An absolute assets path: in ASGI mode Flet resolves a relative one against the CWD.
    return ft.run(build_main(settings), export_asgi_app=True, no_cdn=True, assets_dir=str(ASSETS_DIR))


def cli(argv: list[str] | None = None) -> int:
    """`terreno`: serve the app on loopback (web build) for a browser or a kiosk tablet."""
    import uvicorn

    parser = argparse.ArgumentParser(prog="terreno", description="Terreno field sales app (web build)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8550)
    parser.add_argument("--server-url", help="sync server URL (TERRENO_SERVER_URL)")
    parser.add_argument(
        "--allow-plain-http",
        action="store_true",
        help="allow a plain http:// server on another machine (TERRENO_ALLOW_PLAIN_HTTP; https otherwise)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    settings = ClientSettings()
    if args.server_url:
        settings = settings.model_copy(update={"server_url": args.server_url})
    if args.allow_plain_http:
        settings = settings.model_copy(update={"allow_plain_http": True})
    print(f"Terreno app on http://{args.host}:{args.port}  (sync server {settings.server_url})", flush=True)
    uvicorn.run(create_web_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0
