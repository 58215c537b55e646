"""`terreno-server export-orders` and `export-prospects`: what tablets made, for the ERP to
import incrementally (docs/order-export.md). Each export is noted in the audit log."""

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path


def _export(args: argparse.Namespace, what: str) -> int:
    from sync_server.cli import _migrated_engine, _settings
    from sync_server.services.orders import export_orders
    from sync_server.services.prospect_export import export_prospects
    from sync_server.services.transactions import write_transaction

    writer: Callable[..., tuple[int, int]] = export_orders if what == "order" else export_prospects
    engine = _migrated_engine(_settings(args))
    with write_transaction(engine) as conn:  # the export is noted in the audit log
        count, last = writer(conn, args.format, Path(args.out), args.since, datetime.now(UTC))
    print(f"Exported {count} {what}(s) to {args.out}; next time use --since {last}")
    return 0


def add_export_commands(sub) -> None:
    """Add both export commands to the CLI's subcommands."""
    for name, what, helptext in (
        ("export-orders", "order", "export accepted quotes as sales order requests for the ERP"),
        ("export-prospects", "prospect", "export the prospects made on tablets for the ERP to create"),
    ):
        command = sub.add_parser(name, help=helptext)
        command.add_argument("--format", choices=["csv", "json"], default="csv")
        command.add_argument("--out", required=True, help="file to write")
        command.add_argument(
            "--since",
            type=int,
            default=0,
            help=f"only {what}s after this change-log seq (the last_seq of the previous export)",
        )
        command.set_defaults(func=lambda args, what=what: _export(args, what))


__all__ = ["add_export_commands"]
