"""The kernel a zygote's child becomes: ipykernel's own, minus the start-up work that writes to
the memory it shares with the zygote.

A forked kernel shares the zygote's pages until it writes to them; every Python object it so
much as looks at gets its reference count written, and the whole 4 KiB page around it is copied
for that kernel alone. Measured page by page (/proc/<pid>/pagemap of the zygote against a
child's, issue 20), `IPKernelApp.initialize` alone copied ~19 MiB of the zygote, ~9 of it in four
places that do the same work in every kernel:

- `IPythonKernel.__init__` lists the files of every module in `sys.modules` (for its
  debugger's "just my code"): it touches ~1,000 module objects and their file names, scattered
  over the zygote's heap, ~4.8 MiB. The zygote lists them once (`prepare`), in a few packed
  pages, and the kernel reads that list instead (`_known_modules`).
- traitlets' `parse_command_line` walks every configurable class and trait to build its
  parser, ~2.9 MiB, for a command line that is always `-f <connection file>` and our fixed
  options. The zygote parses that shape once; a child copies the result and puts its own
  connection file in (`ForkedKernelApp.parse_command_line`); any other command line is
  parsed as usual.
- jupyter_client's first `localhost()` lists the machine's addresses (a subprocess, a
  resolver), ~1.8 MiB: the zygote does it once and the answer is cached.
- pyzmq's first `socket.option = value` reads `__annotations__` on every class of the socket's
  MRO, `typing.Generic` among them. Generic has none, so Python makes one and marks the class
  modified, which rewrites the version tag of each of its ~1,300 subclasses (every Protocol,
  every generic class), ~2 MiB: the zygote reads it once, and there is nothing left to make.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from typing import Any

from ipykernel import ipkernel
from ipykernel.kernelapp import IPKernelApp
from traitlets.config import Config

# Stands for the connection file in the command line parsed once in the zygote.
_CONNECTION = "<connection file>"
_parsed: dict[str, Any] = {}


class _File:
    """What ipykernel reads of a module to list the kernel's own files: its `__file__`."""

    __slots__ = ("__file__",)

    def __init__(self, path: str):
        self.__file__ = path


class _Modules:
    """`sys.modules` as `IPythonKernel.__init__` uses it: `.copy().values()`."""

    def __init__(self, files: list[_File]):
        self._files = files

    def copy(self) -> _Modules:
        return self

    def values(self) -> list[_File]:
        return self._files


class _SysWithKnownModules:
    """`sys` for ipykernel.ipkernel while a kernel is built: the real one, but `modules`
    answers the zygote's list of module files instead of the live modules."""

    def __init__(self, modules: _Modules):
        self.modules = modules

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


def prepare(kernel_args: list[str]) -> None:
    """In the zygote, after its imports and before it freezes its objects: what every kernel
    would otherwise redo (and copy the zygote's pages for)."""
    from jupyter_client.localinterfaces import localhost

    localhost()
    import zmq

    for cls in (*zmq.Socket.__mro__, *zmq.Context.__mro__):
        getattr(cls, "__annotations__", None)
    # New strings (not the modules' own, spread over the heap), made together, so the pages
    # a kernel writes when it reads them are few.
    files = [
        _File((m.__file__ + "\0")[:-1])
        for m in list(sys.modules.values())
        if isinstance(getattr(m, "__file__", None), str) and m.__file__
    ]
    _parsed["modules"] = _Modules(files)
    probe = IPKernelApp()
    probe.parse_command_line(["-f", _CONNECTION, *kernel_args])
    _parsed["config"] = probe.cli_config
    _parsed["args"] = list(kernel_args)


@contextmanager
def _known_modules() -> Iterator[None]:
    """ipykernel.ipkernel sees the zygote's module list while the kernel object is built."""
    modules = _parsed.get("modules")
    if modules is None:
        yield
        return
    ipkernel.sys = _SysWithKnownModules(modules)  # type: ignore[assignment]
    try:
        yield
    finally:
        ipkernel.sys = sys


class ForkedKernelApp(IPKernelApp):
    """IPKernelApp, started in a child of a zygote that ran `prepare`."""

    def parse_command_line(self, argv: list[str] | None = None) -> None:
        """`-f <connection file>` then the zygote's options: its parse, with this kernel's
        connection file; anything else: traitlets' parse."""
        args = list(argv) if argv is not None else sys.argv[1:]
        template = _parsed.get("config")
        if template is None or len(args) < 2 or args[0] != "-f" or args[2:] != _parsed["args"]:
            super().parse_command_line(argv)
            return
        self.argv = args
        config: Config = deepcopy(template)
        config.IPKernelApp.connection_file = args[1]
        self.cli_config = config
        self.update_config(config)
        self.extra_args = []

    def init_kernel(self) -> None:
        with _known_modules():
            super().init_kernel()
