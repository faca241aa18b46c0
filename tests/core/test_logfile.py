"""Capped private logs (`course.core.logfile`): a real child process writes through the pipe of
a `RotatingSink` past a small cap, as Voilà and its kernels do through `course serve`."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

from course.core.logfile import RotatingSink

CAP = 2000
# 300 lines of ~60 bytes: about 18 kB through a 2 kB cap, so several rotations.
WRITER = "for n in range(300): print(f'ligne {n} du journal de Voila, assez longue pour compter')"


def _check_capped(folder, name, last="ligne 299 du journal de Voila, assez longue pour compter"):
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == [name, f"{name}.1", f"{name}.2"]
    assert all(f.stat().st_size <= CAP for f in files)  # capped, the oldest lines gone
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)
    text = (folder / name).read_text(encoding="utf-8")
    assert text.endswith(f"{last}\n")
    assert "ligne 0 " not in "".join(f.read_text(encoding="utf-8") for f in files)


def test_a_childs_output_and_errors_stay_under_the_cap_and_private(tmp_path):
    log = tmp_path / "logs" / "voila.log"
    previous = os.umask(0)  # what a careless service manager could give the server
    try:
        with RotatingSink(log, max_bytes=CAP, backups=2) as sink:
            code = WRITER + "; import sys; print('Traceback: la fin', file=sys.stderr)"
            child = subprocess.Popen([sys.executable, "-c", code], stdout=sink, stderr=sink)
            sink.close(wait=False)
            assert child.wait(timeout=30) == 0
    finally:
        os.umask(previous)
    assert (log.parent.stat().st_mode & 0o777) == 0o700
    _check_capped(log.parent, "voila.log", last="Traceback: la fin")  # standard error too


def test_the_reader_outlives_an_exec_as_behind_a_hub(tmp_path):
    # `course serve --hub-site` hands the pipe to its own standard output and error, then
    # becomes Voilà (`exec`): the reader must keep writing, capped, for the new program.
    log = tmp_path / "logs" / "voila.log"
    becomes = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from course.core.logfile import RotatingSink
        sink = RotatingSink(Path({str(log)!r}), max_bytes={CAP}, backups=2)
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        sink.close(wait=False)
        os.execv(sys.executable, [sys.executable, "-c", {WRITER!r}])
    """)
    assert subprocess.run([sys.executable, "-c", becomes], timeout=60).returncode == 0
    deadline = time.monotonic() + 30  # the reader, now nobody's child, writes its last lines
    while time.monotonic() < deadline and not (
        log.exists() and "ligne 299 " in log.read_text(encoding="utf-8")
    ):
        time.sleep(0.1)
    _check_capped(log.parent, "voila.log")
