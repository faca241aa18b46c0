"""Every learner page, in Chromium: French, offline, large, accessible (axe-core), before and
after signing in, readable 320 px wide, and honest when something fails.

One server for the whole file; pages are opened a few at a time to keep the run short.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    Server,
    axe_violations,
    check_fits,
    make_site,
    open_many,
    open_page,
    screenshot,
)
from nbformat.v4 import new_code_cell, new_notebook

pytestmark = pytest.mark.browser

# Words a learner must never meet: Voilà's and Jupyter's English, code, errors.
FORBIDDEN = re.compile(
    r"\b(Loading|Running|Executing|Error|Please|kernel|Kernel|Traceback|Exception|Submit|"
    r"Cancel|Javascript|undefined|null|NaN|None|True|False|import|def)\b"
)

TEXT_SIZES = """() => {
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    if (!text || !el || el.closest('script, style, noscript, .cq-invisible')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    if (parseFloat(style.fontSize) < 18) bad.push([el.tagName, style.fontSize, text.slice(0, 40)]);
  }
  return bad;
}"""

SMALL_TARGETS = """() => {
  const bad = [];
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), textarea, select, [role=button], summary');
  for (const el of controls) {
    if (el.closest('.cq-invisible')) continue;
    let box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if (el.type === 'radio' || el.type === 'checkbox') {
      box = (el.closest('label') || document.querySelector(`label[for="${el.id}"]`))
        .getBoundingClientRect();
    }
    // WCAG's inline exception: a link inside a sentence.
    const inline = el.tagName === 'A' && el.parentElement &&
      el.parentElement.textContent.trim() !== el.textContent.trim();
    if (!inline && (box.height < 44 || box.width < 44))
      bad.push([el.tagName, el.type || '', (el.textContent || el.id).trim().slice(0, 40),
                Math.round(box.width), Math.round(box.height)]);
  }
  return bad;
}"""


AXE_REPORT: dict[str, int] = {}


def axe(page, where: str) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on `page`, also counted in test-artifacts/axe.json."""
    violations = axe_violations(page)
    AXE_REPORT[where] = len(violations)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe.json").write_text(json.dumps(AXE_REPORT, ensure_ascii=False, indent=1))
    return violations


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("pages") / "projet", learners=("Alice",))
    # A page whose code fails: the learner must get French and what to do, not Voilà's English.
    broken = new_notebook(cells=[new_code_cell("raise RuntimeError('panne')")])
    broken.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    site.broken = broken
    return site


@pytest.fixture(scope="module")
def server(site):
    # As deployed: `course serve` with its own settings (preheated kernels).
    server = Server(site.project)
    site_dir = site.project.data_dir / "site"
    site_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(site.broken, site_dir / "panne.ipynb")
    server.start()
    yield server
    server.stop()


def check_french_and_large(page, where: str) -> None:
    assert page.evaluate("document.documentElement.lang") == "fr", where
    text = page.evaluate("document.body.innerText")
    assert not FORBIDDEN.findall(text), (where, FORBIDDEN.findall(text))
    assert page.evaluate(TEXT_SIZES) == [], where
    assert page.evaluate(SMALL_TARGETS) == [], where


def module_links(page) -> list[str]:
    return page.eval_on_selector_all(
        ".cq-card a.cq-link", "links => links.map(a => a.getAttribute('href'))"
    )


def test_catalogue_lists_every_module_in_french_and_passes_axe(server, site, context, guard):
    page = open_page(context, server.url(), guard)
    assert page.title() == site.project.settings.course_title
    assert page.get_by_role("heading", level=1).inner_text() == site.project.settings.course_title
    links = module_links(page)
    expected = []
    for m in site.project.catalogue.modules:
        expected += [f"{m.id}/lesson.ipynb", f"{m.id}/evaluation.ipynb"]
        expected += [f"{m.id}/{tool}.ipynb" for tool in m.tools]
    assert links == expected
    assert "faire-son-cv/cv.ipynb" in links  # the CV builder is offered
    check_french_and_large(page, "catalogue")
    assert axe(page, "catalogue") == []
    # The sign-in form: labelled fields and a named button.
    assert page.get_by_label("Votre prénom").is_visible()
    assert page.get_by_label("Votre code (sur votre carte)").is_visible()
    assert page.get_by_role("button", name="Entrer").is_visible()
    screenshot(page, "catalogue")


