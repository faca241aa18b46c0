"""Applying a device's signed payload: check everything before writing, then write it all in
the caller's one transaction, each record version at most once.

Order of the checks: the signature (`signature.txt`, read as text) names a device; the device
must be enrolled and not revoked; its key must verify the manifest's raw bytes; the manifest's
checksum must match `records.json`'s raw bytes; only then is JSON parsed, strictly
(`course.sync.strict_json`). The site is the one the device was enrolled for: a payload that
names another is refused, and every learner must carry that exact site's prefix. Then the
records go through the checks of today's bundles (`bundle_check.check_records`).

Applying: a record seen before from another device is refused; a field is written only when its
counter is newer than the one stored (`SyncRecord.fields`), so a payload imported twice, or
after the same records came by the other road, adds nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from course.coordinator.bundle_check import Bundle, check_records
from course.coordinator.bundle_import import (
    ImportReport,
    _elsewhere,
    _lesson,
    _result,
    _workshop,
)
from course.coordinator.payload import FORMAT, MANIFEST, RECORDS, VERSION, WORKSHOP_FIELDS
from course.coordinator.store import Device, ImportedBundle, ImportedLearner, SyncRecord
from course.sync.devices import SIGNATURE, signer_of, verify
from course.sync.errors import misshapen_refused, refuse
from course.sync.strict_json import loads
from course.workshops.model import Workshop

SIGNED = {RECORDS, MANIFEST, SIGNATURE}
KINDS = ("learner", "workshop", "result", "lesson")  # the order they are applied in
_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Payload:
    digest: str
    device: str
    site: str
    since: int
    upto: int
    made: str
    records: list[dict[str, Any]]


def _counter(value: object, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise refuse("un compteur d'enregistrement est invalide.")
    return value


def check_payload(blobs: dict[str, bytes], sender: Callable[[str], tuple[str, bytes]]) -> Payload:
    """A signed payload checked whole, or a French `PayloadError`."""
    device, value = signer_of(blobs[SIGNATURE])
    site, key = sender(device)
    verify(key, blobs[MANIFEST], value)
    found = re.search(rb'"records\.json":\s*"([0-9a-f]{64})"', blobs[MANIFEST])
    digest = hashlib.sha256(blobs[RECORDS]).hexdigest()
    if found is None or not hmac.compare_digest(found.group(1).decode(), digest):
        raise refuse("« records.json » a été modifié ou abîmé (son empreinte ne correspond pas).")
    manifest = loads(blobs[MANIFEST], MANIFEST, max_bytes=64 * 1024)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse("ce n'est pas un envoi d'ateliers numériques.")
    if manifest.get("version") != VERSION or manifest.get("device") != device:
        raise refuse("il vient d'une autre version de l'outil.")
    if manifest.get("site") != site:
        raise refuse(
            f"il parle pour le site « {str(manifest.get('site'))[:200]} », mais cet appareil est "
            f"inscrit pour « {site} » : un site ne parle que pour lui-même."
        )
    upto = _counter(manifest.get("upto"), 10**9)
    since = _counter(manifest.get("since"), upto)
    records = loads(blobs[RECORDS], RECORDS)
    if not isinstance(records, list):
        raise refuse("« records.json » n'a pas la forme attendue.")
    payload = Payload(hashlib.sha256(blobs[MANIFEST]).hexdigest(), device, site, since, upto,
                      str(manifest.get("made", ""))[:40], records)  # fmt: skip
    with misshapen_refused():
        _check(payload)
    return payload


def _check(p: Payload) -> None:
    bundle = Bundle(p.digest, p.site, p.made, [], [], [], [])
    if len({str(r.get("id")) for r in p.records}) != len(p.records):
        raise refuse("un enregistrement y figure deux fois.")
    for r in p.records:
        if not isinstance(r, dict) or not _ID.match(r["id"]) or r["kind"] not in KINDS:
            raise ValueError("record")
        if not isinstance(r["key"], str) or not 0 < len(r["key"]) <= 200:
            raise ValueError("key")
        fields = r["fields"]
        if not isinstance(fields, dict) or not fields:
            raise ValueError("fields")
        for pair in fields.values():
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError("field")
            _counter(pair[1], p.upto)
        values = {name: pair[0] for name, pair in fields.items()}
        if r["kind"] == "learner":
            bundle.learners.append(r["key"])
        elif r["kind"] == "workshop":
            # Who was marked present came later: a payload made before has no « present ».
            if set(values) not in (set(WORKSHOP_FIELDS), set(WORKSHOP_FIELDS) - {"present"}):
                raise ValueError("workshop")
            bundle.workshops.append({"uid": r["key"], **values})
        else:
            target = bundle.results if r["kind"] == "result" else bundle.lessons
            target.append(values["value"])
    cited = {k for w in bundle.workshops for k in w["learners"]}
    cited |= {x["learner"] for x in (*bundle.results, *bundle.lessons)}
    bundle.learners = sorted(set(bundle.learners) | {k for k in cited if isinstance(k, str)})
    check_records(bundle, legacy=False)  # the exact site's prefix only


def _workshop_now(found: Workshop) -> dict[str, Any]:
    """A stored workshop in the payload's form, for the fields a payload does not replace."""
    return {
        "title": found.title, "day": found.day.isoformat(),
        "start": found.start.isoformat() if found.start else None,
        "duration_minutes": found.duration_minutes, "place": found.place,
        "place_kind": found.place_kind, "equipment": found.equipment, "level": found.level,
        "trainer": found.trainer,
        "created": found.created.isoformat() if found.created else None,
        "modules": found.module_ids, "learners": sorted(found.learner_ids),
        "present": sorted(found.present_ids),
    }  # fmt: skip


