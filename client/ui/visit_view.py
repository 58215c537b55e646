"""A visit: check-in/out, purpose, notes, outcome, next step, claims, the manager's comments,
and quick actions to add an observation, an opportunity or a quote from the visit. The same
fields fix a visit the server refused (`open_visit_fix`, from the Sync screen)."""

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import flet as ft

from client.i18n import Translator
from client.services.quote_links import quotes_for_visit
from client.services.sync_fixes import RefusedChange, fix_visit
from client.services.visit_comments import mark_thread_read
from client.services.visits import (
    VisitScreen,
    add_addendum,
    check_in,
    check_out,
    save_visit,
    visit_screen,
)
from client.ui.claims_panel import claims_panel, open_claim_dialog
from client.ui.comment_thread import ThreadDraft, thread_panel
from client.ui.context import AppContext, explain
from client.ui.fix_dialog import open_fix_dialog
from client.ui.location import location_words
from client.ui.opportunity_dialog import open_opportunity_editor
from client.ui.quote_links_panel import visit_quotes_panel
from client.ui.widgets import TOUCH, big_button, card, tagged
from shared.errors import DomainError
from shared.models import Visit, VisitOutcome


class VisitForm:
    """What the seller writes about a visit: purpose, notes, outcome, next step."""

    def __init__(self, t: Translator) -> None:
        self.purpose = ft.TextField(label=t("visit.purpose"))
        self.notes = ft.TextField(label=t("visit.notes"), multiline=True, min_lines=3, max_lines=8)
        self.outcome = ft.Dropdown(
            label=t("visit.outcome"),
            width=320,
            options=[ft.DropdownOption(key=o.value, text=t.label(o)) for o in VisitOutcome],
        )
        self.next_step = ft.TextField(label=t("visit.next_step"))
        self.fields: dict[str, ft.TextField | ft.Dropdown] = {
            "purpose": self.purpose,
            "notes": self.notes,
            "outcome": self.outcome,
            "next_step": self.next_step,
        }

    def fill(self, visit: Visit) -> None:
        """Show what the visit holds."""
        self.purpose.value, self.notes.value = visit.purpose, visit.notes
        self.outcome.value, self.next_step.value = str(visit.outcome), visit.next_step

    def keep(self, values: dict[str, Any]) -> None:
        """Show `values` (from `values()`) again."""
        self.purpose.value, self.notes.value = values["purpose"], values["notes"]
        self.outcome.value, self.next_step.value = str(values["outcome"]), values["next_step"]

    def values(self) -> dict[str, Any]:
        """The fields as the visit services take them."""
        return {
            "purpose": self.purpose.value or "",
            "notes": self.notes.value or "",
            "outcome": VisitOutcome(self.outcome.value or VisitOutcome.PENDING.value),
            "next_step": self.next_step.value or "",
        }

    def controls(self, prefix: str = "visit") -> list[ft.Control]:
        """The fields, each tagged `<prefix>-<field>` for browser tests."""
        return [tagged(f"{prefix}-{name.replace('_', '-')}", control) for name, control in self.fields.items()]


