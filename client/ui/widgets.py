"""Small shared pieces of the UI: stable test selectors, chips, formatting."""

import flet as ft

from client.services.credit_chip import CreditChip

GREEN = "#1F6B4A"

# Colour and words per credit chip: what a seller says to the customer, not a code.
CHIP_STYLE: dict[CreditChip, tuple[str, str, str]] = {
    CreditChip.BLOCKED: ("Blocked", ft.Colors.RED_100, ft.Colors.RED_900),
    CreditChip.OVERDUE: ("Overdue", ft.Colors.ORANGE_100, ft.Colors.ORANGE_900),
    CreditChip.PREPAYMENT: ("Prepayment", ft.Colors.PURPLE_100, ft.Colors.PURPLE_900),
    CreditChip.NEAR_LIMIT: ("Near limit", ft.Colors.AMBER_100, ft.Colors.BROWN_800),
    CreditChip.OK: ("Credit OK", ft.Colors.GREEN_50, ft.Colors.GREEN_900),
}


def tagged(identifier: str, control: ft.Control, **layout) -> ft.Semantics:
    """Wrap a control so browser tests can find it as [flt-semantics-identifier=...].

    Layout properties (expand, visible) go on the wrapper: a hidden wrapped control
    makes Flutter draw an error box instead.
    """
    return ft.Semantics(identifier=identifier, content=control, **layout)


def chip(label: str, background: str, foreground: str) -> ft.Container:
    """A small rounded label."""
    return ft.Container(
        content=ft.Text(label, size=12, color=foreground, weight=ft.FontWeight.W_500),
        bgcolor=background,
        padding=ft.Padding.symmetric(horizontal=10, vertical=4),
        border_radius=ft.BorderRadius.all(12),
    )


def credit_chip(kind: CreditChip) -> ft.Container:
    """The chip of one credit state."""
    label, background, foreground = CHIP_STYLE[kind]
    return chip(label, background, foreground)


def dormant_chip() -> ft.Container:
    """Marks a customer who has not bought for months."""
    return chip("Dormant", ft.Colors.BLUE_GREY_50, ft.Colors.BLUE_GREY_800)
