"""The page's own controls: plain HTML forms and buttons drawn by small anywidgets
(`course/learner/static/page.js`) with real labels and focus handling, plus the helpers every
page uses to show text and to log an error for the trainer without showing it to the learner.
"""

from __future__ import annotations

import html
import os
import sys
import traceback
from collections.abc import Callable
from datetime import datetime

import anywidget
import ipywidgets as w
import traitlets

from course.access.provider import Identity, KernelRequest, SignInError
from course.core.french import day_and_clock
from course.learner.assets import esm, stylesheet
from course.learner.page_error import page_error_fragment
from course.learner.voila_query import get_query_string, wait_for_request


def full_width() -> w.Layout:
    """A new full-width layout each time: no widget is made at import, so the kernel zygote
    (course.server.kernel_fork) can import this module before it forks kernels."""
    return w.Layout(width="100%")


# The page's text when its kernel fails while drawing: the template's (`page_error.html`),
# with the way back to the modules, which the page can link to from here.
PAGE_ERROR = page_error_fragment().rpartition("</div>")[0] + (
    "<p><a class='cq-link' href='../index.ipynb'>Retour à la liste des modules</a></p></div>"
)


def _time(stamp: str | None) -> str:
    """« lundi 7 décembre 2026 à 14 h 05 » from an ISO timestamp, or "" when unknown."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    return day_and_clock(moment)


def _html(markup: str, cls: str = "") -> w.HTML:
    widget = w.HTML(markup, layout=full_width())
    if cls:
        widget.add_class(cls)
    return widget


def _button(text: str, primary: bool = True) -> w.Button:
    """An ipywidgets button with our look (text name, large, AA contrast); pages of other
    apps use it. Our own pages draw their buttons in `page.js`."""
    button = w.Button(description=text, layout=w.Layout(width="auto", height="auto"))
    button.add_class("cq-page-button" if primary else "cq-page-button-secondary")
    return button


def _query_string() -> str:
    try:
        return get_query_string()
    except Exception:  # outside Voilà (e.g. JupyterLab) there is no query-string channel
        return os.environ.get("QUERY_STRING", "")


def _kernel_request() -> KernelRequest:
    """The request this page's kernel was started for (a preheated kernel waits for it first),
    for the identity provider to read."""
    try:
        wait_for_request()
    except Exception:  # outside Voilà: no request channel, only the environment
        pass
    return KernelRequest.from_environ(os.environ)


# Starts every error report a page writes to the kernel's stderr, so `course check` tells a
# page's failure from the kernel's own notices (ipykernel logs ZMQ tracebacks at shutdown).
PAGE_ERROR_MARK = "course: page error"


def log_page_error(what: str = "") -> None:
    """Tell the trainer's terminal (the kernel's stderr is Voilà's log, never the page)."""
    print(f"{PAGE_ERROR_MARK}{': ' + what if what else ''}", file=sys.__stderr__)
    traceback.print_exc(file=sys.__stderr__)


class _PageControl(anywidget.AnyWidget):
    _esm = esm("page", "question.css")  # once per page under our Voilà (course.learner.assets)
    _css = stylesheet("question.css")
    kind = traitlets.Unicode("").tag(sync=True)


class SignInWidget(_PageControl):
    """A form with a labelled first-name field, a labelled code field and an "Entrer" button.

    The code travels in one message to the kernel and is never kept in the widget's state.
    `name`: a first name already written (a spent card link: only the code is asked)."""

    kind = traitlets.Unicode("signin").tag(sync=True)
    message = traitlets.Dict().tag(sync=True)
    name = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        sign_in: Callable[[str, str], Identity],
        on_success: Callable[[Identity], None],
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.sign_in = sign_in  # the identity provider's: SignInError (French) when refused
        self.on_success = on_success
        self.on_msg(self._on_message)

    def _on_message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("event") != "sign-in":
            return
        name, code = content.get("name"), content.get("code")
        if not isinstance(name, str) or not isinstance(code, str):
            return
        try:
            identity = self.sign_in(name[:100], code[:40])
        except SignInError as exc:
            self.say(str(exc))
            return
        except Exception:  # e.g. var/ not writable: say so rather than leave "Vérification…"
            log_page_error()
            self.say(
                "Votre code n'a pas pu être vérifié sur cet ordinateur. "
                "Prévenez la personne qui anime l'atelier."
            )
            return
        self.on_success(identity)

    def say(self, text: str) -> None:
        # `n` changes every time, so the same message twice still reaches the browser.
        self.message = {"text": text, "n": self.message.get("n", 0) + 1}


