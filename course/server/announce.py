"""What `course serve` tells the trainer when it starts: the learners' address and the trainer's
link (`course.server.serve` re-exports both names)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course.server.lan import room_url
from course.server.serve_settings import ServeSettings
from course.server.tls import Tls
from course.settings import Project


@dataclass
class Announce:
    """What `course serve` tells the trainer: the learners' address and the trainer's link."""

    room: str  # "http://192.168.1.20:8866" (or this computer's, when not serving the room)
    trainer_link: str  # http://127.0.0.1:8866/atelier/connexion?jeton=…, for this computer
    log: Path  # where Voilà's own (English) log goes
    whole_room: bool  # listening on every interface, so the room can come in


def voila_log(project: Project) -> Path:
    """Where Voilà's own log goes (`course serve` writes it, capped; the trainer is told)."""
    return project.data_dir / "logs" / "voila.log"


def announce(project: Project, host: str, port: int, tls: Tls | None = None) -> Announce:
    """A fresh trainer link (the previous one stops working) and the addresses to print.

    The declared spaces are made once here: one that cannot be (`SpaceLoadError`) is said in
    the terminal rather than only in Voilà's log."""
    from course.access.settings import identity_provider
    from course.server.spaces import spaces
    from course.trainer.space import PREFIX
    from course.web.space import space_url

    spaces(project)
    base_url = ServeSettings(config=project.config).base_url
    local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    link = identity_provider(project).space_link(
        "trainer", space_url(base_url, PREFIX, "connexion")
    )
    scheme = "https" if tls is not None else "http"
    return Announce(
        room=room_url(host, port, base_url, secure=tls is not None),
        trainer_link=f"{scheme}://{local}:{port}{link}",
        log=voila_log(project),
        whole_room=host in ("0.0.0.0", "::", ""),
    )
