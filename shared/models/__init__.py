"""Pydantic v2 models of every Terreno entity (DESIGN §3)."""

from shared.models import base, enums, field, reference
from shared.models.base import Record as Record
from shared.models.enums import *  # noqa: F403
from shared.models.field import *  # noqa: F403
from shared.models.reference import *  # noqa: F403

__all__ = ["MODELS_BY_ENTITY"]
__all__ += base.__all__
__all__ += enums.__all__
__all__ += field.__all__
__all__ += reference.__all__

MODELS_BY_ENTITY: dict[str, type[Record]] = {
    m.ENTITY: m
    for m in (*REFERENCE_MODELS, *FIELD_MODELS)  # noqa: F405
}
