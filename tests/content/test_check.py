"""`course check`: the real modules pass it, and each rule fails on a module that breaks it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from course.content.catalogue import Question
from course.content.check import (
    CheckSettings,
    find_jargon,
    key_answer,
    read_jargon,
    readability_score,
    render,
    run_check,
    split_sentences,
    words,
)
from course.settings import Project
from course.trainer.workflow import build_sources

REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------
# The real modules
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_modules_pass_the_whole_check():
    """The suite runs `course check` on the project itself, nbgrader chain included."""
    report = run_check(Project(REPO))
    assert report.modules
    assert report.ok, "\n".join(render(report))
    for module in report.modules:
        assert module.grading.startswith("nbgrader : la clé obtient"), module.grading


# ---------------------------------------------------------------------------------------------
# A small synthetic module, valid, that each test breaks in one way
# ---------------------------------------------------------------------------------------------

SOURCE = {
    "id": "source-essai",
    "title": "Une page officielle",
    "publisher": "Service-Public",
    "url": "https://www.service-public.gouv.fr/particuliers/vosdroits/F34800",
    "checked": "2026-11-23",
}


def _qcu(qid: str, n: int, prompt: str = "Combien font {n} et {n} ?") -> dict:
    return {
        "id": qid,
        "type": "qcu",
        "prompt": prompt.format(n=n),
        # The right total first or second, by turns: `course check` fails a module whose keyed
        # answers sit at the same place.
        "choices": [str(2 * n), str(2 * n + 1)][:: 1 if (n + qid.startswith("eval")) % 2 else -1],
        "answer": str(2 * n),
        "explanation": f"La bonne réponse est {2 * n}. On compte sur ses doigts.",
        "competence": "1.3",
        "points": 1,
        "sources": ["source-essai"],
    }


def synthetic_module() -> dict:
    practice = [{"question": _qcu(f"ex-{i}", i)} for i in range(1, 11)]
    # Not the lesson's exercises again: `course check` reports an evaluation question identical
    # to an exercise.
    questions = [_qcu(f"eval-{i}", i, "Quel est le total de {n} et {n} ?") for i in range(1, 10)]
    questions.append(
        {
            "id": "eval-nom",
            "type": "qroc",
            "prompt": "Quel organisme protège vos données ? Écrivez son nom.",
            "answer": ["CNIL", "la CNIL"],
            "explanation": "La bonne réponse est la CNIL.",
            "competence": "4.2",
            "sources": ["source-essai"],
        }
    )
    questions.append(
        {
            "id": "eval-libre",
            "type": "libre",
            "prompt": "Racontez votre journée en deux phrases.",
            "explanation": "Toute réponse sincère est bonne.",
            "competence": "3.1",
            "points": 2,
            "sources": ["source-essai"],
        }
    )
    return {
        "module": {
            "title": "Compter",
            "level": "Débutant",
            "duration_minutes": 30,
            "summary": "Compter jusqu'à vingt. Vérifier son calcul.",
            "objectives": ["Ajouter deux nombres", "Vérifier une addition"],
            "sources": [dict(SOURCE)],
        },
        "lesson": {
            "title": "Compter",
            "steps": [
                {
                    "title": "Ajouter",
                    "text": "Vous avez deux mains. Chaque main a cinq doigts. Comptez-les !",
                },
                *practice,
            ],
        },
        "evaluation": {
            "intro": "Prenez votre temps. Il n'y a pas de piège.",
            "questions": questions,
        },
    }


def _toml_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML string
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def to_toml(data: dict) -> str:
    """Enough TOML for our files: top-level keys, arrays of tables, inline sub-tables."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for table in value:
                lines.append(f"\n[[{key}]]")
                lines += [f"{k} = {_toml_value(v)}" for k, v in table.items()]
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # what we write must read back
    return text


def write_project(root: Path, modules: dict[str, dict], config_extra: str = "") -> Project:
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "nbgrader_config.py").read_text(encoding="utf-8") + config_extra
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    for folder, content in modules.items():
        path = root / "modules" / folder
        path.mkdir(parents=True)
        for name, data in content.items():
            (path / f"{name}.toml").write_text(to_toml(data), encoding="utf-8")
    project = Project(root)
    build_sources(project)
    return Project(root)  # fresh catalogue


