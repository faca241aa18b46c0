"""Support for the browser tests: a real `course serve`, Debian's Chromium, a network guard.

- `Server` starts Voilà with `course.trainer.serve.start` on a free port, can stop it, kill it with
  SIGKILL (and its orphaned kernels) and start it again on the same port.
- `chromium()` launches Chromium once per test session (a missing browser is a failure, never a
  skip: CI installs it with scripts/test.sh).
- `Guard` blocks every request that would leave the machine (HTTP and WebSocket, matched in the
  browser) and records it; `guard.check()` fails the test on any attempt. Chromium's own
  background traffic is switched off, and host names other than loopback resolve to nothing,
  so even a request that slipped past the routes could not hang on an outside address.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO, copy_project, free_port

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--dns-prefetch-disable",
    "--no-first-run",
    "--no-pings",
    "--lang=fr-FR",
    # Any name but the loopback resolves to nothing: nothing can reach (or wait for) the outside.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
# Everything that is not loopback, data:, blob: or about: (matched inside the browser).
OUTSIDE = re.compile(
    r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:/|$))"
    r"(?!data:|blob:|about:)"
)


# --- Chromium, once per session ------------------------------------------------------------

_session: dict = {}


def chromium():
    """The session's Chromium (launched on first use, closed when the tests end)."""
    if "browser" not in _session:
        if not Path(CHROMIUM).is_file():
            pytest.fail(
                f"Chromium is missing ({CHROMIUM}): install Debian's `chromium` "
                "(scripts/test.sh does) or set CHROMIUM. Browser tests never skip."
            )
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _session["playwright"] = playwright
        _session["browser"] = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        atexit.register(_close_chromium)
    return _session["browser"]


def _close_chromium() -> None:
    browser, playwright = _session.pop("browser", None), _session.pop("playwright", None)
    try:
        if browser:
            browser.close()
        if playwright:
            playwright.stop()
    except Exception:
        pass


# --- Network guard --------------------------------------------------------------------------


@dataclass
class Guard:
    attempts: list[str] = field(default_factory=list)

    def install(self, context) -> None:
        context.route(OUTSIDE, self._block)
        context.route_web_socket(OUTSIDE, self._block_socket)

    def _block(self, route) -> None:
        self.attempts.append(route.request.url)
        route.abort("blockedbyclient")

    def _block_socket(self, socket) -> None:
        self.attempts.append(socket.url)
        socket.close()

    def check(self) -> None:
        assert not self.attempts, f"requests tried to leave the machine: {self.attempts}"


def profile(guard: Guard, user_data_dir: Path, **options):
    """A browser profile on disk, as on a shared computer: cookies, storage and history kept
    between people (`Default/History` can be read once it is closed)."""
    chromium()
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("locale", "fr-FR")
    context = _session["playwright"].chromium.launch_persistent_context(
        str(user_data_dir), executable_path=CHROMIUM, args=CHROMIUM_ARGS, **options
    )
    context.set_default_timeout(45_000)
    context.set_default_navigation_timeout(90_000)
    guard.install(context)
    return context


