"""The trainer's space in Chromium, end to end, on one real `course serve` and gradebook.

The trainer comes in with the link `course serve` prints, creates a workshop, enrols three
learners, prints their cards, opens the evaluation, watches three learners (their own browser
contexts) progress live, collects (a double click runs it once), grades, grades two written
answers with comments and releases the results. Learners' contexts are refused everywhere in
the space; axe-core checks every page. Timings and axe results go to test-artifacts/.
"""

from __future__ import annotations

import io
import json
import re
import time

import pytest
from browser_support import (
    ARTIFACTS,
    FREE_TEXT,
    answer,
    axe_violations,
    expected_answer,
    new_context,
    open_page,
    running,
)
from conftest import essai_project_at

from course.access.gate import Gate

pytestmark = pytest.mark.browser

NAMES = ("Hélène", "Ahmed", "Zoé")
TIMINGS: dict[str, float] = {}
AXE: dict[str, list] = {}


PASSWORD = "mot-de-passe-de-test"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from course.access.gate import set_password
    from course.settings import Project

    made = essai_project_at(tmp_path_factory.mktemp("espace") / "essai")
    set_password(made, "trainer", PASSWORD)
    return Project(made.root)


@pytest.fixture(scope="module")
def server(project):
    yield from running(project, pool_size=0)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "trainer-space.json").write_text(
        json.dumps({"timings_s": TIMINGS, "axe": AXE}, ensure_ascii=False, indent=1)
    )


@pytest.fixture(scope="module")
def trainer(server, project):
    from browser_support import Guard

    guard = Guard()
    context = new_context(guard)
    page = context.new_page()
    token = Gate(project, "trainer").issue_link_token()
    page.goto(f"{server.base}/atelier/connexion?jeton={token}")
    yield page
    guard.check()
    context.close()


def timed(name: str, start: float) -> None:
    TIMINGS[name] = round(time.perf_counter() - start, 2)


def check_axe(page, name: str) -> None:
    found = axe_violations(page)
    AXE[name] = found
    assert found == [], f"{name}: {found}"


def run_step(page, label: str) -> str:
    """Click a cycle button and wait until its status says it ended; return that status."""
    page.get_by_role("button", name=label).click()
    return step_ended(page, label.split(". ", 1)[1])


def step_ended(page, job: str) -> str:
    status = page.locator("#job")
    status.filter(has_text=re.compile(f"{job} : (terminé|échec)")).wait_for(timeout=180_000)
    text = status.inner_text()
    assert "terminé" in text, text
    return text


