"""A workshop's sign-in cards: the group's, or one learner's (a lost card), with the room's
address printed large beside the QR code (`course.trainer.cards`), written under `var/cards/`
for the trainer only."""

from __future__ import annotations

from course.core import french
from course.core.files import private_write
from course.settings import Project
from course.trainer.cards import CardsError, make_cards, short_address, write_cards
from course.workshops import Workshop


def workshop_cards(
    project: Project, workshop: Workshop, codes: dict[str, str], room_url: str, only: str = ""
) -> bytes:
    from course.fonts import FontNotFound, find_fonts

    roster = project.roster()
    learners = [lr for lr in roster.learners() if lr.id in workshop.learner_ids]
    if only:
        learners = [lr for lr in learners if lr.id == only]
    if not learners:
        raise CardsError("Aucun apprenant dans ce groupe : inscrivez-en d'abord.")
    cards = make_cards(roster, learners, codes, room_url, address=short_address(room_url))
    try:
        fonts = find_fonts(project.config)
    except FontNotFound as exc:
        raise CardsError(str(exc)) from exc
    stamp = french.now().strftime("%Y%m%d-%H%M%S")
    path = project.data_dir / "cards" / f"atelier-{workshop.id}-{stamp}.pdf"
    tmp = write_cards(path.with_suffix(".tmp"), cards, workshop.title, fonts)
    data = tmp.read_bytes()
    tmp.unlink()
    private_write(path, data)
    return data
