"""Two laptops and a coordination server on loopback (the coordination space's real handlers
on a real port, `support.spaces`): workshops made offline, a code typed in each trainer's
space, « Envoyer à la coordination » over HTTP; a repeated sync sends nothing, a revoked laptop
is refused, a sync cut mid-way (the connection dropped, or the coordination's `course serve`
killed while it applies) leaves nothing and resumes, and the file road gives the same
dashboard as the network road."""

from __future__ import annotations

import socket
import threading
import urllib.request

import pytest
from browser_server import Server
from support.project import copied
from support.records import records_state
from support.spaces import SpaceClient
from support.sync import add_workshops, kill_while_applying

from course.coordinator.bundle import make_bundle
from course.coordinator.bundle_import import import_bundles
from course.coordinator.figures import dashboard
from course.coordinator.filters import Filters
from course.coordinator.records import gather
from course.coordinator.sync_client import Unreachable, sync_now
from course.core.errors import UserError
from course.sync.devices import this_device
from course.sync.journal import Journal
from course.sync.wire import signed_headers

BREST, QUIMPER = "Médiathèque de Brest", "France Services Quimper"


def figures(project) -> tuple:
    board = dashboard(gather(project), project.catalogue.modules, Filters())
    return board.total, sorted((line.label, line.workshops, line.sent) for line in board.by_site)


@pytest.fixture
def laptops(two_bundles, tmp_path):
    _paths, (brest, quimper) = two_bundles
    return copied(brest.root, tmp_path / "brest"), copied(quimper.root, tmp_path / "quimper")


@pytest.fixture
def coordination(coordinator):
    with SpaceClient(coordinator, role="coordinator") as client:
        client.sign_in()
        yield client


def enrol_through_pages(coordination, laptop, site) -> str:
    page = coordination.post("appareils", {"action": "inscrire", "site": site, "nom": "Portable"})
    assert page.status == 200, page.text
    code = page.soup.select_one("#code-appareil").get_text(strip=True)
    laptop.config.CoordinatorSettings.coordination_url = coordination.base + "/coordination/"
    with SpaceClient(laptop, role="trainer") as trainer:
        trainer.sign_in()
        assert trainer.post("envoyer/appareil", {"code": code}).status == 303
        sent = trainer.post("envoyer/maintenant", {}, follow=True)
        assert "Envoyé à la coordination" in sent.text, sent.text
    return code


def test_two_laptops_sync_then_nothing_twice_and_a_revoked_one_is_refused(
    coordinator, coordination, laptops, tmp_path
):
    brest, quimper = laptops
    before_any = copied(coordinator.root, tmp_path / "coordination-fichiers")  # no device yet
    enrol_through_pages(coordination, brest, BREST)
    enrol_through_pages(coordination, quimper, QUIMPER)
    synced = records_state(coordinator)
    assert (len(synced[0]), len(synced[1]), len(synced[2])) == (2, 3, 3)
    listing = coordination.get("appareils")
    assert listing.text.count("jamais") == 0 and "Portable" in listing.text
    again = sync_now(brest)  # a second sync sends nothing at all
    assert (again.records, again.sent_bytes) == (0, 0)
    assert records_state(coordinator) == synced
    # The file road, on a coordination that knows the same devices, gives the same dashboard.
    _copy_devices(coordinator, before_any)
    files = [tmp_path / "brest.zip", tmp_path / "quimper.zip"]
    make_bundle(brest, files[0])
    make_bundle(quimper, files[1])
    import_bundles(before_any, files)
    assert records_state(before_any) == synced and figures(before_any) == figures(coordinator)
    # Revoked: its later pushes are refused, what it sent stays.
    device = next(d for d in _devices(coordinator) if d.site == QUIMPER)
    refused = coordination.post("appareils", {"action": "retirer", "cible": device.id})
    assert refused.status == 400 and "Cochez la case" in refused.text
    done = coordination.post("appareils", {"action": "retirer", "cible": device.id,
                                           "confirmer": "oui"})  # fmt: skip
    assert done.status == 200 and "Appareil retiré" in done.text
    book = quimper.workshops()
    book.update(book.all()[0].id, place="Bus France Services")
    book.close()
    with pytest.raises(UserError, match="appareil retiré"):
        sync_now(quimper)
    assert records_state(coordinator) == synced