def test_a_workshop_from_creation_to_released_results(server, project, trainer, guard):
    from course.answers.released import read_results

    page = trainer
    start = time.perf_counter()
    assert page.url == f"{server.base}/atelier/"  # the token left the address bar
    page.get_by_role("heading", name="Les ateliers du jour").wait_for()
    check_axe(page, "accueil (ateliers du jour)")
    page.get_by_label("Lieu").fill("Médiathèque, salle 2")
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_role("button", name="Créer l'atelier").click()
    page.get_by_role("heading", name=re.compile("^Le groupe :")).wait_for()
    workshop_url = page.url.split("?")[0]
    for name in NAMES:
        page.get_by_label("Prénom (ou pseudonyme)").fill(name)
        page.get_by_role("button", name="Inscrire", exact=True).click()
        page.get_by_role("status").filter(has_text=f"{name} est dans le groupe.").wait_for()
    # The same first name again: a question, not a silent « helene-2 ».
    page.get_by_label("Prénom (ou pseudonyme)").fill("Hélène")
    page.get_by_role("button", name="Inscrire", exact=True).click()
    page.get_by_role("alert").filter(
        has_text="Hélène est déjà dans le groupe : même personne ?"
    ).wait_for()
    check_axe(page, "groupe (avec la question « même personne ? »)")
    page.get_by_role("button", name="Oui, la même personne").click()
    page.get_by_role("heading", name="Le groupe (3)").wait_for()
    assert [lr.id for lr in project.roster().learners()] == ["ahmed", "helene", "zoe"]
    codes = {
        name: page.get_by_role("row", name=re.compile(name)).locator(".code").inner_text()
        for name in NAMES
    }
    check_axe(page, "groupe")
    timed("créer l'atelier et inscrire 3 personnes", start)

    start = time.perf_counter()
    pdf = page.request.get(workshop_url + "/cartes.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    room = f"127.0.0.1:{server.port}"
    assert room in text and all(n in text for n in NAMES) and codes["Zoé"] in text
    assert list((project.data_dir / "cards").glob("*.pdf"))[0].stat().st_mode & 0o077 == 0
    timed("imprimer les cartes", start)

    start = time.perf_counter()
    page.get_by_role("link", name="Suivi et évaluation").click()
    check_axe(page, "suivi et évaluation")
    run_step(page, "1. Ouvrir l'évaluation")
    timed("ouvrir l'évaluation", start)

    start = time.perf_counter()
    module = project.catalogue.get("essai")
    learners = []
    for name in NAMES:
        context = new_context(guard)
        token = project.roster().token(name_id(name))
        lesson = open_page(context, server.url("essai/lesson.ipynb", token), guard)
        if name == "Hélène":
            answer(lesson, module.practice_questions[0], "Bleu")
        lesson.close()
        learners.append((name, context, token))
    row = page.get_by_role("row", name=re.compile("Hélène"))
    row.get_by_text("1 sur 1").wait_for()  # the lesson's exercise, without a reload
    page.get_by_role("row", name=re.compile("Ahmed")).get_by_text("0 sur 1").wait_for()
    timed("3 personnes ouvrent la leçon (suivi en direct)", start)

    start = time.perf_counter()
    for name, context, token in learners:
        sheet = open_page(context, server.url("essai/evaluation.ipynb", token), guard)
        for q in module.questions[: 5 if name != "Zoé" else 2]:
            answer(sheet, q, expected_answer(q))
        sheet.get_by_role("button", name="Envoyer mes réponses").click()
        sheet.get_by_role("button", name="Oui, j'envoie").click()
        sheet.get_by_role("heading", name="C'est envoyé. Merci.").wait_for()
        sheet.close()
        page.get_by_role("row", name=re.compile(name)).get_by_text("Envoyée").wait_for()
    zoe = page.get_by_role("row", name=re.compile("Zoé"))
    zoe.get_by_text("2 sur 5").wait_for()  # the live table refreshes every 3 s
    zoe.get_by_text(re.compile("connexion à")).wait_for()
    timed("3 évaluations envoyées, vues en direct", start)

    start = time.perf_counter()
    collect = page.get_by_role("button", name="2. Ramasser")
    collect.dblclick()
    assert "3 évaluation(s) ramassée(s)" in step_ended(page, "Ramasser")
    jobs = [page.request.get(f"{server.base}/atelier/api/taches/{n}").status for n in (1, 2, 3)]
    assert jobs == [200, 200, 404]  # open, collect once: the double click started nothing more
    page.get_by_role("row", name=re.compile("Ahmed")).get_by_text("Ramassée").wait_for()
    timed("ramasser (double clic)", start)

    start = time.perf_counter()
    assert "3 évaluation(s) corrigée(s)" in run_step(page, "3. Corriger")
    timed("corriger automatiquement", start)

    start = time.perf_counter()
    page.get_by_role("link", name="4. Noter les réponses rédigées").click()
    page.get_by_role("heading", name="Hélène : Répondez à votre ami en une phrase.").wait_for()
    assert page.get_by_text("Un ami vous écrit").first.is_visible()
    assert page.get_by_text(FREE_TEXT).first.is_visible()
    check_axe(page, "corriger les réponses rédigées")
    for name, score, comment in (
        ("Hélène", "2", "Très clair, merci !"),
        ("Ahmed", "1,5", "Dites oui ou non."),
    ):
        section = page.locator(
            "section", has=page.get_by_role("heading", name=re.compile(f"^{name} :"))
        )
        section.get_by_label(re.compile("^Note")).fill(score)
        section.get_by_label(re.compile("^Commentaire")).fill(comment)
        section.get_by_role("button", name=re.compile("Enregistrer la note")).click()
        page.get_by_role("status").filter(has_text="Note enregistrée.").wait_for()
    assert page.get_by_text("Notée : 1,5 sur 2.").is_visible()
    timed("noter 2 réponses rédigées", start)

    start = time.perf_counter()
    page.get_by_role("link", name="Suivi et évaluation").click()
    assert "Résultats rendus à 3 apprenant(s)." in run_step(page, "5. Rendre les résultats")
    results = read_results(project.workspace("helene", "essai"))
    assert results is not None and results.outcome("eval-message").comment == "Très clair, merci !"
    timed("rendre les résultats", start)

    page.get_by_role("link", name="Résultats").click()
    helene = page.get_by_role("row", name=re.compile("^Hélène"))
    assert helene.get_by_text("6 sur 6").is_visible()
    assert page.get_by_role("heading", name="Par compétence Pix").is_visible()
    check_axe(page, "résultats")

    for _name, context, _token in learners:
        refused_everywhere(context, server, workshop_url)
        context.close()


def name_id(name: str) -> str:
    from course.access.roster import slugify

    return slugify(name)


def refused_everywhere(context, server, workshop_url: str) -> None:
    """A learner's browser (same machine, same origin) gets a French refusal and nothing else."""
    base = f"{server.base}/atelier"
    urls = [
        f"{base}/",
        workshop_url,
        workshop_url + "/cartes.pdf",
        workshop_url + "/suivi",
        workshop_url + "/correction",
        workshop_url + "/resultats",
        f"{base}/api/ateliers/1/suivi",
        f"{base}/api/taches/1",
        f"{base}/static/space.css",
        f"{base}/static/space.js",
        f"{base}/connexion?jeton=faux",
    ]
    for url in urls:
        response = context.request.get(url, max_redirects=0)
        body = response.text()
        assert response.status == 403, url
        assert "Ahmed" not in body and "essai" not in body, url
    # The sign-in page (a password is set) shows its form and nothing of the space.
    form = context.request.get(f"{base}/connexion")
    assert form.status == 200 and "mot_de_passe" in form.text() and "Ahmed" not in form.text()
    for url in (f"{base}/api/ateliers/1/etapes/ramasser", workshop_url, f"{base}/"):
        assert context.request.post(url, form={"op": "retirer", "learner": "ahmed"}).status == 403
    page = context.new_page()
    page.goto(f"{base}/")
    assert page.get_by_role("heading", name="Accès réservé").is_visible()
    assert "réservée à la personne qui anime" in page.inner_text("body")
    if "refus (apprenant)" not in AXE:
        check_axe(page, "refus (apprenant)")
    page.close()


def test_bad_input_is_refused_in_french(server, project, trainer):
    page = trainer
    page.goto(f"{server.base}/atelier/")
    page.get_by_role("button", name="Créer l'atelier").click()
    page.get_by_role("heading", name=re.compile("^Le groupe :")).wait_for()
    url = page.url.split("?")[0]
    jeton = page.locator("body").get_attribute("data-jeton")

    def enrol(name: str):
        return page.request.post(url, form={"_jeton": jeton, "op": "inscrire", "name": name})

    refused = {
        "": "Le prénom est vide.",
        "A" * 500: "Le prénom est trop long",
        "🙂🙂": "au moins une lettre",
        "../": "au moins une lettre",
    }
    for name, message in refused.items():
        response = enrol(name)
        assert response.status == 400 and message in response.text(), name
    # A workshop without learners: no cards, a plain sentence, nothing breaks.
    cards = page.request.get(url + "/cartes.pdf")
    assert cards.status == 400 and "Aucun apprenant dans ce groupe" in cards.text()
    page.goto(url + "/suivi")
    assert page.get_by_text("Personne n'est inscrit").is_visible()
    page.goto(url + "/resultats")
    assert page.get_by_text("Pas encore de résultats").is_visible()
    # Accepted, and kept as typed: an emoji beside letters, a path-like name (its id is safe).
    assert enrol("Léa 🌸").status == 200 and enrol("../../etc").status == 200
    ids = {lr.id: lr.name for lr in project.roster().learners()}
    assert ids["lea"] == "Léa 🌸" and ids["etc"] == "../../etc"
    assert not (project.root.parent / "etc").exists()
    # Renaming and a lost card, from the page.
    page.goto(url)
    row = page.get_by_role("row", name=re.compile("Léa"))
    old_code = row.locator(".code").inner_text()
    row.get_by_label("Nouveau prénom pour Léa 🌸").fill("Léonie")
    row.get_by_role("button", name="Renommer").click()
    page.get_by_role("status").filter(has_text="Léonie : prénom changé").wait_for()
    assert "leonie" in {lr.id for lr in project.roster().learners()}
    row = page.get_by_role("row", name=re.compile("Léonie"))
    assert row.locator(".code").inner_text() == old_code
    row.get_by_role("button", name=re.compile("Carte perdue")).click()
    page.get_by_role("status").filter(has_text="Nouveau code donné").wait_for()
    assert (
        page.get_by_role("row", name=re.compile("Léonie")).locator(".code").inner_text() != old_code
    )
    # Someone whose evaluation was graded keeps the name that labels their results.
    first = url.rsplit("/", 1)[0] + "/1"
    response = page.request.post(
        first, form={"_jeton": jeton, "op": "renommer", "learner": "ahmed", "name": "Karim"}
    )
    assert response.status == 400 and "a déjà envoyé une évaluation" in response.text()
    # Without the CSRF value, a POST is refused even with the trainer's cookie.
    assert page.request.post(url, form={"op": "inscrire", "name": "Intrus"}).status == 403
    jobs = page.request.post(f"{server.base}/atelier/api/ateliers/1/etapes/ramasser")
    assert jobs.status == 403


def test_password_from_another_computer(server, guard):
    context = new_context(guard)
    page = context.new_page()
    page.goto(f"{server.base}/atelier/connexion")
    check_axe(page, "connexion par mot de passe")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Entrer").click()
    assert page.get_by_text("Mot de passe refusé.").is_visible()
    check_axe(page, "refus (mot de passe faux)")
    assert "Ahmed" not in page.content()
    page.goto(f"{server.base}/atelier/connexion")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Entrer").click()
    page.get_by_role("heading", name="Les ateliers du jour").wait_for()
    assert page.url == f"{server.base}/atelier/"
    cookie = next(c for c in context.cookies() if c["name"] == "atelier-trainer")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/atelier/"
    context.close()
