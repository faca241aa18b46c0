"""One laptop, one room, in Chromium: page views without a signed-in learner cannot fill the
memory. Kernels serving pages are capped (beyond, a French page says so), and a page nobody
signed in to pauses itself, says so in French, and its kernel is stopped; a signed-in page is
never paused."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from browser_support import axe_violations, make_site, new_context, open_page, running
from support.project import configured

pytestmark = pytest.mark.browser

CAP, PAUSE_AFTER = 2, 8


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("salle") / "projet", learners=("Alice",))
    site.project = configured(
        site.project,
        f"c.ServeSettings.max_page_kernels = {CAP}",
        f"c.ServeSettings.anonymous_seconds = {PAUSE_AFTER}",
    )
    return site


@pytest.fixture(scope="module")
def server(site):
    yield from running(site.project, pool_size=0)


def kernels(server) -> int:
    return server.kernel_count()


@pytest.mark.slow
def test_cap_then_pause_then_room_again(server, site, context, guard):
    module = site.project.catalogue.modules[0]
    alice = new_context(guard)  # her own browser: this one stays without a session
    signed = open_page(alice, server.url(token=site.token("Alice")), guard)
    lesson = open_page(context, server.url(f"{module.id}/lesson.ipynb"), guard)
    assert kernels(server) == CAP
    assert server.kernel_count(forked_only=True) == CAP  # forked from the zygote

    # The room is full: a French page, no kernel started.
    with pytest.raises(urllib.error.HTTPError) as full:
        urllib.request.urlopen(server.url())
    assert full.value.code == 503
    page = context.new_page()
    page.goto(server.url())
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.get_by_role("heading", name="Trop de pages sont ouvertes").is_visible()
    assert page.get_by_role("button", name="Recharger la page").is_visible()
    assert axe_violations(page) == []
    assert kernels(server) == CAP

    # The page nobody signed in to pauses, says so (and nothing else), and its kernel stops.
    lesson.get_by_role("heading", name="Cette page s'est mise en pause").wait_for(
        timeout=(PAUSE_AFTER + 20) * 1000
    )
    deadline = time.time() + 20
    while kernels(server) > 1 and time.time() < deadline:
        time.sleep(0.3)
    assert kernels(server) == 1
    lesson.wait_for_timeout(3000)
    assert lesson.locator("#cq-connection").is_hidden()  # no « connexion perdue » over it
    assert axe_violations(lesson) == []

    # Room again; and the signed-in page, older than the pause, is still alive.
    page.reload()
    page.locator(".cq-signin").wait_for()
    assert signed.get_by_text("Bonjour Alice.").is_visible()
    assert signed.locator(".cq-paused").count() == 0
    assert kernels(server) == 2
    alice.close()
