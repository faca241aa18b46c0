"""La Coop's « Participants » counts who came, on the laptop and through its bundle.

A site's laptop (the real cycle: Alice and Bruno sent their evaluation) enrols Denise, who never
came: the trainer marks Alice present only. Denise left no trace and is not counted; Bruno, not
marked but whose evaluation was sent, is. The bundle carries the marks, the coordinator reads
the same figure; a bundle made before presence was carried still imports, its traces counting.
"""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from support.project import copied

from course.coordinator.activity import activity_sheet
from course.coordinator.bundle import MANIFEST, SEAL, BundleError, _dump, make_bundle, seal_of
from course.coordinator.bundle_check import read_bundle
from course.coordinator.bundle_import import import_bundles
from course.coordinator.records import gather


def participants(project) -> dict[str, int]:
    sheet = activity_sheet(gather(project, include_names=False), project.catalogue.modules)
    return {row[5]: row[2] for row in sheet.rows}


@pytest.fixture
def brest_with_denise(two_bundles, tmp_path):
    _paths, (brest, _quimper) = two_bundles
    site = copied(brest.root, tmp_path / "brest")
    roster = site.roster()
    denise, _code = roster.add("Denise")
    alice = next(lr for lr in roster.learners() if lr.name == "Alice")
    book = site.workshops()
    workshop = book.all()[0]
    book.add_learners(workshop.id, [denise.id])
    book.set_present(workshop.id, [alice.id])
    assert len(book.get(workshop.id).learner_ids) == 3
    book.close()
    return site


def test_participants_are_those_who_came_here_and_at_the_coordination(
    brest_with_denise, coordinator, tmp_path
):
    site = brest_with_denise
    assert participants(site) == {"Atelier d'essai à Médiathèque de Brest": 2}
    bundle = tmp_path / "brest.zip"
    make_bundle(site, bundle)
    (workshop,) = read_bundle(bundle).workshops
    assert len(workshop["learners"]) == 3 and len(workshop["present"]) == 1
    import_bundles(coordinator, [bundle])
    assert participants(coordinator) == {"Atelier d'essai à Médiathèque de Brest": 2}
    (imported,) = gather(coordinator).workshops
    assert imported.present_ids == workshop["present"]


def _resealed(source, dest, change) -> None:
    """The same bundle with its workshops passed through `change`, its manifest resealed (no
    shared key): what an older version, or a careful forger, would have made."""
    with zipfile.ZipFile(source) as src:
        blobs = {n: src.read(n) for n in src.namelist()}
    workshops = json.loads(blobs["workshops.json"])
    change(workshops)
    blobs["workshops.json"] = _dump(workshops)
    manifest = json.loads(blobs[MANIFEST])
    manifest["members"]["workshops.json"] = hashlib.sha256(blobs["workshops.json"]).hexdigest()
    blobs[MANIFEST] = _dump(manifest)
    blobs[SEAL] = _dump(seal_of(blobs[MANIFEST], ""))
    with zipfile.ZipFile(dest, "w") as out:
        for name, blob in blobs.items():
            out.writestr(name, blob)


def _no_presence(workshops) -> None:
    for w in workshops:
        del w["present"]


def test_an_older_bundle_without_presence_still_imports(brest_with_denise, coordinator, tmp_path):
    made = tmp_path / "brest.zip"
    make_bundle(brest_with_denise, made)
    older = tmp_path / "brest-ancien.zip"
    _resealed(made, older, _no_presence)
    (report,) = import_bundles(coordinator, [older])
    assert report.added["ateliers"] == 1
    # No marks came, but Alice's and Bruno's evaluations did: Denise alone is not counted.
    assert participants(coordinator) == {"Atelier d'essai à Médiathèque de Brest": 2}


def test_presence_of_someone_outside_the_group_is_refused(brest_with_denise, tmp_path):
    made = tmp_path / "brest.zip"
    make_bundle(brest_with_denise, made)
    bad = tmp_path / "bad.zip"
    _resealed(made, bad, lambda ws: ws[0]["present"].append("mediatheque-de-brest-zzzz"))
    with pytest.raises(BundleError, match="absente de son groupe"):
        read_bundle(bad)


def test_a_misshapen_workshop_is_refused_whole(brest_with_denise, tmp_path):
    made = tmp_path / "brest.zip"
    make_bundle(brest_with_denise, made)
    bad = tmp_path / "bad.zip"
    _resealed(made, bad, lambda ws: ws[0].pop("title"))
    with pytest.raises(BundleError, match="un enregistrement n'a pas la forme attendue"):
        read_bundle(bad)


def test_a_workshop_nobody_came_to_is_not_reported(brest_with_denise):
    """Only Denise, who never came, in a second workshop: La Coop's report leaves it out."""
    from datetime import date

    site = brest_with_denise
    denise = next(lr for lr in site.roster().learners() if lr.name == "Denise")
    book = site.workshops()
    book.create("Personne n'est venu", date(2026, 11, 30), ["essai"], duration_minutes=60,
                place="Médiathèque", trainer="Awa", learner_ids=[denise.id])  # fmt: skip
    book.close()
    assert "Personne n'est venu" not in participants(site)


def test_an_enrolled_laptops_payload_carries_presence(brest_with_denise, coordinator, tmp_path):
    """The sync's road (`course.coordinator.payload`): the same marks, the same figure; a later
    mark travels as a change of the workshop's « present » field."""
    from course.coordinator.devices import enrol
    from course.sync.devices import enrol_here

    site = brest_with_denise
    enrolment = enrol(coordinator, "Médiathèque de Brest", "Portable de l'accueil")
    enrol_here(site.data_dir, enrolment.code, "Médiathèque de Brest")
    first = tmp_path / "envoi-1.zip"
    make_bundle(site, first)  # an enrolled laptop writes its signed payload
    import_bundles(coordinator, [first])
    assert participants(coordinator) == {"Atelier d'essai à Médiathèque de Brest": 2}
    denise = next(lr for lr in site.roster().learners() if lr.name == "Denise")
    book = site.workshops()
    workshop = book.all()[0]
    book.set_present(workshop.id, [*workshop.present_ids, denise.id])  # she came after all
    book.close()
    later = tmp_path / "envoi-2.zip"
    make_bundle(site, later)
    import_bundles(coordinator, [later])
    assert participants(coordinator) == {"Atelier d'essai à Médiathèque de Brest": 3}
    (imported,) = gather(coordinator).workshops
    assert len(imported.present_ids) == 2
