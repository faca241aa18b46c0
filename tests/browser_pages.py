"""A page as the browser tests use it: opened until drawn, its questions, answering them with
the mouse or the keyboard only, as a learner would."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_chromium import Guard


def open_page(context, url: str, guard: Guard | None = None, wait: str = ".cq-page"):
    """Open `url`, wait until the kernel's widgets have drawn the page."""
    page = context.new_page()
    page.goto(url)
    wait_drawn(page, wait)
    if guard:
        guard.check()
    return page


def open_many(context, urls: list[str], guard: Guard, batch: int = 3):
    """Open pages a few at a time (the server starts their kernels in parallel): `batch` pages
    are on their way at any moment, so the next ones' kernels start while the test checks the
    one it was given (not only once a whole batch is done)."""
    waiting: list[tuple[str, object]] = []
    ahead = iter(urls)

    def open_next() -> None:
        url = next(ahead, None)
        if url is not None:
            page = context.new_page()
            page.goto(url, wait_until="commit")
            waiting.append((url, page))

    for _ in range(batch):
        open_next()
    while waiting:
        url, page = waiting.pop(0)
        wait_drawn(page)
        guard.check()
        yield url, page
        page.close()
        open_next()


LATE = "La page met trop de temps à s'afficher."


def wait_drawn(page, wait: str = ".cq-page") -> None:
    try:
        page.wait_for_selector(f"{wait}, #cq-page-late", timeout=90_000)
    except Exception:
        pytest.fail(f"{page.url} was neither drawn nor declared late in 90 s")
    if page.locator("#cq-page-late").count():
        # The page said, in French, that it did not come (e.g. its kernel died at start, as
        # happens on a saturated machine): do what it tells the learner, once.
        print(f"warning: {page.url} told the learner to reload; reloading once")
        page.reload()
        page.wait_for_selector(wait, timeout=90_000)
    # Widgets render one after the other: wait until the last one (questions, forms) is there.
    page.wait_for_function(
        """() => {
          const page = document.querySelector('.cq-page');
          if (!page) return !!document.querySelector('.cq-page-error');
          return !document.getElementById('loading') &&
            page.querySelectorAll('.cq-question, .cq-signin, .cq-submit, .cq-cards, .cq-refused, .cq-page-error, .cq-cv-step, .cq-result, .cq-results-none').length > 0;
        }""",
        timeout=60_000,
    )
    # ... and until no more widget arrives (same count of controls over half a second).
    previous = -1
    for _ in range(40):
        count = page.locator(".cq-page input, .cq-page button, .cq-page a, .cq-page h2").count()
        if count == previous:
            return
        previous = count
        page.wait_for_timeout(500)


def kernel_id(page) -> str:
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def question(page, question_id: str):
    return page.locator(f"fieldset[data-question='{question_id}']")


def wait_saved(page, question_id: str) -> None:
    question(page, question_id).locator(".cq-saved").filter(
        has_text=re.compile("enregistrée à")
    ).wait_for()


# --- Answering ------------------------------------------------------------------------------

FREE_TEXT = "Ne pas répondre, ne pas cliquer, appeler sa banque au numéro habituel."


def expected_answer(q):
    """What the tests answer to `q`: the model answer, or a sentence for written questions."""
    return FREE_TEXT if q.type == "libre" else q.model_answer()


def sign_in(page, name: str, code: str) -> None:
    page.get_by_label("Votre prénom").fill(name)
    page.get_by_label("Votre code (sur votre carte)").fill(code)
    page.get_by_role("button", name="Entrer").click()
    page.locator(".cq-question").first.wait_for()


def answer(page, q, value) -> None:
    """Answer question `q` with the mouse and keyboard as a learner would; wait until saved."""
    box = question(page, q.id)
    if q.type == "qcu":
        box.get_by_role("radio", name=value, exact=True).check()
    elif q.type == "qcm":
        for choice in q.choices:
            box.get_by_role("checkbox", name=choice, exact=True).set_checked(choice in value)
    elif q.type in ("qrocm", "formulaire"):
        for label, text in zip([f[0] for f in q.fields], value, strict=True):
            box.get_by_label(label, exact=True).fill(text)
            box.get_by_label(label, exact=True).press("Tab")
    elif q.type in SIMULATIONS:
        SIMULATIONS[q.type](page, box, q, value)
    else:
        box.get_by_label("Votre réponse").fill(value)
        box.get_by_label("Votre réponse").press("Tab")
    wait_saved(page, q.id)


def active(page, script: str = "el => el"):
    return page.evaluate(
        f"(() => {{ const el = document.activeElement; return ({script})(el); }})()"
    )


