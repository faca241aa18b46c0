"""Bundles from two laptops gathered by a coordinator: all of it once, nothing twice, nothing
from an altered or damaged bundle. The sites ran the real cycle (release to grading)."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from support.project import copied

from course.coordinator.bundle import BundleError, make_bundle
from course.coordinator.bundle_import import import_bundles
from course.coordinator.export import results_sheets
from course.coordinator.records import gather


def counts(project) -> tuple[int, int, int]:
    records = gather(project)
    return len(records.workshops), len(records.learners), len(records.results)


def rewrite(source, dest, change) -> None:
    """Copy a bundle, passing each member's bytes through `change(name, data)`."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w") as out:
        for info in src.infolist():
            out.writestr(info.filename, change(info.filename, src.read(info)))


def test_two_sites_gathered_once(coordinator, two_bundles, tmp_path):
    paths, (brest, _quimper) = two_bundles
    with zipfile.ZipFile(paths[0]) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist()).decode()
    assert "Alice" not in everything and "Bruno" not in everything  # pseudonyms only
    assert "Maryvonne" not in everything  # a trainer's notes stay on the laptop
    reports = import_bundles(coordinator, paths)
    assert [r.added for r in reports] == [
        {"ateliers": 1, "apprenants": 2, "résultats": 2},
        {"ateliers": 1, "apprenants": 1, "résultats": 1},
    ]
    assert counts(coordinator) == (2, 3, 3)
    finished = [x for x in gather(coordinator).lessons if x.completed]
    assert sorted(x.learner_key.split("-")[0] for x in finished) == ["france", "mediatheque"]
    again = import_bundles(coordinator, paths)
    assert all(r.already for r in again)
    assert counts(coordinator) == (2, 3, 3)
    # A newer bundle of the same laptop (the trainer corrected the place since) updates its
    # workshop instead of adding one: a bundle remade within the same second with nothing
    # changed is byte for byte the first one, and rightly counts as already imported. (On a
    # copy of the laptop: the other tests share it.)
    later = copied(brest.root, tmp_path / "brest-plus-tard")
    book = later.workshops()
    book.update(book.all()[0].id, place="Salle du 1er étage 🏛")
    book.close()
    newer = tmp_path / "brest-2.zip"
    make_bundle(later, newer)
    (report,) = import_bundles(coordinator, [newer])
    assert not report.already and report.added == {"ateliers": 0, "apprenants": 0, "résultats": 0}
    assert report.updated["ateliers"] == 1
    assert counts(coordinator) == (2, 3, 3)
    places = {w.place for w in gather(coordinator).workshops}
    assert "Salle du 1er étage 🏛" in places
    sheet = results_sheets(gather(coordinator), coordinator.catalogue.modules)[0]
    sites = sorted({row[0] for row in sheet.rows})
    assert sites == ["France Services Quimper", "Médiathèque de Brest"]
    best = max(sheet.rows, key=lambda row: row[-2] or 0)
    assert best[-2] == 1.0 and best[2].startswith("Atelier d'essai à")


def _altered_results(name: str, data: bytes) -> bytes:
    if name != "results.json":
        return data
    results = json.loads(data)
    for q in results[0]["questions"]:
        q["score"] = q["max"]  # someone "improves" a result
    return json.dumps(results).encode()


def test_altered_or_damaged_bundles_are_refused_whole(coordinator, two_bundles, tmp_path):
    paths, (brest, _quimper) = two_bundles
    altered = tmp_path / "altered.zip"
    rewrite(paths[0], altered, _altered_results)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(paths[0].read_bytes()[:-200])
    extra = tmp_path / "extra.zip"
    shutil.copy(paths[0], extra)
    with zipfile.ZipFile(extra, "a") as archive:
        archive.writestr("notes.txt", "en plus")
    for bad, why in [
        (altered, "« results.json » a été modifié ou abîmé"),
        (truncated, "le fichier est abîmé"),
        (extra, "son contenu n'est pas celui d'un paquet"),
    ]:
        with pytest.raises(BundleError) as refused:
            import_bundles(coordinator, [paths[1], bad])  # the good one is not kept either
        assert why in str(refused.value) and "Rien n'a été importé." in str(refused.value)
        assert counts(coordinator) == (0, 0, 0)


def test_shared_key_signs_bundles_and_refuses_others(coordinator, two_bundles, tmp_path):
    paths, (brest, _quimper) = two_bundles
    coordinator.config.CoordinatorSettings.bundle_key = "clé des sites du Finistère"
    with pytest.raises(BundleError, match="pas signé avec la clé partagée"):
        import_bundles(coordinator, [paths[0]])
    brest.config.CoordinatorSettings.bundle_key = "une autre clé"
    signed = tmp_path / "signed.zip"
    make_bundle(brest, signed)
    with pytest.raises(BundleError, match="sa signature ne correspond pas"):
        import_bundles(coordinator, [signed])
    brest.config.CoordinatorSettings.bundle_key = "clé des sites du Finistère"
    make_bundle(brest, signed)
    assert import_bundles(coordinator, [signed])[0].added["ateliers"] == 1
    brest.config.CoordinatorSettings.bundle_key = ""


def test_a_failure_halfway_leaves_the_database_as_it_was(coordinator, two_bundles, monkeypatch):
    """Workshops and results already written in the transaction go away with it."""
    import course.coordinator.bundle_import as importer

    paths, _sites = two_bundles

    written = []

    def broken(session, site, result, report):  # after the learners and workshops
        written.append(result)
        raise RuntimeError("disque plein")

    monkeypatch.setattr(importer, "_result", broken)
    with pytest.raises(RuntimeError):
        import_bundles(coordinator, paths)
    assert written and counts(coordinator) == (0, 0, 0)
    monkeypatch.undo()
    assert [r.already for r in import_bundles(coordinator, paths)] == [False, False]
