"""A kernel forked by the zygote (`course.server.forked_kernel`): the start-up work the zygote
did once in its place (the module list, the command line's parse) gives the kernel what
ipykernel's own would have, and the kernel answers code (issue 20: memory per kernel).

The zygote is the real one (`python -m course.server.kernel_fork`), the kernel a real fork
of it, driven by jupyter_client as Voilà drives it.
"""

from __future__ import annotations

import os
import signal

from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from support.zygote import start_zygote

from course.server import forked_kernel, kernel_fork
from course.server.kernel_fork import KERNEL_ARGS

CHECKS = """
import sys, ipykernel, ipykernel.ipkernel
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
files = get_ipython().kernel._kernel_modules
print(type(app).__name__, app.connection_file, get_ipython().history_manager.enabled,
      ipykernel.ipkernel.sys is sys, ipykernel.__file__ in files, len(files) > 300, 6 * 7)
"""


def test_the_zygotes_parse_of_a_kernels_command_line_is_traitlets_own():
    args = [*KERNEL_ARGS, "--IPKernelApp.parent_handle=4242"]
    forked_kernel.prepare(args)
    own = forked_kernel.IPKernelApp()
    own.parse_command_line(["-f", "/tmp/kernel-1.json", *args])
    forked = forked_kernel.ForkedKernelApp()
    forked.parse_command_line(["-f", "/tmp/kernel-1.json", *args])
    assert forked.cli_config == own.cli_config
    assert forked.connection_file == own.connection_file == "/tmp/kernel-1.json"
    assert forked.parent_handle == own.parent_handle == 4242
    # Another command line: traitlets parses it (an option the zygote did not parse).
    other = forked_kernel.ForkedKernelApp()
    other.parse_command_line(["-f", "/tmp/kernel-2.json", "--IPKernelApp.parent_handle=7"])
    assert other.parent_handle == 7 and "HistoryManager" not in other.cli_config


def test_a_forked_kernel_has_what_ipykernel_would_have_given_it(tmp_path):
    zygote, path = start_zygote()
    kernel = 0
    try:
        connection, info = write_connection_file(str(tmp_path / "kernel.json"), ip="127.0.0.1")
        request = {"args": ["-f", connection], "env": dict(os.environ), "cwd": str(tmp_path)}
        kernel = kernel_fork._ask_zygote(str(path), request)
        client = BlockingKernelClient()
        client.load_connection_info(info)
        client.start_channels()
        try:
            client.wait_for_ready(timeout=120)
            printed: list[str] = []
            reply = client.execute_interactive(
                CHECKS,
                timeout=60,
                output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
            )
        finally:
            client.stop_channels()
        assert reply["content"]["status"] == "ok"
        assert "".join(printed).split() == [
            "ForkedKernelApp",
            connection,
            "False",
            "True",
            "True",
            "True",
            "42",
        ]
    finally:
        if kernel:
            os.kill(kernel, signal.SIGKILL)
        zygote.send_signal(signal.SIGTERM)
        zygote.wait(timeout=30)
