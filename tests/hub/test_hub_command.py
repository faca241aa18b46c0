"""The README's hub command with the network cut: `bash scripts/hub.sh` in a network namespace
of its own (`unshare -n`: only loopback, no route anywhere else), as an administrator runs it
once the project is installed (scripts/test.sh leaves it installed, as the first run does).

The hub folder is the one the first run's instructions lead to: a site, HTTPS with a
certificate for 127.0.0.1 (made by the test), free ports, a learner on the site's roster. The
command must start with nothing to download, say in French when the hub is ready, let the
learner sign in with Chromium (run in the same namespace, so any asset from outside would fail)
and open a page whose every request the hub serves, its kernel's WebSocket at the first try; Ctrl+C must then stop everything, with no
process left in the namespace and no kernel zygote's folder left. The terminal shows our French
lines and JupyterHub's warnings and errors only: its INFO lines (hundreds) are in a private file. `unshare` needs root (or user namespaces): if it is not
permitted here the test fails, it never skips.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from support.hub import make_hub
from support.project import REPO

from course.hub import layout
from course.hub.settings import load
from course.settings import Project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READY = "✔ Le hub est prêt"
# A lighter site than the default (one preheated kernel per page): the test measures the
# command, not the pools, on a two-core machine shared with other tests.
LIGHT = "\nc.ServeSettings.pool_size = 1\nc.ServeSettings.max_pooled_kernels = 2\n"


def namespace_of(pid: int) -> str:
    return os.readlink(f"/proc/{pid}/ns/net")


def processes_in(namespace: str) -> list[str]:
    """Every process still in the network namespace `namespace` (its command line)."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.readlink(entry / "ns" / "net") == namespace:
                left.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:  # gone meanwhile
            continue
    return left


