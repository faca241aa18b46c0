"""The trainer's space in Chromium, on one real `course serve`: what only a browser proves.

The trainer signs in with the password (as from another computer), creates a workshop and
enrols the group through the forms (the « même personne ? » question included), opens the
evaluation with the page's button (a double click starts it once), watches the progress table
change without reloading while learners work (« Corrigée » once graded), grades a written answer
in « Corriger », reads the results and gives them back (« Résultats rendus » in each row).
axe-core checks every page, the refusals included. Everything else the pages do is tested
in process, in milliseconds (test_space_group.py, test_space_access.py,
test_space_cycle.py). Timings and axe results go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from browser_support import ARTIFACTS, FREE_TEXT, axe_violations, expected_answer, running
from support.project import essai_project_at
from support.spaces import save_site_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "mot-de-passe-de-test"
TIMINGS: dict[str, float] = {}
AXE: dict[str, list] = {}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from course.access.gate import set_password
    from course.settings import Project

    made = essai_project_at(tmp_path_factory.mktemp("espace") / "essai")
    set_password(made, "trainer", PASSWORD)
    save_site_settings(made)  # past the first visit's settings (test_browser_trainer_workshop)
    return Project(made.root)


@pytest.fixture(scope="module")
def server(project):
    yield from running(project, pool_size=0)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "trainer-space.json").write_text(
        json.dumps({"timings_s": TIMINGS, "axe": AXE}, ensure_ascii=False, indent=1)
    )


def timed(name: str, start: float) -> None:
    TIMINGS[name] = round(time.perf_counter() - start, 2)


def check_axe(page, name: str) -> None:
    found = axe_violations(page)
    AXE[name] = found
    assert found == [], f"{name}: {found}"


def sign_in_with_password(page, base: str) -> None:
    page.goto(f"{base}/atelier/")
    assert page.get_by_role("heading", name="Accès réservé").is_visible()
    assert "réservée à la personne qui anime" in page.inner_text("body")
    check_axe(page, "refus (sans connexion)")
    page.goto(f"{base}/atelier/connexion")
    check_axe(page, "connexion par mot de passe")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Entrer").click()
    assert page.get_by_text("Mot de passe refusé.").is_visible()
    check_axe(page, "refus (mot de passe faux)")
    page.goto(f"{base}/atelier/connexion")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Entrer").click()
    page.get_by_role("heading", name="Les ateliers du jour").wait_for()
    assert page.url == f"{base}/atelier/"


def create_and_enrol(page, project) -> str:
    check_axe(page, "accueil (ateliers du jour)")
    page.get_by_label("Lieu").fill("Médiathèque, salle 2")
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_role("button", name="Créer l'atelier").click()
    page.get_by_role("heading", name=re.compile("^Le groupe :")).wait_for()
    for name in ("Hélène", "Ahmed"):
        page.get_by_label("Prénom (ou pseudonyme)").fill(name)
        page.get_by_role("button", name="Inscrire", exact=True).click()
        page.get_by_role("status").filter(has_text=f"{name} est dans le groupe.").wait_for()
    page.get_by_label("Prénom (ou pseudonyme)").fill("Hélène")
    page.get_by_role("button", name="Inscrire", exact=True).click()
    page.get_by_role("alert").filter(
        has_text="Hélène est déjà dans le groupe : même personne ?"
    ).wait_for()
    check_axe(page, "groupe (avec la question « même personne ? »)")
    page.get_by_role("button", name="Oui, la même personne").click()
    page.get_by_role("heading", name="Le groupe (2)").wait_for()
    assert [lr.id for lr in project.roster().learners()] == ["ahmed", "helene"]
    check_axe(page, "groupe")
    page.get_by_role("link", name="Carte perdue : nouveau code pour Ahmed").click()
    page.get_by_role("heading", name="Donner un nouveau code à Ahmed ?").wait_for()
    check_axe(page, "nouveau code (la question)")
    page.get_by_role("button", name="Non, garder sa carte").click()
    page.get_by_role("status").filter(has_text="la carte de Ahmed marche toujours").wait_for()
    return page.url.split("?")[0]


def learners_work(project, module, sent: bool) -> None:
    """What the learners' pages write (their session): Hélène signs in with a code,
    does the lesson's exercise and answers 2 questions; with `sent`, both answer and send."""
    from course.access.room import RoomIdentity
    from course.learner.session import LearnerSession

    helene = LearnerSession(project, module, "helene")
    if not sent:
        RoomIdentity(project).sign_in("Hélène", project.roster().set_code("helene"))
        question = module.practice_questions[0]
        helene.practice(question.id, question.model_answer())
        for q in module.questions[:2]:
            helene.answer(q.id, expected_answer(q))
        return
    ahmed = LearnerSession(project, module, "ahmed")
    for q in module.questions:
        helene.answer(q.id, expected_answer(q))
        ahmed.answer(q.id, expected_answer(q))
    helene.submit()
    ahmed.submit()


