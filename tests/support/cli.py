"""The `course` command run in the test's own process: the same `course.cli.main` a trainer's
terminal runs (click's parsing, our French wrapper `course.cli.french.run`, its exit codes),
without a new Python importing nbgrader, Voilà and the whole stack again (two to ten seconds a
call on a loaded machine).

Tests whose point is the process itself (signals, a server that must start or stop, the umask
of files a child writes) keep a real subprocess; tests about the command's words use this.
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner


@dataclass
class Ran:
    """What a terminal would show: the exit code and both streams, as `subprocess.run` says."""

    returncode: int
    stdout: str
    stderr: str


def course(*args: str, cwd: Path | None = None, stdin: str = "", timeout: int = 120) -> Ran:
    """`course ARGS` in `cwd`, as `main()` runs it; the process's cwd, argv and umask (which
    `main` sets to 077 for good) are given back afterwards. A command still running after
    `timeout` seconds (say, a server that should have refused to start) fails the test with
    TimeoutError instead of hanging the run, as `subprocess.run(timeout=)` would."""
    from course.cli import main

    def too_long(signum: int, frame: object) -> None:
        raise TimeoutError(f"course {' '.join(args)} still running after {timeout} s")

    runner = CliRunner()
    umask = os.umask(0o022)
    os.umask(umask)
    here = os.getcwd()
    argv = sys.argv
    code: int = 0
    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(timeout)
    with runner.isolation(input=stdin) as (out, err, _both):
        try:
            if cwd is not None:
                os.chdir(cwd)
            sys.argv = ["course", *args]
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
            sys.stdout.flush()
            sys.stderr.flush()
            sys.argv = argv
            os.chdir(here)
            os.umask(umask)
        stdout, stderr = out.getvalue(), err.getvalue()
    return Ran(code, stdout.decode(), stderr.decode())
