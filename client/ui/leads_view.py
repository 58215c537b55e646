"""Leads: the seller's leads by status; note a new one, move it on, convert it into an
opportunity for one of her customers (reached from the Opportunities screen)."""

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal

import flet as ft

from client.services.leads import LEAD_STATUSES, LeadItem, convert_lead, lead_counts, list_leads, move_lead, new_lead
from client.services.portfolio import search_customers
from client.ui.context import AppContext, explain
from client.ui.frame import section_title
from client.ui.opportunity_dialog import open_opportunity_editor
from client.ui.prospect_dialog import open_prospect_form
from client.ui.widgets import GREEN, TOUCH, card, tagged
from shared.models import LeadChannel, LeadStatus
from shared.models.field import Lead, Opportunity
from shared.models.prospect import Prospect
from shared.rules.leads import ALLOWED, OPEN_LEAD_STATUSES, time_to_first_contact

Done = Callable[[], Awaitable[None]]
SHOWN_CUSTOMERS = 8
"""Customers offered for a conversion at a time: the seller narrows them by typing."""


class LeadsView:
    """All the seller's leads on this device, filterable by status."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.status: LeadStatus | None = None
        self.statuses = ft.Row(wrap=True, spacing=8, run_spacing=8)
        self.list = ft.Column(spacing=4)
        self._shown: tuple[dict[LeadStatus, int], list[LeadItem]] | None = None

    def build(self) -> ft.Control:
        """Statuses on top (tap one to filter), "New lead" and the list below."""
        t = self.ctx.t
        return ft.Column(
            [
                ft.Row(
                    [
                        tagged(
                            "leads-back",
                            ft.IconButton(
                                ft.Icons.ARROW_BACK,
                                tooltip=t("leads.back_to_opportunities"),
                                on_click=self._back,
                                width=TOUCH,
                                height=TOUCH,
                            ),
                        ),
                        section_title(t("leads.title"), "leads-title"),
                        ft.Container(expand=True),
                        tagged(
                            "lead-new",
                            ft.FilledButton(t("leads.new"), icon=ft.Icons.ADD, height=TOUCH, on_click=self._new),
                        ),
                    ]
                ),
                tagged("lead-statuses", self.statuses),
                tagged("lead-list", self.list),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    async def load(self) -> None:
        """Read the counts by status and the list for the chosen status."""
        self._render(*await self._read())

    async def after_round(self) -> None:
        """A sync round ended: it may have brought leads the manager handed out, or taken
        back. Drawn again only when the counts or the list changed."""
        read = await self._read()
        if read != self._shown:
            self._render(*read)

    async def _read(self) -> tuple[dict[LeadStatus, int], list[LeadItem]]:
        counts = await self.ctx.call(lead_counts, self.ctx.session)
        return counts, await self.ctx.call(list_leads, self.ctx.session, status=self.status)

    def _render(self, counts: dict[LeadStatus, int], items: list[LeadItem]) -> None:
        self._shown = (counts, items)
        self.statuses.controls = [self._status(s, counts[s]) for s in LEAD_STATUSES]
        self.list.controls = [self._item(i) for i in items] or [ft.Text(self.ctx.t("leads.none"))]
        self.ctx.refresh()

    async def _back(self, _event=None) -> None:
        await self.ctx.go("/opportunities")

    async def _new(self, _event=None) -> None:
        open_new_lead_dialog(self.ctx, self.load)

    def _status(self, status: LeadStatus, count: int) -> ft.Control:
        t = self.ctx.t
        chosen = self.status == status

        async def choose(_event=None) -> None:
            self.status = None if chosen else status
            await self.load()

        return tagged(
            f"lead-status-{status.value}",
            ft.Container(
                ft.Column(
                    [
                        ft.Text(t.label(status), weight=ft.FontWeight.W_600),
                        ft.Text(t.plural("leads.count", count), size=12),
                    ],
                    spacing=2,
                    tight=True,
                ),
                padding=10,
                width=140,
                border_radius=8,
                on_click=choose,
                bgcolor=ft.Colors.GREEN_100 if chosen else ft.Colors.GREY_100,
                border=ft.Border.all(2 if chosen else 1, GREEN if chosen else ft.Colors.GREY_300),
            ),
        )

    def _item(self, item: LeadItem) -> ft.Control:
        t, lead = self.ctx.t, item.lead
        status = LeadStatus(lead.status)
        detail = [t.label(status), t.label(lead.channel, LeadChannel)]
        if lead.source:
            detail.append(lead.source)
        if lead.contact:
            detail.append(lead.contact)
        if lead.city:
            detail.append(lead.city)
        waited = time_to_first_contact(lead.created_at, lead.first_contact_at)
        if waited is not None:
            hours = int(waited.total_seconds() // 3600)
            detail.append(t.plural("lead.first_contact_hours", hours) if hours else t("lead.first_contact_soon"))
        lines: list[ft.Control] = [
            ft.Text(lead.name, weight=ft.FontWeight.W_600),
            ft.Text(" · ".join(detail), size=12, color=ft.Colors.GREY_700),
        ]
        if item.customer_name:
            lines.append(ft.Text(t("lead.customer", customer=item.customer_name), size=13))
        if lead.discard_reason:
            lines.append(ft.Text(t("lead.discarded_because", reason=lead.discard_reason), size=12))
        return card(
            # Side by side on a tablet; on a phone the buttons go under the words (beside
            # them, they squeezed the words to a letter a line).
            ft.ResponsiveRow(
                [
                    ft.Column(lines, spacing=2, col={"xs": 12, "md": 7}),
                    ft.Row(self._actions(lead, status), wrap=True, col={"xs": 12, "md": 5}),
                ],
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            f"lead-{lead.name}",
            key=str(lead.id),  # a tap on its buttons as a sync round draws the list again holds
        )

    def _actions(self, lead: Lead, status: LeadStatus) -> list[ft.Control]:
        t = self.ctx.t
        actions: list[ft.Control] = []
        moves = {LeadStatus.CONTACTED: t("lead.mark_contacted"), LeadStatus.QUALIFIED: t("lead.mark_qualified")}
        for target, words in moves.items():
            if target in ALLOWED[status]:
                actions.append(
                    tagged(
                        f"lead-{target.value}-{lead.id}",
                        ft.TextButton(
                            words, icon=ft.Icons.ARROW_FORWARD, height=TOUCH, on_click=self._move(lead, target)
                        ),
                    )
                )
        if LeadStatus.CONVERTED in ALLOWED[status]:
            actions.append(
                tagged(
                    f"lead-convert-{lead.id}",
                    ft.TextButton(
                        t("lead.convert"), icon=ft.Icons.HANDSHAKE, height=TOUCH, on_click=self._convert(lead)
                    ),
                )
            )
        if status in OPEN_LEAD_STATUSES:
            actions.append(
                tagged(
                    f"lead-discard-{lead.id}",
                    ft.TextButton(t("lead.discard"), icon=ft.Icons.CLOSE, height=TOUCH, on_click=self._discard(lead)),
                )
            )
        return actions

    def _move(self, lead: Lead, target: LeadStatus):
        async def move(_event=None) -> None:
            try:
                await self.ctx.call(move_lead, self.ctx.session, lead.id, target)
            except Exception as exc:
                self.ctx.toast(explain(self.ctx.t, exc), error=True)
            await self.load()

        return move

    def _discard(self, lead: Lead):
        async def discard(_event=None) -> None:
            open_discard_dialog(self.ctx, lead, self.load)

        return discard

    def _convert(self, lead: Lead):
        async def convert(_event=None) -> None:
            open_convert_dialog(self.ctx, lead, self.load)

        return convert


def open_new_lead_dialog(ctx: AppContext, on_saved: Done) -> None:
    """Note a lead: who, how it came, from where, how to reach them."""
    t = ctx.t
    name = ft.TextField(label=t("lead.name"), autofocus=True, width=380)
    channel = ft.Dropdown(
        label=t("lead.channel"),
        value=LeadChannel.VISIT.value,
        width=380,
        options=[ft.DropdownOption(key=c.value, text=t.label(c)) for c in LeadChannel],
    )
    source = ft.TextField(label=t("lead.source"), hint_text=t("lead.source_hint"), width=380)
    contact = ft.TextField(label=t("lead.contact"), width=380)
    city = ft.TextField(label=t("lead.city"), width=380)
    notes = ft.TextField(label=t("lead.notes"), multiline=True, min_lines=2, width=380)
    error = ft.Text("", color=ft.Colors.RED_700)

    async def keep(_event=None) -> None:
        try:
            await ctx.call(
                new_lead,
                ctx.session,
                name.value or "",
                LeadChannel(channel.value or LeadChannel.VISIT.value),
                contact=contact.value or "",
                city=city.value or "",
                source=source.value or "",
                notes=notes.value or "",
            )
        except Exception as exc:  # said in the dialog, which keeps what was typed
            error.value = explain(t, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        ctx.toast(t("lead.saved"))
        await on_saved()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("leads.new")),
            content=ft.Column(
                [
                    tagged("lead-name", name),
                    tagged("lead-channel", channel),
                    tagged("lead-source", source),
                    tagged("lead-contact", contact),
                    tagged("lead-city", city),
                    tagged("lead-notes", notes),
                    tagged("lead-error", error),
                ],
                tight=True,
                scroll=ft.ScrollMode.AUTO,
            ),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("lead-save", ft.FilledButton(t("common.save"), height=TOUCH, on_click=keep)),
            ],
        )
    )


def open_discard_dialog(ctx: AppContext, lead: Lead, on_done: Done) -> None:
    """Discard a lead, saying why."""
    t = ctx.t
    reason = ft.TextField(label=t("lead.discard_reason"), autofocus=True, width=380)
    error = ft.Text("", color=ft.Colors.RED_700)

    async def keep(_event=None) -> None:
        try:
            await ctx.call(move_lead, ctx.session, lead.id, LeadStatus.DISCARDED, discard_reason=reason.value or "")
        except Exception as exc:
            error.value = explain(t, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        ctx.toast(t("lead.discarded"))
        await on_done()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("lead.discard_title", name=lead.name)),
            content=ft.Column([tagged("lead-discard-reason", reason), tagged("lead-discard-error", error)], tight=True),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("lead-discard-save", ft.FilledButton(t("lead.discard"), height=TOUCH, on_click=keep)),
            ],
        )
    )


def open_convert_dialog(ctx: AppContext, lead: Lead, on_done: Done) -> None:
    """Convert a lead: choose one of the seller's customers, then fill in the opportunity."""
    t = ctx.t
    search = ft.TextField(
        label=t("lead.convert_customer"), value=lead.name, autofocus=True, width=420, prefix_icon=ft.Icons.SEARCH
    )
    found = ft.Column(spacing=2, width=420)

    async def show(_event=None) -> None:
        rows = await ctx.call(search_customers, ctx.session.store, search.value or "", limit=SHOWN_CUSTOMERS)
        found.controls = [
            tagged(
                f"lead-customer-{r.code}",
                ft.TextButton(f"{r.legal_name} · {r.code}", height=TOUCH, on_click=chosen(r.code)),
            )
            for r in rows
        ] or [ft.Text(t("lead.convert_no_customer"), color=ft.Colors.GREY_700)]
        ctx.refresh()

    def chosen(code: str):
        async def choose(_event=None) -> None:
            ctx.page.pop_dialog()
            _open_opportunity_for(ctx, lead, code, on_done)

        return choose

    async def prospect(_event=None) -> None:
        # A company the ERP does not know: made a prospect here, then the opportunity for it.
        ctx.page.pop_dialog()

        async def made(made_prospect: Prospect) -> None:
            _open_opportunity_for(ctx, lead, made_prospect.code, on_done)

        open_prospect_form(ctx, made, name=lead.name, contact=lead.contact, city=lead.city, lead_id=lead.id)

    search.on_change = show
    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("lead.convert_title", name=lead.name)),
            content=ft.Column(
                [
                    tagged("lead-convert-search", search),
                    tagged("lead-convert-customers", found),
                    tagged(
                        "lead-convert-prospect",
                        ft.OutlinedButton(
                            t("lead.convert_new_prospect"), icon=ft.Icons.DOMAIN_ADD, height=TOUCH, on_click=prospect
                        ),
                    ),
                ],
                tight=True,
            ),
            actions=[ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog())],
        )
    )
    ctx.page.run_task(show)


def _open_opportunity_for(ctx: AppContext, lead: Lead, customer_code: str, on_done: Done) -> None:
    t = ctx.t

    async def keep(title: str, value: Decimal, percent: Decimal, expected: date | None) -> Opportunity:
        _lead, opportunity = await ctx.call(
            convert_lead,
            ctx.session,
            lead.id,
            customer_code,
            title,
            value,
            probability_percent=percent,
            expected_close=expected,
        )
        return opportunity

    async def converted(_opportunity: Opportunity) -> None:
        ctx.toast(t("lead.converted"))
        await on_done()

    open_opportunity_editor(ctx, customer_code, converted, keep=keep, heading=t("lead.convert_title", name=lead.name))


__all__ = ["LeadsView", "open_convert_dialog", "open_discard_dialog", "open_new_lead_dialog"]
