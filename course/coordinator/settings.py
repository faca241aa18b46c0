"""The coordinator's tunables, set in nbgrader_config.py as `c.CoordinatorSettings.<name>`.

The time zone of dates is the project's one setting, `c.CourseSettings.timezone`."""

from __future__ import annotations

from traitlets import Unicode
from traitlets.config import Configurable


class CoordinatorSettings(Configurable):
    bundle_key = Unicode(
        "",
        help="Key shared by the trainers' laptops and the coordinator: bundles are then signed "
        "(HMAC-SHA256) and an unsigned or wrongly signed bundle is refused. Empty: bundles carry "
        "SHA-256 checksums only, which catch damage but not a deliberate change.",
    ).tag(config=True)
    hub_dir = Unicode(
        "",
        help="The hub folder (course hub) whose sites this coordination reads live: every "
        "site's workshops and gradebook, no bundles needed. Written by `course hub add-site` "
        "in the hub's coordination folder. Empty: this laptop's records and its bundles.",
    ).tag(config=True)
