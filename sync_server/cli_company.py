"""`terreno-server company`: show the company profile, or set it and its logo as an administrator.

Edits made here are in the audit log under the login `cli` (the operator at the server)."""

import argparse
import json
from pathlib import Path

CLI_LOGIN = "cli"


def cmd_company(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sync_server.cli import CommandError, _migrated_engine, _settings
    from sync_server.services import company
    from sync_server.services.transactions import read_transaction, write_transaction

    engine = _migrated_engine(_settings(args))
    now = datetime.now(UTC)
    if args.company_command == "set":
        try:
            data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {args.file}: {exc}") from None
        if not isinstance(data, dict):
            raise CommandError(f"{args.file} must hold a JSON object of the profile's fields")
        with write_transaction(engine) as conn:
            company.save_company(conn, data, login=CLI_LOGIN, now=now)
    elif args.company_command == "logo":
        try:
            image = Path(args.file).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {args.file}: {exc.strerror}") from None
        with write_transaction(engine) as conn:
            company.save_company_logo(conn, image, login=CLI_LOGIN, now=now)
    with read_transaction(engine) as conn:
        shown = company.company_as_json(conn)
    if shown["profile"] is None:
        print("No company profile yet: import an export with company.csv, or run `company set`.")
    else:
        print(json.dumps(shown, indent=2, sort_keys=True, ensure_ascii=False))
    return 0


def add_company_command(sub) -> None:
    """Add `company` to the CLI's subcommands."""
    comp = sub.add_parser("company", help="show or edit the company profile devices print on quotes")
    comp_sub = comp.add_subparsers(dest="company_command", required=True)
    comp_sub.add_parser("show")
    comp_set = comp_sub.add_parser("set", help="replace the profile with a JSON file of its fields (the logo stays)")
    comp_set.add_argument("file")
    comp_logo = comp_sub.add_parser("logo", help="replace the logo with a PNG or JPEG file")
    comp_logo.add_argument("file")
    comp.set_defaults(func=cmd_company)


__all__ = ["add_company_command", "cmd_company"]
