// The private spaces' small script: confirmations, the cycle's buttons, live progress.
// Forms work without it; it only adds what a page needs to update by itself.
"use strict";
(function () {
  const jeton = document.body.dataset.jeton;

  async function call(url, method) {
    const response = await fetch(url, {
      method: method || "GET",
      headers: { "X-Jeton": jeton, Accept: "application/json" },
      credentials: "same-origin",
    });
    return [response.status, await response.json()];
  }

  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  const cycle = document.getElementById("cycle");
  let applyCycle = null; // set below when the page has the cycle's buttons
  if (cycle) {
    const status = document.getElementById("job");
    const buttons = [...cycle.querySelectorAll("button[data-step]")];
    let busy = false;

    // A step out of order stays aria-disabled (focusable, its reason read next to it).
    function setBusy(value) {
      busy = value;
      for (const b of buttons) {
        const why = document.getElementById("why-" + b.dataset.step);
        b.setAttribute("aria-disabled", value || (why && why.textContent) ? "true" : "false");
      }
    }

    function show(job, extra) {
      const p = document.createElement("p");
      const strong = document.createElement("strong");
      strong.textContent = `${job.label} : ${job.state}.`;
      p.append(strong, " ", extra || job.result || job.messages[job.messages.length - 1] || "");
      status.replaceChildren(p);
      cycle.dataset.state = job.state;
    }

    async function follow(id) {
      setBusy(true);
      for (;;) {
        const [code, job] = await call(cycle.dataset.status + id);
        if (code !== 200) { status.textContent = job.erreur || "Étape inconnue."; break; }
        show(job);
        if (!job.running) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      setBusy(false);
      refresh();
    }

    for (const button of buttons) {
      button.addEventListener("click", async () => {
        if (busy) return; // a double click starts nothing more (the server checks too)
        const why = document.getElementById("why-" + button.dataset.step);
        if (why && why.textContent) { status.textContent = why.textContent; return; }
        setBusy(true);
        const url = cycle.dataset.start + button.dataset.step + "?module=" + cycle.dataset.module;
        const [code, job] = await call(url, "POST");
        if (code >= 400) { status.textContent = job.erreur || "Refusé."; setBusy(false); return; }
        show(job, job.notice);
        follow(job.id);
      });
    }
    // The state line and the buttons follow the cycle (the live table's data carries it).
    applyCycle = (state) => {
      const line = document.getElementById("cycle-line");
      if (line.textContent !== state.line) line.textContent = state.line;
      for (const [step, why] of Object.entries(state.why)) {
        const span = document.getElementById("why-" + step);
        if (span && span.textContent !== why) span.textContent = why;
      }
      if (!busy) setBusy(false);
    };
    if (cycle.dataset.job) follow(cycle.dataset.job);
  }

  const progress = document.getElementById("progress");
  async function refresh() {
    if (!progress) return;
    try {
      const [code, data] = await call(progress.dataset.url);
      if (code !== 200) return;
      if (applyCycle && data.cycle) applyCycle(data.cycle);
      for (const row of data.learners) {
        const tr = progress.querySelector(`tr[data-learner="${row.id}"]`);
        if (!tr) continue;
        const seen = row.seen ? "connexion à " + row.seen : "pas encore";
        const locked = row.locked ? "jusqu'à " + row.locked + " : trop de codes faux" : "non";
        const values = { seen, lesson: row.lesson, evaluation: row.evaluation, state: row.state,
                         locked };
        const actions = tr.querySelector("[data-locked] .actions");
        if (actions) actions.hidden = !row.locked; // « Débloquer », « Nouveau code »
        for (const [field, text] of Object.entries(values)) {
          const cell = tr.querySelector(`[data-field="${field}"]`);
          if (cell.textContent !== text) cell.textContent = text;
        }
      }
      // The server's time in the project's zone (« 9 h 05 »), not this browser's clock.
      document.getElementById("progress-time").textContent =
        "La liste se met à jour toute seule (dernière mise à jour : " + data.time + ").";
    } catch (error) {
      document.getElementById("progress-time").textContent =
        "Mise à jour impossible pour l'instant : nouvel essai dans quelques secondes.";
    }
  }
  if (progress) setInterval(refresh, 3000);
})();
