// One question as real, labelled form controls: a fieldset whose legend is the question,
// radios or checkboxes for choices, a labelled text field or text area for written answers.
// Only the learner's answer travels to the kernel; the answer key never reaches the browser.
function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function connectionState() {
  return (window.cqConnection && window.cqConnection.state) || "open";
}

function sameAnswer(a, b) {
  return JSON.stringify(a ?? "") === JSON.stringify(b ?? "");
}

// sessionStorage entry "cq-attente:<learner>:<module>:<page>" -> {questionId: answer}.
function pendingStore(key) {
  const name = key ? "cq-attente:" + key : null;
  const read = () => {
    if (!name) return {};
    try {
      return JSON.parse(window.sessionStorage.getItem(name) || "{}") || {};
    } catch (e) {
      return {};
    }
  };
  const write = (data) => {
    if (!name) return;
    try {
      if (Object.keys(data).length) window.sessionStorage.setItem(name, JSON.stringify(data));
      else window.sessionStorage.removeItem(name);
    } catch (e) {
      // Storage full or refused: the kernel copy is still the reference.
    }
  };
  return {
    get: (qid) => read()[qid],
    set: (qid, value) => {
      const data = read();
      data[qid] = value;
      write(data);
    },
    remove: (qid, value) => {
      const data = read();
      if (qid in data && sameAnswer(data[qid], value)) {
        delete data[qid];
        write(data);
      }
    },
  };
}

// One renderer per question kind (the `type` of the question, `course.answers.kinds`): its hint
// under the question, and `build`, which adds its controls to the fieldset, pushes them on
// `controls`, calls `send(answer)` on each change (or `pending.set` while typing) and returns
// the function that shows a given answer in them.
function choices(multiple, hint) {
  return {
    hint,
    build({ spec, uid, value, fieldset, controls, send }) {
      const list = el("div", { class: "cq-choices" + (spec.display ? " cq-display-" + spec.display : "") });
      const chosen = (v, choice) => (multiple ? Array.isArray(v) && v.includes(choice) : v === choice);
      // `spec.order`: the positions of the choices in the order drawn for this learner
      // (course.answers.kinds.choices.display_order); answers are the choices' texts.
      const order = Array.isArray(spec.order) && spec.order.length === spec.choices.length ? spec.order : spec.choices.map((_c, i) => i);
      order.forEach((i) => {
        const choice = spec.choices[i];
        const id = `${uid}-c${i}`;
        const input = el("input", { type: multiple ? "checkbox" : "radio", name: uid, id, value: choice });
        if (chosen(value, choice)) input.checked = true;
        const label = el("label", { for: id, class: "cq-choice" });
        label.appendChild(input);
        label.appendChild(el("span", { class: "cq-choice-text" }, choice));
        const details = (spec.details_html || [])[i];
        if (details) {
          // A message or post: the checkbox's label is its summary; its full text follows,
          // linked to the control so screen readers read it too.
          const item = el("div", { class: "cq-item" });
          const body = el("div", { class: "cq-item-body", id: id + "-body" });
          body.innerHTML = details; // authored module content, rendered by the kernel
          input.setAttribute("aria-describedby", id + "-body");
          item.appendChild(label);
          item.appendChild(body);
          list.appendChild(item);
        } else {
          list.appendChild(label);
        }
        controls.push(input);
      });
      list.addEventListener("change", () => {
        if (multiple) {
          send(controls.filter((c) => c.checked).map((c) => c.value));
        } else {
          const checked = controls.find((c) => c.checked);
          send(checked ? checked.value : "");
        }
      });
      fieldset.appendChild(list);
      return (v) =>
        controls.forEach((c) => {
          c.checked = chosen(v, c.value);
        });
    },
  };
}

// Typing sends the answer after a pause (kept in sessionStorage meanwhile); leaving the field
// sends it at once.
function sendWhileTyping(inputs, read, send, pending, qid) {
  let timer = null;
  inputs.forEach((input) => {
    input.addEventListener("input", () => {
      pending.set(qid, read());
      clearTimeout(timer);
      timer = setTimeout(() => send(read()), 400);
    });
    input.addEventListener("change", () => {
      clearTimeout(timer);
      send(read());
    });
  });
}

