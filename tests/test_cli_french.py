"""Nothing in English reaches the trainer's terminal: click's usage errors are said in French,
and a first name enrolled twice is asked about, not numbered in silence."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support import cli

from course.cli.french import french_usage


def course(*args: str, cwd=None, stdin: str = "") -> subprocess.CompletedProcess:
    """A real `course` process (here it stops at click's parsing, before any heavy import)."""
    command = [sys.executable, "-c", "from course.cli import main; main()", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, input=stdin)


def test_usage_errors_are_french():
    assert french_usage("No such command 'nimporte'.") == "Commande inconnue : « nimporte »."
    assert french_usage("Missing argument 'MODULE'.") == "Il manque l'argument MODULE."
    assert french_usage("Something click never said") == "La commande est mal écrite."
    result = course("nimporte")
    assert result.returncode == 2
    assert (
        result.stderr == "Erreur : Commande inconnue : « nimporte ».\nPour l'aide : course --aide\n"
    )


@pytest.mark.slow
def test_the_same_first_name_twice_is_asked(essai_project):
    # In process (`support.cli`): the same `main`, its words, its exit codes; no new Python
    # importing nbgrader three times.
    course = cli.course
    root = essai_project.root
    assert course("learners", "add", "Hélène", cwd=root).returncode == 0
    again = course("learners", "add", "Hélène", cwd=root)
    assert (
        again.returncode == 1 and "Hélène est déjà dans le groupe : même personne ?" in again.stderr
    )
    assert "Error" not in again.stderr and "Usage" not in again.stderr
    other = course("learners", "add", "--autre-personne", "Hélène", cwd=root)
    assert "helene-2" in other.stdout
    assert [lr.id for lr in essai_project.roster().learners()] == ["helene", "helene-2"]
