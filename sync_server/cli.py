"""`terreno-server`: serve, migrate, import, demo-data, users, ...

The CLI only converts: settings and library errors become one line naming the problem and
a non-zero exit (`main`'s error boundary), never a traceback.
"""

import argparse
import os
import sys
import time
from datetime import UTC
from pathlib import Path

from pydantic import ValidationError

from shared.errors import DomainError, ImportFailed
from sync_server.cli_admin import add_admin_commands
from sync_server.cli_audit import add_audit_command
from sync_server.cli_company import add_company_command
from sync_server.cli_exports import add_export_commands
from sync_server.settings import ServerSettings

POLICY_NAMES = ("approval", "credit", "email", "retention")
"""The policies `policies set` replaces (services.policies.POLICY_MODELS, without importing it at start)."""


class CommandError(Exception):
    """A problem with what the operator asked for; its message is the one line printed."""


def _settings(args: argparse.Namespace, *, needs_data_dir: bool = False) -> ServerSettings:
    overrides: dict = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "database_url", None):
        overrides["database_url"] = args.database_url
    try:
        settings = ServerSettings(**overrides)
    except ValidationError as exc:
        raise CommandError(_settings_problem(exc)) from None
    if needs_data_dir and not settings.is_sqlite and not settings.has_own_data_dir:
        # The embedded database's folder is the data folder; with another database the
        # attachments would land silently in ./data, which other workers do not share.
        raise CommandError(
            "with --database-url (TERRENO_DATABASE_URL) give the data folder too, --data-dir "
            "or TERRENO_DATA_DIR: attachments are stored there, shared by every server process"
        )
    return settings


def _settings_problem(exc: ValidationError) -> str:
    """One line naming each bad setting, its value and what is allowed."""
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "settings"
        name = f"TERRENO_{field.upper()}" if error["loc"] else "settings"
        value = error.get("input")
        shown = f" = {value!r}" if value is not None and not isinstance(value, dict) else ""
        parts.append(f"{name}{shown}: {error['msg']}")
    return "invalid setting: " + "; ".join(parts)


def _migrated_engine(settings: ServerSettings):
    """The settings' engine, its schema brought to the latest migration (safe to run at once
    from several processes)."""
    from sync_server.repository.database import make_engine, migrate

    engine = make_engine(settings.database_url)
    migrate(engine)
    return engine


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    _migrated_engine(settings).dispose()
    print(f"Database at {_safe_url(settings.database_url)} is at the latest migration")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync_server.app import create_app

    settings = _settings(args, needs_data_dir=True)
    host = args.host or settings.host
    port = args.port or settings.port
    if args.workers < 1:
        raise CommandError("--workers must be 1 or more")
    _migrated_engine(settings).dispose()
    print(
        f"Terreno sync server on http://{host}:{port}  ({args.workers} worker{'s' if args.workers > 1 else ''}; "
        f"database: {_safe_url(settings.database_url)}; data folder: {settings.data_dir.resolve()})",
        flush=True,
    )
    if args.workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level=args.log_level)
        return 0
    # Each worker process builds its own app from the same settings, passed as TERRENO_*.
    os.environ["TERRENO_DATABASE_URL"] = settings.database_url
    os.environ["TERRENO_DATA_DIR"] = str(settings.data_dir.resolve())
    uvicorn.run(
        "sync_server.app:create_app", factory=True, workers=args.workers, host=host, port=port, log_level=args.log_level
    )
    return 0


def _safe_url(url: str) -> str:
    from sync_server.repository.database import printable_url

    return printable_url(url)


