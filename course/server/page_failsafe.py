"""A page whose kernel never answered ends with a French message instead of loading for ever.

Voilà 0.5 draws a page that has no preheated kernel in a background task (`put_html` in
`VoilaHandler.get_generator`) and streams what that task queues until the task queues its end.
When the task raises instead, its end never comes, and the handler keeps the response open with
a heartbeat every few seconds, for ever: the learner sees the loading note, then our « La page
met trop de temps à s'afficher », and the kernel stays, counted against the page cap. It raised
for 59 of 60 learners who opened their evaluation at once on a 2-core hub (issue 20's
benchmark, `benchmarks/hub_load.py`): the executor's « Kernel didn't respond in 60 seconds »
(now `ServeSettings.kernel_start_seconds`, 600) while 60 forked kernels started together.

`FailSafeRenderer` is Voilà's renderer whose content ends, whatever happens inside, with the
same French words as our template's error block and a « Recharger la page » button, and whose
kernel is shut down. It replaces the renderer of Voilà's page handler only (`install`): the
preheated pools render with their own, and a preheated page that failed is never handed out.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import voila.handler
from voila.notebook_renderer import NotebookRenderer

from course.learner.page_error import page_error_fragment

# The template's `error` block (its one text, `page_error.html`, beside index.html.j2), moved out
# of the hidden cells' container to the top of the page, the loading note removed.
MOVE_TO_TOP = """
<script>
(function () {
  var box = document.getElementById("cq-page-failed");
  if (box && document.body) document.body.insertBefore(box, document.body.firstChild);
  var loading = document.getElementById("loading");
  if (loading) loading.parentNode.removeChild(loading);
})();
</script>
"""


def failed_html() -> str:
    """What ends a page that could not be drawn: the template's error block, as it is (its
    Jinja comment taken off), then the script that shows it."""
    return f'<div id="cq-page-failed">{page_error_fragment()}</div>{MOVE_TO_TOP}'


FAILED_HTML = failed_html()


class FailSafeRenderer(NotebookRenderer):
    """Voilà's renderer; its content always ends (see the module's docstring)."""

    def generate_content_generator(
        self, kernel_id: str | None = None, kernel_future: Any = None
    ) -> AsyncGenerator[tuple[str, Any], None]:
        inner = super().generate_content_generator(kernel_id, kernel_future)
        return self._ending(inner, kernel_id)

    async def _ending(
        self, inner: AsyncGenerator[tuple[str, Any], None], kernel_id: str | None
    ) -> AsyncGenerator[tuple[str, Any], None]:
        try:
            async for snippet in inner:
                yield snippet
        except Exception:
            self.log.exception(
                "A page could not be drawn (kernel %s): its learner is told.", kernel_id
            )
            yield FAILED_HTML, None
            await self._shut_down(kernel_id)

    async def _shut_down(self, kernel_id: str | None) -> None:
        """The failed page's kernel goes: nothing uses it, and it counts against the cap."""
        manager = getattr(getattr(self, "request_handler", None), "kernel_manager", None)
        if kernel_id is None or manager is None:
            return
        try:
            await manager.shutdown_kernel(kernel_id, now=True)
        except Exception:  # already gone, or still starting: the culler ends it
            self.log.warning("The failed page's kernel %s could not be stopped now.", kernel_id)


def install() -> None:
    """Voilà's page handler draws its pages with `FailSafeRenderer` from now on."""
    voila.handler.NotebookRenderer = FailSafeRenderer
