"""The README's first command starts the workshop with the network cut, once installed: a
community room often has no Internet. Run in a network namespace of its own (`unshare -n`),
where only the loopback exists, then stopped with SIGTERM like a closed terminal."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest
from support.project import REPO, free_port


@pytest.mark.slow
def test_run_sh_starts_without_network_and_stops_on_sigterm():
    assert shutil.which("unshare"), "unshare missing: scripts/test.sh installs util-linux"
    assert (REPO / ".venv" / ".installed-pyproject").is_file(), "run scripts/test.sh first"
    port = free_port()
    script = (
        "ip link set lo up && "
        f"exec bash scripts/run.sh --port {port} > var/offline-start.log 2>&1 & "
        "server=$!; "
        f"for i in $(seq 120); do {sys.executable} -c 'import urllib.request as u; "
        f'u.urlopen("http://127.0.0.1:{port}/voila/render/index.ipynb", timeout=5)\' '
        "2>/dev/null && echo UP && break; sleep 1; done; "
        "kill -TERM $server; wait $server; echo STOPPED $?; "
        # Inside the same namespace: Voilà let go of its port. SO_REUSEADDR, as any server sets
        # it: the bind then fails only if something still listens, not because the polling's
        # closed connections wait in TIME_WAIT (seen once under load).
        f"{sys.executable} -c 'import socket; s = socket.socket(); "
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); "
        f's.bind(("127.0.0.1", {port})); s.listen()\' '
        "&& echo FREE"
    )
    (REPO / "var").mkdir(exist_ok=True)
    started = time.time()
    result = subprocess.run(
        ["unshare", "-n", "bash", "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
    )
    log = (REPO / "var" / "offline-start.log").read_text(encoding="utf-8", errors="replace")
    assert "UP" in result.stdout, log[-2000:]
    assert "Les modules sont ouverts" in log
    assert "/atelier/connexion?jeton=" in log  # the trainer's link, for this computer
    assert "Voilà is running" not in log and "[AtelierVoila]" not in log  # in var/logs/
    voila_log = REPO / "var" / "logs" / "voila.log"  # through the capped reader (core.logfile)
    assert voila_log.stat().st_mode & 0o777 == 0o600
    assert voila_log.stat().st_mtime >= started and "[AtelierVoila]" in voila_log.read_text()
    assert "pip" not in log.lower()  # nothing was (re)installed
    assert "STOPPED 0" in result.stdout  # stopped cleanly, not killed
    print(f"offline start and stop: {time.time() - started:.1f} s")
    assert "FREE" in result.stdout, result.stdout + result.stderr
