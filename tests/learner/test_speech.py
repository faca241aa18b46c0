"""eSpeak NG's audio for « Écouter » (`course.learner.speech`), run for real: a French WAV
made once per text, voice and speed, kept private under var/lecture/; refusals in French for
an empty or too long text and an unknown speed; a missing espeak-ng said in plain French."""

from __future__ import annotations

import io
import stat
import wave

import pytest
from traitlets.config import Config

from course.core.errors import UserError
from course.learner.speech import (
    TOO_LONG,
    UNAVAILABLE,
    Speech,
    SpeechSettings,
    SpeechUnavailable,
)


def seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as audio:
        return audio.getnframes() / audio.getframerate()


@pytest.fixture
def speech(tmp_path):
    return Speech(tmp_path / "var", SpeechSettings())


def test_audio_is_made_once_and_kept_privately(speech, tmp_path):
    data = speech.audio("Bonjour. Vérifiez l'adresse de l'expéditeur.", "normale")
    assert data[:4] == b"RIFF" and seconds(data) > 1
    files = list((tmp_path / "var" / "lecture").iterdir())
    assert len(files) == 1 and files[0].suffix == ".wav"
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    # From the cache: the program is not needed any more for this text.
    speech.settings.command = "espeak-ng-absent"
    assert speech.audio("Bonjour. Vérifiez l'adresse de l'expéditeur.", "normale") == data
    with pytest.raises(SpeechUnavailable) as missing:
        speech.audio("Un autre texte.", "normale")
    assert str(missing.value) == UNAVAILABLE and "espeak-ng" in UNAVAILABLE


def test_speed_and_length_change_the_duration(speech):
    text = "Ne cliquez pas sur le lien. Allez vous-même sur le site officiel."
    normal, slow, fast = (seconds(speech.audio(text, s)) for s in ("normale", "lente", "rapide"))
    assert slow > normal * 1.1 and fast < normal * 0.9
    assert seconds(speech.audio(text + " " + text, "normale")) > normal * 1.5
    assert speech.key(text, "normale") != speech.key(text, "lente")


def test_text_starting_with_a_dash_is_read_not_taken_as_an_option(speech):
    assert seconds(speech.audio("-v en --help", "normale")) > 0.5


@pytest.mark.parametrize(
    ("text", "speed", "message"),
    [
        ("", "normale", "Il n'y a rien à lire ici."),
        ("   \n ", "normale", "Il n'y a rien à lire ici."),
        (["Bonjour"], "normale", "Il n'y a rien à lire ici."),
        ("Bonjour", "turbo", "Cette vitesse de lecture n'existe pas"),
        ("Bonjour", None, "Cette vitesse de lecture n'existe pas"),
        ("a" * 4001, "normale", TOO_LONG),
    ],
)
def test_odd_requests_are_refused_in_french(speech, text, speed, message):
    with pytest.raises(UserError) as refused:
        speech.audio(text, speed)
    assert str(refused.value).startswith(message)


def test_settings_come_from_the_configuration(tmp_path):
    config = Config({"SpeechSettings": {"max_chars": 10, "speeds": {"normale": 200}}})
    speech = Speech(tmp_path, SpeechSettings(config=config))
    with pytest.raises(UserError, match="trop long"):
        speech.audio("Bonjour à tous", "normale")
    with pytest.raises(UserError, match="vitesse"):
        speech.audio("Bonjour", "lente")


def test_the_cache_keeps_a_bounded_number_of_files(tmp_path):
    speech = Speech(tmp_path, SpeechSettings(config=Config({"SpeechSettings": {"max_files": 2}})))
    for number in ("Un.", "Deux.", "Trois."):
        speech.audio(number, "rapide")
    assert len(list((tmp_path / "lecture").glob("*.wav"))) == 2
    assert not (tmp_path / "lecture" / f"{speech.key('Un.', 'rapide')}.wav").exists()
    assert (tmp_path / "lecture" / f"{speech.key('Trois.', 'rapide')}.wav").exists()
