"""The trainer's guide of a module (`guide.md`) as a standalone page to read or print.

The page is one self-contained HTML file (no external asset), so it opens offline in any
browser and prints cleanly.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from course.content.catalogue import Module, ModuleError
from course.core.french import markdown_html

GUIDE_FILE = "guide.md"


def render_guide(module: Module) -> str:
    path = module.folder / GUIDE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ModuleError(f"{path} : le guide de l'animateur manque.") from exc
    env = Environment(
        loader=PackageLoader("course.trainer", "templates"), autoescape=select_autoescape()
    )
    body = Markup(markdown_html(text, tables=True))  # noqa: S704 (escape=True: raw HTML in the guide is escaped)
    return env.get_template("guide.html.j2").render(module=module, body=body)


def write_guide(module: Module, output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_guide(module), encoding="utf-8")
    return output
