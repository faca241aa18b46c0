"""`course check`'s content rules: answers given away, repeated exercises, old or moved sources."""

import datetime
import re
from pathlib import Path

import pytest
from support.content import module, question, source

from course.content.catalogue import load_module
from course.content.check.review import content_problems

TODAY = datetime.date(2026, 12, 2)
MODULES = sorted(
    p for p in (Path(__file__).resolve().parents[2] / "modules").glob("0*") if p.is_dir()
)


SMS = question("numero", "qroc", "À quel numéro transférer un SMS douteux ?", answer=("33700",))
CNIL = question("nom", "qroc", "Qui reçoit les plaintes ?", answer=("CNIL", "la CNIL"))


@pytest.mark.parametrize(
    ("other", "found"),
    [
        (question("q2", choices=("Au 33 700", "Au 17"), answer=("Au 17",)), "33700"),
        (question("q2", prompt="Que dit le 33700 ?"), "33700"),
        (question("q2", prompt="La Cnil conseille un mot de passe long. Lequel ?"), "CNIL"),
        (question("q2", context="Un courriel de la CNIL arrive."), "CNIL"),
    ],
)
def test_an_answer_written_in_another_question_is_reported(tmp_path, other, found):
    problems = content_problems(module(tmp_path, [SMS, CNIL, other]), TODAY)
    assert len(problems) == 1
    assert f"« {found} »" in problems[0] and "« q2 »" in problems[0]


@pytest.mark.parametrize(
    "other",
    [
        question("q2", prompt="Vous recevez 337 SMS. Que faites-vous ?"),  # another number
        question("q2", prompt="Un ami dit « non ». Que faites-vous ?"),  # a common word
        question("q2", prompt="Vous voulez une formation. Que faites-vous ?"),
    ],
)
def test_other_words_and_numbers_are_no_giveaway(tmp_path, other):
    refuse = question("refus", "qroc", "Êtes-vous obligé ?", answer=("non",))
    titles = question("titre", "qroc", "Titre de la partie ?", answer=("Formation",))
    assert content_problems(module(tmp_path, [SMS, refuse, titles, other]), TODAY) == []


def test_an_answer_in_the_lesson_is_not_a_giveaway(tmp_path):
    lesson = [question("ex", prompt="Le 33700 reçoit les SMS douteux. Vrai ?")]
    assert content_problems(module(tmp_path, [SMS], lesson), TODAY) == []


def test_an_evaluation_question_identical_to_an_exercise_is_reported(tmp_path):
    fields = (("Site des impôts : impots.", ("gouv.fr",)), ("Site ameli : ameli.", ("fr",)))
    exercise = question("ex-fins", "qrocm", "Complétez la fin des adresses.", fields=fields)
    same = question("eval-fins", "qrocm", "Complétez la fin des adresses.", fields=fields[::-1])
    problems = content_problems(module(tmp_path, [same], [exercise]), TODAY)
    assert len(problems) == 1 and "« eval-fins »" in problems[0] and "« ex-fins »" in problems[0]


def test_a_question_that_only_shares_its_prompt_is_not_a_repeat(tmp_path):
    exercise = question(
        "ex", choices=("Je raccroche", "Je donne mon code"), answer=("Je raccroche",)
    )
    other = question("ev", choices=("Je vérifie", "Je clique"), answer=("Je vérifie",))
    assert content_problems(module(tmp_path, [other], [exercise]), TODAY) == []


@pytest.mark.parametrize(
    ("checked", "problem"),
    [
        ("2026-11-23", None),
        ("2025-12-02", None),  # exactly 12 months
        ("2025-12-01", "plus de 12 mois"),
        ("2024-01-15", "plus de 12 mois"),
        ("2026-12-25", "dans le futur"),
        ("pas une date", None),  # reported by check_content, not twice
    ],
)
def test_sources_must_be_reread_within_twelve_months(tmp_path, checked, problem):
    problems = content_problems(module(tmp_path, sources=[source(checked)]), TODAY)
    assert (problems == []) if problem is None else (len(problems) == 1 and problem in problems[0])


@pytest.mark.parametrize(
    ("url", "moved"),
    [
        ("https://www.service-public.fr/particuliers/vosdroits/F34800", True),
        ("https://service-public.fr/particuliers/actualites/A17211", True),
        ("https://www.service-public.gouv.fr/particuliers/vosdroits/F34800", False),
        ("https://www.economie.gouv.fr/particuliers", False),
    ],
)
def test_a_source_on_a_host_that_moved_is_reported(tmp_path, url, moved):
    problems = content_problems(module(tmp_path, sources=[source(url=url)]), TODAY)
    assert bool(problems) is moved
    if moved:
        assert "service-public.gouv.fr" in problems[0] and "« s »" in problems[0]


def test_a_moved_site_named_in_the_guide_or_lesson_is_reported(tmp_path):
    (tmp_path / "guide.md").write_text(
        "# Guide\n\nVoir Service-Public.fr.\n\nOu <https://www.service-public.gouv.fr/x>.\n",
        encoding="utf-8",
    )
    (tmp_path / "lesson.toml").write_text('text = "Allez sur service-public.fr"\n')
    problems = content_problems(module(tmp_path), TODAY)
    assert len(problems) == 2
    lesson, guide = problems
    assert guide.startswith("guide.md, ligne 3") and "« service-public.gouv.fr »" in guide
    assert lesson.startswith("lesson.toml, ligne 1")


@pytest.mark.parametrize("folder", MODULES, ids=lambda p: p.name)
def test_the_real_modules_have_no_such_problem(folder):
    # The day the sources were last re-read (7 December 2026): none is in the future.
    assert content_problems(load_module(folder), datetime.date(2026, 12, 7)) == []


@pytest.mark.parametrize("folder", MODULES, ids=lambda p: p.name)
def test_each_guide_starts_with_a_dated_update_line(folder):
    first = (folder / "guide.md").read_text(encoding="utf-8").splitlines()[0]
    assert re.match(r"Mis à jour le \d{1,2} \w+ \d{4} : \S", first), first
