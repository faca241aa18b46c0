"""A trainer's laptop in one file: its workshops, learners (pseudonyms) and results, for the
coordinator who gathers several sites.

A bundle is a zip holding `workshops.json`, `learners.json`, `results.json`, `lessons.json`,
then `manifest.json` (format, site, date, and the SHA-256 of each of those members) and
`seal.json`: an HMAC-SHA256 of the manifest with `c.CoordinatorSettings.bundle_key` when the
sites share a key, else the manifest's SHA-256 (which catches damage, not a deliberate change).
`course.coordinator.bundle_import` checks all of it before writing anything. Learners appear
only as `course.coordinator.pseudonyms` ids, prefixed by the site: no first name leaves, and
neither do a workshop's notes (a trainer may write anything there, names included).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zipfile
from pathlib import Path
from typing import Any

from course.coordinator.records import gather
from course.coordinator.settings import CoordinatorSettings
from course.core.files import atomic_write, now_iso
from course.settings import Project
from course.sync.errors import PayloadError

FORMAT = "ateliers-numeriques-paquet"
VERSION = 1
MEMBERS = ("workshops.json", "learners.json", "results.json", "lessons.json")
MANIFEST = "manifest.json"
SEAL = "seal.json"


NO_SITE_NAME = (
    "Ce site n'a pas encore de nom : donnez-le dans l'espace de l'animateur, page « Réglages du "
    "site » (/atelier/reglages), puis recommencez."
)

# A bundle refused (made or imported); the message is French.
BundleError = PayloadError


def seal_of(manifest: bytes, key: str) -> dict[str, str]:
    if key:
        value = hmac.new(key.encode(), manifest, hashlib.sha256).hexdigest()
        return {"kind": "hmac-sha256", "value": value}
    return {"kind": "sha256", "value": hashlib.sha256(manifest).hexdigest()}


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()


def contents(project: Project) -> tuple[str, dict[str, Any]]:
    """The site's name and what its bundle holds (only this laptop's own records)."""
    records = gather(project, include_names=False)
    from course.coordinator.records import local_site

    site = local_site(project)
    if not site:
        raise BundleError(NO_SITE_NAME)
    learners = {k: v for k, v in records.learners.items() if v.site == site}

    def key(learner_id: str) -> str:
        info = learners.get(learner_id)
        return info.pseudonym if info else learner_id

    workshops = [
        {
            "uid": w.uid,
            "title": w.title,
            "day": w.day.isoformat(),
            "start": w.start.isoformat() if w.start else None,
            "duration_minutes": w.duration_minutes,
            "place": w.place,
            "place_kind": w.place_kind,
            "equipment": w.equipment,
            "level": w.level,
            "trainer": w.trainer,
            "created": w.created.isoformat() if w.created else None,
            "modules": w.module_ids,
            "learners": sorted(key(i) for i in w.learner_ids),
            "present": sorted(key(i) for i in w.present_ids),  # absent from older bundles
        }
        for w in records.workshops
        if w.site == site
    ]
    results = [
        {
            "learner": key(r.learner_key),
            "module": r.module_id,
            "submitted": r.submitted.isoformat() if r.submitted else None,
            "questions": [
                {"id": q.question_id, "score": q.score, "max": q.max_score}
                for q in r.questions.values()
            ],
        }
        for r in records.results
        if r.site == site
    ]
    lessons = [
        {
            "learner": key(lesson.learner_key),
            "module": lesson.module_id,
            "done": lesson.done,
            "total": lesson.total,
        }  # fmt: skip
        for lesson in records.lessons
        if lesson.learner_key in learners
    ]
    members = {
        "workshops.json": workshops,
        "learners.json": sorted(info.pseudonym for info in learners.values()),
        "results.json": sorted(results, key=lambda r: (r["module"], r["learner"])),
        "lessons.json": sorted(lessons, key=lambda r: (r["module"], r["learner"])),
    }
    return site, members


def make_bundle(project: Project, output: Path) -> dict[str, int]:
    """Write this laptop's bundle to `output`; return how many of each thing it holds. An
    enrolled laptop writes its signed payload instead (`course.coordinator.payload`)."""
    from course.sync.devices import this_device

    if this_device(project.data_dir) is not None:
        from course.coordinator.payload import make_payload

        data, counts = make_payload(project, since=0)
        atomic_write(output, data)
        return counts
    site, members = contents(project)
    blobs = {name: _dump(members[name]) for name in MEMBERS}
    manifest = _dump(
        {
            "format": FORMAT,
            "version": VERSION,
            "site": site,
            "made": now_iso(),
            "members": {name: hashlib.sha256(blob).hexdigest() for name, blob in blobs.items()},
        }
    )
    key = CoordinatorSettings(config=project.config).bundle_key
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partiel")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in blobs.items():
            archive.writestr(name, blob)
        archive.writestr(MANIFEST, manifest)
        archive.writestr(SEAL, _dump(seal_of(manifest, key)))
    partial.replace(output)
    return {
        "ateliers": len(members["workshops.json"]),
        "apprenants": len(members["learners.json"]),
        "résultats": len(members["results.json"]),
    }
