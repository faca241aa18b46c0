"""Simulations in Chromium, as a learner meets them in the modules: the mailbox, the browser,
the discussion, the online form and the steps in order, done with the keyboard only; axe finds
nothing on every state (a message opened, a decision taken, a page opened, a reply chosen, a
form filled, a step moved); the practice feedback says part by part what was right; at 200 %
zoom and 320 px wide nothing scrolls sideways; a forged answer is refused in French.

Screenshots of each kind at both sizes are kept in test-artifacts/ (`simulation-*`)."""

from __future__ import annotations

import re

import pytest
from browser_support import (
    ARTIFACTS,
    active,
    answer,
    axe_violations,
    check_fits,
    keyboard_answer,
    new_context,
    open_page,
    question,
    served,
    wait_saved,
)

pytestmark = pytest.mark.browser

SITE_MODULES = ("proteger-ses-donnees", "faire-ses-demarches-en-ligne")
site, server, module = served(
    "simulations", learners=("Alice", "Bob", "Chloé", "Dora", "Émile"), release=SITE_MODULES
)
SCREENS = {
    "zoom-200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
    "largeur-320": {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 1},
}
# Each screen its own learner: an answer already given would be restored, not given again.
SCREEN_LEARNERS = {"zoom-200": "Dora", "largeur-320": "Émile"}


def simulation(site, module_id: str, kind: str, lesson: bool):
    module = site.project.catalogue.get(module_id)
    found = module.practice_questions if lesson else module.questions
    return next(q for q in found if q.type == kind)


def page_of(server, site, context, guard, module_id: str, page: str, learner: str = "Alice"):
    return open_page(context, server.url(f"{module_id}/{page}.ipynb", site.token(learner)), guard)


