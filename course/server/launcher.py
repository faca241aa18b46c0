"""Voilà as `course serve` runs it: stock Voilà on the configuration `course.server.serve`
wrote, with what cannot be set as Voilà configuration.

- gzip, with static files compressed once and kept in memory (`course.server.static_gzip`);
- the `_xsrf` cookie Voilà's kernel-shutdown beacon needs (voila#1458, `RenderHandler`), so
  leaving a page stops its kernel instead of leaving it until culled;
- a cap on the kernels serving pages (`AtelierVoila.max_page_kernels`): every plain GET of a
  page starts a kernel, so beyond the cap a French page says the room is full instead of the
  laptop running out of memory. Pages of visitors nobody knows yet (no open session, no unused
  card link: `IdentityProvider.page_is_signed_in`) have a small quota of their own
  (`max_anonymous_pages` in any `anonymous_seconds`, the time such a page lives; a page on
  which somebody signs in, or that paused, gives its place back), so a flood of anonymous page
  loads from the room's network never takes the pages of signed-in learners; beyond that quota
  a visitor is sent to the sign-in form the provider serves without a kernel
  (`page_sign_in_path`, `course.access.room_sign_in`), so a learner who has neither an open
  session nor her card link still signs in and gets her page;
- HTTPS when given a certificate (`certfile`, `keyfile`: `course serve --certfile`);
- stopping the kernels of pages nobody signed in to: such a page pauses itself after a while
  (`course.learner.pages.base`) and leaves its process id in `AtelierVoila.paused_dir`; this
  server then shuts that kernel down (a kernel that exits by itself would be restarted);
- the private spaces (`course.server.spaces`: the trainer's `atelier/`…), under Voilà's
  `base_url` and before Voilà's own rules, so the same server and port serve them;
- the audio of « Écouter » for signed-in learners (`course.server.listen`, `lecture`);
- behind a JupyterHub (`AtelierVoila.hub_site`), every route guarded by the hub's identity,
  WebSockets included (`course.server.hub_guard`);
- a page whose kernel never answered ends in French (`course.server.page_failsafe`).

Run as `python -m course.server.launcher CONFIG.json SITE [VOILÀ OPTIONS…]`. Importing this
module imports Voilà's server side (seconds of CPU): only the server process does.
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

# Voilà's server imports jupyter_events, whose jsonschema builds rfc3987-syntax's lark grammar
# for the "iri" format at import: ~6 s of CPU and ~20 MiB in every site's server, for a format
# no schema of ours or Voilà's uses (issue 20's benchmark). Without the package, jsonschema
# just does not check that format.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from jupyter_server.utils import url_path_join  # noqa: E402
from tornado.ioloop import PeriodicCallback  # noqa: E402
from traitlets import Bool, Int, Unicode  # noqa: E402
from traitlets.config import Config  # noqa: E402
from voila.app import Voila  # noqa: E402
from voila.tornado.handler import TornadoVoilaHandler  # noqa: E402

from course.learner import assets  # noqa: E402
from course.server import page_failsafe  # noqa: E402
from course.server.lan import room_url  # noqa: E402
from course.server.leave import leave  # noqa: E402
from course.server.memory import SECONDS as RELEASE_SECONDS  # noqa: E402
from course.server.memory import releaser  # noqa: E402
from course.server.static_gzip import GZip, prewarm  # noqa: E402
from course.settings import ROOM_ENV, Project  # noqa: E402

FULL_PAGE = Path(__file__).parents[1] / "learner" / "share" / "full.html"


def page_kernels(kernel_manager: Any) -> int:
    """Kernels serving a page: all of them but those waiting in Voilà's preheated pools."""
    pooled = sum(len(pool) for pool in getattr(kernel_manager, "_pools", {}).values())
    return len(kernel_manager.list_kernel_ids()) - pooled


class AnonymousPages:
    """When pages were last given to visitors nobody knows: each lives `seconds` at most
    (it pauses itself, then its kernel is stopped), so a page given longer ago holds nothing."""

    def __init__(self) -> None:
        self.given: deque[float] = deque()

    def count(self, seconds: float) -> int:
        horizon = time.monotonic() - seconds
        while self.given and self.given[0] < horizon:
            self.given.popleft()
        return len(self.given)

    def add(self) -> None:
        self.given.append(time.monotonic())

    def release(self) -> None:
        """A page given to a visitor is no longer anonymous (somebody signed in on it) or no
        longer there (paused, its kernel stopped): one place less is taken."""
        if self.given:
            self.given.popleft()


ANONYMOUS = AnonymousPages()


