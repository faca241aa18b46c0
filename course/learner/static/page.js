// The page's own controls, as plain accessible HTML: the sign-in form, the "send my answers"
// button with its confirmation panel, and the focus move after signing in.
// Every text shown here is French; the kernel decides, the browser only displays and asks.
function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function uid(prefix) {
  return prefix + "-" + Math.random().toString(36).slice(2, 8);
}

// The connection watcher of our Voilà template (absent in JupyterLab: then always "open").
function connectionState() {
  return (window.cqConnection && window.cqConnection.state) || "open";
}

// The notice on personal data (course/learner/data/donnees-personnelles.md), served by Voilà.
const PRIVACY_PAGE = "donnees-personnelles.ipynb";

function renderSignIn(model, root) {
  const id = uid("cq-signin");
  const form = el("form", { class: "cq-signin", "aria-labelledby": id + "-title", novalidate: "" });
  form.appendChild(el("h2", { id: id + "-title" }, "Bonjour. Qui êtes-vous ?"));
  form.appendChild(
    el(
      "p",
      { id: id + "-help" },
      "Écrivez votre prénom et le code donné par la personne qui anime l'atelier.",
    ),
  );
  const field = (label, attrs) => {
    const input = el("input", { id: id + "-" + attrs.name, type: "text", class: "cq-text", ...attrs });
    form.appendChild(el("label", { for: input.id, class: "cq-label" }, label));
    form.appendChild(input);
    return input;
  };
  const name = field("Votre prénom", {
    name: "prenom",
    autocomplete: "given-name",
    autocapitalize: "words",
    spellcheck: "false",
  });
  const code = field("Votre code (sur votre carte)", {
    name: "code",
    autocomplete: "off",
    inputmode: "numeric",
    spellcheck: "false",
  });
  // A card link already used: its first name is written, only the code is asked.
  if (model.get("name")) name.value = model.get("name");
  const button = el("button", { type: "submit", class: "cq-button" }, "Entrer");
  form.appendChild(button);
  const message = el("p", { class: "cq-message", role: "alert", id: id + "-message" });
  form.appendChild(message);
  // What is kept about the learner, why and for how long: readable before signing in.
  const privacy = el("p", { class: "cq-privacy" });
  privacy.appendChild(
    el(
      "a",
      { class: "cq-link", href: siteRoot() + "voila/render/" + PRIVACY_PAGE },
      "Vos données : ce que nous gardons sur vous, et pourquoi",
    ),
  );
  form.appendChild(privacy);

  const showMessage = (text, field) => {
    message.textContent = text || "";
    for (const input of [name, code]) {
      if (text && (!field || field === input)) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", message.id);
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      showMessage("Écrivez votre prénom.", name);
      name.focus();
      return;
    }
    if (!code.value.trim()) {
      showMessage("Écrivez votre code. Il est sur votre carte.", code);
      code.focus();
      return;
    }
    if (connectionState() !== "open") {
      showMessage("La connexion est coupée. Attendez son retour, puis appuyez de nouveau sur « Entrer ».");
      return;
    }
    showMessage("");
    button.disabled = true;
    button.textContent = "Vérification…";
    model.send({ event: "sign-in", name: name.value, code: code.value });
  });
  model.on("change:message", () => {
    const m = model.get("message") || {};
    button.disabled = false;
    button.textContent = "Entrer";
    showMessage(m.text || "");
    if (m.text) code.focus();
  });
  root.appendChild(form);
}

// The session lives in a cookie the server sets (HttpOnly: no script reads it; no expiry: closing
// the browser forgets it; see course/access/sessions.py). A page hands a new session to the
// server once, and tells it when the learner is active; the address bar and the history never
// hold it, and nothing of the learner stays in this browser after « Se déconnecter ».
const SIGNED_OUT_SIGNAL = "atelier-deconnexion";

function siteRoot() {
  // <body data-base-url="/…/voila/">: the site's root is the part before "voila/".
  const base = (document.body && document.body.dataset.baseUrl) || "/voila/";
  return base.replace(/voila\/$/, "") || "/";
}

function homePage() {
  return siteRoot() + "voila/render/index.ipynb";
}

