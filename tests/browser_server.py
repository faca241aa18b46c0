"""Projects and servers for the browser tests: a throw-away site, a real `course serve`.

- `make_site` copies the project with learners (name -> code) and modules released: a `Site`.
- `Server` starts Voilà with `course.server.serve.start` on a free port, can stop it, kill it
  with SIGKILL (and its orphaned kernels) and start it again on the same port; `running` gives
  one to a module-scoped fixture, `served` makes a test file's usual fixtures.
- `CuttableProxy` stands between the browser and the server, as the room's Wi-Fi would.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.project import copy_project, free_port


@dataclass
class Site:
    """A throw-away project with learners (name -> code) and modules released."""

    project: object
    codes: dict[str, str]

    def learner_id(self, name: str) -> str:
        from course.access.roster import Roster, slugify

        wanted = slugify(name)
        return next(lr.id for lr in Roster(self.project.data_dir).learners() if lr.id == wanted)

    def token(self, name: str) -> str:
        """A fresh personal link key (a link opens a session once, then is spent)."""
        from course.access.roster import Roster

        return Roster(self.project.data_dir).new_link(self.learner_id(name))

    def answers(self, name: str, module) -> dict:
        from course.learner.session import LearnerSession

        return LearnerSession(self.project, module, self.learner_id(name)).store.answers


def make_site(root: Path, learners=("Alice", "Bob"), release=()) -> Site:
    from course.access.roster import Roster
    from course.settings import Project
    from course.trainer.workflow import release as release_module

    project = Project(copy_project(root))
    roster = Roster(project.data_dir)
    codes = {}
    for name in learners:
        learner, code = roster.add(name)
        codes[name] = code
    for ref in release:
        release_module(project, project.catalogue.get(ref))
    return Site(project, codes)


def _children(pid: int) -> list[int]:
    """Every descendant process of `pid` (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Server:
    """`course serve` for one project, on a port kept across restarts.

    `pool_size` sets how many preheated kernels `course serve` keeps for the pages it preheats
    (`course.server.serve.kernel_pools`): each server start costs those kernel starts, which tests that
    restart the server cannot afford on two cores. 0 renders every page on a fresh kernel.
    """

    def __init__(
        self,
        project,
        port: int | None = None,
        extra: list[str] | None = None,
        pool_size: int | None = None,
        focus=None,
        tls=None,
    ):
        self.project = project
        self.focus = focus
        self.port = port or free_port()
        self.extra = extra
        self.pool_size = pool_size
        self.tls = tls  # course.server.tls.Tls: HTTPS with that certificate
        self.process: subprocess.Popen | None = None
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"

    def url(self, path: str = "", token: str | None = None) -> str:
        url = f"{self.base}/voila/render/{path or 'index.ipynb'}"
        return url + (f"?cle={token}" if token is not None else "")

    def start(self, timeout: float = 90) -> Server:
        from course.server.serve import kernel_pools, start

        pools = None
        if self.pool_size is not None:
            pools = kernel_pools(self.project, pool_size=self.pool_size)
        self.process = start(self.project, port=self.port, extra=self.extra, pools=pools,
                             focus=self.focus, tls=self.tls)  # fmt: skip
        context = None
        if self.tls:  # the server's own certificate, verified
            import ssl

            context = ssl.create_default_context(cafile=str(self.tls.certfile))
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Voilà stopped at start (code {self.process.returncode})")
            try:
                urllib.request.urlopen(
                    self.base + "/voila/static/voila.js", timeout=2, context=context
                ).close()
                return self
            except OSError:
                time.sleep(0.3)
        self.kill()
        pytest.fail("Voilà did not start")

    def stop(self) -> None:
        if not self.process:
            return
        kernels = _children(self.process.pid)
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        _kill(kernels)
        self.process = None

    def kill(self) -> None:
        """SIGKILL, as a crash or a pulled plug would: nothing is cleaned up by Voilà."""
        if not self.process:
            return
        kernels = _children(self.process.pid)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        _kill(kernels)  # orphaned kernels would otherwise outlive the test session
        self.process = None

    def kernel_pids(self, kernel_id: str) -> list[int]:
        """The processes of a kernel: its command line names its connection file, or (a kernel
        forked by course.server.kernel_fork) it holds a socket named after the kernel."""
        sockets = set()
        for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
            fields = line.split()
            if len(fields) >= 8 and kernel_id in fields[7]:
                sockets.add(f"socket:[{fields[6]}]")
        pids = []
        for pid in _children(self.process.pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                fds = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
            except OSError:
                continue
            if kernel_id in cmdline or fds & sockets:
                pids.append(pid)
        return pids

    def kernel_count(self, forked_only: bool = False) -> int:
        """Kernel processes of this server (started or forked), the zygote not counted."""
        count = 0
        for pid in _children(self.process.pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
            forked = "kernel_fork" in cmdline and parent != self.process.pid
            count += forked or ("ipykernel" in cmdline and not forked_only)
        return count


def inbound_submissions(project, learner_id: str, module) -> list[Path]:
    inbound = project.exchange_dir / project.course_id / "inbound"
    return sorted(inbound.glob(f"{learner_id}+{module.id}+*"))


def clean_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def running(project, **options):
    """A started server for a module-scoped fixture (`yield from running(project)`), stopped
    when the module's tests are done, even if one failed."""
    server = Server(project, **options).start()
    try:
        yield server
    finally:
        server.stop()


def served(
    folder: str,
    learners: tuple[str, ...] = ("Alice", "Bob"),
    release: tuple[str, ...] = (),
    module: str | None = None,
    focus: str | None = None,
    shared: bool = False,
    **options,
):
    """A test file's usual fixtures: `site` (`make_site` with these learners and modules
    released, in a folder named `folder`), `server` (`course serve` for it, on fresh kernels
    unless `pool_size` is given; `focus`: the id of today's module) and `module` (the catalogue's
    module of that id). At the top of a test file: `site, server, module = served(...)`.

    `shared`: the files asking for the same site (learners, release, focus, options) get one
    site and one server, started once for the test session (`shared_servers` in conftest.py;
    each start costs seconds of two busy cores): their tests must leave the server up and not
    depend on what the others' learners wrote."""
    options.setdefault("pool_size", 0)
    key = (learners, tuple(release), focus, tuple(sorted(options.items())))

    def focus_of(site: Site):
        return site.project.catalogue.get(focus) if focus else None

    @pytest.fixture(scope="module", name="site")
    def site_fixture(tmp_path_factory, request):
        if not shared:
            return make_site(tmp_path_factory.mktemp(folder) / "projet", learners, release)
        servers = request.getfixturevalue("shared_servers")
        if key not in servers:
            site = make_site(tmp_path_factory.mktemp(folder) / "projet", learners, release)
            servers[key] = site, Server(site.project, focus=focus_of(site), **options).start()
        return servers[key][0]

    @pytest.fixture(scope="module", name="server")
    def server_fixture(site, request):
        if shared:
            yield request.getfixturevalue("shared_servers")[key][1]
        else:
            yield from running(site.project, focus=focus_of(site), **options)

    @pytest.fixture(name="module")
    def module_fixture(site):
        return site.project.catalogue.get(module) if module else None

    return site_fixture, server_fixture, module_fixture


# --- A network that can be cut --------------------------------------------------------------


class CuttableProxy:
    """A TCP relay in front of the server, as the room's Wi-Fi would be: `cut()` drops every
    connection and refuses new ones while the server keeps running; `restore()` ends the cut."""

    def __init__(self, target_port: int):
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.is_cut = False
        self.closed = False
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "", token: str | None = None) -> str:
        url = f"{self.base}/voila/render/{path or 'index.ipynb'}"
        return url + (f"?cle={token}" if token is not None else "")

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.is_cut:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, dest: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                dest.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, dest):
                self._drop(sock)

    def _drop(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def cut(self) -> None:
        self.is_cut = True
        with self.lock:
            sockets = list(self.sockets)
        for sock in sockets:
            self._drop(sock)

    def restore(self) -> None:
        self.is_cut = False

    def close(self) -> None:
        self.closed = True
        self.cut()
        self.listener.close()
