"""Small shared pieces of the UI: stable test selectors, chips, formatting."""

from typing import Any

import flet as ft

from client.i18n import Translator
from client.services.credit_chip import CreditChip

GREEN = "#1F6B4A"

# Colours per credit chip; the words are the Translator's `enum.CreditChip.<value>`.
CHIP_STYLE: dict[CreditChip, tuple[str, str]] = {
    CreditChip.BLOCKED: (ft.Colors.RED_100, ft.Colors.RED_900),
    CreditChip.OVERDUE: (ft.Colors.ORANGE_100, ft.Colors.ORANGE_900),
    CreditChip.PREPAYMENT: (ft.Colors.PURPLE_100, ft.Colors.PURPLE_900),
    CreditChip.NEAR_LIMIT: (ft.Colors.AMBER_100, ft.Colors.BROWN_800),
    CreditChip.OK: (ft.Colors.GREEN_50, ft.Colors.GREEN_900),
}
TOUCH = 48
"""Smallest height of anything a thumb taps (Material's minimum touch target)."""


def tagged(identifier: str, control: ft.Control, *, kept: bool = False, **layout: Any) -> ft.Semantics:
    """Wrap a control so browser tests can find it as [flt-semantics-identifier=...].

    Layout properties (expand, visible) go on the wrapper: a hidden wrapped control
    makes Flutter draw an error box instead.

    `kept`: the identifier is also the control's key, for a control in a list that is
    drawn again (a list's items, a row of buttons). Flet then takes a new control with
    the same key for the one already on the screen: a tap under way reaches the new one.
    Without it, a tap on a control that a redraw replaced just then does nothing. Only
    for identifiers unique among their siblings, and only around controls made anew with
    the wrapper: Flet does not look inside a control that it matched by key and that
    holds, further down, a control kept from the last drawing (its changes would not be
    sent). Where the identifier may repeat (two visits to one customer), pass Flet's own
    `key=` instead, unique among the siblings.
    """
    if kept:
        layout.setdefault("key", identifier)
    return ft.Semantics(identifier=identifier, content=control, **layout)


def nothing(identifier: str, words: str) -> ft.Semantics:
    """A list's words for having no items, as a node of its own (`identifier`).

    Flutter's web engine never gives a label to a node first made without one
    (flutter/flutter#130546): a list's own node, made while it held items, would stay
    silent to screen readers (and tests) once its items were gone and only words were left.
    """
    return tagged(identifier, ft.Text(words))


def chip(label: str, background: str, foreground: str) -> ft.Container:
    """A small rounded label."""
    return ft.Container(
        content=ft.Text(label, size=12, color=foreground, weight=ft.FontWeight.W_500),
        bgcolor=background,
        padding=ft.Padding.symmetric(horizontal=10, vertical=4),
        border_radius=ft.BorderRadius.all(12),
    )


def credit_chip(t: Translator, kind: CreditChip) -> ft.Container:
    """The chip of one credit state."""
    background, foreground = CHIP_STYLE[kind]
    return chip(t.label(kind), background, foreground)


def dormant_chip(t: Translator) -> ft.Container:
    """Marks a customer who has not bought for months."""
    return chip(t("chip.dormant"), ft.Colors.BLUE_GREY_50, ft.Colors.BLUE_GREY_800)


def field_row(label: str, value: str, identifier: str | None = None) -> ft.Control:
    """A label and its value on one line (credit panel, visit header)."""
    shown = ft.Text(value, size=14, weight=ft.FontWeight.W_500)
    return ft.Row(
        [
            ft.Text(label, size=13, color=ft.Colors.GREY_700, width=170),
            tagged(identifier, shown) if identifier else shown,
        ],
        spacing=8,
    )


def card(content: ft.Control, identifier: str | None = None, **layout: Any) -> ft.Control:
    """A white panel with a light border, the building block of the screens."""

    def panel(**outer: Any) -> ft.Container:
        return ft.Container(
            content,
            padding=12,
            border=ft.Border.all(1, ft.Colors.GREY_300),
            border_radius=ft.BorderRadius.all(10),
            bgcolor=ft.Colors.WHITE,
            **outer,
        )

    # Layout (col, expand) belongs to the outermost control: a ResponsiveRow reads its child's col.
    if identifier:
        return tagged(identifier, panel(), **layout)
    return panel(**layout)


def big_button(text: str, icon: ft.IconData, on_click, identifier: str, *, filled: bool = True) -> ft.Control:
    """A button at least a thumb high."""
    kind = ft.FilledButton if filled else ft.OutlinedButton
    style = ft.ButtonStyle(bgcolor=GREEN) if filled else None
    # Each button is one action, so its identifier is unique in its row: kept across redraws.
    return tagged(identifier, kind(text, icon=icon, height=TOUCH, on_click=on_click, style=style), kept=True)
