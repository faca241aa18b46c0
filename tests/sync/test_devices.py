"""Devices enrolled by the coordinator and their record log, on the file road: a laptop signs
with its own key, speaks only for the site it was enrolled for, sends each record version once
(a second import, or the same records by another road, adds nothing), and a revoked laptop is
refused while what it sent stays."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from support.project import copied
from support.records import records_state

from course.coordinator.bundle import BundleError, make_bundle
from course.coordinator.bundle_import import import_bundles
from course.coordinator.devices import LOG_FILE, devices, enrol, revoke
from course.coordinator.payload import make_payload
from course.coordinator.records import gather
from course.sync.devices import enrol_here, sign
from course.sync.journal import Journal

BREST = "Médiathèque de Brest"


@pytest.fixture
def laptop(two_bundles, tmp_path):
    _paths, (brest, _quimper) = two_bundles
    return copied(brest.root, tmp_path / "portable-brest")


def enrolled(coordinator, laptop, site=BREST):
    enrolment = enrol(coordinator, site, "Portable de l'accueil")
    typed = " " + enrolment.code.lower().replace("-", " ") + " "  # as someone types it
    enrol_here(laptop.data_dir, typed, BREST)
    return enrolment


def sent(laptop, tmp_path, name="envoi.zip"):
    path = tmp_path / name
    make_bundle(laptop, path)
    return path


def test_an_enrolled_laptop_sends_its_records_once(coordinator, laptop, tmp_path):
    enrolment = enrolled(coordinator, laptop)
    assert len(enrolment.code) == 26 and enrolment.code.count("-") == 4
    for path in (coordinator.data_dir / "appareils" / f"{enrolment.device}.key",
                 laptop.data_dir / "appareil.json"):  # fmt: skip
        assert path.stat().st_mode & 0o777 == 0o600
    assert enrolment.code not in (coordinator.data_dir / LOG_FILE).read_text()
    first = sent(laptop, tmp_path)
    with zipfile.ZipFile(first) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "records.json", "signature.txt"]
    (report,) = import_bundles(coordinator, [first])
    assert report.added == {"ateliers": 1, "apprenants": 2, "résultats": 2}
    (device,) = devices(coordinator)
    assert device.site == BREST and device.last_sync is not None and device.revoked is None
    after_first = records_state(coordinator)
    assert import_bundles(coordinator, [first])[0].already  # the same file again
    again = sent(laptop, tmp_path, "encore.zip")  # the same records in a new payload
    (second,) = import_bundles(coordinator, [again])
    assert not second.already and second.added == {"ateliers": 0, "apprenants": 0, "résultats": 0}
    assert second.updated == {"ateliers": 0, "résultats": 0}
    assert records_state(coordinator) == after_first


def test_only_what_the_coordinator_has_not_seen_and_each_field_once(coordinator, laptop, tmp_path):
    enrolled(coordinator, laptop)
    old = sent(laptop, tmp_path, "ancien.zip")
    import_bundles(coordinator, [old])
    data, _counts = make_payload(laptop)
    upto = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))["upto"]
    Journal(laptop.data_dir).acknowledge(upto)  # what the network's answer does
    nothing, counts = make_payload(laptop)
    assert json.loads(zipfile.ZipFile(io.BytesIO(nothing)).read("records.json")) == []
    assert counts == {"ateliers": 0, "apprenants": 0, "résultats": 0}
    carried = sent(laptop, tmp_path, "dans-le-sac.zip")  # made before the edit, carried later
    book = laptop.workshops()
    book.update(book.all()[0].id, place="Salle du 1er étage")
    book.close()
    edited, counts = make_payload(laptop)
    records = json.loads(zipfile.ZipFile(io.BytesIO(edited)).read("records.json"))
    assert [r["kind"] for r in records] == ["workshop"] and counts["ateliers"] == 1
    newer = {f: c for f, (_v, c) in records[0]["fields"].items()}
    assert newer["place"] > newer["title"]  # only the place changed
    path = tmp_path / "modifie.zip"
    path.write_bytes(edited)
    assert import_bundles(coordinator, [path])[0].updated["ateliers"] == 1
    assert [w.place for w in gather(coordinator).workshops] == ["Salle du 1er étage"]
    # The file made before the edit, carried by hand after the network brought the edit: the
    # place it holds is older than the one stored, so nothing goes back.
    (late,) = import_bundles(coordinator, [carried])
    assert not late.already and late.updated == {"ateliers": 0, "résultats": 0}
    assert [w.place for w in gather(coordinator).workshops] == ["Salle du 1er étage"]
    assert import_bundles(coordinator, [old])[0].already


def _resigned(source, dest, key, device, change):
    with zipfile.ZipFile(source) as archive:
        blobs = {n: archive.read(n) for n in archive.namelist()}
    manifest = json.loads(blobs["manifest.json"])
    records = change(manifest, json.loads(blobs["records.json"]))
    blobs["records.json"] = json.dumps(records).encode()
    manifest["members"]["records.json"] = hashlib.sha256(blobs["records.json"]).hexdigest()
    blobs["manifest.json"] = json.dumps(manifest).encode()
    blobs["signature.txt"] = sign(device, key, blobs["manifest.json"])
    with zipfile.ZipFile(dest, "w") as out:
        for name, blob in blobs.items():
            out.writestr(name, blob)
    return dest


def refused(project, paths, why):
    before = records_state(project)
    with pytest.raises(BundleError) as error:
        import_bundles(project, paths)
    assert why in str(error.value) and "Rien n'a été importé." in str(error.value)
    assert records_state(project) == before


def test_a_device_speaks_only_for_its_site(coordinator, laptop, tmp_path, two_bundles):
    enrolment = enrolled(coordinator, laptop)
    good = sent(laptop, tmp_path)

    def other_site(manifest, records):
        manifest["site"] = "France Services Quimper"
        return records

    forged = _resigned(good, tmp_path / "site.zip", enrolment.key, enrolment.device, other_site)
    refused(coordinator, [forged], "un site ne parle que pour lui-même")
    _paths, (_brest, quimper) = two_bundles
    quimper_keys = [k for k in gather(quimper).learners.values() if k.site != BREST]

    def foreign_learner(manifest, records):
        for r in records:
            if r["kind"] == "learner":
                r["key"] = quimper_keys[0].pseudonym
        return records

    forged = _resigned(good, tmp_path / "autre.zip", enrolment.key, enrolment.device,
                       foreign_learner)  # fmt: skip
    refused(coordinator, [forged], "un apprenant n'appartient pas au site du paquet")
    stranger = _resigned(good, tmp_path / "inconnu.zip", b"x" * 32, "zzzzzz", lambda m, r: r)
    refused(coordinator, [stranger], "un appareil que la coordination n'a pas inscrit")
    with zipfile.ZipFile(good) as archive:
        blobs = {n: archive.read(n) for n in archive.namelist()}
    tampered = tmp_path / "modifie.zip"
    with zipfile.ZipFile(tampered, "w") as out:
        for name, blob in blobs.items():
            out.writestr(name, blob.replace(b"Awa", b"Bob") if name == "records.json" else blob)
    refused(coordinator, [tampered], "« records.json » a été modifié")
    other_key = _resigned(good, tmp_path / "cle.zip", b"y" * 32, enrolment.device,
                          lambda m, r: r)  # fmt: skip
    refused(coordinator, [other_key], "sa signature ne correspond pas")
    laptop.config.WorkshopSettings.site = "Médiathèque de Quimper"
    with pytest.raises(BundleError, match="inscrit pour le site « Médiathèque de Brest »"):
        make_payload(laptop)


def test_a_misshapen_record_is_refused_like_a_misshapen_bundle(coordinator, laptop, tmp_path):
    """A record of the wrong shape refused on the device road, in the words of the bundle road
    (`course.sync.errors.misshapen_refused` serves both)."""
    enrolment = enrolled(coordinator, laptop)
    good = sent(laptop, tmp_path)

    def no_title(manifest, records):
        for r in records:
            if r["kind"] == "workshop":
                r["fields"]["title"] = [None, r["fields"]["title"][1]]
        return records

    forged = _resigned(good, tmp_path / "forme.zip", enrolment.key, enrolment.device, no_title)
    refused(coordinator, [forged], "un enregistrement n'a pas la forme attendue")


def test_a_revoked_device_is_refused_and_what_it_sent_stays(coordinator, laptop, tmp_path):
    enrolment = enrolled(coordinator, laptop)
    import_bundles(coordinator, [sent(laptop, tmp_path)])
    kept = records_state(coordinator)
    revoke(coordinator, enrolment.device)
    assert devices(coordinator)[0].revoked is not None
    refused(coordinator, [sent(laptop, tmp_path, "apres.zip")], "un appareil retiré")
    assert records_state(coordinator) == kept and kept[2]
    log = (coordinator.data_dir / LOG_FILE).read_text()
    assert f"appareil {enrolment.device} retiré" in log


def test_unsigned_bundles_can_be_turned_off(coordinator, two_bundles):
    paths, _sites = two_bundles
    coordinator.config.CoordinatorSettings.unsigned_bundles = False
    refused(coordinator, [paths[0]], "pas signé par un appareil inscrit")


def test_the_enrolment_link_gives_the_code_and_the_address_or_a_french_refusal(laptop):
    """The link of the coordination's QR code, pasted in the trainer's space: the same key as
    the code typed, plus the coordination's address; anything else is refused in French and
    the laptop stays as it was."""
    from support.spaces import SpaceClient

    from course.coordinator.sync_client import coordination_address
    from course.sync.devices import enrolment_link, new_enrolment, read_code, this_device

    enrolment = new_enrolment()
    address = "https://hub.exemple.fr/services/coordination/coordination/"
    with SpaceClient(laptop, role="trainer") as trainer:
        trainer.sign_in()
        for bad, said in [
            ("javascript:alert(1)" + "#code=" + enrolment.code, "Ce lien n'est pas celui"),
            (address + "#code=PAS-UN-CODE", "Ce code n'est pas celui d'un appareil"),
        ]:
            refused = trainer.post("envoyer/appareil", {"code": bad})
            assert refused.status == 400 and said in refused.status_text(), refused.text
            assert this_device(laptop.data_dir) is None
        link = " " + enrolment_link(address, enrolment.code) + "\n"  # as a phone shares it
        assert trainer.post("envoyer/appareil", {"code": link}).status == 303
        page = trainer.get("envoyer")
        assert f"adresse {address}" in page.words()
    device = this_device(laptop.data_dir)
    assert device is not None and device.key == read_code(enrolment.code)[1]
    assert coordination_address(laptop) == address  # no settings file edited
    laptop.config.CoordinatorSettings.coordination_url = "https://autre.exemple.fr/coordination/"
    assert coordination_address(laptop) == "https://autre.exemple.fr/coordination/"
