"""Quote from a pasted request: the seller pastes the customer's WhatsApp message or e-mail,
taps Match, and confirms or fixes each line (which product, how many, whether to add it)
before the lines go into the draft. Matching is `client.services.pasted_requests`; this only
shows its answer and passes the seller's choices back."""

from collections.abc import Awaitable, Callable
from decimal import Decimal

import flet as ft

from client.services.pasted_requests import add_matched_lines, match_pasted_request
from client.services.quote_pricing import DraftLine
from client.ui.context import AppContext, explain
from client.ui.widgets import TOUCH, big_button, tagged
from shared.errors import DomainError
from shared.rules.request_matching import LineMatch, MatchReason, ProductMatch

Run = Callable[..., Awaitable[None]]
"""The builder's way to change its draft: `run(service, *args, message_key=...)` calls
`service(session, draft, *args)` and shows the result."""


def paste_request_button(ctx: AppContext, customer_code: str, run: Run) -> ft.Control:
    """The builder's "Paste a request" button."""

    async def open_dialog(_event=None) -> None:
        _PasteDialog(ctx, customer_code, run).open()

    return big_button(ctx.t("paste.open"), ft.Icons.CONTENT_PASTE, open_dialog, "quote-paste", filled=False)


class _Row:
    """One request line on screen: include it?, which product, how many."""

    def __init__(self, ctx: AppContext, index: int, match: LineMatch) -> None:
        t = ctx.t
        self.ctx, self.match, self.number = ctx, match, index + 1
        # Flet sends the box's and the dropdown's new values with every change: read when adding.
        self.include = ft.Checkbox(label=t("paste.include"), value=match.is_confident, disabled=not match.matches)
        self.why = ft.Text("", size=12, color=ft.Colors.GREY_700)
        self.product = ft.Dropdown(
            label=t("paste.product"),
            value=match.best.sku if match.best else None,
            options=[
                ft.DropdownOption(
                    key=offered.sku,
                    text=self._named(offered),  # what the field shows once chosen
                    content=tagged(f"paste-option-{index}-{offered.sku}", ft.Text(self._named(offered))),
                )
                for offered in match.matches
            ],
            width=540,
            on_select=self._chosen,
        )
        self.quantity = ft.TextField(
            value=t.number(match.line.quantity if match.line.quantity is not None else Decimal(1)),
            label=t("quote.quantity"),
            keyboard_type=ft.KeyboardType.NUMBER,
            width=120,
        )
        choice: ft.Control = (
            ft.Row([tagged(f"paste-product-{index}", self.product), tagged(f"paste-quantity-{index}", self.quantity)])
            if match.matches
            else ft.Text(t("paste.no_match"), color=ft.Colors.GREY_700)
        )
        self.control = tagged(
            f"paste-line-{index}",
            ft.Container(
                ft.Column(
                    [
                        ft.Row(
                            [
                                tagged(f"paste-include-{index}", self.include),
                                ft.Text(match.line.text, weight=ft.FontWeight.W_500, expand=True),
                            ],
                            vertical_alignment=ft.CrossAxisAlignment.CENTER,
                        ),
                        choice,
                        self.why,
                    ],
                    spacing=4,
                ),
                padding=ft.Padding.only(bottom=8),
                border=ft.Border.only(bottom=ft.BorderSide(1, ft.Colors.GREY_200)),
            ),
        )
        self._show_why()

    def _named(self, offered: ProductMatch) -> str:
        t = self.ctx.t
        return t(
            "paste.option",
            sku=offered.sku,
            name=offered.candidate.name,
            confidence=t.percent(offered.confidence),
        )

    def _chosen_match(self) -> ProductMatch | None:
        return next((m for m in self.match.matches if m.sku == self.product.value), None)

    def _show_why(self) -> None:
        chosen = self._chosen_match()
        reasons: tuple[MatchReason, ...] = chosen.reasons if chosen else ()
        self.why.value = " · ".join(self.ctx.t.label(reason) for reason in reasons)

    def _chosen(self, _event=None) -> None:
        self._show_why()
        self.include.value = True  # the seller picked a product: she wants the line

    def draft_line(self) -> DraftLine | None:
        """The line to add, None when left out; ValueError naming the line when unreadable."""
        if not self.include.value or not self.product.value:
            return None
        t = self.ctx.t
        try:
            return DraftLine(self.product.value, t.parse_decimal(self.quantity.value or "", t("quote.quantity")))
        except (ValueError, DomainError) as exc:  # a typo or a refused quantity: said with the line's number
            raise ValueError(t("paste.line_error", line=self.number, error=explain(t, exc))) from exc


class _PasteDialog:
    def __init__(self, ctx: AppContext, customer_code: str, run: Run) -> None:
        t = ctx.t
        self.ctx, self.customer_code, self.run = ctx, customer_code, run
        self.rows: list[_Row] = []
        self.text = ft.TextField(
            label=t("paste.text"), hint_text=t("paste.hint"), multiline=True, min_lines=4, max_lines=8
        )
        self.summary = ft.Text("", color=ft.Colors.GREY_700)
        self.error = ft.Text("", color=ft.Colors.RED_700)
        self.lines = ft.Column(spacing=8, scroll=ft.ScrollMode.AUTO, height=380)
        self.dialog = ft.AlertDialog(
            title=ft.Text(t("paste.title")),
            content=ft.Column(
                [
                    tagged("paste-text", self.text),
                    ft.Row(
                        [
                            tagged(
                                "paste-match",
                                ft.FilledButton(
                                    t("paste.match"), icon=ft.Icons.SEARCH, height=TOUCH, on_click=self._match
                                ),
                            ),
                            tagged("paste-summary", self.summary),
                        ],
                        vertical_alignment=ft.CrossAxisAlignment.CENTER,
                        wrap=True,
                    ),
                    tagged("paste-lines", self.lines),
                    tagged("paste-error", self.error),
                ],
                tight=True,
                width=720,
            ),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=self._close),
                tagged("paste-add", ft.FilledButton(t("paste.add"), height=TOUCH, on_click=self._add)),
            ],
        )

    def open(self) -> None:
        """Show the dialog."""
        self.ctx.page.show_dialog(self.dialog)

    def _close(self, _event=None) -> None:
        # This dialog, not the top one: a toast shown meanwhile is a dialog too (page.pop_dialog).
        self.dialog.open = False
        self.ctx.refresh()

    async def _match(self, _event=None) -> None:
        t = self.ctx.t
        found: tuple[LineMatch, ...] = await self.ctx.call(
            match_pasted_request, self.ctx.session, self.customer_code, self.text.value or ""
        )
        self.rows = [_Row(self.ctx, index, match) for index, match in enumerate(found)]
        self.lines.controls = [row.control for row in self.rows]
        matched = sum(1 for match in found if match.matches)
        self.summary.value = t.plural("paste.summary", len(found), matched=t.number(matched)) if found else ""
        self.error.value = "" if found else t("paste.nothing_pasted")
        self.ctx.refresh()

    async def _add(self, _event=None) -> None:
        t = self.ctx.t
        try:
            lines = [line for line in (row.draft_line() for row in self.rows) if line is not None]
        except ValueError as exc:  # said in the dialog: the seller fixes the line and adds again
            self.error.value = str(exc)
            self.ctx.refresh()
            return
        if not lines:
            self.error.value = t("paste.nothing_included")
            self.ctx.refresh()
            return
        self._close()
        await self.run(add_matched_lines, lines, message_key="paste.added")


__all__ = ["paste_request_button"]