def test_a_workshop_in_the_browser(server, project, context):
    from course.trainer.workflow import collect, grade

    page = context.new_page()
    start = time.perf_counter()
    sign_in_with_password(page, server.base)
    cookie = next(c for c in context.cookies() if c["name"] == "atelier-trainer")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/atelier/"
    workshop = create_and_enrol(page, project)
    timed("se connecter, créer l'atelier, inscrire", start)

    start = time.perf_counter()
    page.get_by_role("link", name="Suivi et évaluation").click()
    check_axe(page, "suivi et évaluation")
    status = page.locator("#job")
    collect_button = page.get_by_role("button", name="2. Ramasser")
    assert collect_button.get_attribute("aria-disabled") == "true"
    collect_button.click(force=True)  # aria-disabled, still focusable: its reason, nothing runs
    status.filter(has_text="Ouvrez d'abord l'évaluation").wait_for()
    page.get_by_role("button", name="1. Ouvrir l'évaluation").dblclick()
    status.filter(has_text=re.compile("Ouvrir l'évaluation : (terminé|échec)")).wait_for(
        timeout=180_000
    )
    assert "terminé" in status.inner_text() and "est ouverte aux apprenants" in status.inner_text()
    jobs = [page.request.get(f"{server.base}/atelier/api/taches/{n}").status for n in (1, 2)]
    assert jobs == [200, 404]  # the double click started one step
    page.locator("#cycle-line").filter(has_text="ouverte aux apprenants").wait_for()
    assert collect_button.get_attribute("aria-disabled") == "false"  # the cycle moved on
    timed("ouvrir l'évaluation (double clic)", start)

    start = time.perf_counter()
    module = project.catalogue.get("essai")
    helene = page.get_by_role("row", name=re.compile("Hélène"))
    learners_work(project, module, sent=False)
    helene.get_by_text("1 sur 1").wait_for()  # the table refreshes itself every 3 s
    helene.get_by_text("2 sur 10").wait_for()
    helene.get_by_text(re.compile("connexion à")).wait_for()
    learners_work(project, module, sent=True)
    ahmed = page.get_by_role("row", name=re.compile("Ahmed"))
    ahmed.get_by_text("Envoyée", exact=True).wait_for()
    assert ahmed.get_by_text("pas encore", exact=True).is_visible()  # he never signed in
    timed("suivi en direct, sans recharger", start)

    start = time.perf_counter()
    collect(project, module)
    grade(project, module)
    for row in (helene, ahmed):  # the rows follow the cycle without reloading
        row.get_by_text("Corrigée", exact=True).wait_for()
    page.get_by_role("link", name="4. Noter les réponses rédigées").click()
    page.get_by_role("heading", name="Question 5 : Répondez à votre ami en une phrase.").wait_for()
    assert page.get_by_text(FREE_TEXT).first.is_visible()
    check_axe(page, "corriger les réponses rédigées")
    section = page.locator("article", has=page.get_by_role("heading", name="Ahmed", exact=True))
    section.get_by_label(re.compile("^Note")).fill("1,5")
    section.get_by_label(re.compile("^Commentaire")).fill("Dites oui ou non.")
    section.get_by_role("button", name=re.compile("Enregistrer la note")).click()
    page.get_by_role("status").filter(has_text="Note enregistrée.").wait_for()
    assert page.get_by_text("Notée : 1,5 sur 2.").is_visible()
    page.get_by_role("link", name="Résultats").click()
    assert page.get_by_role("heading", name="Par compétence Pix").is_visible()
    assert page.get_by_role("row", name=re.compile("^Ahmed")).is_visible()
    check_axe(page, "résultats")
    assert page.url.startswith(workshop)
    timed("corriger, noter, résultats", start)

    start = time.perf_counter()
    page.get_by_role("link", name="Suivi et évaluation").click()
    page.get_by_role("button", name="5. Rendre les résultats").click()
    status.filter(has_text=re.compile("Rendre les résultats : (terminé|échec)")).wait_for(
        timeout=180_000
    )
    assert "Résultats rendus à 2 apprenants." in status.inner_text(), status.inner_text()
    for row in (helene, ahmed):  # « Ramassée » no more: the page says the results went back
        row.get_by_text("Résultats rendus", exact=True).wait_for()
    page.locator("#cycle-line").filter(
        has_text="Les résultats sont rendus (2 apprenants)."
    ).wait_for()
    timed("rendre les résultats", start)
