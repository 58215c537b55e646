"""Sync protocol v1 message shapes and names (DESIGN §4). Both sides import these.

Push:  POST /v1/sync/push   PushRequest  -> PushResponse
Pull:  GET  /v1/sync/pull?cursor=&limit= -> PullResponse
       GET  /v1/sync/pull/stream?cursor=&limit= -> PullResponse frames (shared/pull_stream.py)
Login: POST /v1/auth/login  LoginRequest -> LoginResponse (registers the device on first use)

`seq` in the change log is the only pull cursor; the device clock never orders anything.
Buckets decide scope: `catalog`, `stock:<warehouse>`, `portfolio:<seller>`,
`activity:<seller>` (field data), `unassigned` (customers with no seller yet).
"""

import zlib
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shared.models.enums import Role
from shared.models.types import TEXT_PATTERN, Code, Login, UtcDateTime, check_text

PROTOCOL_VERSION = 3
"""1: the first. 2: a rejected MutationResult may carry `key` and `params` (the seller's words).
3: a pull page carries the server's `floor`, and a pull sends back the floor of the last page
applied, so a first or replacement sync goes on through any compaction that leaves it whole."""
SCHEMA_VERSION = 1
SUPPORTED_PROTOCOL_VERSIONS = frozenset({1, 2, 3})
MAX_PUSH_MUTATIONS = 500
MAX_PUSH_BYTES = 4 * 1024 * 1024
DEFAULT_PULL_LIMIT = 2000
MAX_PULL_LIMIT = 10000

CATALOG_BUCKET = "catalog"
DIRECTORY_BUCKET = "directory"
"""Teams and users (names, roles): every signed-in user sees them."""
UNASSIGNED_BUCKET = "unassigned"


def stock_bucket(warehouse_code: str) -> str:
    """Bucket of one warehouse's stock and incoming lots."""
    return f"stock:{warehouse_code}"


def portfolio_bucket(seller_login: str | None) -> str:
    """Bucket of a seller's customers with their credit, contacts, history and own prices."""
    return f"portfolio:{seller_login}" if seller_login else UNASSIGNED_BUCKET


def activity_bucket(seller_login: str) -> str:
    """Bucket of a seller's field data: visits, opportunities, observations, quotes."""
    return f"activity:{seller_login}"


def metrics_team_scope(team_code: str) -> str:
    """The key of a team's figures in the metrics snapshot (docs/metrics.md); a login cannot
    hold a colon, so it never clashes with a seller's key."""
    return f"team:{team_code}"


CHECKSUM_MODULUS = 2**32


def record_checksum(entity: str, record_id: str, version: int) -> int:
    """Checksum of one live record: CRC-32 of 'entity|id|version' (UTF-8)."""
    return zlib.crc32(f"{entity}|{record_id}|{version}".encode())


def combine_checksums(checksums: Iterable[int]) -> int:
    """Checksum of a bucket: the sum of its records' checksums modulo 2**32 (order-free)."""
    return int(sum(checksums)) % CHECKSUM_MODULUS


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Op(StrEnum):
    PUT = "put"
    DELETE = "delete"


class MutationName(StrEnum):
    """Every mutation a device may push; each has one server handler."""

    RECORD_VISIT = "record_visit"
    RECORD_OBSERVATION = "record_observation"
    RECORD_CLAIM = "record_claim"
    SAVE_OPPORTUNITY = "save_opportunity"
    SAVE_QUOTE = "save_quote"
    REQUEST_APPROVAL = "request_approval"
    SEND_QUOTE = "send_quote"
    MARK_QUOTE = "mark_quote"
    RECORD_LOST_SALE = "record_lost_sale"
    ADD_VISIT_COMMENT = "add_visit_comment"
    SAVE_LEAD = "save_lead"
    SAVE_PROSPECT = "save_prospect"
    DECIDE_APPROVAL = "decide_approval"
    TAKE_OVER_DRAFT = "take_over_draft"


class Mutation(_Message):
    id: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    """A MutationName; kept as text so a name this server does not know is rejected on its
    own (and the id still advances) instead of failing the whole batch."""
    args: dict[str, Any]


class PushRequest(_Message):
    client_id: UUID
    protocol_version: int
    schema_version: int
    mutations: list[Mutation] = Field(max_length=MAX_PUSH_MUTATIONS)


class MutationResult(_Message):
    """What the server did with one mutation; a rejection is final and shown to the user."""

    id: int
    status: Literal["applied", "rejected"]
    code: str | None = None
    detail: str | None = None
    """The server's English words (logs, support)."""
    key: str | None = None
    """What the seller reads about a rejection, in their language (see shared.messages)."""
    params: dict[str, Any] = {}
    """The values of `key`, JSON-safe."""
    conflicts: list[str] = []
    """Fields where the server's value won over the device's edit (the seller is told)."""


