"""Laptops sync to a real hub on loopback over HTTPS (issue 21 item 7, the département's road):
the coordinator signs in at the hub and enrols each laptop in the coordination service's pages;
the laptop's trainer space sends to `https://127.0.0.1:<port>/services/coordination/...`
through the hub's proxy. The hub's certificate is self-signed: until the laptop is told to
trust it (`c.CoordinatorSettings.coordination_certificate`, the hub's certificate file), the
trainer gets a French message and the paquet as a file, nothing sent. Then the records show on
the hub's dashboard at once, a second sync sends nothing, a revoked laptop is refused, and the
coordination service killed (SIGKILL, a real process) while it applies a large payload leaves
nothing half-applied: JupyterHub starts it again and the sync resumes, every record once.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from browser_server import _children
from bs4 import BeautifulSoup
from support.hub import HubBrowser, make_hub, running_hub
from support.project import copied, essai_project_at
from support.spaces import SpaceClient
from support.sync import add_workshops, kill_while_applying

from course.coordinator.records import gather
from course.coordinator.sync_client import Unreachable, sync_now
from course.core.errors import UserError
from course.sync.journal import Journal

pytestmark = [pytest.mark.slow]

BREST, QUIMPER = "Médiathèque de Brest", "France Services Quimper"
COORDINATION = "/services/coordination/coordination/"
LIGHT = (  # no preheated kernel, no zygote: the site's service opens no learner page here
    "\nc.ServeSettings.pool_size = 0\nc.ServeSettings.max_pooled_kernels = 0\n"
    "c.ServeSettings.fork_kernels = False\n"
)
LARGE = 600  # workshops in the payload the service is killed applying


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    saved = os.environ.pop("COURSE_ROOT", None)
    folder = tmp_path_factory.mktemp("hub-sync")
    source = essai_project_at(folder / "source").root
    with (source / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(LIGHT)
    hub_dir = make_hub(folder / "hub", sites={"a": []}, coordinators=["claire"], source=source)
    try:
        with running_hub(hub_dir, timeout=600) as running:
            yield running
    finally:
        if saved is not None:
            os.environ["COURSE_ROOT"] = saved


@pytest.fixture(scope="module")
def coordination_project(hub):
    from course.hub import layout
    from course.settings import Project

    return Project(layout.coordination_dir(hub.hub_dir))


@pytest.fixture(scope="module")
def claire(hub):
    return HubBrowser(hub).sign_in("claire")


def certificate(hub) -> str:
    """The hub's certificate file (its public part), as the coordination hands it out."""
    from course.hub.settings import load

    return load(hub.hub_dir).ssl_cert


def enrol(claire: HubBrowser, site: str, label: str) -> str:
    """The coordinator enrols a laptop in the coordination's « Appareils » page: its code."""
    jeton = claire.jeton(COORDINATION + "appareils")
    page = claire.post(COORDINATION + "appareils",
                       data={"action": "inscrire", "site": site, "nom": label, "_jeton": jeton})  # fmt: skip
    assert page.status_code == 200, page.text
    shown = BeautifulSoup(page.text, "html.parser")
    code, link = shown.select_one("#code-appareil"), shown.select_one("#lien-appareil")
    assert code is not None and link is not None, page.text
    # The QR's link is the hub's public HTTPS address, as the proxy was asked, not the service's.
    assert (
        link.get_text(strip=True) == f"{claire.url}{COORDINATION}#code={code.get_text(strip=True)}"
    )
    return code.get_text(strip=True)


