"""The learner's path in Chromium: a lesson left half done is « Reprendre la leçon » on the home
page and reopens with its verdicts, « Réponse enregistrée » and a link to the next exercise; a
sent evaluation says when it was sent; module cards and question boxes keep their whole border
at 320 px and at 200 % zoom; axe finds nothing."""

from __future__ import annotations

import pytest
from browser_support import (
    answer,
    axe_violations,
    check_fits,
    new_context,
    open_page,
    question,
    screenshot,
    served,
)

pytestmark = pytest.mark.browser

MODULE = "proteger-ses-donnees"

# One site and server with test_browser_listen.py.
site, server, module = served("ecouter", learners=("Alice",), module=MODULE, shared=True)

# Every card and question box, whole: inside the screen and inside every ancestor that clips.
CLIPPED = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const box of document.querySelectorAll('.cq-card, fieldset.cq-question, .cq-situation')) {
    const r = box.getBoundingClientRect();
    if (r.right > width + 0.5 || r.left < -0.5) out.push([box.className, 'screen', r.right, width]);
    for (let a = box.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflow === 'visible') continue;
      const p = a.getBoundingClientRect();
      if (r.right > p.right + 0.5 || r.left < p.left - 0.5)
        out.push([box.className, a.className, r.right, p.right]);
    }
  }
  return out;
}"""
SCREENS = {
    "zoom-200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
    "largeur-320": {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 1},
}


def test_a_lesson_left_half_done_is_resumed_with_its_feedback(server, site, module, context, guard):
    catalogue = open_page(context, server.url(token=site.token("Alice")), guard)
    card = catalogue.locator(".cq-card").filter(has_text=module.title)
    first = module.practice_questions[0]
    lesson = open_page(context, server.url(f"{MODULE}/lesson.ipynb"), guard)
    answer(lesson, first, first.model_answer())
    box = question(lesson, first.id)
    box.get_by_role("button", name="Vérifier ma réponse").click()
    box.locator(".cq-verdict").filter(has_text="Bravo").wait_for()
    lesson.close()

    catalogue.reload()
    card = catalogue.locator(".cq-card").filter(has_text=module.title)
    card.get_by_role("link", name=f"Reprendre la leçon « {module.title} »").click()
    catalogue.wait_for_selector(f"fieldset[data-question='{first.id}'] .cq-verdict")
    box = question(catalogue, first.id)
    assert box.locator(".cq-verdict").inner_text() == "✔ Bravo, c'est juste."
    assert box.locator(".cq-saved").inner_text() == "Réponse enregistrée."
    assert box.locator("input:checked").count() >= 1  # the answer given, back in its boxes
    note = catalogue.locator(".cq-resume")
    total = len(module.practice_questions)
    assert f"vous avez fait 1 exercice sur {total}" in note.inner_text()
    second = module.practice_questions[1]
    link = note.get_by_role("link", name="Aller à l'exercice 2")
    assert link.get_attribute("href") == f"#question-{second.id}"
    assert axe_violations(catalogue) == []
    guard.check()


def test_a_sent_evaluation_says_when_it_was_sent(server, site, module, context, guard):
    from course.answers.store import ANSWERS_FILE, AnswerStore
    from course.core.french import day_and_clock

    learner = site.learner_id("Alice")
    store = AnswerStore(site.project.workspace(learner, MODULE) / ANSWERS_FILE)
    stamp = store.mark_submitted()
    from datetime import datetime

    page = open_page(context, server.url(f"{MODULE}/evaluation.ipynb", site.token("Alice")), guard)
    notice = page.locator(".cq-sent")
    sent = day_and_clock(datetime.fromisoformat(stamp))
    assert notice.inner_text().startswith(f"✔ Évaluation envoyée le {sent}.")
    assert "Vous pouvez encore changer vos réponses" in notice.inner_text()
    assert axe_violations(page) == []
    guard.check()


@pytest.mark.parametrize("screen", SCREENS)
def test_cards_and_questions_keep_their_whole_border(server, site, guard, screen):
    context = new_context(guard, **SCREENS[screen])
    catalogue = open_page(context, server.url(token=site.token("Alice")), guard)
    assert catalogue.evaluate(CLIPPED) == [], screen
    lesson = open_page(context, server.url(f"{MODULE}/lesson.ipynb"), guard)
    lesson.wait_for_selector("fieldset.cq-question .cq-listen")
    assert lesson.evaluate(CLIPPED) == [], screen
    check_fits(lesson, f"lesson with « Écouter » ({screen})")  # no sideways scroll, 44 px
    screenshot(lesson, f"{screen}-lecon-ecouter")
    context.close()