class SignedInWidget(_PageControl):
    """Invisible: takes the card's link out of the address bar, hands a new session to the
    server, which sets the browser's HttpOnly cookie (`session_path`, relative to the site's
    root; `course.access.sessions`), and, after signing in on the page, moves the focus to h1.
    `session` is set only when the session is new: a page opened with the cookie never sees
    the token."""

    kind = traitlets.Unicode("signed-in").tag(sync=True)
    session = traitlets.Unicode("").tag(sync=True)
    session_path = traitlets.Unicode("").tag(sync=True)
    focus = traitlets.Bool(False).tag(sync=True)


class SignOutWidget(_PageControl):
    """Who is signed in, and « Se déconnecter »: on a shared computer the next person must find
    nothing. The kernel ends the session first; then the page asks the server to end the
    cookie too, forgets what the tab kept, and goes home.

    `idle_seconds` (0: none): the page tells the server (`session_path`) when the learner is
    active, and goes home by itself once the server says the session ended (idle too long)."""

    kind = traitlets.Unicode("account").tag(sync=True)
    name = traitlets.Unicode("").tag(sync=True)
    signed_out = traitlets.Bool(False).tag(sync=True)
    idle_seconds = traitlets.Float(0.0).tag(sync=True)
    session_path = traitlets.Unicode("").tag(sync=True)
    leave_url = traitlets.Unicode("").tag(sync=True)  # "": the site's home; a hub's logout

    def __init__(self, name: str, sign_out: Callable[[], None], **kwargs):
        super().__init__(name=name, **kwargs)
        self.sign_out_callback = sign_out
        self.on_msg(self._on_message)

    def _on_message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("event") != "sign-out":
            return
        try:
            self.sign_out_callback()
        except Exception:
            log_page_error("sign-out")
        # Even if the server could not record it, the browser forgets the session.
        self.signed_out = True


class SubmitWidget(_PageControl):
    """ "Envoyer mes réponses", then a panel that takes the focus: what is answered, what is
    still empty, a question, the confirmation or the refusal, all in plain French."""

    kind = traitlets.Unicode("submit").tag(sync=True)
    panel = traitlets.Dict().tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, review: Callable[[], dict], send: Callable[[], dict], **kwargs):
        super().__init__(**kwargs)
        # (not `_send`: ipywidgets' own method has that name)
        self.review_callback = review
        self.send_callback = send
        self.on_msg(self._on_message)

    def _on_message(self, _widget, content, _buffers) -> None:
        event = content.get("event") if isinstance(content, dict) else None
        actions = {"review": self.review_callback, "send": self.send_callback, "cancel": dict}
        if event not in actions:
            return
        try:
            panel = actions[event]()
        except Exception:
            log_page_error()
            panel = {
                "kind": "error",
                "title": "Un problème est arrivé",
                "lines": [
                    "Vos réponses sont bien gardées sur cet ordinateur, mais rien n'a été envoyé.",
                    "Prévenez la personne qui anime l'atelier.",
                ],
            }
        # A counter, so that the same panel shown twice still reaches the page (and the focus).
        self.panel = {**panel, "n": self.panel.get("n", 0) + 1}


def making_failed(exc: BaseException, made: str, log_what: str, without_font: str = "") -> str:
    """The French alert when a file made for the learner (CV, results PDF) could not be made;
    anything but a missing font is logged for the trainer (`log_page_error`), never shown."""
    from course.fonts import FontNotFound

    if isinstance(exc, FontNotFound):
        return (
            "<p role='alert'>Le PDF ne peut pas être fabriqué sur cet ordinateur. "
            f"Prévenez la personne qui anime l'atelier.{without_font}</p>"
        )
    log_page_error(log_what)
    return f"<p role='alert'>{made} n'a pas pu être fabriqué. Prévenez la personne qui anime l'atelier.</p>"


def download_html(name: str, mime: str, data: bytes, extra: str = "", auto: bool = True) -> str:
    """A file made on a button's click, saved at once: its link carries the class
    `cq-auto-download`, which the page's script (the template's `atelier.js`) clicks as soon
    as it appears, so one click on the button downloads; the link stays, for saving it again.
    `auto=False` for the second and later files of one click (browsers ask before several)."""
    import base64

    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    name = html.escape(name, quote=True)
    if not auto:
        return (
            f"<p><strong>Le fichier « {name} ».</strong>{extra}</p><p><a class='cq-link' "
            f"href='{href}' download='{name}'>Enregistrer le fichier « {name} »</a></p>"
        )
    return (
        f"<p><strong>✔ Le fichier « {name} » est téléchargé.</strong>{extra} Il va en général "
        "dans le dossier « Téléchargements » de l'ordinateur.</p>"
        "<p>Vous ne le trouvez pas ? <a class='cq-link cq-auto-download' "
        f"href='{href}' download='{name}'>Enregistrer de nouveau le fichier « {name} »</a></p>"
    )