class PushResponse(_Message):
    last_mutation_id: int
    results: list[MutationResult]

    def body_for(self, protocol_version: int) -> dict[str, Any]:
        """The JSON body for an app speaking `protocol_version`.

        Apps refuse fields they do not know (extra="forbid"), so a protocol-1 app gets its
        results without the fields protocol 2 added, not even as nulls.
        """
        exclude = None if protocol_version >= 2 else {"results": {"__all__": {"key", "params"}}}
        return self.model_dump(mode="json", exclude=exclude)


class Change(_Message):
    seq: int
    bucket: str
    entity: str
    id: str
    op: Op
    version: int
    data: dict[str, Any] | None = None


class BucketChecksum(_Message):
    bucket: str
    count: int
    checksum: int


class Checkpoint(_Message):
    seq: int
    buckets: list[BucketChecksum]


class BucketRecord(_Message):
    """A live record of a bucket as it is now (a bucket resync replaces the local copy)."""

    entity: str
    id: str
    version: int
    data: dict[str, Any]


class BucketSnapshot(_Message):
    """One page of a bucket's current records, ordered by (entity, id)."""

    bucket: str
    records: list[BucketRecord]
    has_more: bool
    next_after: str | None = None
    """Pass back as `after` for the next page ('entity|id' of the last record)."""


class PullResponse(_Message):
    changes: list[Change]
    cursor: int
    has_more: bool
    last_mutation_id: int
    epoch: str
    total_changes: int | None = None
    """Changes in scope after the request's cursor, for progress on a first sync."""
    checkpoint: Checkpoint | None = None
    floor: int | None = None
    """Protocol 3: the highest seq compaction had dropped when this page was read. A device
    sends back the floor of the last page it applied (`floor=`): while it is the server's
    floor still, no delete the device could have missed was dropped, whatever its cursor."""


class PushBatch(_Message):
    """A push as the server reads it: the outer shape strictly, each envelope on its own
    (see sync_server.services.push.read_envelopes), so one unreadable envelope is rejected
    alone instead of the whole batch."""

    client_id: UUID
    protocol_version: int
    schema_version: int
    mutations: list[Any] = Field(max_length=MAX_PUSH_MUTATIONS)


class LoginRequest(_Message):
    login: Login
    password: str = Field(min_length=1, max_length=256)
    client_id: UUID | None = None
    """The device's id from an earlier sign-in; None registers a new device."""
    device_name: Annotated[
        str, Field(default="", max_length=100, json_schema_extra={"pattern": TEXT_PATTERN}), AfterValidator(check_text)
    ] = ""
    protocol_version: int = PROTOCOL_VERSION


class LoginResponse(_Message):
    token: str
    client_id: UUID
    expires_at: UtcDateTime
    login: Login
    name: str
    role: Role
    team_code: Code | None = None
    home_warehouse: Code | None = None
    device_number: int = Field(default=1, ge=1)
    """This device's number among the user's devices."""
    quote_prefix: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9]{1,7}$")
    """Starts the quote numbers this device issues offline; unique across all devices (None
    from a server that predates it: the device makes it from the initials and number)."""


class DelegationCreate(_Message):
    """`POST /v1/approvals/delegations`: the caller's approvals handed to another manager from
    `starts_on` to `ends_on` (both included, the server's UTC days)."""

    delegate_login: str = Field(min_length=1, max_length=64)
    starts_on: date
    ends_on: date


class DelegationPublic(_Message):
    """A delegation as its two managers read it."""

    id: UUID
    delegator_login: str
    delegator_name: str
    delegate_login: str
    delegate_name: str
    starts_on: date
    ends_on: date
    created_at: UtcDateTime


__all__ = [
    "DelegationCreate",
    "DelegationPublic",
    "CATALOG_BUCKET",
    "DEFAULT_PULL_LIMIT",
    "DIRECTORY_BUCKET",
    "MAX_PULL_LIMIT",
    "MAX_PUSH_BYTES",
    "MAX_PUSH_MUTATIONS",
    "PROTOCOL_VERSION",
    "SCHEMA_VERSION",
    "SUPPORTED_PROTOCOL_VERSIONS",
    "UNASSIGNED_BUCKET",
    "BucketChecksum",
    "BucketRecord",
    "BucketSnapshot",
    "CHECKSUM_MODULUS",
    "Change",
    "Checkpoint",
    "LoginRequest",
    "LoginResponse",
    "Mutation",
    "MutationName",
    "MutationResult",
    "Op",
    "PullResponse",
    "PushBatch",
    "PushRequest",
    "PushResponse",
    "activity_bucket",
    "combine_checksums",
    "metrics_team_scope",
    "record_checksum",
    "portfolio_bucket",
    "stock_bucket",
]
