"""The hub's private log files (`course.hub.logs`) and the « ready » line's wait on JupyterHub's
own log (`course.hub.ready.LogWatch`), without a hub: the real stdlib handler, real files."""

from __future__ import annotations

import logging
import os

from course.core.logfile import PrivateRotatingFileHandler
from course.hub.logs import KnownWarnings, jupyterhub_logging
from course.hub.ready import LogWatch


def test_every_log_file_is_private_after_a_rotation_too(tmp_path):
    path = tmp_path / "journaux" / "jupyterhub.log"
    path.parent.mkdir()
    previous = os.umask(0)  # what a careless service manager could give the hub
    try:
        handler = PrivateRotatingFileHandler(path, maxBytes=200, backupCount=2)
        logger = logging.getLogger("test-hub-logs")
        logger.addHandler(handler)
        logger.propagate = False
        for n in range(30):
            logger.warning("ligne %d du journal, assez longue pour remplir le fichier", n)
        handler.close()
        logger.removeHandler(handler)
    finally:
        os.umask(previous)
    files = sorted(path.parent.iterdir())
    assert [f.name for f in files] == ["jupyterhub.log", "jupyterhub.log.1", "jupyterhub.log.2"]
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)
    assert all(f.stat().st_size <= 200 for f in files)  # capped, the oldest lines gone
    assert "ligne 29" in path.read_text(encoding="utf-8")


def test_jupyterhubs_terminal_keeps_warnings_and_its_file_info(tmp_path):
    config = jupyterhub_logging(tmp_path)
    assert config["handlers"]["console"]["level"] == "WARNING"
    journal = config["handlers"]["journal"]
    assert journal["level"] == "INFO"
    assert journal["filename"] == str(tmp_path / "prive" / "journaux" / "jupyterhub.log")
    assert (tmp_path / "prive" / "journaux").stat().st_mode & 0o777 == 0o700
    assert config["loggers"]["JupyterHub"]["handlers"] == ["console", "journal"]


def test_the_ready_line_waits_for_this_runs_running_line(tmp_path):
    log = tmp_path / "jupyterhub.log"
    log.write_text("[I …] JupyterHub is now running at https://127.0.0.1:8000/\n")  # last run
    watch = LogWatch(log)
    assert not watch.running()
    with log.open("a") as file:
        file.write("[I …] Starting managed service site-a\n")
    assert not watch.running()
    with log.open("a") as file:
        file.write("[I …] JupyterHub is now running at https://127.0.0.1:8000/\n")
    assert watch.running()
    # Rotated while the hub starts: the new, shorter file is read from its start.
    watch = LogWatch(log)
    log.write_text("[I …] JupyterHub is now running at https://127.0.0.1:8000/\n")
    assert watch.running()
    assert not LogWatch(tmp_path / "absent.log").running()


def test_the_terminal_leaves_out_the_warnings_that_only_restate_our_configuration():
    def record(level: int, message: str, *args: object) -> logging.LogRecord:
        return logging.LogRecord("JupyterHub", level, "app.py", 1, message, args, None)

    known = KnownWarnings()
    allowing = (
        "Allowing service %s to complete OAuth without confirmation on an authorization web page"
    )
    assert not known.filter(record(logging.WARNING, allowing, "site-a"))
    assert not known.filter(record(logging.WARNING, "user role overridden with scopes=[]"))
    assert known.filter(record(logging.WARNING, "Adding missing route for %s (%s)", "site-a", ""))
    assert known.filter(record(logging.ERROR, "Service %s exited with status %i", "site-a", 1))
