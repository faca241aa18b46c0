"""A workshop's evaluation through the trainer's space, in process (`support.spaces`): the
progress JSON the page polls, the cycle's steps as the page's script starts them (each a real
`course.trainer.space.run_step` child process running nbgrader), written answers graded in
the « Corriger » page, then the results. Learners answer through their real session
(`LearnerSession`, what their pages call); their pages in Chromium are the learner tests'."""

from __future__ import annotations

import re
import time

import pytest
from browser_pages import FREE_TEXT, expected_answer
from support.spaces import workshop_form

NAMES = {"helene": "Hélène", "ahmed": "Ahmed", "zoe": "Zoé"}


def run_step(trainer, step: str, wait: bool = True) -> dict:
    """Start a step as the page's button does; with `wait`, poll it as the page does until it
    ends, and return its last state."""
    started = trainer.api(f"api/ateliers/1/etapes/{step}?module=essai", "POST")
    assert started.status in (200, 202), started.text
    job = started.json()
    deadline = time.monotonic() + 240
    while wait and job["running"]:
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
        job = trainer.api(f"api/taches/{job['id']}").json()
    return job


def disabled(page) -> dict[str, str]:
    """The follow page's steps that are out of order now, with the sentence that says why."""
    return {
        b["data-step"]: page.soup.select_one(f"#why-{b['data-step']}").get_text()
        for b in page.soup.select("#cycle button")
        if b["aria-disabled"] == "true"
    }


def progress(trainer) -> dict[str, dict]:
    data = trainer.api("api/ateliers/1/suivi").json()
    assert data["module"] == "essai"
    return {row["id"]: row for row in data["learners"]}


def learners_work(project, module) -> None:
    """Hélène does the lesson's exercise; all sign in with their name and code and answer the
    evaluation (Zoé 2 questions of 10), then send it."""
    from course.access.room import RoomIdentity
    from course.learner.session import LearnerSession

    roster, room = project.roster(), RoomIdentity(project)
    for lid, name in NAMES.items():
        room.sign_in(name, roster.set_code(lid))  # signing in marks presence
        session = LearnerSession(project, module, lid)
        if lid == "helene":
            question = module.practice_questions[0]
            session.practice(question.id, question.model_answer())
        for q in module.questions[: 2 if lid == "zoe" else None]:
            session.answer(q.id, expected_answer(q))
        session.submit()


@pytest.mark.slow  # four steps, each a child process that imports nbgrader
def test_the_cycle_from_the_follow_page_to_the_results(trainer, essai_project):
    from course.answers.released import read_results

    trainer.post("", workshop_form())
    for name in NAMES.values():
        trainer.post("ateliers/1", {"op": "inscrire", "name": name})
    rows = progress(trainer)
    assert {r["lesson"] for r in rows.values()} == {"0 sur 1"}
    assert {r["evaluation"] for r in rows.values()} == {"0 sur 10"}
    assert {(r["state"], r["seen"]) for r in rows.values()} == {("Pas encore envoyée", "")}
    follow = trainer.get("ateliers/1/suivi")
    assert "L'évaluation n'est pas encore ouverte" in follow.soup.select_one("#cycle-line").text
    assert [b["data-step"] for b in follow.soup.select("#cycle button")] == [
        "ouvrir", "ramasser", "corriger", "rendre"
    ]  # fmt: skip
    out_of_order = disabled(follow)
    assert set(out_of_order) == {"ramasser", "corriger", "rendre"}
    assert (
        out_of_order["ramasser"] == "Ouvrez d'abord l'évaluation : il n'y a encore rien à ramasser."
    )
    early = trainer.api("api/ateliers/1/etapes/ramasser?module=essai", "POST")  # posted anyway
    assert early.status == 409 and early.json()["erreur"].startswith("Ouvrez d'abord")
    assert trainer.space.extra["jobs"].started == 0  # nothing ran, nothing says « terminé »

    opened = run_step(trainer, "ouvrir")
    assert (opened["label"], opened["state"]) == ("Ouvrir l'évaluation", "terminé"), opened
    assert trainer.api("api/ateliers/1/suivi").json()["released"] is True
    follow = trainer.get("ateliers/1/suivi")
    assert follow.soup.select_one("#cycle-line").text.startswith(
        "L'évaluation est ouverte aux apprenants"
    )
    assert "Ouvrir l'évaluation : terminé." in follow.soup.select_one("#job").get_text()
    assert set(disabled(follow)) == {"ouvrir", "corriger", "rendre"}
    assert trainer.api("api/ateliers/1/suivi").json()["cycle"]["why"]["ramasser"] == ""

    module = essai_project.catalogue.get("essai")
    learners_work(essai_project, module)
    rows = progress(trainer)
    assert rows["helene"]["lesson"] == "1 sur 1" and rows["ahmed"]["lesson"] == "0 sur 1"
    assert rows["zoe"]["evaluation"] == "2 sur 10" and rows["ahmed"]["evaluation"] == "10 sur 10"
    assert all(r["state"] == "Envoyée" and r["seen"] for r in rows.values()), rows

    first = run_step(trainer, "ramasser", wait=False)
    again = run_step(trainer, "ramasser", wait=False)  # a double click
    assert again["id"] == first["id"] and "est déjà en cours : patientez." in again["notice"]
    collected = run_step(trainer, "ramasser")  # the same job, waited on
    assert collected["id"] == first["id"] and trainer.space.extra["jobs"].started == 2
    assert collected["result"].startswith("3 évaluations ramassées"), collected
    assert {r["state"] for r in progress(trainer).values()} == {"Ramassée"}
    follow = trainer.get("ateliers/1/suivi")
    assert "L'évaluation est ramassée (3 évaluations)" in follow.words()
    assert set(disabled(follow)) == {"ouvrir", "rendre"}

    graded = run_step(trainer, "corriger")
    assert graded["state"] == "terminé" and "3 évaluations corrigées" in graded["result"]
    follow = trainer.get("ateliers/1/suivi")
    assert "L'évaluation est corrigée (3 évaluations)" in follow.words()
    assert set(disabled(follow)) == {"ouvrir"}

    page = trainer.get("ateliers/1/correction?module=essai")
    question = next(q for q in module.questions if q.id == "eval-message")
    number = [q.id for q in module.questions].index("eval-message") + 1
    assert [h.get_text() for h in page.soup.select("section.question h2")] == [
        f"Question {number} : {question.prompt}"
    ]  # the question and what is expected once, then each learner's answer
    assert [h.get_text() for h in page.soup.select("article.grade h3")] == [
        "Ahmed", "Hélène", "Zoé"
    ]  # fmt: skip
    assert page.words().count("Une réponse polie, qui dit oui ou non.") == 1
    assert "Un ami vous écrit" in page.words() and FREE_TEXT in page.words()
    bad = trainer.post("ateliers/1/correction?module=essai",
                       {"learner": "ahmed", "question": "eval-message", "score": "9"})  # fmt: skip
    assert bad.status == 400
    assert f"Ahmed, question {number} : La note doit être entre 0 et 2." in bad.status_text()
    for lid, score, comment in (("helene", "2", "Très clair, merci !"),
                                ("ahmed", "1,5", "Dites oui ou non.")):  # fmt: skip
        form = {"learner": lid, "question": "eval-message", "score": score, "comment": comment}
        saved = trainer.post("ateliers/1/correction?module=essai", form, follow=True)
        assert saved.status_text() == "Note enregistrée."
    assert "Notée : 1,5 sur 2." in saved.words()
    outsider = trainer.post("ateliers/1/correction?module=essai",
                            {"learner": "intrus", "question": "eval-message", "score": "1"})  # fmt: skip
    assert outsider.status == 400 and "pas dans le groupe" in outsider.words()

    released = run_step(trainer, "rendre")
    assert released["result"] == "Résultats rendus à 3 apprenants.", released
    follow = trainer.get("ateliers/1/suivi")
    assert "Les résultats sont rendus (3 apprenants)." in follow.words()
    results = read_results(essai_project.workspace("helene", "essai"))
    assert results is not None and results.outcome("eval-message").comment == "Très clair, merci !"

    page = trainer.get("ateliers/1/resultats")
    assert "11 sur 11" in page.row("Hélène").get_text()
    assert [h.get_text() for h in page.soup.select("h2")] == [
        "Par personne", "Par question", "Par compétence Pix",
        "Pour la reprise : les réponses du groupe", "Le détail de chaque personne",
    ]  # fmt: skip
    debrief_and_one_success_rate(trainer, essai_project, module, page)


