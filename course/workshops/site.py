"""This site's own settings, typed by the trainer in her space: the site's name, its places and
the people who lead workshops there.

They are the project's data, not its code: `var/site.json` (0o600, written atomically), never
`nbgrader_config.py`, which git tracks and a deployer owns. A deployer may still set the name
in `nbgrader_config.py` (`c.WorkshopSettings.site`, e.g. one config per site on a hub): a
value set there wins, as any traitlets setting set explicitly does, and the trainer's page says
so instead of offering a field that would change nothing (`site_name`).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config

from course.core.files import private_write
from course.workshops.book import WorkshopError, WorkshopSettings

FILE = "site.json"
MAX_NAMES = 30  # places, trainers: a short list to choose from
NAME_LIMIT = 200


@dataclass
class SiteProfile:
    """What the settings page keeps; `saved` is False until the trainer saved it once."""

    name: str = ""
    places: list[str] = field(default_factory=list)
    trainers: list[str] = field(default_factory=list)
    saved: bool = False


def profile_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE


def load_profile(data_dir: Path) -> SiteProfile:
    """The saved settings; empty ones (not `saved`) when none were saved or the file is
    unreadable (the page then asks again rather than failing)."""
    try:
        data = json.loads(profile_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SiteProfile()
    if not isinstance(data, dict):
        return SiteProfile()

    def names(key: str) -> list[str]:
        value = data.get(key)
        return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []

    return SiteProfile(str(data.get("name") or ""), names("places"), names("trainers"), True)


def clean_name(value: str, what: str) -> str:
    """One name typed in a form: NFC, spaces collapsed, no control characters, not too long."""
    text = " ".join(unicodedata.normalize("NFC", value or "").split())
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    if len(text) > NAME_LIMIT:
        raise WorkshopError(f"{what} est trop long : {NAME_LIMIT} caractères au plus.")
    return text


def clean_names(text: str, what: str) -> list[str]:
    """One name per line, duplicates and empty lines dropped, in the order typed."""
    names = [clean_name(line, what) for line in (text or "").splitlines()]
    kept = list(dict.fromkeys(n for n in names if n))
    if len(kept) > MAX_NAMES:
        raise WorkshopError(f"{what} : {MAX_NAMES} noms au plus, un par ligne.")
    return kept


def save_profile(data_dir: Path, profile: SiteProfile) -> Path:
    data = {"name": profile.name, "places": profile.places, "trainers": profile.trainers}
    return private_write(profile_path(data_dir), json.dumps(data, ensure_ascii=False, indent=1))


def configured_site(config: Config | None) -> str:
    """The name set by a deployer in nbgrader_config.py (`c.WorkshopSettings.site`), or ""."""
    return WorkshopSettings(config=config).site


def site_name(data_dir: Path, config: Config | None) -> str:
    """This site's name: the deployer's `c.WorkshopSettings.site` when set, else the one the
    trainer saved in her space, else ""."""
    return configured_site(config) or load_profile(data_dir).name
