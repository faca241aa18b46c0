"""A page whose kernel never answered ends with the French message (`course.server.page_failsafe`).

In process, on Voilà's own renderer: the content generator raises as nbclient does when a kernel
does not answer in time, and what the page receives must end, in French, with the reload button,
and the kernel must be asked to stop. The crowd that made it happen is benchmarks/hub_load.py's.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import voila.handler
import voila.voila_kernel_manager
from voila.configuration import VoilaConfiguration
from voila.notebook_renderer import NotebookRenderer

from course.server import page_failsafe
from course.server.page_failsafe import FailSafeRenderer


class Stopped:
    def __init__(self) -> None:
        self.kernels: list[str] = []

    async def shutdown_kernel(self, kernel_id: str, now: bool = False) -> None:
        self.kernels.append(kernel_id)


class Handler:
    def __init__(self) -> None:
        self.kernel_manager = Stopped()


def drawn(renderer: NotebookRenderer, monkeypatch, snippets: list[Any], failure: Exception | None):
    async def inner(*_args: Any, **_kwargs: Any):
        for snippet in snippets:
            yield snippet, None
        if failure is not None:
            raise failure

    monkeypatch.setattr(NotebookRenderer, "generate_content_generator", lambda self, *a: inner())

    async def run() -> list[str]:
        return [html async for html, _ in renderer.generate_content_generator("k-1", None)]

    # Its own thread and loop: a session's sync Playwright keeps a loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(lambda: asyncio.run(run())).result(timeout=60)


def test_a_kernel_that_never_answered_ends_the_page_in_french(monkeypatch):
    handler = Handler()
    renderer = FailSafeRenderer(request_handler=handler, voila_configuration=VoilaConfiguration())
    failure = RuntimeError("Kernel didn't respond in 60 seconds")
    page = drawn(renderer, monkeypatch, ["<html><body>", "<div id='loading'>"], failure)
    assert page[:2] == ["<html><body>", "<div id='loading'>"]
    assert len(page) == 3
    assert "Cette page ne s'affiche pas" in page[-1] and "Recharger la page" in page[-1]
    assert 'role="alert"' in page[-1] and "Kernel" not in page[-1]
    assert handler.kernel_manager.kernels == ["k-1"]


def test_a_page_drawn_without_trouble_is_left_as_it_is(monkeypatch):
    handler = Handler()
    renderer = FailSafeRenderer(request_handler=handler, voila_configuration=VoilaConfiguration())
    page = drawn(renderer, monkeypatch, ["<html>", "<p>Bonjour</p>", "</html>"], None)
    assert page == ["<html>", "<p>Bonjour</p>", "</html>"]
    assert handler.kernel_manager.kernels == []


def test_voila_page_handler_uses_it_once_installed(monkeypatch):
    monkeypatch.setattr(voila.handler, "NotebookRenderer", NotebookRenderer)
    page_failsafe.install()
    assert voila.handler.NotebookRenderer is FailSafeRenderer
    # The preheated pools keep Voilà's own renderer: a failed preheat is never handed out.
    assert voila.voila_kernel_manager.NotebookRenderer is NotebookRenderer
