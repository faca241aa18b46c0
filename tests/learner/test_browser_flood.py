"""Anonymous page loads cannot take the pages of signed-in learners: a bounded burst of page
requests without any session, from this computer (127.0.0.1 only), fills the small quota of
anonymous pages and is refused in French, while a learner with an open session, or with an
unused card link, still gets her page in Chromium."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from browser_support import make_site, new_context, open_page, running

from course.access.sessions import COOKIE, SignInSessions

pytestmark = pytest.mark.browser

CAP, ANONYMOUS, BURST = 4, 2, 8


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from course.settings import Project

    site = make_site(tmp_path_factory.mktemp("afflux") / "projet", learners=("Alice", "Bob"))
    config = site.project.root / "nbgrader_config.py"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f"\nc.ServeSettings.max_page_kernels = {CAP}"
        + f"\nc.ServeSettings.max_anonymous_pages = {ANONYMOUS}"
        + "\nc.ServeSettings.anonymous_seconds = 120\n",
        encoding="utf-8",
    )
    site.project = Project(site.project.root)
    return site


@pytest.fixture(scope="module")
def server(site):
    yield from running(site.project, pool_size=0)


def anonymous_load(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=120) as reply:
            reply.read()
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_an_anonymous_flood_leaves_the_signed_in_learners_their_pages(server, site, guard):
    assert server.base.startswith("http://127.0.0.1:")
    statuses = [anonymous_load(server.url()) for _ in range(BURST)]
    assert statuses.count(200) == ANONYMOUS and statuses.count(503) == BURST - ANONYMOUS
    assert server.kernel_count() == ANONYMOUS  # refused loads started no kernel

    # Alice arrives with her card: a page, although anonymous visitors are refused.
    alice = new_context(guard)
    page = open_page(alice, server.url(token=site.token("Alice")), guard)
    assert page.get_by_text("Bonjour Alice.").is_visible()
    # Bob, signed in earlier on this browser (an open session): his page too.
    bob = new_context(guard)
    session = SignInSessions(site.project.data_dir).create("bob")
    bob.add_cookies([{"name": COOKIE, "value": session, "url": server.base + "/"}])
    page = open_page(bob, server.url(), guard)
    assert page.get_by_text("Bonjour Bob.").is_visible()
    # Still no room for one more anonymous page; the refusal is French.
    refused = new_context(guard)
    page = refused.new_page()
    reply = page.goto(server.url())
    assert reply is not None and reply.status == 503
    assert page.get_by_role("heading", name="Trop de pages sont ouvertes").is_visible()
    for context in (alice, bob, refused):
        context.close()
