"""Pseudonyms: a learner's stable id outside their site, from which no first name can be read.

A trainer's laptop names its learners by first name (`marie`, `marie-2`). Outside the site (a
bundle for the coordinator, an anonymised export) they become
`<slug>-<8 hex digits of the exact site>-<12 hex digits>`: an HMAC of the id with a key that
never leaves the laptop (`var/pseudonyms.key`), so the coordinator can follow one learner across
workshops and bundles without being able to go back to the name, and two sites' `marie` never
meet. The middle part is a digest of the site's exact name, not of its slug: « Médiathèque de
Brest » and « MÉDIATHÈQUE DE BREST ! » share a slug but not a prefix (the slug is only there
for people reading an export). Bundles made before kept the bare slug (`legacy_prefix`).
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from course.access.roster import slugify
from course.core.files import secret_key

KEY_FILE = "pseudonyms.key"


def legacy_prefix(site: str) -> str:
    """The prefix of bundles made before pseudonyms named the exact site."""
    return slugify(site or "site")[:24].strip("-") or "site"


def site_prefix(site: str) -> str:
    slug = slugify(site or "site")[:14].strip("-") or "site"
    return f"{slug}-{hashlib.sha256(site.encode()).hexdigest()[:8]}"


class Pseudonyms:
    """The pseudonyms of one site's learners."""

    def __init__(self, data_dir: Path, site: str):
        self.prefix = site_prefix(site)
        self._secret = secret_key(Path(data_dir) / KEY_FILE)

    def of(self, learner_id: str) -> str:
        digest = hmac.new(self._secret, learner_id.encode(), hashlib.sha256).hexdigest()
        return f"{self.prefix}-{digest[:12]}"
