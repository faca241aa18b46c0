"""The sign-out page of a private space behind the hub (`HubIdentity.get_handlers`, mounted at
`<prefix>/deconnexion`): the service's cookie is cleared, then the browser goes to the hub's
logout, which ends the hub session and revokes the token that cookie held. The server side only.
"""

from __future__ import annotations

import os

from course.access.hub import HubIdentity
from course.web.space import SpaceHandler

CLIENT_ID_ENV = "JUPYTERHUB_CLIENT_ID"  # the service's OAuth client, also its cookie's name


class HubSignOutHandler(SpaceHandler):
    """« Se déconnecter » in a space: a POST with the CSRF value (checked by `prepare`)."""

    def post(self) -> None:
        self.space.access.sign_out(self)
        self.space.forget_at_sign_out()  # as in the room (the trainer space's new codes)
        cookie = os.environ.get(CLIENT_ID_ENV, "")
        if cookie:
            self.clear_cookie(cookie, path=self.space.base_url)
        access = self.space.access
        logout = access.hub_logout_url if isinstance(access, HubIdentity) else "/hub/logout"
        self.redirect(logout, status=303)
