"""The figures of benchmarks/voila_load.py: what one page load measured, and the table of both
servers against the targets of issue 3, item 7."""

from __future__ import annotations

import json
import math
import os
import statistics
from dataclasses import dataclass, field

from servers import PAGE

TARGET_SECONDS = 1.5
TARGET_BYTES = 1.5e6
TARGET_CROWD_P95 = 3.0
NEVER_SECONDS = 180  # a page not answerable by then counts as never


@dataclass
class Load:
    seconds: float  # navigation start -> first answer field usable
    html_seconds: float  # navigation start -> page HTML complete (server side: kernel + render)
    requests: int = 0
    bytes: int = 0
    blocked: list[str] = field(default_factory=list)
    browser_cpu: float = 0.0  # CPU seconds used by Chromium during the load
    server_cpu: float = 0.0  # CPU seconds used by Voilà and its kernels for this page view


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]


def fmt_mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


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
