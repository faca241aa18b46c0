"""The serving laptop's memory with N signed-in learners on their evaluation: ours against stock
Voilà, in the same run.

Run: .venv/bin/python benchmarks/memory.py [--learners 30]

A throw-away copy of the project gets N learners, each with their own card link. For each server
(same site folder, same environment, `course.server.serve.server_env`):

- stock: `python -m voila <site>`, Voilà's defaults (a fresh kernel per page view);
- ours: what `course serve --module 02` runs (preheated pools, kernels forked from the zygote,
  `course.server.kernel_fork`).

we measure the PSS (proportional set size: shared pages are divided among the processes that
share them, so the sum is what the processes really cost the machine) of the server and all its
descendants (kernels, zygote), read from /proc/<pid>/smaps_rollup through psutil:

1. idle, once the server has settled (pools filled);
2. with N learners, each in their own Chromium context, on the evaluation of module 02 with
   every question drawn, once the server has settled again.

Chromium's own memory is not counted: in a workshop it runs on the learners' computers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from servers import (
    CHROMIUM,
    MODULE,
    PAGE,
    bench_project,
    free_port,
    pss,
    settle,
    start,
    stop,
    wait_ready,
)

from course.settings import Project


def measure(name: str, project: Project, browser, ids: list[str], log) -> tuple[float, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start(name, project, port, log)
    contexts = []
    try:
        wait_ready(process, base, name)
        settle(process.pid, minimum=3, limit=120)
        idle = pss(process.pid)
        roster = project.roster()
        for start_at in range(0, len(ids), 5):
            batch = []
            for learner_id in ids[start_at : start_at + 5]:
                context = browser.new_context()
                context.route(r"re:^(?!http://127\.0\.0\.1)(https?|wss?)://", lambda r: r.abort())
                page = context.new_page()
                page.set_default_timeout(180_000)
                page.goto(f"{base}{PAGE}?cle={roster.new_link(learner_id)}", wait_until="commit")
                contexts.append(context)
                batch.append(page)
            for page in batch:
                page.locator(".cq-question input").first.wait_for()
        settle(process.pid, minimum=3, limit=120)
        loaded = pss(process.pid)
        return idle, loaded
    finally:
        for context in contexts:
            context.close()
        stop(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="atelier-memoire-"))
    project, ids = bench_project(work, args.learners)
    results = {}
    with sync_playwright() as p, open(work / "voila.log", "wb") as log:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name in ("stock", "ours"):
            results[name] = measure(name, project, browser, ids, log)
            print(f"{name}: done", file=sys.stderr)
        browser.close()
    n = args.learners
    print(f"Serving laptop's memory (PSS of the server and its kernels), {n} signed-in learners")
    print(f"on the evaluation of « {MODULE} », {os.cpu_count()} CPUs:")
    print(f"{'':8}{'idle':>10}{f'{n} learners':>14}{'per learner':>14}")
    for name, (idle, loaded) in results.items():
        print(f"{name:8}{idle:>7.0f} MiB{loaded:>10.0f} MiB{(loaded - idle) / n:>10.1f} MiB")
    ours = results["ours"][1]
    print(f"ours with {n} learners: {ours / 1024:.2f} GiB (goal: under 1.2 GiB)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