function text(multiline, hint) {
  return {
    hint: () => hint,
    build({ spec, uid, value, fieldset, controls, send, pending }) {
      const id = uid + "-text";
      fieldset.appendChild(el("label", { for: id, class: "cq-label" }, "Votre réponse"));
      const input = multiline
        ? el("textarea", { id, rows: "6", class: "cq-text" })
        : el("input", { id, type: "text", class: "cq-text", autocomplete: "off" });
      input.setAttribute("aria-describedby", uid + "-hint");
      input.value = typeof value === "string" ? value : "";
      sendWhileTyping([input], () => input.value, send, pending, spec.id);
      fieldset.appendChild(input);
      controls.push(input);
      return (v) => {
        input.value = typeof v === "string" ? v : "";
      };
    },
  };
}

const fields = {
  hint: () => "Remplissez chaque case.",
  build({ spec, uid, value, fieldset, controls, send, pending }) {
    const values = Array.isArray(value) ? value : [];
    const inputs = spec.fields.map((labelText, i) => {
      const id = `${uid}-f${i}`;
      fieldset.appendChild(el("label", { for: id, class: "cq-label" }, labelText));
      const input = el("input", { id, type: "text", class: "cq-text", autocomplete: "off" });
      input.value = typeof values[i] === "string" ? values[i] : "";
      fieldset.appendChild(input);
      controls.push(input);
      return input;
    });
    sendWhileTyping(inputs, () => inputs.map((i) => i.value), send, pending, spec.id);
    return (v) =>
      inputs.forEach((input, i) => {
        input.value = Array.isArray(v) && typeof v[i] === "string" ? v[i] : "";
      });
  },
};

// --- Simulations of the screens learners meet (issue 23) ---------------------------------------
// Each is built of real buttons, radios and text fields, so a keyboard and a screen reader do
// every gesture; what changes is announced in a live region (role="status").

function liveRegion(parent) {
  const live = el("p", { class: "cq-invisible", role: "status", "aria-live": "polite" });
  parent.appendChild(live);
  return (message) => {
    live.textContent = "";
    setTimeout(() => (live.textContent = message), 50);
  };
}

function markdownBlock(cls, htmlText) {
  const block = el("div", { class: cls });
  block.innerHTML = htmlText || ""; // authored module content, rendered by the kernel
  return block;
}

// A mailbox: each message opens below its line; a group of radios says what the learner does.
const mailbox = {
  hint: (spec) =>
    (spec.scene || {}).box
      ? "Ouvrez chaque publication. Puis choisissez ce que vous en faites."
      : "Ouvrez chaque message. Puis choisissez ce que vous en faites.",
  build({ spec, uid, value, fieldset, controls, send }) {
    const scene = spec.scene || {};
    const box = el("div", { class: "cq-mail" });
    const title = scene.box || "Messages reçus";
    box.appendChild(el("p", { class: "cq-mail-box", id: uid + "-box" }, title));
    const list = el("ul", { class: "cq-mail-list", "aria-labelledby": uid + "-box" });
    const radios = {}; // message id -> its radios
    const states = {}; // message id -> the line saying what was decided
    const read = () => {
      const out = [];
      for (const [mid, group] of Object.entries(radios)) {
        const checked = group.find((r) => r.checked);
        if (checked) out.push(mid + "=" + checked.value);
      }
      return out;
    };
    const said = Object.fromEntries(scene.decisions || []);
    const showStates = () => {
      for (const [mid, group] of Object.entries(radios)) {
        const checked = group.find((r) => r.checked);
        states[mid].textContent = checked ? "Votre choix : " + said[checked.value] + "." : "Pas encore trié.";
      }
    };
    (scene.messages || []).forEach((m, i) => {
      const item = el("li", { class: "cq-mail-item" });
      const panelId = `${uid}-m${i}`;
      const open = el("button", {
        type: "button",
        class: "cq-mail-open",
        "aria-expanded": "false",
        "aria-controls": panelId,
      });
      open.appendChild(el("span", { class: "cq-mail-sender" }, m.sender));
      open.appendChild(el("span", { class: "cq-mail-subject" }, m.subject));
      open.appendChild(el("span", { class: "cq-mail-date" }, m.date));
      const state = el("span", { class: "cq-mail-state" });
      open.appendChild(state);
      states[m.id] = state;
      const panel = el("div", { class: "cq-mail-message", id: panelId, hidden: "" });
      panel.setAttribute("role", "region");
      panel.setAttribute("aria-label", m.subject);
      const head = el("dl", { class: "cq-mail-head" });
      for (const [term, text] of [["De", m.sender], ["Objet", m.subject], ["Reçu", m.date]]) {
        head.appendChild(el("dt", {}, term + " :"));
        head.appendChild(el("dd", {}, text));
      }
      panel.appendChild(head);
      panel.appendChild(markdownBlock("cq-mail-body", m.body_html));
      for (const link of m.links || []) {
        // Shown, never followed: a fake message's link goes nowhere.
        panel.appendChild(el("p", { class: "cq-mail-link" }, "Lien dans le message : " + link));
      }
      for (const file of m.attachments || []) {
        panel.appendChild(el("p", { class: "cq-mail-file" }, "📎 Pièce jointe : " + file));
      }
      const choice = el("fieldset", { class: "cq-mail-choice" });
      choice.appendChild(el("legend", {}, "Que faites-vous ?"));
      radios[m.id] = [];
      (scene.decisions || []).forEach(([word, text], j) => {
        const id = `${panelId}-d${j}`;
        const input = el("input", { type: "radio", name: panelId, id, value: word });
        if (Array.isArray(value) && value.includes(m.id + "=" + word)) input.checked = true;
        const label = el("label", { for: id, class: "cq-choice" });
        label.appendChild(input);
        label.appendChild(el("span", { class: "cq-choice-text" }, text));
        choice.appendChild(label);
        radios[m.id].push(input);
        controls.push(input);
      });
      choice.addEventListener("change", () => {
        showStates();
        send(read());
      });
      panel.appendChild(choice);
      open.addEventListener("click", () => {
        const opened = open.getAttribute("aria-expanded") === "true";
        open.setAttribute("aria-expanded", opened ? "false" : "true");
        panel.hidden = opened;
      });
      item.appendChild(open);
      item.appendChild(panel);
      list.appendChild(item);
    });
    box.appendChild(list);
    fieldset.appendChild(box);
    showStates();
    return (v) => {
      for (const [mid, group] of Object.entries(radios)) {
        group.forEach((r) => (r.checked = Array.isArray(v) && v.includes(mid + "=" + r.value)));
      }
      showStates();
    };
  },
};

