"""Where a forked kernel's own memory is: the zygote against its children, per mapping.

Run: .venv/bin/python benchmarks/kernel_smaps.py [--pool 2] [--learners 0]

`course serve`'s server (our Voilà, the zygote) on a throw-away copy of the project, with
`--pool` kernels preheated on module 02's evaluation (they ran its cells, as Voilà's preheat
does) and, with `--learners`, that many Chromium pages opened on it. For the zygote and for
each kind of kernel it prints /proc/<pid>/smaps_rollup (PSS, private dirty...) and, per
mapping ([heap], anonymous memory: pymalloc's arenas, libraries' data), how much of the
zygote's memory the kernel still shares and how much it has *copied* (written to, so the
system gave it its own page), read from /proc/<pid>/pagemap (physical pages: run as root).
A kernel's private memory is those copies plus what it allocated anew (issue 20).
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
from servers import CHROMIUM, MODULE, PAGE, bench_project, free_port, settle, stop, wait_ready

from course.server import serve

PAGE_SIZE = 4096
MiB = 2**20


def rollup(pid: int) -> dict[str, int]:
    """/proc/<pid>/smaps_rollup, in bytes."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            head = line.split()
            if head[0].endswith(":") and len(head) >= 2 and head[1].isdigit():
                fields[head[0][:-1]] = int(head[1]) * 1024
    return fields


def _writable_mappings(pid: int) -> list[tuple[int, int, str]]:
    found = []
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            parts = line.split()
            start, end = (int(x, 16) for x in parts[0].split("-"))
            if "w" in parts[1]:
                name = os.path.basename(parts[5]) if len(parts) > 5 else "[anon]"
                found.append((start, end, name))
    return found


def _frames(pid: int, start: int, end: int) -> list[int | None]:
    """Physical frame of each page (None: not in memory)."""
    with open(f"/proc/{pid}/pagemap", "rb") as f:
        f.seek(start // PAGE_SIZE * 8)
        data = f.read((end - start) // PAGE_SIZE * 8)
    return [v & ((1 << 55) - 1) if v >> 63 else None for (v,) in struct.iter_unpack("<Q", data)]


def shared_and_copied(zygote: int, child: int) -> dict[str, list[int]]:
    """Per mapping name: [pages the child shares with the zygote, pages it copied]."""
    pages: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for start, end, name in _writable_mappings(zygote):
        try:
            ours, theirs = _frames(zygote, start, end), _frames(child, start, end)
        except OSError:
            continue
        for mine, its in zip(ours, theirs, strict=False):  # a mapping may differ
            if mine is not None and its is not None:
                pages[name][0 if mine == its else 1] += 1
    return pages


def report(label: str, pids: list[int], zygote: int | None = None) -> None:
    if not pids:
        return
    rolls = [rollup(pid) for pid in pids]

    def mean(key: str) -> float:
        return sum(r.get(key, 0) for r in rolls) / len(rolls) / MiB

    print(
        f"{label} ({len(pids)}): PSS {mean('Pss'):.1f} MiB, private dirty "
        f"{mean('Private_Dirty'):.1f}, shared dirty {mean('Shared_Dirty'):.1f}, RSS {mean('Rss'):.1f}"
    )
    if zygote is None:
        return
    total: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for pid in pids:
        for name, (shared, copied) in shared_and_copied(zygote, pid).items():
            total[name][0] += shared * PAGE_SIZE / MiB / len(pids)
            total[name][1] += copied * PAGE_SIZE / MiB / len(pids)
    copied_all = sum(copied for _, copied in total.values())
    print(f"    copied from the zygote: {copied_all:.1f} MiB; by mapping (shared, copied):")
    for name, (shared, copied) in sorted(total.items(), key=lambda kv: -kv[1][1])[:5]:
        print(f"    {name[:40]:40} {shared:6.2f} MiB {copied:6.2f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--learners", type=int, default=0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kernel-smaps-"))
    project, ids = bench_project(work, args.learners)
    pools = {"default": {"pool_size": 0}, f"{MODULE}/evaluation.ipynb": {"pool_size": args.pool}}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    focus = project.catalogue.get(MODULE)
    with open(work / "voila.log", "wb") as log:
        process = serve.start(project, port=port, pools=pools, focus=focus, stdout=log, stderr=log)
        try:
            wait_ready(process, base, "ours")
            settle(process.pid, minimum=5, limit=120)
            zygote = next(
                child
                for child in psutil.Process(process.pid).children(recursive=True)
                if "kernel_fork" in " ".join(child.cmdline())
            )
            pooled = [child.pid for child in zygote.children()]
            report("zygote", [zygote.pid])
            report("preheated kernels", pooled, zygote.pid)
            if ids:
                with learners(base, project.roster(), ids, process.pid):
                    now = [child.pid for child in zygote.children()]
                    served = [pid for pid in now if pid in pooled]
                    report("kernels serving a learner", served, zygote.pid)
                    forked = [pid for pid in now if pid not in pooled]
                    report("kernels forked since", forked, zygote.pid)
        finally:
            stop(process)
    shutil.rmtree(work, ignore_errors=True)
    return 0


@contextmanager
def learners(base: str, roster, ids: list[str], server: int) -> Iterator[None]:
    """The evaluation open for each learner, in Chromium, its questions shown."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pages = []
        for learner_id in ids:
            page = browser.new_context().new_page()
            page.set_default_timeout(180_000)
            page.goto(f"{base}{PAGE}?cle={roster.new_link(learner_id)}")
            pages.append(page)
        for page in pages:
            page.locator(".cq-question input").first.wait_for()
        settle(server, minimum=3, limit=120)
        try:
            yield
        finally:
            browser.close()


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("(not root: /proc/<pid>/pagemap hides physical pages)", file=sys.stderr)
    raise SystemExit(main())