@pytest.fixture
def make_project(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)

    def make(content: dict | None = None, config_extra: str = "") -> Project:
        return write_project(
            tmp_path / "projet", {"01-compter": content or synthetic_module()}, config_extra
        )

    return make


def rules(report, module="compter") -> set[str]:
    return {p.rule for p in report.module(module).problems}


def test_synthetic_module_passes(make_project):
    report = run_check(make_project(), grading=False)
    assert report.ok, "\n".join(render(report))


# --- plain French ------------------------------------------------------------------------------


def test_long_sentence_fails(make_project):
    content = synthetic_module()
    long = " ".join(["Vous"] + ["lisez"] * 25) + "."
    content["lesson"]["steps"][0]["text"] += "\n\n" + long
    report = run_check(make_project(content), grading=False)
    problems = [p for p in report.module("compter").problems if p.rule == "phrase longue"]
    assert len(problems) == 1
    assert "26 mots" in problems[0].message
    assert problems[0].where == "lesson.toml, étape 1 « Ajouter », texte"
    assert not report.ok


def test_average_sentence_length_fails(make_project):
    content = synthetic_module()
    long = " ".join(["Vous"] + ["lisez"] * 23) + ". "  # 24 words: each sentence is allowed
    content["lesson"]["steps"][0]["text"] = long * 200
    report = run_check(make_project(content), grading=False)
    assert "longueur moyenne" in rules(report)
    assert "phrase longue" not in rules(report)
    assert report.module("compter").readability.average_words > 15


def test_low_readability_fails(make_project):
    content = synthetic_module()
    hard = (
        "L'administration départementale communique systématiquement "
        "les informations réglementaires. "
    )
    content["lesson"]["steps"][0]["text"] = hard * 40
    report = run_check(make_project(content), grading=False)
    assert rules(report) == {"lisibilité"}
    assert report.module("compter").readability.score < 75


def test_thresholds_come_from_nbgrader_config(make_project):
    project = make_project(config_extra="\nc.CheckSettings.max_sentence_words = 5\n")
    assert CheckSettings(config=project.config).max_sentence_words == 5
    report = run_check(project, grading=False)
    assert "phrase longue" in rules(report)


@pytest.mark.parametrize(
    "text",
    [
        "Ouvrez vos mails.",
        "Un E-MAIL de votre banque.",
        "Cliquez sur « upload ».",
        "Votre compte est hacké !",
        "Méfiez-vous des fake news.",
        "Vous avez reçu des spams.",
    ],
)
def test_jargon_word_fails(make_project, text):
    content = synthetic_module()
    content["evaluation"]["questions"][0]["explanation"] = text
    report = run_check(make_project(content), grading=False)
    problems = [p for p in report.module("compter").problems if p.rule == "jargon"]
    assert len(problems) == 1, problems
    assert problems[0].where == "evaluation.toml, question « eval-1 », explication"
    assert "écrivez plutôt" in problems[0].message