def debrief_and_one_success_rate(trainer, project, module, page) -> None:
    """The debrief (who chose what, the short answers typed, each learner's detail) and the
    success rate: one definition, said under each table, the same figure on the trainer's
    results and the coordinator's dashboard for this workshop."""
    from support.spaces import SpaceClient

    from course.coordinator.results import RATE_SENTENCE

    assert page.words().count(RATE_SENTENCE) == 3
    group = " ".join(page.row("Tout le groupe").get_text(" ").split())
    # Hélène 11, Ahmed 10,5 (1,5 for his message), Zoé 2 (her message, blank, waits at 0).
    assert group.startswith("Tout le groupe 23,5 sur 33 71 %"), group
    numbers = {q.id: n for n, q in enumerate(module.questions, 1)}
    choice = next(q for q in module.questions if q.type == "qcu")
    card = page.soup.select_one(f"#d-{choice.id}").parent
    assert "3 réponses." in card.get_text()
    chosen = {tr.th.get_text(): tr.select("td")[0].get_text() for tr in card.select("tbody tr")}
    assert chosen[choice.answer[0]] == "3 personnes"
    assert {chosen[c] for c in choice.choices if c not in choice.answer} == {"0 personne"}
    short = next(q for q in module.questions if q.type == "qroc")
    card = page.soup.select_one(f"#d-{short.id}").parent
    assert "2 réponses, 1 laissée vide." in card.get_text(" ")
    assert card.select_one("li").get_text() == f"« {expected_answer(short)} » : 2 personnes"
    zoe = next(d for d in page.soup.select("details") if d.summary.get_text() == "Zoé")
    line = " ".join(zoe.find("th", string=re.compile(rf"^{numbers[short.id]}\. ")).parent
                    .get_text(" ").split())  # fmt: skip
    assert line.endswith("(pas de réponse) 0 sur 1"), line
    with SpaceClient(project, role="coordinator") as coordinator:
        coordinator.sign_in()
        board = coordinator.get("")
    by_module = board.soup.find("caption", string="Les chiffres de chaque module").parent
    module_row = " ".join(by_module.select_one("tbody tr").get_text(" ").split())
    assert module_row.endswith(" 71 %"), module_row  # the same rate as « Tout le groupe »
    assert RATE_SENTENCE in board.words()
    assert "Résultats avec les prénoms de ce site" in board.words()  # this site knows them
    trainer_rates = {tr.th.get_text().split()[0]: tr.select("td")[1].get_text()
                     for tr in page.soup.select("#t3 ~ table tbody tr")}  # fmt: skip
    table = board.soup.find("caption", string="Réussite par compétence Pix").parent
    board_rates = {tr.th.get_text().split()[0]: tr.select("td")[3].get_text()
                   for tr in table.select("tbody tr")}  # fmt: skip
    assert board_rates == trainer_rates, (board_rates, trainer_rates)
