"""The sign-in view survives being replaced while a sign-in is still running: signing out and
in as another user in the same window once crashed with "'NoneType' object has no attribute
'visible'" when the finished sign-in reached for a control the page had dropped."""

import asyncio
import gc

from client.i18n import Translator
from client.ui.sign_in_view import SignInView


def test_a_sign_in_that_finishes_after_its_view_left_the_page_does_not_crash():
    answers: list[tuple[str, str]] = []

    async def submit(login: str, password: str) -> str | None:
        answers.append((login, password))
        gc.collect()  # the dropped view's wrappers are gone, as after a sign-out
        return "Wrong password"

    view = SignInView(Translator("en"), submit, login="ana.garcia")
    view.build()  # built, never shown on a page (or already replaced)
    view.password.value = "secret"
    asyncio.run(view._submit())
    assert answers == [("ana.garcia", "secret")]
    assert (view.error.value, view.busy_row.visible, view.button.disabled) == ("Wrong password", False, False)


def test_an_empty_form_says_what_is_missing():
    view = SignInView(Translator("es"), lambda _l, _p: None, login="")  # type: ignore[arg-type, return-value]
    asyncio.run(view._submit())
    assert view.error.value == Translator("es")("sign_in.missing")


def _texts(control) -> list[str]:
    found = [control.value] if hasattr(control, "value") and isinstance(control.value, str) else []
    for child in [getattr(control, "content", None), *getattr(control, "controls", [])]:
        if child is not None:
            found += _texts(child)
    return found


def test_the_reason_for_being_back_is_said_on_the_screen_and_only_when_there_is_one():
    reason = Translator("es")("sync.failure.device_revoked")
    with_notice = SignInView(Translator("es"), lambda _l, _p: None, notice=reason).build()  # type: ignore[arg-type, return-value]
    without = SignInView(Translator("es"), lambda _l, _p: None).build()  # type: ignore[arg-type, return-value]
    assert reason in _texts(with_notice) and reason.startswith("Tu administrador")
    assert reason not in _texts(without)
    assert len(with_notice.controls) == len(without.controls) + 1
