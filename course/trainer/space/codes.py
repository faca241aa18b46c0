"""The codes made during this run of the trainer's space, kept no longer than needed.

A new code (an enrolment, a lost card) is for the learner's card, not for whoever sits at this
computer next: the space is often opened on a shared one. So a new code is shown once on the
group page (the answer to the form that made it); afterwards the page says only « code donné à
9 h 05 ». The server keeps it in memory only to print the card: `REPRINT_MINUTES` after the
card's PDF was first made, for `KEEP_MINUTES` at most, and never past « Se déconnecter »
(`forget_at_sign_out`, called by the sign-out pages, `course.web.space.Space`). The card's PDF
is kept under `var/cards/`, for the trainer only.

Why not forget it at the first PDF (issue 20, walk.md trainer 6): making the PDF is not
printing it. A PDF opened in the browser and closed, a viewer that asks for it again, a jammed
printer: the second PDF carried « Demandez-le à la personne qui anime l'atelier » for everyone,
and the trainer had no way back but new codes for the whole group.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from course.core.french import clock

KEEP_MINUTES = 30  # as long as an idle space stays open (`TrainerAccess.idle_minutes`)
REPRINT_MINUTES = 5  # after the first PDF: printed again (the same code) until then


class FreshCodes:
    """learner id -> the code just made, when it was made, whether the page showed it."""

    def __init__(
        self,
        keep_minutes: float = KEEP_MINUTES,
        reprint_minutes: float = REPRINT_MINUTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keep_seconds = 60 * keep_minutes
        self.reprint_seconds = 60 * reprint_minutes
        self.clock = clock
        self._codes: dict[str, tuple[str, float]] = {}
        self._printed: dict[str, float] = {}  # learner id -> when their card's PDF was made
        self._shown: set[str] = set()
        self._given: dict[str, str] = {}  # « 9 h 05 », kept for this run: no secret in it

    def _fresh(self) -> dict[str, str]:
        now = self.clock()
        stale = [lid for lid, (_, made) in self._codes.items() if made < now - self.keep_seconds]
        stale += [lid for lid, at in self._printed.items() if at < now - self.reprint_seconds]
        for lid in stale:
            self.drop(lid)
        return {lid: code for lid, (code, _) in self._codes.items()}

    def give(self, learner_id: str, code: str) -> None:
        self._codes[learner_id] = (code, self.clock())
        self._shown.discard(learner_id)
        self._printed.pop(learner_id, None)
        self._given[learner_id] = clock(datetime.now(UTC))

    def rename(self, old: str, new: str) -> None:
        if old in self._codes:
            self._codes[new] = self._codes.pop(old)
        if old in self._shown:
            self._shown.discard(old)
            self._shown.add(new)
        if old in self._given:
            self._given[new] = self._given.pop(old)
        if old in self._printed:
            self._printed[new] = self._printed.pop(old)

    def drop(self, learner_id: str) -> None:
        self._codes.pop(learner_id, None)
        self._shown.discard(learner_id)
        self._printed.pop(learner_id, None)

    def show_once(self) -> dict[str, str]:
        """The codes the group page shows now: those not shown yet (then never again)."""
        new = {lid: code for lid, code in self._fresh().items() if lid not in self._shown}
        self._shown |= set(new)
        return new

    def given_times(self) -> dict[str, str]:
        """When each code of this run was made (« 9 h 05 »)."""
        return dict(self._given)

    def printable(self) -> dict[str, str]:
        """The codes whose card is not printed yet."""
        return self._fresh()

    def printed(self, learner_ids: list[str]) -> None:
        """Their cards' PDF is made: the codes stay for a reprint, `reprint_minutes` more."""
        for lid in learner_ids:
            if lid in self._codes:
                self._printed.setdefault(lid, self.clock())

    def forget_at_sign_out(self) -> None:
        self._codes.clear()
        self._shown.clear()
        self._printed.clear()
