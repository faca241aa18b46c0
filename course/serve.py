"""`course serve`: the catalogue and every module's apps, served by Voilà on this machine.

The served folder (`var/site`) is rebuilt at each start from the catalogue: one-line notebooks
that call `course.app`. Nothing under `modules/` or `assessments/` is served, so no answer key
can be reached over HTTP. Our template (French, offline) is found through JUPYTER_PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from course.notebooks import write_notebook
from course.settings import ROOT_ENV, Project

TEMPLATE = "atelier"
SHARE_DIR = Path(__file__).parent / "share"
DEFAULT_PORT = 8866
UNUSED_EXTENSIONS = (
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "@voila-dashboards/jupyterlab-preview",
)


def _app_notebook(call: str, title: str) -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[new_code_cell(f"from course.app import {call.split('(')[0]}\n\n{call}")]
    )
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["title"] = title
    nb.cells[0]["id"] = "app"
    return nb


def build_site(project: Project) -> Path:
    """Write the served notebooks; stale module folders are removed."""
    site = project.data_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    modules = project.catalogue.modules
    write_notebook(
        _app_notebook("catalogue_app()", project.settings.course_title), site / "index.ipynb"
    )
    wanted = {m.id for m in modules}
    for child in site.iterdir():
        if child.is_dir() and child.name not in wanted:
            shutil.rmtree(child)
    for m in modules:
        write_notebook(
            _app_notebook(f'lesson_app("{m.id}")', m.lesson_title), site / m.id / "lesson.ipynb"
        )
        write_notebook(
            _app_notebook(f'evaluation_app("{m.id}")', f"Évaluation : {m.title}"),
            site / m.id / "evaluation.ipynb",
        )
    return site


def voila_command(site: Path, host: str, port: int, extra: list[str] | None = None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(site),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        f"--template={TEMPLATE}",
        "--VoilaExporter.language_code=fr",
        "--VoilaConfiguration.show_tracebacks=False",
        # Serve no file at all from the site folder (Voilà's default allows images).
        "--VoilaConfiguration.file_allowlist=^$",
        # nbgrader's and Notebook's front-end extensions fail in Voilà and cost bytes on every
        # page. (An allow-list of the widget extensions only leaves pages blank: Voilà's theme
        # loading needs jupyterlab_pygments too.)
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS),
        *(extra or []),
    ]


def server_env(project: Project) -> dict[str, str]:
    env = dict(os.environ)
    env[ROOT_ENV] = str(project.root)
    paths = [str(SHARE_DIR)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.pop("NBGRADER_EXECUTION", None)
    return env


def start(
    project: Project,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    extra: list[str] | None = None,
) -> subprocess.Popen:
    """Start Voilà in the background (tests and benchmarks use this)."""
    site = build_site(project)
    return subprocess.Popen(voila_command(site, host, port, extra), env=server_env(project))


def run(project: Project, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> int:
    """Serve in the foreground until Ctrl+C."""
    site = build_site(project)
    try:
        return subprocess.call(voila_command(site, host, port), env=server_env(project))
    except KeyboardInterrupt:
        return 0
