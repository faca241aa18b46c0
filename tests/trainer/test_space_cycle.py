"""A workshop's evaluation through the trainer's space, in process (`support.spaces`): the
progress JSON the page polls, the cycle's steps as the page's script starts them (each a real
`course.trainer.space.run_step` child process running nbgrader), written answers graded in
the « Corriger » page, then the results. Learners answer through their real session
(`LearnerSession`, what their pages call); their pages in Chromium are the learner tests'."""

from __future__ import annotations

import time

import pytest
from browser_pages import FREE_TEXT, expected_answer

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

    trainer.post("", {"module": "essai"})
    for name in NAMES.values():
        trainer.post("ateliers/1", {"op": "inscrire", "name": name})
    rows = progress(trainer)
    assert {r["lesson"] for r in rows.values()} == {"0 sur 1"}
    assert {r["evaluation"] for r in rows.values()} == {"0 sur 10"}
    assert {(r["state"], r["seen"]) for r in rows.values()} == {("Pas encore envoyée", "")}
    follow = trainer.get("ateliers/1/suivi")
    assert "L'évaluation n'est pas encore ouverte." in follow.words()
    assert [b["data-step"] for b in follow.soup.select("#cycle button")] == [
        "ouvrir", "ramasser", "corriger", "rendre"
    ]  # fmt: skip

    opened = run_step(trainer, "ouvrir")
    assert (opened["label"], opened["state"]) == ("Ouvrir l'évaluation", "terminé"), opened
    assert trainer.api("api/ateliers/1/suivi").json()["released"] is True
    follow = trainer.get("ateliers/1/suivi")
    assert "L'évaluation est ouverte aux apprenants." in follow.words()
    assert "Ouvrir l'évaluation : terminé." in follow.soup.select_one("#job").get_text()

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
    assert collected["result"].startswith("3 évaluation(s) ramassée(s)"), collected
    assert {r["state"] for r in progress(trainer).values()} == {"Ramassée"}

    graded = run_step(trainer, "corriger")
    assert graded["state"] == "terminé" and "3 évaluation(s) corrigée(s)" in graded["result"]

    page = trainer.get("ateliers/1/correction?module=essai")
    question = next(q for q in module.questions if q.id == "eval-message")
    headings = [h.get_text() for h in page.soup.select("section.grade h2")]
    assert f"Hélène : {question.prompt}" in headings and len(headings) == 3
    assert "Un ami vous écrit" in page.words() and FREE_TEXT in page.words()
    bad = trainer.post("ateliers/1/correction?module=essai",
                       {"learner": "ahmed", "question": "eval-message", "score": "9"})  # fmt: skip
    assert bad.status == 400 and bad.status_text()
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
    assert released["result"] == "Résultats rendus à 3 apprenant(s).", released
    results = read_results(essai_project.workspace("helene", "essai"))
    assert results is not None and results.outcome("eval-message").comment == "Très clair, merci !"

    page = trainer.get("ateliers/1/resultats")
    assert "11 sur 11" in page.row("Hélène").get_text()
    assert [h.get_text() for h in page.soup.select("h2")] == [
        "Par personne", "Par question", "Par compétence Pix"
    ]  # fmt: skip
