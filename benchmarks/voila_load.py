"""How fast a learner can answer the reference evaluation: stock Voilà against `course serve`.

Run: .venv/bin/python benchmarks/voila_load.py [--loads 12] [--crowd 20]

A throw-away copy of the project gets one learner ("Bench") and their signed link; both servers
serve the same site folder (`course.trainer.serve.build_site`) with the same environment
(`course.trainer.serve.server_env`):

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
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

from course import serve
from course.identity import Roster
from course.settings import Project

REPO = Path(__file__).resolve().parents[1]
MODULE = "proteger-ses-donnees"
PAGE = f"/voila/render/{MODULE}/evaluation.ipynb"
CHROMIUM = "/usr/bin/chromium"
TARGET_SECONDS = 1.5
TARGET_BYTES = 1.5e6
TARGET_CROWD_P95 = 3.0
NEVER_SECONDS = 180  # a page not answerable by then counts as never

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


@dataclass
class Load:
    seconds: float  # navigation start -> first answer field usable
    html_seconds: float  # navigation start -> page HTML complete (server side: kernel + render)
    requests: int = 0
    bytes: int = 0
    blocked: list[str] = field(default_factory=list)
    browser_cpu: float = 0.0  # CPU seconds used by Chromium during the load
    server_cpu: float = 0.0  # CPU seconds used by Voilà and its kernels for this page view


def tree_cpu(pid: int, exclude: set[int] = frozenset()) -> float:
    """CPU seconds (user + system) used so far by a process's descendants, and itself."""
    total = 0.0
    try:
        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
    except psutil.NoSuchProcess:
        return total
    for proc in procs:
        if proc.pid in exclude:
            continue
        try:
            t = proc.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def copy_project(dest: Path) -> Path:
    """Like tests/conftest.py, but only files git knows: work in progress elsewhere stays out."""
    wanted = ["nbgrader_config.py", "modules", "assessments/source"]
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", *wanted],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.split(b"\0")
        files = [REPO / name.decode() for name in listed if name]
    except (OSError, subprocess.CalledProcessError):
        files = [p for w in wanted for p in ([REPO / w] if (REPO / w).is_file() else [])]
        files += [p for w in wanted[1:] for p in (REPO / w).rglob("*") if p.is_file()]
    for src in files:
        target = dest / src.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, project: Project, log_dir: Path):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
        if name == "stock":
            site = serve.build_site(project)
            command = [
                sys.executable,
                *("-m", "voila", str(site), "--no-browser", "--template=lab"),
                *(f"--port={self.port}", "--Voila.ip=127.0.0.1"),
            ]
            self.process = subprocess.Popen(
                command, env=serve.server_env(project), stdout=self.log, stderr=self.log
            )
        else:
            self.process = serve_start(project, self.port, self.log)
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/voila/static/voila.js", timeout=2)
                break
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"{self.name}: Voilà exited, see its log") from None
                time.sleep(0.3)
        else:
            raise SystemExit(f"{self.name}: Voilà did not start")
        self.settle(minimum=2)

    def cpu_seconds(self) -> float:
        return tree_cpu(self.process.pid)

    def pids(self) -> set[int]:
        try:
            root = psutil.Process(self.process.pid)
            return {root.pid} | {c.pid for c in root.children(recursive=True)}
        except psutil.NoSuchProcess:
            return set()

    def settle(self, minimum: float = 1.5, limit: float = 60) -> None:
        """Wait until the server and its kernels are idle (pool refilled, kernels started)."""
        time.sleep(minimum)
        deadline = time.time() + limit
        while time.time() < deadline:
            before = self.cpu_seconds()
            time.sleep(1.0)
            if self.cpu_seconds() - before < 0.05:
                return

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def serve_start(project: Project, port: int, log) -> subprocess.Popen:
    """course.trainer.serve.start, with the server's output in our log file instead of the terminal."""
    # As a trainer runs it for this workshop: `course serve --module 02`.
    pools = serve.kernel_pools(project, project.catalogue.get(MODULE))
    return serve.start(project, "127.0.0.1", port, pools=pools, stdout=log, stderr=log)


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


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]


def fmt_mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


async def run(args) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="voila-load-"))
    project = Project(copy_project(tmp / "projet"))
    roster = Roster(project.data_dir)
    learner, _code = roster.add("Bench")

    def link() -> str:
        # A card link opens a session once (course.sessions): each fresh context gets its own.
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


