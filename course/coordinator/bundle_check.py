"""Reading a bundle without trusting it: every check before anything is written.

The zip must hold exactly the expected members, each matching its SHA-256 in the manifest, the
manifest matching its seal (HMAC-SHA256 with the shared key when one is set), and every record
must have the expected shape, La Coop's values and learner ids of the bundle's own site. Any
failure raises `BundleError` with a French message, so an altered or damaged bundle is refused
whole. The order matters: sizes first (`course.sync.archive`: the file, the number of members,
each member and their total, counted while unpacking), then the seal against the manifest's raw
bytes and each member against its raw checksum, and only then JSON (`course.sync.strict_json`:
no deep nesting, NaN, Infinity or number out of range), then the records.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from course.coordinator.bundle import FORMAT, MANIFEST, MEMBERS, SEAL, VERSION, seal_of
from course.coordinator.pseudonyms import legacy_prefix, site_prefix
from course.core.ids import LEARNER_ID_PATTERN
from course.sync.archive import read_members
from course.sync.errors import misshapen_refused
from course.sync.errors import refuse as _refuse
from course.sync.strict_json import loads
from course.workshops.book import MODULE_ID
from course.workshops.model import EQUIPMENT, LEVELS, PLACE_KINDS

MAX_SCORE = 10_000.0  # no question of ours is worth more points
# The seal as `bundle.make_bundle` writes it, read as text: nothing is parsed as JSON before
# the seal is checked against the manifest's raw bytes.
SEAL_TEXT = re.compile(
    rb'\A\{\s*"kind":\s*"(sha256|hmac-sha256)",\s*"value":\s*"([0-9a-f]{64})"\s*\}\s*\Z'
)


@dataclass
class Bundle:
    digest: str  # SHA-256 of the manifest: the bundle's identity
    site: str
    made: str
    workshops: list[dict[str, Any]]
    learners: list[str]
    results: list[dict[str, Any]]
    lessons: list[dict[str, Any]]


def _check_seal(blobs: dict[str, bytes], key: str) -> None:
    """The seal against the manifest's raw bytes, and each member against its raw checksum,
    before a single byte is parsed."""
    found = SEAL_TEXT.match(blobs[SEAL]) if len(blobs[SEAL]) < 512 else None
    if found is None:
        raise _refuse("son sceau est illisible.")
    kind, value = found.group(1).decode(), found.group(2).decode()
    if key:
        if kind != "hmac-sha256":
            raise _refuse("il n'est pas signé avec la clé partagée des sites.")
        if not hmac.compare_digest(value, seal_of(blobs[MANIFEST], key)["value"]):
            raise _refuse("sa signature ne correspond pas : il a été modifié, ou la clé diffère.")
    elif kind == "hmac-sha256":
        raise _refuse(
            "il est signé avec une clé partagée ; indiquez-la dans nbgrader_config.py "
            "(c.CoordinatorSettings.bundle_key)."
        )
    elif not hmac.compare_digest(value, seal_of(blobs[MANIFEST], "")["value"]):
        raise _refuse("son manifeste a été modifié ou abîmé.")
    sums = {
        name: re.search(
            rb'"' + re.escape(name.encode()) + rb'":\s*"([0-9a-f]{64})"', blobs[MANIFEST]
        )
        for name in MEMBERS
    }
    for name, match in sums.items():
        digest = hashlib.sha256(blobs[name]).hexdigest()
        if match is None or not hmac.compare_digest(match.group(1).decode(), digest):
            raise _refuse(f"« {name} » a été modifié ou abîmé (son empreinte ne correspond pas).")


LEGACY = {*MEMBERS, MANIFEST, SEAL}


def read_bundle(path: Path, key: str = "") -> Bundle:
    """Open and check a bundle; return its records, or raise `BundleError` (French)."""
    return check_bundle(read_members(path, [LEGACY]), key)


def check_bundle(blobs: dict[str, bytes], key: str = "") -> Bundle:
    """Check a bundle of today's format, read by `course.sync.archive.read_members`."""
    _check_seal(blobs, key)
    manifest = loads(blobs[MANIFEST], MANIFEST, max_bytes=64 * 1024)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse("ce n'est pas un paquet d'ateliers numériques.")
    if manifest.get("version") != VERSION:
        raise _refuse("il vient d'une autre version de l'outil.")
    sums = manifest.get("members")
    if not isinstance(sums, dict) or sorted(sums) != sorted(MEMBERS):
        raise _refuse("son manifeste est incomplet.")
    site = manifest.get("site")
    if not isinstance(site, str) or not site.strip() or len(site) > 200:
        raise _refuse("le nom du site manque.")
    bundle = Bundle(
        digest=hashlib.sha256(blobs[MANIFEST]).hexdigest(),
        site=site,
        made=str(manifest.get("made", ""))[:40],
        workshops=loads(blobs["workshops.json"], "workshops.json"),
        learners=loads(blobs["learners.json"], "learners.json"),
        results=loads(blobs["results.json"], "results.json"),
        lessons=loads(blobs["lessons.json"], "lessons.json"),
    )
    with misshapen_refused():
        check_records(bundle)
    return bundle


