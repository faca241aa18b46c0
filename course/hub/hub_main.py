"""JupyterHub's own entry point (`python -m jupyterhub`), as `course hub start` runs it, with
two changes:

- without rfc3987-syntax: JupyterHub imports jupyter_events, whose jsonschema builds that
  package's lark grammar for the "iri" formats at import, about 6 s of CPU and 20 MiB in the
  hub's process for a format no event schema uses (issue 20's benchmark). Without the package,
  jsonschema does not check that format;
- its managed services (the sites, the coordination) stopped all at once on Ctrl+C: JupyterHub
  stops them one after another (`JupyterHub.cleanup`), each with a signal then polls spaced
  ever wider (0.1, 0.2, 0.4… s), so a hub of 20 sites took 20 sites' stops. Each service's
  own stop is JupyterHub's (`Service.stop`: its polling stopped first, so it is not started
  again, then SIGINT, SIGTERM, SIGKILL); JupyterHub's cleanup then finds them stopped.
Everything else is JupyterHub's.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def stop_services_together(app_class: Any) -> None:
    """Make `app_class.cleanup` stop every managed service at once before its own cleanup."""
    cleanup = app_class.cleanup

    async def together(self: Any) -> None:
        managed = [s for s in self._service_map.values() if s.managed and s.spawner]
        if managed:
            self.log.info("Stopping %i services at once...", len(managed))
            await asyncio.gather(*(s.stop() for s in managed), return_exceptions=True)
        await cleanup(self)

    app_class.cleanup = together


if __name__ == "__main__":
    from jupyterhub.app import JupyterHub, main

    stop_services_together(JupyterHub)
    main()
