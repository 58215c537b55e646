"""Terreno client: the Flet app, its local SQLite store and the sync protocol client."""
