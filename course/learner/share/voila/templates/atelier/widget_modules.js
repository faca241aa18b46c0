/* anywidget 0.11 gives each widget's module 2 s to load: its Runtime starts
   AbortSignal.timeout(2000) and, when it fires, rejects the model's `ready`. Every later update
   from the kernel to that model awaits `ready`, so all of them are dropped, while the view is
   still drawn once the module arrives. On a busy computer that is what learners saw: the kernel
   stored the answer, and « Réponse enregistrée à … » never came (13 of 60 pages in
   benchmarks/hub_load.py; tests/learner/test_browser_answers.py reproduces it with modules
   that take 3 s). The timeouts anywidget's Runtime asks for never fire here: the kernel's
   updates wait for the module instead of being lost. Loaded inline in <head>, before Voilà's
   scripts. */
(function () {
  "use strict";
  var timeout = AbortSignal.timeout;
  if (typeof timeout !== "function") return;
  AbortSignal.timeout = function (milliseconds) {
    var stack = new Error().stack || "";
    if (/\bRuntime\b/.test(stack) && /\/anywidget\//.test(stack)) {
      return new AbortController().signal;
    }
    return timeout.call(AbortSignal, milliseconds);
  };
})();
