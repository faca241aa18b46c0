"""No single-user servers on our hub: a learner's JupyterLab would run any code they type.

Learners and staff only reach the hub's services (one per site); this spawner refuses to
start anything, so even a crafted request to the hub's API starts no server."""

from __future__ import annotations

from typing import Any

from jupyterhub.spawner import Spawner
from tornado import web


class NoServerSpawner(Spawner):
    async def start(self) -> Any:
        raise web.HTTPError(403, "Ce hub ne démarre pas de serveur personnel.")

    async def stop(self, now: bool = False) -> None:
        return None

    async def poll(self) -> int | None:
        return 0  # never running
