"""The coordinator corrects what came in, from the « Appareils » page: remove an imported
workshop, or everything a device sent, only once the confirmation box is ticked; a log line
each; the figures follow; importing the same payload again does not bring it back."""

from __future__ import annotations

import pytest
from support.project import copied
from support.spaces import SpaceClient

from course.coordinator.bundle import make_bundle
from course.coordinator.bundle_import import import_bundles
from course.coordinator.devices import LOG_FILE, enrol
from course.coordinator.records import gather
from course.sync.devices import enrol_here

BREST = "Médiathèque de Brest"


@pytest.fixture
def received(coordinator, two_bundles, tmp_path):
    paths, (brest, _quimper) = two_bundles
    laptop = copied(brest.root, tmp_path / "brest")
    enrolment = enrol(coordinator, BREST, "Portable")
    enrol_here(laptop.data_dir, enrolment.code, BREST)
    payload = tmp_path / "envoi.zip"
    make_bundle(laptop, payload)
    import_bundles(coordinator, [payload, paths[1]])  # Brest by device, Quimper by old bundle
    return enrolment.device, payload


def counts(project):
    records = gather(project)
    return len(records.workshops), len(records.learners), len(records.results)


def test_remove_a_workshop_then_everything_a_device_sent(coordinator, received):
    device, payload = received
    assert counts(coordinator) == (2, 3, 3)
    with SpaceClient(coordinator, role="coordinator") as coordination:
        coordination.sign_in()
        page = coordination.get("appareils")
        quimper = next(w for w in gather(coordinator).workshops if w.site != BREST)
        assert quimper.title in page.words()
        unconfirmed = coordination.post("appareils", {"action": "retirer-atelier",
                                                      "cible": quimper.uid})  # fmt: skip
        assert unconfirmed.status == 400 and counts(coordinator) == (2, 3, 3)
        done = coordination.post("appareils", {"action": "retirer-atelier", "cible": quimper.uid,
                                               "confirmer": "oui"})  # fmt: skip
        assert done.status == 200 and "retiré" in done.text
        assert counts(coordinator) == (1, 3, 3)
        board = coordination.get("")
        assert board.status == 200 and "1 atelier" in board.words()
        done = coordination.post("appareils", {"action": "effacer", "cible": device,
                                               "confirmer": "oui"})  # fmt: skip
        assert "1 ateliers, 2 apprenants, 2 résultats, 1 leçons" in done.words()
    assert counts(coordinator) == (0, 1, 1)  # Quimper's learner and result stay
    log = (coordinator.data_dir / LOG_FILE).read_text()
    assert f"atelier {quimper.uid} retiré" in log and f"appareil {device} : tout" in log
    (again,) = import_bundles(coordinator, [payload])
    assert again.already and counts(coordinator) == (0, 1, 1)
