"""`course serve`: the catalogue and every module's apps, served by Voilà on this machine.

The served folder (`var/site`) is rebuilt at each start from the catalogue: one-line notebooks
that call `course.learner.app`. Nothing under `modules/` or `assessments/` is served, so no answer key
can be reached over HTTP. Our template (French, offline) is found through JUPYTER_PATH.

Voilà runs through this module (`python -m course.trainer.serve`, see `_launch` at the bottom): stock
Voilà with gzip switched on, since its own `tornado_settings` arrive after tornado has chosen its
output transforms. Pages open on preheated kernels: each served notebook keeps kernels that have
already run it up to the point where the page asks who the learner is (`get_query_string`),
and a kernel serves exactly one page view, so no learner ever sees a kernel that served another.
`benchmarks/voila_load.py` measures what these settings buy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from course.content.catalogue import TOOLS, Module
from course.content.notebooks import write_notebook
from course.settings import ROOT_ENV, Project

TEMPLATE = "atelier"
SHARE_DIR = Path(__file__).parents[1] / "learner" / "share"
DEFAULT_PORT = 8866
UNUSED_EXTENSIONS = (
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "@voila-dashboards/jupyterlab-preview",
)
# Preheated kernels kept ready for the pages a whole group opens at the same moment. Each holds
# about 110 MB once it has run its page up to the point where it waits for the learner. A page
# view takes one and the pool starts a new one FILL_DELAY seconds later; a view arriving when
# the pool is empty gets a kernel started for it, as without preheating.
POOL_SIZE = 2
FILL_DELAY = 1
# All pools fill at once at start-up: on a 2-core laptop 14 kernels took about 40 s, during
# which every page waited. So at most this many in all (see `kernel_pools`).
MAX_POOLED_KERNELS = 8
POOLS_ENV = "COURSE_KERNEL_POOLS"  # JSON for VoilaKernelManager.kernel_pools_config
# A kernel whose browser went away (tab closed, laptop shut) is stopped after this long; answers
# are on disk after every click, and a kernel with an open page is never culled.
CULL_IDLE_SECONDS = 1800
CULL_INTERVAL_SECONDS = 300
# Where our gzip transform keeps compressed static files (served straight from memory).
STATIC_PREFIXES = ("voila/static/", "voila/templates/", "voila/labextensions/")


def _app_notebook(call: str, title: str) -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[new_code_cell(f"from course.learner.app import {call.split('(')[0]}\n\n{call}")]
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
        for name in m.tools:
            tool = TOOLS[name]
            write_notebook(_app_notebook(tool.call, tool.title), site / m.id / f"{name}.ipynb")
    return site


def kernel_pools(
    project: Project, focus: Module | None = None, pool_size: int = POOL_SIZE
) -> dict[str, dict]:
    """Preheated kernels per served notebook (Voilà's `kernel_pools_config`).

    The catalogue first, as everybody starts there; then, when the trainer names the module of
    the workshop (`course serve --module 02`), its lesson, evaluation and tools; otherwise one
    kernel for each evaluation, then each lesson, while MAX_POOLED_KERNELS allows. Other pages
    start their kernel when opened (a few seconds more).
    """
    wanted = [("index.ipynb", pool_size)]
    if focus is not None:
        wanted += [(f"{focus.id}/lesson.ipynb", pool_size)]
        wanted += [(f"{focus.id}/evaluation.ipynb", pool_size)]
        wanted += [(f"{focus.id}/{tool}.ipynb", min(1, pool_size)) for tool in focus.tools]
    else:
        modules = project.catalogue.modules
        wanted += [(f"{m.id}/evaluation.ipynb", min(1, pool_size)) for m in modules]
        wanted += [(f"{m.id}/lesson.ipynb", min(1, pool_size)) for m in modules]
    pools: dict[str, dict] = {"default": {"pool_size": 0}}
    left = MAX_POOLED_KERNELS
    for notebook, size in wanted:
        size = min(size, left)
        if size > 0:
            pools[notebook] = {"pool_size": size}
            left -= size
    return pools


def voila_command(site: Path, host: str, port: int, extra: list[str] | None = None) -> list[str]:
    """The command line of our Voilà; an option in `extra` replaces ours of the same name."""
    extra = list(extra or [])
    replaced = {option.partition("=")[0] for option in extra}
    ours = [
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        # Fail on a busy port rather than quietly serve another one than `course serve` printed
        # (preheated kernels would also call back the wrong server for their query string).
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--VoilaExporter.language_code=fr",
        "--VoilaConfiguration.show_tracebacks=False",
        # Serve no file at all from the site folder (Voilà's default allows images).
        "--VoilaConfiguration.file_allowlist=^$",
        # Our template and theme only: `?template=lab` would bring back the CDN links, and any
        # override makes Voilà skip the preheated kernels.
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        # nbgrader's and Notebook's front-end extensions fail in Voilà and cost bytes on every
        # page. (An allow-list of the widget extensions only leaves pages blank: Voilà's theme
        # loading needs jupyterlab_pygments too.)
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS),
        # Pages read the learner with course.learner.voila_query.get_query_string(), which waits for
        # the request when the kernel was preheated, so a pooled kernel knows nobody until then.
        # How many, per page: `kernel_pools`, passed in POOLS_ENV (a dict does not fit here).
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaKernelManager.fill_delay={FILL_DELAY}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        # Under load (20 pages at once on 2 cores) a page's widget messages may come more than
        # nbclient's 4 s after the cell's reply; they used to be dropped, leaving a blank page.
        "--VoilaExecutor.iopub_timeout=60",
    ]
    if os.name == "posix":
        # Kernels talk to Voilà over Unix sockets: no TCP port picked then lost to another kernel
        # starting at the same moment ("Address already in use" in a burst), no open port.
        ours.append("--KernelManager.transport=ipc")
    ours = [option for option in ours if option.partition("=")[0] not in replaced]
    return [sys.executable, "-m", "course.trainer.serve", str(site), *ours, *extra]


def server_env(
    project: Project, host: str | None = None, pools: dict[str, dict] | None = None
) -> dict[str, str]:
    env = dict(os.environ)
    env[ROOT_ENV] = str(project.root)
    paths = [str(SHARE_DIR)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.pop("NBGRADER_EXECUTION", None)
    if pools is not None:
        env[POOLS_ENV] = json.dumps(pools)
    if host:
        # A preheated kernel fetches its page's query string from the server at this address.
        env["VOILA_APP_IP"] = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return env


def start(
    project: Project,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    extra: list[str] | None = None,
    pools: dict[str, dict] | None = None,
    **popen,
) -> subprocess.Popen:
    """Start Voilà in the background (tests and benchmarks use this; `popen`: e.g. stdout)."""
    site = build_site(project)
    env = server_env(project, host, pools if pools is not None else kernel_pools(project))
    return subprocess.Popen(voila_command(site, host, port, extra), env=env, **popen)


def run(
    project: Project,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    focus: Module | None = None,
) -> int:
    """Serve in the foreground until Ctrl+C; `focus`: the workshop's module, preheated first."""
    site = build_site(project)
    env = server_env(project, host, kernel_pools(project, focus))
    try:
        return subprocess.call(voila_command(site, host, port), env=env)
    except KeyboardInterrupt:
        return 0


def _launch(argv: list[str]) -> None:
    """Voilà's own entry point, plus gzip with static files compressed once, kept in memory."""
    import gzip
    import hashlib
    import threading

    from tornado.web import GZipContentEncoding
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    compressed: dict[str, bytes] = {}  # ETag (tornado's sha512 of the file) or path|date|size

    class GZip(GZipContentEncoding):
        """Tornado's gzip transform; static files are compressed once instead of per request."""

        def __init__(self, request):
            super().__init__(request)
            self.path = request.path
            self._static = request.method == "GET" and request.path.lstrip("/").startswith(
                STATIC_PREFIXES
            )
            self._key = None
            self._parts: list[bytes] = []

        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            key = None
            if self._static and status_code == 200:
                # Labextension files are served without ETag (no-cache): path, date and size.
                key = headers.get("Etag") or "|".join(
                    [self.path, headers.get("Last-Modified", ""), headers.get("Content-Length", "")]
                )
            body = compressed.get(key) if key and self._gzipping else None
            if body is None:
                self._key = key
                return super().transform_first_chunk(status_code, headers, chunk, finishing)
            headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Accept-Encoding"]))
            headers["Content-Encoding"] = "gzip"
            headers["Content-Length"] = str(len(body))
            self._cached = True
            return status_code, headers, body

        def transform_chunk(self, chunk, finishing):
            if getattr(self, "_cached", False):
                return b""
            chunk = super().transform_chunk(chunk, finishing)
            if self._gzipping and self._key:
                self._parts.append(chunk)
                if finishing:
                    compressed[self._key] = b"".join(self._parts)
            return chunk

    def prewarm(folders: list[str]) -> None:
        """Compress the front end's files ahead of the first page (zlib releases the GIL)."""
        for folder in folders:
            for path in Path(folder).rglob("*"):
                if path.suffix in (".js", ".css", ".json", ".svg") and path.is_file():
                    data = path.read_bytes()
                    etag = f'"{hashlib.sha512(data).hexdigest()}"'
                    compressed.setdefault(etag, gzip.compress(data, GZip.GZIP_LEVEL, mtime=0))

    class RenderHandler(TornadoVoilaHandler):
        """Voilà's page handler, plus the `_xsrf` cookie its kernel-shutdown beacon needs.

        On leaving a page, Voilà's front end posts the cookie's value to /voila/api/shutdown;
        Voilà never sets that cookie, so every such shutdown fails with a 403 (voila#1458) and
        the kernel lives on until culled.
        """

        async def prepare(self):
            await super().prepare()
            self.xsrf_token  # noqa: B018 - sets the cookie

    class AtelierVoila(Voila):
        def init_settings(self):
            # Before Voilà makes its kernel manager: how many kernels each page keeps ready.
            pools = os.environ.get(POOLS_ENV)
            if pools:
                self.config.VoilaKernelManager.kernel_pools_config = json.loads(pools)
            settings = super().init_settings()
            # Given to tornado.web.Application() itself, where transforms are decided.
            settings["transforms"] = [GZip]
            return settings

        def init_handlers(self):
            return [
                (rule[0], RenderHandler, *rule[2:]) if rule[1] is TornadoVoilaHandler else rule
                for rule in super().init_handlers()
            ]

        def start(self):
            folders = [*self.static_paths, *self.labextensions_path]
            threading.Thread(target=prewarm, args=(folders,), daemon=True).start()
            super().start()

    AtelierVoila.launch_instance(argv)


if __name__ == "__main__":
    _launch(sys.argv[1:])