def _learner(key: object, prefixes: tuple[str, ...]) -> str:
    if not isinstance(key, str) or not LEARNER_ID_PATTERN.match(key):
        raise _refuse("un identifiant d'apprenant est invalide.")
    if not key.startswith(tuple(p + "-" for p in prefixes)):
        raise _refuse("un apprenant n'appartient pas au site du paquet.")
    return key


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("text")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("number")
    if not math.isfinite(value) or not 0 <= value <= MAX_SCORE:
        raise _refuse(f"un nombre est hors des limites ({value}).")
    return float(value)


def check_records(b: Bundle, *, legacy: bool = True) -> None:
    """Shapes, La Coop's values, numbers in range, and every learner of the bundle's own site
    (today's bundles name them by the slug of the site; the exact site is checked again
    against the database when they are stored)."""
    prefix = (site_prefix(b.site), legacy_prefix(b.site)) if legacy else (site_prefix(b.site),)
    if not all(isinstance(x, list) for x in (b.workshops, b.learners, b.results, b.lessons)):
        raise ValueError("lists")
    known = {_learner(k, prefix) for k in b.learners}
    for w in b.workshops:
        _text(w["uid"], 36)
        _text(w["title"], 200)
        _text(w["place"], 200)
        _text(w["trainer"], 200)
        date.fromisoformat(w["day"])
        if w["start"] is not None:
            time.fromisoformat(w["start"])
        if w["created"] is not None:
            datetime.fromisoformat(w["created"])
        if not isinstance(w["duration_minutes"], int) or not 1 <= w["duration_minutes"] <= 720:
            raise ValueError("duration")
        if (
            w["place_kind"] not in PLACE_KINDS
            or w["equipment"] not in EQUIPMENT
            or w["level"] not in LEVELS
        ):
            raise _refuse("une valeur de lieu, de matériel ou de niveau est inconnue.")
        if not w["modules"] or not all(MODULE_ID.match(_text(m, 100)) for m in w["modules"]):
            raise ValueError("modules")
        for key in w["learners"]:
            if _learner(key, prefix) not in known:
                raise _refuse("un atelier cite un apprenant absent du paquet.")
        if not set(w.get("present", [])) <= set(w["learners"]):  # older bundles have none
            raise _refuse("un atelier marque présente une personne absente de son groupe.")
    for r in b.results:
        if _learner(r["learner"], prefix) not in known or not MODULE_ID.match(r["module"]):
            raise _refuse("un résultat cite un apprenant absent du paquet.")
        if r["submitted"] is not None:
            datetime.fromisoformat(r["submitted"])
        for q in r["questions"]:
            _text(q["id"], 63)
            top = _number(q["max"])
            if q["score"] is not None and _number(q["score"]) > top:
                raise _refuse("une note dépasse le maximum de sa question.")
    for lesson in b.lessons:
        if _learner(lesson["learner"], prefix) not in known:
            raise _refuse("une leçon cite un apprenant absent du paquet.")
        _text(lesson["module"], 100)
        if not 0 <= int(_number(lesson["done"])) <= int(_number(lesson["total"])):
            raise ValueError("lesson")
