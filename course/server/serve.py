"""`course serve`: the catalogue and every module's apps, served by Voilà on this machine.

The served folder (`var/site`) is rebuilt at each start from the catalogue: one-line notebooks
that call `course.learner.app`. Nothing under `modules/` or `assessments/` is served, so no
answer key can be reached over HTTP. Our template (French, offline) is found through
JUPYTER_PATH.

Voilà is configured, not given flag strings: `voila_config` builds one traitlets `Config` from
`ServeSettings` (settable in nbgrader_config.py as `c.ServeSettings.<name>`), which is written as
JSON next to the site and loaded by our launcher (`course.server.launcher`). Pages open
on preheated kernels: each served notebook keeps kernels that have already run it up to the
point where the page asks who the learner is, and a kernel serves exactly one page view, so no
learner ever sees a kernel that served another. `benchmarks/voila_load.py` measures what these
settings buy.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from course.access.hub import HUB_SITE_ENV, HubIdentity
from course.access.hub_names import HUB_PUBLIC_ENV, check_site_slug, service_prefix
from course.access.settings import provider_class
from course.content.catalogue import TOOLS, Module
from course.content.notebooks import write_notebook
from course.core.french import today
from course.core.logfile import RotatingSink
from course.core.todays_module import write_todays_module
from course.server.lan import hub_room_url, room_url
from course.server.serve_settings import ServeSettings
from course.server.tls import QUERY_CA_ENV, Tls
from course.settings import ANONYMOUS_ENV, ROOM_ENV, ROOT_ENV, WORKSHOP_ENV, Project, paused_dir

TEMPLATE = "atelier"
SHARE_DIR = Path(__file__).parents[1] / "learner" / "share"
CONFIG_NAME = "voila-config.json"  # written beside (not inside) the served site
UNUSED_EXTENSIONS = (
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "@voila-dashboards/jupyterlab-preview",
)


def _app_notebook(call: str, title: str) -> nbformat.NotebookNode:
    function = call.split("(")[0]
    nb = new_notebook(cells=[new_code_cell(f"from course.learner.app import {function}\n\n{call}")])
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
    (site := project.data_dir / "site").mkdir(parents=True, exist_ok=True)
    modules = project.catalogue.modules
    for call, title, name in (
        ("catalogue_app()", project.settings.course_title, "index.ipynb"),
        ("privacy_app()", "Vos données", "donnees-personnelles.ipynb"),  # linked by page.js
    ):
        write_notebook(_app_notebook(call, title), site / name)
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
        write_notebook(
            _app_notebook(f'results_app("{m.id}")', f"Résultats : {m.title}"),
            site / m.id / "resultats.ipynb",
        )
        for name in m.tools:
            tool = TOOLS[name]
            write_notebook(_app_notebook(tool.call, tool.title), site / m.id / f"{name}.ipynb")
    # Learner pages read nbgrader's layout from this cache instead of importing nbgrader.
    project.layout  # noqa: B018
    return site


def kernel_pools(
    project: Project, focus: Module | None = None, pool_size: int | None = None, hub: bool = False
) -> dict[str, dict]:
    """Preheated kernels per served notebook (Voilà's `kernel_pools_config`).

    The catalogue first, as everybody starts there; then, when the trainer names the module of
    the workshop (`course serve --module 02`), its lesson, evaluation and tools; otherwise one
    kernel for each evaluation, then each lesson, while `max_pooled_kernels` allows. Other
    pages start their kernel when opened (a few seconds more). `hub`: a site behind a hub,
    with the hub's smaller pools (`hub_pool_size`, `hub_max_pooled_kernels`, each never more
    than the laptop's setting, so `pool_size = 0` still preheats nothing).
    """
    settings = ServeSettings(config=project.config)
    default_size = min(settings.hub_pool_size, settings.pool_size) if hub else settings.pool_size
    size = default_size if pool_size is None else pool_size
    wanted = [("index.ipynb", size)]
    if focus is not None:
        wanted += [(f"{focus.id}/lesson.ipynb", size)]
        wanted += [(f"{focus.id}/evaluation.ipynb", size)]
        wanted += [(f"{focus.id}/{tool}.ipynb", min(1, size)) for tool in focus.tools]
    else:
        modules = project.catalogue.modules
        wanted += [(f"{m.id}/evaluation.ipynb", min(1, size)) for m in modules]
        wanted += [(f"{m.id}/lesson.ipynb", min(1, size)) for m in modules]
    pools: dict[str, dict] = {"default": {"pool_size": 0}}
    left = settings.max_pooled_kernels
    if hub:
        left = min(left, settings.hub_max_pooled_kernels)
    for notebook, count in wanted:
        count = min(count, left)
        if count > 0:
            pools[notebook] = {"pool_size": count}
            left -= count
    return pools


def voila_config(
    project: Project,
    host: str,
    port: int,
    pools: dict[str, dict] | None = None,
    tls: Tls | None = None,
    hub_site: str = "",
) -> Config:
    """Everything Voilà is told, as configuration (the launcher loads it before Voilà starts);
    `hub_site`: as that site's hub service (docs/architecture.md, « A site behind a hub »)."""
    settings = ServeSettings(config=project.config)
    c = Config()
    c.Voila.open_browser = False
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.base_url = service_prefix(hub_site) if hub_site else settings.base_url
    c.AtelierVoila.hub_site = hub_site
    # Fail on a busy port rather than quietly serve another one than `course serve` printed
    # (preheated kernels would also call back the wrong server for their query string).
    c.Voila.port_retries = 0
    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaExporter.language_code = "fr"
    c.VoilaConfiguration.show_tracebacks = False
    # Serve no file at all from the site folder (Voilà's default allows images).
    c.VoilaConfiguration.file_allowlist = ["^$"]
    # Our template and theme only: `?template=lab` would bring back the CDN links, and any
    # override makes Voilà skip the preheated kernels.
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    # nbgrader's and Notebook's front-end extensions fail in Voilà and cost bytes on every page.
    # (An allow-list of the widget extensions only leaves pages blank: Voilà's theme loading
    # needs jupyterlab_pygments too.)
    c.VoilaConfiguration.extension_denylist = list(UNUSED_EXTENSIONS)
    # Pages read the learner with course.learner.voila_query.get_query_string(), which waits
    # for the request when the kernel was preheated, so a pooled kernel knows nobody until then.
    c.VoilaConfiguration.preheat_kernel = True
    # The headers the identity provider reads in a page's kernel (course.access): in the room,
    # the browser's session cookie reaches the kernel as HTTP_COOKIE, so no credential ever needs
    # to be in the address bar.
    headers = HubIdentity.kernel_headers if hub_site else provider_class(project).kernel_headers
    c.VoilaConfiguration.http_header_envs = list(headers)
    c.VoilaKernelManager.fill_delay = settings.fill_delay
    c.VoilaKernelManager.kernel_pools_config = pools if pools is not None else kernel_pools(project)
    c.MappingKernelManager.cull_idle_timeout = settings.cull_idle_seconds
    c.MappingKernelManager.cull_interval = settings.cull_interval_seconds
    c.VoilaExecutor.iopub_timeout = settings.iopub_timeout
    c.VoilaExecutor.startup_timeout = settings.kernel_start_seconds
    c.AtelierVoila.max_page_kernels = settings.max_page_kernels
    c.AtelierVoila.paused_dir = str(paused_dir(project))
    c.AtelierVoila.fork_kernels = settings.fork_kernels
    c.AtelierVoila.max_anonymous_pages = settings.max_anonymous_pages
    c.AtelierVoila.anonymous_seconds = settings.anonymous_seconds
    if tls is not None:
        c.AtelierVoila.certfile, c.AtelierVoila.keyfile = str(tls.certfile), str(tls.keyfile)
    if os.name == "posix":
        # Kernels talk to Voilà over Unix sockets: no TCP port picked then lost to another kernel
        # starting at the same moment ("Address already in use" in a burst), no open port.
        c.KernelManager.transport = "ipc"
    return c


def voila_command(
    project: Project,
    site: Path,
    host: str,
    port: int,
    pools: dict[str, dict] | None = None,
    extra: list[str] | None = None,
    tls: Tls | None = None,
    hub_site: str = "",
) -> list[str]:
    """The command line of our Voilà: its configuration file, the site, and `extra` options
    (command-line options of Voilà, which win over the configuration, as in any traitlets app)."""
    config = voila_config(project, host, port, pools, tls, hub_site)
    path = site.parent / CONFIG_NAME
    path.write_text(json.dumps(config, indent=1, default=_jsonable), encoding="utf-8")
    launcher = "course.server.launcher"
    return [sys.executable, "-m", launcher, str(path), str(site), *(extra or [])]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Config):
        return dict(value)
    raise TypeError(f"not JSON: {value!r}")


