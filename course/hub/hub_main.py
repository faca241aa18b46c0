"""JupyterHub's own entry point (`python -m jupyterhub`), as `course hub start` runs it, without
rfc3987-syntax: JupyterHub imports jupyter_events, whose jsonschema builds that package's lark
grammar for the "iri" formats at import, about 6 s of CPU and 20 MiB in the hub's process for a
format no event schema uses (issue 20's benchmark). Without the package, jsonschema does not
check that format; everything else is JupyterHub's.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

if __name__ == "__main__":
    from jupyterhub.app import main

    main()
