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

  const setControls = renderer.build({ spec, uid, value, fieldset, controls, send, pending });

  let checkButton = null;
  if (model.get("mode") === "practice") {
    checkButton = el("button", { type: "button", class: "cq-button cq-check" }, "Vérifier ma réponse");
    checkButton.addEventListener("click", () => model.send({ event: "check" }));
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
    controls.forEach((c) => (c.disabled = off));
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
