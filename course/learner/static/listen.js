// « Écouter »: a small toolbar on every lesson step, question and explanation of the page that
// reads it aloud in French, with pause and speed. One widget per page (course.learner.widgets.
// ListenWidget) finds what can be read, now and as questions and feedback appear, so the
// question renderers (question.js) need not know about it.
//
// The device's own French voice is used when it has one (Web Speech API: offline on most
// Windows, Android and iOS devices). Otherwise the text goes to our own server, never further:
// `POST <site>/lecture` answers a WAV made by eSpeak NG (course/server/listen.py).

const SPEEDS = [
  ["lente", "lente", 0.8],
  ["normale", "normale", 1],
  ["rapide", "rapide", 1.3],
];
const SPEED_KEY = "cq-vitesse-lecture";
// What can be read aloud, and where its toolbar goes.
const TARGETS = ".cq-text-block, fieldset.cq-question, .cq-feedback";
const SKIP =
  "button, input, select, textarea, audio, script, style, .cq-listen, .cq-feedback, .cq-saved, [hidden], [aria-hidden='true']";
const BLOCKS = new Set(
  "P DIV LI UL OL H1 H2 H3 H4 H5 LEGEND LABEL FIELDSET TABLE TR TD TH BLOCKQUOTE SECTION DT DD PRE BR".split(" "),
);
const MESSAGES = {
  playing: "Lecture en cours.",
  paused: "Lecture en pause.",
  ended: "Lecture terminée.",
  loading: "Préparation de la lecture…",
  failed: "La lecture à voix haute n'a pas marché. Réessayez dans un moment.",
  offline: "La lecture à voix haute n'est pas possible : la connexion est coupée.",
};

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// The device's French voice, if any: the one in the user's own language first.
export function frenchVoice(voices) {
  const french = (voices || []).filter((v) => /^fr([-_]|$)/i.test(v.lang || ""));
  return french.find((v) => /^fr[-_]FR$/i.test(v.lang)) || french[0] || null;
}

// "speech" (the device's voice) or "audio" (our server's eSpeak NG).
export function chooseEngine(voices) {
  const voice = frenchVoice(voices);
  return voice ? { kind: "speech", voice } : { kind: "audio", voice: null };
}

function collect(node, out, root = false) {
  if (node.nodeType === Node.TEXT_NODE) {
    out.push(node.textContent);
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE || (!root && node.matches(SKIP))) return;
  const block = BLOCKS.has(node.tagName) || node.classList.contains("cq-number");
  if (block) out.push("\n");
  for (const child of node.childNodes) collect(child, out);
  if (block) out.push("\n");
}