class VisitView:
    """One visit, kept on the device at every step."""

    def __init__(self, ctx: AppContext, visit_id: UUID) -> None:
        self.ctx = ctx
        self.visit_id = visit_id
        self.body = ft.Column(
            expand=True, scroll=ft.ScrollMode.AUTO, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
        )
        self.form = VisitForm(ctx.t)
        # Made once: a visit read again (after a check-in, a claim, a comment) refills it, so
        # Flutter keeps its fields, and the one the seller is typing in keeps her cursor.
        self.form_card = card(
            ft.Column(self.form.controls(), spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        )
        self.screen: VisitScreen | None = None
        self._filled: dict[str, Any] | None = None  # the form as the last load filled it
        self._read: tuple[VisitScreen, Any] | None = None  # what the last load read
        self._draft = ThreadDraft()

    def build(self) -> ft.Control:
        """The screen's content, filled by `load`."""
        self.body.controls = [ft.ProgressRing()]
        return tagged("visit", self.body, expand=True)

    async def load(self) -> None:
        """Read the visit and render it."""
        t = self.ctx.t
        try:
            screen: VisitScreen = await self.ctx.call(visit_screen, self.ctx.session, self.visit_id)
        except Exception as exc:
            self.body.controls = [ft.Text(explain(t, exc), color=ft.Colors.RED_700)]
            self.ctx.refresh()
            return
        quotes = await self.ctx.call(quotes_for_visit, self.ctx.session, self.visit_id)
        self._read = (screen, quotes)
        self.screen, visit = screen, screen.visit
        # The screen is read again after a claim, a check-in or a comment: what the seller
        # typed since and has not saved stays hers, not the stored text.
        typed = self.form.values()
        self.form.fill(visit)
        stored = self.form.values()
        if self._filled is not None and typed not in (self._filled, stored):
            self.form.keep(typed)
        self._filled = stored
        if visit.checked_out_at is not None:
            state = t("visit.closed", start=t.datetime(visit.checked_in_at), end=t.time(visit.checked_out_at))
        elif visit.checked_in_at is not None:
            state = f"{t('visit.open_since', time=t.datetime(visit.checked_in_at))} · {location_words(t, visit)}"
        else:
            state = t("visit.planned", when=t.datetime(visit.planned_at))
        editable = visit.checked_out_at is None
        for field in self.form.fields.values():
            field.disabled = not editable
        presence = (
            [
                big_button(t("visit.check_in"), ft.Icons.PLACE, self._check_in, "visit-check-in")
                if visit.checked_in_at is None
                else big_button(
                    t("visit.check_out"), ft.Icons.LOGOUT, self._check_out, "visit-check-out", filled=False
                ),
            ]
            if editable
            else []
        )
        self.body.controls = [
            ft.Row(
                [
                    tagged(
                        "visit-customer",
                        ft.TextButton(
                            screen.customer_name, icon=ft.Icons.STOREFRONT, height=TOUCH, on_click=self._open_customer
                        ),
                    ),
                    tagged("visit-state", ft.Text(state, color=ft.Colors.GREY_800)),
                ],
                wrap=True,
                key="visit-heading",  # made anew with its controls: kept across redraws, as the buttons below
            ),
            ft.Row(
                [
                    *presence,
                    big_button(t("visit.save"), ft.Icons.SAVE, self._save, "visit-save")
                    if editable
                    else ft.Container(),
                    big_button(
                        t("customer.new_observation"),
                        ft.Icons.VISIBILITY,
                        self._observation,
                        "visit-observation",
                        filled=False,
                    ),
                    big_button(
                        t("customer.new_opportunity"),
                        ft.Icons.TRENDING_UP,
                        self._opportunity,
                        "visit-opportunity",
                        filled=False,
                    ),
                    big_button(
                        t("customer.new_quote"), ft.Icons.REQUEST_QUOTE, self._quote, "visit-quote", filled=False
                    ),
                ],
                wrap=True,
                spacing=8,
                run_spacing=8,
                key="visit-actions",
            ),
            *(
                [
                    card(
                        claims_panel(self.ctx, t("claim.earlier_open"), screen.earlier_open_claims, self.load),
                        "earlier-claims",
                    )
                ]
                if screen.earlier_open_claims
                else []
            ),  # fmt: skip
            self.form_card,
            card(visit_quotes_panel(t, quotes, self._open_quote), "visit-quotes"),
            card(
                claims_panel(self.ctx, t("visit.claims"), screen.claims, self.load, on_add=self._add_claim),
                "visit-claims",
            ),
            card(self._comments(screen), "visit-comments"),
        ]
        self.ctx.refresh()
        if any(line.unread for line in screen.comments):  # shown once as new: read from now on
            await self.ctx.call(mark_thread_read, self.ctx.session, self.visit_id)

    async def after_round(self) -> None:
        """A sync round ended: it may have brought the manager's comment or a quote's new
        status. Drawn again only when the visit changed; what the seller typed in the form
        or the thread's box and has not saved stays (see `load`)."""
        try:
            screen = await self.ctx.call(visit_screen, self.ctx.session, self.visit_id)
            quotes = await self.ctx.call(quotes_for_visit, self.ctx.session, self.visit_id)
        except DomainError:  # no longer on the device: `load` says so on the page
            screen, quotes = None, None
        if screen is None or (screen, quotes) != self._read:
            await self.load()

    def _comments(self, screen: VisitScreen) -> ft.Control:
        """The thread: addenda, the manager's comments, replies; after check-out, a box to add one."""
        t = self.ctx.t

        async def add(text: str) -> bool:
            return await self._act(add_addendum, self.visit_id, text, message_key="visit.addendum_saved")

        closed = screen.visit.checked_out_at is not None
        heard = any(line.comment.author_login != self.ctx.session.login for line in screen.comments)
        return thread_panel(
            t,
            screen.comments,
            self.ctx.session.login,
            box_label=(t("visit.reply") if heard else t("visit.addendum")) if closed else None,
            button_label=t("visit.addendum_save"),
            on_write=add,
            box_id="visit-addendum",
            send_id="visit-addendum-save",
            draft=self._draft,
        )

    async def _act(self, service, *args, message_key: str | None = None, **kwargs) -> bool:
        try:
            await self.ctx.call(service, self.ctx.session, *args, **kwargs)
        except Exception as exc:
            self.ctx.toast(explain(self.ctx.t, exc), error=True)
            return False
        if message_key:
            self.ctx.toast(self.ctx.t(message_key))
        await self.load()
        return True

    async def _save(self, _event=None) -> None:
        await self._act(save_visit, self.visit_id, **self.form.values(), message_key="visit.saved")

    async def _check_in(self, _event=None) -> None:
        assert self.screen is not None
        # Where the seller stands, if the device says so within a moment; never a wait.
        location = await self.ctx.location.current()
        if await self._act(check_in, self.screen.visit.customer_code, visit_id=self.visit_id, location=location):
            t = self.ctx.t
            self.ctx.toast(
                t("visit.checked_in_where", where=location_words(t, location))
                if location
                else t("visit.checked_in_no_location")
            )

    async def _check_out(self, _event=None) -> None:
        # Keep what was typed before closing: a check-out must not lose the notes.
        if await self._act(save_visit, self.visit_id, **self.form.values()):
            await self._act(check_out, self.visit_id, message_key="visit.checked_out")

    async def _open_customer(self, _event=None) -> None:
        assert self.screen is not None
        await self.ctx.go(f"/customer/{self.screen.visit.customer_code}")

    async def _observation(self, _event=None) -> None:
        assert self.screen is not None
        await self.ctx.go(f"/observation/{self.screen.visit.customer_code}?visit={self.visit_id}")

    async def _opportunity(self, _event=None) -> None:
        assert self.screen is not None

        async def saved(_opportunity) -> None:
            pass  # the visit shows no opportunity: nothing to redraw under the seller's finger

        open_opportunity_editor(self.ctx, self.screen.visit.customer_code, saved)

    async def _quote(self, _event=None) -> None:
        assert self.screen is not None
        await self.ctx.open_quote_builder(self.screen.visit.customer_code, self.visit_id)

    def _open_quote(self, quote_id: str):
        async def open_quote(_event=None) -> None:
            await self.ctx.go(f"/quote/{quote_id}")

        return open_quote

    async def _add_claim(self, _event=None) -> None:
        open_claim_dialog(self.ctx, self.visit_id, self.load)


def open_visit_fix(ctx: AppContext, change: RefusedChange, on_fixed: Callable[[], Awaitable[None]]) -> None:
    """The visit's fields, filled with what the server refused; saving sends the fix."""
    form = VisitForm(ctx.t)
    assert isinstance(change.record, Visit)
    form.fill(change.record)

    async def send() -> None:
        await ctx.call(fix_visit, ctx.session, change.issue_id, **form.values())

    open_fix_dialog(ctx, ctx.t("fix.visit_title"), form.controls("fix-visit"), form.fields, send, on_fixed)
