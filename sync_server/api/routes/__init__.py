"""HTTP routes: parse, call one service, return its result."""
