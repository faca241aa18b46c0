"""Usable with a magnified screen, in Chromium: at 200 % zoom and at 320 px wide (what 400 %
zoom leaves), nothing scrolls sideways and every control stays inside the screen.
Full-page screenshots are kept in test-artifacts/ for a person to look at. (Every module's
pages are also checked at 320 px in test_browser_pages.py.)"""

from __future__ import annotations

import pytest
from browser_support import (
    check_fits,
    new_context,
    open_page,
    screenshot,
    served,
    sign_in,
)

pytestmark = pytest.mark.browser

MODULE = "proteger-ses-donnees"
# 200 % zoom of a 1280 x 900 window; 320 px is WCAG's reflow width (1280 px at 400 %).
SCREENS = {
    "zoom-200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
    "largeur-320": {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 1},
}


# One site and server with test_browser_identity.py (Alice and Bob, the module released).
site, server, module = served("zoom", release=(MODULE,), module=MODULE, shared=True)


@pytest.mark.slow
@pytest.mark.parametrize("screen", SCREENS)
def test_catalogue_sign_in_and_evaluation_fit_the_screen(server, site, guard, screen):
    context = new_context(guard, **SCREENS[screen])
    page = open_page(context, server.url(), guard)
    check_fits(page, "catalogue")
    screenshot(page, f"{screen}-catalogue")
    sign_in_url = server.url(f"{MODULE}/evaluation.ipynb")
    page = open_page(context, sign_in_url, guard)
    check_fits(page, "connexion")
    sign_in(page, "Alice", site.codes["Alice"])
    check_fits(page, "évaluation")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.locator(".cq-panel").get_by_role("heading", name="Avant d'envoyer").wait_for()
    assert page.get_by_role("button", name="Oui, j'envoie").is_visible()
    check_fits(page, "confirmation")
    screenshot(page, f"{screen}-evaluation")
    page = open_page(context, server.url(f"{MODULE}/lesson.ipynb", site.token("Alice")), guard)
    check_fits(page, "leçon")
    screenshot(page, f"{screen}-lecon")
    context.close()
