"""Approvals (managers): the team's requests with their context, decided one by one or in
bulk, offline on what was last synced; decisions the server refused because the request
changed since come back at the top."""

from datetime import UTC, datetime, timedelta

import flet as ft

from client.i18n import Translator
from client.i18n.messages import describe
from client.services.approvals import Inbox, PendingRequest, RefusedDecision, approval_inbox, decide_requests
from client.services.approvals import request_context as load_context
from client.services.sync_issues import resolve_sync_issue
from client.ui.context import AppContext, explain
from client.ui.delegation_dialog import DelegationDialog
from client.ui.frame import section_title
from client.ui.widgets import TOUCH, card, credit_chip, nothing, tagged
from client.ui.wording import describe_refusal
from shared.rules.approval_decisions import AgeUnit, age_in_units


def age_words(t: Translator, age: timedelta) -> str:
    """A waiting time as people say it: "3 hours", "2 days"."""
    unit, count = age_in_units(age)
    if unit == AgeUnit.MINUTES:
        return t.plural("approvals.age.minutes", count)
    if unit == AgeUnit.HOURS:
        return t.plural("approvals.age.hours", count)
    return t.plural("approvals.age.days", count)


def waiting_words(t: Translator, requested_at: datetime | None, now: datetime) -> str:
    """How long a request has waited, "Waiting 3 hours" (empty when unknown)."""
    if requested_at is None:
        return ""
    return t("approvals.waiting_for", age=age_words(t, now - requested_at))


