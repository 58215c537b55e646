"""Claims on the visit screen: the ones raised on this visit, the customer's still open from
earlier visits (seen before talking to her), a dialog to note a new one and one to move a
claim on (in progress, resolved or rejected, these two saying how)."""

from collections.abc import Awaitable, Callable
from decimal import Decimal
from uuid import UUID

import flet as ft

from client.services.visits import add_claim, move_claim
from client.ui.context import AppContext, explain
from client.ui.frame import section_title
from client.ui.widgets import TOUCH, tagged
from shared.models import Claim, ClaimKind, ClaimStatus
from shared.rules.claims import ALLOWED

Done = Callable[[], Awaitable[None]]


def claims_panel(
    ctx: AppContext, title: str, claims: tuple[Claim, ...], on_changed: Done, on_add: Callable | None = None
) -> ft.Control:
    """A titled list of claims, each with its status and, while open, a button to move it on."""
    t = ctx.t
    head: list[ft.Control] = [section_title(title)]
    if on_add is not None:
        head.append(
            tagged("add-claim", ft.TextButton(t("visit.add_claim"), icon=ft.Icons.ADD, height=TOUCH, on_click=on_add))
        )
    rows: list[ft.Control] = [ft.Row(head)]
    for claim in claims:
        what = claim.description + (f" ({claim.invoice_number})" if claim.invoice_number else "")
        if claim.sku:
            what = t("claim.about", sku=claim.sku, quantity=t.number(claim.quantity) if claim.quantity else "—") + what
        status = t.label(claim.status, ClaimStatus) + (f": {claim.resolution}" if claim.resolution else "")
        line: list[ft.Control] = [
            ft.Column(
                [
                    ft.Text(f"{t.label(claim.kind, ClaimKind)} · {what}", weight=ft.FontWeight.W_600),
                    ft.Text(status, color=ft.Colors.GREY_700, size=13),
                ],
                spacing=2,
                expand=True,
            )
        ]
        if ALLOWED[ClaimStatus(claim.status)]:
            line.append(
                tagged(
                    f"claim-move-{claim.id}",
                    ft.TextButton(
                        t("claim.move"),
                        icon=ft.Icons.ARROW_FORWARD,
                        height=TOUCH,
                        on_click=lambda _e, c=claim: open_move_dialog(ctx, c, on_changed),
                    ),
                )
            )
        rows.append(tagged(f"claim-{claim.id}", ft.Row(line)))
    if not claims and on_add is None:
        rows.append(ft.Text(t("claim.none_open"), color=ft.Colors.GREY_700))
    return ft.Column(rows, spacing=6)


def open_claim_dialog(ctx: AppContext, visit_id: UUID, on_saved: Done) -> None:
    """Note a return or complaint: kind, description, and optionally invoice, product and quantity."""
    t = ctx.t
    kind = ft.Dropdown(
        label=t("claim.kind"),
        value=ClaimKind.COMPLAINT.value,
        width=360,
        options=[ft.DropdownOption(key=k.value, text=t.label(k)) for k in ClaimKind],
    )
    description = ft.TextField(label=t("claim.description"), multiline=True, min_lines=2, width=360)
    invoice = ft.TextField(label=t("claim.invoice"), width=360)
    sku = ft.TextField(label=t("claim.sku"), width=220)
    quantity = ft.TextField(label=t("claim.quantity"), width=130, keyboard_type=ft.KeyboardType.NUMBER)
    error = ft.Text("", color=ft.Colors.RED_700)

    async def keep(_event=None) -> None:
        try:
            said = (quantity.value or "").strip()
            amount: Decimal | None = t.parse_decimal(said, t("claim.quantity")) if said else None
            await ctx.call(
                add_claim,
                ctx.session,
                visit_id,
                ClaimKind(kind.value or ClaimKind.COMPLAINT.value),
                description.value or "",
                invoice.value or None,
                sku=sku.value or None,
                quantity=amount,
            )
        except Exception as exc:  # said in the dialog, which keeps what was typed
            error.value = explain(t, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        ctx.toast(t("claim.saved"))
        await on_saved()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("visit.add_claim")),
            content=ft.Column(
                [
                    tagged("claim-kind", kind),
                    tagged("claim-description", description),
                    tagged("claim-invoice", invoice),
                    ft.Row([tagged("claim-sku", sku), tagged("claim-quantity", quantity)]),
                    tagged("claim-error", error),
                ],
                tight=True,
            ),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("claim-save", ft.FilledButton(t("common.save"), height=TOUCH, on_click=keep)),
            ],
        )
    )


def open_move_dialog(ctx: AppContext, claim: Claim, on_moved: Done) -> None:
    """Move a claim on: the next statuses it allows, and how it ended when it ends."""
    t = ctx.t
    targets = sorted(ALLOWED[ClaimStatus(claim.status)], key=list(ClaimStatus).index)
    target = ft.Dropdown(
        label=t("claim.status"),
        value=targets[-1].value if targets else None,
        width=360,
        options=[ft.DropdownOption(key=s.value, text=t.label(s)) for s in targets],
    )
    resolution = ft.TextField(label=t("claim.resolution"), multiline=True, min_lines=2, width=360)
    error = ft.Text("", color=ft.Colors.RED_700)

    async def keep(_event=None) -> None:
        try:
            await ctx.call(move_claim, ctx.session, claim.id, ClaimStatus(target.value or ""), resolution.value or "")
        except Exception as exc:
            error.value = explain(t, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        ctx.toast(t("claim.moved"))
        await on_moved()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("claim.move_title", kind=t.label(claim.kind, ClaimKind))),
            content=ft.Column(
                [
                    ft.Text(claim.description, width=360),
                    tagged("claim-target", target),
                    tagged("claim-resolution", resolution),
                    tagged("claim-move-error", error),
                ],
                tight=True,
            ),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("claim-move-save", ft.FilledButton(t("common.save"), height=TOUCH, on_click=keep)),
            ],
        )
    )


__all__ = ["claims_panel", "open_claim_dialog", "open_move_dialog"]
