"""`course hub start` becomes `course.hub.supervise` once everything is checked: the process
that waits for JupyterHub all day must hold a few MiB, so it imports the standard library only;
and it still says in French how the hub ended and stops a proxy JupyterHub left behind.
(The whole command, its « prêt » line and Ctrl+C: tests/hub/test_hub_command.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from course.hub import layout

OURS = {"course", "course.hub", "course.hub.folders", "course.hub.ready", "course.hub.supervise"}


def modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(*sys.modules)"
    return set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )


def test_the_supervisor_imports_the_standard_library_only():
    at_start = modules_after("pass")  # the interpreter's own (and its .pth files')
    loaded = modules_after("import course.hub.supervise") - at_start
    assert "course.hub.supervise" in loaded
    foreign = [
        name
        for name in loaded
        if name not in OURS and name.split(".")[0] not in sys.stdlib_module_names
    ]
    assert foreign == []


def test_the_supervisor_names_the_private_folder_as_the_layout_does():
    from course.hub import supervise

    # One function (course.hub.folders), not twins that could drift apart.
    assert supervise.private_dir is layout.private_dir
    assert layout.private_dir(Path("/srv/hub")) == Path("/srv/hub/prive")


def test_a_hub_that_fails_is_said_in_french_and_its_left_proxy_stopped(tmp_path: Path):
    hub_dir = tmp_path / "hub"
    layout.private_dir(hub_dir).mkdir(parents=True)
    config = layout.generated_config_path(hub_dir)
    # JupyterHub stops as it reads it, with a code that says it has two malloc arenas, not one
    # per thread (3; 10 without the setting).
    config.write_text("import os, sys\nsys.exit(int(os.environ.get('MALLOC_ARENA_MAX', 9)) + 1)\n")
    # A proxy left by the run: a process whose command line names the proxy's module.
    proxy = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)", "course.hub.proxy"]
    )
    (layout.private_dir(hub_dir) / "proxy.pid").write_text(str(proxy.pid))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "course.hub.supervise", str(hub_dir), str(config),
             "http://127.0.0.1:9/hub/login", "https://hub.example/", str(tmp_path / "hub.log")],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 1
        assert "Erreur : le hub s'est arrêté (code 3)." in done.stderr
        assert f"course upgrade-db --hub {hub_dir}" in done.stderr
        assert f"le détail est dans {tmp_path / 'hub.log'}." in done.stderr
        assert "prêt" not in done.stdout  # its sign-in page never answered
        assert proxy.wait(timeout=10) == -15  # SIGTERM
        assert not (layout.private_dir(hub_dir) / "proxy.pid").exists()
    finally:
        proxy.kill()
        proxy.wait()
