"""« Envoyer à la coordination » as a trainer does it, in Chromium, on real servers: the laptop's
`course serve` (trainer space) and the coordination's own `course serve`, reached through a
relay that stands for the village hall's network (`CuttableProxy`).

The coordinator enrols the laptop in her space: the code as text and the enrolment link as a
QR code (the phone keeps it; the trainer pastes the link). Then offline: the link pasted (no
settings file: the link brings the coordination's address), the button pressed, a French message and the paquet offered
as a file (downloaded: a signed payload, nothing lost). Then the network is back: the same
button sends, the page says how many records went and what was new for the coordination, and
pressing it again sends nothing. Every message the trainer read and a screenshot of each step
go to test-artifacts/ (sync-trace.json, sync-trace-*.png) for the issue's closing note.
"""

from __future__ import annotations

import json
import zipfile

import pytest
from browser_support import (
    ARTIFACTS,
    CuttableProxy,
    Server,
    axe_violations,
    new_context,
    screenshot,
)
from support.project import copied, essai_project_at
from support.spaces import save_site_settings

from course.coordinator.records import gather
from course.sync.journal import Journal

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BREST = "Médiathèque de Brest"


@pytest.fixture
def network(tmp_path, two_bundles, monkeypatch):
    """The coordination served behind a cut network, and the Brest laptop's trainer space."""
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    _paths, (brest_site, _quimper) = two_bundles
    coordinator = essai_project_at(tmp_path / "coordination")
    coordination = Server(coordinator, pool_size=0).start()
    relay = CuttableProxy(coordination.port)
    laptop = copied(brest_site.root, tmp_path / "brest")
    save_site_settings(laptop, BREST)  # her first visit was long ago
    with (laptop.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write("\nc.CoordinatorSettings.sync_interval = 3600.0\n")  # at start, hourly
    trainer_space = Server(laptop, pool_size=0).start()
    try:
        yield coordinator, relay, laptop, trainer_space
    finally:
        trainer_space.stop()
        relay.close()
        coordination.stop()


def enrol_in_the_coordination(coordinator, relay, guard) -> tuple[str, str]:
    """The coordinator enrols the laptop in her space (Chromium): the code and the link."""
    from course.access.gate import Gate

    context = new_context(guard)
    try:
        page = context.new_page()
        token = Gate(coordinator, "coordinator").issue_link_token()
        page.goto(f"{relay.base}/coordination/connexion?jeton={token}")
        page.get_by_role("link", name="Appareils").first.click()
        page.get_by_label("Site (son nom exact, comme dans ses réglages)").fill(BREST)
        page.get_by_label("Nom de l'ordinateur").fill("Portable de Brest")
        page.get_by_role("button", name="Inscrire et afficher son code").click()
        code = page.locator("#code-appareil").inner_text().strip()
        link = page.locator("#lien-appareil").inner_text().strip()
        qr = page.get_by_role("img", name="Code QR du lien d'inscription de l'appareil")
        assert qr.locator("svg").is_visible()
        assert qr.locator("svg").bounding_box()["width"] >= 150  # scannable from a screen
        assert axe_violations(page) == []
        screenshot(page, "sync-trace-0-coordination-code-qr")
        return code, link
    finally:
        context.close()


def test_send_offline_then_online_as_a_trainer_would(network, context, guard):
    from course.access.gate import Gate

    coordinator, relay, laptop, trainer_space = network
    code, link = enrol_in_the_coordination(coordinator, relay, guard)
    assert link == f"{relay.base}/coordination/#code={code}"
    relay.cut()  # the village hall: no network
    trace: list[dict[str, str]] = []

    def step(name: str, said: str) -> None:
        screenshot(page, f"sync-trace-{len(trace) + 1}-{name}")
        trace.append({"étape": name, "message": said})

    page = context.new_page()
    token = Gate(laptop, "trainer").issue_link_token()  # the link `course serve` prints
    page.goto(f"{trainer_space.base}/atelier/connexion?jeton={token}")
    page.get_by_role("link", name="Envoyer à la coordination").first.click()
    page.get_by_role("heading", name="Envoyer par le réseau").wait_for()
    intro = page.locator("#appareil ~ p").first.inner_text()
    assert "la coordination inscrit cet ordinateur" in intro
    step("pas-encore-inscrit", intro)

    page.get_by_label("Code d'appareil (ou lien d'inscription)").fill(link)  # from her phone
    page.get_by_role("button", name="Inscrire cet ordinateur").click()
    notice = page.get_by_role("status")
    notice.filter(has_text="Cet ordinateur est inscrit").wait_for()
    assert page.get_by_text(f"adresse {relay.base}/coordination/").is_visible()
    step("inscrit", notice.inner_text())

    # Offline: a French message, the paquet offered instead, nothing acknowledged.
    page.get_by_role("button", name="Envoyer à la coordination").click()
    alert = page.get_by_role("alert")
    alert.filter(has_text="ne répond pas").wait_for()
    said = alert.inner_text()
    assert "rien n'a été perdu" in said and "téléchargez le paquet" in said, said
    assert axe_violations(page) == []
    step("hors-ligne", said)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le paquet").click()
    download = download_info.value
    assert download.suggested_filename.startswith("paquet-mediatheque-de-brest-")
    with zipfile.ZipFile(download.path()) as paquet:
        names = set(paquet.namelist())
        records = json.loads(paquet.read("records.json")) if "records.json" in names else []
    assert {"records.json", "manifest.json", "signature.txt"} <= names
    assert {r["kind"] for r in records} >= {"workshop", "learner", "result"}
    trace.append({"étape": "paquet", "message": f"fichier {download.suggested_filename}"})
    assert Journal(laptop.data_dir).acked() == 0 and gather(coordinator).workshops == []

    # Online again: the same button sends, with what was new for the coordination.
    relay.restore()
    page.goto(f"{trainer_space.base}/atelier/envoyer")
    page.get_by_role("button", name="Envoyer à la coordination").click()
    notice = page.get_by_role("status")
    notice.filter(has_text="Envoyé à la coordination").wait_for()
    said = notice.inner_text()
    assert f"{len(records)} enregistrements" in said, said
    assert "ateliers : 1 ; apprenants : 2 ; résultats : 2" in said, said
    assert axe_violations(page) == []
    step("en-ligne", said)
    assert [w.place for w in gather(coordinator).workshops] == [BREST]

    page.get_by_role("button", name="Envoyer à la coordination").click()
    page.get_by_role("status").filter(has_text="Rien de nouveau à envoyer").wait_for()
    step("deuxieme-envoi", page.get_by_role("status").inner_text())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "sync-trace.json").write_text(json.dumps(trace, ensure_ascii=False, indent=1))
