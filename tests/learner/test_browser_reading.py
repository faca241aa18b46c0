"""Pages as a person reads them, in Chromium: the situation comes before its question, « Cochez
toutes les bonnes réponses » is said once, each question left without an answer in the review
is a link to it, no English flashes while the page loads, and on a phone no question's title
straddles its box's border."""

from __future__ import annotations

import re

import pytest
from browser_support import open_page, served

pytestmark = pytest.mark.browser

MODULE = "acheter-et-vendre-en-ligne"
ENGLISH = re.compile(r"\b(Loading|widget|Running|Executing|Error|Kernel|kernel)\b")

# Every text that became visible while the page was being built (before `wait_drawn` returns).
WATCH_TEXT = """
window.cqSeen = [];
new MutationObserver((records) => {
  for (const r of records) {
    const nodes = r.type === 'characterData' ? [r.target] : [...r.addedNodes];
    for (const n of nodes) {
      const el = n.nodeType === 3 ? n.parentElement : n;
      const text = (n.textContent || '').trim();
      if (text && el && el.checkVisibility &&
          el.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
        window.cqSeen.push(text.slice(0, 200));
    }
  }
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


site, server, _ = served("lecture", learners=("Alice",), release=(MODULE,))


def test_an_evaluation_reads_in_order_on_a_phone(server, site, context, guard):
    module = site.project.catalogue.get(MODULE)
    context.add_init_script(WATCH_TEXT)
    page = open_page(context, server.url(f"{MODULE}/evaluation.ipynb", site.token("Alice")), guard)
    page.set_viewport_size({"width": 360, "height": 740})

    seen = page.evaluate("window.cqSeen")
    assert seen and not [t for t in seen if ENGLISH.search(t)], seen

    # The situation, then the question, in reading order and on screen.
    with_context = [q for q in module.questions if q.context]
    assert with_context
    for q in with_context:
        order = page.evaluate(
            """(qid) => {
              const box = document.getElementById('question-' + qid);
              const situation = box.previousElementSibling;
              return situation && situation.classList.contains('cq-situation') &&
                situation.getBoundingClientRect().bottom <= box.getBoundingClientRect().top;
            }""",
            q.id,
        )
        assert order, q.id

    # « Cochez toutes les bonnes réponses » once per question, never twice.
    for q in (q for q in module.questions if q.type == "qcm"):
        text = page.locator(f"#question-{q.id}").inner_text()
        assert text.count("Cochez toutes les bonnes réponses") <= 1, q.id
        assert "Cochez" in text, q.id

    # On a phone, every question's title is inside its box, under the top border.
    straddling = page.evaluate(
        """() => [...document.querySelectorAll('fieldset.cq-question')].filter(f => {
            const legend = f.querySelector('legend').getBoundingClientRect();
            const top = f.getBoundingClientRect().top + parseFloat(getComputedStyle(f).borderTopWidth);
            return legend.top < top - 0.5;
          }).map(f => f.dataset.question)"""
    )
    assert straddling == []

    # The review: each question without an answer is a link that takes the learner to it.
    page.get_by_role("button", name="Envoyer mes réponses").click()
    panel = page.locator(".cq-panel")
    panel.get_by_role("heading", name="Avant d'envoyer").wait_for()
    links = panel.get_by_role("link", name=re.compile(r"^Aller à la question \d+$"))
    assert links.count() == len(module.questions)
    assert re.search(r"Questions sans réponse : 1, 2, .* et \d+\.", panel.inner_text())
    links.nth(2).click()
    third = module.questions[2].id
    assert page.evaluate(
        "(qid) => document.activeElement.closest('fieldset')?.dataset.question === qid", third
    )
