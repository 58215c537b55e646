"""Pure domain rules shared by the app (offline) and the server (on push)."""