def shot(box, name: str) -> None:
    """The question alone (a whole lesson is too long a picture for a person to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    box.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def no_violations(page, where: str) -> None:
    assert axe_violations(page) == [], where


def test_evaluation_simulations_by_keyboard_with_axe_on_every_state(server, site, context, guard):
    # The mailbox (module 02): open a message, then decide; axe on each state.
    page = page_of(server, site, context, guard, "proteger-ses-donnees", "evaluation")
    q = simulation(site, "proteger-ses-donnees", "messagerie", lesson=False)
    box = question(page, q.id)
    first = box.locator(".cq-mail-open").first
    first.focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-expanded") == "true"
    region = box.get_by_role("region", name=str(q.scene["messages"][0]["subject"]))
    assert region.get_by_role("radio").count() == len(q.kind.public_scene(q)["decisions"])
    assert "Pièce jointe" in region.inner_text() or "Lien dans le message" in region.inner_text()
    no_violations(page, "messagerie : message ouvert")
    page.keyboard.press("Enter")  # closed again: the next keyboard walk opens it
    page.keyboard.press("Shift+Tab")
    keyboard_answer(page, q, q.model_answer())
    wait_saved(page, q.id)
    assert re.search("Votre choix : ", box.locator(".cq-mail-state").first.inner_text())
    no_violations(page, "messagerie : décisions prises")
    assert site.answers("Alice", site.project.catalogue.get("proteger-ses-donnees"))[q.id] == (
        q.model_answer()
    )

    # The browser and the online form (module 06).
    module = site.project.catalogue.get("faire-ses-demarches-en-ligne")
    page = page_of(server, site, context, guard, module.id, "evaluation")
    q = simulation(site, module.id, "navigateur", lesson=False)
    box = question(page, q.id)
    show = box.get_by_role("button", name=re.compile("^Voir la page")).first
    show.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.classList.contains('cq-browser-page')")
    assert box.locator(".cq-browser-address").first.inner_text() == q.scene["links"][0]["address"]
    no_violations(page, "navigateur : page ouverte")
    keyboard_answer(page, q, q.model_answer())
    wait_saved(page, q.id)
    no_violations(page, "navigateur : site choisi")
    form = simulation(site, module.id, "formulaire", lesson=False)
    paper = question(page, form.id).get_by_role("region", name="Courrier de la Caf (fictif)")
    assert "7654321" in paper.inner_text()
    keyboard_answer(page, form, ["roussel", "Camille", "7654321", "69003"])
    page.keyboard.press("Tab")
    wait_saved(page, form.id)
    no_violations(page, "formulaire : rempli")
    saved = site.answers("Alice", module)
    assert saved[q.id] == q.model_answer()
    assert saved[form.id] == ["roussel", "Camille", "7654321", "69003"]
    assert form.kind.score(form.key(), saved[form.id]) == form.points  # case forgiven


@pytest.mark.parametrize(
    ("module_id", "kind"),
    [
        ("proteger-ses-donnees", "messagerie"),
        ("verifier-une-information", "messagerie"),
        ("acheter-et-vendre-en-ligne", "conversation"),
        ("echanger-avec-ses-proches", "etapes"),
        ("faire-ses-demarches-en-ligne", "navigateur"),
    ],
)
def test_lesson_simulations_give_feedback_part_by_part(
    server, site, context, guard, module_id, kind
):
    page = page_of(server, site, context, guard, module_id, "lesson", "Bob")
    q = simulation(site, module_id, kind, lesson=True)
    wrong = q.kind.sample_wrong(q)
    if kind == "etapes":  # its wrong sample is the order shown: moving one step sends it
        wrong = [wrong[-1], *wrong[:-1]]
        assert wrong != list(q.answer)
    keyboard_answer(page, q, wrong)
    wait_saved(page, q.id)
    no_violations(page, f"{module_id} : {kind}, réponse donnée")
    box = question(page, q.id)
    box.get_by_role("button", name="Vérifier ma réponse").click()
    feedback = box.locator(".cq-feedback")
    feedback.get_by_text("Pas tout à fait").wait_for()
    lines = feedback.locator(".cq-feedback-lines li")
    assert lines.count() == len(q.kind.feedback_lines(q, wrong))
    assert "✘" in lines.first.inner_text()
    assert feedback.get_attribute("role") == "status"
    no_violations(page, f"{module_id} : {kind}, correction")
    shot(box, f"simulation-lecon-{kind}-{module_id}")


def test_the_discussion_and_the_steps_by_keyboard(server, site, context, guard):
    page = page_of(server, site, context, guard, "acheter-et-vendre-en-ligne", "lesson", "Chloé")
    q = simulation(site, "acheter-et-vendre-en-ligne", "conversation", lesson=True)
    box = question(page, q.id)
    log = box.get_by_role("log")
    assert log.get_attribute("aria-live") == "polite"
    keyboard_answer(page, q, q.model_answer()[:1])
    wait_saved(page, q.id)
    assert "Vous : " + q.model_answer()[0] in log.inner_text()
    assert active(page, "el => el.classList.contains('cq-reply')")  # the next proposals
    no_violations(page, "discussion : réponse choisie")
    for reply in q.model_answer()[1:]:  # the focus is on the proposals: Tab among them
        for _ in range(len(q.scene["turns"][0]["replies"]) + 1):
            if active(page, "el => el.textContent") == reply:
                break
            page.keyboard.press("Tab")
        assert active(page, "el => el.textContent") == reply
        page.keyboard.press("Enter")
    box.get_by_text("La discussion est finie.").wait_for()
    assert active(page, "el => el.textContent") == "Recommencer la discussion"
    box.get_by_role("button", name="Vérifier ma réponse").click()
    box.locator(".cq-feedback").get_by_text("Bravo").wait_for()
    no_violations(page, "discussion : finie")

    page = page_of(server, site, context, guard, "echanger-avec-ses-proches", "lesson", "Chloé")
    q = simulation(site, "echanger-avec-ses-proches", "etapes", lesson=True)
    box = question(page, q.id)
    keyboard_answer(page, q, q.model_answer())
    wait_saved(page, q.id)
    steps = box.locator(".cq-order-text").all_inner_texts()
    assert steps == list(q.answer)
    # The last move is announced (the live region is filled a moment after the move).
    box.get_by_role("status").filter(has_text="est maintenant à la place").wait_for(
        state="attached"
    )
    no_violations(page, "étapes : remises dans l'ordre")
    box.get_by_role("button", name="Vérifier ma réponse").click()
    box.locator(".cq-feedback").get_by_text("Bravo").wait_for()


def test_a_forged_answer_is_refused_in_french(server, site, context, guard):
    module = site.project.catalogue.get("proteger-ses-donnees")
    page = page_of(server, site, context, guard, module.id, "evaluation", "Chloé")
    q = simulation(site, module.id, "messagerie", lesson=False)
    box = question(page, q.id)
    box.locator(".cq-mail-open").first.click()
    radio = box.locator("input[type=radio]").first
    radio.evaluate("el => { el.value = 'inconnu'; }")  # a page altered in the browser's tools
    radio.check()
    box.locator(".cq-saved").filter(has_text="n'existe pas").wait_for()
    assert q.id not in site.answers("Chloé", module)


@pytest.mark.slow
@pytest.mark.parametrize("screen", SCREENS)
def test_every_kind_fits_the_screen_once_opened(server, site, guard, screen):
    context = new_context(guard, **SCREENS[screen])
    cases = [
        ("proteger-ses-donnees", "lesson", "messagerie"),
        ("acheter-et-vendre-en-ligne", "lesson", "conversation"),
        ("echanger-avec-ses-proches", "lesson", "etapes"),
        ("faire-ses-demarches-en-ligne", "lesson", "navigateur"),
        ("faire-ses-demarches-en-ligne", "evaluation", "formulaire"),
    ]
    for module_id, kind_page, kind in cases:
        page = page_of(server, site, context, guard, module_id, kind_page, SCREEN_LEARNERS[screen])
        q = simulation(site, module_id, kind, lesson=kind_page == "lesson")
        box = question(page, q.id)
        if kind == "messagerie":
            for opener in box.locator(".cq-mail-open").all():
                opener.click()
        elif kind == "navigateur":
            box.get_by_role("button", name=re.compile("^Voir la page")).first.click()
        if kind != "formulaire":
            answer(page, q, q.model_answer())
        box.scroll_into_view_if_needed()
        check_fits(page, f"{module_id} {kind} ({screen})")
        shot(box, f"simulation-{kind}-{screen}")
    context.close()
