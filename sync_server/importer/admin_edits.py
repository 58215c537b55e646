"""An administrator's changes to users and teams, kept across ERP imports.

The rule (docs/import-format.md, "Administrator's changes"): a field an administrator set
keeps her value while the ERP still sends the value it had when she changed it; once the
ERP's own value changes, the ERP's new value wins and the field is the ERP's again. A user or
team she created is kept while the ERP's file does not list it, and becomes the ERP's (its
row replacing hers) once it does. A kept value must still make a valid record whose
references the export has; otherwise the ERP's value is taken. Every field kept or replaced
is a line of the import's report. All of it happens in the import's one transaction.
"""

import json
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from shared.errors import ImportFailed
from shared.models import MODELS_BY_ENTITY, Record
from shared.rules.teams import cycles
from sync_server.importer.buckets import bucket_for
from sync_server.importer.problems import quote
from sync_server.importer.report import AdminNote
from sync_server.importer.spec import FileSpec
from sync_server.importer.validation import ValidatedExport
from sync_server.repository import admin_edits, people
from sync_server.repository.bulk_records import Prepared, preparer
from sync_server.repository.database import Connection
from sync_server.repository.records import Desired, stored_records

ENTITIES = ("team", "user")
# Which entity each referring field of a user or team names.
_REFERENCES = {("user", "team_code"): "team", ("user", "home_warehouse"): "warehouse", ("team", "parent_code"): "team"}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _said(value: Any) -> str:
    return "(none)" if value is None or value == "" else quote(str(value))


