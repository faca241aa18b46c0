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
