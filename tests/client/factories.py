"""Factories for client tests: reference and field records, changes and pull pages."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from client.store import Store
from client.store.migrations import migrations
from client.store.reference_ddl import SEARCH_INDEXES
from shared.models import Claim, CompetitorObservation, Contact, Credit, Customer, Invoice, Product, Record, Visit
from shared.models.company import CompanyProfile
from shared.models.field import Opportunity
from shared.protocol import Change, PullResponse

EPOCH = "epoch-1"


def make_customer(code: str = "C1", **kw: Any) -> Customer:
    """A valid customer; override any field."""
    fields = dict(
        code=code,
        legal_name=f"Suministros Peñalara {code} S.L.",
        trade_name="",
        tax_id=f"B{code}00",
        segment="oem",
        city="Madrid",
        payment_terms="NET30",
        currency="EUR",
        seller_login="ana.garcia",
    )
    return Customer(**{**fields, **kw})


def make_credit(code: str = "C1", **kw: Any) -> Credit:
    """A healthy credit position (limit 10 000, nothing overdue); override any field."""
    fields = dict(
        customer_code=code,
        currency="EUR",
        credit_limit="10000.00",
        open_balance="1000.00",
        open_orders="0.00",
        overdue_amount="0.00",
        overdue_invoices=0,
        oldest_overdue_days=0,
        open_disputes=0,
        disputed_amount="0.00",
        blocked=False,
        prepayment_required=False,
    )
    return Credit(**{**fields, **kw})


def make_invoice(number: str, customer: str = "C1", issued: date = date(2026, 1, 15), **kw: Any) -> Invoice:
    """An invoice of 100 + 21 tax."""
    fields = dict(
        number=number,
        customer_code=customer,
        issue_date=issued,
        due_date=issued,
        currency="EUR",
        net_amount="100.00",
        tax_amount="21.00",
        gross_amount="121.00",
    )
    return Invoice(**{**fields, **kw})


def make_contact(contact_id: str, customer: str = "C1", **kw: Any) -> Contact:
    """A contact person of a customer."""
    return Contact(**{**dict(id=contact_id, customer_code=customer, name=f"Contacto {contact_id}"), **kw})


def make_product(sku: str, **kw: Any) -> Product:
    """A catalogue product."""
    fields = dict(
        sku=sku,
        name=f"Tornillo hexagonal {sku}",
        description="Acero inoxidable, caja de 100",
        category_code="TORN",
        unit="UD",
        tax_class="IVA21",
        currency="EUR",
        replacement_cost="1.2500",
    )
    return Product(**{**fields, **kw})


CHECKED_IN = datetime(2026, 6, 30, 9, 30, tzinfo=UTC)
ACTIVITY = "activity:ana.garcia"


def make_visit(customer: str = "C1", visit_id: UUID | None = None, **kw: Any) -> Visit:
    """A visit by ana.garcia, checked in; override any field."""
    fields = dict(
        id=visit_id or uuid4(),
        customer_code=customer,
        seller_login="ana.garcia",
        checked_in_at=CHECKED_IN,
        purpose="Revisión de stock",
        notes="Revisar stock de EPIs",
    )
    return Visit(**{**fields, **kw})


def make_opportunity(customer: str = "C1", opportunity_id: UUID | None = None, **kw: Any) -> Opportunity:
    """An opportunity of ana.garcia worth 12 000 EUR at 40 %; override any field."""
    fields = dict(
        id=opportunity_id or uuid4(),
        customer_code=customer,
        seller_login="ana.garcia",
        title="Renovación EPIs 2027",
        stage="qualified",
        currency="EUR",
        value="12000.00",
        probability_percent="40",
        category_codes=("EPI",),
    )
    return Opportunity(**{**fields, **kw})


def make_observation(customer: str = "C1", **kw: Any) -> CompetitorObservation:
    """A competitor price seen at a customer."""
    fields = dict(
        id=uuid4(),
        customer_code=customer,
        seller_login="ana.garcia",
        competitor="Würth",
        sku="P1",
        currency="EUR",
        observed_price="1.1900",
        presence="medium",
    )
    return CompetitorObservation(**{**fields, **kw})


def make_claim(customer: str = "C1", **kw: Any) -> Claim:
    """A complaint noted on a visit."""
    fields = dict(
        id=uuid4(),
        customer_code=customer,
        seller_login="ana.garcia",
        kind="complaint",
        description="Caja llegó abierta",
    )
    return Claim(**{**fields, **kw})


def put(record: Record, seq: int, version: int = 1, bucket: str = "portfolio:ana.garcia") -> Change:
    """A put change carrying the record as the server's change log does."""
    return Change(
        seq=seq,
        bucket=bucket,
        entity=record.ENTITY,
        id=record.record_id(),
        op="put",
        version=version,
        data=record.to_data(),
    )


def delete(record: Record, seq: int, version: int = 2, bucket: str = "portfolio:ana.garcia") -> Change:
    """A delete (tombstone) of the record."""
    return Change(seq=seq, bucket=bucket, entity=record.ENTITY, id=record.record_id(), op="delete", version=version)


def page(
    changes: list[Change],
    *,
    cursor: int | None = None,
    has_more: bool = False,
    epoch: str = EPOCH,
    total: int | None = None,
    last_mutation_id: int = 0,
) -> PullResponse:
    """A pull page; the cursor defaults to the last change's seq."""
    if cursor is None:
        cursor = changes[-1].seq if changes else 0
    return PullResponse(
        changes=changes,
        cursor=cursor,
        has_more=has_more,
        last_mutation_id=last_mutation_id,
        epoch=epoch,
        total_changes=total,
    )


def seq_changes(records: list[Record], start: int = 1, **kw: Any) -> list[Change]:
    """Put changes for `records` with consecutive seqs from `start`."""
    return [put(r, start + i, **kw) for i, r in enumerate(records)]


def table_rows(store: Store, table: str) -> list[dict]:
    """Every row of a table, ordered by id."""
    with store.read() as db:
        return list(db.query(f'SELECT * FROM "{table}" ORDER BY id'))


@contextmanager
def app_before(step: str) -> Iterator[None]:
    """Within: stores open as an app that shipped only the migrations named before `step`."""
    newer = list(migrations._migrations)
    migrations._migrations[:] = [m for m in newer if m.name < step]
    try:
        yield
    finally:
        migrations._migrations[:] = newer


def assert_search_index_consistent(store: Store) -> None:
    """FTS5's own check that each search index (words and infix) matches its table row for row."""
    with store.write() as db:
        for index in SEARCH_INDEXES:
            db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")


def keep_company(store: Store, logo: bytes | None = None, **changes: Any) -> None:
    """The demo company (with `changes`) in the device's company_profile, as a sync leaves it."""
    from sync_server.importer.demo.company import DEMO_COMPANY

    profile = CompanyProfile.model_validate(DEMO_COMPANY | changes)
    with store.write() as db:
        db.execute(
            "INSERT OR REPLACE INTO company_profile (id, data, logo, logo_sha256, fetched_at) VALUES (1, ?, ?, ?, ?)",
            [profile.model_dump_json(), logo, None, "2026-06-30T10:00:00+00:00"],
        )
