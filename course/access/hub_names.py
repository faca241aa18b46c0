"""The names a JupyterHub knows us by: sites' groups, services, and learners' opaque usernames.

Both sides of the hub use these, so they agree without talking: the hub's authenticator (which
checks a learner's first name and code against the site's roster and tells the hub who signed
in) and each site's Voilà service (which gets that username back from the hub and must find the
learner again). Hub usernames appear in URLs, so they are opaque and URL-safe, never the first
name a learner typed (JupyterHub advisory GHSA-93gc-h923-mp36): an HMAC of the site and the
roster id with the site's own secret key, so a username cannot be guessed from a first name nor
forged for another site. Roles come from groups only ("groups are the truth", the e2x-hub-rbac
naming): `site.<slug>.learner`, `site.<slug>.trainer`, `coordination`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from course.core.errors import UserError

SITE_SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")
SITE_ROLES = ("learner", "trainer")
COORDINATION_GROUP = "coordination"
LEARNER_PREFIX = "l-"
# The hub's public address ("https://hub.example.fr"), given by the hub to each site's service:
# what the trainer space and the sign-in cards show learners instead of the service's loopback.
HUB_PUBLIC_ENV = "COURSE_HUB_PUBLIC_URL"
_USERNAME_HEX = 24  # 96 bits: no collision in any realistic roster, short enough for a URL


class InvalidSiteSlug(UserError, ValueError):
    """A site slug that could not be a group, a service name and a folder name at once."""


def check_site_slug(slug: str) -> str:
    """Return the slug if it is safe as a group, a service name and a folder name, else raise."""
    if not isinstance(slug, str) or not SITE_SLUG_PATTERN.match(slug):
        raise InvalidSiteSlug(
            f"Identifiant de site invalide : {slug!r} "
            "(lettres minuscules sans accent, chiffres et tirets, 30 au plus)."
        )
    return slug


def site_group(slug: str, role: str) -> str:
    """The hub group that gives `role` ("learner" or "trainer") at the site `slug`."""
    if role not in SITE_ROLES:
        raise ValueError(f"unknown site role {role!r}")
    return f"site.{check_site_slug(slug)}.{role}"


def service_name(slug: str) -> str:
    """The hub service serving the site's learner pages and trainer space."""
    return f"site-{check_site_slug(slug)}"


def service_prefix(slug: str) -> str:
    """The URL prefix the hub's proxy routes to the site's service (kept, not stripped)."""
    return f"/services/{service_name(slug)}/"


def card_url(public_url: str, slug: str) -> str:
    """The learners' address of a site on the hub: its sign-in page there, which a card's QR
    code opens with `?cle=…` (the hub's authenticator serves `/hub/carte/<slug>/`)."""
    return f"{public_url.rstrip('/')}/hub/carte/{check_site_slug(slug)}"


def site_roles(groups: Iterable[str]) -> dict[str, set[str]]:
    """{slug: {roles}} read from a hub user's groups; unknown or malformed groups are ignored."""
    roles: dict[str, set[str]] = {}
    for group in groups:
        parts = group.split(".")
        if len(parts) == 3 and parts[0] == "site" and parts[2] in SITE_ROLES:
            if SITE_SLUG_PATTERN.match(parts[1]):
                roles.setdefault(parts[1], set()).add(parts[2])
    return roles


def learner_username(site_secret: bytes, slug: str, learner_id: str) -> str:
    """The opaque hub username of the roster's `learner_id` at the site `slug`."""
    message = f"{check_site_slug(slug)}/{learner_id}".encode()
    digest = hmac.new(site_secret, message, hashlib.sha256).hexdigest()
    return LEARNER_PREFIX + digest[:_USERNAME_HEX]


def learner_for_username(
    site_secret: bytes, slug: str, username: str, learner_ids: Iterable[str]
) -> str | None:
    """The roster id behind a hub username, or None: rosters are small, so every id is tried."""
    if not username.startswith(LEARNER_PREFIX):
        return None
    for learner_id in learner_ids:
        if hmac.compare_digest(learner_username(site_secret, slug, learner_id), username):
            return learner_id
    return None