@pytest.mark.slow
def test_every_lesson_and_evaluation_before_sign_in(server, site, context, guard):
    catalogue = open_page(context, server.url(), guard)
    urls = [server.url(link) for link in module_links(catalogue)]
    catalogue.close()
    assert urls
    for url, page in open_many(context, urls, guard):
        where = url.rsplit("/render/", 1)[1] + " (sans connexion)"
        if url.endswith(("evaluation.ipynb", "cv.ipynb")):
            # Nobody is signed in: the evaluation (or the CV) asks who you are, nothing else.
            assert page.locator(".cq-question").count() == 0, where
            assert page.get_by_role("button", name="Entrer").is_visible(), where
        else:
            assert page.locator(".cq-question").count() > 0, where
            assert page.get_by_text("Vous n'êtes pas connecté").is_visible(), where
        check_french_and_large(page, where)
        assert axe(page, where) == [], where


@pytest.mark.slow
def test_sign_in_moves_focus_then_every_page_passes_axe(server, site, context, guard):
    page = open_page(context, server.url(), guard)
    page.get_by_label("Votre prénom").fill("alice")
    page.get_by_label("Votre code (sur votre carte)").fill(site.codes["Alice"])
    page.get_by_role("button", name="Entrer").click()
    page.get_by_text("Bonjour Alice.").wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'H1'")
    # No credential in the address bar nor in the links: the session is the browser's, and a
    # reload keeps Alice signed in.
    assert "cle=" not in page.url
    check_french_and_large(page, "catalogue signed in")
    assert axe(page, "catalogue (connectée)") == []
    links = module_links(page)
    assert links and not [link for link in links if "?" in link]
    page.reload()
    page.get_by_text("Bonjour Alice.").wait_for()
    urls = [server.url(link) for link in links]
    page.close()
    for url, page in open_many(context, urls, guard):
        where = url.rsplit("/render/", 1)[1] + " (connectée)"
        if url.endswith("cv.ipynb"):
            assert page.get_by_role("heading", name="Mon CV").is_visible(), where
            assert page.get_by_label("Votre prénom").is_visible(), where
        else:
            assert page.locator(".cq-question").count() > 0, where
        check_french_and_large(page, where)
        assert axe(page, where) == [], where
        # The same page 320 px wide (400 % zoom): nothing sideways, every control on screen.
        page.set_viewport_size({"width": 320, "height": 640})
        check_fits(page, where + " (320 px)")
        page.set_viewport_size({"width": 1280, "height": 900})
        if "evaluation" in url:
            assert page.get_by_text("Bonjour Alice.").is_visible()
            page.get_by_role("button", name="Envoyer mes réponses").click()
            # Nothing is released on this site: the panel says so (in the other files: sent).
            page.locator(".cq-panel h2").wait_for()
            assert page.evaluate("document.activeElement.classList.contains('cq-panel')")
            check_french_and_large(page, where + " (confirmation)")
            assert axe(page, where + " (confirmation)") == [], where + " (confirmation)"


def test_signing_in_on_an_evaluation_keeps_the_page_accessible(server, site, context, guard):
    module = site.project.catalogue.modules[0]
    page = open_page(context, server.url(f"{module.id}/evaluation.ipynb"), guard)
    page.get_by_label("Votre prénom").fill("Alice")
    page.get_by_label("Votre code (sur votre carte)").fill(site.codes["Alice"])
    page.get_by_role("button", name="Entrer").click()
    page.locator(".cq-question").first.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'H1'")
    assert page.evaluate("document.activeElement.textContent") == f"Évaluation : {module.title}"
    page.wait_for_timeout(500)
    assert axe(page, "évaluation après connexion sur la page") == []
    # Each question is a labelled group of real controls.
    for fieldset in page.locator("fieldset.cq-question").all():
        assert fieldset.locator("legend").inner_text().strip()
    assert page.get_by_role("group").count() >= len(module.questions)


def written(folder) -> dict[str, float]:
    """Every file under `folder` with its modification time (what a sign-in may touch)."""
    return {str(f): f.stat().st_mtime for f in folder.rglob("*")} if folder.exists() else {}


