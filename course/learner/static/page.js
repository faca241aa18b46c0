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
  const button = el("button", { type: "submit", class: "cq-button" }, "Entrer");
  form.appendChild(button);
  const message = el("p", { class: "cq-message", role: "alert", id: id + "-message" });
  form.appendChild(message);

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

// The session lives in a cookie (sent with every page request, so the next page's kernel knows
// who is there; see course/access/sessions.py); the address bar and the history never hold it.
const COOKIE = "atelier_session";
const SIGNED_OUT_SIGNAL = "atelier-deconnexion";

function siteRoot() {
  // <body data-base-url="/…/voila/">: the site's root is the part before "voila/".
  const base = (document.body && document.body.dataset.baseUrl) || "/voila/";
  return base.replace(/voila\/$/, "") || "/";
}

function setSessionCookie(token) {
  const age = token ? 400 * 24 * 3600 : 0; // Chromium's longest; « Se déconnecter » ends it
  document.cookie =
    `${COOKIE}=${token}; Path=${siteRoot()}; Max-Age=${age}; SameSite=Strict`;
}

// Another tab signed out: a page still showing the learner's work goes away at once.
window.addEventListener("storage", (event) => {
  if (event.key === SIGNED_OUT_SIGNAL && event.newValue && document.querySelector(".cq-account"))
    window.location.replace(siteRoot() + "voila/render/index.ipynb");
});
// A page brought back by « Précédent » from the browser's memory is drawn again by the server.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) window.location.reload();
});

function renderSignedIn(model, root) {
  root.classList.add("cq-invisible");
  const token = model.get("session");
  if (token) setSessionCookie(token);
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

function forgetEverything() {
  setSessionCookie("");
  try {
    // Answers waiting for the server in this tab belong to the person who leaves.
    for (const key of Object.keys(window.sessionStorage))
      if (key.startsWith("cq-attente:")) window.sessionStorage.removeItem(key);
    // Tell the other tabs, and leave nothing behind.
    window.localStorage.setItem(SIGNED_OUT_SIGNAL, String(Date.now()));
    window.localStorage.removeItem(SIGNED_OUT_SIGNAL);
  } catch (e) {
    // Storage refused: the server has ended the session anyway.
  }
}

function renderAccount(model, root) {
  const bar = el("div", { class: "cq-account" });
  bar.appendChild(el("p", {}, `Vous êtes entré avec le prénom ${model.get("name")}.`));
  const button = el("button", { type: "button", class: "cq-button cq-secondary" }, "Se déconnecter");
  bar.appendChild(button);
  bar.appendChild(el("p", { class: "cq-account-help" }, "Avant de partir, appuyez sur « Se déconnecter »."));
  root.appendChild(bar);
  const leave = () => {
    forgetEverything();
    // Behind a hub, its sign-out ends the session the site's cookie relies on.
    window.location.replace(model.get("leave_url") || siteRoot() + "voila/render/index.ipynb");
  };
  button.addEventListener("click", () => {
    button.disabled = true;
    button.textContent = "Déconnexion…";
    if (connectionState() !== "open") return leave(); // the cookie goes; the server forgets later
    model.send({ event: "sign-out" });
    setTimeout(leave, 5000); // no answer from the server: leave anyway
  });
  model.on("change:signed_out", () => {
    if (model.get("signed_out")) leave();
  });
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
