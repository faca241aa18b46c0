"""Sign-in cards for the group: one card per learner with the first name, the code, the personal
link and its QR code, printed from a PDF (fpdf2, DejaVu font, made on this machine).

Codes are stored hashed (`course.access.roster`), so a card can show a code only right after it was
made: when learners are added (`course learners add --cards`), or when new codes replace the
old ones (`course cards --reset-codes`). Without a code a card still carries the personal link,
which is enough to come in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from course.access.roster import TOKEN_PARAM, Learner, Roster
from course.core.errors import UserError
from course.core.files import private_write
from course.fonts import FAMILY, FontNotFound, find_fonts
from course.settings import Project

DEFAULT_URL = "http://127.0.0.1:8866"
# A4 portrait, 2 x 4 cards of 95 x 68 mm (a business card is 85 x 55).
COLUMNS, ROWS = 2, 4
CARD_W, CARD_H = 95.0, 68.0
MARGIN_X, MARGIN_Y = (210 - COLUMNS * CARD_W) / 2, (297 - ROWS * CARD_H) / 2
QR_SIZE = 30.0


class CardsError(UserError):
    """The cards cannot be made; the message is French, for the trainer."""


@dataclass(frozen=True)
class Card:
    learner: Learner
    code: str | None  # None: the code is only stored hashed and was not renewed
    link: str
    address: str = ""  # the room's address, short ("192.168.1.20:8866"), printed large


def short_address(url: str) -> str:
    """ "http://192.168.1.20:8866" -> "192.168.1.20:8866": what a learner types. An HTTPS
    address keeps its "https://" (`course serve --self-signed`): typed without it, a browser
    asks in plain HTTP, which that server does not answer."""
    return url.removeprefix("http://").rstrip("/")


def is_loopback(address: str) -> bool:
    """An address only this computer can open (« 127.0.0.1:8866 »): the server was started
    without `--host 0.0.0.0`; the group page and the cards say so."""
    host = short_address(address).rpartition(":")[0] or short_address(address)
    return host.startswith("127.") or host in ("localhost", "[::1]")


def personal_link(base_url: str, token: str) -> str:
    """The address a learner opens (or scans): the home page with their signed key."""
    return f"{base_url.rstrip('/')}/?{TOKEN_PARAM}={token}"


def spaced(code: str) -> str:
    """ "487577" -> "487 577": easier to read aloud and to copy (spaces are ignored)."""
    return " ".join(code[i : i + 3] for i in range(0, len(code), 3))


def make_cards(
    roster: Roster,
    learners: list[Learner],
    codes: dict[str, str],
    base_url: str = DEFAULT_URL,
    address: str = "",
) -> list[Card]:
    """One card per learner; `codes` maps learner ids to the codes just made (if any);
    `address`: the room's address to print large (what a learner types in the browser)."""
    return [
        Card(
            learner,
            codes.get(learner.id),
            personal_link(base_url, roster.token(learner.id)),
            address,
        )
        for learner in learners
    ]


def select(roster: Roster, refs: list[str] | tuple[str, ...] = ()) -> list[Learner]:
    """The learners named by id or first name (all of them when `refs` is empty)."""
    from course.access.roster import slugify

    everyone = roster.learners()
    if not refs:
        return everyone
    chosen = []
    for ref in refs:
        found = [lr for lr in everyone if lr.id == ref or slugify(lr.name) == slugify(ref)]
        if not found:
            raise CardsError(f"Aucun apprenant ne s'appelle « {ref} ».")
        chosen += [lr for lr in found if lr not in chosen]
    return chosen


def reset_codes(roster: Roster, learners: list[Learner]) -> dict[str, str]:
    """New codes for these learners (the old ones stop working); returns id -> code."""
    return {learner.id: roster.set_code(learner.id) for learner in learners}


def qr_png(text: str) -> io.BytesIO:
    import segno

    buffer = io.BytesIO()
    # Medium error correction survives a crease; a 4-module quiet zone as the standard asks.
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=4)
    buffer.seek(0)
    return buffer