def test_wrong_code_is_refused_in_french(server, site, context, guard):
    # (Alice signed in in an earlier test: her presence file may exist; a wrong code adds or
    # touches nothing.)
    before = written(site.project.learners_dir / "alice")
    page = open_page(context, server.url(), guard)
    page.get_by_role("button", name="Entrer").click()
    assert page.get_by_role("alert").filter(has_text="Écrivez votre prénom.").is_visible()
    page.get_by_label("Votre prénom").fill("Alice")
    page.get_by_label("Votre code (sur votre carte)").fill("999999")
    page.get_by_role("button", name="Entrer").click()
    alert = page.get_by_role("alert").filter(has_text="ne correspond pas")
    alert.wait_for()
    assert page.get_by_label("Votre code (sur votre carte)").get_attribute("aria-invalid") == "true"
    assert "cle=" not in page.url
    assert axe(page, "code faux") == []
    assert written(site.project.learners_dir / "alice") == before


def test_guessing_codes_locks_the_name_and_says_what_to_do(server, site, context, guard):
    from course.access.roster import Roster

    MAX_FAILURES = Roster.max_failures.default_value

    roster = Roster(site.project.data_dir)
    bob, code = roster.add("Bob")
    wrong = "222222" if code != "222222" else "333333"
    page = open_page(context, server.url(), guard)
    page.get_by_label("Votre prénom").fill("Bob")
    field = page.get_by_label("Votre code (sur votre carte)")
    alerts = page.get_by_role("alert")
    for _ in range(MAX_FAILURES):
        field.fill(wrong)
        page.get_by_role("button", name="Entrer").click()
        alerts.filter(has_text="ne correspond pas").wait_for()
        page.wait_for_function(
            "() => !document.querySelector('.cq-signin button[disabled]')", timeout=30_000
        )
    field.fill(code)  # the right code, too late: the name is locked for a while
    page.get_by_role("button", name="Entrer").click()
    alerts.filter(has_text="Trop d'essais avec ce prénom").wait_for()
    assert "cle=" not in page.url
    assert not (site.project.learners_dir / bob.id).exists()
    # His personal link still lets him in, and a new card lifts the lock.
    signed = open_page(context, server.url(token=roster.token(bob.id)), guard)
    assert signed.get_by_text("Bonjour Bob.").is_visible()
    new_code = roster.set_code(bob.id)
    field.fill(new_code)
    page.get_by_role("button", name="Entrer").click()
    page.get_by_text("Bonjour Bob.").wait_for()


def test_error_pages_are_french_and_offline(server, site, context, guard):
    # Voilà's own "not found" page.
    page = context.new_page()
    response = page.goto(server.url("nulle-part.ipynb"))
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.get_by_role("heading", name="Cette page n'existe pas").is_visible()
    check_french_and_large(page, "404")
    assert axe(page, "404") == []
    guard.check()
    page.close()
    # A page whose code fails: no spinner, no English, what to do in French.
    page = open_page(context, server.url("panne.ipynb"), guard, wait=".cq-page-error")
    alert = page.get_by_role("alert").filter(has_text="Cette page ne s'affiche pas")
    assert alert.is_visible()
    assert page.get_by_role("button", name="Recharger la page").is_visible()
    assert not page.locator("#loading").is_visible()
    check_french_and_large(page, "panne")
    assert "panne'" not in page.content() and "RuntimeError" not in page.content()
    assert axe(page, "page en panne") == []
    screenshot(page, "page-en-panne")


def test_a_page_that_cannot_be_drawn_says_so(server, site, context, guard):
    """No spinner over a failure: if the widgets' code cannot load, or the page's code never
    arrives, a French alert says what to do, with a reload button."""
    context.add_init_script("window.cqPageTimeout = 4000;")
    for blocked, message in (
        (r".*/voila/labextensions/anywidget/.*", "Cette page ne s'affiche pas correctement"),
        (r".*/voila/static/voila\.js.*", "La page met trop de temps à s'afficher"),
    ):
        context.route(re.compile(blocked), lambda route: route.abort())
        page = context.new_page()
        page.goto(server.url())
        alert = page.get_by_role("alert").filter(has_text=message)
        alert.wait_for()
        assert alert.get_by_role("button", name="Recharger la page").is_visible()
        text = page.evaluate("document.body.innerText")
        assert not FORBIDDEN.findall(text) and "javascript" not in text.lower()
        assert not page.get_by_text("Patientez un instant").is_visible()
        page.close()
