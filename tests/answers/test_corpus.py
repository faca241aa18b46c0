"""Every short question of the six modules against answers learners really type
(`tests/answers/corpus/<module>.toml`), through the scorer the grade cells call and the check the
lesson's « Vérifier » runs: each must give the corpus's verdict, and both must agree.

Each short question (qroc, qrocm) of a lesson or an evaluation has at least 8 right and 4 wrong
answers in its module's corpus; a new short question without them fails here."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from course.answers.scoring import score
from course.content.catalogue import Catalogue, Question

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
CATALOGUE = Catalogue.load(ROOT / "modules")
SHORT = {"qroc", "qrocm"}
MIN_RIGHT, MIN_WRONG = 8, 4


def short_questions() -> list[tuple[str, Question]]:
    return [
        (module.folder.name, q)
        for module in CATALOGUE.modules
        for q in module.practice_questions + module.questions
        if q.type in SHORT
    ]


def corpus(folder: str) -> dict[str, dict[str, list[Any]]]:
    path = CORPUS / f"{folder}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {entry["id"]: entry for entry in data.get("questions", [])}


def cases() -> list[Any]:
    found = []
    for folder, q in short_questions():
        entry = corpus(folder).get(q.id, {})
        for verdict in ("right", "wrong"):
            for answer in entry.get(verdict, []):
                found.append(pytest.param(folder, q, answer, verdict == "right", id=f"{q.id}"))
    return found


@pytest.mark.parametrize(("folder", "question"), short_questions(), ids=lambda v: str(v))
def test_every_short_question_has_its_corpus(folder, question):
    entry = corpus(folder).get(question.id)
    assert entry is not None, f"{folder}: no corpus for {question.id}"
    assert len(entry.get("right", [])) >= MIN_RIGHT
    assert len(entry.get("wrong", [])) >= MIN_WRONG


def test_the_corpus_names_only_short_questions_that_exist():
    known = {(folder, q.id) for folder, q in short_questions()}
    files = sorted(CORPUS.glob("*.toml"))
    assert files
    for path in files:
        for qid in corpus(path.stem):
            assert (path.stem, qid) in known, f"{path.name}: {qid} is not a short question"


@pytest.mark.parametrize(("folder", "question", "answer", "right"), cases())
def test_a_real_answer_gets_its_verdict(folder, question, answer, right):
    key = question.key()
    points = score(key, answer)
    assert points == (key["points"] if right else 0.0), (folder, question.id, answer)
    # The lesson's « Vérifier » asks the kind the same question the grade cell does.
    assert question.kind.is_correct(key["answer"], answer) is right