class ApprovalsView:
    """The manager's inbox."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.refused = ft.Column(spacing=6)
        self.bulk = ft.Column(spacing=6)
        self.waiting = ft.Column(spacing=8)
        self.decided = ft.Column(spacing=4)
        self._shown: Inbox | None = None
        self._opened: set[str] = set()
        """Requests whose customer context the manager opened: opened again when drawn again."""
        self._contexts: dict[str, ft.Column] = {}

    def build(self) -> ft.Control:
        """Refused decisions, bulk decisions, the waiting requests, those decided here."""
        return ft.Column(
            [
                ft.Row(self._title_row(), alignment=ft.MainAxisAlignment.SPACE_BETWEEN, wrap=True),
                tagged("approvals-refused", self.refused),
                tagged("approvals-bulk", self.bulk),
                tagged("approvals-waiting", self.waiting),
                tagged("approvals-decided", self.decided),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    def _title_row(self) -> list[ft.Control]:
        """The title, and for a manager the way to delegate her approvals."""
        t = self.ctx.t
        row: list[ft.Control] = [section_title(t("approvals.title"), "approvals-title")]
        if self.ctx.session.role == "manager":
            delegate = ft.TextButton(
                t("delegation.open"),
                icon=ft.Icons.SWITCH_ACCOUNT,
                height=TOUCH,
                on_click=DelegationDialog(self.ctx).open,
            )
            row.append(tagged("approvals-delegate", delegate))
        return row

    async def load(self) -> None:
        """Read the inbox from the device."""
        self._render(await self.ctx.call(approval_inbox, self.ctx.session))

    async def after_round(self) -> None:
        """A sync round ended: it may have brought a seller's new request, another manager's
        decision or a refusal of hers. Drawn again only when the inbox changed (a redraw
        replaces the buttons under her finger); a customer context she opened is opened again."""
        inbox: Inbox = await self.ctx.call(approval_inbox, self.ctx.session)
        if inbox != self._shown:
            self._render(inbox)
            for request in inbox.waiting:
                if request.request_id in self._opened:
                    await self._fill_context(request, self._contexts[request.request_id])

    def _render(self, inbox: Inbox) -> None:
        self._shown = inbox
        self._contexts = {}
        t, now = self.ctx.t, datetime.now(UTC)
        self.refused.controls = [self._refused(r) for r in inbox.refused]
        titles = {r.request_id: r for r in inbox.waiting}
        self.bulk.controls = [self._bulk(rules, [titles[i] for i in ids]) for rules, ids in inbox.bulk.items()]
        self.waiting.controls = [self._request(r, now) for r in inbox.waiting] or [
            nothing("approvals-none", t("approvals.none_waiting"))
        ]
        self.decided.controls = (
            [section_title(t("approvals.decided_here"))] + [self._decided(r) for r in inbox.decided_here]
            if inbox.decided_here
            else []
        )
        self.ctx.refresh()

    # -- pieces --------------------------------------------------------------------------

    def _rules(self, rules: tuple[str, ...]) -> str:
        return ", ".join(self.ctx.t.label_of("ApprovalRule", r) for r in rules)

    def _refused(self, refused: RefusedDecision) -> ft.Control:
        t = self.ctx.t
        return card(
            ft.Column(
                [
                    ft.Text(
                        t("approvals.changed_title", number=refused.number, version=refused.version),
                        weight=ft.FontWeight.W_600,
                        color=ft.Colors.RED_800,
                    ),
                    ft.Text(describe_refusal(t, refused.code, refused.key, refused.params, refused.detail)),
                    tagged(
                        f"approvals-understood-{refused.issue_id}",
                        ft.TextButton(
                            t("outbox.understood"), icon=ft.Icons.CHECK, height=TOUCH, on_click=self._resolve(refused)
                        ),
                    ),
                ],
                spacing=4,
            ),
            f"approvals-changed-{refused.number}",
        )

    def _bulk(self, rules: tuple[str, ...], requests: list[PendingRequest]) -> ft.Control:
        t = self.ctx.t
        ids = [r.request_id for r in requests]
        key = "-".join(rules)
        return card(
            ft.Column(
                [
                    ft.Text(t.plural("approvals.bulk_title", len(ids), rules=self._rules(rules)), weight=ft.FontWeight.W_600),
                    ft.Text(", ".join(r.quote.number for r in requests), color=ft.Colors.BLUE_GREY_700),
                    ft.Row(
                        [
                            tagged(
                                f"approvals-bulk-approve-{key}",
                                ft.FilledButton(
                                    t("approvals.approve_all"), icon=ft.Icons.DONE_ALL, height=TOUCH,
                                    on_click=self._ask(ids, "approved"),
                                ),
                            ),
                            tagged(
                                f"approvals-bulk-reject-{key}",
                                ft.OutlinedButton(
                                    t("approvals.reject_all"), icon=ft.Icons.BLOCK, height=TOUCH,
                                    on_click=self._ask(ids, "rejected"),
                                ),
                            ),
                        ],
                        wrap=True,
                    ),
                ],
                spacing=4,
            ),
            f"approvals-bulk-{key}",
        )  # fmt: skip

    def _request(self, request: PendingRequest, now: datetime) -> ft.Control:
        t, quote = self.ctx.t, request.quote
        context = self._contexts[request.request_id] = ft.Column(spacing=2)
        header = " · ".join(
            x
            for x in (
                t("approvals.seller", name=request.seller_name),
                waiting_words(t, request.requested_at, now),
                t("approvals.net_total", amount=t.money(quote.net_total, quote.currency)),
            )
            if x
        )
        lines = [
            tagged(
                f"approvals-line-{quote.number}-{line.line_no}",
                ft.Text(
                    t(
                        "approvals.line",
                        line=line.line_no,
                        sku=line.sku,
                        description=f" {line.description}" if line.description and line.description != line.sku else "",
                        quantity=t.number(line.quantity),
                        price=t.money(line.unit_price, quote.currency),
                        discount=t.percent(line.discount_percent),
                        margin=t.margin(line.margin_percent) if line.margin_percent is not None else "—",
                    )
                    + (
                        " · " + t("approvals.floor", minimum=t.percent(line.min_margin_percent))
                        if line.min_margin_percent is not None
                        else ""
                    ),
                    color=ft.Colors.RED_800 if line.is_below_floor else None,
                    size=13,
                ),
            )
            for line in request.lines
        ]
        return card(
            ft.Column(
                [
                    ft.Text(
                        t("approvals.request_title", number=quote.number, version=quote.version, customer=request.customer_name),
                        weight=ft.FontWeight.W_600,
                    ),
                    ft.Text(header, color=ft.Colors.BLUE_GREY_700),
                    *self._escalation(request),
                    ft.Text(t("approvals.rules", rules=self._rules(request.rules) or "—"), color=ft.Colors.ORANGE_900),
                    *[ft.Text(reason, size=12, italic=True) for reason in reason_words(t, request)],
                    *lines,
                    ft.Text(t("approvals.note", note=request.note) if request.note else t("approvals.no_note")),
                    context,
                    ft.Row(
                        [
                            tagged(
                                f"approvals-approve-{quote.number}",
                                ft.FilledButton(
                                    t("approvals.approve"), icon=ft.Icons.CHECK, height=TOUCH,
                                    on_click=self._ask([request.request_id], "approved"),
                                ),
                            ),
                            tagged(
                                f"approvals-reject-{quote.number}",
                                ft.OutlinedButton(
                                    t("approvals.reject"), icon=ft.Icons.CLOSE, height=TOUCH,
                                    on_click=self._ask([request.request_id], "rejected"),
                                ),
                            ),
                            tagged(
                                f"approvals-customer-{quote.number}",
                                ft.TextButton(
                                    t("approvals.customer_context"), icon=ft.Icons.PERSON_SEARCH, height=TOUCH,
                                    on_click=self._show_context(request, context),
                                ),
                            ),
                        ],
                        wrap=True,
                    ),
                ],
                spacing=4,
            ),
            f"approvals-request-{quote.number}",
        )  # fmt: skip

    def _escalation(self, request: PendingRequest) -> list[ft.Control]:
        """Why the request is here (or gone up): pending past the policy's limit."""
        mark, t = request.escalation, self.ctx.t
        held: list[ft.Control] = (
            [
                tagged(
                    f"approvals-on-behalf-{request.quote.number}",
                    ft.Text(
                        t("approvals.on_behalf_of", names=", ".join(request.on_behalf_of)), color=ft.Colors.INDIGO_800
                    ),
                )
            ]
            if request.on_behalf_of
            else []
        )
        if mark is None:
            return held
        limit = t.plural("approvals.age.hours", mark.after_hours)
        words = (
            t.plural("approvals.escalated_to_you", mark.hours_pending, limit=limit)
            if mark.is_to_me
            else t.plural("approvals.escalated_to", mark.hours_pending, names=", ".join(mark.to_names), limit=limit)
        )
        return [
            tagged(
                f"approvals-escalated-{request.quote.number}",
                ft.Row(
                    [ft.Icon(ft.Icons.TRENDING_UP, color=ft.Colors.DEEP_ORANGE_800, size=18),
                     ft.Text(words, color=ft.Colors.DEEP_ORANGE_900, weight=ft.FontWeight.W_600, expand=True)],
                    spacing=6,
                ),
            ),
            *held,
        ]  # fmt: skip

    def _decided(self, request: PendingRequest) -> ft.Control:
        t = self.ctx.t
        decision = request.decided_here
        assert decision is not None
        return tagged(
            f"approvals-decided-{request.quote.number}",
            ft.ListTile(
                leading=ft.Icon(ft.Icons.UPLOAD, color=ft.Colors.ORANGE_800),
                title=ft.Text(
                    t(
                        "approvals.decided_line",
                        number=request.quote.number,
                        customer=request.customer_name,
                        # Said of the quote (its gender in Spanish: «aprobado»).
                        decision=t.label_of("QuoteStatus", decision.decision),
                    )
                ),
                subtitle=ft.Text(decision.comment) if decision.comment else None,
                min_height=TOUCH,
            ),
        )

    # -- actions -------------------------------------------------------------------------

    def _show_context(self, request: PendingRequest, into: ft.Column):
        async def show(_event=None) -> None:
            self._opened.add(request.request_id)
            await self._fill_context(request, into)

        return show

    async def _fill_context(self, request: PendingRequest, into: ft.Column) -> None:
        t = self.ctx.t
        try:
            context = await self.ctx.call(load_context, self.ctx.session, request.quote.customer_code)
        except Exception as exc:  # shown, not hidden: a customer no longer on the device
            self.ctx.toast(explain(t, exc), error=True)
            return
        credit = context.detail.credit
        figures = (
            t(
                "approvals.credit",
                limit=t.money(credit.credit_limit, credit.currency),
                balance=t.money(credit.open_balance, credit.currency),
                overdue=t.money(credit.overdue_amount, credit.currency),
            )
            if credit
            else t("approvals.no_credit")
        )
        into.controls = [
            ft.Row([credit_chip(t, c) for c in context.detail.credit_chips], wrap=True),
            ft.Text(figures),
            *[
                ft.Text(f"{t.date(e.at.date())} · {e.title}" + (f" · {e.detail}" if e.detail else ""), size=12)
                for e in context.history
            ],
        ]
        self.ctx.refresh()

    def _ask(self, request_ids: list[str], decision: str):
        async def ask(_event=None) -> None:
            t = self.ctx.t
            note = ft.TextField(label=t("approvals.note_label"), multiline=True, min_lines=2, autofocus=True)
            title = (
                t.plural("approvals.confirm_approved", len(request_ids))
                if decision == "approved"
                else t.plural("approvals.confirm_rejected", len(request_ids))
            )

            async def confirm(_e=None) -> None:
                try:
                    await self.ctx.call(decide_requests, self.ctx.session, request_ids, decision, note.value or "")
                except Exception as exc:  # a missing note, a request decided meanwhile: said, dialog kept
                    note.error = explain(t, exc)
                    self.ctx.refresh()
                    return
                self.ctx.page.pop_dialog()
                self.ctx.toast(t.plural("approvals.decided_toast", len(request_ids)))
                await self.ctx.refresh_sync_status()
                await self.load()

            self.ctx.page.show_dialog(
                ft.AlertDialog(
                    title=ft.Text(title),
                    content=tagged("approvals-note", note),
                    actions=[
                        ft.TextButton(t("approvals.cancel"), on_click=lambda _e: self.ctx.page.pop_dialog()),
                        tagged("approvals-confirm", ft.FilledButton(t("approvals.confirm"), on_click=confirm)),
                    ],
                )
            )

        return ask

    def _resolve(self, refused: RefusedDecision):
        async def resolve(_event=None) -> None:
            await self.ctx.call(resolve_sync_issue, self.ctx.session, refused.issue_id)
            await self.ctx.refresh_sync_status()
            await self.load()

        return resolve


def reason_words(t: Translator, request: PendingRequest) -> list[str]:
    """The request's reasons in the reader's language; the server's English sentence for one
    it kept no message for (a request made before it kept them) or whose words are missing."""
    said = request.reason_messages if len(request.reason_messages) == len(request.reasons) else ()
    if not said:
        return list(request.reasons)
    return [describe(t, m.get("$message"), m.get("params"), r) for m, r in zip(said, request.reasons, strict=True)]


__all__ = ["ApprovalsView", "age_words", "reason_words", "waiting_words"]
