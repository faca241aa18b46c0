"""`course serve` under a base URL (`c.ServeSettings.base_url`, as behind a proxy), in Chromium:
a learner's card link, the catalogue, a lesson and « Se déconnecter » stay under it (her session
cookie too), on a preheated kernel that finds its request under the base URL; the trainer's
link, printed by `course serve`, opens the trainer's space under it."""

from __future__ import annotations

import pytest
from browser_server import Server
from browser_support import make_site, open_page
from support.spaces import save_site_settings

from course.server.serve import announce
from course.settings import Project

pytestmark = pytest.mark.browser

BASE = "/hub/services/site-brest/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("proxy") / "projet", learners=("Alice",))
    config = site.project.root / "nbgrader_config.py"
    with config.open("a", encoding="utf-8") as file:
        file.write(f'\nc.ServeSettings.base_url = "{BASE}"\n')
    site.project = Project(site.project.root)
    save_site_settings(site.project)  # past the first visit's settings
    return site


@pytest.fixture(scope="module")
def server(site):
    server = Server(site.project, pool_size=1)
    server.base += BASE.rstrip("/")  # the server's own addresses, under the base URL
    try:
        yield server.start()
    finally:
        server.stop()


def test_a_learner_and_the_trainer_under_a_base_url(server, site, context, guard):
    home = server.url(token=site.token("Alice"))
    assert home.startswith(f"http://127.0.0.1:{server.port}{BASE}voila/render/")
    page = open_page(context, home, guard)  # the catalogue, on its preheated kernel
    assert page.get_by_role("button", name="Se déconnecter").is_visible()
    # The server sets the cookie when the page hands it the new session, just after drawing.
    for _ in range(50):
        session = next((c for c in context.cookies() if c["name"] == "atelier_session"), None)
        if session:
            break
        page.wait_for_timeout(200)
    assert session is not None and session["path"] == BASE and session["httpOnly"]

    page.locator(".cq-page a.cq-link[href$='lesson.ipynb']").first.click()
    page.wait_for_url(f"**{BASE}voila/render/*/lesson.ipynb")
    page.wait_for_selector(".cq-page")
    assert page.get_by_role("button", name="Se déconnecter").is_visible()  # still her
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"**{BASE}voila/render/index.ipynb")
    assert "atelier_session" not in page.evaluate("document.cookie")

    said = announce(site.project, "127.0.0.1", server.port)
    assert said.room == f"http://127.0.0.1:{server.port}{BASE.rstrip('/')}"
    assert said.trainer_link.startswith(f"http://127.0.0.1:{server.port}{BASE}atelier/connexion?")
    space = context.new_page()
    space.goto(said.trainer_link)
    assert space.url == f"http://127.0.0.1:{server.port}{BASE}atelier/"
    assert space.get_by_role("heading", name="Les ateliers du jour").is_visible()
    guard.check()