// A browser: the address bar, the results (paid ones say « Annonce »), the page a result opens,
// and one radio per result to choose where to go.
const browserSim = {
  hint: () => "Regardez les adresses. Ouvrez les pages si besoin. Puis choisissez le bon site.",
  build({ spec, uid, value, fieldset, controls, send }) {
    const scene = spec.scene || {};
    const frame = el("div", { class: "cq-browser" });
    const bar = el("p", { class: "cq-browser-bar" });
    bar.appendChild(el("span", { class: "cq-browser-label" }, "Adresse : "));
    const address = el("span", { class: "cq-browser-address" }, scene.address);
    bar.appendChild(address);
    frame.appendChild(bar);
    if (scene.search) frame.appendChild(el("p", { class: "cq-browser-search" }, "Recherche : « " + scene.search + " »"));
    const list = el("ol", { class: "cq-browser-results", "aria-label": "Résultats" });
    const view = el("div", { class: "cq-browser-page", id: uid + "-page", tabindex: "-1", hidden: "" });
    view.setAttribute("role", "region");
    view.setAttribute("aria-label", "Page ouverte");
    const announce = liveRegion(frame);
    (scene.links || []).forEach((link, i) => {
      const item = el("li", { class: "cq-browser-result" });
      if (link.ad) item.appendChild(el("p", { class: "cq-browser-ad" }, "Annonce (lien payé)"));
      item.appendChild(el("p", { class: "cq-browser-title" }, link.title));
      item.appendChild(el("p", { class: "cq-browser-address" }, link.address));
      if (link.text) item.appendChild(el("p", { class: "cq-browser-text" }, link.text));
      const actions = el("div", { class: "cq-actions" });
      if (link.page_html) {
        const show = el("button", { type: "button", class: "cq-button cq-secondary", "aria-controls": uid + "-page" });
        show.textContent = "Voir la page";
        show.setAttribute("aria-label", "Voir la page : " + link.title);
        show.addEventListener("click", () => {
          address.textContent = link.address;
          view.replaceChildren(
            el("p", { class: "cq-browser-bar" }, "Adresse : " + link.address),
            markdownBlock("cq-browser-site", link.page_html),
          );
          view.hidden = false;
          announce("Page ouverte : " + link.address);
          view.focus();
        });
        actions.appendChild(show);
      }
      const id = `${uid}-l${i}`;
      const input = el("input", { type: "radio", name: uid, id, value: link.id });
      if (value === link.id) input.checked = true;
      const label = el("label", { for: id, class: "cq-choice" });
      label.appendChild(input);
      label.appendChild(el("span", { class: "cq-choice-text" }, "Je choisis ce site : " + link.title));
      actions.appendChild(label);
      item.appendChild(actions);
      controls.push(input);
      list.appendChild(item);
    });
    list.addEventListener("change", () => {
      const checked = controls.find((c) => c.checked);
      send(checked ? checked.value : "");
    });
    frame.appendChild(list);
    frame.appendChild(view);
    fieldset.appendChild(frame);
    return (v) => controls.forEach((c) => (c.checked = c.value === v));
  },
};