// A request to the server's session address (course.access.room_web.LearnerSessionHandler).
function sessionPost(path, fields) {
  return fetch(siteRoot() + path, {
    method: "POST",
    headers: { "X-Atelier-Page": "1", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    credentials: "same-origin",
    cache: "no-store",
  });
}

// Another tab signed out: a page still showing the learner's work goes away at once.
window.addEventListener("storage", (event) => {
  if (event.key === SIGNED_OUT_SIGNAL && event.newValue && document.querySelector(".cq-account"))
    window.location.replace(homePage());
});
// A page brought back by « Précédent » from the browser's memory is drawn again by the server.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) window.location.reload();
});

function renderSignedIn(model, root) {
  root.classList.add("cq-invisible");
  const token = model.get("session");
  const path = model.get("session_path");
  if (token && path) {
    // A link followed before the server has set the cookie would open the next page signed
    // out: it waits for the answer (a few milliseconds).
    let pending = true;
    const ready = sessionPost(path, { action: "ouvrir", jeton: token })
      .catch(() => {})
      .finally(() => (pending = false));
    document.addEventListener(
      "click",
      (event) => {
        const link = pending && event.target.closest ? event.target.closest("a[href]") : null;
        if (!link || event.defaultPrevented || link.target) return;
        event.preventDefault();
        ready.then(() => window.location.assign(link.href));
      },
      true,
    );
  }
  const url = new URL(window.location.href);
  if (url.searchParams.has("cle")) {
    url.searchParams.delete("cle");
    window.history.replaceState(window.history.state, "", url.toString());
  }
  if (!model.get("focus")) return;
  const deadline = Date.now() + 10000;
  const focusHeading = () => {
    const page = root.closest(".cq-page");
    const heading = page && page.querySelector("h1");
    if (root.isConnected && heading && heading.isConnected) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    } else if (Date.now() < deadline) {
      setTimeout(focusHeading, 50);
    }
  };
  focusHeading();
}

// Everything this tab kept for the learner goes; the server ends the cookie (the promise
// settles once it answered, or could not be reached).
function forgetEverything(path) {
  try {
    // Answers waiting for the server in this tab belong to the person who leaves.
    for (const key of Object.keys(window.sessionStorage))
      if (key.startsWith("cq-")) window.sessionStorage.removeItem(key);
    // Tell the other tabs, and leave nothing behind.
    window.localStorage.setItem(SIGNED_OUT_SIGNAL, String(Date.now()));
    window.localStorage.removeItem(SIGNED_OUT_SIGNAL);
  } catch (e) {
    // Storage refused: the server ends the session anyway.
  }
  if (!path) return Promise.resolve();
  return sessionPost(path, { action: "fin" }).catch(() => {});
}

// The learner is active on this page: the server hears it (at most every `every` ms), and the
// page asks the server as often whether the session is still open; once it is not (no activity
// anywhere for `idle` seconds, or « Se déconnecter » elsewhere), the page goes home.
function watchIdle(path, idle, leave) {
  const every = Math.max(1, Math.min(60, idle / 3)) * 1000;
  const ended = (reply) => {
    if (reply.status === 401) leave("inactif");
  };
  let said = 0;
  const active = () => {
    const now = Date.now();
    if (now - said < every) return;
    said = now;
    sessionPost(path, { action: "vie" }).then(ended, () => {});
  };
  for (const kind of ["keydown", "pointerdown", "wheel", "touchstart", "input"])
    document.addEventListener(kind, active, { capture: true, passive: true });
  setInterval(() => sessionPost(path, { action: "etat" }).then(ended, () => {}), every);
}

function renderAccount(model, root) {
  const bar = el("div", { class: "cq-account" });
  bar.appendChild(el("p", {}, `Vous êtes entré avec le prénom ${model.get("name")}.`));
  const button = el("button", { type: "button", class: "cq-button cq-secondary" }, "Se déconnecter");
  bar.appendChild(button);
  bar.appendChild(el("p", { class: "cq-account-help" }, "Avant de partir, appuyez sur « Se déconnecter »."));
  root.appendChild(bar);
  const path = model.get("session_path");
  let leaving = false;
  // Pressed « Se déconnecter »: the activity signal the press itself sent may come back refused
  // (the kernel ended the session first), which is this sign-out, not an idle end.
  let chose = false;
  // `why` ("inactif": the session ended while nobody used the page) is said on the home page.
  const leave = (why) => {
    if (leaving) return;
    leaving = true;
    if (chose) why = "";
    // Behind a hub, its sign-out ends the session the site's cookie relies on.
    const home = model.get("leave_url") || homePage() + (why ? "?fin=" + why : "");
    forgetEverything(path).finally(() => window.location.replace(home));
  };
  button.addEventListener("click", () => {
    chose = true;
    button.disabled = true;
    button.textContent = "Déconnexion…";
    if (connectionState() !== "open") return leave(""); // the server ends it anyway, once idle
    model.send({ event: "sign-out" });
    setTimeout(() => leave(""), 5000); // no answer from the kernel: leave anyway
  });
  model.on("change:signed_out", () => {
    if (model.get("signed_out")) leave("");
  });
  const idle = model.get("idle_seconds") || 0;
  if (idle > 0 && path) watchIdle(path, idle, leave);
}

