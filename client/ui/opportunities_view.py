"""Opportunities: the pipeline by stage and the list; edit, advance, lose with a reason."""

from decimal import Decimal

import flet as ft

from client.services.opportunities import (
    OpportunityItem,
    StageTotal,
    advance_opportunity,
    list_opportunities,
    next_stage,
    pipeline,
)
from client.ui.context import AppContext, explain
from client.ui.frame import section_title
from client.ui.opportunity_dialog import open_lose_dialog, open_opportunity_editor
from client.ui.widgets import GREEN, TOUCH, card, tagged
from shared.models import LostReason, OpportunityStage


class OpportunitiesView:
    """All the seller's opportunities on this device, filterable by stage."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.stage: OpportunityStage | None = None
        self.stages = ft.Row(wrap=True, spacing=8, run_spacing=8)
        self.list = ft.Column(spacing=4)

    def build(self) -> ft.Control:
        """Pipeline on top (tap a stage to filter), list below."""
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
                tagged("pipeline", self.stages),
                tagged("opportunity-list", self.list),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    async def _leads(self, _event=None) -> None:
        await self.ctx.go("/leads")

    async def load(self) -> None:
        """Read the pipeline and the list for the chosen stage."""
        totals = await self.ctx.call(pipeline, self.ctx.session)
        items = await self.ctx.call(list_opportunities, self.ctx.session, stage=self.stage)
        self.stages.controls = [self._stage(s) for s in totals]
        self.list.controls = [self._item(i) for i in items] or [ft.Text(self.ctx.t("opportunities.none"))]
        self.ctx.refresh()

    def _stage(self, total: StageTotal) -> ft.Control:
        t = self.ctx.t
        chosen = self.stage == total.stage
        value = " + ".join(t.money(amount, currency) for currency, amount in total.values) or t.money(Decimal(0), "EUR")

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
                        ft.Text(value, size=12, color=ft.Colors.GREY_800),
                    ],
                    spacing=2,
                    tight=True,
                ),
                padding=10,
                width=150,
                height=84,
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
            actions += [
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
        detail = [t.label(o.stage, OpportunityStage), t.money(o.value, o.currency), t.percent(o.probability_percent)]
        if o.expected_close:
            detail.append(t("opportunity.closes", date=t.date(o.expected_close)))
        if o.lost_reason:
            detail.append(t.label(o.lost_reason, LostReason))
        return card(
            ft.Row(
                [
                    ft.Column(
                        [
                            ft.Text(o.title, weight=ft.FontWeight.W_600),
                            ft.Text(item.customer_name, size=13),
                            ft.Text(" · ".join(detail), size=12, color=ft.Colors.GREY_700),
                        ],
                        spacing=2,
                        expand=True,
                    ),
                    ft.Row(actions, tight=True, wrap=True),
                ]
            ),
            f"opportunity-{o.title}",
        )

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
