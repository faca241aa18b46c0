"""What the benchmarks share: a throw-away copy of the project, stock Voilà or `course serve` on
a free port, and what a server and its kernels cost (CPU seconds, PSS).

Both servers serve the same site folder (`course.server.serve.build_site`) with the same
environment (`course.server.serve.server_env`):

- stock: `python -m voila <site>`, Voilà's defaults;
- ours: what `course serve --module 02` runs (its pages preheated).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# The tests' support: one copy of the project's files for tests and benchmarks alike.
sys.path.insert(0, str(REPO / "tests"))

from support.project import copy_project as _copy_project  # noqa: E402
from support.project import free_port as free_port  # noqa: E402 (re-exported)

from course.server import serve  # noqa: E402
from course.settings import Project  # noqa: E402

MODULE = "proteger-ses-donnees"
PAGE = f"/voila/render/{MODULE}/evaluation.ipynb"
CHROMIUM = "/usr/bin/chromium"
BENCH_CODE = "234567"  # every benchmark learner's sign-in code
MiB = 2**20


def copy_project(dest: Path) -> Path:
    """The project as committed (`support.project.copy_project`, git's files only): work in
    progress elsewhere in the working tree stays out of a measure."""
    return _copy_project(dest, tracked_only=True)


def bench_project(work: Path, learners: int) -> tuple[Project, list[str]]:
    """A copy of the project in `work/projet` (this one, not `$COURSE_ROOT`'s) and the ids of
    `learners` learners signed up in it (« Bench00 »…, code 234567), for the benchmarks that
    sign learners in."""
    os.environ.pop("COURSE_ROOT", None)
    project = Project(copy_project(work / "projet"))
    roster = project.roster()
    ids = [roster.add(f"Bench{n:02d}", code=BENCH_CODE)[0].id for n in range(learners)]
    return project, ids


# --- What a process tree costs --------------------------------------------------------------


def process_tree(pid: int) -> list[psutil.Process]:
    """A process and all its descendants (none if it has gone)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def tree_pids(pid: int) -> set[int]:
    return {process.pid for process in process_tree(pid)}


def tree_cpu(pid: int, exclude: set[int] = frozenset()) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants."""
    total = 0.0
    for process in process_tree(pid):
        if process.pid in exclude:
            continue
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def pss(pid: int) -> float:
    """PSS of a process and all its descendants, in MiB."""
    total = 0
    for process in process_tree(pid):
        try:
            total += process.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total / MiB


def settle(pid: int, minimum: float = 1.5, limit: float = 60) -> None:
    """Wait until a server and its kernels are idle (pools refilled, kernels started)."""
    time.sleep(minimum)
    deadline = time.time() + limit
    while time.time() < deadline:
        before = tree_cpu(pid)
        time.sleep(1.0)
        if tree_cpu(pid) - before < 0.05:
            return


# --- The two servers ------------------------------------------------------------------------


def start(name: str, project: Project, port: int, log, stock_args=(), focus: bool = True):
    """Start "stock" Voilà (`stock_args` added to its command line) or "ours" (pools for
    `MODULE`, which is today's module with `focus`), their output in `log`."""
    if name == "stock":
        site = serve.build_site(project)
        command = [sys.executable, "-m", "voila", str(site), "--no-browser", *stock_args]
        command += [f"--port={port}", "--Voila.ip=127.0.0.1"]
        return subprocess.Popen(command, env=serve.server_env(project), stdout=log, stderr=log)
    module = project.catalogue.get(MODULE)
    pools = serve.kernel_pools(project, module)
    return serve.start(
        project,
        "127.0.0.1",
        port,
        pools=pools,
        focus=module if focus else None,
        stdout=log,
        stderr=log,
    )


def wait_ready(process: subprocess.Popen, base: str, name: str = "", timeout: float = 120) -> None:
    """Until the server answers (SystemExit if it stops or does not start in time)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name}: Voilà stopped at start, see its log")
        try:
            urllib.request.urlopen(base + "/voila/static/voila.js", timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{name}: Voilà did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
