"""Two sites on one JupyterHub, N learners each signing in and opening module 02's evaluation at
once, then answering: what it costs, and the same learners on one Voilà server each.

Run: .venv/bin/python benchmarks/hub_load.py [--learners 30]

- **hub**: `course hub start` (tests/support/hub.py: a hub folder on free ports, HTTPS with a
  certificate made for 127.0.0.1, the hub's and every site's databases on a PostgreSQL server
  started for the run, as a département's hub has them; `--sqlite`: SQLite files instead) with
  two sites copied from this project, module 02
  released in both, N learners enrolled in each. Every learner has a fresh Chromium context (five
  per Chromium process, `--pages-per-browser`) that
  opens the evaluation's address, is sent to the hub's French sign-in, chooses the site, types
  first name and code, and comes back through the hub's OAuth to the page; all at once. Measured:
  from the click on « Entrer » until the first answer field is usable (`.cq-question input`,
  visible and enabled), then one answer clicked and its « enregistrée à » seen.
- **one server per learner**: what a hub of single-user servers would run: one stock Voilà per
  learner (`benchmarks/servers.py`), each learner opening their card's link.

Printed: PSS (MiB) of everything each setup runs, by part (hub, proxy, site servers,
coordination, kernel zygotes, kernels, PostgreSQL), read from /proc/<pid>/smaps_rollup, with the number of processes: once the hub is up
and idle (preheated pools filled), then while every page is open; the total per 30 learners and
against one server per learner; the median and 95th percentile seconds to an answerable page,
and where that time went (sign-in at the hub, the page's HTML, the page's widgets); errors; the
load average. Browsers share this machine's CPUs with the servers (`--processes`: every process
with its PSS and private dirty memory).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from servers import CHROMIUM, MODULE, copy_project, free_port, settle, start, stop, wait_ready

PAGE = f"voila/render/{MODULE}/evaluation.ipynb"
ANSWERABLE = """() => [...document.querySelectorAll('.cq-question input')].some((el) =>
  el.matches(':enabled') && el.getClientRects().length > 0)"""
SAVED = ".cq-question .cq-saved"
PARTS = ("hub", "proxy", "site servers", "coordination", "zygotes", "kernels", "postgresql")
PARTS += ("other",)
# Sixty pages opening at once on two shared cores take minutes: a timeout is an error counted
# against the setup, so the wait is long and the times say how long it really was.
PATIENCE_MS = 900_000
# Learners each have their own computer and browser: the crowd is spread over several Chromium
# processes (`--pages-per-browser`). Sixty pages in one Chromium (2 cores, the hub beside it):
# 59 of 60 never became answerable, most with no request pending and no kernel socket ever
# opened; ten pages per Chromium, under other load: 23 errors (issue 20's notes). Five per
# Chromium keeps the browsers of both halves (60 stock Voilà servers) inside 24 GiB.
PAGES_PER_BROWSER = 5
PER = 30  # the goal: ≤ 1.2 GiB PSS per 30 learners with an open page
# What each phase of a learner's arrival waits for, from the click on « Entrer »: the hub's
# sign-in answered, the page's first bytes (its head and « loading » note: what she sees
# first, after the hub's OAuth round trips), the page's HTML received whole (after the
# kernel's execution), and the page answerable (front end and widgets).
PHASES = ("connexion au hub", "page commencée", "page reçue", "prête à répondre")


def part_of(process: psutil.Process) -> str:
    """Which part of the setup a process is, from its command line and its parent's."""
    try:
        command = " ".join(process.cmdline())
        parent = " ".join(process.parent().cmdline()) if process.parent() else ""
    except psutil.Error:
        return "other"
    if "postgres" in command or "postgres" in process.name():
        return "postgresql"
    if "kernel_fork" in command:
        return "kernels" if "kernel_fork" in parent else "zygotes"
    if "ipykernel" in command:
        return "kernels"
    if "proxy" in command:
        return "proxy"
    if "--hub-coordination" in command:
        return "coordination"
    if "course.server.launcher" in command or " serve " in f"{command} " or "voila" in command:
        return "site servers"
    if "jupyterhub" in command or " hub " in f"{command} ":
        return "hub"
    return "other"


def smaps(pid: int) -> dict[str, float]:
    """/proc/<pid>/smaps_rollup in MiB (Pss, Private_Dirty…); empty if the process is gone."""
    found: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                fields = line.split()
                if len(fields) == 3 and fields[2] == "kB":
                    found[fields[0].rstrip(":")] = int(fields[1]) / 1024
    except OSError:
        pass
    return found


