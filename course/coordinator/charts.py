"""Charts drawn here, as inline SVG: no JavaScript library, no CDN, nothing to download.

A chart is horizontal bars, one per line, each with its label above it and its value written
after it, so colour never carries the meaning alone. The SVG is `role="img"` named by the
figure's caption; the page puts the same figures in a table right under it (the text
alternative). Only presentation attributes are used (no `style`), which the spaces' Content
Security Policy allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 900  # drawn at page width: text stays near the page's own size
ROW = 50
BAR_HEIGHT = 18
INK = "#1a1a1a"
BAR = "#004f9e"
TRACK = "#d9dde2"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing to show yet
    text: str  # the value as written beside the bar (« 75 % », « 12 h »)


def bar_chart(caption_id: str, bars: list[Bar], maximum: float | None = None) -> Markup:
    """The SVG of `bars`, scaled to `maximum` (default: the largest value)."""
    top = maximum or max((b.value or 0 for b in bars), default=0) or 1
    height = ROW * len(bars) + 8
    label_room = 90  # room kept right of the longest bar for its value
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{escape(caption_id)}"'
        f' viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet"'
        ' focusable="false">'
    ]
    for n, bar in enumerate(bars):
        y = n * ROW
        parts.append(
            f'<text x="0" y="{y + 18}" font-size="16" fill="{INK}">{escape(bar.label)}</text>'
        )
        span = WIDTH - label_room
        parts.append(
            f'<rect x="0" y="{y + 26}" width="{span}" height="{BAR_HEIGHT}" fill="{TRACK}"/>'
        )
        length = 0.0 if not bar.value else max(2.0, span * min(bar.value, top) / top)
        if length:
            parts.append(
                f'<rect x="0" y="{y + 26}" width="{length:.1f}" height="{BAR_HEIGHT}"'
                f' fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{span + 8}" y="{y + 41}" font-size="16" font-weight="bold" fill="{INK}">'
            f"{escape(bar.text)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
