"""Entry point for `flet build` (tablet packages) and `flet run`: the native app window."""

import flet as ft

from client.app import ASSETS_DIR, build_main
from client.settings import ClientSettings

if __name__ == "__main__":
    ft.run(build_main(ClientSettings()), assets_dir=str(ASSETS_DIR))
