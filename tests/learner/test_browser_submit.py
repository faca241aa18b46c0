"""Sending an evaluation, in Chromium: with the keyboard only, what is answered and what is
empty, confirmation in plain French, sending again, and the refusal once collected.

The tests of this file share one server, each with its own learner (Alice, Bob, Chloé): any
order gives the same results (the collection collects whoever sent, and refuses only them).
"""

from __future__ import annotations

import json

import pytest
from browser_support import (
    active,
    answer,
    axe_violations,
    expected_answer,
    inbound_submissions,
    keyboard_answer,
    open_page,
    question,
    screenshot,
    served,
    tab_until,
    wait_saved,
)

pytestmark = pytest.mark.browser

MODULE = "proteger-ses-donnees"


site, server, module = served("envoi", release=(MODULE,), module=MODULE)


def submitted_answers(site, learner: str, module) -> list[dict]:
    found = inbound_submissions(site.project, site.learner_id(learner), module)
    return [json.loads((path / "answers.json").read_text("utf-8"))["answers"] for path in found]


def test_keyboard_only_sign_in_answer_and_send(server, site, context, guard, module):
    page = open_page(context, server.url(f"{MODULE}/evaluation.ipynb"), guard)
    # Sign in: Tab to the first-name field, type, Tab, type the code, Enter.
    tab_until(page, "el => el.id && el.id.endsWith('-prenom')")
    page.keyboard.type("Alice")
    page.keyboard.press("Tab")
    assert active(page, "el => el.id.endsWith('-code')")
    page.keyboard.type(site.codes["Alice"])
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'H1'")
    assert active(page, "el => el.textContent") == f"Évaluation : {module.title}"

    expected = {}
    for q in module.questions:
        value = expected_answer(q)
        keyboard_answer(page, q, value)
        expected[q.id] = value
    # Leave the last field for the send button (its answer is sent on leaving it).
    tab_until(page, "el => el.textContent === 'Envoyer mes réponses'")
    for q in module.questions:
        wait_saved(page, q.id)
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.classList.contains('cq-panel')")
    panel = page.locator(".cq-panel")
    assert axe_violations(page) == []  # the confirmation panel, with its two buttons
    total = len(module.questions)
    assert f"Vous avez répondu à {total} questions sur {total}." in panel.inner_text()
    assert "Vous avez répondu à toutes les questions." in panel.inner_text()
    page.keyboard.press("Tab")
    assert active(page, "el => el.textContent") == "Oui, j'envoie"
    page.keyboard.press("Enter")
    panel.get_by_role("heading", name="C'est envoyé. Merci.").wait_for()
    page.wait_for_function("document.activeElement.classList.contains('cq-panel')")
    assert axe_violations(page) == []
    screenshot(page, "clavier-envoye")

    # The nbgrader exchange has Alice's submission with exactly these answers.
    assert submitted_answers(site, "Alice", module) == [expected]
    assert site.answers("Alice", module) == expected


def test_review_lists_answered_and_empty_questions_then_send_again(
    server, site, context, guard, module
):
    page = open_page(context, server.url(f"{MODULE}/evaluation.ipynb", site.token("Bob")), guard)
    first, third = module.questions[0], module.questions[2]
    answer(page, first, expected_answer(first))
    answer(page, third, expected_answer(third))
    send = page.get_by_role("button", name="Envoyer mes réponses")

    # Changing one's mind: nothing is sent, the focus goes back to the button.
    send.click()
    panel = page.locator(".cq-panel")
    panel.get_by_role("heading", name="Avant d'envoyer").wait_for()
    total = len(module.questions)
    empty = [str(i) for i in range(1, total + 1) if i not in (1, 3)]
    text = panel.inner_text()
    assert f"Vous avez répondu à 2 questions sur {total}." in text
    assert "Questions avec une réponse : 1 et 3." in text
    assert f"Questions sans réponse : {', '.join(empty[:-1])} et {empty[-1]}." in text
    panel.get_by_role("button", name="Non, je continue").click()
    assert not panel.is_visible() or panel.inner_text().strip() == ""
    assert active(page, "el => el.textContent") == "Envoyer mes réponses"
    assert submitted_answers(site, "Bob", module) == []

    send.click()
    panel.get_by_role("button", name="Oui, j'envoie").click()
    panel.get_by_role("heading", name="C'est envoyé. Merci.").wait_for()
    assert "tant qu'elle ne les a pas ramassées" in panel.inner_text()
    assert len(submitted_answers(site, "Bob", module)) == 1

    # Bob may change an answer and send again, until the trainer collects.
    second = module.questions[1]
    answer(page, second, expected_answer(second))
    send.click()
    panel.get_by_role("heading", name="Avant d'envoyer").wait_for()
    assert "Vous avez déjà envoyé vos réponses le" in panel.inner_text()
    panel.get_by_role("button", name="Oui, j'envoie").click()
    panel.get_by_role("heading", name="C'est envoyé. Merci.").wait_for()
    sent = submitted_answers(site, "Bob", module)
    assert len(sent) == 2
    assert (
        sent[-1] == {q.id: expected_answer(q) for q in (first, second, third)}
        and second.id not in sent[0]
    )


def test_after_collection_sending_is_refused_in_french(server, site, context, guard, module):
    from course.learner.session import LearnerSession
    from course.trainer.workflow import collect

    chloe, _code = site.project.roster().add("Chloé")
    first = module.questions[0]
    sent = LearnerSession(site.project, module, chloe.id)
    sent.answer(first.id, expected_answer(first))
    sent.submit()
    page = open_page(context, server.url(f"{MODULE}/evaluation.ipynb", site.token("Chloé")), guard)
    assert chloe.id in collect(site.project, module)
    # The page was open before the collection: sending now is refused, plainly.
    page.get_by_role("button", name="Envoyer mes réponses").click()
    alert = page.get_by_role("alert").filter(has_text="Vos réponses ont déjà été ramassées")
    alert.wait_for()
    assert "Vous ne pouvez plus changer ni renvoyer vos réponses." in alert.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('cq-panel')")
    assert len(submitted_answers(site, "Chloé", module)) == 1
    # Reopened, the page says so at once and the answers can be read but not changed.
    page.reload()
    page.locator(".cq-question").first.wait_for()
    assert page.get_by_text("Vos réponses ont été ramassées pour la correction.").is_visible()
    radio = question(page, first.id).get_by_role("radio", name=expected_answer(first))
    assert radio.is_checked() and radio.is_disabled()
    assert page.get_by_role("button", name="Envoyer mes réponses").is_disabled()
