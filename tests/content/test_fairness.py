"""`course check`'s fairness rules: keyed answers' place and length, near-copies of exercises,
« exemple »/.example addresses, hard words explained, short answers given away; and the
fixture module that breaks each of them once (tests/fixtures/check-modules/01-regles)."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from support.content import module, question, source

from course.content.catalogue import load_module
from course.content.check import render, run_check
from course.content.check.fairness import (
    fairness_problems,
    key_is_longest,
    key_position,
    key_statistics,
    similarity,
)
from course.content.check.glossary import HardWord, explained, unexplained_words
from course.content.check.review import content_problems

REPO = Path(__file__).resolve().parents[2]
BROKEN = REPO / "tests" / "fixtures" / "check-modules" / "01-regles"
TODAY = datetime.date(2026, 12, 7)


def qcu(qid: str, choices: tuple[str, ...], answer: str, prompt: str = "Que faites-vous ?"):
    return question(qid, "qcu", prompt, choices=choices, answer=(answer,))


def test_position_and_length_of_the_key():
    q = qcu("q", ("Non", "Oui, bien sûr", "Peut-être"), "Oui, bien sûr")
    assert key_position(q) == 2 and key_is_longest(q)
    tie = qcu("t", ("Abc", "Xyz"), "Abc")
    assert key_position(tie) == 1 and not key_is_longest(tie)  # a tie is no cue
    stats = key_statistics([q, tie])
    assert (stats.questions, stats.first, stats.longest) == (2, 1, 1)
    assert stats.positions == {1: 1, 2: 1}


def test_the_broken_fixture_breaks_every_rule_once():
    broken = load_module(BROKEN)
    problems = content_problems(broken, TODAY)
    expected = [
        # the keyed choice first in most one-answer questions, and the longest in most
        ("le choix n° 1 dans 5 questions", "evaluation.toml et lesson.toml", "« ex-paiement »"),
        ("le choix le plus long dans 5 questions", "evaluation.toml et lesson.toml", "« ex-lien »"),
        # an evaluation question that repeats an exercise
        ("presque mot pour mot", "evaluation.toml, question « eval-adresse »", "« ex-adresse »"),
        # a short answer printed in another question of the evaluation
        ("« mandat »", "evaluation.toml, question « eval-mot-mandat »", "« eval-aidant »"),
        # an address mixing « exemple » and .example
        ("mélange « exemple »", "evaluation.toml, question « eval-recopier »", ".example"),
        # a hard word never explained
        ("« mandat cash »", "lesson.toml, étape 1 « Payer un vendeur », texte", "parenthèses"),
    ]
    for what, where, also in expected:
        found = [p for p in problems if what in p]
        assert len(found) == 1, (what, problems)
        assert found[0].startswith(where) and also in found[0], found[0]
    assert len(problems) == len(expected), problems


def test_course_check_fails_on_the_broken_fixture(tmp_path, monkeypatch):
    from course.settings import Project
    from course.trainer.workflow import build_sources

    monkeypatch.delenv("COURSE_ROOT", raising=False)
    root = tmp_path / "projet"
    (root / "modules").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(BROKEN, root / "modules" / BROKEN.name)
    build_sources(Project(root))
    report = run_check(Project(root), grading=False)
    text = "\n".join(render(report))
    assert not report.ok
    for what in ("choix n° 1", "le plus long", "mot pour mot", "« mandat »", "« exemple »"):
        assert what in text, text
    assert "« mandat cash » apparaît ici pour la première fois sans explication" in text


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("Payez par mandat cash (un envoi d'argent en espèces).", True),
        ("Le mandat cash : un envoi d'argent en espèces.", True),
        ("Le mandat cash, c'est-à-dire un envoi d'argent en espèces.", True),
        ("Refusez le mandat cash et les chèques.", False),
        ("Refusez les mandats cash.", False),  # the plural is the same word
        ("Vous signez un mandat.", None),  # another word
    ],
)
def test_a_hard_word_is_explained_in_its_sentence(sentence, verdict):
    assert explained(sentence, "mandat cash") is verdict


def test_only_the_first_appearance_needs_explaining(tmp_path):
    broken = load_module(BROKEN)
    glossary = (HardWord("mandat cash", "un envoi d'argent"), HardWord("ornithorynque", "x"))
    found = list(unexplained_words(broken, glossary))
    assert len(found) == 1 and "étape 1" in found[0]


def test_near_copies_are_measured_on_what_the_learner_reads():
    a = qcu(
        "a", ("Je raccroche", "Je donne mon code"), "Je raccroche", "Un faux conseiller appelle."
    )
    b = qcu(
        "b", ("Je donne mon code", "Je raccroche"), "Je raccroche", "Un faux conseiller appelle !"
    )
    c = qcu("c", ("Je vérifie l'adresse", "Je clique"), "Je vérifie l'adresse", "Un SMS arrive.")
    assert similarity(a, b) > 90  # same texts, choices in another order
    assert similarity(a, c) < 60


def test_turns_of_two_choices_are_no_cue(tmp_path):
    questions = [
        qcu(f"q{i}", ("Oui", "Non")[:: 1 if i % 2 else -1], "Oui", f"Question {i} ?")
        for i in range(7)
    ]
    few = module(tmp_path, lesson=questions, id="m", title="M",
                 sources=[source("2026-12-01", "https://ateliers.example")])  # fmt: skip
    assert fairness_problems(few) == []  # 4 against 3: a majority of one is no cue
