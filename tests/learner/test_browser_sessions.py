"""Signing in on a shared computer, in Chromium with one browser profile kept on disk: learner A
opens her card's link, works, presses « Se déconnecter »; learner B then uses the same profile,
and nothing of it (history, « Précédent », the home address, storage) lets him in as A. Also:
the sign-in form first on the home page, today's module first, axe on the signed-out page, and
odd `?cle=` links refused in French."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import (
    answer,
    axe_violations,
    open_many,
    open_page,
    profile,
    question,
    served,
    sign_in,
    wait_drawn,
)

pytestmark = pytest.mark.browser

MODULE = "proteger-ses-donnees"
TODAY = "verifier-une-information"


site, server, module = served("sessions", module=MODULE, focus=TODAY)


def session_cookie(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == "atelier_session"), None)


def signed_out(page) -> bool:
    """The page knows nobody: the sign-in form is there, no « Se déconnecter », no Alice."""
    text = page.locator(".cq-page").inner_text()
    return (
        page.get_by_role("button", name="Entrer").is_visible()
        and page.get_by_role("button", name="Se déconnecter").count() == 0
        and "Alice" not in text
    )


@pytest.mark.slow
def test_a_then_b_on_one_browser_profile(server, site, guard, module, tmp_path):
    from course.access.sessions import SignInSessions
    from course.trainer.cards import personal_link

    qcu = next(q for q in module.questions if q.type == "qcu")
    card = personal_link(server.base, site.token("Alice"))
    visited = [card]
    context = profile(guard, tmp_path / "profil")

    # A opens her card: signed in, and the link has left the address bar.
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(card)
    wait_drawn(page)
    assert page.get_by_text("Bonjour Alice.").is_visible()
    page.wait_for_function("!location.search.includes('cle=')")
    token = session_cookie(context)
    assert token and token not in page.url
    assert SignInSessions(site.project.data_dir).learner_id(token) == "alice"
    visited.append(page.url)
    page.get_by_role("link", name=f"Faire l'évaluation « {module.title} »").click()
    page.locator(".cq-question").first.wait_for()
    wait_drawn(page)
    visited.append(page.url)
    assert page.get_by_role("button", name="Se déconnecter").is_visible()  # on every page
    answer(page, qcu, qcu.choices[0])
    # She stays signed in on this browser: a new tab on the plain home address knows her.
    again = open_page(context, server.url(), guard)
    assert again.get_by_text("Bonjour Alice.").is_visible()
    again.close()

    # « Se déconnecter »: back home, signed out, and the session is over on the server too.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(server.url())
    wait_drawn(page)
    assert signed_out(page)
    assert session_cookie(context) is None
    assert SignInSessions(site.project.data_dir).learner_id(token) is None

    # B, same profile: « Précédent », every address A went to, the home address: nothing.
    for _ in range(3):
        if page.go_back() is None:
            break
        wait_drawn(page)
        assert signed_out(page), page.url
    for url in [*visited, server.url(), server.base + "/"]:
        page.goto(url)
        wait_drawn(page)
        assert signed_out(page), url
    if "cle=" in card:  # the card's link is spent: it says so, in French
        page.goto(card)
        wait_drawn(page)
        assert page.locator(".cq-refused").filter(has_text="a déjà servi").is_visible()
    stored = page.evaluate("[JSON.stringify(localStorage), JSON.stringify(sessionStorage)]")
    assert stored == ["{}", "{}"], stored
    assert "atelier_session" not in page.evaluate("document.cookie")

    # B signs in with his code on the evaluation: none of A's answers.
    page.goto(server.url(f"{MODULE}/evaluation.ipynb"))
    wait_drawn(page)
    sign_in(page, "Bob", site.codes["Bob"])
    assert page.get_by_text("Bonjour Bob.").is_visible()
    box = question(page, qcu.id)
    assert not box.get_by_role("radio", name=qcu.choices[0], exact=True).is_checked()
    context.close()

    # The profile's history on disk: no session token; every card link in it is spent.
    history = sqlite3.connect(tmp_path / "profil" / "Default" / "History")
    urls = [row[0] for row in history.execute("SELECT url FROM urls")]
    history.close()
    assert any("cle=" in url for url in urls)  # Chromium keeps it, hence spent links
    assert not any(token in url for url in urls)
    sessions = SignInSessions(site.project.data_dir)
    for url in urls:
        for link in parse_qs(urlparse(url).query).get("cle", []):
            assert sessions.is_spent(link), url


def test_home_page_signin_first_todays_module_first_and_axe(server, site, context, guard):
    page = open_page(context, server.url(), guard)
    order = page.evaluate(
        """() => [...document.querySelectorAll('.cq-signin, .cq-cards')].map(e => e.className)"""
    )
    assert order[0].startswith("cq-signin") and "cq-cards" in order[1]
    first = page.locator(".cq-card").first
    assert first.get_by_role("heading").inner_text() == site.project.catalogue.get(TODAY).title
    assert first.get_by_text("Le module de l'atelier d'aujourd'hui").is_visible()
    assert axe_violations(page) == []


ODD_LINKS = ["alice.%C3%A9%E2%82%AC%F0%9F%98%80", "%00%0A.%FF", "alice.<script>", "é" * 40, "a.b.c"]


def test_odd_links_get_the_french_refusal(server, context, guard):
    urls = [server.url(token=link) for link in ODD_LINKS]
    for url, page in open_many(context, urls, guard):
        assert page.locator(".cq-refused").filter(has_text="pas valable").is_visible(), url
        assert page.get_by_role("button", name="Entrer").is_visible(), url
        assert page.locator(".cq-page-error").count() == 0, url
