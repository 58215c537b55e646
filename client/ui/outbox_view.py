"""Sync and outbox: last successful sync, what waits to be sent, refused changes with their
reason (fix in their form, send again or discard), and merges where the server's value won."""

import flet as ft

from client.services.sync_center import RefusedRecord, SyncCenter, describe_args, send_all_again, sync_center
from client.services.sync_fixes import RefusedChange, fix_form, refused_change
from client.services.sync_issues import discard_sync_issues, resolve_sync_issue
from client.ui.context import AppContext, explain
from client.ui.frame import section_title
from client.ui.observation_view import open_observation_fix
from client.ui.opportunity_dialog import open_opportunity_fix
from client.ui.visit_view import open_visit_fix
from client.ui.widgets import TOUCH, big_button, card, field_row, nothing, tagged
from client.ui.wording import describe_refusal, field_names


class OutboxView:
    """The seller's window on sync."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.summary = ft.Column(spacing=4)
        self.rejected = ft.Column(spacing=4)
        self.conflicts = ft.Column(spacing=4)
        self.pending = ft.Column(spacing=2)
        self._center: SyncCenter | None = None

    def build(self) -> ft.Control:
        """Four panels: summary, refused, merged, waiting."""
        t = self.ctx.t
        return ft.Column(
            [
                section_title(t("outbox.title"), "outbox-title"),
                card(
                    ft.Column(
                        [self.summary, big_button(t("status.sync_now"), ft.Icons.SYNC, self._sync, "outbox-sync")]
                    )
                ),
                card(ft.Column([section_title(t("outbox.rejected")), tagged("rejected-list", self.rejected)])),
                card(ft.Column([section_title(t("outbox.conflicts")), tagged("conflict-list", self.conflicts)])),
                card(ft.Column([section_title(t("outbox.pending")), tagged("pending-list", self.pending)])),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    async def load(self) -> None:
        """Read the outbox and issues from the device."""
        data: SyncCenter = await self.ctx.call(sync_center, self.ctx.session)
        self._center = data  # its customers' names, for the rows
        t = self.ctx.t
        self.summary.controls = [
            field_row(
                t("outbox.last_success"),
                t.datetime(data.last_success_at) if data.last_success_at else t("status.never"),
                "last-success",
            ),
            field_row(
                t("outbox.waiting"),
                t.plural("outbox.waiting_changes", data.pending_count)
                + ", "
                + t.plural("outbox.waiting_files", data.files_waiting),
                "waiting",
            ),
        ]
        self.rejected.controls = [self._rejected(r) for r in data.rejected_records] or [
            nothing("rejected-none", t("outbox.no_rejected"))
        ]
        self.conflicts.controls = [self._conflict(i) for i in data.conflicts] or [
            nothing("conflicts-none", t("outbox.no_conflicts"))
        ]
        self.pending.controls = [
            tagged(
                f"pending-{p.mutation_id}",
                ft.ListTile(
                    leading=ft.Icon(ft.Icons.UPLOAD, color=ft.Colors.ORANGE_800),
                    title=ft.Text(t(f"mutation.{p.name}") + (f" · {p.summary}" if p.summary else "")),
                    subtitle=ft.Text(
                        " · ".join(x for x in (data.customer(p.customer_code), t.datetime(p.created_at)) if x)
                    ),
                    min_height=TOUCH,
                ),
            )
            for p in data.pending
        ] or [nothing("pending-none", self._nothing_pending(data.files_waiting))]
        self.ctx.refresh()

    def _nothing_pending(self, files_waiting: int) -> str:
        # A photo or a quote's PDF still to upload is not "everything sent".
        t = self.ctx.t
        return t.plural("outbox.only_files_pending", files_waiting) if files_waiting else t("outbox.nothing_pending")

    def _rejected(self, issues: RefusedRecord) -> ft.Control:
        """One record's refused changes as one thing to look at: named by its first change
        (a visit), told by its latest (its purpose now), each different reason said once;
        Send again and Discard act on all of them, Fix opens the record's form."""
        t = self.ctx.t
        issue, latest = issues[0], issues[-1]  # the first also tags the card
        ids = [i.id for i in issues]
        # A check-out has no form of its own; the visit it belongs to has.
        fixable = next((i for i in issues if fix_form(i) is not None), issue)
        customer, summary = describe_args(latest.args)
        customer = self._center.customer(customer) if self._center is not None else customer
        what = t(f"mutation.{issue.name}") if issue.name else t("outbox.change")
        if len(issues) > 1:
            what += " · " + t.plural("outbox.changes_of_record", len(issues))
        reasons = list(dict.fromkeys(describe_refusal(t, i.code, i.key, i.params, i.detail) for i in issues))
        form = fix_form(fixable)
        fix = (
            []
            if form is None
            else [
                tagged(
                    f"fix-{issue.id}",
                    ft.FilledButton(
                        t("fix.open_quote")
                        if form == "quote"
                        else t("fix.open_approvals")
                        if form == "approval"
                        else t("fix.fix"),
                        icon=ft.Icons.REQUEST_QUOTE if form in ("quote", "approval") else ft.Icons.EDIT,
                        height=TOUCH,
                        on_click=self._fix(fixable.id),
                    ),
                )
            ]
        )
        return card(
            ft.Column(
                [
                    ft.Text(" · ".join(x for x in (what, customer, summary) if x), weight=ft.FontWeight.W_600),
                    *[ft.Text(t("outbox.reason", reason=reason), color=ft.Colors.RED_800) for reason in reasons],
                    ft.Row(
                        [
                            *fix,
                            tagged(
                                f"send-again-{issue.id}",
                                ft.OutlinedButton(
                                    t("outbox.send_again"),
                                    icon=ft.Icons.REPLAY,
                                    height=TOUCH,
                                    on_click=self._act(send_all_again, ids),
                                ),
                            ),
                            tagged(
                                f"discard-{issue.id}",
                                ft.OutlinedButton(
                                    t("outbox.discard"),
                                    icon=ft.Icons.DELETE_OUTLINE,
                                    height=TOUCH,
                                    on_click=self._act(discard_sync_issues, ids),
                                ),
                            ),
                        ],
                        wrap=True,
                    ),
                ],
                spacing=6,
            ),
            f"rejected-{issue.id}",
        )

    def _conflict(self, issue) -> ft.Control:
        t = self.ctx.t
        customer, summary = describe_args(issue.args)
        customer = self._center.customer(customer) if self._center is not None else customer
        return card(
            ft.Column(
                [
                    ft.Text(
                        " · ".join(x for x in (t("outbox.merged"), customer, summary) if x), weight=ft.FontWeight.W_600
                    ),
                    ft.Text(t("outbox.fields_changed", fields=field_names(t, issue.fields) or "—")),
                    tagged(
                        f"resolve-{issue.id}",
                        ft.TextButton(
                            t("outbox.understood"),
                            icon=ft.Icons.CHECK,
                            height=TOUCH,
                            on_click=self._act(resolve_sync_issue, issue.id),
                        ),
                    ),
                ],
                spacing=6,
            ),
            f"conflict-{issue.id}",
        )

    def _fix(self, issue_id: int):
        async def fix(_event=None) -> None:
            try:
                change: RefusedChange = await self.ctx.call(refused_change, self.ctx.session, issue_id)
            except Exception as exc:
                self.ctx.toast(explain(self.ctx.t, exc), error=True)
                await self.load()
                return
            if change.form == "quote":
                await self.ctx.go(f"/quote/{change.quote_id}")
            elif change.form == "approval":
                await self.ctx.go("/approvals")
            elif change.form == "visit":
                open_visit_fix(self.ctx, change, self._fixed)
            elif change.form == "observation":
                await open_observation_fix(self.ctx, change, self._fixed)
            else:
                open_opportunity_fix(self.ctx, change, self._fixed)

        return fix

    async def _fixed(self) -> None:
        self.ctx.toast(self.ctx.t("fix.sent"))
        await self.ctx.refresh_sync_status()
        await self.load()

    def _act(self, service, issue: int | list[int]):
        async def act(_event=None) -> None:
            try:
                await self.ctx.call(service, self.ctx.session, issue)
            except Exception as exc:
                self.ctx.toast(explain(self.ctx.t, exc), error=True)
            await self.ctx.refresh_sync_status()
            await self.load()

        return act

    async def _sync(self, _event=None) -> None:
        await self.ctx.sync_now()
        await self.load()

    async def after_round(self) -> None:
        """A sync round ended, whoever asked for it: what waits and what was refused changed."""
        await self.load()
