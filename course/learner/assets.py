"""The widgets' front end (`static/*.js`, `static/*.css`): one copy per browser, not per widget.

anywidget puts a widget's `_esm` and `_css` strings in every instance's synced state. A module's
evaluation page has about 17 question widgets, so the page's state, its comm messages and the
state Voilà keeps for each open page carried question.js + question.css (37 KB) 17 times.

Under our Voilà (`course serve`, alone or behind the hub: `course.server.serve.server_env` sets
`SERVED_ENV` for every kernel), each widget's `_esm` is a stub of a few hundred bytes instead:
it loads the stylesheet once (a `<link>`, shared by every widget of the page) and imports the
module from the server's static files (`<base_url>voila/static/<name>.js?v=<hash>`, added to
Voilà's static paths by `course.server.launcher`). The browser evaluates that module once per
page and caches it (tornado sends a long cache lifetime for a `v=` URL; the hash changes with
the file); the URL starts from `<body data-base-url>`, which our template writes with the
server's base URL, so it works on a laptop as behind the hub's `/services/site-<slug>/`.

Anywhere else (JupyterLab's preview, nbconvert, a test building a widget in a plain kernel),
nothing serves those URLs: the widget carries the whole source, as anywidget usually does.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

STATIC = Path(__file__).parent / "static"
# "1" in the environment of our Voilà's kernels: the static files are served by that server.
SERVED_ENV = "COURSE_WIDGET_ASSETS_SERVED"

# Loads the stylesheet once per page (every widget waits for the same promise, so none draws
# unstyled), then the module once per page (same URL: the browser's module map keeps one copy).
STUB = """\
const base = (document.body && document.body.dataset.baseUrl) || "/voila/";
const at = (file) => new URL(base + "static/" + file, document.baseURI).href;
const loads = (globalThis.cqAssets = globalThis.cqAssets || {});
const css = %(css)s;
if (css) {
  const href = at(css);
  loads[href] = loads[href] || new Promise((done) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.onload = link.onerror = () => done();
    document.head.appendChild(link);
  });
  await loads[href];
}
// A crowded room's network can drop one request: the module is tried again (a failed import
// stays failed for its URL, hence the new query), or every widget of the page would stay blank.
const load = async (url) => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await import(attempt ? `${url}&essai=${attempt}` : url);
    } catch (error) {
      if (attempt >= 4) throw error;
      await new Promise((wait) => setTimeout(wait, 1000 * (attempt + 1)));
    }
  }
};
const mod = await load(at(%(js)s));
export default mod.default;
"""


def served() -> bool:
    """True in a kernel of our Voilà, which serves `static/` (see the module's docstring)."""
    return os.environ.get(SERVED_ENV) == "1"


@cache
def versioned(file: str) -> str:
    """`file` with a query that changes with its content (a changed file is never stale)."""
    digest = hashlib.sha256((STATIC / file).read_bytes()).hexdigest()[:12]
    return f"{file}?v={digest}"


def esm(name: str, css: str = "") -> str | Path:
    """The `_esm` of a widget drawn by `static/<name>.js` with the stylesheet `static/<css>`."""
    if not served():
        return STATIC / f"{name}.js"
    return STUB % {
        "css": json.dumps(versioned(css) if css else ""),
        "js": json.dumps(versioned(f"{name}.js")),
    }


def stylesheet(css: str) -> str | Path:
    """The `_css` going with `esm(name, css)`: empty when the stub loads it."""
    return "" if served() else STATIC / css
