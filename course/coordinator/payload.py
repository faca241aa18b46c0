"""What an enrolled laptop sends the coordinator: the records of its log the coordinator has
not seen, signed with the device's key. One format for both roads: the same bytes go over the
network (`course.coordinator.sync_client`) or in a file the trainer downloads
(« Envoyer à la coordination », `paquet-<site>-<date>.zip`).

The zip holds `records.json` (the records, `course.sync.journal`), `manifest.json` (format,
device, site, the counters `since` and `upto`, a nonce, the records' SHA-256) and
`signature.txt` (the device's HMAC of the manifest's raw bytes, `course.sync.devices`).
Learners appear by pseudonym only, as in today's bundles (`course.coordinator.bundle`).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from typing import Any

from course.coordinator.bundle import BundleError, _dump, contents
from course.core.files import now_iso
from course.settings import Project
from course.sync.devices import SIGNATURE, LocalDevice, sign, this_device
from course.sync.journal import Fields, Journal

FORMAT = "ateliers-numeriques-envoi"
VERSION = 2
RECORDS = "records.json"
MANIFEST = "manifest.json"
WORKSHOP_FIELDS = (
    "title", "day", "start", "duration_minutes", "place", "place_kind", "equipment", "level",
    "trainer", "created", "modules", "learners", "present",
)  # fmt: skip


def current_records(project: Project) -> tuple[str, dict[tuple[str, str], Fields]]:
    """This laptop's site and its records now, by (kind, key)."""
    site, members = contents(project)
    current: dict[tuple[str, str], Fields] = {}
    for key in members["learners.json"]:
        current["learner", key] = {"site": site}
    for w in members["workshops.json"]:
        current["workshop", w["uid"]] = {name: w[name] for name in WORKSHOP_FIELDS}
    for r in members["results.json"]:
        current["result", f"{r['learner']} {r['module']} {r['submitted']}"] = {"value": r}
    for x in members["lessons.json"]:
        current["lesson", f"{x['learner']} {x['module']}"] = {"value": x}
    return site, current


def enrolled(project: Project) -> LocalDevice:
    device = this_device(project.data_dir)
    if device is None:
        raise BundleError(
            "Cet ordinateur n'est pas encore inscrit auprès de la coordination : demandez-lui "
            "un code d'appareil et saisissez-le dans l'espace de l'animateur."
        )
    return device


def make_payload(project: Project, since: int | None = None) -> tuple[bytes, dict[str, int]]:
    """The signed payload of what the coordinator has not seen (from `since`, else from what it
    last acknowledged), and how many records of each kind it holds."""
    device = enrolled(project)
    site, current = current_records(project)
    if site != device.site:
        raise BundleError(
            f"Cet ordinateur est inscrit pour le site « {device.site} », mais ce site s'appelle "
            f"« {site} » dans ses réglages : corrigez le nom, ou demandez un nouveau code."
        )
    journal = Journal(project.data_dir)
    upto = journal.note(current)
    start = journal.acked() if since is None else since
    records = journal.pending(current, start)
    blob = _dump(records)
    manifest = _dump({
        "format": FORMAT, "version": VERSION, "device": device.device, "site": site,
        "since": start, "upto": upto, "made": now_iso(), "nonce": secrets.token_hex(8),
        "members": {RECORDS: hashlib.sha256(blob).hexdigest()},
    })  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(RECORDS, blob)
        archive.writestr(MANIFEST, manifest)
        archive.writestr(SIGNATURE, sign(device.device, device.key, manifest))
    counts: dict[str, Any] = {"ateliers": 0, "apprenants": 0, "résultats": 0}
    names = {"workshop": "ateliers", "learner": "apprenants", "result": "résultats"}
    for record in records:
        if record["kind"] in names:
            counts[names[record["kind"]]] += 1
    return out.getvalue(), counts