def new_context(guard: Guard, **options):
    """A fresh browser context (own cookies and sessionStorage) with the guard installed."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("locale", "fr-FR")
    context = chromium().new_context(**options)
    # Generous: the test machine may be busy (2 cores, kernels starting in parallel).
    context.set_default_timeout(45_000)
    context.set_default_navigation_timeout(90_000)
    guard.install(context)
    return context


# --- Projects and servers -------------------------------------------------------------------


@dataclass
class Site:
    """A throw-away project with learners (name -> code) and modules released."""

    project: object
    codes: dict[str, str]

    def learner_id(self, name: str) -> str:
        from course.identity import Roster, slugify

        wanted = slugify(name)
        return next(lr.id for lr in Roster(self.project.data_dir).learners() if lr.id == wanted)

    def token(self, name: str) -> str:
        """A fresh personal link key (a link opens a session once, then is spent)."""
        from course.identity import Roster

        return Roster(self.project.data_dir).new_link(self.learner_id(name))

    def answers(self, name: str, module) -> dict:
        from course.learner.session import LearnerSession

        return LearnerSession(self.project, module, self.learner_id(name)).store.answers


def make_site(root: Path, learners=("Alice", "Bob"), release=()) -> Site:
    from course.identity import Roster
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
    (`course.trainer.serve.kernel_pools`): each server start costs those kernel starts, which tests that
    restart the server cannot afford on two cores. 0 renders every page on a fresh kernel.
    """

    def __init__(
        self,
        project,
        port: int | None = None,
        extra: list[str] | None = None,
        pool_size: int | None = None,
        focus=None,
    ):
        self.project = project
        self.focus = focus
        self.port = port or free_port()
        self.extra = extra
        self.pool_size = pool_size
        self.process: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "", token: str | None = None) -> str:
        url = f"{self.base}/voila/render/{path or 'index.ipynb'}"
        return url + (f"?cle={token}" if token is not None else "")

    def start(self, timeout: float = 90) -> Server:
        from course.trainer.serve import kernel_pools, start

        pools = None
        if self.pool_size is not None:
            pools = kernel_pools(self.project, pool_size=self.pool_size)
        self.process = start(
            self.project, port=self.port, extra=self.extra, pools=pools, focus=self.focus
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Voilà stopped at start (code {self.process.returncode})")
            try:
                urllib.request.urlopen(self.base + "/voila/static/voila.js", timeout=2).close()
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
        forked by course.trainer.kernel_fork) it holds a socket named after the kernel."""
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


# --- Pages ----------------------------------------------------------------------------------


def open_page(context, url: str, guard: Guard | None = None, wait: str = ".cq-page"):
    """Open `url`, wait until the kernel's widgets have drawn the page."""
    page = context.new_page()
    page.goto(url)
    wait_drawn(page, wait)
    if guard:
        guard.check()
    return page


def open_many(context, urls: list[str], guard: Guard, batch: int = 3):
    """Open pages a few at a time (the server starts their kernels in parallel)."""
    for start in range(0, len(urls), batch):
        pages = []
        for url in urls[start : start + batch]:
            page = context.new_page()
            page.goto(url, wait_until="commit")
            pages.append((url, page))
        for url, page in pages:
            wait_drawn(page)
            guard.check()
            yield url, page
            page.close()


LATE = "La page met trop de temps à s'afficher."


def wait_drawn(page, wait: str = ".cq-page") -> None:
    try:
        page.wait_for_selector(f"{wait}, #cq-page-late", timeout=90_000)
    except Exception:
        pytest.fail(f"{page.url} was neither drawn nor declared late in 90 s")
    if page.locator("#cq-page-late").count():
        # The page said, in French, that it did not come (e.g. its kernel died at start, as
        # happens on a saturated machine): do what it tells the learner, once.
        print(f"warning: {page.url} told the learner to reload; reloading once")
        page.reload()
        page.wait_for_selector(wait, timeout=90_000)
    # Widgets render one after the other: wait until the last one (questions, forms) is there.
    page.wait_for_function(
        """() => {
          const page = document.querySelector('.cq-page');
          if (!page) return !!document.querySelector('.cq-page-error');
          return !document.getElementById('loading') &&
            page.querySelectorAll('.cq-question, .cq-signin, .cq-submit, .cq-cards, .cq-refused, .cq-page-error, .cq-cv-step, .cq-result, .cq-results-none').length > 0;
        }""",
        timeout=60_000,
    )
    # ... and until no more widget arrives (same count of controls over half a second).
    previous = -1
    for _ in range(40):
        count = page.locator(".cq-page input, .cq-page button, .cq-page a, .cq-page h2").count()
        if count == previous:
            return
        previous = count
        page.wait_for_timeout(500)


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options=AXE_OPTIONS)
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result.response["violations"]
    ]


def kernel_id(page) -> str:
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def question(page, question_id: str):
    return page.locator(f"fieldset[data-question='{question_id}']")


def wait_saved(page, question_id: str) -> None:
    question(page, question_id).locator(".cq-saved").filter(
        has_text=re.compile("enregistrée à")
    ).wait_for()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def inbound_submissions(project, learner_id: str, module) -> list[Path]:
    inbound = project.exchange_dir / project.course_id / "inbound"
    return sorted(inbound.glob(f"{learner_id}+{module.id}+*"))


