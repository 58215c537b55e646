"""A failed save said under the field it names, so the seller sees what to correct while
everything they typed stays in the form."""

from collections.abc import Mapping

import flet as ft

from client.i18n import Translator
from client.ui.context import explain
from shared.errors import DomainError

FormField = ft.TextField | ft.Dropdown


def show_field_error(t: Translator, fields: Mapping[str, FormField], error: Exception) -> str:
    """Mark the field a ValidationFailed names (its `field` extra), clear the others; the words."""
    text = explain(t, error)
    named = error.extra.get("field") if isinstance(error, DomainError) else None
    for name, control in fields.items():
        message = text if name == named else None
        # TextField calls it `error`, Dropdown `error_text` (flet 1.0).
        if isinstance(control, ft.Dropdown):
            control.error_text = message
        else:
            control.error = message
    return text


__all__ = ["FormField", "show_field_error"]
