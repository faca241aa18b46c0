"""« Écouter » in Chromium. Headless Chromium has no voice, so a lesson's step is read by the
server's eSpeak NG for real: the page gets a WAV whose duration is the audio's, made once and
kept privately under var/lecture/; pause stops it, « lente » makes a longer audio, a longer text
a longer one too, and axe finds nothing in each state. With a French voice on the device (faked
in the page: the only way to have one here), the device reads and our server is not asked;
without a session, the server refuses in French."""

from __future__ import annotations

import json
import re
import stat
import wave

import pytest
from browser_support import axe_violations, open_page, served

pytestmark = pytest.mark.browser

MODULE = "proteger-ses-donnees"

site, server, module = served("ecouter", learners=("Alice",), module=MODULE, shared=True)

# A device with voices: what Windows, Android or iOS give (headless Chromium has none).
FAKE_VOICES = """
window.cqSpoken = [];
window.cqCalls = [];
const voices = %s;
window.SpeechSynthesisUtterance = class {
  constructor(text) { this.text = text; }
};
Object.defineProperty(window, 'speechSynthesis', { value: {
  getVoices: () => voices,
  speak: (u) => window.cqSpoken.push({ text: u.text, voice: u.voice && u.voice.name,
                                       lang: u.lang, rate: u.rate }),
  pause: () => window.cqCalls.push('pause'),
  resume: () => window.cqCalls.push('resume'),
  cancel: () => window.cqCalls.push('cancel'),
}});
"""
FRENCH = '[{ name: "Anglaise", lang: "en-US" }, { name: "Amélie", lang: "fr-FR" }]'
ENGLISH_ONLY = '[{ name: "Anglaise", lang: "en-US" }]'


def audio_state(bar) -> dict:
    return bar.locator("audio").evaluate(
        "a => ({ duration: a.duration, time: a.currentTime, paused: a.paused, src: a.src })"
    )


def wav_seconds(path) -> float:
    with wave.open(str(path)) as audio:
        return audio.getnframes() / audio.getframerate()


def cache_files(site):
    folder = site.project.data_dir / "lecture"
    return {p.name: p for p in folder.glob("*.wav")} if folder.is_dir() else {}


def wait_for_audio(site, bar, page, before: dict) -> tuple[dict, object]:
    """The new cache file and the audio element's state once it plays."""
    page.wait_for_function(
        "bar => bar.dataset.state === 'playing' && bar.querySelector('audio').duration > 0",
        arg=bar.element_handle(),
        timeout=60_000,
    )
    new = {name: path for name, path in cache_files(site).items() if name not in before}
    assert len(new) == 1, new
    return audio_state(bar), next(iter(new.values()))


def test_a_lesson_step_is_read_by_espeak_with_pause_and_speed(server, site, context, guard):
    page = open_page(context, server.url(f"{MODULE}/lesson.ipynb", site.token("Alice")), guard)
    page.wait_for_selector(".cq-listen-step + .cq-text-block")
    assert page.evaluate("speechSynthesis.getVoices().length") == 0  # hence the server's audio
    asked: list[str] = []
    page.on(
        "request",
        lambda r: (
            asked.append(json.loads(r.post_data)["texte"]) if r.url.endswith("/lecture") else None
        ),
    )
    steps = page.locator(".cq-listen-step + .cq-text-block")  # each step, below its toolbar
    bars = page.locator(".cq-listen-step")
    bar = bars.nth(0)
    play = bar.get_by_role("button", name="Écouter")
    assert bar.get_by_role("combobox", name="Vitesse").count() == 0  # shown once reading
    assert axe_violations(page) == []

    before = cache_files(site)
    play.click()
    state, made = wait_for_audio(site, bar, page, before)
    assert abs(state["duration"] - wav_seconds(made)) < 0.05, (state, wav_seconds(made))
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert state["src"].startswith("blob:")
    first_text = asked[-1]
    step_title = steps.nth(0).locator("h2").first.inner_text()
    assert step_title in first_text and "Écouter" not in first_text
    assert bar.get_by_role("status").inner_text() == "Lecture en cours."
    assert bar.get_by_role("combobox", name="Vitesse").input_value() == "normale"
    assert axe_violations(page) == []

    # Pause: the button says « Reprendre », the audio stops where it is.
    bar.get_by_role("button", name="Pause").click()
    bar.get_by_role("button", name="Reprendre").wait_for()
    assert bar.get_by_role("status").inner_text() == "Lecture en pause."
    stopped = audio_state(bar)
    page.wait_for_timeout(400)
    assert audio_state(bar)["paused"] and audio_state(bar)["time"] == stopped["time"]
    assert axe_violations(page) == []
    bar.get_by_role("button", name="Reprendre").click()
    page.wait_for_function(
        "t => !document.querySelector('.cq-listen audio').paused &&"
        " document.querySelector('.cq-listen audio').currentTime > t",
        arg=stopped["time"],
        timeout=10_000,
    )

    # Slower: a new audio of the same text, longer, going on from about the same place.
    before = cache_files(site)
    bar.get_by_role("combobox", name="Vitesse").select_option("lente")
    page.wait_for_timeout(200)
    slow, made_slow = wait_for_audio(site, bar, page, before)
    assert asked[-1] == first_text
    assert slow["duration"] > state["duration"] * 1.1, (slow, state)
    assert abs(slow["duration"] - wav_seconds(made_slow)) < 0.05
    bar.get_by_role("button", name="Pause").click()

    # Another block (the speed is kept): a longer text gives a longer audio.
    other = bars.nth(1)
    assert other.locator("select").input_value() == "lente"
    before = cache_files(site)
    other.get_by_role("button", name="Écouter").click()
    second, _ = wait_for_audio(site, other, page, before)
    assert bar.get_by_role("button", name="Écouter").is_visible()  # one reading at a time
    longer = len(asked[-1]) > len(first_text)
    assert (second["duration"] > slow["duration"]) == longer, (asked[-1], first_text)
    guard.check()