def _devices(project):
    from course.coordinator.devices import devices

    return devices(project)


def _copy_devices(source, dest) -> None:
    """The same devices, keys included, on another coordination (for the file road)."""
    import shutil

    from course.coordinator.store import Device

    shutil.copytree(source.data_dir / "appareils", dest.data_dir / "appareils")
    rows = []
    book = source.workshops()
    with book.session() as session:
        rows = [(d.id, d.site, d.label, d.created) for d in session.query(Device)]
    book.close()
    book = dest.workshops()
    with book.session() as session:
        for id_, site, label, created in rows:
            session.add(Device(id=id_, site=site, label=label, created=created, seen=0))
    book.close()


class Cutter:
    """A server on loopback that reads the request's headers and half its body, then hangs up:
    the network gone in the middle of a send."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/coordination/"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.sock.accept()
        except OSError:
            return
        with connection:
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(4096)
            connection.recv(1024)
        self.sock.close()


def test_a_sync_cut_midway_leaves_nothing_and_resumes(coordinator, laptops):
    brest, _quimper = laptops
    with SpaceClient(coordinator, role="coordinator") as coordination:
        coordination.sign_in()
        enrol_through_pages(coordination, brest, BREST)
    synced = records_state(coordinator)  # the first sync went through
    book = brest.workshops()
    book.update(book.all()[0].id, place="Salle des fêtes")
    book.close()
    acked = Journal(brest.data_dir).acked()
    cutter = Cutter()
    brest.config.CoordinatorSettings.coordination_url = cutter.url
    with pytest.raises(Unreachable, match="ne répond pas"):
        sync_now(brest)
    assert Journal(brest.data_dir).acked() == acked and records_state(coordinator) == synced
    # The coordination's own `course serve`, killed (SIGKILL) while it applies a large payload.
    add_workshops(brest, 300)
    server = Server(coordinator, pool_size=0).start()
    try:
        brest.config.CoordinatorSettings.coordination_url = server.base + "/coordination/"
        brest.config.CoordinatorSettings.sync_timeout = 300.0
        outcome = kill_while_applying(brest, coordinator.data_dir, server.kill)
        assert isinstance(outcome, Unreachable), outcome
        assert Journal(brest.data_dir).acked() == acked and records_state(coordinator) == synced
        with pytest.raises(Unreachable):  # still down: unreachable, nothing lost
            sync_now(brest)
        server.start()  # back, on the same address
        resumed = sync_now(brest)
        assert resumed.records == 301  # the place changed, and the 300 new workshops, once
        assert "Salle des fêtes" in [w.place for w in gather(coordinator).workshops]
        assert len(gather(coordinator).workshops) == len(synced[0]) + 300
        assert sync_now(brest).records == 0
        # On the wire: a request signed with another key, or too old, is refused unread.
        device = this_device(brest.data_dir)
        body = b"PK\x05\x06" + b"\x00" * 18
        for headers, status in [
            (signed_headers(device.device, b"k" * 32, body), 400),
            ({**signed_headers(device.device, device.key, body),
              "X-Ateliers-Horodatage": "1000000000"}, 400),
            (signed_headers("zzzzzz", device.key, body), 403),
        ]:  # fmt: skip
            request = urllib.request.Request(
                server.base + "/coordination/api/envoi", data=body, headers=headers
            )
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=30)
            assert refused.value.code == status
            assert "Rien n'a été importé" in refused.value.read().decode()
    finally:
        server.stop()