class RenderHandler(TornadoVoilaHandler):
    """Voilà's page handler, plus the `_xsrf` cookie its kernel-shutdown beacon needs, and the
    cap on pages open at once.

    On leaving a page, Voilà's front end posts the cookie's value to /voila/api/shutdown;
    Voilà never sets that cookie, so every such shutdown fails with a 403 (voila#1458) and
    the kernel lives on until culled.
    """

    async def prepare(self) -> None:
        await super().prepare()
        self.xsrf_token  # noqa: B018 - sets the cookie
        limit = self.settings.get("atelier_max_page_kernels", 0)
        quota = self.settings.get("atelier_max_anonymous_pages", 0)
        full = kernels_full = bool(limit) and page_kernels(self.kernel_manager) >= limit
        if not full and quota and not self._signed_in():
            # A page lives `anonymous_seconds` unless somebody signs in on it (then it is a
            # learner's page, counted here until that time all the same: a safe overcount).
            seconds = self.settings.get("atelier_anonymous_seconds", 0) or 180
            full = ANONYMOUS.count(seconds + 10) >= quota
            if not full:
                ANONYMOUS.add()
        if full and not kernels_full and self._to_sign_in_form():
            return
        if full:
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.finish(FULL_PAGE.read_text(encoding="utf-8"))

    def _to_sign_in_form(self) -> bool:
        """Anonymous pages are all taken: a real person still signs in, on the provider's form
        served without a kernel (`course.access.room_sign_in`), and then gets this page."""
        from urllib.parse import urlencode

        path = self.settings["atelier_identity"].page_sign_in_path
        if not path or self.request.method != "GET":
            return False
        root = url_path_join(self.settings.get("base_url", "/"), "/")
        self.redirect(f"{root}{path}?{urlencode({'suite': self.request.uri})}")
        return True

    def _signed_in(self) -> bool:
        from course.access.request import KernelRequest

        provider = self.settings["atelier_identity"]
        request = KernelRequest(
            query=self.request.query, headers={"cookie": self.request.headers.get("Cookie", "")}
        )
        try:
            return bool(provider.page_is_signed_in(request))
        except Exception:  # a damaged session file: counted as anonymous, not an error page
            self.log.exception("Could not tell whether a page request is signed in")
            return False


class AtelierVoila(Voila):
    max_page_kernels = Int(
        0, help="Kernels serving pages at most (preheated ones not counted); 0: no cap."
    ).tag(config=True)
    fork_kernels = Bool(
        False, help="Fork kernels from a preloaded process (course.server.kernel_fork)."
    ).tag(config=True)
    paused_dir = Unicode("", help="Folder where paused pages leave their kernel's process id.").tag(
        config=True
    )
    max_anonymous_pages = Int(
        0, help="Pages for visitors not signed in, in any `anonymous_seconds`; 0: no quota."
    ).tag(config=True)
    anonymous_seconds = Int(0, help="How long a page nobody signed in to lives.").tag(config=True)
    certfile = Unicode("", help="TLS certificate (PEM): serve HTTPS.").tag(config=True)
    keyfile = Unicode("", help="The certificate's private key (PEM).").tag(config=True)
    hub_site = Unicode(
        "", help="The site's slug when served as a JupyterHub service: every route guarded."
    ).tag(config=True)
    hub_guard: Any = None

    def init_settings(self) -> dict[str, Any]:
        settings = super().init_settings()  # also sets server_url (base_url unless given)
        # Given to tornado.web.Application() itself, where transforms are decided.
        settings["transforms"] = [GZip.under(self.server_url)]
        settings["atelier_max_page_kernels"] = self.max_page_kernels
        settings["atelier_max_anonymous_pages"] = self.max_anonymous_pages
        settings["atelier_anonymous_seconds"] = self.anonymous_seconds
        from course.access.settings import identity_provider

        settings["atelier_identity"] = identity_provider(Project())
        return settings

    def setup_template_dirs(self) -> None:
        super().setup_template_dirs()
        # The widgets' modules and stylesheets at <base_url>voila/static/, once per browser
        # (course.learner.assets); Voilà's own files keep the first say on a name.
        self.static_paths.append(str(assets.STATIC))

    def init_handlers(self) -> list[Any]:
        from course.server.listen import PATH, ListenHandler
        from course.server.spaces import space_handlers

        project = Project()
        listen = (url_path_join(self.base_url, PATH), ListenHandler, {"project": project})
        voila = [
            (rule[0], RenderHandler, *rule[2:]) if rule[1] is TornadoVoilaHandler else rule
            for rule in super().init_handlers()
        ]
        from course.access.settings import identity_provider

        pages = identity_provider(project).page_handlers(self.base_url)
        rules = [*space_handlers(project, self.base_url), *pages, listen, *voila]
        if not self.hub_site:
            return rules
        from course.access.hub import HubIdentity
        from course.server.hub_guard import HubGuard, guard_rules, kernel_key

        self.hub_guard = HubGuard(HubIdentity(project, site=self.hub_site))
        return guard_rules(rules, self.hub_guard, kernel_key())

    def listen(self) -> None:
        from course.coordinator.sync_client import start_auto_sync

        if self.paused_dir:
            PeriodicCallback(self.stop_paused_kernels, 2000).start()
        # Finished pages' renderers and freed blocks given back (`course.server.memory`).
        PeriodicCallback(releaser(), RELEASE_SECONDS * 1000).start()
        start_auto_sync(Project(), self.log)  # an enrolled laptop sends to its coordination
        if self.certfile:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.certfile, self.keyfile or None)
            plain = self.app.listen

            def listen(port: int, address: str = "", **kwargs: Any) -> Any:
                return plain(port, address, ssl_options=context, **kwargs)

            self.app.listen = listen
        if self.hub_guard is not None:
            self.hub_guard.start_rechecks()
        super().listen()  # runs the event loop until the server stops

    async def stop_paused_kernels(self) -> None:
        signed = Path(self.paused_dir).with_name("signed")  # `Page.tell_signed_in`
        for name in os.listdir(signed) if signed.is_dir() else []:
            (signed / name).unlink(missing_ok=True)
            ANONYMOUS.release()
        folder = Path(self.paused_dir)
        names = os.listdir(folder) if folder.is_dir() else []
        if not names:
            return
        by_pid = {}
        for kernel_id in self.kernel_manager.list_kernel_ids():
            process = getattr(
                self.kernel_manager.get_kernel(kernel_id).provisioner, "process", None
            )
            if process is not None:
                by_pid[str(process.pid)] = kernel_id
        for name in names:
            (folder / name).unlink(missing_ok=True)
            ANONYMOUS.release()
            if name in by_pid:
                self.log.info("Stopping the kernel of a page nobody signed in to: %s", name)
                await self.kernel_manager.shutdown_kernel(by_pid[name])

    @property
    def room_url(self) -> str:
        """The learners' address, from this server's own address and base URL."""
        return room_url(self.ip, self.port, self.base_url, secure=bool(self.certfile))

    def stop(self) -> None:
        """Voilà's stop (connection files, every kernel), with each kernel given
        `STOP_WAIT_SECONDS` to leave on its shutdown request before SIGTERM then SIGKILL,
        instead of jupyter_client's 5 s: a pooled kernel interrupted while idle often never
        answers it, and the hub stops its sites one after another. A learner's answers are
        saved by the page on each change, never at a kernel's exit."""
        for kernel_id in self.kernel_manager.list_kernel_ids():
            self.kernel_manager.get_kernel(kernel_id).shutdown_wait_time = STOP_WAIT_SECONDS
        super().stop()

    def start(self) -> None:
        # The trainer's space shows the learners' address: `course serve` gives it; a server
        # started otherwise gives its own.
        os.environ.setdefault(ROOM_ENV, self.room_url)
        # Stop on SIGINT as on SIGTERM. JupyterHub stops a service with SIGINT first, then
        # waits 10 s before a SIGTERM, one service after another: a site whose SIGINT did
        # nothing (it came ignored: `course serve` behind the hub) held the hub's Ctrl+C
        # 10 s more per site.
        signal.signal(signal.SIGINT, self._handle_signal_stop)
        folders = [*self.static_paths, *self.labextensions_path]
        threading.Thread(target=prewarm, args=(folders,), daemon=True).start()
        super().start()


