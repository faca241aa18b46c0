"""A shared computer (a médiathèque's), in Chromium on a real `course serve`: what a learner or a
trainer leaves behind opens nothing for the next person.

- the learners' session cookie is set by the server: HttpOnly (no script reads it), SameSite
  Strict, without an expiry (closing the browser forgets it);
- a card link is spent whatever happens (even opened by the learner already signed in), and
  replayed from the history it only writes the first name and asks the code;
- after « Se déconnecter », the old cookie copied into another browser opens nothing;
- a session ends on the server after `idle_minutes` without activity (a tiny value here) and
  the page goes home by itself; activity on the page keeps it;
- the trainer's space: the same cookie flags, and an idle timeout.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from browser_support import (
    axe_violations,
    make_site,
    new_context,
    open_page,
    profile,
    running,
    wait_drawn,
)
from support.project import configured
from support.spaces import save_site_settings

from course.access.gate import Gate
from course.access.sessions import COOKIE, SignInSessions

pytestmark = pytest.mark.browser

IDLE = 15  # seconds, for learners: a page's activity reaches the server every 6 s or so
TRAINER_IDLE = 8  # seconds, for the trainer's space: its sign-in is one redirect, no kernel


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("partage") / "projet", learners=("Alice", "Bob"))
    site.project = configured(
        site.project,
        f"c.LearnerSessions.idle_minutes = {IDLE} / 60",
        f"c.TrainerAccess.idle_minutes = {TRAINER_IDLE} / 60",
    )
    save_site_settings(site.project)  # past the first visit's settings page
    return site


@pytest.fixture(scope="module")
def server(site):
    yield from running(site.project, pool_size=0)


def learner_cookie(context, wait: float = 15) -> dict | None:
    """The session cookie as the browser keeps it (the page sets it through the server, just
    after drawing: a moment later)."""
    deadline = time.time() + wait
    while True:
        found = next((c for c in context.cookies() if c["name"] == COOKIE), None)
        if found or time.time() > deadline:
            return found
        time.sleep(0.2)


def signed_out(page) -> bool:
    return (
        page.get_by_role("button", name="Entrer").is_visible()
        and page.get_by_role("button", name="Se déconnecter").count() == 0
    )


def session_state(server, value: str) -> int:
    """What the server answers a page asking whether this cookie's session is open."""
    request = urllib.request.Request(
        server.base + "/seance",
        data=b"action=etat",
        headers={"Cookie": f"{COOKIE}={value}", "X-Atelier-Page": "1"},
    )
    try:
        with urllib.request.urlopen(request) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_cookie_is_httponly_and_closing_the_browser_forgets_it(server, site, guard, tmp_path):
    card = server.url(token=site.token("Alice"))
    context = profile(guard, tmp_path / "profil")
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(card)
    wait_drawn(page)
    assert page.get_by_text("Bonjour Alice.").is_visible()
    cookie = learner_cookie(context)
    assert cookie is not None
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["expires"] == -1  # a browser-session cookie, not 400 days
    assert not cookie["secure"]  # plain HTTP here (HTTPS: tests/server/test_browser_https.py)
    assert COOKIE not in page.evaluate("document.cookie")  # no script reads it
    assert SignInSessions(site.project.data_dir).learner_id(cookie["value"]) == "alice"
    context.close()

    # The browser is closed, then opened again by the next person: nobody is signed in.
    context = profile(guard, tmp_path / "profil")
    assert learner_cookie(context, wait=0) is None
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(server.url())
    wait_drawn(page)
    assert signed_out(page) and "Alice" not in page.locator(".cq-page").inner_text()
    # The card link from the history: spent. It writes her first name and asks the code.
    page.goto(card)
    wait_drawn(page)
    assert page.locator(".cq-refused").filter(has_text="a déjà servi").is_visible()
    assert page.get_by_label("Votre prénom").input_value() == "Alice"
    assert signed_out(page)
    assert axe_violations(page) == []
    page.get_by_label("Votre code (sur votre carte)").fill(site.codes["Alice"])
    page.get_by_role("button", name="Entrer").click()
    page.get_by_role("button", name="Se déconnecter").wait_for()
    context.close()