def cmd_import(args: argparse.Namespace) -> int:
    from sync_server.cli_progress import ProgressDisplay
    from sync_server.importer.delta import import_delta
    from sync_server.importer.run import import_export

    directory = Path(args.directory)
    if not directory.is_dir():
        raise CommandError(f"{directory} is not a folder")
    engine = _migrated_engine(_settings(args))
    progress = None if args.quiet else ProgressDisplay()
    try:
        run = import_delta if args.delta else import_export
        report = run(engine, directory, progress=progress)
    except ImportFailed as exc:
        if progress:
            progress.end()
        print(f"Import refused: {exc.detail}", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    if progress:
        progress.end()
    print(report.summary())
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from datetime import date, datetime

    from sync_server.importer.demo import generate_demo_export

    out = Path(args.out)
    started = time.monotonic()
    try:
        today = date.fromisoformat(args.reference_date) if args.reference_date else datetime.now(UTC).date()
    except ValueError:
        raise CommandError(f"--reference-date must be a date like 2026-10-31, not {args.reference_date!r}") from None
    counts = generate_demo_export(out, scale=args.scale, seed=args.seed, reference_date=today)
    print(
        f"Wrote {sum(counts.values()):,} rows in {len(counts)} files to {out} "
        f"in {time.monotonic() - started:.1f}s (scale {args.scale}, seed {args.seed})"
    )
    return 0


def cmd_compact(args: argparse.Namespace) -> int:
    from datetime import datetime, timedelta

    from sync_server.repository.compaction import compact
    from sync_server.repository.database import write_transaction

    settings = _settings(args)
    engine = _migrated_engine(settings)
    if args.retention_days is None:
        from sync_server.services.policies import deletes_retention_days
        from sync_server.services.transactions import read_transaction

        with read_transaction(engine) as conn:
            days = deletes_retention_days(conn, settings.tombstone_retention_days)
    else:
        days = args.retention_days
    if days < 0:
        raise CommandError(f"--retention-days must be 0 or more, not {days}")
    with write_transaction(engine) as conn:
        report = compact(conn, datetime.now(UTC), timedelta(days=days))
    kept = "every delete was dropped" if days == 0 else f"deletes older than {days} days were dropped"
    print(
        f"Removed {report.superseded:,} superseded changes and {report.tombstones:,} deletes ({kept}); "
        f"devices with a cursor below {report.min_valid_cursor} will resync."
    )
    return 0


def cmd_expire_quotes(args: argparse.Namespace) -> int:
    from datetime import datetime

    from sync_server.services.quote_expiry import expire_due_quotes

    today = datetime.now(UTC).date()
    count = expire_due_quotes(_migrated_engine(_settings(args)), today)
    print(f"Expired {count:,} sent quote{'' if count == 1 else 's'} valid until before {today.isoformat()}.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from sync_server.repository.database import write_transaction
    from sync_server.services.change_check import check

    engine = _migrated_engine(_settings(args))
    with write_transaction(engine) as conn:
        found = check(conn, repair=args.repair)
    for problem in found[: args.limit]:
        print(f"seq {problem.seq}: {problem.entity} {problem.entity_id} in {problem.bucket}: {problem.reason}")
    if len(found) > args.limit:
        print(f"... and {len(found) - args.limit:,} more")
    if not found:
        print("The change log is readable: every change can be pulled by every device.")
        return 0
    if args.repair:
        print(
            f"Set aside {len(found):,} unreadable change(s) in quarantined_changes; records they held were "
            f"deleted, and devices will drop them at their next sync."
        )
        return 0
    print(f"{len(found):,} change(s) no device can read; `terreno-server check --repair` sets them aside.")
    return 1


def cmd_deliver_email(args: argparse.Namespace) -> int:
    from datetime import datetime

    from sync_server.services.email_outbox import deliver_due

    settings = _settings(args, needs_data_dir=True)
    engine = _migrated_engine(settings)
    while True:
        try:
            report = deliver_due(engine, settings, datetime.now(UTC))
        except DomainError:
            raise
        except Exception as exc:  # a database hiccup must not end the delivery loop
            if not args.loop:
                raise
            print(f"e-mail pass failed ({exc}); next pass in {args.interval:g}s", file=sys.stderr, flush=True)
            time.sleep(args.interval)
            continue
        if report.attempted or not args.loop:
            print(
                f"E-mail: {report.delivered} delivered, {report.retried} to retry, {report.failed} failed", flush=True
            )
        if not args.loop:
            return 0
        time.sleep(args.interval)


def cmd_policies(args: argparse.Namespace) -> int:
    import json
    from datetime import datetime

    from sync_server.services import policies
    from sync_server.services.transactions import read_transaction, write_transaction

    engine = _migrated_engine(_settings(args))
    if args.policies_command == "show":
        with read_transaction(engine) as conn:
            print(json.dumps(policies.policies_as_json(conn), indent=2, sort_keys=True))
        return 0
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read {args.file}: {exc}") from None
    with write_transaction(engine) as conn:
        saved = policies.save_policy(conn, args.name, data, datetime.now(UTC))  # audited
    print(json.dumps(policies.policy_json(saved), indent=2, sort_keys=True))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `terreno-server`."""
    parser = argparse.ArgumentParser(prog="terreno-server", description="Terreno sync server")
    parser.add_argument("--data-dir", help="folder of the embedded SQLite database (TERRENO_DATA_DIR)")
    parser.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql://... (TERRENO_DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="migrate the database if needed, then run the sync server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes sharing the port (PostgreSQL; default 1)"
    )
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(func=cmd_serve)

    mig = sub.add_parser(
        "migrate", help="bring the database to the latest schema (safe to run from several processes at once)"
    )
    mig.set_defaults(func=cmd_migrate)

    imp = sub.add_parser("import", help="import an ERP export folder (all-or-nothing)")
    imp.add_argument("directory")
    imp.add_argument("--quiet", action="store_true", help="no progress output")
    imp.add_argument(
        "--delta",
        action="store_true",
        help="the folder holds only what changed since the last export: rows to add or change, "
        "<name>.deleted.csv files of keys to delete; files left out are kept as they are",
    )
    imp.set_defaults(func=cmd_import)

    demo = sub.add_parser("demo-data", help="write a deterministic demo ERP export")
    demo.add_argument("--scale", type=int, default=1)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--out", required=True)
    demo.add_argument(
        "--reference-date", help="the export's today: history ends there (YYYY-MM-DD; default: today, UTC)"
    )
    demo.set_defaults(func=cmd_demo_data)

    comp = sub.add_parser("compact", help="drop superseded changes and expired deletes from the change log")
    comp.add_argument(
        "--retention-days",
        type=int,
        help="keep deletes this long (default: the retention policy, else TERRENO_TOMBSTONE_RETENTION_DAYS)",
    )
    comp.set_defaults(func=cmd_compact)

    expire = sub.add_parser(
        "expire-quotes", help="mark expired the sent quotes past their validity (the server also does it hourly)"
    )
    expire.set_defaults(func=cmd_expire_quotes)

    chk = sub.add_parser("check", help="find changes no device could read; --repair sets them aside")
    chk.add_argument(
        "--repair", action="store_true", help="move them to quarantined_changes and drop the records they held"
    )
    chk.add_argument("--limit", type=int, default=50, help="problems to print (default 50)")
    chk.set_defaults(func=cmd_check)

    mail = sub.add_parser(
        "deliver-email",
        help="deliver due quote e-mails from the outbox over SMTP now (serve does it by itself every "
        "TERRENO_EMAIL_DELIVERY_SECONDS)",
    )
    mail.add_argument(
        "--loop", action="store_true", help="keep delivering until interrupted (for servers run with delivery off)"
    )
    mail.add_argument("--interval", type=float, default=30, help="seconds between passes with --loop (default 30)")
    mail.set_defaults(func=cmd_deliver_email)

    add_export_commands(sub)

    pol = sub.add_parser("policies", help="show or set the approval, credit, device, e-mail and retention policies")
    pol_sub = pol.add_subparsers(dest="policies_command", required=True)
    pol_sub.add_parser("show")
    pol_set = pol_sub.add_parser("set", help="replace a policy with a JSON file (missing fields take defaults)")
    pol_set.add_argument("name", choices=sorted(POLICY_NAMES))
    pol_set.add_argument("file")
    pol.set_defaults(func=cmd_policies)

    add_admin_commands(sub)
    add_audit_command(sub)
    add_company_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `terreno-server` console script: the CLI's one error boundary."""
    from sync_server.repository.database import BadDatabaseUrl, DatabaseError, SchemaNotReady

    args = build_parser().parse_args(argv)
    if getattr(args, "scale", 1) < 1:
        print("error: --scale must be 1 or more", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    except SchemaNotReady as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BadDatabaseUrl as exc:  # a database URL SQLAlchemy cannot read
        print(f"error: not a database URL: {exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        print(f"error: the database failed: {reason}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Read by a command that stopped early (`users list | head`): end quietly, and point
        # stdout at nothing so the interpreter's own flush at exit does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a folder that cannot be made or read, a port already taken
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
