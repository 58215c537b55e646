"""Pydantic v2 models of every Terreno entity (DESIGN §3)."""

from shared.models.base import Record
from shared.models.enums import *  # noqa: F403
from shared.models.field import *  # noqa: F403
from shared.models.reference import *  # noqa: F403

MODELS_BY_ENTITY: dict[str, type[Record]] = {
    m.ENTITY: m
    for m in (*REFERENCE_MODELS, *FIELD_MODELS)  # noqa: F405
}
