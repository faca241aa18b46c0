"""`c.ServeSettings`: how `course serve` runs Voilà, set in nbgrader_config.py.

Its own file so that what reads a setting (the CLI's port, the announce line, the coordination's
address) does not need the server's code, and `serve.py` stays about running the server.
"""

from __future__ import annotations

from typing import Any

from traitlets import Bool, Int, Unicode, validate
from traitlets.config import Configurable


class ServeSettings(Configurable):
    """How `course serve` runs Voilà; set in nbgrader_config.py as `c.ServeSettings.<name>`."""

    port = Int(8866, help="Port the learners' pages are served on.").tag(config=True)
    base_url = Unicode(
        "/",
        help='Path every page and space is served under (Voilà\'s `base_url`): "/" on a laptop; '
        'behind a proxy that forwards a path as it is, that path ("/hub/services/site-brest/").',
    ).tag(config=True)
    pool_size = Int(
        2,
        help="Preheated kernels kept ready for each page a whole group opens at once (the "
        "catalogue, and the workshop's module with --module). Each holds about 110 MB.",
    ).tag(config=True)
    hub_pool_size = Int(
        1,
        help="On a hub (`course serve --hub-site`), preheated kernels per page at most (never "
        "more than `pool_size`). A hub serves many sites on one machine and pools are per "
        "site: each idle preheated kernel holds about 25 MiB all day, while a pool only spares "
        "the first learners of a room who arrive together a wait, and kernels forked from the "
        "zygote start in about a second (issue 20's benchmark, benchmarks/hub_load.py).",
    ).tag(config=True)
    hub_max_pooled_kernels = Int(
        3,
        help="On a hub, preheated kernels in all for one site at most (never more than "
        "`max_pooled_kernels`): the catalogue, the day's lesson and its evaluation, one each.",
    ).tag(config=True)
    fill_delay = Int(
        1, help="Seconds before a pool starts a kernel to replace the one a page view took."
    ).tag(config=True)
    max_pooled_kernels = Int(
        8,
        help="Preheated kernels in all. They all start at once: on a 2-core laptop 14 kernels "
        "took about 40 s, during which every page waited.",
    ).tag(config=True)
    cull_idle_seconds = Int(
        1800,
        help="A kernel whose browser went away is stopped after this long (answers are on disk "
        "after every click; a kernel with an open page is never culled).",
    ).tag(config=True)
    cull_interval_seconds = Int(300, help="How often idle kernels are looked for.").tag(config=True)
    max_page_kernels = Int(
        40,
        help="Pages open at once on this laptop (each holds a kernel of about 40 MB; preheated "
        "kernels are not counted). Beyond, a page says in French that too many pages are open, "
        "instead of the laptop running out of memory. 0: no limit.",
    ).tag(config=True)
    anonymous_seconds = Int(
        180,
        help="A page nobody signed in to pauses itself (it says so, in French) and its kernel "
        "is stopped after this many seconds, so page views alone cannot fill the memory. "
        "0: never.",
    ).tag(config=True)
    max_anonymous_pages = Int(
        20,
        help="Pages given, in any `anonymous_seconds`, to visitors not signed in (the sign-in "
        "form before a learner types her code, or someone on the room's network); a page on "
        "which somebody signs in gives its place back. They never take the other pages: a "
        "learner already signed in, or opening an unused card link, still gets a page when "
        "anonymous page loads flood the room. 0: no separate quota.",
    ).tag(config=True)
    fork_kernels = Bool(
        True,
        help="Fork every page's kernel from one process that has already imported what pages "
        "need (course.server.kernel_fork): pages open faster and share most of their memory "
        "(benchmarks/memory.py). False: each kernel is a fresh Python, as in stock Voilà.",
    ).tag(config=True)
    iopub_timeout = Int(
        600,
        help="Seconds a page waits for its widget messages after the cell's reply; past that "
        "Voilà draws the page without them, and the learner sees a blank page. Under load they "
        "come late: more than nbclient's default 4 s at 20 pages at once on 2 cores, more than "
        "60 s for 4 of 60 pages at a hub (benchmarks/hub_load.py; those pages never drew).",
    ).tag(config=True)

    kernel_start_seconds = Int(
        600,
        help="Seconds a page waits for its new kernel to answer before it says, in French, that "
        "it cannot be shown (Voilà's default is 60). Sixty learners opening their evaluation at "
        "once on 2 cores start 60 kernels together, and most took longer than 60 s: their pages "
        "then waited for ever (issue 20's benchmark, benchmarks/hub_load.py).",
    ).tag(config=True)

    @validate("base_url")
    def _slashes(self, proposal: Any) -> str:
        return "/" + proposal["value"].strip("/") + "/" if proposal["value"].strip("/") else "/"