def test_module_allow_words(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    content = synthetic_module()
    content["lesson"]["steps"][0]["text"] = (
        "Signalez-le sur Signal Spam. Allez sur signal-spam.fr. Ouvrez l'App Store."
    )
    report = run_check(write_project(tmp_path / "a", {"01-compter": content}), grading=False)
    assert [p.message for p in report.module("compter").problems] == [
        "mot anglais ou jargon « app » : écrivez plutôt « application »"
    ]
    content["module"]["allow_words"] = ["App Store"]
    report = run_check(write_project(tmp_path / "b", {"01-compter": content}), grading=False)
    assert report.ok, "\n".join(render(report))


def test_jargon_matches_whole_words_case_and_accents():
    jargon = read_jargon()
    assert len(jargon.entries) >= 60
    found = lambda text: [w for w, _ in find_jargon(text, jargon)]  # noqa: E731
    assert found("Mon SmartPhone") == ["smartphone"]
    assert found("un courriel, une maille, des e-mails") == ["e-mail"]
    assert found("Il est HACKE") == ["hacké"]  # accents optional either way
    assert found("les clouds") == ["cloud"]
    assert found("une postérité, un poste, la Poste") == []
    assert found("Le site internet-signalement.gouv.fr") == []
    assert found("https://cloud.example/upload") == []
    assert found("Signal Spam") == []
    assert found("un spam") == ["spam"]
    assert found("Un login") == ["login"]


# --- validation --------------------------------------------------------------------------------


def test_missing_source_fails(make_project):
    content = synthetic_module()
    del content["lesson"]["steps"][1]["question"]["sources"]  # a practice question: loader allows
    source = content["module"]["sources"][0]
    source["url"] = "http://www.service-public.fr/page"
    source["checked"] = "23/11/2026"
    report = run_check(make_project(content), grading=False)
    messages = [str(p) for p in report.module("compter").problems if p.rule == "source"]
    assert len(messages) == 3, messages
    assert any("ex-1" in m and "cite une source" in m for m in messages)
    assert any("https://" in m for m in messages)
    assert any("AAAA-MM-JJ" in m for m in messages)


def test_broken_module_is_reported_not_raised(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    broken = synthetic_module()
    del broken["module"]["summary"]
    root = tmp_path / "p"
    write_project(root, {"01-compter": synthetic_module()})
    (root / "modules" / "02-casse").mkdir()
    (root / "modules" / "02-casse" / "module.toml").write_text(to_toml(broken["module"]))
    project = Project(root)
    report = run_check(project, grading=False)
    casse = report.module("casse")
    assert [p.rule for p in casse.problems] == ["module illisible"]
    assert "« summary » est obligatoire" in str(casse.problems[0])
    assert report.module("compter").ok
    assert not report.ok


def test_minimum_numbers_of_questions(make_project):
    content = synthetic_module()
    content["lesson"]["steps"] = content["lesson"]["steps"][:-1]  # 9 practice questions
    content["evaluation"]["questions"] = [
        q for q in content["evaluation"]["questions"] if q["type"] != "libre"
    ]
    report = run_check(make_project(content), grading=False)
    messages = [p.message for p in report.module("compter").problems]
    assert "9 exercices dans la leçon (au moins 10)" in messages
    assert "0 question rédigée (au moins 1)" in messages


def test_stale_notebook_and_outputs_fail(make_project):
    project = make_project()
    path = project.course_dir / "source" / "compter" / "evaluation.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1\n"}]
    code["execution_count"] = 3
    path.write_text(json.dumps(nb), encoding="utf-8")
    report = run_check(project, grading=False)
    messages = [p.message for p in report.module("compter").problems if p.rule == "notebook"]
    assert any("course build" in m for m in messages)
    assert any("sorties" in m for m in messages)


def test_unknown_question_type_fails_loudly():
    strange = Question(
        id="q", type="glisser-deposer", prompt="?", explanation="!", competence="1.1"
    )
    with pytest.raises(ValueError):
        key_answer(strange)


# --- the nbgrader chain --------------------------------------------------------------------------


def test_wrong_answer_key_scoring_zero_fails_through_nbgrader(make_project):
    content = synthetic_module()
    nom = next(q for q in content["evaluation"]["questions"] if q["id"] == "eval-nom")
    nom["answer"] = ["...", "CNIL"]  # the first accepted answer can never match
    report = run_check(make_project(content), apps=False)
    module = report.module("compter")
    graded = [p for p in module.problems if p.rule == "correction"]
    assert len(graded) == 1, "\n".join(render(report))
    assert graded[0].where == "evaluation.toml, question « eval-nom »"
    assert "obtient 0 sur 1 avec nbgrader" in graded[0].message
    assert "clé" in rules(report)  # caught before nbgrader too, by course.answers.scoring
    assert "la clé obtient 9 / 10" in module.grading
    assert "une copie vide obtient 0" in module.grading


# --- sentences, readability, command line ----------------------------------------------------


