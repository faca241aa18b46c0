"""How fast a learner can answer the reference evaluation: stock Voilà against `course serve`.

Run: .venv/bin/python benchmarks/voila_load.py [--loads 12] [--crowd 20]

A throw-away copy of the project gets one learner ("Bench") and their signed link; both servers
serve the same site folder (`course.server.serve.build_site`) with the same environment
(`course.server.serve.server_env`):

- stock: `python -m voila <site> --template=lab`, Voilà's defaults;
- ours: the settings `course serve --module 02` uses (its pages preheated).

For each, Chromium (Playwright) opens `/voila/render/proteger-ses-donnees/evaluation.ipynb?cle=...`
as a first visit (a fresh browser context per load, so nothing is cached) and we measure:

- time to answerable: from navigation start (the page's `performance.timeOrigin`) until the first
  `.cq-question input` is visible and enabled, read in the page itself, so the numbers do not
  include Playwright's own latency; single loads alternate between the two servers, each on a
  quiet server (we wait until the server and its kernels are idle again);
- bytes and requests per load: the sum of CDP `Network.loadingFinished.encodedDataLength` over
  the page's HTTP requests, i.e. bytes received on the wire, response headers included and bodies
  as transferred (gzipped when the server compressed them); `data:` and `blob:` URLs move no bytes
  and are not counted; the WebSocket traffic to the kernel is not included;
- a crowd: N contexts of one browser open the page at the same moment (asyncio); median and p95.

No internet: every request to another host than the server is blocked with `page.route` and
counted (stock Voilà tries Font Awesome on a CDN; blocked at once, it delays nothing here, but on
a workshop network without internet such a request can hang the first paint).

Browsers, servers and kernels all share this machine's CPUs, so the crowd figures include 20
browsers' own work; the server's share is shown as the time until the page's HTML was complete.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import sys
import tempfile
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright
from servers import (
    CHROMIUM,
    PAGE,
    copy_project,
    free_port,
    settle,
    start,
    stop,
    tree_cpu,
    tree_pids,
    wait_ready,
)
from voila_load_report import NEVER_SECONDS, Load, fmt_mb, report

from course.access.roster import Roster
from course.settings import Project

# Records, in the page, when the first answer field can be used (visible and enabled).
ANSWERABLE_JS = """
(() => {
  const ready = (el) => el.matches(':enabled') && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const check = () => {
    if (window.__answerable !== undefined) return;
    for (const el of document.querySelectorAll('.cq-question input')) {
      if (ready(el)) { window.__answerable = performance.now(); return; }
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
  const timer = setInterval(() => { check(); if (window.__answerable !== undefined) clearInterval(timer); }, 20);
})();
"""


class Server:
    def __init__(self, name: str, project: Project, log_dir: Path):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
        # As a trainer runs it for this workshop: `course serve --module 02` (pools only).
        self.process = start(name, project, self.port, self.log, ("--template=lab",), focus=False)
        wait_ready(self.process, self.base, name, timeout=90)
        self.settle(minimum=2)

    def cpu_seconds(self) -> float:
        return tree_cpu(self.process.pid)

    def pids(self) -> set[int]:
        return tree_pids(self.process.pid)

    def settle(self, minimum: float = 1.5, limit: float = 60) -> None:
        """Wait until the server and its kernels are idle (pool refilled, kernels started)."""
        settle(self.process.pid, minimum, limit)

    def stop(self) -> None:
        stop(self.process)
        self.log.close()


async def open_page(browser, base: str, url: str, measure_bytes: bool) -> Load:
    context = await browser.new_context()
    page = await context.new_page()
    blocked: list[str] = []
    elsewhere = re.compile(r"^(?!" + re.escape(base) + r"/)(https?|wss?)://")

    async def refuse(route):
        blocked.append(route.request.url)
        await route.abort()

    await page.route(elsewhere, refuse)
    finished: dict[str, int] = {}
    urls: dict[str, str] = {}
    if measure_bytes:
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: finished.__setitem__(e["requestId"], int(e["encodedDataLength"])),
        )
    await page.add_init_script(ANSWERABLE_JS)
    try:
        await page.goto(url, wait_until="commit", timeout=180_000)
        try:
            await page.wait_for_function(
                "window.__answerable !== undefined", timeout=NEVER_SECONDS * 1000
            )
            seconds = await page.evaluate("window.__answerable") / 1000
        except PlaywrightTimeout:
            # Never answerable (e.g. stock Voilà's kernel lost its port in a burst, voila#1458's
            # sibling "Address already in use"): counted, with an infinite time.
            seconds = math.inf
        html = await page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
        if measure_bytes:
            await asyncio.sleep(1.0)  # let late requests (lazy chunks, fonts) finish
        finished = dict(finished)  # the page's own requests, not the kernel-shutdown beacon
        # Leave the page as a learner would: Voilà's front end then asks the server to stop the
        # kernel (stock Voilà's request fails, voila#1458: its kernels stay until the end).
        await page.goto("about:blank")
    finally:
        await context.close()
    http = [r for r in finished if urls.get(r, "").startswith(("http://", "https://"))]
    return Load(
        seconds=seconds,
        html_seconds=html / 1000 if html else math.inf,
        requests=len(http),
        bytes=sum(finished[r] for r in http),
        blocked=blocked,
    )


async def run(args) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="voila-load-"))
    project = Project(copy_project(tmp / "projet"))
    roster = Roster(project.data_dir)
    learner, _code = roster.add("Bench")

    def link() -> str:
        # A card link opens a session once (course.access.sessions): each fresh context gets its own.
        return f"?cle={roster.new_link(learner.id)}"

    print(f"Project copy: {tmp / 'projet'}  (server logs in {tmp})")
    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")

    names = [n for n in ("stock", "ours") if args.only in (None, n)]
    servers = {n: Server(n, project, tmp) for n in names}
    singles: dict[str, list[Load]] = {n: [] for n in names}
    crowds: dict[str, list[Load]] = {n: [] for n in names}
    loadavg: dict[str, list[float]] = {"single": [], "crowd": []}

    def browser_cpu() -> float:
        # Chromium and Playwright's driver: our descendants that are not a server's.
        return tree_cpu(os.getpid(), set().union(*(s.pids() for s in servers.values())))

    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            # One unmeasured load each (server-side imports, template compilation).
            for n in names:
                await open_page(browser, servers[n].base, servers[n].base + PAGE + link(), False)
                servers[n].settle()
            for i in range(args.loads):
                for n in names if i % 2 == 0 else names[::-1]:
                    server = servers[n]
                    b0, s0 = browser_cpu(), server.cpu_seconds()
                    load = await open_page(browser, server.base, server.base + PAGE + link(), True)
                    load.browser_cpu = browser_cpu() - b0
                    loadavg["single"].append(os.getloadavg()[0])
                    server.settle()  # includes starting the kernel that replaces the used one
                    load.server_cpu = server.cpu_seconds() - s0
                    singles[n].append(load)
                    print(
                        f"  {n:5} load {i + 1:2}: {load.seconds:5.2f} s "
                        f"(HTML {load.html_seconds:5.2f} s), {load.requests} requests, "
                        f"{fmt_mb(load.bytes)}, blocked {len(load.blocked)}, CPU browser "
                        f"{load.browser_cpu:.2f} s + server {load.server_cpu:.2f} s",
                        flush=True,
                    )
            for n in names:
                server = servers[n]
                server.settle()
                for _round in range(args.crowd_rounds):
                    urls = [server.base + PAGE + link() for _ in range(args.crowd)]
                    b0, s0 = browser_cpu(), server.cpu_seconds()
                    loads = await asyncio.gather(
                        *(open_page(browser, server.base, url, False) for url in urls)
                    )
                    bcpu = browser_cpu() - b0
                    loadavg["crowd"].append(os.getloadavg()[0])
                    server.settle()
                    scpu = server.cpu_seconds() - s0
                    for load in loads:
                        load.browser_cpu, load.server_cpu = bcpu / len(loads), scpu / len(loads)
                    crowds[n].extend(loads)
                    times = sorted(x.seconds for x in loads)
                    print(
                        f"  {n:5} crowd of {args.crowd}: "
                        + " ".join(f"{t:.1f}" for t in times)
                        + f" s; CPU browser {bcpu:.1f} s + server {scpu:.1f} s",
                        flush=True,
                    )
            await browser.close()
    finally:
        for server in servers.values():
            server.stop()

    report(names, singles, crowds, args.crowd, args.crowd_rounds, loadavg)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=12, help="single loads per server (>= 10)")
    parser.add_argument("--crowd", type=int, default=20, help="learners opening at once")
    parser.add_argument("--crowd-rounds", type=int, default=1, help="crowds per server")
    parser.add_argument("--only", choices=("stock", "ours"), help="measure one server only")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
