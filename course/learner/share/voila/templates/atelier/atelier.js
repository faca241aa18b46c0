/* Atelier pages: tell the learner, in French, when the connection to the workshop computer is
   lost, comes back, or when the page must be reloaded; never leave a spinner over a failure.
   Loaded inline in <head>, before Voilà's scripts, so that every kernel WebSocket is watched.
   State for the question widgets: window.cqConnection.state is "open", "lost" or "dead", and a
   "cq-connection" event is sent on window at each change. */
(function () {
  "use strict";
  var watcher = (window.cqConnection = { state: "open" });
  var NativeWebSocket = window.WebSocket;
  var openSockets = 0;
  var unloading = false;
  var kernelUrl = null;
  var probeTimer = null;
  var aliveSince = 0;
  var backTimer = null;
  var KERNEL_SOCKET = /\/api\/kernels\/([0-9a-f-]+)\/channels/;
  var STOPPED = /"execution_state"\s*:\s*"(restarting|autorestarting|dead)"/;
  var RELOAD_HELP =
    "Appuyez sur le bouton « Recharger la page ». Vos réponses déjà enregistrées sont gardées. " +
    "Celles données pendant la coupure seront enregistrées après le rechargement.";
  var TEXTS = {
    lost: [
      "Connexion perdue. Vos dernières réponses seront enregistrées dès le retour de la connexion.",
      "Ne fermez pas cette page. Si la coupure dure, prévenez la personne qui anime l'atelier.",
    ],
    dead: ["La connexion est revenue, mais cette page doit être rechargée.", RELOAD_HELP],
    stopped: ["Cette page s'est arrêtée.", RELOAD_HELP],
  };

  window.addEventListener("pagehide", function () {
    unloading = true;
  });
  window.addEventListener("beforeunload", function () {
    unloading = true;
  });

  function node(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      el.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function reloadButton() {
    var button = node("button", { type: "button", class: "cq-button" }, "Recharger la page");
    button.addEventListener("click", function () {
      window.location.reload();
    });
    return button;
  }

  // Not DOMContentLoaded: Voilà streams the page while the kernel runs, and if the kernel dies
  // the stream may never end; the body exists long before.
  function whenBody(fn) {
    if (document.body) fn();
    else setTimeout(whenBody, 50, fn);
  }

  function showBanner(kind) {
    whenBody(function () {
      var banner = document.getElementById("cq-connection");
      var status = document.getElementById("cq-connection-back");
      if (!banner) return;
      banner.replaceChildren();
      if (!kind) {
        banner.hidden = true;
        return;
      }
      if (status) status.replaceChildren();
      banner.className = "cq-banner cq-banner-" + kind;
      TEXTS[kind].forEach(function (line, i) {
        banner.appendChild(node("p", i ? {} : { class: "cq-banner-title" }, line));
      });
      if (kind !== "lost") banner.appendChild(reloadButton());
      banner.hidden = false;
    });
  }

  function showBack() {
    whenBody(function () {
      var status = document.getElementById("cq-connection-back");
      if (!status) return;
      status.replaceChildren(
        node("p", {}, "La connexion est revenue. Vos réponses sont de nouveau enregistrées."),
      );
      clearTimeout(backTimer);
      backTimer = setTimeout(function () {
        status.replaceChildren();
      }, 10000);
    });
  }

  // A page that paused itself (nobody signed in) has said everything: no banner over it.
  function paused() {
    return !!document.querySelector(".cq-paused");
  }

  function setState(state) {
    if (watcher.state === state || watcher.state === "dead" || paused()) return;
    var before = watcher.state;
    watcher.state = state;
    if (state === "open") {
      stopProbe();
      showBanner(null);
      if (before === "lost") showBack();
    } else if (state === "lost") {
      showBanner("lost");
      startProbe();
    }
    window.dispatchEvent(new CustomEvent("cq-connection", { detail: { state: state } }));
  }

  function pageIsDead(kind) {
    if (watcher.state === "dead" || paused()) return;
    watcher.state = "dead";
    stopProbe();
    showBanner(kind);
    window.dispatchEvent(new CustomEvent("cq-connection", { detail: { state: "dead" } }));
  }

  // While the connection is lost, ask the server (every 2 s) whether our kernel still exists:
  // no answer = the computer or the network is still away; 404 = the server was restarted (or
  // the kernel stopped) and this page cannot come back by itself: it must be reloaded.
  function startProbe() {
    if (probeTimer || !kernelUrl) return;
    aliveSince = 0;
    probeTimer = setInterval(probe, 2000);
  }

  function stopProbe() {
    clearInterval(probeTimer);
    probeTimer = null;
  }

  function probe() {
    fetch(kernelUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (watcher.state !== "lost") return;
        if (response.status === 404) {
          pageIsDead("dead");
        } else if (response.ok) {
          // The kernel is there: Jupyter reconnects by itself, unless it has given up.
          aliveSince = aliveSince || Date.now();
          if (Date.now() - aliveSince > 30000) pageIsDead("dead");
        }
      })
      .catch(function () {
        aliveSince = 0;
      });
  }

  function inspect(data) {
    var text = "";
    if (typeof data === "string") text = data.slice(0, 65536);
    else if (data instanceof ArrayBuffer)
      text = new TextDecoder().decode(new Uint8Array(data, 0, Math.min(data.byteLength, 65536)));
    if (text.indexOf("execution_state") !== -1 && STOPPED.test(text)) pageIsDead("stopped");
  }

  function watch(socket, url) {
    var match = KERNEL_SOCKET.exec(url);
    if (!match) return;
    kernelUrl = url.replace(/^ws/, "http").replace(/\/channels.*$/, "");
    var opened = false;
    socket.addEventListener("open", function () {
      opened = true;
      openSockets += 1;
      setState("open");
    });
    socket.addEventListener("close", function () {
      if (opened) openSockets -= 1;
      if (!unloading && openSockets <= 0) setState("lost");
    });
    socket.addEventListener("message", function (event) {
      inspect(event.data);
    });
  }

  if (NativeWebSocket) {
    var Watched = function (url, protocols) {
      var socket =
        protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
      try {
        watch(socket, String(url));
      } catch (e) {
        /* never break the page for the watcher */
      }
      return socket;
    };
    Watched.prototype = NativeWebSocket.prototype;
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) {
      Watched[k] = NativeWebSocket[k];
    });
    window.WebSocket = Watched;
  }

  // The page is drawn by the kernel's widgets after the HTML arrived. Until then a French
  // "loading" note shows; if nothing comes, or a widget cannot be drawn (Jupyter would show
  // an English "Click to show javascript error"), say so and offer a reload.
  var started = Date.now();
  function pageAlert(id, title) {
    if (document.getElementById(id)) return;
    var box = node("div", { id: id, class: "cq-banner cq-banner-stopped", role: "alert" });
    box.appendChild(node("p", { class: "cq-banner-title" }, title));
    box.appendChild(
      node(
        "p",
        {},
        "Appuyez sur le bouton « Recharger la page ». Si cela recommence, prévenez la " +
          "personne qui anime l'atelier.",
      ),
    );
    box.appendChild(reloadButton());
    var banner = document.getElementById("cq-connection");
    document.body.insertBefore(box, banner ? banner.nextSibling : document.body.firstChild);
  }
  function removeNode(id) {
    var el = document.getElementById(id);
    if (el) el.parentNode.removeChild(el);
  }
  function checkPage() {
    var loading = document.getElementById("loading");
    var broken = document.querySelector(".jupyter-widgets-error-widget");
    var drawn = document.querySelector(".cq-page, .cq-page-error");
    if (broken) {
      pageAlert("cq-page-broken", "Cette page ne s'affiche pas correctement.");
    }
    if (drawn || broken) {
      if (loading) loading.parentNode.removeChild(loading);
      removeNode("cq-page-late");
    } else if (loading && Date.now() - started > (window.cqPageTimeout || 45000)) {
      pageAlert("cq-page-late", "La page met trop de temps à s'afficher.");
      loading.hidden = true;
    }
    setTimeout(checkPage, drawn ? 1000 : 300);
  }
  whenBody(checkPage);
})();

/* One click per download: the file the kernel has just made for a button (a link with the
   class "cq-auto-download", course.learner.pages.controls.download_html) is saved at once, as
   if the learner had also pressed its link; the link stays, to save it again. */
(function () {
  "use strict";
  function saveNew() {
    var links = document.querySelectorAll("a.cq-auto-download:not([data-cq-saved])");
    for (var i = 0; i < links.length; i++) {
      links[i].setAttribute("data-cq-saved", "1");
      if (i === 0) links[i].click(); // one file at a time: browsers ask before several
    }
  }
  function start() {
    new MutationObserver(saveNew).observe(document.body, { childList: true, subtree: true });
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