def words(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ")


def device_id(claire: HubBrowser, label: str) -> str:
    page = BeautifulSoup(claire.get(COORDINATION + "appareils").text, "html.parser")
    for row in page.select("tr"):
        target = row.select_one('input[name="cible"]')
        if target is not None and label in row.get_text(" "):
            return str(target["value"])
    raise AssertionError(f"no device « {label} » listed")


def from_site(project, site: str) -> tuple:
    records = gather(project)
    return (
        sorted(w.uid for w in records.workshops if w.site == site),
        sorted((r.learner_key, r.module_id, r.score) for r in records.results if r.site == site),
    )


def laptop_on_the_hub(laptop, hub, code: str):
    """The laptop's settings as its trainer sets them: the hub's address, the code typed."""
    laptop.config.CoordinatorSettings.coordination_url = hub.url + COORDINATION
    with SpaceClient(laptop, role="trainer") as trainer:
        trainer.sign_in()
        assert trainer.post("envoyer/appareil", {"code": code}).status == 303


def test_a_laptop_syncs_through_the_hub_then_nothing_twice_then_revoked(
    hub, claire, coordination_project, two_bundles, tmp_path
):
    _paths, (brest_site, _quimper) = two_bundles
    brest = copied(brest_site.root, tmp_path / "brest")
    assert from_site(coordination_project, BREST) == ([], [])
    laptop_on_the_hub(brest, hub, enrol(claire, BREST, "Portable de Brest"))
    with SpaceClient(brest, role="trainer") as trainer:
        trainer.sign_in()
        # The hub's certificate is its own: the laptop does not trust it yet.
        refused = trainer.post("envoyer/maintenant", {})
        assert refused.status == 400
        message = refused.status_text()
        assert "certificat de sécurité de la coordination (127.0.0.1:" in message, message
        assert "rien n'a été perdu" in message and "coordination_certificate" in message
        assert refused.soup.find("a", string="Télécharger le paquet") is not None
        assert "Traceback" not in refused.text
        assert from_site(coordination_project, BREST) == ([], [])
        # Trusted as the README says: the hub's certificate file named in the settings.
        brest.config.CoordinatorSettings.coordination_certificate = certificate(hub)
        sent = trainer.post("envoyer/maintenant", {}, follow=True)
        assert "Envoyé à la coordination" in sent.text, sent.status_text()
        synced = from_site(coordination_project, BREST)
        assert (len(synced[0]), len(synced[1])) == (1, 2)
        board = claire.get(COORDINATION)  # live on the hub's dashboard, nothing imported by hand
        assert board.status_code == 200
        assert f"Atelier d'essai à {BREST}" in words(board.text)
        again = trainer.post("envoyer/maintenant", {}, follow=True)
        assert "Rien de nouveau à envoyer" in again.text
    assert (sync_now(brest).records, sync_now(brest).sent_bytes) == (0, 0)
    listing = claire.get(COORDINATION + "appareils").text
    assert "Portable de Brest" in listing and "jamais" not in listing
    # A lost laptop: revoked in the page, its later pushes refused, what it sent stays.
    jeton = claire.jeton(COORDINATION + "appareils")
    done = claire.post(COORDINATION + "appareils", data={
        "action": "retirer", "cible": device_id(claire, "Portable de Brest"), "confirmer": "oui",
        "_jeton": jeton})  # fmt: skip
    assert done.status_code == 200 and "Appareil retiré" in done.text
    book = brest.workshops()
    book.update(book.all()[0].id, place="Bus France Services")
    book.close()
    with pytest.raises(UserError, match="appareil retiré"):
        sync_now(brest)
    assert from_site(coordination_project, BREST) == synced


def coordination_service(hub) -> int | None:
    """The pid of the hub's `coordination` service (`course serve --hub-coordination`)."""
    for pid in _children(hub.process.pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--hub-coordination" in command:
            return pid
    return None


def test_the_service_killed_while_applying_leaves_nothing_and_the_sync_resumes(
    hub, claire, coordination_project, two_bundles, tmp_path
):
    _paths, (_brest, quimper_site) = two_bundles
    quimper = copied(quimper_site.root, tmp_path / "quimper")
    add_workshops(quimper, LARGE)
    laptop_on_the_hub(quimper, hub, enrol(claire, QUIMPER, "Portable de Quimper"))
    quimper.config.CoordinatorSettings.coordination_certificate = certificate(hub)
    quimper.config.CoordinatorSettings.sync_timeout = 300.0
    service = coordination_service(hub)
    assert service is not None
    outcome = kill_while_applying(quimper, coordination_project.data_dir,
                                  lambda: os.kill(service, signal.SIGKILL))  # fmt: skip
    assert isinstance(outcome, Unreachable), outcome
    assert "rien n'a été perdu" in str(outcome)
    assert Journal(quimper.data_dir).acked() == 0
    assert from_site(coordination_project, QUIMPER) == ([], [])  # nothing half-applied
    # JupyterHub starts its service again; the next sync sends everything, applied once.
    deadline, resumed = time.monotonic() + 240, None
    while resumed is None:
        try:
            resumed = sync_now(quimper)
        except Unreachable:
            assert time.monotonic() < deadline, "the coordination service did not come back"
            time.sleep(1)
    restarted = coordination_service(hub)
    assert restarted is not None and restarted != service
    workshops, results = from_site(coordination_project, QUIMPER)
    assert (len(workshops), len(results)) == (LARGE + 1, 1)
    assert resumed.records > LARGE
    assert sync_now(quimper).records == 0
    board = claire.get(COORDINATION)
    assert board.status_code == 200 and QUIMPER in words(board.text)


def test_the_hub_certificate_file_missing_is_said_in_french(tmp_path, two_bundles):
    _paths, (brest_site, _quimper) = two_bundles
    brest = copied(brest_site.root, tmp_path / "brest")
    brest.config.CoordinatorSettings.coordination_url = "https://127.0.0.1:9/coordination/"
    brest.config.CoordinatorSettings.coordination_certificate = str(Path(tmp_path / "hub.pem"))
    from course.sync.devices import enrol_here, new_enrolment

    enrol_here(brest.data_dir, new_enrolment().code, BREST)
    with pytest.raises(Unreachable, match="certificat de la coordination .* introuvable"):
        sync_now(brest)