def tab_until(page, test: str, limit: int = 60) -> None:
    """Press Tab until the focused element passes `test` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active(page, test):
            return
    raise AssertionError(f"Tab never reached an element such that {test}")


def keyboard_answer(page, q, value) -> None:
    """Answer with Tab, arrows, Space and typing only (the focus enters the question first)."""
    # Into the question's answer (past its « Écouter » toolbar, the first stop in its box). A
    # long lesson has more stops before it than `tab_until` tries: start from that toolbar.
    listen = question(page, q.id).locator(".cq-listen button")
    if listen.count():
        listen.first.focus()
    tab_until(
        page,
        f"el => !!el.closest(\"fieldset[data-question='{q.id}']\") && !el.closest('.cq-listen')",
    )
    # The choices in the order this learner sees them (drawn per learner, not the module's).
    shown = question(page, q.id).locator("input").evaluate_all("els => els.map(e => e.value)")
    if q.type == "qcu":
        assert active(page, "el => el.type") == "radio"
        page.keyboard.press("Space")  # checks the first choice
        for _ in range(shown.index(value)):
            page.keyboard.press("ArrowDown")  # moves to and checks the next one
    elif q.type == "qcm":
        for i, choice in enumerate(shown):
            if i:
                page.keyboard.press("Tab")
            assert active(page, "el => el.value") == choice
            if choice in value:
                page.keyboard.press("Space")
    elif q.type in ("qrocm", "formulaire"):
        for i, text in enumerate(value):
            if i:
                page.keyboard.press("Tab")
            page.keyboard.type(text)
    elif q.type in KEYBOARD_SIMULATIONS:
        KEYBOARD_SIMULATIONS[q.type](page, q, value)
    else:
        page.keyboard.type(value)


# --- Simulations (messagerie, navigateur, conversation, etapes) -----------------------------


def _decision_names(q) -> dict[str, str]:
    return dict(q.kind.public_scene(q)["decisions"])


def _click_mailbox(page, box, q, value) -> None:
    said = _decision_names(q)
    subjects = {str(m["id"]): str(m["subject"]) for m in q.scene["messages"]}
    for part in value:
        ident, _, decision = part.partition("=")
        opener = box.get_by_role("button", name=re.compile(re.escape(subjects[ident])))
        if opener.get_attribute("aria-expanded") != "true":
            opener.click()
        region = box.get_by_role("region", name=subjects[ident], exact=True)
        region.get_by_role("radio", name=said[decision], exact=True).check()


def _click_browser(page, box, q, value) -> None:
    title = next(li["title"] for li in q.scene["links"] if li["id"] == value)
    box.get_by_role("radio", name=f"Je choisis ce site : {title}", exact=True).check()


def _click_conversation(page, box, q, value) -> None:
    for reply in value:
        box.get_by_role("button", name=reply, exact=True).click()


def _moves_up(q, value) -> Iterator[str]:
    """The step to move up, once per « Monter » press, that turns the shown order into `value`
    (each step is brought up to its place in turn)."""
    order = list(q.kind.public_scene(q)["steps"])
    for target, step in enumerate(value):
        while order.index(step) > target:
            yield step
            n = order.index(step)
            order[n - 1], order[n] = order[n], order[n - 1]


def _click_steps(page, box, q, value) -> None:
    for step in _moves_up(q, value):
        box.get_by_role("button", name=f"Monter : {step}", exact=True).click()


SIMULATIONS = {
    "messagerie": _click_mailbox,
    "navigateur": _click_browser,
    "conversation": _click_conversation,
    "etapes": _click_steps,
}


def _keys_mailbox(page, q, value) -> None:
    """Enter opens a message (the focus is on its line); Tab enters its radios; Space and
    arrows choose; Tab goes on to the next message's line."""
    decisions = [word for word, _said in q.kind.public_scene(q)["decisions"]]
    chosen = dict(part.partition("=")[::2] for part in value)
    for n, message in enumerate(q.scene["messages"]):
        if n:
            tab_until(page, "el => el.classList.contains('cq-mail-open')")
        assert active(page, "el => el.getAttribute('aria-expanded')") == "false"
        page.keyboard.press("Enter")
        assert active(page, "el => el.getAttribute('aria-expanded')") == "true"
        if str(message["id"]) not in chosen:
            continue
        page.keyboard.press("Tab")
        assert active(page, "el => el.type") == "radio"
        page.keyboard.press("Space")
        for _ in range(decisions.index(chosen[str(message["id"])])):
            page.keyboard.press("ArrowDown")


def _keys_browser(page, q, value) -> None:
    ids = [str(link["id"]) for link in q.scene["links"]]
    if active(page, "el => el.type") != "radio":
        tab_until(page, "el => el.type === 'radio'")
    page.keyboard.press("Space")
    for _ in range(ids.index(value)):
        page.keyboard.press("ArrowDown")


def _keys_conversation(page, q, value) -> None:
    for reply in value:
        test = f"el => el.tagName === 'BUTTON' && el.textContent === {reply!r}"
        if not active(page, test):
            tab_until(page, test)
        page.keyboard.press("Enter")


def _keys_steps(page, q, value) -> None:
    focused = None
    for step in _moves_up(q, value):
        if step != focused:  # the focus stays on a step's « Monter » button while it rises
            tab_until(page, f"el => el.getAttribute('aria-label') === {('Monter : ' + step)!r}")
            focused = step
        page.keyboard.press("Enter")


KEYBOARD_SIMULATIONS = {
    "messagerie": _keys_mailbox,
    "navigateur": _keys_browser,
    "conversation": _keys_conversation,
    "etapes": _keys_steps,
}
