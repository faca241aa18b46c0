"""The coordinator's tunables, set in nbgrader_config.py as `c.CoordinatorSettings.<name>`."""

from __future__ import annotations

from traitlets import Unicode
from traitlets.config import Configurable


class CoordinatorSettings(Configurable):
    timezone = Unicode(
        "Europe/Paris",
        help="Time zone of the dates in exports and in the coordinator space (local time).",
    ).tag(config=True)
    bundle_key = Unicode(
        "",
        help="Key shared by the trainers' laptops and the coordinator: bundles are then signed "
        "(HMAC-SHA256) and an unsigned or wrongly signed bundle is refused. Empty: bundles carry "
        "SHA-256 checksums only, which catch damage but not a deliberate change.",
    ).tag(config=True)
