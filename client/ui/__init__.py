"""Views and components: render state and call services, nothing else (no rules, no SQL)."""
