"""What `flet build apk|ipa` runs: it looks for main.py at the project's root (docs/mobile.md).

The same as `client/main.py` (`flet run client/main.py` on a desktop): the native app window.
"""

import flet as ft

from client.app import ASSETS_DIR, build_main
from client.settings import ClientSettings

if __name__ == "__main__":
    ft.run(build_main(ClientSettings()), assets_dir=str(ASSETS_DIR))