def clean_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# --- Answering ------------------------------------------------------------------------------

FREE_TEXT = "Ne pas répondre, ne pas cliquer, appeler sa banque au numéro habituel."


def expected_answer(q):
    """What the tests answer to `q`: the model answer, or a sentence for written questions."""
    return FREE_TEXT if q.type == "libre" else q.model_answer()


def sign_in(page, name: str, code: str) -> None:
    page.get_by_label("Votre prénom").fill(name)
    page.get_by_label("Votre code (sur votre carte)").fill(code)
    page.get_by_role("button", name="Entrer").click()
    page.locator(".cq-question").first.wait_for()


def answer(page, q, value) -> None:
    """Answer question `q` with the mouse and keyboard as a learner would; wait until saved."""
    box = question(page, q.id)
    if q.type == "qcu":
        box.get_by_role("radio", name=value, exact=True).check()
    elif q.type == "qcm":
        for choice in q.choices:
            box.get_by_role("checkbox", name=choice, exact=True).set_checked(choice in value)
    elif q.type == "qrocm":
        for label, text in zip([f[0] for f in q.fields], value, strict=True):
            box.get_by_label(label, exact=True).fill(text)
            box.get_by_label(label, exact=True).press("Tab")
    else:
        box.get_by_label("Votre réponse").fill(value)
        box.get_by_label("Votre réponse").press("Tab")
    wait_saved(page, q.id)


def active(page, script: str = "el => el"):
    return page.evaluate(
        f"(() => {{ const el = document.activeElement; return ({script})(el); }})()"
    )


def tab_until(page, test: str, limit: int = 60) -> None:
    """Press Tab until the focused element passes `test` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active(page, test):
            return
    raise AssertionError(f"Tab never reached an element such that {test}")


def keyboard_answer(page, q, value) -> None:
    """Answer with Tab, arrows, Space and typing only (the focus enters the question first)."""
    tab_until(page, f"el => !!el.closest(\"fieldset[data-question='{q.id}']\")")
    if q.type == "qcu":
        assert active(page, "el => el.type") == "radio"
        page.keyboard.press("Space")  # checks the first choice
        for _ in range(q.choices.index(value)):
            page.keyboard.press("ArrowDown")  # moves to and checks the next one
    elif q.type == "qcm":
        for i, choice in enumerate(q.choices):
            if i:
                page.keyboard.press("Tab")
            assert active(page, "el => el.value") == choice
            if choice in value:
                page.keyboard.press("Space")
    elif q.type == "qrocm":
        for i, text in enumerate(value):
            if i:
                page.keyboard.press("Tab")
            page.keyboard.type(text)
    else:
        page.keyboard.type(value)


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


# --- Reflow ---------------------------------------------------------------------------------

OUTSIDE_THE_SCREEN = """() => {
  const width = window.innerWidth;
  const bad = [];
  if (document.documentElement.scrollWidth > width)
    bad.push(['page', document.documentElement.scrollWidth, width]);
  const selector = 'button, input, textarea, select, a.cq-link, label.cq-choice, legend, h1, h2, ' +
    'fieldset, .cq-panel, .cq-card, .cq-banner, p';
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('.cq-invisible')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if (box.left < -1 || box.right > width + 1)
      bad.push([el.tagName, (el.textContent || '').trim().slice(0, 40),
                Math.round(box.left), Math.round(box.right)]);
  }
  return bad;
}"""


def check_fits(page, where: str) -> None:
    """Nothing sideways, every control inside the screen, buttons still 44 px high."""
    assert page.evaluate(OUTSIDE_THE_SCREEN) == [], where
    small = page.evaluate(
        """() => [...document.querySelectorAll('button')]
          .map(b => [b.textContent.trim(), b.getBoundingClientRect().height])
          .filter(([_, h]) => h > 0 && h < 44)"""
    )
    assert small == [], where


def running(project, **options):
    """A started server for a module-scoped fixture (`yield from running(project)`), stopped
    when the module's tests are done, even if one failed."""
    server = Server(project, **options).start()
    try:
        yield server
    finally:
        server.stop()
