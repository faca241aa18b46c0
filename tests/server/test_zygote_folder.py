"""The kernel zygote's folder (`course.server.kernel_fork`): it goes when the zygote ends, also
on SIGTERM (what it gets when its server ends), and a server starting removes the folders of
zygotes that are gone, so /tmp does not fill with `atelier-zygote-*` folders (issue 20). Also:
a hub's site preheats fewer kernels than a laptop (`hub_pool_size`, `hub_max_pooled_kernels`).

The zygote is the real one (`python -m course.server.kernel_fork`), its socket real.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import time
from pathlib import Path

from support.zygote import start_zygote

from course.server import kernel_fork
from course.server.kernel_fork import FOLDER_PREFIX, SOCKET_NAME, sweep_stale


def listening(path: Path) -> socket.socket:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(4)
    return server


def test_sweep_removes_only_the_folders_of_zygotes_that_are_gone(tmp_path):
    live, dead, starting, stale, other = (
        tmp_path / f"{FOLDER_PREFIX}{name}" for name in ("live", "dead", "new", "old", "x")
    )
    for folder in (live, dead, starting, stale):
        folder.mkdir()
    other = tmp_path / "voila_other"  # not a zygote's: never touched
    other.mkdir()
    server = listening(live / SOCKET_NAME)
    listening(dead / SOCKET_NAME).close()  # its zygote was killed: the socket file stays
    old = time.time() - kernel_fork.STARTING_SECONDS - 60
    os.utime(stale, (old, old))  # no socket for too long: a zygote that never started
    try:
        removed = sweep_stale(str(tmp_path))
    finally:
        server.close()
    assert sorted(removed) == sorted([dead, stale])
    assert live.is_dir() and starting.is_dir() and other.is_dir()
    assert not dead.exists() and not stale.exists()


def test_the_zygote_removes_its_folder_on_sigterm():
    zygote, path = start_zygote()
    folder = path.parent
    try:
        assert folder.is_dir()
        zygote.send_signal(signal.SIGTERM)
        assert zygote.wait(timeout=30) == 0
    finally:
        if zygote.poll() is None:
            zygote.kill()
    gone = not folder.exists()
    shutil.rmtree(folder, ignore_errors=True)  # whatever happened, nothing left in /tmp
    assert gone


def test_a_hub_site_preheats_fewer_kernels_than_a_laptop(project):
    from course.server.serve import ServeSettings, kernel_pools

    module = project.catalogue.modules[0]
    settings = ServeSettings(config=project.config)
    laptop = kernel_pools(project, module)
    hub = kernel_pools(project, module, hub=True)
    count = lambda pools: sum(c["pool_size"] for n, c in pools.items() if n != "default")  # noqa: E731
    assert count(hub) == settings.hub_max_pooled_kernels == 3
    assert count(laptop) > count(hub)
    assert {n: c["pool_size"] for n, c in hub.items() if n != "default"} == {
        "index.ipynb": 1,
        f"{module.id}/lesson.ipynb": 1,
        f"{module.id}/evaluation.ipynb": 1,
    }


def test_the_hub_pools_never_exceed_the_laptop_settings(project):
    from course.server.serve import kernel_pools
    from course.settings import Project

    with (project.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write("\nc.ServeSettings.max_pooled_kernels = 0\n")  # a test that opens no page
    module = project.catalogue.modules[0]
    assert kernel_pools(Project(project.root), module, hub=True) == {"default": {"pool_size": 0}}
