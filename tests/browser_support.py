"""Support for the browser tests, in one import: each job has its own module.

- `browser_chromium`: Debian's Chromium once per session, contexts and profiles, the network
  guard;
- `browser_server`: throw-away sites, a real `course serve`, a test file's usual fixtures
  (`served`), a network that can be cut;
- `browser_pages`: opening a page until drawn, its questions, answering as a learner would;
- `browser_checks`: axe, reflow, screenshots.
"""

from __future__ import annotations

from browser_checks import ARTIFACTS, AXE_OPTIONS, axe_violations, check_fits, screenshot
from browser_chromium import CHROMIUM, CHROMIUM_ARGS, Guard, chromium, new_context, profile
from browser_pages import (
    FREE_TEXT,
    LATE,
    active,
    answer,
    expected_answer,
    kernel_id,
    keyboard_answer,
    open_many,
    open_page,
    question,
    sign_in,
    tab_until,
    wait_drawn,
    wait_saved,
)
from browser_server import (
    CuttableProxy,
    Server,
    Site,
    clean_dir,
    inbound_submissions,
    make_site,
    running,
    served,
)

__all__ = [
    "ARTIFACTS",
    "AXE_OPTIONS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "FREE_TEXT",
    "LATE",
    "CuttableProxy",
    "Guard",
    "Server",
    "Site",
    "active",
    "answer",
    "axe_violations",
    "check_fits",
    "chromium",
    "clean_dir",
    "expected_answer",
    "inbound_submissions",
    "kernel_id",
    "keyboard_answer",
    "make_site",
    "new_context",
    "open_many",
    "open_page",
    "profile",
    "question",
    "running",
    "screenshot",
    "served",
    "sign_in",
    "tab_until",
    "wait_drawn",
    "wait_saved",
]