// A discussion by SMS or on a marketplace: the messages received, then the proposals as
// buttons; a reply is added to the discussion and the next messages arrive.
const chat = {
  hint: () => "Lisez les messages. Choisissez votre réponse à chaque fois.",
  build({ spec, uid, value, fieldset, controls, send, isDisabled }) {
    const scene = spec.scene || {};
    const turns = scene.turns || [];
    const box = el("div", { class: "cq-chat" });
    box.appendChild(el("p", { class: "cq-chat-head" }, [scene.channel, scene.contact].filter(Boolean).join(" : ")));
    // The log region holds the list (a role on the list itself would hide its items' role).
    const logRegion = el("div", { role: "log", "aria-live": "polite", "aria-label": "Messages" });
    const log = el("ol", { class: "cq-chat-log" });
    logRegion.appendChild(log);
    const choose = el("div", { class: "cq-chat-replies", role: "group", "aria-labelledby": uid + "-ask" });
    const restart = el("button", { type: "button", class: "cq-button cq-secondary" }, "Recommencer la discussion");
    let path = [];
    const bubble = (who, text, mine) => {
      const item = el("li", { class: "cq-bubble" + (mine ? " cq-mine" : "") });
      item.appendChild(el("span", { class: "cq-bubble-who" }, who + " : "));
      item.appendChild(el("span", {}, text));
      log.appendChild(item);
    };
    const draw = () => {
      log.replaceChildren();
      choose.replaceChildren();
      controls.length = 0;
      controls.push(restart);
      turns.forEach((turn, n) => {
        if (n > path.length) return;
        turn.incoming.forEach((text) => bubble(scene.contact || "Contact", text, false));
        if (n < path.length) bubble("Vous", path[n], true);
      });
      if (path.length < turns.length) {
        choose.appendChild(el("p", { class: "cq-label", id: uid + "-ask" }, "Votre réponse :"));
        turns[path.length].replies.forEach((reply) => {
          const button = el("button", { type: "button", class: "cq-button cq-reply" }, reply);
          button.disabled = isDisabled();
          button.addEventListener("click", () => {
            path = [...path, reply];
            draw();
            send(path);
            const next = choose.querySelector("button") || restart;
            next.focus();
          });
          choose.appendChild(button);
          controls.push(button);
        });
      } else {
        choose.appendChild(el("p", { class: "cq-label", id: uid + "-ask" }, "La discussion est finie."));
      }
      if (path.length === 0) restart.dataset.off = "1";
      else delete restart.dataset.off;
      restart.disabled = isDisabled() || path.length === 0;
    };
    restart.addEventListener("click", () => {
      path = [];
      draw();
      send([]);
      const first = choose.querySelector("button");
      if (first) first.focus();
    });
    path = Array.isArray(value) ? value.slice(0, turns.length) : [];
    box.appendChild(logRegion);
    box.appendChild(choose);
    box.appendChild(restart);
    fieldset.appendChild(box);
    draw();
    return (v) => {
      path = Array.isArray(v) ? v.slice(0, turns.length) : [];
      draw();
    };
  },
};

// An online form: the fictitious document beside the fields (below them on a phone).
const onlineForm = {
  hint: () => "Remplissez chaque case avec les informations du document.",
  build(args) {
    const scene = args.spec.scene || {};
    const grid = el("div", { class: "cq-form" });
    const paper = el("div", { class: "cq-form-document" });
    paper.setAttribute("role", "region");
    paper.setAttribute("aria-label", scene.document_title || "Document");
    paper.appendChild(el("p", { class: "cq-form-document-title" }, scene.document_title));
    paper.appendChild(markdownBlock("cq-form-document-text", scene.document_html));
    const inputs = el("div", { class: "cq-form-fields" });
    grid.appendChild(paper);
    grid.appendChild(inputs);
    args.fieldset.appendChild(grid);
    return fields.build({ ...args, fieldset: inputs });
  },
};

