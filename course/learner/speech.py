"""« Écouter » on a device without a French voice: the text read by eSpeak NG on the serving
machine, as a WAV file made once and kept under `var/lecture/`.

The browser prefers the device's own French voice (Web Speech API, `static/listen.js`); many
room computers have none, so the page then asks our server (`course.server.listen`) for this
audio. eSpeak NG (Debian's `espeak-ng`) is NVDA's default voice, the one many helpers of our
learners already know. The text goes to a local process only, never over the network. A cache
file's name is the SHA-256 of voice, speed and text, so the same step read twice by a whole
group is made once; the files are private (0o600) like everything under `var/`.

No tornado here: the handler that calls this lives in the server (`course.server.listen`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from traitlets import Dict, Int, Unicode
from traitlets.config import Configurable

from course.core.errors import UserError
from course.core.files import PRIVATE_FILE, private_dir

CACHE_FOLDER = "lecture"
UNAVAILABLE = (
    "La lecture à voix haute n'est pas disponible sur cet ordinateur. Demandez à la personne "
    "qui anime l'atelier d'installer le paquet espeak-ng."
)
TOO_LONG = "Ce texte est trop long pour être lu à voix haute en une fois."
EMPTY = "Il n'y a rien à lire ici."
BAD_SPEED = "Cette vitesse de lecture n'existe pas. Choisissez lente, normale ou rapide."
FAILED = "La lecture à voix haute n'a pas marché. Réessayez dans un moment."


class SpeechUnavailable(UserError):
    """eSpeak NG is not installed, or failed: the page says so in French, never a traceback."""


class SpeechSettings(Configurable):
    """How the serving machine reads aloud (`c.SpeechSettings.…` in `nbgrader_config.py`)."""

    command = Unicode("espeak-ng", help="The eSpeak NG program.").tag(config=True)
    voice = Unicode("fr", help="eSpeak NG's voice (its French voice: « fr »).").tag(config=True)
    max_chars = Int(4000, help="Longest text read in one request, in characters.").tag(config=True)
    speeds = Dict(
        {"lente": 120, "normale": 150, "rapide": 190},
        help="The page's speeds and eSpeak NG's words per minute for each.",
    ).tag(config=True)
    timeout = Int(60, help="Seconds eSpeak NG may take for one text.").tag(config=True)
    max_files = Int(
        3000, help="Audio files kept at most in var/lecture/ (the oldest go first)."
    ).tag(config=True)


def clean_text(text: object, max_chars: int) -> str:
    """The text to read, or a French refusal: a string, not blank, not beyond the limit."""
    if not isinstance(text, str) or not text.strip():
        raise UserError(EMPTY)
    text = " ".join(line.strip() for line in text.replace("\x00", " ").splitlines()).strip()
    if len(text) > max_chars:
        raise UserError(TOO_LONG)
    return text


class Speech:
    """The audio of a text at a speed, from the cache or made now by eSpeak NG."""

    def __init__(self, data_dir: Path, settings: SpeechSettings):
        self.folder = Path(data_dir) / CACHE_FOLDER
        self.settings = settings

    @property
    def available(self) -> bool:
        return shutil.which(self.settings.command) is not None

    def key(self, text: str, speed: str) -> str:
        """The cache file's name: the same voice, speed and text give the same audio."""
        words = self.settings.speeds[speed]
        material = f"{self.settings.voice}\n{words}\n{text}".encode()
        return hashlib.sha256(material).hexdigest()

    def audio(self, text: object, speed: object) -> bytes:
        """The WAV of `text` read at `speed` (a key of `SpeechSettings.speeds`).

        Raises `UserError` (French) for an empty or too long text or an unknown speed, and
        `SpeechUnavailable` when eSpeak NG is missing or fails."""
        if not isinstance(speed, str) or speed not in self.settings.speeds:
            raise UserError(BAD_SPEED)
        text = clean_text(text, self.settings.max_chars)
        path = self.folder / f"{self.key(text, speed)}.wav"
        if path.is_file():
            data = path.read_bytes()
            os.utime(path)  # just used: the last to go when the cache is pruned
            return data
        program = shutil.which(self.settings.command)
        if program is None:
            raise SpeechUnavailable(UNAVAILABLE)
        private_dir(self.folder)
        handle, tmp = tempfile.mkstemp(dir=self.folder, suffix=".part")
        os.close(handle)
        try:
            words = str(self.settings.speeds[speed])
            command = [program, "-v", self.settings.voice, "-s", words, "-w", tmp, "--stdin"]
            # The text goes in on stdin: never parsed as an option, whatever it starts with.
            done = subprocess.run(
                command,
                input=text.encode(),
                capture_output=True,
                timeout=self.settings.timeout,
                check=False,
            )
            if done.returncode != 0 or os.path.getsize(tmp) <= 44:  # a bare WAV header
                raise SpeechUnavailable(FAILED)
            os.chmod(tmp, PRIVATE_FILE)
            os.replace(tmp, path)
        except subprocess.TimeoutExpired as exc:
            raise SpeechUnavailable(FAILED) from exc
        finally:
            Path(tmp).unlink(missing_ok=True)
        data = path.read_bytes()
        self.prune()
        return data

    def prune(self) -> None:
        """Keep at most `max_files` audio files: whatever learners ask for, the disk does not
        fill up (the oldest are made again if asked)."""
        files = list(self.folder.glob("*.wav"))
        extra = len(files) - self.settings.max_files
        if extra <= 0:
            return
        by_age = sorted(files, key=lambda f: f.stat().st_mtime if f.exists() else 0)
        for old in by_age[:extra]:
            old.unlink(missing_ok=True)
