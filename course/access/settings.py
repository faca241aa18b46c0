"""Which identity provider a project uses: `c.AccessSettings.identity_provider_class`.

`nbgrader_config.py` names the class, as jupyter_server's `ServerApp.identity_provider_class`
does; the default is the room's (`RoomIdentity`). Learner pages and the private spaces get their
provider from `identity_provider(project)`, never by naming a class, so a site behind another
sign-in changes one line of configuration and no page. A site served behind a JupyterHub
(`course serve --hub-site`) uses `course.access.hub.HubIdentity` whatever the configuration.
"""

from __future__ import annotations

import os

from traitlets import Type
from traitlets.config import Configurable

from course.access.hub import HUB_SITE_ENV, HubIdentity
from course.access.provider import IdentityProvider
from course.access.room import RoomIdentity
from course.settings import Project


class AccessSettings(Configurable):
    """Set in nbgrader_config.py as `c.AccessSettings.<name>`."""

    identity_provider_class = Type(
        default_value=RoomIdentity,
        klass=IdentityProvider,
        help="Who says who is there, for learner pages and private spaces: a subclass of "
        "course.access.provider.IdentityProvider (default: the room's own sign-in).",
    ).tag(config=True)


def provider_class(project: Project) -> type[IdentityProvider]:
    """The configured provider's class (e.g. for the headers Voilà hands to kernels). A site
    served behind a hub (`course serve --hub-site`, which sets COURSE_HUB_SITE for the server
    and its kernels) is always the hub's: no configuration can put the room's sign-in there."""
    if os.environ.get(HUB_SITE_ENV):
        return HubIdentity
    return AccessSettings(config=project.config).identity_provider_class


def identity_provider(project: Project) -> IdentityProvider:
    """A configured provider for this project."""
    return provider_class(project)(project)
