"""`UserError`: every French error of ours derives from it, and the command line and the spaces
show any of them (even one they have never heard of) as is, without a traceback."""

from __future__ import annotations

import asyncio
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
    from course.access.roster import SignInError
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
              GroupError, SameName, GradingError, WorkshopError]  # fmt: skip
    others = [FontNotFound, ProjectNotFound, CardsError, WorkflowError]
    assert all(issubclass(cls, UserError) for cls in values + others)
    assert all(issubclass(cls, ValueError) for cls in values)  # callers catch ValueError too


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
    from tornado.httpclient import AsyncHTTPClient
    from tornado.httpserver import HTTPServer
    from tornado.testing import bind_unused_port
    from tornado.web import Application

    from course.settings import Project
    from course.web.space import Space, SpaceHandler

    class Broken(SpaceHandler):
        public = True

        def get(self) -> None:
            raise DiskFull(MESSAGE)

    shutil.copy(REPO / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    space = Space(Project(tmp_path), "trainer", "/atelier", "Atelier", lambda s: [])
    app = Application([("/atelier/panne", Broken, {"space": space}),
                       ("/atelier/api/panne", Broken, {"space": space})])  # fmt: skip

    async def fetch(*paths: str) -> list:
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])
        client = AsyncHTTPClient()
        try:
            return [await client.fetch(f"http://127.0.0.1:{port}{p}", raise_error=False)
                    for p in paths]  # fmt: skip
        finally:
            server.stop()

    page, answer = asyncio.run(fetch("/atelier/panne", "/atelier/api/panne"))
    assert page.code == 400
    body = page.body.decode()
    assert "<h1>Ce n&#39;est pas possible</h1>" in body and "<p>Le disque est plein" in body
    assert answer.code == 400 and answer.body.decode() == f'{{"erreur": "{MESSAGE}"}}'