class AdminEdits:
    """Merges each users/teams row of one import with what administrators changed."""

    def __init__(self, conn: Connection, export: ValidatedExport, delta: bool = False) -> None:
        self._conn = conn
        self._export = export
        # A delta lists only the rows that changed: a row it leaves out is unchanged, not gone.
        self._delta = delta
        self._teams: set[str] = set(export.index.keys.get("team", {}))
        self.notes: list[AdminNote] = []

    def merge_prepared(self, spec: FileSpec, prepared: Iterable[Prepared]) -> Iterable[Prepared]:
        """`merge` over the write pass's prepared records (users and teams: a few rows, so
        reading each back into its model costs nothing worth keeping apart)."""
        if spec.entity not in ENTITIES:
            return prepared
        model = MODELS_BY_ENTITY[spec.entity]
        desired = [Desired(model.model_validate_json(item.text), item.bucket) for item in prepared]
        prepare = preparer(spec.entity)
        return [prepare(item.record, item.bucket) for item in self.merge(spec, desired)]

    def merge(self, spec: FileSpec, desired: Iterable[Desired]) -> Iterable[Desired]:
        """`desired` (one file's rows) with the administrators' values kept; other files as they are."""
        if spec.entity not in ENTITIES:
            return desired
        return self._merge(spec, list(desired))

    def _merge(self, spec: FileSpec, rows: list[Desired]) -> list[Desired]:
        entity = spec.entity
        edits = admin_edits.edits_of_entity(self._conn, entity)
        stored = {r.record_id(): r for r in stored_records(self._conn, entity)} if edits else {}
        forget: list[tuple[str, str | None]] = []
        out: list[Desired] = []
        listed = {item.record.record_id() for item in rows}
        created = [
            rid
            for rid, fields in edits.items()
            if admin_edits.CREATED in fields and rid not in listed and not self._delta
        ]
        if entity == "team":
            self._teams.update(rid for rid in created if rid in stored)
        for item in rows:
            rid = item.record.record_id()
            fields = edits.get(rid)
            if not fields:
                out.append(item)
            elif admin_edits.CREATED in fields or rid not in stored:
                forget.append((rid, None))
                if admin_edits.CREATED in fields:
                    self._note(
                        spec,
                        rid,
                        f"now in {spec.filename}: the ERP's row replaces the one an administrator created",
                        False,
                    )
                out.append(item)
            else:
                record = self._merge_fields(spec, item.record, stored[rid], fields, forget)
                out.append(Desired(record, bucket_for(record, self._export.index)))
        for rid in created:
            if rid not in stored:
                forget.append((rid, None))
                continue
            record = stored[rid]
            self._check_created(spec, record)
            self._note(spec, rid, f"kept: created by an administrator, not in {spec.filename}", True)
            out.append(Desired(record, bucket_for(record, self._export.index)))
        if not self._delta:
            forget.extend((rid, None) for rid in edits if rid not in listed and rid not in created)
        if entity == "team":
            out = self._without_cycles(spec, out, edits, forget)
        else:
            self._note_deactivated(spec, out)
        admin_edits.forget_edits(self._conn, entity, forget)
        return out

    def _merge_fields(
        self,
        spec: FileSpec,
        erp_record: Record,
        current: Record,
        fields: dict[str, str | None],
        forget: list[tuple[str, str | None]],
    ) -> Record:
        """The ERP's record with each administrator's field it has not changed since."""
        rid = erp_record.record_id()
        erp, mine = erp_record.to_data(), current.to_data()
        values, kept = dict(erp), []
        for field, erp_value in sorted(fields.items()):
            if field not in erp or mine.get(field) == erp[field]:
                forget.append((rid, field))
            elif _json(erp[field]) != erp_value:
                forget.append((rid, field))
                self._note(
                    spec,
                    rid,
                    f"{field} {_said(erp[field])} from the ERP replaces {_said(mine[field])} an administrator "
                    "set (the ERP's value changed)",
                    False,
                )
            elif not self._exists(spec.entity, field, mine[field]):
                forget.append((rid, field))
                self._note(
                    spec,
                    rid,
                    f"{field} {_said(erp[field])} from the ERP replaces {_said(mine[field])} an administrator "
                    "set (the export no longer has it)",
                    False,
                )
            else:
                values[field] = mine[field]
                kept.append(field)
        if not kept:
            return erp_record
        try:
            merged = MODELS_BY_ENTITY[spec.entity].model_validate(values)
        except ValidationError:
            forget.extend((rid, field) for field in kept)
            shown = ", ".join(f"{f} {_said(mine[f])}" for f in kept)
            self._note(spec, rid, f"the ERP's row replaces {shown} an administrator set (they no longer fit it)", False)
            return erp_record
        for field in kept:
            self._note(
                spec,
                rid,
                f"{field} {_said(mine[field])} kept, set by an administrator (the ERP still says {_said(erp[field])})",
                True,
            )
        return merged

    def _exists(self, entity: str, field: str, value: Any) -> bool:
        target = _REFERENCES.get((entity, field))
        if target is None or value is None:
            return True
        if target == "team":
            return value in self._teams or (self._delta and self._export.index.has("team", value))
        return self._export.index.has(target, value)

    def _check_created(self, spec: FileSpec, record: Record) -> None:
        """A kept record of an administrator's must refer only to what the export has."""
        data = record.to_data()
        missing = [f for f in data if not self._exists(spec.entity, f, data[f])]
        if missing:
            shown = ", ".join(f"{f} {_said(data[f])}" for f in missing)
            raise ImportFailed(
                [
                    f"{spec.filename}: {record.record_id()}: created by an administrator and not in {spec.filename}, "
                    f"has {shown}, which the export no longer has: add it back to the export, or change "
                    f"{record.record_id()} in the administrator's screens, then import again"
                ]
            )

    def _without_cycles(
        self, spec: FileSpec, out: list[Desired], edits: dict[str, dict[str, str | None]], forget: list
    ) -> list[Desired]:
        """Kept parents that would make teams a loop give way to the ERP's (which has none)."""
        parents = {d.record.record_id(): getattr(d.record, "parent_code", None) for d in out}
        if not cycles(parents):
            return out
        # The ERP's parents form no loop (checked when the file was read): with every parent an
        # administrator set given back to the ERP's, none is left.
        erp_parents = {c: json.loads(f["parent_code"] or "null") for c, f in edits.items() if "parent_code" in f}
        reverted = {c for c in parents if c in erp_parents and parents[c] != erp_parents[c]}
        result = []
        for d in out:
            code = d.record.record_id()
            if code in reverted:
                mine = getattr(d.record, "parent_code", None)
                record = d.record.model_copy(update={"parent_code": erp_parents[code]})
                forget.append((code, "parent_code"))
                self.notes = [n for n in self.notes if not (n.key == code and n.text.startswith("parent_code"))]
                self._note(
                    spec,
                    code,
                    f"parent_code {_said(erp_parents[code])} from the ERP replaces {_said(mine)} an administrator "
                    "set (teams would form a loop)",
                    False,
                )
                d = Desired(record, d.bucket)
            result.append(d)
        return result

    def _note_deactivated(self, spec: FileSpec, out: list[Desired]) -> None:
        inactive = people.deactivated_logins(self._conn)
        for d in out:
            if d.record.record_id() in inactive:
                self._note(
                    spec, d.record.record_id(), "stays deactivated (an administrator deactivated the account)", True
                )

    def note_passwords(self, logins: Iterable[str]) -> None:
        """Passwords set on the server that the import kept (`credentials.store_password_hashes`)."""
        for login in logins:
            text = "password kept, set on the server (the ERP's password_hash has not changed)"
            self.notes.append(AdminNote("users.csv", login, text, True))

    def _note(self, spec: FileSpec, key: str, text: str, kept: bool) -> None:
        self.notes.append(AdminNote(spec.filename, key, text, kept))


__all__ = ["ENTITIES", "AdminEdits"]
