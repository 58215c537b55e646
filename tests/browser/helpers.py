"""Driving the Flet web build in Chromium: selectors, typing, waiting, screenshots.

Flutter draws on a canvas; its accessibility tree is what Playwright reads. The recipes
here were verified on these machines (see TESTING.md and FLET.md).
"""

import itertools
import os
import platform
import threading
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from client.services.session import sign_in as sign_in_on_device
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from tests.ports import free_port

ARTIFACTS = Path(os.environ.get("TERRENO_TEST_ARTIFACTS", "test-artifacts")) / "screenshots"
CHROMIUM = os.environ.get("TERRENO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ServerThread:
    """An ASGI app served by uvicorn in a daemon thread on a free loopback port."""

    def __init__(self, app, port: int | None = None) -> None:
        # A fixed port lets a test stop the sync server and start it again at the same address.
        self.port = port or free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", ws="websockets-sansio")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "ServerThread":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class StoppableServer:
    """An ASGI app (the sync server) on a fixed loopback port that a test stops and starts again."""

    def __init__(self, app) -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread: ServerThread | None = None

    def start(self) -> None:
        self.thread = ServerThread(self.app, port=self.port).__enter__()

    def stop(self) -> None:
        if self.thread is not None:
            self.thread.__exit__(None, None, None)
            self.thread = None


def sid(page: Page, identifier: str) -> Locator:
    """Locator of a control wrapped in ft.Semantics(identifier=...)."""
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def navigate(page: Page, label: str) -> None:
    """Tap a destination: a tab of the bottom bar in portrait (on a phone, under "More" when it
    is not in the bar), a button of the rail in landscape."""
    tab = page.get_by_role("tab", name=label, exact=True)
    more = page.get_by_role("tab", name="More", exact=True)
    if tab.count():
        tab.click()
    elif more.count():
        more.click()
        sid(page, "more-sheet").get_by_text(label, exact=True).first.click()
    else:
        sid(page, "navigation").get_by_text(label).first.click()


# Flutter builds its accessibility tree only once the off-screen placeholder is clicked. A
# field that takes the focus by itself (autofocus) before that is edited through a hidden
# input the tree never sees: clicking the field's node then never focuses it. So the page
# clicks the placeholder the moment it exists, before the app draws its first screen.
_SEMANTICS_AT_ONCE = """
new MutationObserver((_, observer) => {
  const placeholder = document.querySelector('flt-semantics-placeholder');
  if (placeholder) {
    observer.disconnect();
    placeholder.click();
    window.__terrenoSemanticsOn = true;
  }
}).observe(document, {childList: true, subtree: true});
"""


def open_app(page: Page, url: str) -> float:
    """Load the app with Flutter's accessibility tree on from the start; seconds taken."""
    if not getattr(page, "semantics_at_once", False):
        page.add_init_script(_SEMANTICS_AT_ONCE)
        page.semantics_at_once = True  # type: ignore[attr-defined]
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function("() => window.__terrenoSemanticsOn === true", timeout=60_000)
    return time.perf_counter() - started


def type_into(page: Page, field: Locator, text: str, by_key: bool = False) -> None:
    """Replace a text field's content and check Flutter got all of it.

    fill() often never reaches Flutter, and the first keys typed right after a click can
    be lost while Flutter activates its editor: so click, wait for focus, enter, verify.
    On a loaded machine (a CI run with other tests around it) the engine can take seconds
    to answer the first click of a page: later tries wait longer.

    Flutter's web engine reads the keys of its accessibility <input> only once the app has
    made that field its editor: the input's DOM focus sends Flutter a "focus" action, and
    the editor is tied to the field at the next frame. Keys typed before then stay in the
    DOM, and the editor's first state (the app's value) then overwrites them: the field
    empties a moment after typing. And an input the browser still holds focused, while
    Flutter's editor has moved on, never gets a new focus event from a click. So each try
    lets frames pass after the focus, checks the text again after it, and a try after a
    failed one first takes the focus away (Tab, then blur) so the click is a new focus.

    The text but its last character arrives as one input event, as a keyboard's suggestion or
    a paste does, and the last as a key: typed key by key (`by_key`), Flutter redraws the
    canvas at every key, about 0.07 CPU seconds a character in software rendering (a
    27-character login: 2.1 CPU-s against 0.34).
    The sign-in screen and the seller's day still type key by key.
    """
    tries: list[str] = []
    for attempt in range(6):
        if attempt:
            let_go(page, field)
            page.wait_for_timeout(250 * attempt)
        field.click()
        try:
            # A screen that re-renders just then (a list loading) can take the focus back.
            expect(field).to_be_focused(timeout=3_000 + 1_000 * attempt)
        except AssertionError:
            tries.append("not focused")
            continue
        frames(page, 3)  # the focus action reaches the app, and its editor takes the field
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        if by_key:
            page.keyboard.type(text)
        else:  # the last character as a key: once, a field entered wholly at once lost its text on Tab
            page.keyboard.insert_text(text[:-1])
            page.keyboard.type(text[-1:])
        try:
            expect(field).to_have_value(text, timeout=1_000 + 500 * attempt)
        except AssertionError:
            tries.append(f"focused, then held {field.input_value()!r}")
            continue
        frames(page, 3)
        held = field.input_value()
        if held == text:
            return
        tries.append(f"typed, then {held!r} a moment later")
    raise AssertionError(f"could not type {text!r}; the field has {field.input_value()!r}; tries: {tries}")


def let_go(page: Page, field: Locator) -> None:
    """Take the focus away from `field`, as a keyboard user would (Tab), so that the next
    click on it is a new focus, which Flutter's editor answers (see type_into). Not also a
    script's blur(), which no user does: two runs hung with the renderer at 100 % CPU in the
    nights this helper blurred (the cause was not found; none before it did)."""
    try:
        focused = field.count() == 1 and field.evaluate("e => e === document.activeElement", timeout=5_000)
    except PlaywrightError:  # redrawn away just then: it holds no focus to let go of
        return
    if focused:
        page.keyboard.press("Tab")
        frames(page, 2)


def frames(page: Page, count: int, timeout: int = 2_000) -> None:
    """Let the page draw `count` frames (Flutter handles what came in at the next one); at
    most `timeout` ms, for a page that draws no frames (hidden, or not drawing just now).

    Only a wait with a timeout talks to the page here: page.evaluate has none, and a
    renderer busy at 100 % CPU held a whole run on one (twice, both times under load). The
    predicate runs at every animation frame (polling "raf") and counts its own calls."""
    key = f"__terrenoFrames{next(_FRAME_WAITS)}"  # a counter of its own for each wait
    try:
        page.wait_for_function(
            "([key, count]) => (window[key] = (window[key] || 0) + 1) > count",
            arg=[key, count],
            polling="raf",
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        pass


_FRAME_WAITS = itertools.count(1)


def sign_in(page: Page, url: str, login: str, password: str) -> None:
    """Open the app, sign in, and wait for Today (after the first sync, if there is one)."""
    open_app(page, url)
    type_into(page, page.get_by_role("textbox", name="Login"), login, by_key=True)
    type_into(page, page.get_by_role("textbox", name="Password"), password, by_key=True)
    leave_field(page)  # seen under load: "Sign in" reached the app before the password did
    page.get_by_role("button", name="Sign in").click()
    wait_text(page, "today-title", "Today", timeout=120_000)


def open_signed_in(page: Page, url: str, login: str, password: str, device: ClientSettings | None = None) -> None:
    """Sign in and run the first sync through the app's own services (what its sign-in screen
    calls, against the real server), then open the app, which resumes that session at Today.

    For tests whose subject comes after the sign-in: walking the sign-in screen and drawing
    the first sync's progress cost a browser test about 10 CPU seconds each time (typing into
    a canvas redraws it at every key). tests/browser/test_sign_in_portfolio.py and the
    seller's day still walk them. `device` is the app's settings (its server and device
    folder); by default the tab's own (`page.device`, set by the fixtures that open tabs).
    """
    device = device or page.device  # type: ignore[attr-defined]
    session = sign_in_on_device(device, login, password, f"Terreno on {platform.node() or 'device'}")
    try:
        sync_now(session)
    finally:  # closed, not signed out: the app reopens it from the device folder
        session.api.close()
        session.store.close()
    open_app(page, url)
    wait_text(page, "today-title", "Today", timeout=120_000)


def search_customer(page: Page, label: str, customer: str, one: str, by_key: bool = False) -> None:
    """Type the customer into the portfolio's search box labelled `label` until the count
    says `one` (1 of 1). Seen about once in five full runs, always upright (800×1280,
    390×844), three tries in a row each time: the field empties a moment after typing and
    the count never changes. The likeliest cause is Flutter's web editor (see type_into):
    keys reach the browser's input before the app has tied its editor to it, and a click on
    an input the browser still holds focused sends Flutter no new focus. So a try after a
    failed one lets go of the field first; the count, not the input, says the app got it."""
    field = page.get_by_role("textbox", name=label)
    seen: list[str] = []
    for attempt in range(3):
        last = attempt == 2
        if attempt:
            let_go(page, field)
        type_into(page, field, customer, by_key=by_key or last)
        try:
            wait_text(page, "customer-count", one, timeout=10_000 + 5_000 * attempt)
            return
        except PlaywrightTimeoutError:
            # What the seller would see, for the failure's message: the field and the count.
            count = sid(page, "customer-count")
            said = count.first.text_content() or count.first.get_attribute("aria-label") if count.count() else None
            held = field.input_value() if field.count() else "(no field)"
            shot(page, f"search-{customer[:12]}-try{attempt}")
            seen.append(f"field {held!r}, count {said!r}")
            continue
    raise AssertionError(f"the portfolio never showed {one!r} for {customer!r}: {'; '.join(seen)}")


def open_customer(page: Page, customer: str) -> None:
    """From anywhere in the English app: the portfolio, the customer found, her page.

    The row is tapped only once the search has filtered the list down to her: a tap on a row
    the search is redrawing opens nothing."""
    navigate(page, "Portfolio")
    wait_text(page, "customer-count", "Showing")
    search_customer(page, "Search customers", customer, "Showing 1 of 1 customer")
    tap_until(page, sid(page, f"customer-{customer}"), "timeline")


def tap_until(page: Page, target: Locator, identifier: str, needle: str = "", tries: int = 3) -> None:
    """Tap `target` until the tagged control `identifier` shows `needle`: a tap on a control
    that a late load redraws just then did nothing (seen on the portfolio and the visit under
    load), and a seller taps again. The quote builder's buttons, the portfolio's rows, Today's
    visits and the visit's buttons are now kept across redraws (`tagged(..., kept=True)`,
    tested without a browser in `tests/client/ui/test_taps_kept.py`); the quote's save is
    tapped once. A tap that did work but is slow leaves `target` gone."""

    def tap(_attempt: int) -> None:
        if target.count():
            try:
                target.click(timeout=5_000)
            except PlaywrightError:
                pass  # redrawn away between the count and the tap: look, then tap again

    if not again_until(page, tap, identifier, needle, tries):
        raise AssertionError(f"tapping {target} never showed {needle!r} in {identifier}")


def close_dialog(page: Page, close: str, content: str) -> None:
    """Tap the dialog's `close` button and wait until its `content` is gone: a tap on the
    screen beneath while the dialog is still leaving lands on its barrier (seen once: "Send"
    tapped just after the PDF preview's "Close" did nothing)."""
    sid(page, close).click()
    expect(sid(page, content)).to_have_count(0, timeout=10_000)


def again_until(page: Page, act: Callable[[int], None], identifier: str, needle: str, tries: int = 3) -> bool:
    """`act(attempt)`, then wait for `needle` in the tagged control `identifier`, longer at
    each try; True once it shows, False after `tries`."""
    for attempt in range(tries):
        act(attempt)
        try:
            wait_text(page, identifier, needle, timeout=10_000 + 10_000 * attempt)
            return True
        except PlaywrightTimeoutError:
            continue
    return False


def turn(page: Page, width: int, height: int) -> None:
    """Resize the tab and wait until the app has re-framed the screen (bar below in portrait,
    rail at the side in landscape): a control found before that is gone a moment later."""
    page.set_viewport_size({"width": width, "height": height})
    tabs = page.get_by_role("tab")  # the bottom bar's destinations; the rail's are buttons
    if width > height:
        expect(tabs).to_have_count(0, timeout=30_000)
    else:
        expect(tabs).not_to_have_count(0, timeout=30_000)


def leave_field(page: Page) -> None:
    """Tab out of the field just typed into and let its value reach the app before a save
    button is tapped: a click right on the last keystroke once reached the app first (CI, a
    claim's quantity lost). A finger takes longer than this between typing and tapping."""
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)


def wait_text(page: Page, identifier: str, needle: str, timeout: int = 30_000) -> float:
    """Wait (every frame) until the tagged control's text contains `needle`; seconds taken.

    A panel's words may sit in aria-labels (Flutter merges a group's texts into its label),
    so those count as text too.
    """
    started = time.perf_counter()
    page.wait_for_function(
        """([id, needle]) => {
            const el = document.querySelector(`[flt-semantics-identifier="${id}"]`);
            if (!el) return false;
            const labels = [el, ...el.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label') || '');
            return (el.textContent + ' ' + labels.join(' ')).includes(needle);
        }""",
        arg=[identifier, needle],
        polling=100,
        timeout=timeout,
    )
    return time.perf_counter() - started


def shot(page: Page, name: str) -> Path:
    """Screenshot once the canvas has caught up with the accessibility tree; fails if the
    screen shows Flutter's red error box."""
    frames(page, 2)
    page.wait_for_timeout(200)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    red = error_box_pixels(path)
    assert red < ERROR_BOX_PIXELS, f"{path} shows Flutter's red error box ({red} pixels): a control it cannot draw"
    return path


ERROR_BOX_PIXELS = 300
"""Pixels of the error box's red that mean one is drawn: the smallest box, one line of its
message, has some 6,000; no screen of the app uses that red (Material red 500)."""


def error_box_pixels(path: Path) -> int:
    """How many pixels of the screenshot have the red of the box Flutter draws in place of
    a control it cannot draw (a hidden control inside a tag, say); its text is not in the
    accessibility tree, so only the picture tells."""
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(rgb.width * rgb.height) or []
    return sum(n for n, (r, g, b) in colours if abs(r - 244) < 8 and abs(g - 67) < 10 and abs(b - 54) < 10)
