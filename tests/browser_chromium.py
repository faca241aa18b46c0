"""Debian's Chromium for the browser tests, and the network guard every context gets.

- `chromium()` launches Chromium once per test session (a missing browser is a failure, never a
  skip: CI installs it with scripts/test.sh); `new_context` and `profile` open a context in it.
- `Guard` blocks every request that would leave the machine (HTTP and WebSocket, matched in the
  browser) and records it; `guard.check()` fails the test on any attempt. Chromium's own
  background traffic is switched off, and host names other than loopback resolve to nothing,
  so even a request that slipped past the routes could not hang on an outside address.
"""

from __future__ import annotations

import atexit
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--dns-prefetch-disable",
    "--no-first-run",
    "--no-pings",
    "--lang=fr-FR",
    # Any name but the loopback resolves to nothing: nothing can reach (or wait for) the outside.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
# Everything that is not loopback, data:, blob: or about: (matched inside the browser).
OUTSIDE = re.compile(
    r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:/|$))"
    r"(?!data:|blob:|about:)"
)


# --- Chromium, once per session ------------------------------------------------------------

_session: dict = {}


def chromium():
    """The session's Chromium (launched on first use, closed when the tests end)."""
    if "browser" not in _session:
        if not Path(CHROMIUM).is_file():
            pytest.fail(
                f"Chromium is missing ({CHROMIUM}): install Debian's `chromium` "
                "(scripts/test.sh does) or set CHROMIUM. Browser tests never skip."
            )
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _session["playwright"] = playwright
        _session["browser"] = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        atexit.register(_close_chromium)
    return _session["browser"]


def launch(executable: str):
    """Another Chromium from the session's Playwright: `executable` runs Debian's Chromium some
    other way (e.g. inside a network namespace); the caller closes it."""
    chromium()
    return _session["playwright"].chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def _close_chromium() -> None:
    browser, playwright = _session.pop("browser", None), _session.pop("playwright", None)
    try:
        if browser:
            browser.close()
        if playwright:
            playwright.stop()
    except Exception:
        pass


# --- Network guard --------------------------------------------------------------------------


@dataclass
class Guard:
    attempts: list[str] = field(default_factory=list)

    def install(self, context) -> None:
        context.route(OUTSIDE, self._block)
        context.route_web_socket(OUTSIDE, self._block_socket)

    def _block(self, route) -> None:
        self.attempts.append(route.request.url)
        route.abort("blockedbyclient")

    def _block_socket(self, socket) -> None:
        self.attempts.append(socket.url)
        socket.close()

    def check(self) -> None:
        assert not self.attempts, f"requests tried to leave the machine: {self.attempts}"


def profile(guard: Guard, user_data_dir: Path, **options):
    """A browser profile on disk, as on a shared computer: cookies, storage and history kept
    between people (`Default/History` can be read once it is closed)."""
    chromium()
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("locale", "fr-FR")
    context = _session["playwright"].chromium.launch_persistent_context(
        str(user_data_dir), executable_path=CHROMIUM, args=CHROMIUM_ARGS, **options
    )
    context.set_default_timeout(45_000)
    context.set_default_navigation_timeout(90_000)
    guard.install(context)
    return context


def new_context(guard: Guard, **options):
    """A fresh browser context (own cookies and sessionStorage) with the guard installed."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("locale", "fr-FR")
    context = chromium().new_context(**options)
    # Generous: the test machine may be busy (2 cores, kernels starting in parallel).
    context.set_default_timeout(45_000)
    context.set_default_navigation_timeout(90_000)
    guard.install(context)
    return context