def server_env(
    project: Project,
    host: str | None = None,
    focus: Module | None = None,
    tls: Tls | None = None,
    hub_site: str = "",
) -> dict[str, str]:
    """The environment of Voilà and of every kernel it starts (`focus`: today's module, shown
    first in the catalogue; `hub_site`: behind a hub, the server and pages use `HubIdentity`)."""
    env = dict(os.environ)
    env.pop(WORKSHOP_ENV, None)
    env.pop(HUB_SITE_ENV, None)
    if hub_site:
        env[HUB_SITE_ENV] = check_site_slug(hub_site)
    if focus is not None:
        env[WORKSHOP_ENV] = focus.id
    env[ANONYMOUS_ENV] = str(ServeSettings(config=project.config).anonymous_seconds)
    env[ROOT_ENV] = str(project.root)
    paths = [str(SHARE_DIR)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.pop("NBGRADER_EXECUTION", None)
    # Two malloc arenas, not one per thread (glibc's default: up to 8 per core): the server's
    # threads (ZeroMQ's, tornado's executor) each kept freed memory of their own, and the site
    # server grew ~5.5 MiB per open page instead of ~3 (issue 20's benchmark, 5 pages a site).
    env.setdefault("MALLOC_ARENA_MAX", "2")
    if host:
        # A preheated kernel fetches its page's query string from the server at this address.
        env["VOILA_APP_IP"] = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    env.pop(QUERY_CA_ENV, None)
    if tls is not None:  # ... over TLS, trusting this server's certificate
        env["VOILA_WS_PROTOCOL"], env[QUERY_CA_ENV] = "wss", str(tls.certfile)
    return env


def start(
    project: Project,
    host: str = "127.0.0.1",
    port: int | None = None,
    extra: list[str] | None = None,
    pools: dict[str, dict] | None = None,
    focus: Module | None = None,
    tls: Tls | None = None,
    hub_site: str = "",
    **popen: Any,
) -> subprocess.Popen:
    """Start Voilà in the background (tests and benchmarks use this; `popen`: e.g. stdout)."""
    command, env = prepare(project, host, port, extra, pools, focus, tls, hub_site)
    return subprocess.Popen(command, env=env, **popen)


def prepare(
    project: Project,
    host: str = "127.0.0.1",
    port: int | None = None,
    extra: list[str] | None = None,
    pools: dict[str, dict] | None = None,
    focus: Module | None = None,
    tls: Tls | None = None,
    hub_site: str = "",
) -> tuple[list[str], dict[str, str]]:
    """Everything before Voilà starts (database upgraded, site and configuration written):
    its command line and environment."""
    settings = ServeSettings(config=project.config)
    port = port or settings.port
    from course.workshops.migrations import upgrade  # as `course upgrade-db`, before any page

    upgrade(project)
    # What the home page puts first from now on (`course.core.todays_module`): the module this
    # server starts with, until the trainer's space changes today's workshops.
    write_todays_module(project.data_dir, today(), focus.id if focus else "")
    site = build_site(project)
    command = voila_command(project, site, host, port, pools, extra, tls, hub_site)
    env = server_env(project, host, focus, tls, hub_site)
    base_url = service_prefix(hub_site) if hub_site else settings.base_url
    env[ROOM_ENV] = room_url(host, port, base_url, secure=tls is not None)
    if hub_site and os.environ.get(HUB_PUBLIC_ENV):  # learners come through the hub
        env[ROOM_ENV] = hub_room_url(os.environ[HUB_PUBLIC_ENV], hub_site)
    return command, env


def run(
    project: Project,
    host: str = "127.0.0.1",
    port: int | None = None,
    focus: Module | None = None,
    tls: Tls | None = None,
    hub_site: str = "",
) -> int:
    """Serve in the foreground until Ctrl+C; `focus`: the workshop's module, preheated first.

    On Ctrl+C, or SIGTERM (a closed terminal, a service manager), Voilà is stopped and waited
    for, so the port is free for the next start.
    """

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    from course.server.running import forget_running, record_running

    if hub_site:
        _become_hub_site(project, host, port, focus, hub_site)
    previous = signal.signal(signal.SIGTERM, stop)
    # Ctrl+C too, explicitly: a process started with SIGINT ignored (a hub's service, anything
    # started in the background by a shell) would otherwise wait for the hub's SIGTERM, 30 s on.
    previous_interrupt = signal.signal(signal.SIGINT, stop)
    # Voilà's log is English and technical: a file for whoever debugs, not the trainer's screen,
    # capped (`course.core.logfile`): Voilà and its kernels write to a pipe, not to the file.
    with RotatingSink(voila_log(project)) as sink:
        pools = kernel_pools(project, focus)
        options: dict[str, Any] = {"tls": tls, "hub_site": hub_site, "stdout": sink, "stderr": sink}
        process = start(project, host, port, pools=pools, focus=focus, **options)
        # Voilà holds the pipe now: our end closes, the reader ends when Voilà does. Leaving
        # the block closes again (a no-op on the pipe) and waits for the last lines.
        sink.close(wait=False)
        record_running(project, host, port or ServeSettings(config=project.config).port, tls)
        try:
            return _wait(process, previous)
        finally:
            signal.signal(signal.SIGINT, previous_interrupt)
            forget_running(project)


def _become_hub_site(
    project: Project, host: str, port: int | None, focus: Module | None, hub_site: str
) -> NoReturn:
    """Behind a hub, this process becomes Voilà (`exec`) instead of waiting beside it: the
    `course` process that would wait holds about 90 MiB of imports for nothing, once per site
    (issue 20's benchmark), and the hub's SIGTERM then reaches Voilà itself, which stops its
    kernels and zygote. The process id stays the same, so the record of the running server
    (`course.server.running`) stays right until the process is gone."""
    from course.server.running import record_running

    port = port or ServeSettings(config=project.config).port
    pools = kernel_pools(project, focus, hub=True)
    command, env = prepare(project, host, port, pools=pools, focus=focus, hub_site=hub_site)
    record_running(project, host, port)
    # Voilà's log is a capped file, as with `course serve` on a laptop; its reader process
    # outlives this `exec` and ends when Voilà and its kernels have closed the pipe.
    sink = RotatingSink(voila_log(project))
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(sink.fileno(), 1)
    os.dup2(sink.fileno(), 2)
    sink.close(wait=False)
    os.execve(command[0], command, env)


def _wait(process: subprocess.Popen, previous: Any) -> int:
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


# `course serve`'s words to the trainer live beside (this file's length); same names as before.
from course.server.announce import Announce, announce, voila_log  # noqa: E402

__all__ = [
    "Announce", "ServeSettings", "announce", "build_site", "kernel_pools", "prepare", "run",
    "server_env", "start", "voila_command", "voila_config",
]  # fmt: skip
