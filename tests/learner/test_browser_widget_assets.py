"""The widgets' front end reaches the browser once per page, not once per widget
(`course.learner.assets`), and the questions still answer, in Chromium on a real `course serve`.

A module's evaluation page has one question widget per question; before, every widget's state
carried question.js and question.css (37 KB), in the page's comm messages as many times.
"""

from __future__ import annotations

import re

import pytest
from browser_support import answer, expected_answer, served, sign_in, wait_drawn, wait_saved
from playwright.sync_api import expect

from course.learner.assets import STATIC

pytestmark = pytest.mark.browser

MODULE = "proteger-ses-donnees"

site, server, module = served("ressources", release=(MODULE,), module=MODULE)

# A line of each module's source that its stub does not contain.
MARKERS = {
    "question.js": "const renderers = {",
    "page.js": "const SIGNED_OUT_SIGNAL",
    "listen.js": "const TARGETS =",
}


def test_sources_are_fetched_once_and_questions_answer(server, site, context, guard, module):
    for name, marker in MARKERS.items():
        assert marker in (STATIC / name).read_text(encoding="utf-8"), name
    page = context.new_page()
    frames: list[str] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda data: frames.append(
                data if isinstance(data, str) else data.decode("utf-8", "replace")
            ),
        ),
    )
    fetched = []
    page.on("response", lambda r: fetched.append(r) if "/voila/static/" in r.url else None)
    document = page.goto(server.url(f"{MODULE}/evaluation.ipynb"))
    wait_drawn(page)
    sign_in(page, "Alice", site.codes["Alice"])
    questions = module.questions
    assert page.locator("fieldset.cq-question").count() == len(questions) > 10
    for q in questions[:3]:
        answer(page, q, expected_answer(q))
        wait_saved(page, q.id)
    assert site.answers("Alice", module) == {q.id: expected_answer(q) for q in questions[:3]}
    guard.check()

    # Neither the page nor any message of its kernel carries a module's source...
    html = document.text()
    received = "".join(frames)
    assert "fieldset" not in html  # (the questions came after sign-in, in the messages)
    assert sum(len(f) for f in frames) > 10_000  # the messages were seen
    for marker in MARKERS.values():
        assert html.count(marker) == 0 and received.count(marker) == 0, marker
    # ... it was fetched once per page, compressed, cached by the browser until it changes.
    for name in ("question.js", "question.css", "page.js"):
        got = [r for r in fetched if r.url.split("?")[0].endswith("/voila/static/" + name)]
        assert len(got) == 1, (name, [r.url for r in fetched])
        assert got[0].status == 200 and "?v=" in got[0].url
        headers = got[0].all_headers()
        age = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
        assert age and int(age.group(1)) >= 86400 * 365, headers
        assert headers.get("content-encoding") == "gzip", headers
    # The stylesheet applies: a question's fieldset has our style, not the browser's default.
    assert page.locator("link[rel=stylesheet][href*='static/question.css']").count() == 1
    radius = page.locator("fieldset.cq-question").first.evaluate(
        "el => getComputedStyle(el).borderTopLeftRadius"
    )
    assert radius == "10px", radius  # question.css's `.cq-question`


def test_a_dropped_module_request_is_tried_again(server, site, context, guard, module):
    """A crowded room's network drops the one request for question.js: every question would
    stay blank. The stub tries again; the questions draw and answer."""
    page = context.new_page()
    dropped: list[str] = []

    def drop_first(route) -> None:
        if not dropped:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/voila/static/question\.js\?v=.*"), drop_first)
    page.goto(server.url(f"{MODULE}/evaluation.ipynb"))
    wait_drawn(page)
    sign_in(page, "Bob", site.codes["Bob"])
    questions = module.questions
    # The retry waits a second: the questions draw then.
    expect(page.locator("fieldset.cq-question")).to_have_count(len(questions), timeout=30_000)
    assert len(dropped) == 1 and "essai" not in dropped[0]
    answer(page, questions[0], expected_answer(questions[0]))
    wait_saved(page, questions[0].id)
    assert site.answers("Bob", module) == {questions[0].id: expected_answer(questions[0])}
