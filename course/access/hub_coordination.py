"""The identity provider of the coordination space served behind a JupyterHub
(`course serve --hub-coordination`, the hub service `coordination`).

The same guard as a site's (`course.server.hub_guard`: the hub's OAuth token checked on every
request) with another answer to « who is this hub user here? »: a member of the hub group
`coordination` is a coordinator; anyone else (a site's learner or trainer, a hub user in no
group) has no identity here, and the guard answers 403. There is no learner and no kernel in
this service, and no site: the coordination sees every site.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course.access.hub import HubIdentity
from course.access.hub_names import COORDINATION_GROUP
from course.access.provider import Identity, IdentityProvider
from course.core.files import secret_key
from course.settings import Project


class HubCoordinationIdentity(HubIdentity):
    """Who is there, for the coordination behind the hub: the group `coordination` only."""

    def __init__(self, project: Project, **kwargs: object):
        IdentityProvider.__init__(self, project, **kwargs)  # no site, no roster to check

    @property
    def _secret(self) -> bytes:
        """The coordination project's own key (its CSRF values are bound to it)."""
        return secret_key(self.project.data_dir / "secret.key")

    def identity_for_user(self, model: Mapping[str, Any]) -> Identity | None:
        if model.get("kind", "user") != "user":
            return None
        if COORDINATION_GROUP not in (model.get("groups") or []):
            return None
        return Identity(frozenset({"coordinator"}), None, "", str(model.get("name", "")))
