"""Today's workshop's module, which `course serve` puts first on the home page and preheats
when the trainer names none (`--module`): `course.trainer.todays`, which the trainer's space
also calls when a workshop changes (a server that runs for days still shows it first)."""

from __future__ import annotations

from course.trainer.todays import note_todays_module, todays_module

__all__ = ["note_todays_module", "todays_module"]
