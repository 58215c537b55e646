"""`terreno-server audit`: the audit log for an administrator, filtered by time, login and kind."""

import argparse
from datetime import UTC, datetime, timedelta


def _since(text: str) -> datetime:
    """A day (2026-12-01), a moment (2026-12-01T08:00), or a span back from now (7d, 12h, 30m)."""
    value = text.strip()
    units = {"d": "days", "h": "hours", "m": "minutes"}
    if value[-1:] in units and value[:-1].isdigit():
        return datetime.now(UTC) - timedelta(**{units[value[-1]]: int(value[:-1])})
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date, a moment or a span such as 7d") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_audit(args: argparse.Namespace) -> int:
    from sync_server.cli import _migrated_engine, _settings
    from sync_server.services.audit import list_events
    from sync_server.services.transactions import read_transaction

    engine = _migrated_engine(_settings(args))
    with read_transaction(engine) as conn:
        found = list_events(conn, since=args.since, login=args.login, kinds=args.kind, limit=args.limit)
    for event in found:
        where = f" from {event.address}" if event.address else ""
        device = f" device {event.client_id}" if event.client_id else ""
        about = f" {event.subject}" if event.subject else ""
        detail = f": {event.detail}" if event.detail else ""
        print(f"{event.at:%Y-%m-%d %H:%M:%S} {event.kind:18} {event.login or '-':20}{about}{device}{where}{detail}")
    if not found:
        print("No audit events match.")
    return 0


def add_audit_command(sub) -> None:
    """Add `audit` to the CLI's subcommands."""
    from sync_server.services.audit import AuditKind

    audit = sub.add_parser("audit", help="show the audit log: sign-ins, revocations, approvals, e-mails, exports")
    audit.add_argument("--since", type=_since, help="from a day, a moment (UTC) or a span back: 7d, 12h, 30m")
    audit.add_argument("--login", help="only this user's events (as actor or subject)")
    audit.add_argument(
        "--kind", action="append", type=AuditKind, choices=list(AuditKind), help="only this kind (repeatable)"
    )
    audit.add_argument("--limit", type=int, default=1000, help="at most this many events (default 1000)")
    audit.set_defaults(func=cmd_audit)


__all__ = ["add_audit_command", "cmd_audit"]
