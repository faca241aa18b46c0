"""The attacks of issue 21's security review, each refused with a French reason and nothing
written: a forged site, a tampered payload, a 64 MB member, NaN, Infinity, 100,000 nested
brackets; and a 32 kB zip bomb keeps the importing process's memory bounded."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from course.coordinator.bundle import MANIFEST, MEMBERS, SEAL, BundleError
from course.coordinator.bundle_import import import_bundles
from course.coordinator.pseudonyms import legacy_prefix, site_prefix
from course.coordinator.records import gather

ROOT = Path(__file__).resolve().parents[2]
BREST = "Médiathèque de Brest"


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()


def resealed(source: Path, dest: Path, *, site: str | None = None, **members: bytes) -> Path:
    """A bundle whose members are changed and whose checksums and seal are recomputed, as
    anyone can (no shared key): what an attacker really sends."""
    blobs = members_of(source)
    blobs.update({f"{name}.json": blob for name, blob in members.items()})
    manifest = json.loads(blobs[MANIFEST])
    manifest["site"] = site or manifest["site"]
    manifest["members"] = {n: hashlib.sha256(blobs[n]).hexdigest() for n in MEMBERS}
    blobs[MANIFEST] = _dump(manifest)
    blobs[SEAL] = _dump({"kind": "sha256", "value": hashlib.sha256(blobs[MANIFEST]).hexdigest()})
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in blobs.items():
            archive.writestr(name, blob)
    return dest


def state(project) -> tuple:
    """Everything the coordinator counts, to compare before and after a refusal."""
    records = gather(project)
    return (
        sorted(w.uid for w in records.workshops),
        sorted(records.learners),
        sorted((r.site, r.learner_key, r.module_id, r.score) for r in records.results),
        sorted((x.learner_key, x.module_id, x.done) for x in records.lessons),
    )


def refused(project, paths, why: str) -> None:
    before = state(project)
    with pytest.raises(BundleError) as error:
        import_bundles(project, paths)
    assert why in str(error.value) and "Rien n'a été importé." in str(error.value)
    assert state(project) == before


def _maxed(blob: bytes) -> bytes:
    results = json.loads(blob)
    for r in results:
        for q in r["questions"]:
            q["score"] = q["max"]
    return _dump(results)


def test_pseudonyms_name_the_exact_site():
    assert legacy_prefix(BREST) == legacy_prefix("MÉDIATHÈQUE DE BREST !")
    assert site_prefix(BREST) != site_prefix("MÉDIATHÈQUE DE BREST !")
    assert site_prefix(BREST).startswith("mediatheque-de")


def test_a_forged_site_cannot_rewrite_another_sites_results(coordinator, two_bundles, tmp_path):
    paths, _sites = two_bundles
    import_bundles(coordinator, [paths[0]])
    forged = resealed(
        paths[0], tmp_path / "forged.zip", site="MÉDIATHÈQUE DE BREST !",
        results=_maxed(members_of(paths[0])["results.json"]),
    )  # fmt: skip
    refused(coordinator, [forged], "un apprenant n'appartient pas au site du paquet")


def test_a_forged_site_with_todays_prefix_is_refused_too(coordinator, two_bundles, tmp_path):
    """Bundles of today's format name learners by the slug's first 24 characters, which two
    sites share: the exact site stored with each learner refuses the second one."""
    paths, _sites = two_bundles
    blobs = members_of(paths[0])
    new, old = site_prefix(BREST).encode(), legacy_prefix(BREST).encode()

    def legacy(name: str) -> bytes:
        return blobs[f"{name}.json"].replace(new + b"-", old + b"-")

    names = ("workshops", "learners", "results", "lessons")
    todays = resealed(paths[0], tmp_path / "todays.zip", **{n: legacy(n) for n in names})
    assert import_bundles(coordinator, [todays])[0].added["apprenants"] == 2
    forged = resealed(
        todays, tmp_path / "forged.zip", site="MÉDIATHÈQUE DE BREST !",
        results=_maxed(legacy("results")), workshops=b"[]",
    )  # fmt: skip
    refused(coordinator, [forged], "un site ne parle que pour lui-même")


def test_a_tampered_payload_is_refused(coordinator, two_bundles, tmp_path):
    paths, _sites = two_bundles
    blobs = members_of(paths[0])
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        for name, blob in blobs.items():
            archive.writestr(name, _maxed(blob) if name == "results.json" else blob)
    refused(coordinator, [paths[1], tampered], "« results.json » a été modifié ou abîmé")
    manifest = tmp_path / "manifest.zip"
    with zipfile.ZipFile(manifest, "w") as archive:
        for name, blob in blobs.items():
            archive.writestr(name, blob.replace(b"Brest", b"Quimper") if name == MANIFEST else blob)
    refused(coordinator, [manifest], "son manifeste a été modifié")


def test_a_64_mb_member_is_refused_unread(coordinator, two_bundles, tmp_path):
    paths, _sites = two_bundles
    big = tmp_path / "gros.zip"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members_of(paths[0]).items():
            if name != "results.json":
                archive.writestr(name, blob)
        with archive.open("results.json", "w") as member:
            for _ in range(64):
                member.write(b" " * (1024 * 1024))
    assert big.stat().st_size < 1024 * 1024  # it compresses: the attack is cheap to send
    refused(coordinator, [paths[1], big], "« results.json » est bien trop gros")


@pytest.mark.parametrize(
    ("member", "change", "why"),
    [
        ("results", lambda b: re.sub(rb'"score": [0-9.]+', b'"score": NaN', b, count=1), "(NaN)"),
        ("lessons", lambda b: b.replace(b'"total": ', b'"total": Infinity, "x": ', 1),
         "(Infinity)"),
        ("lessons", lambda b: b.replace(b'"done": ', b'"done": 1e999, "x": ', 1),
         "hors des limites"),
        ("workshops", lambda b: b"[" * 100_000 + b"]" * 100_000, "imbriqué trop profondément"),
    ],
)  # fmt: skip
def test_numbers_and_nesting_python_would_choke_on(
    coordinator, two_bundles, tmp_path, member, change, why
):
    paths, _sites = two_bundles
    blob = members_of(paths[0])[f"{member}.json"]
    assert change(blob) != blob
    bad = resealed(paths[0], tmp_path / "bad.zip", **{member: change(blob)})
    refused(coordinator, [paths[1], bad], why)


BOMB = """
import resource, sys
from pathlib import Path
from course.coordinator.bundle_check import read_bundle
from course.sync.errors import PayloadError
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    read_bundle(Path(sys.argv[1]))
except PayloadError as error:
    print(str(error), file=sys.stderr)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(after - before)
"""


@pytest.mark.parametrize("size", [30_000_000, 7_900_000])  # past the member cap, just under it
def test_a_zip_bomb_keeps_memory_bounded(two_bundles, tmp_path, size):
    """The review's 32 kB zip took the server to 906 MB: an array of zeros Python builds one
    object at a time. Now the bytes are counted while unpacking, then the elements while
    scanning, before anything is built."""
    paths, _sites = two_bundles
    zeros = b"[" + b"0," * (size // 2) + b"0]"
    bomb = resealed(paths[0], tmp_path / "bombe.zip", results=zeros)
    assert bomb.stat().st_size < 40_000
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(BOMB), str(bomb)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=True,
    )  # fmt: skip
    grown_kb = int(run.stdout.strip())
    assert "Paquet refusé" in run.stderr and "Rien n'a été importé." in run.stderr
    assert grown_kb < 48 * 1024, f"the import grew by {grown_kb // 1024} MB"


def test_the_dashboard_never_shows_nan_percent():
    from course.coordinator.space.common import percent

    assert [percent(float("nan")), percent(float("inf")), percent(0.5)] == ["—", "—", "50 %"]
