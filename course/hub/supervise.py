"""What `course hub start` becomes once everything is checked: a small process that runs
JupyterHub as its child until it stops.

The `course` command imports every command (click, rich, the whole toolkit: about 60 MiB of
memory), which the hub's whole life only needs to wait: for the sign-in page to answer (the
French « prêt » line), for signals to forward, for JupyterHub to end. So the command checks and
writes the configuration (`course.hub.run.prepare`), prints where the hub will be, then replaces
itself (`os.execv`, same process id: scripts/hub.sh, a service manager or a test still hold the
right one) with `python -m course.hub.supervise`, which imports the standard library only
(tests/hub/test_hub_supervise.py checks it) and holds a few MiB.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from course.hub.folders import private_dir
from course.hub.ready import watch

MODULE = "course.hub.supervise"
# Exit codes of JupyterHub that mean « stopped as asked » (Ctrl+C, SIGTERM), not a failure.
STOPPED = (0, -signal.SIGTERM, -signal.SIGINT)


def jupyterhub_command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "course.hub.hub_main", *args, "-f", str(config)]


def stop_left_proxy(hub_dir: Path) -> None:
    """JupyterHub leaves its proxy running when it stops on an error after starting it (a
    site's service that would not start): stop it, so nothing is left half-started."""
    pid_file = private_dir(hub_dir) / "proxy.pid"
    try:
        pid = int(pid_file.read_text().strip())
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return
    if b"course.hub.proxy" in command:  # ours, not a process that reused the number
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    pid_file.unlink(missing_ok=True)


def command(hub_dir: Path, config: Path, probe: str, public_url: str, log: Path) -> list[str]:
    """The command line `course hub start` execs into (this module, same interpreter); `log`:
    JupyterHub's private log (`course.hub.logs.hub_log`)."""
    args = [str(Path(hub_dir).resolve()), str(config), probe, public_url, str(log)]
    return [sys.executable, "-m", MODULE, *args]


def run(hub_dir: Path, config: Path) -> int:
    """Run JupyterHub until it stops; return its exit code. It runs in the private folder (its
    pid files) as a child: a SIGTERM to us reaches it (it then stops its proxy and services),
    Ctrl+C reaches it from the terminal, and we can say in French how it ended."""
    # Two malloc arenas, not one per thread, for JupyterHub and all it starts (the proxy, the
    # services): each thread's arena keeps freed memory of its own (`course.server.serve`).
    env = {**os.environ}
    env.setdefault("MALLOC_ARENA_MAX", "2")
    process = subprocess.Popen(jupyterhub_command(config), cwd=private_dir(hub_dir), env=env)

    def forward(signum: int, _frame: object) -> None:
        if signum != signal.SIGINT:  # the terminal sends Ctrl+C to the whole group already
            process.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    code = process.wait()
    stop_left_proxy(hub_dir)
    return code


def say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    hub_dir_arg, config, probe, public_url, log = list(sys.argv[1:] if argv is None else argv)
    hub_dir = Path(hub_dir_arg)
    watch(probe, say, public_url, Path(log))
    code = run(hub_dir, Path(config))
    if code in STOPPED:
        return 0
    print(
        f"Erreur : le hub s'est arrêté (code {code}). Les dernières lignes ci-dessus disent "
        "pourquoi (par exemple : « Service site-… exited » : le service d'un site n'a pas pu "
        "démarrer ; après une mise à jour du logiciel : course upgrade-db --hub "
        f"{hub_dir}) ; le détail est dans {log}.",
        file=sys.stderr,
        flush=True,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