// Steps in order: each step has « Monter » and « Descendre »; the new place is announced.
const ordering = {
  hint: () => "Mettez les étapes dans l'ordre avec les boutons « Monter » et « Descendre ».",
  build({ spec, uid, value, fieldset, controls, send, isDisabled }) {
    const start = (spec.scene || {}).steps || [];
    let order = Array.isArray(value) && value.length === start.length ? value.slice() : start.slice();
    const list = el("ol", { class: "cq-order", "aria-label": "Étapes" });
    const announce = liveRegion(fieldset);
    const draw = (focusStep, focusWay) => {
      list.replaceChildren();
      controls.length = 0;
      order.forEach((step, n) => {
        const item = el("li", { class: "cq-order-step" });
        item.appendChild(el("span", { class: "cq-order-text" }, step));
        const actions = el("div", { class: "cq-order-actions" });
        for (const [way, word] of [[-1, "Monter"], [1, "Descendre"]]) {
          const button = el("button", { type: "button", class: "cq-button cq-secondary" }, word);
          button.setAttribute("aria-label", word + " : " + step);
          if (n + way < 0 || n + way >= order.length) button.dataset.off = "1";
          button.disabled = isDisabled() || button.dataset.off === "1";
          button.addEventListener("click", () => {
            const to = n + way;
            if (to < 0 || to >= order.length) return;
            order = order.slice();
            [order[n], order[to]] = [order[to], order[n]];
            draw(step, way);
            send(order);
            announce("« " + step + " » est maintenant à la place " + (to + 1) + " sur " + order.length + ".");
          });
          actions.appendChild(button);
          controls.push(button);
          if (step === focusStep && way === focusWay) button.dataset.focus = "1";
        }
        item.appendChild(actions);
        list.appendChild(item);
      });
      if (focusStep !== undefined) {
        const wanted = list.querySelector("[data-focus]");
        const target = wanted && !wanted.disabled ? wanted : [...list.querySelectorAll("li")]
          .find((li) => li.firstChild.textContent === focusStep)
          .querySelector("button:not(:disabled)");
        if (target) target.focus();
      }
    };
    fieldset.appendChild(list);
    draw();
    return (v) => {
      order = Array.isArray(v) && v.length === start.length ? v.slice() : start.slice();
      draw();
    };
  },
};

const renderers = {
  qcu: choices(false, () => "Choisissez une seule réponse."),
  // Said once: a question that already asks to tick its answers gets the short hint only.
  qcm: choices(true, (spec) =>
    /cochez/i.test(spec.prompt || "")
      ? "Il peut y avoir plusieurs bonnes réponses."
      : "Cochez toutes les bonnes réponses. Il peut y en avoir plusieurs.",
  ),
  qroc: text(false, "Écrivez votre réponse dans la case."),
  qrocm: fields,
  libre: text(true, "Écrivez votre réponse avec vos mots. Une personne la lira."),
  messagerie: mailbox,
  navigateur: browserSim,
  conversation: chat,
  formulaire: onlineForm,
  etapes: ordering,
};
const unknownKind = text(false, "");

