"""The quote builder: find products, see price, margin and availability per line, fix short
lines with a substitute, see which approval rules fire, save, ask approval, preview the PDF
and send — all on the device; the sync takes it to the server when there is signal.

Every figure comes from the quoting services (which use `shared/rules`); this screen
only shows it and passes the seller's input back.
"""

import asyncio
from decimal import Decimal
from uuid import UUID

import flet as ft

from client.i18n.messages import words
from client.services.lost_sales import quote_lost_sales
from client.services.products import ProductHit, search_products
from client.services.quote_cuts import set_quantity
from client.services.quote_delivery import set_requested_delivery
from client.services.quote_links import QuoteOrigin, quote_origin
from client.services.quote_preview import preview_quote
from client.services.quote_pricing import PricedLine, PricedQuote
from client.services.quote_reading import QuoteTrail, available_actions, get_quote, quote_trail
from client.services.quote_terms import QuoteNotes, set_terms
from client.services.quoting import (
    add_line,
    change_line,
    edit_quote,
    request_approval,
    save_quote,
    start_quote,
)
from client.ui.context import AppContext, explain
from client.ui.events import on_event
from client.ui.frame import section_title
from client.ui.lost_sales_panel import lost_for_stock_panel
from client.ui.paste_request_dialog import paste_request_button
from client.ui.quote_answer_dialog import open_accept_dialog, open_lost_dialog, open_withdraw_dialog
from client.ui.quote_line_delivery import quote_wanted_field, read_wanted
from client.ui.quote_line_row import LineFields, line_row
from client.ui.quote_links_panel import quote_origin_row
from client.ui.quote_panels import (
    CREDIT_COLOURS,
    product_hits,
    saved_actions,
    saved_quote_panel,
    summary_rows,
)
from client.ui.quote_send_dialog import open_send_dialog
from client.ui.quote_terms_dialog import open_terms_dialog
from client.ui.widgets import TOUCH, big_button, card, chip, tagged
from client.ui.wording import describe_credit_reason
from shared.models.field import LostSale, Quote
from shared.rules.payment_terms import payment_terms_words