def cards_pdf(cards: list[Card], title: str, fonts: dict[str, Path] | None = None) -> bytes:
    """The cards as an A4 PDF, 8 per page, with dashed lines to cut along.

    `fonts`: `course.fonts.find_fonts(project.config)`; the default folders' otherwise.
    """
    from fpdf import FPDF

    if not cards:
        raise CardsError("Aucun apprenant : ajoutez-en avec « course learners add ».")
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_title(f"Cartes de connexion - {title}")
    pdf.set_lang("fr-FR")
    try:
        fonts = fonts or find_fonts()
    except FontNotFound as exc:
        raise CardsError(str(exc)) from exc
    for style, path in fonts.items():
        pdf.add_font(FAMILY, style, str(path))
    for index, card in enumerate(cards):
        slot = index % (COLUMNS * ROWS)
        if slot == 0:
            pdf.add_page()
        x = MARGIN_X + (slot % COLUMNS) * CARD_W
        y = MARGIN_Y + (slot // COLUMNS) * CARD_H
        _draw_card(pdf, card, title, x, y)
    return bytes(pdf.output())


def _draw_card(pdf, card: Card, title: str, x: float, y: float) -> None:
    pad = 5.0
    pdf.set_draw_color(120, 120, 120)
    with pdf.local_context(dash_pattern={"dash": 2, "gap": 2}):
        pdf.rect(x, y, CARD_W, CARD_H)
    text_w = CARD_W - 2 * pad - QR_SIZE - 3
    pdf.set_text_color(26, 26, 26)
    pdf.set_left_margin(x + pad)  # lines below start at the card's left edge
    pdf.set_xy(x + pad, y + pad)
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(text_w, 4.2, title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1.5)
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(text_w, 5, "Prénom", new_x="LMARGIN", new_y="NEXT")
    # The first name on one line if it can be: a smaller size rather than a cut word.
    size = 16
    pdf.set_font(FAMILY, "B", size)
    while size > 10 and pdf.get_string_width(card.learner.name) > text_w - 2 * pdf.c_margin:
        size -= 1
        pdf.set_font(FAMILY, "B", size)
    pdf.multi_cell(text_w, 7, card.learner.name, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(text_w, 5, "Code", new_x="LMARGIN", new_y="NEXT")
    if card.code:
        pdf.set_font(FAMILY, "B", 20)
        pdf.cell(text_w, 9, spaced(card.code), new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font(FAMILY, "", 9)
        pdf.multi_cell(
            text_w, 4.2, "Demandez-le à la personne qui anime l'atelier.", new_x="LMARGIN"
        )
    pdf.image(qr_png(card.link), x + CARD_W - pad - QR_SIZE, y + pad, QR_SIZE, QR_SIZE)
    if card.address:
        # What a learner types: short and large; the QR code carries the personal link.
        pdf.set_xy(x + pad, y + CARD_H - pad - 16)
        pdf.set_font(FAMILY, "", 9)
        said = "Sur cet ordinateur seulement, tapez :" if is_loopback(card.address) else (
            "Dans le navigateur, tapez :")  # fmt: skip
        pdf.cell(CARD_W - 2 * pad, 4, said, new_x="LMARGIN", new_y="NEXT")
        size = 18
        pdf.set_font(FAMILY, "B", size)
        while size > 11 and pdf.get_string_width(card.address) > CARD_W - 2 * pad - 2:
            size -= 1
            pdf.set_font(FAMILY, "B", size)
        pdf.cell(CARD_W - 2 * pad, 8, card.address, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_xy(x + pad, y + CARD_H - pad - 14)
        pdf.set_font(FAMILY, "", 8)
        pdf.multi_cell(
            CARD_W - 2 * pad,
            3.6,
            "Votre lien personnel (ou scannez le code carré) : " + card.link,
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
    pdf.set_font(FAMILY, "B", 8)
    pdf.cell(CARD_W - 2 * pad, 4, "Gardez cette carte pour vous : elle ouvre vos réponses.")


def write_cards(
    path: Path, cards: list[Card], title: str, fonts: dict[str, Path] | None = None
) -> Path:
    # Codes and personal links: readable by their owner only, wherever they are written.
    path = private_write(Path(path), cards_pdf(cards, title, fonts))
    return path


def enrol(project: Project, names: list[str] | tuple[str, ...]) -> list[tuple[Learner, str]]:
    """Add learners to the group; each comes with the code made for them (shown only now)."""
    roster = project.roster()
    return [roster.add(name) for name in names]


def print_cards(
    project: Project,
    learners: list[Learner],
    codes: dict[str, str],
    output: Path,
    base_url: str | None = None,
) -> tuple[Path, list[Card]]:
    """Write the group's cards to `output`, with the fonts nbgrader_config.py names."""
    cards = make_cards(project.roster(), learners, codes, base_url or DEFAULT_URL)
    try:
        fonts = find_fonts(project.config)
    except FontNotFound as exc:
        raise CardsError(str(exc)) from exc
    return write_cards(output, cards, project.settings.course_title, fonts), cards


def reissue_cards(
    project: Project,
    refs: list[str] | tuple[str, ...],
    output: Path,
    base_url: str | None = None,
    new_codes: bool = False,
) -> tuple[Path, list[Card]]:
    """Cards for the learners `refs` names (all when empty); `new_codes` replaces their codes,
    which also revokes their old personal links and lifts any sign-in lock."""
    roster = project.roster()
    learners = select(roster, refs)
    if not learners:
        raise CardsError("Aucun apprenant : ajoutez-en avec « course learners add ».")
    codes = reset_codes(roster, learners) if new_codes else {}
    return print_cards(project, learners, codes, output, base_url)
