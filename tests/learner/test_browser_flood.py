"""Anonymous page loads cannot take the pages of signed-in learners: a bounded burst of page
requests without any session, from this computer (127.0.0.1 only), fills the small quota of
anonymous pages; beyond it a visitor is sent to the sign-in form served without a kernel, while
a learner with an open session, or with an unused card link, still gets her page in Chromium,
and one with neither signs in on that form and gets hers. When the kernels themselves are all
taken, the refusal is French."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from browser_support import axe_violations, make_site, new_context, open_page, running
from support.project import configured

from course.access.sessions import COOKIE, SignInSessions

pytestmark = pytest.mark.browser

CAP, ANONYMOUS, BURST = 5, 2, 8


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = make_site(
        tmp_path_factory.mktemp("afflux") / "projet", learners=("Alice", "Bob", "Chloé")
    )
    site.project = configured(
        site.project,
        f"c.ServeSettings.max_page_kernels = {CAP}",
        f"c.ServeSettings.max_anonymous_pages = {ANONYMOUS}",
        "c.ServeSettings.anonymous_seconds = 120",
    )
    return site


@pytest.fixture(scope="module")
def server(site):
    yield from running(site.project, pool_size=0)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def anonymous_load(url: str) -> tuple[int, str]:
    """The status of one page load without a session, and where a redirect sends it."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=120) as reply:
            reply.read()
            return reply.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


@pytest.mark.slow
def test_an_anonymous_flood_leaves_the_signed_in_learners_their_pages(server, site, guard):
    assert server.base.startswith("http://127.0.0.1:")
    loads = [anonymous_load(server.url()) for _ in range(BURST)]
    statuses = [status for status, _ in loads]
    assert statuses.count(200) == ANONYMOUS and statuses.count(302) == BURST - ANONYMOUS
    assert all(where.startswith("/entrer?suite=") for status, where in loads if status == 302)
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
    # Chloé has neither: the sign-in form, served without a kernel, then her page.
    chloe = new_context(guard)
    page = chloe.new_page()
    reply = page.goto(server.url())
    assert reply is not None and reply.status == 200
    assert page.get_by_role("heading", name="Se connecter").is_visible()
    assert server.kernel_count() == ANONYMOUS + 2  # Alice's and Bob's pages, no more
    assert axe_violations(page) == []
    page.get_by_label("Votre prénom").fill("Chloé")
    page.get_by_label("Le code de votre carte").fill("faux code")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Votre prénom").input_value() == "Chloé"  # kept, said in French
    page.get_by_label("Le code de votre carte").fill(site.codes["Chloé"])
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Bonjour Chloé.").wait_for(timeout=120_000)
    assert "/voila/render/" in page.url
    # Now every kernel is taken: a new page is refused in French (no form: no room after it).
    refused = new_context(guard)
    page = refused.new_page()
    reply = page.goto(server.url())
    assert reply is not None and reply.status == 503
    assert page.get_by_role("heading", name="Trop de pages sont ouvertes").is_visible()
    for context in (alice, bob, chloe, refused):
        context.close()
