"""Usable with a magnified screen, in Chromium: at 200 % zoom and at 320 px wide (what 400 %
zoom leaves), nothing scrolls sideways and every control stays inside the screen.
Full-page screenshots are kept in test-artifacts/ for a person to look at."""

from __future__ import annotations

import pytest
from browser_support import (
    Guard,
    Server,
    make_site,
    new_context,
    open_many,
    open_page,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

MODULE = "proteger-ses-donnees"
# 200 % zoom of a 1280 x 900 window; 320 px is WCAG's reflow width (1280 px at 400 %).
SCREENS = {
    "zoom-200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
    "largeur-320": {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 1},
}

OUTSIDE_THE_SCREEN = """() => {
  const width = window.innerWidth;
  const bad = [];
  if (document.documentElement.scrollWidth > width)
    bad.push(['page', document.documentElement.scrollWidth, width]);
  const selector = 'button, input, textarea, select, a.cq-link, label.cq-choice, legend, h1, h2, ' +
    'fieldset, .cq-panel, .cq-card, .cq-banner, p';
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('.cq-invisible')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if (box.left < -1 || box.right > width + 1)
      bad.push([el.tagName, (el.textContent || '').trim().slice(0, 40),
                Math.round(box.left), Math.round(box.right)]);
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(
        tmp_path_factory.mktemp("zoom") / "projet", learners=("Alice",), release=[MODULE]
    )


@pytest.fixture(scope="module")
def server(site):
    server = Server(site.project, pool_size=0).start()
    yield server
    server.stop()


@pytest.fixture
def guard():
    guard = Guard()
    yield guard
    guard.check()


def check_fits(page, where: str) -> None:
    assert page.evaluate(OUTSIDE_THE_SCREEN) == [], where
    for button in page.get_by_role("button").all():
        if button.is_visible():
            button.scroll_into_view_if_needed()
            box = button.bounding_box()
            assert box["height"] >= 44 and box["x"] >= 0, (where, button.inner_text())


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


def test_every_module_fits_320_px(server, site, guard):
    """Module content (long words, web addresses, simulations) must wrap at 320 px too."""
    context = new_context(guard, **SCREENS["largeur-320"])
    token = site.token("Alice")
    urls = []
    for m in site.project.catalogue.modules:
        urls += [
            server.url(f"{m.id}/lesson.ipynb", token),
            server.url(f"{m.id}/evaluation.ipynb", token),
        ]
    for url, page in open_many(context, urls, guard):
        where = url.rsplit("/render/", 1)[1].split("?")[0]
        assert page.locator(".cq-question").count() > 0, where
        check_fits(page, where)
        screenshot(page, "largeur-320-" + where.replace("/", "-").removesuffix(".ipynb"))
    context.close()
