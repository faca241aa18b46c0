"""Where the hub's logs go: the administrator's terminal shows our French lines and the
WARNING/ERROR lines of JupyterHub and its proxy; every INFO line (hundreds at start, one per
request after) goes to a private file in the hub's private folder, size-capped: a hub runs for
months.

- `prive/journaux/jupyterhub.log`: JupyterHub's own log (its `logging_config`, a traitlets
  setting, with the stdlib `RotatingFileHandler`);
- `prive/journaux/proxy.log`: the proxy's (`course.hub.proxy --log-file`);
- `prive/journaux/<service>.log`: what a site's or the coordination's service prints (its
  standard output; a site's Voilà keeps its own technical log in `sites/<slug>/var/logs/
  voila.log`, capped the same way: `course.core.logfile` owns the rotation).
Files are created 0600 (the folder is 0700): they name users and addresses.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from course.core.files import private_append, private_dir
from course.core.logfile import BACKUPS, MAX_BYTES, PrivateRotatingFileHandler, rotating_handler
from course.hub import layout

TERMINAL_LEVEL = "WARNING"


def logs_dir(hub_dir: Path) -> Path:
    return layout.private_dir(hub_dir) / "journaux"


def hub_log(hub_dir: Path) -> Path:
    return logs_dir(hub_dir) / "jupyterhub.log"


def proxy_log(hub_dir: Path) -> Path:
    return logs_dir(hub_dir) / "proxy.log"


def service_log(hub_dir: Path, service: str) -> Path:
    return logs_dir(hub_dir) / f"{service}.log"


class KnownWarnings(logging.Filter):
    """JupyterHub's warnings that only say our configuration is what we chose, at every start
    (one per site for some): kept out of the terminal, where the administrator would take them
    for problems; they stay in the file. (« Adding missing route » stays: at start it is each
    service's route, but later it means the proxy lost its routes.)"""

    KNOWN = (
        "user role overridden with scopes",  # the cut-down `user` role (course.hub.jhconfig)
        "Allowing service ",  # services' OAuth without a confirmation page (oauth_no_confirm)
    )

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.WARNING and str(record.msg).startswith(self.KNOWN))


def file_handler_config(path: Path) -> dict[str, Any]:
    """A `logging.config.dictConfig` handler writing INFO and above to `path`, capped."""
    private_dir(path.parent)
    return {
        "class": f"{PrivateRotatingFileHandler.__module__}.PrivateRotatingFileHandler",
        "level": "INFO",
        "filename": str(path),
        "maxBytes": MAX_BYTES,
        "backupCount": BACKUPS,
        "encoding": "utf-8",
        "formatter": "console",
    }


def jupyterhub_logging(hub_dir: Path) -> dict[str, Any]:
    """JupyterHub's `logging_config` (merged by traitlets into its default one): its console
    handler keeps WARNING and above, a private file gets everything from INFO."""
    return {
        "filters": {"known": {"()": f"{__name__}.KnownWarnings"}},
        "handlers": {
            "console": {"level": TERMINAL_LEVEL, "filters": ["known"]},
            "journal": file_handler_config(hub_log(hub_dir)),
        },
        "loggers": {"JupyterHub": {"handlers": ["console", "journal"]}},
    }


def log_to_file(path: Path) -> None:
    """For a process whose log goes through the root logger (the proxy): the terminal keeps
    WARNING and above, the file `path` everything from INFO."""
    root = logging.getLogger()
    for handler in root.handlers:
        handler.setLevel(TERMINAL_LEVEL)
    journal = rotating_handler(path)
    journal.setLevel(logging.INFO)
    journal.setFormatter(logging.Formatter("[%(levelname)-.1s %(asctime)s %(name)s] %(message)s"))
    root.addHandler(journal)


def service_command(hub_dir: Path, service: str, command: list[str]) -> list[str]:
    """`command` with its standard output sent to the service's private log (by this module,
    which then becomes the command: no process more)."""
    return [sys.executable, "-m", __name__, str(service_log(hub_dir, service)), *command]


def main(argv: list[str]) -> None:
    """`python -m course.hub.logs LOG COMMAND…`: standard output appended to LOG (0600), then
    `exec` COMMAND. Standard error stays the hub's: a service that cannot start says why in
    the administrator's terminal."""
    path, *command = argv
    with private_append(Path(path)) as sink:
        os.dup2(sink.fileno(), 1)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