def _learners(session: Session, p: Payload, report: ImportReport) -> None:
    """Every learner the payload cites, in the device's site (sent now or before)."""
    cited = {r["key"] for r in p.records if r["kind"] == "learner"}
    for r in p.records:
        values = {name: pair[0] for name, pair in r["fields"].items()}
        if r["kind"] == "workshop":
            cited |= set(values["learners"])
        elif r["kind"] in ("result", "lesson"):
            cited.add(values["value"]["learner"])
    known = {row.key: row.site for row in session.scalars(select(ImportedLearner))}
    for key in sorted(cited):
        if key in known and known[key] != p.site:
            raise _elsewhere(known[key])
        if key not in known:
            session.add(ImportedLearner(key=key, site=p.site))
            report.added["apprenants"] += 1


def store_payload(session: Session, p: Payload) -> ImportReport:
    """Write a checked payload through `session` (the caller's one transaction)."""
    report = ImportReport(p.site)
    device = session.get(Device, p.device)
    if device is None or device.revoked is not None:
        raise refuse("il vient d'un appareil retiré par la coordination.")
    device.last_sync = datetime.now(UTC)
    if session.scalars(select(ImportedBundle).where(ImportedBundle.digest == p.digest)).first():
        report.already = True
        return report
    _learners(session, p, report)
    ids = [r["id"] for r in p.records]
    known: dict[str, SyncRecord] = {}
    for start in range(0, len(ids), 500):  # one query per 500 records, not one per record
        chunk = select(SyncRecord).where(SyncRecord.id.in_(ids[start : start + 500]))
        known.update({row.id: row for row in session.scalars(chunk)})
    for kind in KINDS:
        for r in (r for r in p.records if r["kind"] == kind):
            _apply(session, p, r, report, known)
    if p.since <= device.seen:
        device.seen = max(device.seen, p.upto)
    session.add(ImportedBundle(digest=p.digest, site=p.site, made=p.made, device=p.device,
                               imported=datetime.now(UTC)))  # fmt: skip
    return report


def _apply(
    session: Session,
    p: Payload,
    r: dict[str, Any],
    report: ImportReport,
    known: dict[str, SyncRecord],
) -> None:
    row = known.get(r["id"])
    if row is not None and row.device != p.device:
        raise refuse("un enregistrement appartient à un autre appareil.")
    stored: dict[str, int] = json.loads(row.fields) if row else {}
    newer = {f: v for f, (v, c) in r["fields"].items() if c > stored.get(f, 0)}
    if not newer:
        return
    if r["kind"] == "workshop":
        found = session.scalars(select(Workshop).where(Workshop.uid == r["key"])).first()
        values = _workshop_now(found) if found is not None and row is not None else {}
        values.update({f: v for f, (v, _c) in r["fields"].items() if f in newer or not values})
        _workshop(session, p.site, {"uid": r["key"], **values}, report)
    elif r["kind"] == "result":
        _result(session, p.site, newer["value"], report)
    elif r["kind"] == "lesson":
        _lesson(session, newer["value"])  # a learner was added by `_learners`, with its site
    counters = {**stored, **{f: c for f, (_v, c) in r["fields"].items() if f in newer}}
    if row is None:
        known[r["id"]] = SyncRecord(id=r["id"], device=p.device, site=p.site, kind=r["kind"],
                                    key=r["key"][:200], counter=max(counters.values()),
                                    fields=json.dumps(counters))  # fmt: skip
        session.add(known[r["id"]])
    else:
        row.counter, row.fields = max(counters.values()), json.dumps(counters)
