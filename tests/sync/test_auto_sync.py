"""`course serve` on an enrolled laptop sends to its coordination by itself, at start, with
nobody pressing a button: the real server (a subprocess) and a coordination on loopback."""

from __future__ import annotations

import time

from browser_server import Server
from support.project import copied
from support.spaces import SpaceClient

from course.coordinator.devices import devices, enrol
from course.coordinator.records import gather
from course.sync.devices import enrol_here

BREST = "Médiathèque de Brest"


def test_course_serve_sends_at_start(coordinator, two_bundles, tmp_path):
    _paths, (brest, _quimper) = two_bundles
    laptop = copied(brest.root, tmp_path / "brest")
    enrol_here(laptop.data_dir, enrol(coordinator, BREST, "Portable").code, BREST)
    with SpaceClient(coordinator, role="coordinator") as coordination:
        with (laptop.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
            config.write(
                f"\nc.CoordinatorSettings.coordination_url = "
                f"{coordination.base + '/coordination/'!r}\n"
                "c.CoordinatorSettings.sync_interval = 2.0\n"
            )
        server = Server(laptop, pool_size=0).start()
        try:
            deadline = time.time() + 90
            while time.time() < deadline and not gather(coordinator).results:
                time.sleep(1)
        finally:
            server.stop()
    records = gather(coordinator)
    assert len(records.workshops) == 1 and len(records.results) == 2
    assert devices(coordinator)[0].last_sync is not None
