"""Files the seller attaches (quote PDFs, observation photos), kept on the device until uploaded.

A file is stored once under its SHA-256 in `<data_dir>/files/<login>/` and listed in the
`attachments` table; the sync round uploads every listed file the server does not have yet
*before* pushing the mutations that name it (DESIGN §4.11).
"""

import hashlib
import os
from datetime import UTC, datetime

from client.services.session import Session
from client.store import Store, files_dir
from client.sync.attachments import upload_attachment
from shared.errors import ValidationFailed
from shared.messages import number

ALLOWED_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp"})
MAX_FILE_BYTES = 20 * 1024 * 1024


def keep_file(session: Session, data: bytes, content_type: str, name: str = "") -> str:
    """Store `data` on the device for upload; return its SHA-256 (the same bytes → the same file)."""
    if content_type not in ALLOWED_TYPES:
        raise ValidationFailed(
            f"a {content_type or 'file of unknown type'} cannot be attached; "
            f"use one of {', '.join(sorted(ALLOWED_TYPES))}",
            key="problem.file.type_not_allowed",
            params={"type": content_type or "?", "allowed": sorted(ALLOWED_TYPES)},
        )
    if not data:
        raise ValidationFailed("the file is empty", key="problem.file.empty")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed(
            f"the file is {len(data) // (1024 * 1024)} MiB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MiB",
            key="problem.file.too_large",
            params={"size": number(len(data) // (1024 * 1024)), "limit": number(MAX_FILE_BYTES // (1024 * 1024))},
        )
    sha256 = hashlib.sha256(data).hexdigest()
    folder = files_dir(session.settings.data_dir, session.login)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / sha256
    if not target.exists():
        # Written aside and renamed, so a crash never leaves a half file under the digest.
        partial = folder / f".{sha256}.part"
        partial.write_bytes(data)
        os.replace(partial, target)
    with session.store.write() as db:
        db.execute(
            "INSERT INTO attachments (sha256, content_type, size, file_name, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(sha256) DO NOTHING",
            [sha256, content_type, len(data), name[:200], datetime.now(UTC).isoformat()],
        )
    return sha256


def read_file(session: Session, sha256: str) -> bytes:
    """The bytes of a kept file (a quote's PDF exactly as rendered, a photo)."""
    path = files_dir(session.settings.data_dir, session.login) / sha256
    if not path.exists():
        raise ValidationFailed(
            f"the file {sha256[:12]}… is not on this device",
            key="problem.file.not_on_device",
            params={"file": sha256[:12]},
        )
    return path.read_bytes()


def pending_uploads(store: Store) -> list[tuple[str, str]]:
    """(sha256, content_type) of kept files the server has not confirmed yet, oldest first."""
    with store.read() as db:
        return [
            (r[0], r[1])
            for r in db.execute(
                "SELECT sha256, content_type FROM attachments WHERE uploaded_at IS NULL ORDER BY created_at, sha256"
            )
        ]


def mark_uploaded(store: Store, sha256: str) -> None:
    """Remember that the server holds the whole file."""
    with store.write() as db:
        db.execute("UPDATE attachments SET uploaded_at = ? WHERE sha256 = ?", [datetime.now(UTC).isoformat(), sha256])


def upload_kept_files(session: Session) -> int:
    """Upload every kept file the server does not hold yet (resuming partial uploads); how many."""
    uploaded = 0
    for sha256, content_type in pending_uploads(session.store):
        path = files_dir(session.settings.data_dir, session.login) / sha256
        if not path.exists():
            continue  # gone from the device: the mutation naming it will say so (attachment_missing)
        upload_attachment(session.api, path, content_type)
        mark_uploaded(session.store, sha256)
        uploaded += 1
    return uploaded


__all__ = [
    "ALLOWED_TYPES",
    "MAX_FILE_BYTES",
    "files_dir",
    "keep_file",
    "mark_uploaded",
    "pending_uploads",
    "read_file",
    "upload_kept_files",
]