def test_after_sign_out_the_old_cookie_and_the_card_link_open_nothing(server, site, guard):
    context = new_context(guard)
    page = open_page(context, server.url(), guard)
    page.get_by_label("Votre prénom").fill("Bob")
    page.get_by_label("Votre code (sur votre carte)").fill(site.codes["Bob"])
    page.get_by_role("button", name="Entrer").click()
    page.get_by_role("button", name="Se déconnecter").wait_for()
    cookie = learner_cookie(context)
    assert cookie is not None
    # Already signed in, Bob opens his card: the link is spent all the same.
    card = server.url(token=site.token("Bob"))
    page.goto(card)
    wait_drawn(page)
    assert page.get_by_text("Bonjour Bob.").is_visible()
    assert learner_cookie(context)["value"] == cookie["value"]  # the same session
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="Entrer").wait_for()
    assert learner_cookie(context, wait=0) is None
    stored = page.evaluate("[JSON.stringify(localStorage), JSON.stringify(sessionStorage)]")
    assert stored == ["{}", "{}"], stored
    assert session_state(server, cookie["value"]) == 401

    # The next person: the card link from the history only asks the code.
    page.goto(card)
    wait_drawn(page)
    assert page.locator(".cq-refused").filter(has_text="a déjà servi").is_visible()
    assert signed_out(page)
    context.close()
    # A copy of the old cookie in another browser opens nothing either.
    other = new_context(guard)
    other.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
    page = open_page(other, server.url(), guard)
    assert signed_out(page) and "Bob" not in page.locator(".cq-page").inner_text()
    other.close()


@pytest.mark.slow
def test_an_idle_session_ends_and_its_page_goes_home(server, site, guard):
    context = new_context(guard)
    page = open_page(context, server.url(token=site.token("Alice")), guard)
    assert page.get_by_text("Bonjour Alice.").is_visible()
    cookie = learner_cookie(context)
    assert cookie is not None
    # Activity on the page keeps the session open well past the idle time.
    started = time.time()
    while time.time() - started < IDLE * 1.6:
        page.keyboard.press("Tab")
        page.wait_for_timeout(3000)
    assert page.get_by_role("button", name="Se déconnecter").is_visible()
    assert session_state(server, cookie["value"]) == 200
    # Then nobody touches it: the server ends it, and the page goes home by itself.
    page.get_by_role("button", name="Entrer").wait_for(timeout=(IDLE + 40) * 1000)
    wait_drawn(page)
    assert signed_out(page) and "Alice" not in page.locator(".cq-page").inner_text()
    assert page.get_by_role("status").filter(has_text="Vous avez été déconnecté").is_visible()
    assert axe_violations(page) == []
    assert SignInSessions(site.project.data_dir).learner_id(cookie["value"]) is None
    assert learner_cookie(context, wait=0) is None  # the server cleared it too
    context.close()


def test_the_trainer_space_cookie_and_its_idle_timeout(server, site, guard):
    token = Gate(site.project, "trainer").issue_link_token()
    context = new_context(guard)
    page = context.new_page()
    page.goto(f"{server.base}/atelier/connexion?jeton={token}")
    assert page.get_by_role("heading", level=1).inner_text() == "Les ateliers du jour"
    cookie = next(c for c in context.cookies() if c["name"] == "atelier-trainer")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/atelier/" and cookie["expires"] == -1
    page.wait_for_timeout((TRAINER_IDLE + 3) * 1000)
    reply = page.goto(f"{server.base}/atelier/")
    assert reply is not None and reply.status == 403
    assert page.get_by_text("réservée").first.is_visible()
    # It says how to sign in again.
    assert page.get_by_role("link", name="page de connexion").get_attribute("href") == (
        "/atelier/connexion"
    )
    context.close()


def test_the_session_address_answers_only_this_servers_pages(server, site):
    """`/seance` sets a cookie only for a genuine session, from this server's own pages."""
    session = SignInSessions(site.project.data_dir).create("bob")

    def post(fields: str, headers: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(server.base + "/seance", data=fields.encode(),
                                         headers=headers)  # fmt: skip
        try:
            with urllib.request.urlopen(request) as reply:
                return reply.status, reply.headers.get("Set-Cookie", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Set-Cookie", "")

    page = {"X-Atelier-Page": "1"}
    assert post(f"action=ouvrir&jeton={session}", {})[0] == 403  # a form from anywhere
    elsewhere = {**page, "Origin": "http://ailleurs.example"}
    assert post(f"action=ouvrir&jeton={session}", elsewhere)[0] == 403
    assert post("action=ouvrir&jeton=" + "x" * 43, page)[0] == 401  # no such session
    assert post("action=nimporte", page)[0] == 400
    status, cookie = post(f"action=ouvrir&jeton={session}", {**page, "Origin": server.base})
    assert status == 200 and f"{COOKIE}={session}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "expires" not in cookie.lower() and "max-age" not in cookie.lower()
    ended = post("action=fin", {**page, "Cookie": f"{COOKIE}={session}"})
    assert ended[0] == 200 and SignInSessions(site.project.data_dir).learner_id(session) is None
