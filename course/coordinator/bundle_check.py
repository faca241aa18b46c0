"""Reading a bundle without trusting it: every check before anything is written.

The zip must hold exactly the expected members, each matching its SHA-256 in the manifest, the
manifest matching its seal (HMAC-SHA256 with the shared key when one is set), and every record
must have the expected shape, La Coop's values and learner ids of the bundle's own site. Any
failure raises `BundleError` with a French message, so an altered or damaged bundle is refused
whole. Sizes are bounded: a zip that would unpack to something huge is refused unread.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from course.coordinator.bundle import FORMAT, MANIFEST, MEMBERS, SEAL, VERSION, BundleError, seal_of
from course.coordinator.pseudonyms import site_prefix
from course.core.ids import LEARNER_ID_PATTERN
from course.workshops.book import MODULE_ID
from course.workshops.model import EQUIPMENT, LEVELS, PLACE_KINDS

MAX_MEMBER_BYTES = 64 * 1024 * 1024
REFUSED = "Rien n'a été importé."


@dataclass
class Bundle:
    digest: str  # SHA-256 of the manifest: the bundle's identity
    site: str
    made: str
    workshops: list[dict[str, Any]]
    learners: list[str]
    results: list[dict[str, Any]]
    lessons: list[dict[str, Any]]


def _refuse(why: str) -> BundleError:
    return BundleError(f"Paquet refusé : {why} {REFUSED}")


def _read_members(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = sorted(i.filename for i in infos)
            if names != sorted((*MEMBERS, MANIFEST, SEAL)):
                raise _refuse("son contenu n'est pas celui d'un paquet d'ateliers numériques.")
            if any(i.file_size > MAX_MEMBER_BYTES for i in infos):
                raise _refuse("il est bien trop gros pour un paquet d'ateliers.")
            return {i.filename: archive.read(i) for i in infos}
    except FileNotFoundError:
        raise BundleError(f"Fichier introuvable : {path}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, BundleError):
            raise
        raise _refuse("le fichier est abîmé (ce n'est pas une archive lisible).") from None


def _json(blob: bytes, name: str) -> Any:
    try:
        return json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _refuse(f"{name} est illisible.") from None


def read_bundle(path: Path, key: str = "") -> Bundle:
    """Open and check a bundle; return its records, or raise `BundleError` (French)."""
    blobs = _read_members(path)
    manifest = _json(blobs[MANIFEST], MANIFEST)
    seal = _json(blobs[SEAL], SEAL)
    if not isinstance(seal, dict) or not isinstance(seal.get("value"), str):
        raise _refuse("son sceau est illisible.")
    if key:
        expected = seal_of(blobs[MANIFEST], key)
        if seal.get("kind") != "hmac-sha256":
            raise _refuse("il n'est pas signé avec la clé partagée des sites.")
        if not hmac.compare_digest(seal["value"], expected["value"]):
            raise _refuse("sa signature ne correspond pas : il a été modifié, ou la clé diffère.")
    elif seal.get("kind") == "hmac-sha256":
        raise _refuse(
            "il est signé avec une clé partagée ; indiquez-la dans nbgrader_config.py "
            "(c.CoordinatorSettings.bundle_key)."
        )
    elif not hmac.compare_digest(seal["value"], seal_of(blobs[MANIFEST], "")["value"]):
        raise _refuse("son manifeste a été modifié ou abîmé.")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse("ce n'est pas un paquet d'ateliers numériques.")
    if manifest.get("version") != VERSION:
        raise _refuse("il vient d'une autre version de l'outil.")
    sums = manifest.get("members")
    if not isinstance(sums, dict) or sorted(sums) != sorted(MEMBERS):
        raise _refuse("son manifeste est incomplet.")
    for name in MEMBERS:
        if not hmac.compare_digest(str(sums[name]), hashlib.sha256(blobs[name]).hexdigest()):
            raise _refuse(f"« {name} » a été modifié ou abîmé (son empreinte ne correspond pas).")
    site = manifest.get("site")
    if not isinstance(site, str) or not site.strip() or len(site) > 200:
        raise _refuse("le nom du site manque.")
    bundle = Bundle(
        digest=hashlib.sha256(blobs[MANIFEST]).hexdigest(),
        site=site,
        made=str(manifest.get("made", ""))[:40],
        workshops=_json(blobs["workshops.json"], "workshops.json"),
        learners=_json(blobs["learners.json"], "learners.json"),
        results=_json(blobs["results.json"], "results.json"),
        lessons=_json(blobs["lessons.json"], "lessons.json"),
    )
    try:
        _check_records(bundle)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, BundleError):
            raise
        raise _refuse("un enregistrement n'a pas la forme attendue.") from None
    return bundle


def _learner(key: object, prefix: str) -> str:
    if not isinstance(key, str) or not LEARNER_ID_PATTERN.match(key):
        raise _refuse("un identifiant d'apprenant est invalide.")
    if not key.startswith(prefix + "-"):
        raise _refuse("un apprenant n'appartient pas au site du paquet.")
    return key


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("text")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError("number")
    return float(value)


def _check_records(b: Bundle) -> None:
    prefix = site_prefix(b.site)
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
        _learner(lesson["learner"], prefix)
        _text(lesson["module"], 100)
        if not 0 <= int(_number(lesson["done"])) <= int(_number(lesson["total"])):
            raise ValueError("lesson")