function render({ model, el: root }) {
  const spec = model.get("spec");
  const uid = "q-" + spec.id + "-" + Math.random().toString(36).slice(2, 8);
  const fieldset = el("fieldset", {
    class: "cq-question",
    "data-question": spec.id,
    id: "question-" + spec.id, // the review panel links here
  });
  const legend = el("legend", { class: "cq-legend" });
  const number = model.get("number_label");
  if (number) legend.appendChild(el("span", { class: "cq-number" }, number));
  legend.appendChild(el("span", { class: "cq-prompt" }, spec.prompt));
  fieldset.appendChild(legend);

  // The situation comes first, as a person reads it; the question follows, in its box.
  let situation = null;
  if (spec.context_html) {
    situation = el("div", { class: "cq-situation cq-context", id: uid + "-context" });
    situation.innerHTML = spec.context_html; // authored module content, rendered by the kernel
  }
  const renderer = renderers[spec.type] || unknownKind;
  const hint = el("p", { class: "cq-hint", id: uid + "-hint" }, renderer.hint(spec));
  fieldset.appendChild(hint);
  fieldset.setAttribute(
    "aria-describedby",
    (situation ? uid + "-context " : "") + uid + "-hint",
  );

  const controls = [];
  const value = model.get("value");
  // Answers not yet confirmed by the kernel wait in this tab's sessionStorage (per learner and
  // module). A connection cut, a server restart or a reload cannot lose them: they are sent
  // again as soon as a kernel is there, and the learner is told what happened.
  const pending = pendingStore(model.get("store_key"));
  let seq = model.get("ack") || 0;
  let sent = null; // {seq, value} of the last change sent to the kernel
  let recovered = false;
  const send = (v) => {
    pending.set(spec.id, v);
    seq += 1;
    sent = { seq, value: v };
    model.set("value", v);
    model.set("seq", seq);
    try {
      model.save_changes();
    } catch (e) {
      // The kernel is gone: the answer stays in sessionStorage until the page is reloaded.
    }
    showSaved();
  };

  const isDisabled = () => model.get("disabled");
  const setControls = renderer.build({ spec, uid, value, fieldset, controls, send, pending, isDisabled });

  let checkButton = null;
  if (model.get("mode") === "practice") {
    checkButton = el("button", { type: "button", class: "cq-button cq-check" }, "Vérifier ma réponse");
    // The answer travels with the request: ipywidgets may still hold back the last changes
    // (it buffers state while the kernel is busy), a custom message is never held back.
    checkButton.addEventListener("click", () => model.send({ event: "check", value: model.get("value") }));
    fieldset.appendChild(checkButton);
  }
  const feedback = el("div", { class: "cq-feedback", role: "status", "aria-live": "polite" });
  const saved = el("p", { class: "cq-saved", "aria-live": "polite" });
  fieldset.appendChild(feedback);
  fieldset.appendChild(saved);

  const showFeedback = () => {
    const fb = model.get("feedback") || {};
    feedback.className = "cq-feedback" + (fb.status ? " cq-" + fb.status : "");
    feedback.replaceChildren();
    if (fb.title) feedback.appendChild(el("p", { class: "cq-verdict" }, fb.title));
    if (fb.text) feedback.appendChild(el("p", {}, fb.text));
    if (fb.lines && fb.lines.length) {
      const list = el("ul", { class: "cq-feedback-lines" });
      fb.lines.forEach((line) => list.appendChild(el("li", {}, line)));
      feedback.appendChild(list);
    }
  };
  const unsaved = () => sent !== null && (model.get("ack") || 0) < sent.seq;
  const showSaved = () => {
    const state = connectionState();
    if (unsaved() && state === "lost") {
      saved.textContent =
        "Réponse pas encore enregistrée : la connexion est coupée. Elle sera enregistrée dès le retour de la connexion.";
    } else if (unsaved() && state === "dead") {
      saved.textContent =
        "Réponse pas encore enregistrée. Elle sera enregistrée quand vous aurez rechargé la page.";
    } else if (recovered && !unsaved()) {
      saved.textContent =
        "Votre réponse donnée pendant la coupure a été retrouvée. " + (model.get("saved") || "");
    } else {
      saved.textContent = model.get("saved");
    }
  };
  const onAck = () => {
    if (sent && (model.get("ack") || 0) >= sent.seq) pending.remove(spec.id, sent.value);
    showSaved();
  };
  // Back from a short cut with the same kernel: queued messages are flushed by Jupyter; if no
  // confirmation comes, send the answer again.
  const onConnection = (event) => {
    showSaved();
    if (event.detail && event.detail.state === "open" && unsaved()) {
      const value = sent.value;
      setTimeout(() => {
        if (unsaved() && connectionState() === "open") send(value);
      }, 3000);
    }
  };
  window.addEventListener("cq-connection", onConnection);
  const showDisabled = () => {
    const off = model.get("disabled");
    // A control its renderer turned off (« Monter » on the first step) stays off.
    controls.forEach((c) => (c.disabled = off || c.dataset.off === "1"));
    if (checkButton) checkButton.disabled = off;
  };
  showFeedback();
  showSaved();
  showDisabled();
  model.on("change:feedback", showFeedback);
  model.on("change:saved", showSaved);
  model.on("change:ack", onAck);
  model.on("change:disabled", showDisabled);
  if (situation) root.appendChild(situation);
  root.appendChild(fieldset);

  // An answer given while the connection was cut, kept in this tab: show it and send it now.
  const waiting = pending.get(spec.id);
  if (waiting !== undefined) {
    if (sameAnswer(waiting, model.get("value"))) {
      pending.remove(spec.id, waiting);
    } else if (!model.get("disabled")) {
      setControls(waiting);
      recovered = true;
      send(waiting);
    }
  }
  return () => window.removeEventListener("cq-connection", onConnection);
}

export default { render };
