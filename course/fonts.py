"""The one font of every PDF we make (CV, sign-in cards, attestations, results), found here.

A PDF needs a Unicode TrueType font so that "é", "œ" or "€" print as typed. We ship no font
file: DejaVu Sans is found in the folders of `FontSettings.font_dirs` (Debian and Ubuntu package
`fonts-dejavu-core`, installed by `scripts/run.sh` and `scripts/test.sh`), then anywhere under
the system's font roots. A trainer whose fonts live elsewhere sets, in `nbgrader_config.py`::

    c.FontSettings.font_dirs = ["/opt/polices/dejavu"]
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from traitlets import List, Unicode
from traitlets.config import Config, Configurable

from course.core.errors import UserError

FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}


class FontSettings(Configurable):
    """Where the PDF font is looked for; set it in nbgrader_config.py as `c.FontSettings.<name>`."""

    font_dirs = List(
        Unicode(),
        default_value=[
            "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu: fonts-dejavu-core
            "/usr/share/fonts/dejavu-sans-fonts",  # Fedora
            "/usr/share/fonts/dejavu",  # older Fedora, Alpine
            "/usr/share/fonts/TTF",  # Arch: ttf-dejavu
            "/usr/local/share/fonts",
            "~/.local/share/fonts",
            "~/.fonts",
            "/Library/Fonts",  # macOS, if installed by hand
            "~/Library/Fonts",
        ],
        help="Folders holding DejaVuSans.ttf and DejaVuSans-Bold.ttf, searched in this order.",
    ).tag(config=True)
    search_roots = List(
        Unicode(),
        default_value=["/usr/share/fonts", "/usr/local/share/fonts"],
        help="Searched below, in full, when none of `font_dirs` holds the font.",
    ).tag(config=True)


class FontNotFound(UserError):
    """No DejaVu Sans on this machine: no PDF can be made (the CV's Word file still can)."""


def find_fonts(config: Config | None = None) -> dict[str, Path]:
    """DejaVu Sans regular, bold and oblique, by fpdf2 style ("", "B", "I")."""
    settings = FontSettings(config=config) if config is not None else FontSettings()
    return _find_fonts(tuple(settings.font_dirs), tuple(settings.search_roots))


@lru_cache(maxsize=4)
def _find_fonts(font_dirs: tuple[str, ...], search_roots: tuple[str, ...]) -> dict[str, Path]:
    for folder in (Path(d).expanduser() for d in font_dirs):
        if (folder / FONT_FILES[""]).is_file() and (folder / FONT_FILES["B"]).is_file():
            return _font_set(folder)
    for root in (Path(r) for r in search_roots):
        if root.is_dir():
            for regular in sorted(root.rglob(FONT_FILES[""])):
                if (regular.parent / FONT_FILES["B"]).is_file():
                    return _font_set(regular.parent)
    raise FontNotFound(
        "La police DejaVu Sans est introuvable : les PDF ne peuvent pas être fabriqués sur cet "
        "ordinateur. Installez-la (Debian ou Ubuntu : sudo apt install fonts-dejavu-core), "
        f"ou indiquez le dossier qui contient {FONT_FILES['']} dans nbgrader_config.py : "
        'c.FontSettings.font_dirs = ["/le/dossier"].'
    )


def _font_set(folder: Path) -> dict[str, Path]:
    fonts = {style: folder / name for style, name in FONT_FILES.items()}
    if not fonts["I"].is_file():
        fonts["I"] = fonts[""]
    return fonts


@lru_cache(maxsize=4)
def _codepoints(regular: Path, bold: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    sets = []
    for path in (regular, bold):
        with TTFont(path, lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    return frozenset(sets[0] & sets[1])


def printable_codepoints(fonts: dict[str, Path]) -> frozenset[int]:
    """The characters both the regular and the bold font can draw (emoji usually cannot)."""
    return _codepoints(fonts[""], fonts["B"])
