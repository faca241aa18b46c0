"""`UserError`: every French error of ours derives from it, and the command line and the spaces
show any of them (even one they have never heard of) as is, without a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.core.errors import UserError

REPO = Path(__file__).resolve().parents[2]


class DiskFull(UserError):
    """An error the command line and the spaces were never told about."""


MESSAGE = "Le disque est plein : rien n'a été écrit."


def test_every_french_error_of_ours_is_a_user_error_and_keeps_value_error():
    from course.access.roster import EmptyName, SignInError, UnknownLearner
    from course.answers.answer_rules import AnswerRefused
    from course.content.catalogue import ModuleError
    from course.coordinator.bundle import BundleError
    from course.core.ids import InvalidLearnerId
    from course.fonts import FontNotFound
    from course.learner.cv.cleaning import CVError
    from course.settings import ProjectNotFound
    from course.trainer.cards import CardsError
    from course.trainer.group import GroupError, SameName
    from course.trainer.nbgrader_setup import WorkflowError
    from course.trainer.written import GradingError
    from course.workshops import WorkshopError

    values = [AnswerRefused, ModuleError, BundleError, InvalidLearnerId, SignInError, CVError,
              GroupError, SameName, GradingError, WorkshopError, EmptyName]  # fmt: skip
    others = [FontNotFound, ProjectNotFound, CardsError, WorkflowError]
    assert all(issubclass(cls, UserError) for cls in values + others)
    assert all(issubclass(cls, ValueError) for cls in values)  # callers catch ValueError too
    assert issubclass(UnknownLearner, UserError) and issubclass(UnknownLearner, KeyError)


def test_the_rosters_refusals_read_as_french_sentences(tmp_path):
    from course.access.roster import EmptyName, Roster, UnknownLearner

    roster = Roster(tmp_path)
    with pytest.raises(EmptyName) as empty:
        roster.add(" \t ")
    assert str(empty.value) == "Le prénom est vide."
    with pytest.raises(UnknownLearner) as unknown:
        roster.rename("personne", "Zoé")
    assert str(unknown.value) == "Apprenant inconnu : personne"  # no quotes, as KeyError adds


def test_the_command_line_shows_an_error_it_does_not_know_in_french_without_traceback(
    monkeypatch, capsys
):
    from course.cli.base import FrenchGroup, command
    from course.cli.french import run

    group = FrenchGroup(name="course")

    @command(group, "workshop", "panne")
    def broken() -> None:
        raise DiskFull(MESSAGE, log="OSError: [Errno 28] No space left on device")

    monkeypatch.setattr(sys, "argv", ["course", "panne"])
    with pytest.raises(SystemExit) as exited:
        run(group)
    assert exited.value.code == 1
    shown = capsys.readouterr().err
    assert shown == f"Erreur : {MESSAGE}\nJournal :\nOSError: [Errno 28] No space left on device\n"


def test_course_outside_a_project_says_so_in_french(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    result = subprocess.run(
        [sys.executable, "-c", "from course.cli import main; main()", "learners", "list"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("Erreur : Je ne trouve pas le dossier du projet")
    assert "Traceback" not in result.stderr and "No project" not in result.stderr


def test_a_space_shows_an_error_it_does_not_know_as_a_french_refusal(tmp_path):
    from support.spaces import SpaceClient

    from course.settings import Project
    from course.web.space import Space, SpaceHandler

    class Broken(SpaceHandler):
        public = True

        def get(self) -> None:
            raise DiskFull(MESSAGE)

    shutil.copy(REPO / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    space = Space(Project(tmp_path), "trainer", "/atelier", "Atelier", lambda s: [])
    rules = [("/atelier/panne", Broken, {"space": space}),
             ("/atelier/api/panne", Broken, {"space": space})]  # fmt: skip
    with SpaceClient(space.project, rules=rules) as client:
        page, answer = client.get("/atelier/panne"), client.get("/atelier/api/panne")
    assert page.status == 400
    body = page.text
    assert "<h1>Ce n&#39;est pas possible</h1>" in body and "<p>Le disque est plein" in body
    assert answer.status == 400 and answer.text == f'{{"erreur": "{MESSAGE}"}}'
