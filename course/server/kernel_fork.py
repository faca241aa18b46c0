"""Kernels forked from one process that has already imported everything a page needs.

Every page view has its own kernel (Voilà), and a fresh Python with ipykernel, ipywidgets and
our pages holds about 44 MiB that is its own. Thirty learners on a 2-core laptop with little
memory is the workshop we serve, so `course serve` starts one *zygote*: a process that imports
ipykernel, the widgets and the learner pages once, freezes its objects for the garbage collector
(`gc.freeze`, so collections do not copy its pages), then forks a kernel on request. The
children share the zygote's memory until they write to it, and each page costs much less
(`benchmarks/memory.py` measures it against stock Voilà).

Wiring, all stock jupyter_client: `ForkProvisioner` is a kernel provisioner (entry point
`atelier-fork`, chosen with `JUPYTER_DEFAULT_PROVISIONER_NAME` in the server's environment). It
sends the kernel's command line, environment and folder over a Unix socket and manages the pid
the zygote answers (signals, poll, kill) as `LocalProvisioner` manages a Popen. If the zygote is
unreachable, or the command is not an ipykernel launch, the kernel is started as usual.

The zygote's socket lives in a private temporary folder (`new_folder`); the zygote removes
it when it ends (also on SIGTERM, which it gets when its server ends), and a server starting
removes the folders of zygotes that are gone (`sweep_stale`: a killed server leaves one).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

SOCKET_ENV = "ATELIER_ZYGOTE"
FOLDER_PREFIX = "atelier-zygote-"
SOCKET_NAME = "zygote.sock"
# A folder without a socket is a zygote still importing (seconds), or one that never started.
STARTING_SECONDS = 600
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.comm",
    "ipywidgets",
    "anywidget",
    "mistune",
    "course.learner.app",
    "course.learner.pages",
    "course.learner.pages.results",
    "course.learner.widgets",
    "course.learner.cv.page",
    "course.content.catalogue",
    "course.answers.scoring",
    "course.answers.released",
    "course.trainer.submission",
    # The workshops database (`Project.workshops`) and, on a hub, the PostgreSQL driver: a
    # page that opened them after the fork held ~10 MiB more of its own (issue 20's benchmark).
    "course.workshops",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
    # What ipykernel imports while a kernel starts (its debugger brings pydevd), found by
    # comparing a started kernel's sys.modules with these: shared too, once imported here.
    "debugpy.server.api",
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.core.oinspect",
    "IPython.core.logger",
    "IPython.extensions.storemagic",
    "sqlite3",
    "pydoc",
    "http.server",
    "xmlrpc.server",
    "tornado.queues",
    "tornado.platform.asyncio",
    "runpy",
    "gzip",
    "encodings.idna",
)
# Learner pages never need IPython's history (a SQLite file and a thread per kernel).
KERNEL_ARGS = ["--HistoryManager.enabled=False"]


class ForkedProcess:
    """What LocalProvisioner needs of a Popen, for a process that is not our child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return 0
        except PermissionError:
            return None
        # A zombie is gone for us (the zygote reaps its children).
        try:
            with open(f"/proc/{self.pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return 0
        except OSError:
            return 0
        return None

    def wait(self) -> int:
        import time

        while self.poll() is None:
            time.sleep(0.05)
        return 0

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _ask_zygote(path: str, request: dict) -> int:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(30)
        conn.connect(path)
        conn.sendall(json.dumps(request).encode() + b"\n")
        answer = _read_line(conn, 4096)
    return int(json.loads(answer)["pid"])


def _read_line(conn: socket.socket, size: int) -> bytes:
    """What the other end sends, up to its newline (or until it closes)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(size)
        if not chunk:
            break
        data += chunk
    return data


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner, but the kernel process is forked by the zygote."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        path = os.environ.get(SOCKET_ENV, "")
        if not path or cmd[1:3] != ["-m", "ipykernel_launcher"]:
            return await super().launch_kernel(cmd, **kwargs)
        request = {
            "args": cmd[3:],
            "env": dict(kwargs.get("env") or os.environ),
            "cwd": str(kwargs.get("cwd") or os.getcwd()),
        }
        try:
            pid = _ask_zygote(path, request)
        except (OSError, ValueError, KeyError):
            self.log.warning("Kernel zygote unreachable: starting a kernel the usual way.")
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = self.pgid = pid  # the child leads its own session (os.setsid)
        self.cwd = request["cwd"]
        return self.connection_info


def new_folder() -> Path:
    """A private folder for a new zygote's socket (stale ones removed first)."""
    sweep_stale()
    return Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))


def sweep_stale(root: str | None = None) -> list[Path]:
    """Remove this user's zygote folders whose zygote is gone (its socket refuses connections,
    or there has been no socket for `STARTING_SECONDS`); return them. A live zygote answers
    the connection and ignores the empty request."""
    removed = []
    for folder in Path(root or tempfile.gettempdir()).glob(FOLDER_PREFIX + "*"):
        try:
            info = folder.lstat()
        except OSError:
            continue
        if info.st_uid != os.getuid() or not folder.is_dir() or folder.is_symlink():
            continue
        sock = folder / SOCKET_NAME
        if sock.exists():
            if _answers(str(sock)):
                continue
        elif time.time() - info.st_mtime < STARTING_SECONDS:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _answers(path: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(2)
        try:
            conn.connect(path)
        except TimeoutError:
            return True  # there, but busy: not ours to remove
        except OSError:
            return False
    return True


def _child(request: dict) -> None:
    """In the forked child: become the kernel that `python -m ipykernel_launcher` would be."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    # The zygote's own handlers (`serve`) are not the kernel's.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # ipykernel read JPY_PARENT_PID when the zygote imported it: watch the zygote instead, so
    # that kernels end with it (and it ends with the server, `_die_with_parent`).
    args = [*request["args"], *KERNEL_ARGS, f"--IPKernelApp.parent_handle={os.getppid()}"]
    sys.argv = ["ipykernel_launcher", *args]
    from course.server.forked_kernel import ForkedKernelApp

    ForkedKernelApp.launch_instance(argv=args)


def _die_with_parent() -> None:
    """The zygote ends when the server ends, even if the server was killed (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def serve(path: str) -> None:
    """The zygote: preload, then fork one kernel per request on the Unix socket `path`."""
    import gc
    import importlib

    _die_with_parent()
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional part (e.g. the debugger) missing: forked kernels
            pass  # import it themselves
    try:
        from course.server import forked_kernel
    except ImportError:  # no ipykernel here: `_child` will say so in each kernel's log
        pass
    else:  # children add the zygote's pid: `_child`
        forked_kernel.prepare([*KERNEL_ARGS, f"--IPKernelApp.parent_handle={os.getpid()}"])
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    zygote = os.getpid()
    folder = os.path.dirname(path)

    def leave(_signum: int = 0, _frame: object = None) -> None:
        """The zygote's folder goes with it (a SIGTERM from its server's end, or Ctrl+C)."""
        if os.getpid() == zygote and os.path.basename(folder).startswith(FOLDER_PREFIX):
            shutil.rmtree(folder, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGINT, leave)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path + ".tmp")
    os.replace(path + ".tmp", path)  # the socket appears only once we are ready
    listener.listen(64)
    while True:
        conn, _ = listener.accept()
        with conn:
            data = _read_line(conn, 65536)
            try:
                request = json.loads(data)
            except ValueError:
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                conn.close()
                try:
                    _child(request)
                finally:
                    os._exit(0)
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


if __name__ == "__main__":
    serve(sys.argv[1])
