"""Two sites on one JupyterHub, N learners each signing in and opening module 02's evaluation at
once, then answering: what it costs, and the same learners on one Voilà server each.

Run: .venv/bin/python benchmarks/hub_load.py [--learners 30]

- **hub**: `course hub start` (tests/support/hub.py: a hub folder on free ports, HTTPS with a
  certificate made for 127.0.0.1, SQLite) with two sites copied from this project, module 02
  released in both, N learners enrolled in each. Every learner has a fresh Chromium context that
  opens the evaluation's address, is sent to the hub's French sign-in, chooses the site, types
  first name and code, and comes back through the hub's OAuth to the page; all at once. Measured:
  from the click on « Entrer » until the first answer field is usable (`.cq-question input`,
  visible and enabled), then one answer clicked and its « enregistrée à » seen.
- **one server per learner**: what a hub of single-user servers would run: one stock Voilà per
  learner (`benchmarks/servers.py`), each learner opening their card's link.

Printed: PSS (MiB) of everything each setup runs, by part (hub, proxy, site services, kernel
zygotes, kernels; PostgreSQL is not used here: the hub and the sites keep SQLite), read from
/proc/<pid>/smaps_rollup while every page is open; median and 95th percentile seconds to an
answerable page; errors. Browsers share this machine's CPUs with the servers.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from servers import CHROMIUM, MODULE, MiB, copy_project, free_port, start, stop, wait_ready

PAGE = f"voila/render/{MODULE}/evaluation.ipynb"
ANSWERABLE = """() => [...document.querySelectorAll('.cq-question input')].some((el) =>
  el.matches(':enabled') && el.getClientRects().length > 0)"""
SAVED = ".cq-question .cq-saved"
PARTS = ("hub", "proxy", "site services", "zygotes", "kernels", "other")


def part_of(process: psutil.Process) -> str:
    """Which part of the setup a process is, from its command line and its parent's."""
    try:
        command = " ".join(process.cmdline())
        parent = " ".join(process.parent().cmdline()) if process.parent() else ""
    except psutil.Error:
        return "other"
    if "kernel_fork" in command:
        return "kernels" if "kernel_fork" in parent else "zygotes"
    if "ipykernel" in command:
        return "kernels"
    if "proxy" in command:
        return "proxy"
    if "course.server.launcher" in command or " serve " in f"{command} " or "voila" in command:
        return "site services"
    if "jupyterhub" in command or " hub " in f"{command} ":
        return "hub"
    return "other"


def pss_by_part(pids: list[int]) -> dict[str, float]:
    """PSS (MiB) of these process trees, by part (`/proc/<pid>/smaps_rollup`, through psutil)."""
    totals = dict.fromkeys(PARTS, 0.0)
    seen: set[int] = set()
    for pid in pids:
        try:
            root = psutil.Process(pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for process in tree:
            if process.pid in seen:
                continue
            seen.add(process.pid)
            try:
                totals[part_of(process)] += process.memory_full_info().pss / MiB
            except psutil.Error:
                pass
    return totals


async def learner_at_hub(browser, hub_url: str, site: str, name: str, code: str) -> float:
    """Sign in at the hub, reach the page, answer once: seconds from « Entrer » to answerable."""
    context = await browser.new_context(ignore_https_errors=True, locale="fr-FR")
    try:
        page = await context.new_page()
        await page.goto(f"{hub_url}/services/site-{site}/{PAGE}", timeout=300_000)
        await page.get_by_label("Mon lieu d'atelier").select_option(site)
        await page.get_by_label("Mon prénom").fill(name)
        await page.get_by_label("Mon code (sur ma carte)").fill(code)
        start = time.monotonic()
        await page.get_by_role("button", name="Entrer").click()
        return await answer(page, start)
    finally:
        await context.close()


async def learner_alone(browser, url: str) -> float:
    context = await browser.new_context(locale="fr-FR")
    try:
        page = await context.new_page()
        start = time.monotonic()
        await page.goto(url, timeout=300_000)
        return await answer(page, start)
    finally:
        await context.close()


async def answer(page, start: float) -> float:
    await page.wait_for_function(ANSWERABLE, timeout=300_000)
    seconds = time.monotonic() - start
    await page.locator(".cq-question input").first.click()
    await page.locator(SAVED).filter(has_text="enregistrée à").first.wait_for(timeout=120_000)
    return seconds


async def crowd(jobs, measure_pids) -> tuple[list[float], int, dict[str, float]]:
    """Run every learner at once; PSS read while the pages are open (before they close)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM)
        tasks = [asyncio.create_task(job(browser)) for job in jobs]
        done = await asyncio.gather(*tasks, return_exceptions=True)
        await browser.close()
    times = [t for t in done if isinstance(t, float)]
    errors = [e for e in done if not isinstance(e, float)]
    for error in errors[:3]:
        print(f"  erreur : {error!r}"[:300], file=sys.stderr)
    return times, len(errors), measure_pids()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if values else 0


def report(title: str, learners: int, times: list[float], errors: int, pss: dict[str, float]):
    print(f"\n== {title} ({learners} apprenants) ==")
    for part in PARTS:
        if pss[part]:
            print(f"  PSS {part:<14} {pss[part]:8.0f} MiB")
    print(f"  PSS total          {sum(pss.values()):8.0f} MiB")
    if times:
        print(
            f"  prêt à répondre : médiane {statistics.median(times):.1f} s, p95 {p95(times):.1f} s"
        )
    print(f"  erreurs : {errors}")


def hub_run(folder: Path, source: Path, learners: int) -> dict:
    from support.hub import make_hub, running_hub

    from course.hub import layout
    from course.settings import Project
    from course.trainer.workflow import release

    hub_dir = make_hub(folder / "hub", sites={"a": [], "b": []}, source=source)
    people: list[tuple[str, str, str]] = []
    for slug in ("a", "b"):
        project = Project(layout.site_dir(hub_dir, slug))
        release(project, project.catalogue.get(MODULE))
        roster = project.roster()
        people += [(slug, f"Personne{n}", roster.add(f"Personne{n}")[1]) for n in range(learners)]
    with running_hub(hub_dir, timeout=900) as hub:
        jobs = [
            (lambda b, s=s, n=n, c=c: learner_at_hub(b, hub.url, s, n, c)) for s, n, c in people
        ]
        times, errors, pss = asyncio.run(crowd(jobs, lambda: pss_by_part([hub.process.pid])))
    return {"times": times, "errors": errors, "pss": pss}


def alone_run(folder: Path, learners: int) -> dict:
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
        times, errors, pss = asyncio.run(crowd(jobs, lambda: pss_by_part(pids)))
    finally:
        for process, _base in servers:
            stop(process)
        log.close()
    return {"times": times, "errors": errors, "pss": pss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30, help="learners per site (default 30)")
    parser.add_argument("--hub-only", action="store_true", help="skip one server per learner")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hub-load-") as tmp:
        folder = Path(tmp)
        source = copy_project(folder / "source")
        hub = hub_run(folder, source, args.learners)
        report("Hub : un Voilà par site", 2 * args.learners, **hub)
        if not args.hub_only:
            alone = alone_run(folder, args.learners)
            report("Un Voilà par apprenant", 2 * args.learners, **alone)
    return 0


if __name__ == "__main__":
    sys.exit(main())