# How long a kernel has to leave on its shutdown request when the server stops (then SIGTERM;
# SIGKILL at twice this): jupyter_client's default is 5 s per kernel.
STOP_WAIT_SECONDS = 1.0


def launch(config_path: str, argv: list[str]) -> None:
    """Voilà's own entry point on our configuration (the kernel zygote first, if asked)."""
    config = Config(json.loads(Path(config_path).read_text(encoding="utf-8")))
    # This server serves the widgets' front end (`setup_template_dirs`): its kernels' widgets
    # carry a stub that loads it, not the whole source (course.learner.assets).
    os.environ[assets.SERVED_ENV] = "1"
    if config.get("AtelierVoila", {}).get("hub_site"):
        from course.server.hub_guard import kernel_key

        kernel_key()  # in the environment of every kernel (and of the zygote) from now on
    if config.get("AtelierVoila", {}).get("fork_kernels"):
        start_zygote()
    page_failsafe.install()
    AtelierVoila.launch_instance(argv, config=config)
    leave()  # stopped: no teardown of the heap (course.server.leave)


def start_zygote(timeout: float = 60) -> None:
    """The process kernels are forked from (`course.server.kernel_fork`), ready before Voilà
    starts its first (preheated) kernel; without it, kernels start the usual way."""
    import atexit
    import shutil
    import subprocess
    import time

    from course.server.kernel_fork import SOCKET_ENV, SOCKET_NAME, new_folder

    folder = new_folder()
    path = os.path.join(folder, SOCKET_NAME)
    # Two malloc arenas, not one per thread: each kernel has several threads, and every arena
    # keeps memory of its own.
    # (pydevd, preloaded for ipykernel's debugger, would warn about frozen modules at import.)
    env = {**os.environ, "MALLOC_ARENA_MAX": "2", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    command = [sys.executable, "-m", "course.server.kernel_fork", path]
    zygote = subprocess.Popen(command, env=env)

    def stop() -> None:
        zygote.terminate()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    deadline = time.time() + timeout
    while not os.path.exists(path):
        if zygote.poll() is not None or time.time() > deadline:
            print(
                "course: kernel zygote did not start; kernels start the usual way", file=sys.stderr
            )
            return
        time.sleep(0.1)
    os.environ[SOCKET_ENV] = path
    os.environ["JUPYTER_DEFAULT_PROVISIONER_NAME"] = "atelier-fork"


if __name__ == "__main__":
    launch(sys.argv[1], sys.argv[2:])