def test_sentences_split_like_a_reader_reads():
    text = """
Par exemple :

- votre **nom** ;
- votre adresse.

Vous hésitez ? Demandez ! Attendez… Puis allez sur 17cyber.gouv.fr, le site d'aide.
Un mot de passe (# @ ! ?) coûte 1,99 €. Fin de la phrase
qui continue ici. etc. et la suite.
"""
    assert split_sentences(text) == [
        "Par exemple :",
        "votre nom ;",
        "votre adresse.",
        "Vous hésitez ?",
        "Demandez !",
        "Attendez…",
        "Puis allez sur 17cyber.gouv.fr, le site d'aide.",
        "Un mot de passe (# @ ! ?) coûte 1,99 €.",
        "Fin de la phrase qui continue ici. etc. et la suite.",
    ]
    assert words("L'escroc – « vite » : 33 700 !") == ["L'escroc", "vite", "33", "700"]


def test_readability_is_kandel_moles_from_textstat():
    from textstat.backend.utils.constants import LANG_CONFIGS
    from textstat.textstat import textstatistics

    fr = LANG_CONFIGS["fr"]
    assert (fr["fre_base"], fr["fre_sentence_length"], fr["fre_syll_per_word"]) == (
        207,
        1.015,
        73.6,
    )
    sentences = ["Vous avez deux mains.", "Chaque main a cinq doigts."]
    score, syllables = readability_score(sentences)
    stats = textstatistics()
    stats.set_lang("fr")
    text = " ".join(sentences)
    expected = 207 - 1.015 * 4.5 - 73.6 * stats.avg_syllables_per_word(text)
    assert score == pytest.approx(expected, abs=0.01)


def test_cli_check(make_project, monkeypatch):
    from course.cli import cli

    project = make_project()
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(cli, ["check", "--no-grading", "--report"])
    assert result.exit_code == 0, result.output
    assert "score de Kandel et Moles" in result.output
    assert "phrases les plus longues" in result.output
    assert "✔ Tout est bon." in result.output
    result = CliRunner().invoke(cli, ["check", "--module", "99", "--no-grading"])
    assert result.exit_code != 0
    assert "introuvable" in result.output


def test_a_page_that_raises_or_writes_on_stderr_fails(tmp_path):
    from jupyter_core.utils import run_sync
    from nbformat.v4 import new_code_cell, new_notebook

    from course.content.check.sandbox import _execute_all

    pages = {
        "ok": "1 + 1",
        "raises": "raise ValueError('boum')",
        "stderr": "import sys\nprint('attention', file=sys.stderr)",
        # What course.learner.pages does with an exception: the page says sorry, the log gets it.
        "logged": "from course.learner.pages import log_page_error\ntry:\n    1 / 0\nexcept Exception:\n"
        "    log_page_error('essai')",
        # ipykernel's own notice when it is stopped mid-message: not the page's failure.
        "kernel-noise": "import sys\nprint('[IPKernelApp] ERROR | Exception in message handler:\\n"
        "Traceback (most recent call last):\\nzmq.error.ZMQError: Socket operation on non-socket',"
        " file=sys.__stderr__)",
    }
    paths = []
    for name, code in pages.items():
        nb = new_notebook(cells=[new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    found = run_sync(_execute_all)([(p, None) for p in paths], CheckSettings())
    assert found[0] == []
    assert len(found[1]) == 1 and "ValueError" in found[1][0] and "boum" in found[1][0]
    assert found[2] == ["écrit sur stderr : attention\n"]
    assert found[3] == ["la page a rencontré une erreur : ZeroDivisionError: division by zero"]
    assert found[4] == []


def test_content_rules_are_part_of_the_check(make_project):
    """The rules of course.content.check.review are filed with the module's other problems."""
    content = synthetic_module()
    content["module"]["sources"][0]["checked"] = "2024-01-15"
    content["module"]["sources"][0]["url"] = "https://www.service-public.fr/particuliers/F34800"
    report = run_check(make_project(content), grading=False)
    messages = [str(p) for p in report.module("compter").problems]
    assert any("plus de 12 mois" in m for m in messages), messages
    assert any("déménagé" in m for m in messages), messages
    assert not report.ok
