"""What the app and the server both import: models, protocol, rules. No I/O here."""