// The text a person would read, one sentence per line, without symbols and controls.
export function readable(nodes) {
  const out = [];
  nodes.forEach((n) => n && collect(n, out, true));
  return out
    .join("")
    .replace(/[\u2190-\u2bff\u{1f300}-\u{1faff}]/gu, " ")
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .map((line) => (/[.!?:;…»"]$/.test(line) ? line : line + "."))
    .join("\n");
}

// What a target reads: a question with its situation, a step, a feedback.
function sourcesOf(target) {
  if (target.matches("fieldset.cq-question")) {
    const ids = (target.getAttribute("aria-describedby") || "").split(/\s+/);
    const situation = ids.filter((id) => id.endsWith("-context")).map((id) => document.getElementById(id));
    return [...situation, target];
  }
  if (target.matches(".cq-text-block")) return [target.querySelector(".widget-html-content") || target];
  return [target];
}

function siteRoot() {
  const base = (document.body && document.body.dataset.baseUrl) || "/voila/";
  return base.replace(/voila\/$/, "") || "/";
}

function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function savedSpeed() {
  try {
    const value = window.localStorage.getItem(SPEED_KEY);
    return SPEEDS.some(([v]) => v === value) ? value : "normale";
  } catch (e) {
    return "normale";
  }
}

let current = null; // the toolbar reading now: only one at a time on a page
const audioCache = new Map(); // speed + text -> object URL of the server's WAV

async function serverAudio(text, speed) {
  const key = speed + "\n" + text;
  if (audioCache.has(key)) return audioCache.get(key);
  let response;
  try {
    response = await fetch(siteRoot() + "lecture", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-XSRFToken": xsrfToken() },
      body: JSON.stringify({ texte: text, vitesse: speed }),
    });
  } catch (e) {
    throw new Error(MESSAGES.offline);
  }
  if (!response.ok) {
    let message = MESSAGES.failed;
    try {
      message = (await response.json()).erreur || message;
    } catch (e) {
      // Not our JSON (e.g. a proxy's page): the general message.
    }
    throw new Error(message);
  }
  const url = URL.createObjectURL(await response.blob());
  audioCache.set(key, url);
  return url;
}

function makeToolbar(target) {
  const bar = el("div", { class: "cq-listen", role: "group", "aria-label": "Lecture à voix haute" });
  const button = el("button", { type: "button", class: "cq-button cq-secondary cq-listen-play" });
  // A drawn loudspeaker: an emoji may be missing from the computer's fonts.
  const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  for (const [k, v] of Object.entries({ class: "cq-listen-icon", viewBox: "0 0 24 24", width: "22",
    height: "22", "aria-hidden": "true", focusable: "false" })) icon.setAttribute(k, v);
  icon.innerHTML =
    '<path d="M3 9v6h4l5 5V4L7 9H3z" fill="currentColor"/>' +
    '<path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" fill="none" ' +
    'stroke="currentColor" stroke-width="2" stroke-linecap="round"/>';
  const label = el("span", { class: "cq-listen-label" }, "Écouter");
  button.append(icon, " ", label);
  const id = "cq-listen-" + Math.random().toString(36).slice(2, 8);
  const speedLabel = el("label", { for: id, class: "cq-listen-speed-label" }, "Vitesse");
  const select = el("select", { id, class: "cq-listen-speed" });
  for (const [value, text] of SPEEDS) select.appendChild(el("option", { value }, text));
  select.value = savedSpeed();
  const status = el("span", { class: "cq-listen-status", role: "status" });
  const audio = el("audio", { class: "cq-listen-audio", preload: "auto", hidden: "" });
  bar.append(button, speedLabel, select, status, audio);

  // idle -> loading -> playing <-> paused -> idle (ended or stopped)
  let state = "idle";
  let engine = null; // "speech" or "audio", chosen at each start
  let text = "";
  let spokenUpTo = 0; // Web Speech: where the last word began, to change speed mid-text

  const show = (next, message) => {
    state = next;
    label.textContent = next === "playing" || next === "loading" ? "Pause" : next === "paused" ? "Reprendre" : "Écouter";
    bar.dataset.state = next;
    // The speed shows once the reading started: one stop per block for the keyboard until then
    // (the speed chosen is kept for every block and page).
    speedLabel.hidden = select.hidden = next === "idle";
    status.textContent = message !== undefined ? message : MESSAGES[next] || "";
  };
  show("idle", "");

  const stop = () => {
    if (current === bar) {
      // Only the toolbar reading now may silence the device's voice (shared by the page).
      if (engine === "speech") window.speechSynthesis.cancel();
      current = null;
    }
    audio.pause();
    show("idle", "");
  };
  bar.cqStop = stop;

  let utterances = 0; // only the latest utterance's events count (a speed change cancels one)
  const speak = (from) => {
    const mine = ++utterances;
    const rate = SPEEDS.find(([v]) => v === select.value)[2];
    const utterance = new window.SpeechSynthesisUtterance(text.slice(from));
    const choice = chooseEngine(window.speechSynthesis.getVoices());
    utterance.voice = choice.voice;
    utterance.lang = choice.voice.lang;
    utterance.rate = rate;
    utterance.onboundary = (event) => {
      if (mine === utterances) spokenUpTo = from + event.charIndex;
    };
    utterance.onend = () => {
      if (mine === utterances && current === bar && state === "playing") {
        current = null;
        show("ended");
      }
    };
    utterance.onerror = (event) => {
      if (mine === utterances && event.error !== "interrupted" && event.error !== "canceled") show("idle", MESSAGES.failed);
    };
    window.speechSynthesis.speak(utterance);
  };

  const playAudio = async (position) => {
    const speed = select.value;
    const url = await serverAudio(text, speed);
    if (state !== "loading" || select.value !== speed) return; // stopped or changed meanwhile
    audio.src = url;
    audio.playbackRate = 1;
    await new Promise((resolve) => {
      if (audio.readyState >= 1) resolve();
      else audio.addEventListener("loadedmetadata", resolve, { once: true });
    });
    if (position) audio.currentTime = position * audio.duration;
    await audio.play();
    show("playing");
  };

  const start = async () => {
    if (current && current !== bar) current.cqStop();
    current = bar;
    text = readable(sourcesOf(target));
    spokenUpTo = 0;
    engine = "speechSynthesis" in window ? chooseEngine(window.speechSynthesis.getVoices()).kind : "audio";
    if (engine === "speech") {
      window.speechSynthesis.cancel();
      show("playing");
      speak(0);
      return;
    }
    show("loading");
    try {
      await playAudio(0);
    } catch (e) {
      if (current === bar) current = null;
      show("idle", e.message || MESSAGES.failed);
    }
  };

  button.addEventListener("click", () => {
    if (state === "idle" || state === "ended") start();
    else if (state === "playing" || state === "loading") {
      if (engine === "speech") window.speechSynthesis.pause();
      else audio.pause();
      show("paused");
    } else if (state === "paused") {
      if (current !== bar) return start();
      if (engine === "speech") window.speechSynthesis.resume();
      else audio.play();
      show("playing");
    }
  });
  audio.addEventListener("ended", () => {
    if (current === bar) current = null;
    show("ended");
  });
  select.addEventListener("change", async () => {
    // One speed for the whole page (and the next pages): the learner chooses it once.
    document.querySelectorAll(".cq-listen-speed").forEach((other) => (other.value = select.value));
    try {
      window.localStorage.setItem(SPEED_KEY, select.value);
    } catch (e) {
      // Not kept: the next page starts at « normale ».
    }
    if (state !== "playing") return;
    // The new speed goes on from where the reading is.
    if (engine === "speech") {
      window.speechSynthesis.cancel();
      speak(spokenUpTo);
      return;
    }
    const position = audio.duration ? audio.currentTime / audio.duration : 0;
    audio.pause();
    show("loading");
    try {
      await playAudio(position);
    } catch (e) {
      show("idle", e.message || MESSAGES.failed);
    }
  });
  return bar;
}

function attach(target) {
  if (target.dataset.cqListen) return;
  target.dataset.cqListen = "1";
  const bar = makeToolbar(target);
  if (target.matches(".cq-feedback")) {
    // After the feedback (a live region: a toolbar inside would be announced with it), and
    // shown only when there is an explanation to read.
    target.after(bar);
    target.cqListenBar = bar;
  } else if (target.matches("fieldset.cq-question")) {
    const legend = target.querySelector("legend");
    if (legend) legend.after(bar);
    else target.prepend(bar);
  } else {
    // Above the step, in the page's column: the step's own box is a flex row (ipywidgets).
    bar.classList.add("cq-listen-step");
    target.before(bar);
  }
}

function scan() {
  document.querySelectorAll(TARGETS).forEach(attach);
  document.querySelectorAll(".cq-feedback").forEach((feedback) => {
    const bar = feedback.cqListenBar;
    if (!bar) return;
    const text = feedback.textContent.trim();
    // A new verdict (or none): a reading of the previous one stops.
    if (bar.cqRead !== undefined && bar.cqRead !== text) bar.cqStop();
    bar.cqRead = text;
    bar.hidden = !text;
  });
}

let started = false;
function startWatching() {
  if (started) return;
  started = true;
  if ("speechSynthesis" in window) window.speechSynthesis.getVoices(); // starts loading them
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      scan();
    }, 50);
  }).observe(document.body, { childList: true, subtree: true });
  scan();
}

function render({ el: root }) {
  root.classList.add("cq-listen-watcher");
  startWatching();
}

export default { render };
