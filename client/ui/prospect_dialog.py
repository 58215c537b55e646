"""The prospect form: a company the ERP does not know yet, made on the tablet (from a lead
being converted, or with "New prospect" on the portfolio)."""

from collections.abc import Awaitable, Callable
from uuid import UUID

import flet as ft
from babel import Locale

from client.services.company import company_country
from client.services.prospects import new_prospect
from client.ui.context import AppContext, explain
from client.ui.widgets import TOUCH, tagged
from shared.models.prospect import Prospect, country_codes

Saved = Callable[[Prospect], Awaitable[None]]
WIDTH = 380


def country_options(language: str) -> list[ft.DropdownOption]:
    """Every ISO 3166 country, named in the app's language, in the order of those names."""
    names = Locale.parse(language).territories
    named = sorted(((str(names.get(code, code)), code) for code in country_codes()), key=lambda p: p[0].casefold())
    return [ft.DropdownOption(key=code, text=name) for name, code in named]


def open_prospect_form(
    ctx: AppContext,
    on_saved: Saved,
    *,
    name: str = "",
    contact: str = "",
    city: str = "",
    lead_id: UUID | None = None,
) -> None:
    """Ask for the prospect's details (prefilled from a lead) and make it; `on_saved` follows."""
    t = ctx.t
    name_field = ft.TextField(label=t("prospect.name"), value=name, autofocus=True, width=WIDTH)
    tax_id = ft.TextField(label=t("prospect.tax_id"), width=WIDTH)
    contact_field = ft.TextField(label=t("prospect.contact"), value=contact, width=WIDTH)
    email = ft.TextField(label=t("prospect.email"), width=WIDTH, keyboard_type=ft.KeyboardType.EMAIL)
    phone = ft.TextField(label=t("prospect.phone"), width=WIDTH, keyboard_type=ft.KeyboardType.PHONE)
    city_field = ft.TextField(label=t("prospect.city"), value=city, width=WIDTH)
    country = ft.Dropdown(
        label=t("prospect.country"),
        value=company_country(ctx.session),
        width=WIDTH,
        enable_filter=True,
        editable=True,
        menu_height=320,
        options=country_options(t.language),
    )
    error = ft.Text("", color=ft.Colors.RED_700)

    async def keep(_event=None) -> None:
        try:
            prospect = await ctx.call(
                new_prospect,
                ctx.session,
                name_field.value or "",
                tax_id=tax_id.value or "",
                contact=contact_field.value or "",
                email=email.value or "",
                phone=phone.value or "",
                city=city_field.value or "",
                country=country.value or None,
                lead_id=lead_id,
            )
        except Exception as exc:  # said in the dialog, which keeps what was typed
            error.value = explain(t, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        ctx.toast(t("prospect.saved", code=prospect.code))
        await on_saved(prospect)

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("prospect.new")),
            content=ft.Column(
                [
                    ft.Text(t("prospect.explained"), size=12, color=ft.Colors.GREY_700, width=WIDTH),
                    tagged("prospect-name", name_field),
                    tagged("prospect-tax-id", tax_id),
                    tagged("prospect-contact", contact_field),
                    tagged("prospect-email", email),
                    tagged("prospect-phone", phone),
                    tagged("prospect-city", city_field),
                    tagged("prospect-country", country),
                    tagged("prospect-error", error),
                ],
                tight=True,
                scroll=ft.ScrollMode.AUTO,
            ),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("prospect-save", ft.FilledButton(t("common.save"), height=TOUCH, on_click=keep)),
            ],
        )
    )


__all__ = ["country_options", "open_prospect_form"]