// A line of the review panel: text, or {text, questions: [[number, id], …]} where each number
// is a link that takes the learner (and the focus) to that question.
function panelLine(line) {
  if (typeof line === "string") return el("p", {}, line);
  const p = el("p", {}, line.text);
  const items = line.questions || [];
  items.forEach(([number, qid], i) => {
    if (i) p.appendChild(document.createTextNode(i === items.length - 1 ? " et " : ", "));
    const link = el("a", { href: "#question-" + qid, class: "cq-link", "aria-label": `Aller à la question ${number}` }, String(number));
    link.addEventListener("click", (event) => {
      const box = document.getElementById("question-" + qid);
      if (!box) return;
      event.preventDefault();
      box.scrollIntoView({ block: "start" });
      const control = box.querySelector("input, textarea");
      if (control) control.focus();
    });
    p.appendChild(link);
  });
  p.appendChild(document.createTextNode("."));
  return p;
}

function renderSubmit(model, root) {
  const id = uid("cq-submit");
  const box = el("div", { class: "cq-submit" });
  const button = el("button", { type: "button", class: "cq-button cq-send" }, "Envoyer mes réponses");
  const panel = el("section", {
    class: "cq-panel",
    id: id + "-panel",
    tabindex: "-1",
    "aria-labelledby": id + "-title",
  });
  box.appendChild(button);
  box.appendChild(panel);
  root.appendChild(box);

  const offline = () => {
    if (connectionState() === "open") return false;
    showPanel({
      kind: "error",
      title: "La connexion est coupée",
      lines: [
        "Vos réponses ne peuvent pas être envoyées maintenant.",
        "Attendez le retour de la connexion, puis appuyez de nouveau sur « Envoyer mes réponses ».",
      ],
    });
    return true;
  };
  const ask = (event) => {
    if (offline()) return;
    button.disabled = true;
    model.send({ event });
  };
  button.addEventListener("click", () => ask("review"));

  const showPanel = (p, focus = true) => {
    panel.replaceChildren();
    panel.className = "cq-panel" + (p.kind ? " cq-panel-" + p.kind : "");
    if (!p.kind) {
      panel.removeAttribute("role");
      return;
    }
    if (p.kind === "error") panel.setAttribute("role", "alert");
    else panel.removeAttribute("role");
    panel.appendChild(el("h2", { id: id + "-title" }, p.title));
    for (const line of p.lines || []) panel.appendChild(panelLine(line));
    if (p.kind === "review") {
      const actions = el("div", { class: "cq-actions" });
      const yes = el("button", { type: "button", class: "cq-button" }, "Oui, j'envoie");
      const no = el("button", { type: "button", class: "cq-button cq-secondary" }, "Non, je continue");
      yes.addEventListener("click", () => {
        if (offline()) return;
        yes.disabled = no.disabled = true;
        yes.textContent = "Envoi en cours…";
        model.send({ event: "send" });
      });
      no.addEventListener("click", () => {
        model.send({ event: "cancel" });
        showPanel({}, false);
        button.focus();
      });
      actions.appendChild(yes);
      actions.appendChild(no);
      panel.appendChild(actions);
    }
    if (focus) panel.focus();
  };
  model.on("change:panel", () => {
    button.disabled = model.get("disabled");
    showPanel(model.get("panel") || {});
  });
  model.on("change:disabled", () => (button.disabled = model.get("disabled")));
  button.disabled = model.get("disabled");
  showPanel(model.get("panel") || {}, false);
}

function render({ model, el: root }) {
  const kind = model.get("kind");
  if (kind === "signin") renderSignIn(model, root);
  else if (kind === "signed-in") renderSignedIn(model, root);
  else if (kind === "account") renderAccount(model, root);
  else if (kind === "submit") renderSubmit(model, root);
}

export default { render };
