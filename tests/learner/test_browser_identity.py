"""Who is who, in Chromium: two learners at once each see only their own answers, the same
learner in two tabs loses nothing, and a forged personal link is refused in French and writes
nothing."""

from __future__ import annotations

import pytest
from browser_chromium import new_context
from browser_pages import answer, open_many, open_page, question, sign_in, wait_drawn
from browser_server import served

pytestmark = pytest.mark.browser

MODULE = "proteger-ses-donnees"
REFUSED = "Ce lien personnel n'est pas valable."


# One site and server with test_browser_zoom.py (which needs the module released).
site, server, module = served("identite", release=(MODULE,), module=MODULE, shared=True)


def first(module, qtype: str):
    return next(q for q in module.questions if q.type == qtype)


def files(root) -> dict[str, bytes]:
    """Every file a page could have written (the served site is rebuilt by the server)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "site" not in p.relative_to(root).parts[:1]
    }


@pytest.mark.slow
def test_two_learners_at_once_each_see_only_their_answers(server, site, guard, module):
    qcu, text = first(module, "qcu"), first(module, "libre")
    mine = {"Alice": (qcu.choices[0], "Réponse d'Alice"), "Bob": (qcu.choices[1], "Réponse de Bob")}
    contexts = {name: new_context(guard) for name in mine}
    pages = {}
    for name, context in contexts.items():
        page = context.new_page()
        page.goto(server.url(f"{MODULE}/evaluation.ipynb"), wait_until="commit")
        pages[name] = page
    for name, page in pages.items():
        wait_drawn(page)
        sign_in(page, name, site.codes[name])
    for name, page in pages.items():  # both pages are open and answering at the same time
        answer(page, qcu, mine[name][0])
        answer(page, text, mine[name][1])
    for name, page in pages.items():
        page.reload()
        wait_drawn(page)
        assert page.get_by_text(f"Bonjour {name}.").is_visible()
        box = question(page, qcu.id)
        assert box.get_by_role("radio", name=mine[name][0], exact=True).is_checked()
        other = next(n for n in mine if n != name)
        assert not box.get_by_role("radio", name=mine[other][0], exact=True).is_checked()
        assert question(page, text.id).get_by_label("Votre réponse").input_value() == mine[name][1]
        assert site.answers(name, module) == {qcu.id: mine[name][0], text.id: mine[name][1]}
    for context in contexts.values():
        context.close()


def test_the_same_learner_in_two_tabs_loses_nothing(server, site, guard, module):
    a, b = [q for q in module.questions if q.type == "qcu"][1:3]
    # A learner of this test's own: Alice's and Bob's answers are another test's to check.
    roster = site.project.roster()
    chloe = roster.get("chloe") or roster.add("Chloé")[0]
    context = new_context(guard)
    url = server.url(f"{MODULE}/evaluation.ipynb", roster.new_link(chloe.id))
    one, two = open_page(context, url, guard), open_page(context, url, guard)
    answer(one, a, a.choices[0])
    answer(two, b, b.choices[0])  # this page opened before `a` was answered
    saved = site.answers("Chloé", module)
    assert saved[a.id] == a.choices[0] and saved[b.id] == b.choices[0]
    context.close()


@pytest.mark.slow
@pytest.mark.parametrize("page_name", ["evaluation", "lesson"])
def test_forged_links_are_refused_in_french_and_write_nothing(server, site, guard, page_name):
    alice, bob = site.token("Alice"), site.token("Bob")
    signature = alice.partition(".")[2]
    forged = {
        "signature changée": alice[:-1] + ("0" if alice[-1] != "0" else "1"),
        "identifiant de Bob, signature d'Alice": f"{site.learner_id('Bob')}.{signature}",
        "chemin": "../../etc",
        "chemin signé": f"../../etc.{signature}",
        "vide": "",
        "sans signature": site.learner_id("Alice"),
    }
    assert bob not in forged.values()
    before = files(site.project.data_dir)
    context = new_context(guard)
    urls = {
        server.url(f"{MODULE}/{page_name}.ipynb", token): what for what, token in forged.items()
    }
    for url, page in open_many(context, list(urls), guard):
        what = urls[url]
        assert page.get_by_role("alert").filter(has_text=REFUSED).is_visible(), what
        assert page.get_by_role("button", name="Entrer").is_visible(), what
        assert page.locator(".cq-question").count() == 0, what
        assert "Bonjour Alice" not in page.inner_text("body"), what
    context.close()
    assert files(site.project.data_dir) == before


def test_the_link_printed_on_a_card_opens_the_catalogue_signed_in(server, site, guard):
    from course.trainer.cards import personal_link

    context = new_context(guard)
    page = context.new_page()
    page.goto(personal_link(server.base, site.token("Bob")))
    wait_drawn(page)
    assert page.url.startswith(server.url("index.ipynb"))
    assert page.get_by_text("Bonjour Bob.").is_visible()
    assert page.get_by_role("button", name="Entrer").count() == 0
    guard.check()
    context.close()
