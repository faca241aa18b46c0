"""The coordinator's tunables, set in nbgrader_config.py as `c.CoordinatorSettings.<name>`.

The time zone of dates is the project's one setting, `c.CourseSettings.timezone`."""

from __future__ import annotations

from traitlets import Bool, Float, Unicode
from traitlets.config import Configurable


class CoordinatorSettings(Configurable):
    bundle_key = Unicode(
        "",
        help="Key shared by the trainers' laptops and the coordinator: bundles are then signed "
        "(HMAC-SHA256) and an unsigned or wrongly signed bundle is refused. Empty: bundles carry "
        "SHA-256 checksums only, which catch damage but not a deliberate change.",
    ).tag(config=True)
    unsigned_bundles = Bool(
        True,
        help="Accept bundles of the format made before devices were enrolled (signed by no "
        "device, so their site is only what they say). Set False once every laptop is enrolled: "
        "then only a payload signed by an enrolled device, for its own site, is imported.",
    ).tag(config=True)
    coordination_url = Unicode(
        "",
        help="Address of the coordination space this laptop sends to, e.g. "
        "https://hub.exemple.fr/services/coordination/coordination/ (empty: send by file only).",
    ).tag(config=True)
    coordination_certificate = Unicode(
        "",
        help="A hub with a self-signed certificate: the path of its certificate file (PEM, the "
        "public part only, given by the coordination with the device code). Empty: the "
        "certificates this computer already trusts (a département's real certificate).",
    ).tag(config=True)
    sync_interval = Float(
        300.0,
        help="Seconds between two automatic sends to the coordination while `course serve` "
        "runs (also once at start); 0 turns automatic sending off.",
    ).tag(config=True)
    sync_timeout = Float(
        20.0, help="Seconds to wait for the coordination to answer before giving up."
    ).tag(config=True)
    hub_dir = Unicode(
        "",
        help="The hub folder (course hub) whose sites this coordination reads live: every "
        "site's workshops and gradebook, no bundles needed. Written by `course hub add-site` "
        "in the hub's coordination folder. Empty: this laptop's records and its bundles.",
    ).tag(config=True)