def processes(pids: list[int]) -> list[psutil.Process]:
    """These process trees, each process once."""
    found: dict[int, psutil.Process] = {}
    for pid in pids:
        try:
            root = psutil.Process(pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for process in tree:
            found.setdefault(process.pid, process)
    return list(found.values())


def pss_by_part(pids: list[int], show: bool = False) -> dict[str, tuple[float, int]]:
    """PSS (MiB) and number of processes of these process trees, by part; `show`: print every
    process (PSS, private dirty memory, command)."""
    totals = dict.fromkeys(PARTS, (0.0, 0))
    for process in processes(pids):
        memory = smaps(process.pid)
        if not memory:
            continue
        part = part_of(process)
        pss, count = totals[part]
        totals[part] = (pss + memory.get("Pss", 0), count + 1)
        if show:
            try:
                command = " ".join(process.cmdline())[-90:]
            except psutil.Error:
                command = "?"
            print(
                f"    {process.pid:>7} {part:<13} PSS {memory.get('Pss', 0):6.1f}  "
                f"privé modifié {memory.get('Private_Dirty', 0):6.1f}  {command}"
            )
    return totals


def total(pss: dict[str, tuple[float, int]]) -> float:
    return sum(mib for mib, _count in pss.values())


async def learner_at_hub(browser, hub_url: str, site: str, name: str, code: str) -> Opened:
    """Sign in at the hub, reach the page, answer once: seconds from « Entrer » to the end of
    each of `PHASES`, and the browser context, still open (`crowd` closes it)."""
    context = await browser.new_context(ignore_https_errors=True, locale="fr-FR")
    context.set_default_timeout(PATIENCE_MS // 3)
    try:
        page = await context.new_page()
        await page.goto(f"{hub_url}/services/site-{site}/{PAGE}", timeout=PATIENCE_MS)
        await page.get_by_label("Mon lieu d'atelier").select_option(site)
        await page.get_by_label("Mon prénom").fill(name)
        await page.get_by_label("Mon code (sur ma carte)").fill(code)
        marks: dict[str, float] = {}

        def finished(request) -> None:
            url = request.url.split("?")[0]
            if request.method == "POST" and url.endswith("/hub/login"):
                marks.setdefault(PHASES[0], time.monotonic())
            elif url.endswith(PAGE):
                marks.setdefault(PHASES[2], time.monotonic())

        def started(response) -> None:
            if response.url.split("?")[0].endswith(PAGE) and response.status == 200:
                marks.setdefault(PHASES[1], time.monotonic())

        page.on("requestfinished", finished)
        page.on("response", started)
        seen = watch(page)
        start = time.monotonic()
        # The click waits for the page it leads to: the whole of it, through the proxy.
        await page.get_by_role("button", name="Entrer").click(timeout=PATIENCE_MS)
        answerable = await answer(page, start, seen)
        return [marks.get(p, start) - start for p in PHASES[:3]] + [answerable], context
    except BaseException:
        await context.close()
        raise


async def learner_alone(browser, url: str) -> Opened:
    context = await browser.new_context(locale="fr-FR")
    context.set_default_timeout(PATIENCE_MS // 3)
    try:
        page = await context.new_page()
        marks: dict[str, float] = {}

        def mark(event: str, name: str) -> None:
            # The page's first bytes (« response ») and its end (« requestfinished »).
            def at(item) -> None:
                if item.url.split("?")[0].endswith(PAGE):
                    marks.setdefault(name, time.monotonic())

            page.on(event, at)

        mark("response", "start")
        mark("requestfinished", "page")
        seen = watch(page)
        start = time.monotonic()
        await page.goto(url, timeout=PATIENCE_MS)
        answerable = await answer(page, start, seen)
        seconds = [marks.get(k, start) - start for k in ("start", "page")]
        return [0.0, *seconds, answerable], context
    except BaseException:
        await context.close()
        raise


# A learner's seconds (`PHASES`) and her browser context, left open until PSS is read.
Opened = tuple[list[float], Any]


class NeverAnswerable(Exception):
    """A page that did not become answerable, with what it showed and what its sockets did:
    at 60 learners most pages never did, and the timeout alone said nothing of why."""


def watch(page) -> dict[str, list[str]]:
    """What a page's kernel sockets, console and requests say while it loads: requests still
    waiting for their answer, failed ones, and answers of 400 or more."""
    seen: dict[str, list[str]] = {"sockets": [], "console": [], "failed": [], "refused": []}
    pending: dict[object, str] = {}
    seen["pending"] = pending  # type: ignore[assignment]

    def short(url: str) -> str:
        return url.split("?")[0].split("/services/", 1)[-1][-70:]

    page.on("request", lambda request: pending.__setitem__(request, short(request.url)))
    page.on("requestfinished", lambda request: pending.pop(request, None))

    def failed(request) -> None:
        pending.pop(request, None)
        seen["failed"].append(f"{short(request.url)} {request.failure}")

    def answered(response) -> None:
        if response.status >= 400:
            seen["refused"].append(f"{response.status} {short(response.url)}")
        elif "/api/kernels/" in response.url and "/channels" not in response.url:
            # Voilà's widget manager asks the kernel's model first, and without it stops
            # silently: no socket, no error (widgets-manager8's `activate`).
            seen["console"].append(f"modèle du noyau : {response.status}")

    page.on("requestfailed", failed)
    page.on("response", answered)

    seen["frames"] = []

    def frame(direction: str):
        # The Jupyter message type of each kernel frame (the header's comes first), to tell an
        # answer never sent from one sent and never confirmed.
        def at(payload: str | bytes) -> None:
            data = payload if isinstance(payload, bytes) else payload.encode()
            kind = re.search(rb'"msg_type":\s*"([a-z_]+)"', data)
            name = kind.group(1).decode() if kind else "?"
            seen["frames"].append(f"{direction}{name}@{time.monotonic():.0f}")

        return at

    def socket(ws) -> None:
        name = ws.url.split("/")[-2][:8] if "/channels" in ws.url else ws.url[-30:]
        seen["sockets"].append(f"ouvert {name} {time.monotonic():.0f}")
        ws.on("framesent", frame(">"))
        ws.on("framereceived", frame("<"))
        ws.on("close", lambda _ws: seen["sockets"].append(f"fermé {name} {time.monotonic():.0f}"))
        ws.on("socketerror", lambda error: seen["sockets"].append(f"erreur {name} {error}"))

    page.on("websocket", socket)
    page.on("pageerror", lambda error: seen["console"].append(f"exception : {str(error)[:120]}"))
    page.on(
        "console",
        lambda message: (
            seen["console"].append(f"{message.type}: {message.text[:120]}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    return seen


# A page never drawn: did its HTML come whole (the kernel's id, the cells' outputs, Voilà's
# scripts at its end), and how it ends. One page of 60 stayed blank with no kernel socket.
DOCUMENT_STATE = """() => {
  const html = document.documentElement.outerHTML;
  return JSON.stringify({
    ready: document.readyState,
    config: !!document.getElementById('jupyter-config-data'),
    outputs: document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]').length,
    scripts: document.querySelectorAll('script[src]').length,
    resources: performance.getEntriesByType('resource').length,
    length: html.length,
    end: html.slice(-160).replace(/\\s+/g, ' '),
  });
}"""


async def answer(page, start: float, seen: dict[str, list[str]]) -> float:
    try:
        await page.wait_for_function(ANSWERABLE, timeout=PATIENCE_MS)
    except Exception as error:
        try:
            shown = " ".join((await page.inner_text("body", timeout=5000)).split())[:200]
        except Exception:
            shown = "?"
        waiting = list(seen["pending"].values())  # type: ignore[attr-defined]
        try:
            document = await page.evaluate(DOCUMENT_STATE)
        except Exception:
            document = "?"
        raise NeverAnswerable(
            f"{error!r}; page : {shown!r}; document : {document}; sockets : {seen['sockets'][-6:]}; "
            f"console : {seen['console'][-4:]}; en attente ({len(waiting)}) : {waiting[-5:]}; "
            f"échouées : {seen['failed'][-5:]}; refusées : {seen['refused'][-5:]}"
        ) from error
    seconds = time.monotonic() - start
    clicked = len(seen["frames"])
    await page.locator(".cq-question input").first.click()
    try:
        await (
            page.locator(SAVED)
            .filter(has_text="enregistrée à")
            .first.wait_for(timeout=PATIENCE_MS // 3)
        )
    except Exception as error:
        try:
            said = await page.locator(SAVED).first.inner_text(timeout=5000)
            first = await page.locator(".cq-question").first.get_attribute("data-question")
            twins = await page.locator(f"[data-question='{first}']").count()
            said += f" ({twins} × {first})"
        except Exception:
            said = "?"
        raise NeverAnswerable(
            f"réponse jamais enregistrée ({error.__class__.__name__}); la question dit "
            f"{said!r}; sockets : "
            f"{seen['sockets'][-6:]}; console : {seen['console'][-4:]}; messages du noyau "
            f"avant le clic : {seen['frames'][max(0, clicked - 6) : clicked]}, après : "
            f"{seen['frames'][clicked:][:12]}"
        ) from error
    return seconds


async def crowd(jobs, measure):
    """Run every learner at once; PSS read while the pages are open: every learner keeps her
    page until all have answered (each used to close hers at once, so the figures « pages
    ouvertes » were read once every page had closed)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        count = max(1, -(-len(jobs) // PAGES_PER_BROWSER))
        browsers = [
            await playwright.chromium.launch(executable_path=CHROMIUM) for _ in range(count)
        ]
        tasks = [asyncio.create_task(job(browsers[i % count])) for i, job in enumerate(jobs)]
        done = await asyncio.gather(*tasks, return_exceptions=True)
        measured = measure()
        for opened in done:
            if isinstance(opened, tuple):
                await opened[1].close()
        for browser in browsers:
            await browser.close()
    times = [t[0] for t in done if isinstance(t, tuple)]
    errors = [e for e in done if not isinstance(e, tuple)]
    for error in errors[:3]:
        print(f"  erreur : {error}"[:1500], file=sys.stderr)
    kinds: dict[str, int] = {}
    for error in errors:
        kind = str(error).split(";")[0].split("\n")[0][:90]
        kinds[kind] = kinds.get(kind, 0) + 1
    for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
        print(f"  {count} × {kind}", file=sys.stderr)
    return times, len(errors), measured, os.getloadavg()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if values else 0


def report(title: str, learners: int, times, errors: int, pss, idle, load) -> None:
    print(f"\n== {title} ({learners} apprenants) ==")
    print(f"  PSS (MiB)          {'au repos':>14} {'pages ouvertes':>18}")
    for part in PARTS:
        (mib, count), (idle_mib, idle_count) = pss[part], idle[part]
        if count or idle_count:
            print(f"  {part:<16} {idle_mib:8.0f} ({idle_count:>3}) {mib:11.0f} ({count:>3})")
    whole = total(pss)
    print(f"  {'total':<16} {total(idle):8.0f}       {whole:11.0f}")
    print(
        f"  par {PER} apprenants : {whole * PER / learners:.0f} MiB "
        f"({whole * PER / learners / 1024:.2f} Gio ; objectif ≤ 1,2 Gio)"
    )
    if learners and idle:
        print(f"  par page ouverte, au-delà du repos : {(whole - total(idle)) / learners:.1f} MiB")
    if times:
        for n, phase in enumerate(PHASES):
            phase_times = [t[n] for t in times]
            if any(phase_times):
                print(
                    f"  {phase:<18} médiane {statistics.median(phase_times):5.1f} s, "
                    f"p95 {p95(phase_times):5.1f} s"
                )
    print(f"  erreurs : {errors}")
    print(f"  charge de la machine (1, 5, 15 min) : {', '.join(f'{x:.1f}' for x in load)}")


def hub_run(folder: Path, source: Path, learners: int, show: bool, sqlite: bool) -> dict:
    if sqlite:
        return hub_on(folder, source, learners, show, None)
    from coordinator_support import Postgres

    postgres = Postgres()
    try:
        return hub_on(folder, source, learners, show, postgres)
    finally:
        postgres.stop()


def postmaster(postgres) -> list[int]:
    """The PostgreSQL server's main process (its backends are its children)."""
    if postgres is None:
        return []
    return [int((postgres.data / "postmaster.pid").read_text().split()[0])]


def hub_on(folder: Path, source: Path, learners: int, show: bool, postgres) -> dict:
    from support.hub import make_hub, running_hub

    from course.hub import layout
    from course.hub.settings import load
    from course.settings import Project
    from course.trainer.workflow import release

    db_url = postgres.create_database("reseau") if postgres is not None else ""
    hub_dir = make_hub(folder / "hub", sites={"a": [], "b": []}, source=source, db_url=db_url)
    people: list[tuple[str, str, str]] = []
    for slug in ("a", "b"):
        project = Project(layout.site_dir(hub_dir, slug))
        release(project, project.catalogue.get(MODULE))
        roster = project.roster()
        people += [(slug, f"Personne{n}", roster.add(f"Personne{n}")[1]) for n in range(learners)]
    with running_hub(hub_dir, timeout=900) as hub:
        for site in load(hub_dir).sites:  # every site's service up, then its pools filled
            wait_service(f"http://127.0.0.1:{site.port}/")
        settle(hub.process.pid, minimum=5, limit=300)
        pids = [hub.process.pid, *postmaster(postgres)]
        idle = pss_by_part(pids, show)
        jobs = [
            (lambda b, s=s, n=n, c=c: learner_at_hub(b, hub.url, s, n, c)) for s, n, c in people
        ]
        times, errors, pss, load = asyncio.run(crowd(jobs, lambda: pss_by_part(pids, show)))
    return {"times": times, "errors": errors, "pss": pss, "idle": idle, "load": load}


def wait_service(url: str, timeout: float = 600) -> None:
    """Until a site's service answers on its own port (any HTTP status: Voilà listens)."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(1)
    raise SystemExit(f"{url}: the site's service did not start")


def alone_run(folder: Path, learners: int, show: bool) -> dict:
    """One stock Voilà per learner (what a hub of single-user servers runs: no pools, no shared
    zygote), each learner opening their card's link."""
    from course.settings import Project
    from course.trainer.workflow import release

    project = Project(copy_project(folder / "seul"))
    release(project, project.catalogue.get(MODULE))
    roster = project.roster()
    servers, jobs = [], []
    log = (folder / "seul.log").open("wb")
    try:
        for n in range(2 * learners):
            learner, _code = roster.add(f"Personne{n}")
            port = free_port()
            servers.append((start("stock", project, port, log), f"http://127.0.0.1:{port}"))
            url = f"http://127.0.0.1:{port}/{PAGE}?cle={roster.new_link(learner.id)}"
            jobs.append(lambda b, url=url: learner_alone(b, url))
        for process, base in servers:
            wait_ready(process, base, "un Voilà par apprenant", timeout=900)
        pids = [process.pid for process, _base in servers]
        for pid in pids:
            settle(pid, minimum=0, limit=60)
        idle = pss_by_part(pids)
        times, errors, pss, load = asyncio.run(crowd(jobs, lambda: pss_by_part(pids, show)))
    finally:
        for process, _base in servers:
            stop(process)
        log.close()
    return {"times": times, "errors": errors, "pss": pss, "idle": idle, "load": load}


def main() -> int:
    global PATIENCE_MS, PAGES_PER_BROWSER
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30, help="learners per site (default 30)")
    parser.add_argument("--hub-only", action="store_true", help="skip one server per learner")
    parser.add_argument("--processes", action="store_true", help="print every process")
    parser.add_argument("--sqlite", action="store_true", help="SQLite files, no PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the folders and logs")
    parser.add_argument(
        "--pages-per-browser",
        type=int,
        default=PAGES_PER_BROWSER,
        help=f"learners per Chromium process (default {PAGES_PER_BROWSER})",
    )
    parser.add_argument(
        "--patience", type=float, default=PATIENCE_MS / 60_000, help="minutes a page may take"
    )
    args = parser.parse_args()
    PATIENCE_MS = int(args.patience * 60_000)
    PAGES_PER_BROWSER = max(1, args.pages_per_browser)
    databases = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"{2 * args.learners} apprenants (2 sites × {args.learners}), {os.cpu_count()} CPU,")
    print(f"bases du hub et des sites : {databases}")
    with tempfile.TemporaryDirectory(prefix="hub-load-") as tmp:
        folder = Path(tempfile.mkdtemp(prefix="hub-load-kept-") if args.keep else tmp)
        if args.keep:
            print(f"dossiers et journaux gardés : {folder}")
        source = copy_project(folder / "source")
        hub = hub_run(folder, source, args.learners, args.processes, args.sqlite)
        report("Hub : un Voilà par site", 2 * args.learners, **hub)
        sys.stdout.flush()  # the hub's figures are out before the long second half
        alone = None if args.hub_only else alone_run(folder, args.learners, args.processes)
        if alone is not None:
            report("Un Voilà par apprenant", 2 * args.learners, **alone)
            ratio = total(hub["pss"]) / total(alone["pss"])
            print(f"\nHub / un Voilà par apprenant (PSS, pages ouvertes) : {ratio:.2f}")
            hub_times = [t[-1] for t in hub["times"]]
            alone_times = [t[-1] for t in alone["times"]]
            if hub_times and alone_times:
                slower = statistics.median(hub_times) / statistics.median(alone_times)
                print(f"Hub / un Voilà par apprenant (médiane, prêt à répondre) : {slower:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