def test_questions_and_explanations_can_be_listened_to(server, site, context, guard):
    page = open_page(context, server.url(f"{MODULE}/lesson.ipynb", site.token("Alice")), guard)
    box = page.locator("fieldset.cq-question").first
    box.locator(".cq-listen").get_by_role("button", name="Écouter").wait_for()
    feedback_bar = box.locator(".cq-feedback + .cq-listen")
    assert feedback_bar.count() == 0 or feedback_bar.is_hidden()
    box.locator("input").first.check()
    box.get_by_role("button", name="Vérifier ma réponse").click()
    box.locator(".cq-feedback .cq-verdict").wait_for()
    feedback_bar = box.locator(".cq-feedback + .cq-listen")
    feedback_bar.wait_for()
    asked: list[str] = []
    page.on(
        "request",
        lambda r: (
            asked.append(json.loads(r.post_data)["texte"]) if r.url.endswith("/lecture") else None
        ),
    )
    before = cache_files(site)
    feedback_bar.get_by_role("button", name="Écouter").click()
    wait_for_audio(site, feedback_bar, page, before)
    verdict = box.locator(".cq-verdict").inner_text()
    assert re.sub(r"^[✔✘] ", "", verdict) in asked[-1]
    assert not re.search("[✔✘]", asked[-1])
    assert axe_violations(page) == []
    guard.check()


@pytest.mark.parametrize("voices", ["french", "english"])
def test_the_device_voice_is_used_when_it_is_french(server, site, context, guard, voices):
    context.add_init_script(FAKE_VOICES % (FRENCH if voices == "french" else ENGLISH_ONLY))
    page = open_page(context, server.url(f"{MODULE}/lesson.ipynb", site.token("Alice")), guard)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/lecture") else None)
    box = page.locator("fieldset.cq-question").first
    bar = box.locator(".cq-listen").first
    bar.get_by_role("button", name="Écouter").focus()
    page.keyboard.press("Enter")  # a real button: the keyboard works as the mouse does
    if voices == "english":  # no French voice: our server reads
        page.wait_for_function(
            "bar => bar.dataset.state === 'playing'", arg=bar.element_handle(), timeout=60_000
        )
        assert page.evaluate("window.cqSpoken") == [] and len(asked) == 1
        return
    bar.get_by_role("button", name="Pause").wait_for()
    spoken = page.evaluate("window.cqSpoken")
    assert [(s["voice"], s["lang"], s["rate"]) for s in spoken] == [("Amélie", "fr-FR", 1)]
    assert box.locator("legend .cq-prompt").inner_text() in spoken[0]["text"]
    page.keyboard.press("Space")  # the focus stayed on the button, now « Pause »
    bar.get_by_role("button", name="Reprendre").wait_for()
    assert page.evaluate("window.cqCalls")[-1] == "pause"
    assert bar.get_by_role("status").inner_text() == "Lecture en pause."
    bar.get_by_role("combobox", name="Vitesse").select_option("rapide")
    bar.get_by_role("button", name="Reprendre").click()
    assert page.evaluate("window.cqCalls")[-1] == "resume"
    bar.get_by_role("combobox", name="Vitesse").select_option("lente")  # while reading
    assert page.evaluate("window.cqSpoken")[-1]["rate"] == 0.8
    page.wait_for_timeout(300)
    assert asked == []  # the device read it: nothing asked of our server
    guard.check()


def test_the_audio_is_for_signed_in_learners_only(server, site, context, guard):
    page = open_page(context, server.url(f"{MODULE}/lesson.ipynb"), guard)  # nobody signed in
    bar = page.locator(".cq-listen-step").first
    bar.get_by_role("button", name="Écouter").click()
    status = bar.get_by_role("status")
    page.wait_for_function(
        "el => el.textContent.includes('entrez d')", arg=status.element_handle(), timeout=30_000
    )
    assert "Pour écouter, entrez d'abord votre prénom et votre code" in status.inner_text()
    assert bar.get_by_role("button", name="Écouter").is_visible()
    assert axe_violations(page) == []
    # Without the page's _xsrf value: refused too, whoever sends it.
    answer = page.request.post(
        server.base + "/lecture", data=json.dumps({"texte": "Bonjour", "vitesse": "normale"})
    )
    assert answer.status == 403 and "erreur" in answer.json()
    guard.check()
