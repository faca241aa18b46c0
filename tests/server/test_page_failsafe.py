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


def test_the_failed_page_says_the_templates_words_and_passes_axe(monkeypatch, context):
    """One text for both failures (the template's error block includes `page_error.html`, the
    fail-safe sends it), and the failed page passes axe in Chromium. The page is the fail-safe's
    real stream, loaded with `set_content` under the template's language, title and style:
    serving it would need a kernel that really never answers, as in benchmarks/hub_load.py."""
    from browser_checks import axe_violations

    from course.learner.page_error import PAGE_ERROR_FILE

    template = (PAGE_ERROR_FILE.parent / "index.html.j2").read_text(encoding="utf-8")
    assert '{% include "page_error.html" %}' in template
    assert "Cette page ne s'affiche pas" not in template  # said once, in page_error.html
    handler = Handler()
    renderer = FailSafeRenderer(request_handler=handler, voila_configuration=VoilaConfiguration())
    css = (PAGE_ERROR_FILE.parent / "atelier.css").read_text(encoding="utf-8")
    head = f"<!DOCTYPE html><html lang='fr'><head><title>Atelier</title><style>{css}</style>"
    start = [head + "</head><body>", "<div id='loading'>La page se prépare…</div>"]
    stream = drawn(renderer, monkeypatch, start, RuntimeError("Kernel didn't respond"))
    page = context.new_page()
    page.set_content("".join(stream) + "</body></html>")
    alert = page.get_by_role("alert")
    assert alert.locator("h1").inner_text() == "Cette page ne s'affiche pas"
    assert alert.get_by_role("button", name="Recharger la page").is_visible()
    assert page.locator("#loading").count() == 0  # the loading note is gone
    assert page.evaluate("document.body.firstElementChild.id") == "cq-page-failed"
    assert axe_violations(page) == []
    page.close()
