"""Competitor observations with photos, recorded without the network.

A photo is kept on the device (`files.keep_file`) the moment the observation is saved; the
sync round uploads kept files before pushing the observation that names their digests.
"""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from client.services.field_work import record_observation
from client.services.files import keep_file
from client.services.ids import new_record_id
from client.services.session import Session
from shared.errors import NotFound, ValidationFailed
from shared.models import CompetitorObservation, Presence

_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def photo_type(data: bytes) -> str:
    """The content type of a photo from its first bytes; ValidationFailed for anything else."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise ValidationFailed("a photo must be a JPEG, PNG or WebP image", key="problem.photo.bad_type")


@dataclass(frozen=True, slots=True)
class ObservationChoices:
    """What the observation form offers: top-level categories and the customer's currency."""

    categories: tuple[tuple[str, str], ...]
    currency: str
    customer_name: str = ""
    """Whom the seller is noting it at (the customer's legal name)."""


def observation_choices(session: Session, customer_code: str) -> ObservationChoices:
    """Top-level categories (code, name) and the currency prices are noted in."""
    with session.store.read() as db:
        categories = db.execute("SELECT code, name FROM categories WHERE parent_code IS NULL ORDER BY name").fetchall()
        row = db.execute("SELECT currency, legal_name FROM customers WHERE code = ?", [customer_code]).fetchone()
    if row is None:
        raise NotFound(
            f"customer {customer_code} is not in your portfolio",
            key="problem.customer.not_in_portfolio",
            params={"customer": customer_code},
        )
    return ObservationChoices(tuple((c, n) for c, n in categories), row[0], row[1] or customer_code)


def record_competitor_observation(
    session: Session,
    customer_code: str,
    competitor: str,
    *,
    visit_id: UUID | None = None,
    sku: str | None = None,
    category_code: str | None = None,
    observed_price: Decimal | None = None,
    currency: str | None = None,
    presence: Presence = Presence.NONE,
    notes: str = "",
    photos: tuple[bytes, ...] = (),
) -> CompetitorObservation:
    """Record what the seller saw of a competitor, photos included, without the network."""
    if not competitor.strip():
        raise ValidationFailed("name the competitor", key="problem.observation.no_competitor")
    digests = tuple(dict.fromkeys(keep_file(session, photo, photo_type(photo)) for photo in photos))
    observation = CompetitorObservation(
        id=new_record_id(),
        customer_code=customer_code,
        seller_login=session.login,
        visit_id=visit_id,
        competitor=competitor.strip(),
        sku=(sku or "").strip() or None,
        category_code=category_code or None,
        currency=currency if observed_price is not None else None,
        observed_price=observed_price,
        presence=presence,
        notes=notes.strip(),
        photo_sha256=digests,
    )
    return record_observation(session, observation)


__all__ = ["ObservationChoices", "observation_choices", "photo_type", "record_competitor_observation"]
