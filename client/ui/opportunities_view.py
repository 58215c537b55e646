"""Opportunities: the pipeline by stage (count, value and probability-weighted value in the
company currency), filterable by customer, and the list with each opportunity's quotes;
edit, advance, quote, win, lose with a reason and the competitor."""

import flet as ft

from client.services.opportunities import (
    OpportunityItem,
    advance_opportunity,
    list_opportunities,
    next_stage,
    opportunity_customers,
    pipeline,
    win_opportunity,
)
from client.ui.context import AppContext, explain
from client.ui.frame import section_title
from client.ui.opportunity_dialog import open_lose_dialog, open_opportunity_editor
from client.ui.quote_links_panel import linked_quote_rows
from client.ui.widgets import GREEN, TOUCH, card, tagged
from shared.models import LostReason, OpportunityStage
from shared.rules.opportunities import Pipeline, StageTotal, weight_percent

ANY = "any"


class OpportunitiesView:
    """All the seller's opportunities on this device, filterable by stage and customer."""

    def __init__(self, ctx: AppContext, customer_code: str | None = None) -> None:
        self.ctx = ctx
        self.stage: OpportunityStage | None = None
        self.customer = ft.Dropdown(
            label=ctx.t("opportunities.customer"),
            width=320,
            value=customer_code or ANY,
            on_select=self._on_customer,
            options=[ft.DropdownOption(key=customer_code or ANY, text=customer_code or ctx.t("opportunities.all"))],
        )
        self.stages = ft.Row(wrap=True, spacing=8, run_spacing=8)
        self.totals = ft.Column(spacing=2)
        self.list = ft.Column(spacing=4)
        self._shown: tuple[list[tuple[str, str]], Pipeline, list[OpportunityItem]] | None = None

    @property
    def _customer_code(self) -> str | None:
        return None if self.customer.value in (None, ANY) else self.customer.value

    def build(self) -> ft.Control:
        """Filter and pipeline on top (tap a stage to filter), list below."""
        t = self.ctx.t
        return ft.Column(
            [
                ft.Row(
                    [
                        section_title(t("opportunities.title"), "opportunities-title"),
                        ft.Container(expand=True),
                        tagged(
                            "open-leads",
                            ft.OutlinedButton(
                                t("opportunities.leads"),
                                icon=ft.Icons.PERSON_ADD_ALT,
                                height=TOUCH,
                                on_click=self._leads,
                            ),
                        ),
                    ]
                ),
                tagged("pipeline-customer", self.customer),
                tagged("pipeline", self.stages),
                tagged("pipeline-totals", self.totals),
                tagged("opportunity-list", self.list),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    async def _leads(self, _event=None) -> None:
        await self.ctx.go("/leads")

    async def _on_customer(self, _event=None) -> None:
        await self.load()

    async def load(self) -> None:
        """Read the pipeline and the list for the chosen customer and stage."""
        self._render(*await self._read())

    async def after_round(self) -> None:
        """A sync round ended: it may have brought an order that won an opportunity, a lead
        converted elsewhere or a new customer. Drawn again only when the pipeline changed."""
        read = await self._read()
        if read != self._shown:
            self._render(*read)

    async def _read(self) -> tuple[list[tuple[str, str]], Pipeline, list[OpportunityItem]]:
        session = self.ctx.session
        customers = await self.ctx.call(opportunity_customers, session)
        totals: Pipeline = await self.ctx.call(pipeline, session, customer_code=self._customer_code)
        items = await self.ctx.call(list_opportunities, session, stage=self.stage, customer_code=self._customer_code)
        return customers, totals, items

    def _render(self, customers: list[tuple[str, str]], totals: Pipeline, items: list[OpportunityItem]) -> None:
        self._shown = (customers, totals, items)
        t = self.ctx.t
        self.customer.options = [ft.DropdownOption(key=ANY, text=t("opportunities.all"))] + [
            ft.DropdownOption(key=code, text=f"{name} ({code})") for code, name in customers
        ]
        self.stages.controls = [self._stage(s, totals.currency) for s in totals.stages]
        self.totals.controls = self._totals(totals)
        self.list.controls = [self._item(i) for i in items] or [ft.Text(t("opportunities.none"))]
        self.ctx.refresh()

    def _totals(self, totals: Pipeline) -> list[ft.Control]:
        t = self.ctx.t
        rows: list[ft.Control] = [
            ft.Text(
                t(
                    "opportunities.open_totals",
                    value=t.money(totals.open_value, totals.currency),
                    weighted=t.money(totals.open_weighted, totals.currency),
                ),
                weight=ft.FontWeight.W_600,
            )
        ]
        if totals.unconverted:
            amounts = ", ".join(t.money(amount, currency) for currency, amount in totals.unconverted)
            rows.append(
                ft.Text(
                    t("opportunities.unconverted", amounts=amounts, currency=totals.currency),
                    size=12,
                    color=ft.Colors.ORANGE_900,
                )
            )
        return rows

    def _stage(self, total: StageTotal, currency: str) -> ft.Control:
        t = self.ctx.t
        chosen = self.stage == total.stage

        async def choose(_event=None) -> None:
            self.stage = None if chosen else total.stage
            await self.load()

        return tagged(
            f"stage-{total.stage.value}",
            ft.Container(
                ft.Column(
                    [
                        ft.Text(t.label(total.stage), weight=ft.FontWeight.W_600),
                        ft.Text(t.plural("opportunities.count", total.count), size=12),
                        ft.Text(t.money(total.value, currency), size=12, color=ft.Colors.GREY_800),
                        ft.Text(
                            t("opportunities.weighted", value=t.money(total.weighted, currency)),
                            size=12,
                            color=ft.Colors.GREY_700,
                        ),
                    ],
                    spacing=2,
                    tight=True,
                ),
                padding=10,
                width=160,
                height=104,
                border_radius=8,
                on_click=choose,
                bgcolor=ft.Colors.GREEN_100 if chosen else ft.Colors.GREY_100,
                border=ft.Border.all(2 if chosen else 1, GREEN if chosen else ft.Colors.GREY_300),
            ),
        )

    def _item(self, item: OpportunityItem) -> ft.Control:
        t, o = self.ctx.t, item.opportunity
        follow = next_stage(o.stage)
        actions: list[ft.Control] = [
            tagged(
                f"edit-{o.id}",
                ft.IconButton(
                    ft.Icons.EDIT, tooltip=t("opportunity.edit"), on_click=self._edit(item), width=TOUCH, height=TOUCH
                ),
            )
        ]
        if follow is not None:
            if item.suggests_won:
                actions.append(
                    tagged(
                        f"win-{o.title}",
                        ft.FilledTonalButton(
                            t("opportunity.mark_won"),
                            icon=ft.Icons.EMOJI_EVENTS,
                            height=TOUCH,
                            on_click=self._win(item),
                        ),
                    )
                )
            actions += [
                tagged(
                    f"quote-for-{o.title}",
                    ft.TextButton(
                        t("opportunity.quote"), icon=ft.Icons.REQUEST_QUOTE, height=TOUCH, on_click=self._quote(item)
                    ),
                ),
                tagged(
                    f"advance-{o.id}",
                    ft.TextButton(
                        t("opportunity.advance_to", stage=t.label(follow)),
                        icon=ft.Icons.ARROW_FORWARD,
                        height=TOUCH,
                        on_click=self._advance(item),
                    ),
                ),
                tagged(
                    f"lose-{o.id}",
                    ft.TextButton(
                        t("opportunity.mark_lost"), icon=ft.Icons.CLOSE, height=TOUCH, on_click=self._lose(item)
                    ),
                ),
            ]
        # The probability it counts with: 100 % once won, 0 once lost (as the pipeline weighs it).
        chance = weight_percent(o.stage, o.probability_percent)
        detail = [t.label(o.stage, OpportunityStage), t.money(o.value, o.currency), t.percent(chance)]
        if o.expected_close:
            detail.append(t("opportunity.closes", date=t.date(o.expected_close)))
        if o.lost_reason:
            detail.append(t.label(o.lost_reason, LostReason))
        if o.competitor:
            price = t.money(o.competitor_price, o.currency) if o.competitor_price is not None else None
            detail.append(
                t("opportunity.lost_to_at", competitor=o.competitor, price=price)
                if price
                else t("opportunity.lost_to", competitor=o.competitor)
            )
        quotes = linked_quote_rows(t, item.quotes, self._open_quote, f"opportunity-{o.title}")
        return card(
            ft.Column(
                [
                    # Side by side on a tablet, the buttons under the words on a phone.
                    ft.ResponsiveRow(
                        [
                            ft.Column(
                                [
                                    ft.Text(o.title, weight=ft.FontWeight.W_600),
                                    ft.Text(item.customer_name, size=13),
                                    ft.Text(" · ".join(detail), size=12, color=ft.Colors.GREY_700),
                                ],
                                spacing=2,
                                col={"xs": 12, "md": 7},
                            ),
                            ft.Row(actions, wrap=True, col={"xs": 12, "md": 5}),
                        ],
                        vertical_alignment=ft.CrossAxisAlignment.CENTER,
                    ),
                    *([tagged(f"opportunity-quotes-{o.title}", ft.Column(quotes, spacing=0))] if quotes else []),
                ],
                spacing=2,
            ),
            f"opportunity-{o.title}",
            key=str(o.id),  # a tap on its buttons as a sync round draws the list again holds
        )

    def _open_quote(self, quote_id: str):
        async def open_quote(_event=None) -> None:
            await self.ctx.go(f"/quote/{quote_id}")

        return open_quote

    def _quote(self, item: OpportunityItem):
        async def quote(_event=None) -> None:
            o = item.opportunity
            await self.ctx.open_quote_builder(o.customer_code, None, opportunity_id=o.id)

        return quote

    def _win(self, item: OpportunityItem):
        async def win(_event=None) -> None:
            try:
                await self.ctx.call(win_opportunity, self.ctx.session, item.opportunity.id)
            except Exception as exc:
                self.ctx.toast(explain(self.ctx.t, exc), error=True)
            else:
                self.ctx.toast(self.ctx.t("opportunity.won_saved"))
            await self.load()

        return win

    def _edit(self, item: OpportunityItem):
        async def edit(_event=None) -> None:
            open_opportunity_editor(self.ctx, item.opportunity.customer_code, self._saved, item.opportunity)

        return edit

    def _advance(self, item: OpportunityItem):
        async def advance(_event=None) -> None:
            try:
                await self.ctx.call(advance_opportunity, self.ctx.session, item.opportunity.id)
            except Exception as exc:
                self.ctx.toast(explain(self.ctx.t, exc), error=True)
            await self.load()

        return advance

    def _lose(self, item: OpportunityItem):
        async def lose(_event=None) -> None:
            open_lose_dialog(self.ctx, item.opportunity, self._saved)

        return lose

    async def _saved(self, _opportunity) -> None:
        await self.load()


__all__ = ["OpportunitiesView"]