def report(names, singles, crowds, crowd_size, crowd_rounds, loadavg) -> None:
    def stats(loads: list[Load]) -> dict[str, float]:
        t = [x.seconds for x in loads]
        h = [x.html_seconds for x in loads]
        return {
            "median": statistics.median(t),
            "p95": p95(t),
            "html": statistics.median(h),
            "html95": p95(h),
        }

    figures = {}
    for n in names:
        s, c = stats(singles[n]), stats(crowds[n])
        figures[n] = {
            "single_median": s["median"],
            "single_p95": s["p95"],
            "single_html": s["html"],
            "bytes": statistics.median(x.bytes for x in singles[n]),
            "requests": statistics.median(x.requests for x in singles[n]),
            "blocked": statistics.median(len(x.blocked) for x in singles[n]),
            "crowd_median": c["median"],
            "crowd_p95": c["p95"],
            "crowd_html": c["html"],
            "crowd_html95": c["html95"],
            "crowd_failed": sum(1 for x in crowds[n] if math.isinf(x.seconds)) / crowd_rounds,
            "single_browser_cpu": statistics.median(x.browser_cpu for x in singles[n]),
            "single_server_cpu": statistics.median(x.server_cpu for x in singles[n]),
            "crowd_browser_cpu": sum(x.browser_cpu for x in crowds[n]),
            "crowd_server_cpu": sum(x.server_cpu for x in crowds[n]) / max(1, crowd_rounds),
        }
        figures[n]["crowd_browser_cpu"] /= max(1, crowd_rounds)
    labels = [
        ("single_median", "1 learner: time to answerable, median", "s"),
        ("single_p95", "1 learner: time to answerable, p95", "s"),
        ("single_html", "1 learner: page HTML complete, median", "s"),
        ("bytes", "1 learner: bytes transferred per load", "MB"),
        ("requests", "1 learner: HTTP requests per load", ""),
        ("blocked", "1 learner: blocked non-local requests", ""),
        ("crowd_median", f"{crowd_size} at once: time to answerable, median", "s"),
        ("crowd_p95", f"{crowd_size} at once: time to answerable, p95", "s"),
        ("crowd_html", f"{crowd_size} at once: page HTML complete, median", "s"),
        ("crowd_html95", f"{crowd_size} at once: page HTML complete, p95", "s"),
        ("crowd_failed", f"{crowd_size} at once: pages never answerable ({NEVER_SECONDS} s)", ""),
        ("single_browser_cpu", "1 learner: CPU used by Chromium", "s"),
        ("single_server_cpu", "1 learner: CPU used by Voilà + kernels", "s"),
        ("crowd_browser_cpu", f"{crowd_size} at once: CPU used by Chromium", "s"),
        ("crowd_server_cpu", f"{crowd_size} at once: CPU used by Voilà + kernels", "s"),
    ]
    n_single = len(singles[names[0]])
    print()
    print(
        f"Evaluation page {PAGE}, first visits in Chromium; {n_single} single loads per server, "
        f"{len(crowds[names[0]])} crowd loads"
    )
    header = f"{'':48}" + "".join(f"{n:>12}" for n in names)
    if len(names) == 2:
        header += f"{'ours/stock':>12}"
    print(header)
    for key, label, unit in labels:
        cells = []
        for n in names:
            v = figures[n][key]
            if unit == "MB":
                cells.append(f"{v / 1e6:>9.2f} MB")
            elif unit == "s":
                cells.append(f"{v:>10.2f} s")
            else:
                cells.append(f"{v:>12.0f}")
        line = f"{label:48}" + "".join(cells)
        if len(names) == 2:
            a, b = figures["stock"][key], figures["ours"][key]
            line += f"{b / a:>12.2f}" if a else f"{'-':>12}"
        print(line)
    print(
        f"Load average (1 min) during single loads: median {statistics.median(loadavg['single']):.1f}; "
        f"after crowds: {', '.join(f'{x:.1f}' for x in loadavg['crowd'])}"
    )
    if "ours" in figures:
        f = figures["ours"]
        print()
        print("Targets (issue 3, item 7), for ours:")
        checks = [
            (
                f"1 learner answerable in <= {TARGET_SECONDS} s (median)",
                f["single_median"] <= TARGET_SECONDS,
                f"{f['single_median']:.2f} s",
            ),
            (
                f"1 learner answerable in <= {TARGET_SECONDS} s (p95)",
                f["single_p95"] <= TARGET_SECONDS,
                f"{f['single_p95']:.2f} s",
            ),
            (
                f"<= {TARGET_BYTES / 1e6:.1f} MB per load",
                f["bytes"] <= TARGET_BYTES,
                fmt_mb(f["bytes"]),
            ),
            (
                f"{crowd_size} at once: p95 <= {TARGET_CROWD_P95} s",
                f["crowd_p95"] <= TARGET_CROWD_P95,
                f"{f['crowd_p95']:.2f} s",
            ),
            ("no request leaves the machine", f["blocked"] == 0, f"{f['blocked']:.0f} blocked"),
        ]
        for label, ok, value in checks:
            print(f"  [{'met' if ok else 'NOT met':7}] {label}: {value}")
        cores = os.cpu_count() or 1
        for n in names:
            g = figures[n]
            work = g["crowd_browser_cpu"] + g["crowd_server_cpu"]
            print(
                f"  {n}: the crowd's CPU work ({work:.0f} s, of which Voilà + kernels "
                f"{g['crowd_server_cpu']:.0f} s) takes at least {work / cores:.0f} s on "
                f"{cores} cores; the server's part alone at least "
                f"{g['crowd_server_cpu'] / cores:.0f} s"
            )
    print()
    print(json.dumps(figures, indent=None))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=12, help="single loads per server (>= 10)")
    parser.add_argument("--crowd", type=int, default=20, help="learners opening at once")
    parser.add_argument("--crowd-rounds", type=int, default=1, help="crowds per server")
    parser.add_argument("--only", choices=("stock", "ours"), help="measure one server only")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