class QuoteBuilderView:
    """One quote version being built or looked at (`quote_id`) or a new one for a customer."""

    def __init__(
        self,
        ctx: AppContext,
        customer_code: str | None,
        quote_id: str | None = None,
        first_sku: str | None = None,
        *,
        visit_id: UUID | None = None,
        opportunity_id: UUID | None = None,
    ) -> None:
        self.ctx = ctx
        self.links = {"visit_id": visit_id, "opportunity_id": opportunity_id}
        """What a new quote was started on (kept by every version)."""
        self._origin: QuoteOrigin | None = None
        self.first_sku = first_sku
        """A new quote's first product (a suggestion tapped on Customer 360)."""
        self.customer_code = customer_code
        self.quote_id = quote_id
        self.priced: PricedQuote | None = None
        self.saved_status: str | None = None
        self.show_saved = quote_id is not None
        """A saved quote opens as saved (status, preview, send); "edit" turns it into the builder."""
        self._saved: Quote | None = None
        self._trail: QuoteTrail | None = None
        self._lost_sales: list[LostSale] = []
        """Lost sales of the quote being built (lines dropped or cut for stock)."""
        self._busy = asyncio.Lock()
        """Edits run one after another: a later one starts from what the earlier one made."""
        self._generation = 0
        self.line_fields = LineFields()
        t = ctx.t
        self.search = ft.TextField(
            label=t("quote.search"),
            hint_text=t("quote.search_hint"),
            prefix_icon=ft.Icons.SEARCH,
            on_change=self._on_search,
            expand=True,
        )
        self.hits = ft.Column(spacing=0)
        self.lines = ft.Column(spacing=6)
        self.summary = ft.Column(spacing=6)
        self.header = ft.Column(spacing=4)
        self.actions = ft.Row(wrap=True, spacing=8, run_spacing=8)
        # The builder's panels are made once: each drawing changes what they hold, so Flet
        # sends only what changed and the controls under the seller's finger stay put.
        self.panels = [
            card(self.header, "quote-header"),
            card(
                ft.Column(
                    [ft.Row([tagged("product-search", self.search, expand=True)]), tagged("product-hits", self.hits)]
                ),
                "quote-search",
            ),
            card(ft.Column([section_title(t("quote.lines")), tagged("quote-lines", self.lines)]), "quote-lines-card"),
            card(tagged("quote-summary", self.summary), "quote-summary-card"),
        ]
        self.body = ft.Column(
            [ft.ProgressRing()],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    @property
    def _quote(self) -> Quote:
        """The saved quote shown (the saved view and its actions only run with one)."""
        assert self._saved is not None, "no saved quote is shown"
        return self._saved

    def build(self) -> ft.Control:
        """The screen's content, filled by `load`."""
        return tagged("quote-builder", self.body, expand=True)

    async def load(self) -> None:
        """Start the new quote (credit shown at once) or open the saved one."""
        try:
            if self.quote_id:
                quote = await self.ctx.call(get_quote, self.ctx.session, self.quote_id)
                self.saved_status = str(quote.status)
                self._saved = quote
                self._trail = await self.ctx.call(quote_trail, self.ctx.session, self.quote_id)
                self._origin = await self.ctx.call(quote_origin, self.ctx.session, quote)
                editable = quote.status == "draft" and not self.show_saved and not self._trail.customer_moved
                self.priced = await self.ctx.call(edit_quote, self.ctx.session, self.quote_id) if editable else None
            else:
                self.priced = await self.ctx.call(start_quote, self.ctx.session, self.customer_code, **self.links)
        except Exception as exc:
            self.body.controls = [ft.Text(explain(self.ctx.t, exc), color=ft.Colors.RED_700)]
            self.ctx.refresh()
            return
        if self.first_sku and not self.quote_id:
            await self._run(add_line, self.first_sku, Decimal(1))  # a refusal is a toast; the quote stays
        await self._read_lost()
        self._render()

    # --- rendering ------------------------------------------------------------------------

    def _render(self) -> None:
        t = self.ctx.t
        if self.priced is None:  # a saved quote that is no longer a draft: read-only, with actions
            self.body.controls = [self._saved_view()]
            self.ctx.refresh()
            return
        priced = self.priced
        draft = priced.draft
        credit_bg, credit_fg = CREDIT_COLOURS.get(str(priced.credit.status), CREDIT_COLOURS["ok"])
        self.header.controls = [
            ft.Row(
                [
                    section_title(t("quote.heading", number=draft.number, version=draft.version), "quote-number"),
                    tagged("quote-credit", chip(t(f"quote.credit.{priced.credit.status}"), credit_bg, credit_fg)),
                ],
                wrap=True,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            *[ft.Text(describe_credit_reason(t, reason), color=credit_fg, size=13) for reason in priced.credit.reasons],
            ft.Text(
                t(
                    "quote.customer_terms",
                    customer=f"{priced.customer_name} ({draft.customer_code})"
                    if priced.customer_name
                    else draft.customer_code,
                    terms=words(t, payment_terms_words(draft.payment_terms)),
                    date=t.date(draft.valid_until),
                ),
                color=ft.Colors.GREY_700,
            ),
            quote_wanted_field(t, draft, lambda field: on_event(self._wanted, None, field)),
        ]
        self.line_fields.redraw()
        self.lines.controls = [self._line_row(i, line) for i, line in enumerate(priced.lines)] or [
            ft.Text(t("quote.no_lines"), color=ft.Colors.GREY_700)
        ]
        self.summary.controls = summary_rows(t, priced)
        self.actions.controls = [
            big_button(t("quote.save"), ft.Icons.SAVE, self._save, "quote-save"),
            big_button(t("quote.terms_and_notes"), ft.Icons.EDIT_NOTE, self._edit_terms, "quote-terms", filled=False),
            paste_request_button(self.ctx, draft.customer_code, self._run),
        ]
        self.body.controls = [
            *self.panels,
            *([card(lost_for_stock_panel(t, self._lost_sales), "quote-lost-for-stock")] if self._lost_sales else []),
            self.actions,
        ]
        self.ctx.refresh()

    def _line_row(self, index: int, line: PricedLine) -> ft.Control:
        draft = self.priced.draft  # type: ignore[union-attr]
        return line_row(self.ctx.t, index, line, draft, self.line_fields, self._run, self._changed, self._wanted)

    def _saved_view(self) -> ft.Control:
        t, quote = self.ctx.t, self._quote
        trail = self._trail
        handlers = {
            "preview": self._preview,
            "request_approval": self._request,
            "send": self._send,
            "accept": self._accepted,
            "lose": self._lost,
            "withdraw": self._withdraw,
            "edit": self._new_version,
            "new_version": self._new_version,
        }
        shown = available_actions(quote, trail) | ({"preview"} if trail is None or not trail.customer_moved else set())
        actions = saved_actions(t, shown, handlers)
        links = quote_origin_row(self.ctx, self._origin, accepted=quote.status == "accepted", on_changed=self.reload)
        return saved_quote_panel(t, quote, trail, actions, links)

    # --- actions --------------------------------------------------------------------------

    async def _run(self, service, *args, message_key: str | None = None) -> None:
        async with self._busy:
            if self.priced is None:
                return
            try:
                self.priced = await self.ctx.call(service, self.ctx.session, self.priced, *args)
            except Exception as exc:
                self.ctx.toast(explain(self.ctx.t, exc), error=True)
                return
        if message_key:
            self.ctx.toast(self.ctx.t(message_key))
        await self._read_lost()
        self._render()

    async def _read_lost(self) -> None:
        if self.priced is not None:
            draft = self.priced.draft
            self._lost_sales = await self.ctx.call(quote_lost_sales, self.ctx.session, draft.id, draft.number)

    async def _wanted(self, index: int | None, field: ft.TextField) -> None:
        try:
            wanted = read_wanted(self.ctx.t, field, for_line=index is not None)
        except ValueError as exc:
            self.ctx.toast(explain(self.ctx.t, exc), error=True)
            return
        if self.priced is None:
            return
        line = self.priced.lines[index] if index is not None else None
        current = self.priced.draft.requested_delivery if line is None else line.own_requested_delivery
        if wanted != current:
            await self._run(set_requested_delivery, wanted, index)

    async def _changed(self, index: int, what: str, field: ft.TextField) -> None:
        t = self.ctx.t
        if self.priced is not None and index < len(self.priced.lines):  # entered: the quote's answer is shown
            self.line_fields.entered((index, self.priced.lines[index].sku, what))
        try:
            value = t.parse_decimal(field.value or "", t("quote.quantity" if what == "quantity" else "quote.discount"))
        except ValueError as exc:
            self.ctx.toast(explain(t, exc), error=True)
            return
        current = self.priced.lines[index].result if self.priced else None
        if current is None or value == (current.quantity if what == "quantity" else current.discount_percent):
            return
        if what == "quantity":  # a cut for stock is a lost sale (quote_cuts)
            await self._run(set_quantity, index, value)
        else:
            await self._run(lambda s, p, i: change_line(s, p, i, discount_percent=value), index)

    async def _on_search(self, _event=None) -> None:
        self._generation += 1
        generation = self._generation
        await asyncio.sleep(0.12)  # let fast typing settle before querying
        if generation != self._generation:
            return
        hits: list[ProductHit] = await self.ctx.call(search_products, self.ctx.session, self.search.value or "", 12)
        if generation != self._generation:
            return
        searched = bool((self.search.value or "").strip())
        self.hits.controls = product_hits(self.ctx.t, hits, searched, lambda sku: on_event(self._add, sku))
        self.ctx.refresh()

    async def _add(self, sku: str) -> None:
        self.search.value, self.hits.controls = "", []
        await self._run(add_line, sku, Decimal(1))

    async def _edit_terms(self, _event=None) -> None:
        if self.priced is None:
            return

        async def apply(discount: Decimal, terms: str | None, notes: QuoteNotes) -> None:
            await self._run(
                lambda s, p: set_terms(s, p, header_discount_percent=discount, payment_terms=terms, notes=notes)
            )

        open_terms_dialog(self.ctx, self.priced.draft, apply)

    async def _save(self, _event=None) -> None:
        if self.priced is None:
            return
        try:
            quote = await self.ctx.call(save_quote, self.ctx.session, self.priced)
        except Exception as exc:
            self.ctx.toast(explain(self.ctx.t, exc), error=True)
            return
        self.ctx.toast(self.ctx.t("quote.saved"))
        await self.ctx.go(f"/quote/{quote.id}")

    async def _request(self, _event=None) -> None:
        await self._act(request_approval, self._quote.id, message_key="quote.approval_requested")

    async def _send(self, _event=None) -> None:
        await open_send_dialog(self.ctx, self._quote, self.reload)

    async def _preview(self, _event=None) -> None:
        t = self.ctx.t
        try:
            pages = await self.ctx.call(preview_quote, self.ctx.session, str(self._quote.id))
        except Exception as exc:
            self.ctx.toast(explain(t, exc), error=True)
            return
        images: list[ft.Control] = [
            tagged(f"preview-page-{n}", ft.Image(src=png, width=620, fit=ft.BoxFit.CONTAIN))
            for n, png in enumerate(pages, start=1)
        ]
        self.ctx.page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(t.plural("quote.preview_title", len(pages))),
                content=tagged(
                    "quote-preview-pages", ft.Column(images, scroll=ft.ScrollMode.AUTO, height=700, width=640)
                ),
                actions=[
                    tagged(
                        "preview-close",
                        ft.TextButton(t("common.close"), height=TOUCH, on_click=lambda _e: self.ctx.page.pop_dialog()),
                    )
                ],
            )
        )

    async def _new_version(self, _event=None) -> None:
        try:
            self.priced = await self.ctx.call(edit_quote, self.ctx.session, self._quote.id)
        except Exception as exc:
            self.ctx.toast(explain(self.ctx.t, exc), error=True)
            return
        self._render()

    async def _accepted(self, _event=None) -> None:
        open_accept_dialog(self.ctx, self._quote, self.reload)

    async def _lost(self, _event=None) -> None:
        open_lost_dialog(self.ctx, self._quote, self.reload)

    async def _withdraw(self, _event=None) -> None:
        open_withdraw_dialog(self.ctx, self._quote, self.reload)

    async def _act(self, service, *args, message_key: str) -> None:
        try:
            await self.ctx.call(service, self.ctx.session, *args)
        except Exception as exc:
            self.ctx.toast(explain(self.ctx.t, exc), error=True)
            return
        self.ctx.toast(self.ctx.t(message_key))
        await self.reload()

    async def reload(self) -> None:
        """Read the saved quote again (after an action or a sync)."""
        await self.load()

    async def after_round(self) -> None:
        """A sync round ended: it may have brought a manager's decision, the e-mail's delivery
        or the order for the saved quote on screen, which is then drawn again (only then: a
        redraw replaces its buttons under the seller's finger). A quote being built is left
        as the seller has it."""
        if self.priced is not None or self._saved is None or self.quote_id is None:
            return
        quote = await self.ctx.call(get_quote, self.ctx.session, self.quote_id)
        trail = await self.ctx.call(quote_trail, self.ctx.session, self.quote_id)
        if (quote, trail) != (self._saved, self._trail):
            await self.load()


__all__ = ["QuoteBuilderView"]