def wait_for_line(process: subprocess.Popen, log: Path, line: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if line in log.read_text(encoding="utf-8", errors="replace"):
            return
        if process.poll() is not None:
            pytest.fail(
                f"scripts/hub.sh stopped ({process.returncode}):\n{log.read_text()[-4000:]}"
            )
        time.sleep(0.5)
    pytest.fail(f"no « {line} » in {timeout} s:\n{log.read_text()[-4000:]}")


@pytest.fixture
def hub_dir(tmp_path: Path) -> Path:
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        pytest.fail("`unshare -n` is not permitted here: this test needs root (never skipped).")
    stamp = REPO / ".venv" / ".installed-pyproject"
    if not stamp.is_file() or stamp.read_bytes() != (REPO / "pyproject.toml").read_bytes():
        pytest.fail(
            f"{stamp} does not match pyproject.toml: scripts/hub.sh would call pip, which "
            "cannot work offline (scripts/test.sh writes it after installing)."
        )
    hub_dir = make_hub(tmp_path / "hub", sites={"a": ["marie"]})
    with (layout.site_dir(hub_dir, "a") / "nbgrader_config.py").open("a") as config:
        config.write(LIGHT)
    return hub_dir


def zygote_folders(namespace: str) -> set[Path]:
    """The folders of the kernel zygotes running in `namespace` (their socket's folder)."""
    found = set()
    for command in processes_in(namespace):
        if "course.server.kernel_fork" in command:
            found.add(Path(command.split()[-1]).parent)
    return found


def test_the_hub_command_serves_a_learner_with_the_network_cut_and_stops(hub_dir, tmp_path):
    from browser_chromium import Guard, launch
    from browser_pages import wait_drawn

    _learner, code = Project(layout.site_dir(hub_dir, "a")).roster().add("Léa")
    port = load(hub_dir).port
    log = tmp_path / "hub-sh.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for name in ("COURSE_HUB", "COURSE_ROOT"):
        env.pop(name, None)
    # The hub folder as the command's argument, as the README says; the venv is this project's.
    command = ["unshare", "-n", "bash", "-c", 'ip link set lo up && exec bash scripts/hub.sh "$0"']
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, str(hub_dir)], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    namespace, deadline = namespace_of(os.getpid()), time.monotonic() + 10
    while namespace == namespace_of(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.1)  # until `unshare` has made its namespace
        namespace = namespace_of(process.pid)
    try:
        assert namespace != namespace_of(os.getpid())
        wait_for_line(process, log, READY, timeout=240)
        assert "Installation" not in log.read_text()  # nothing to download: it just started
        zygotes = zygote_folders(namespace)
        assert len(zygotes) == 1 and all(folder.is_dir() for folder in zygotes), zygotes
        # Chromium in the hub's namespace: outside addresses do not even exist there.
        wrapper = tmp_path / "chromium-in-namespace"
        wrapper.write_text(
            f'#!/bin/sh\nexec nsenter --net=/proc/{process.pid}/ns/net /usr/bin/chromium "$@"\n'
        )
        wrapper.chmod(0o755)
        browser = launch(str(wrapper))
        guard, failed = Guard(), []
        try:
            context = browser.new_context(
                ignore_https_errors=True, locale="fr-FR", viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(60_000)
            guard.install(context)
            page = context.new_page()
            page.on(
                "requestfailed",
                lambda request: (
                    # Voilà's beacon that stops the kernel of a page being left: fire and
                    # forget, the browser drops its answer with the page (it arrives: Voilà
                    # logs « Kernel shutdown »).
                    "/voila/api/shutdown/" not in request.url and failed.append(request.url)
                ),
            )
            page.on(
                "console",
                lambda message: message.type == "error" and failed.append(message.text),
            )
            page.on(
                "response",
                lambda answer: (
                    answer.status >= 400 and failed.append(f"{answer.status} {answer.url}")
                ),
            )
            url = f"https://127.0.0.1:{port}"
            page.goto(f"{url}/hub/login")
            page.get_by_label("Mon lieu d'atelier").select_option("a")
            page.get_by_label("Mon prénom").fill("Léa")
            page.get_by_label("Mon code (sur ma carte)").fill(code)
            page.get_by_role("button", name="Entrer").click()
            page.wait_for_url(f"{url}/services/site-a/**")
            # The page the sign-in leads to streams in through the proxy: let it finish
            # (its kernel's requests too) before leaving it, or Chromium aborts them.
            wait_drawn(page)
            page.goto(f"{url}/services/site-a/voila/render/proteger-ses-donnees/lesson.ipynb")
            wait_drawn(page)
            assert page.get_by_text("Vous êtes entré avec le prénom Léa.").is_visible()
            # The kernel's socket opened at once through the hub's proxy (its subprotocol
            # answered): no failed handshake, so no « connexion revenue » on a fresh page.
            page.wait_for_timeout(1000)
            assert page.locator("#cq-connection-back").inner_text() == ""
        finally:
            browser.close()
        guard.check()
        assert failed == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl+C in the terminal
        try:
            code_ = process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail(f"Ctrl+C did not stop the hub in 90 s:\n{log.read_text()[-3000:]}")
    assert code_ == 0, log.read_text()[-3000:]
    deadline = time.monotonic() + 10
    while processes_in(namespace) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_in(namespace) == []
    assert [folder for folder in zygotes if folder.exists()] == []
    # What the administrator saw: our French lines, no INFO line of JupyterHub or its proxy.
    terminal = log.read_text(encoding="utf-8")
    assert "Le hub démarre" in terminal and READY in terminal
    assert [line for line in terminal.splitlines() if line.startswith("[I ")] == []
    assert "servi pour le hub" not in terminal  # the services' own lines: their files
    assert "Allowing service" not in terminal  # a warning that only restates hub.toml's choice
    journals = layout.private_dir(hub_dir) / "journaux"
    for name in ("jupyterhub.log", "proxy.log", "site-a.log"):
        assert (journals / name).stat().st_mode & 0o777 == 0o600, name
    hub_log = (journals / "jupyterhub.log").read_text(encoding="utf-8")
    assert "JupyterHub is now running" in hub_log and "Allowing service site-a" in hub_log
    assert sum(line.startswith("[I ") for line in hub_log.splitlines()) > 20
    assert "[I " in (journals / "proxy.log").read_text(encoding="utf-8")
    assert "servi pour le hub" in (journals / "site-a.log").read_text(encoding="utf-8")
    # The site's Voilà log: written through the capped reader (`course.core.logfile`), which
    # outlived the service's `exec` and ended with Voilà (no process left, above).
    voila_log = layout.site_dir(hub_dir, "a") / "var" / "logs" / "voila.log"
    assert voila_log.stat().st_mode & 0o777 == 0o600
    assert "[AtelierVoila]" in voila_log.read_text(encoding="utf-8")
