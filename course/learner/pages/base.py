"""What every learner page does first: find out who the learner is, and only then read or write
that learner's files.

Who the learner is, the page asks the project's identity provider (`course.access`), from the
request its kernel was started for: in the room, the session their browser holds (a cookie the
server sets, HttpOnly, forgotten when the browser closes), which they get by typing their first
name and code, or by opening their card's link once (the link is then spent and taken out of
the address bar; opened again, it writes their first name in the form and asks the code). Every
signed-in page shows « Se déconnecter », which ends the session on the server, and the session
ends by itself after a while without activity: on a shared computer the next person finds
nothing.
"""

from __future__ import annotations

import html
import os
import threading

import ipywidgets as w
from IPython.display import display

from course.access.provider import Identity
from course.access.roster import Learner
from course.access.settings import identity_provider
from course.answers.answer_rules import AnswerRefused
from course.content.catalogue import TOOLS, Module
from course.learner.pages.controls import (
    PAGE_ERROR,
    SignedInWidget,
    SignInWidget,
    SignOutWidget,
    _html,
    _kernel_request,
    full_width,
    log_page_error,
)
from course.settings import ANONYMOUS_ENV, Project, paused_dir

SIGNED_OUT = "Vous n'êtes plus connecté sur cette page. Rechargez la page (touche F5)."
IDLE_ENDED = (
    "<p role='status' class='cq-ended'>Vous avez été déconnecté : plus rien ne se passait sur "
    "la page depuis un moment. Pour continuer, entrez de nouveau votre prénom et votre code.</p>"
)
PAUSED = (
    "<div class='cq-paused' role='alert'><h1>Cette page s'est mise en pause</h1>"
    "<p>Personne n'est entré sur cette page depuis quelques minutes. Elle s'est arrêtée pour "
    "laisser de la place aux autres personnes de l'atelier.</p>"
    "<p>Pour continuer, appuyez sur le bouton « Recharger la page ».</p>"
    "<p><button type='button' class='cq-button' onclick='window.location.reload()'>"
    "Recharger la page</button></p></div>"
)


class Page:
    def __init__(self) -> None:
        self.project = Project()
        self.access = identity_provider(self.project)
        # `frame` is what is displayed: the account bar (« Se déconnecter ») above `root`,
        # which every page redraws as it likes.
        self.root = w.VBox(layout=full_width())
        self.root.add_class("cq-page-body")
        self.frame = w.VBox([self.root], layout=full_width())
        self.frame.add_class("cq-page")
        self.identity: Identity | None = None
        self.session_token = ""
        self.held: str | None = None
        self.name_hint = ""
        self.idle_ended = False  # the page went home by itself (`page.js`, `?fin=inactif`)
        self.pause_timer: threading.Timer | None = None

    @property
    def learner(self) -> Learner | None:
        """The signed-in learner (None: nobody yet)."""
        return None if self.identity is None else self.identity.learner

    @property
    def me(self) -> Learner:
        """The signed-in learner, on the parts of a page drawn only after sign-in."""
        if self.learner is None:
            raise RuntimeError("this part of the page needs a signed-in learner")
        return self.learner

    # Pages with steps, questions or explanations get « Écouter » (`widgets.ListenWidget`).
    reads_aloud = False

    def show(self) -> None:
        display(self.frame)
        if self.reads_aloud:
            from course.learner.widgets import ListenWidget

            display(ListenWidget())
        try:
            self._show()
        except Exception:
            log_page_error()
            self.root.children = [_html(PAGE_ERROR)]
        if self.learner is None:
            self.pause_later()

    def pause_later(self) -> None:
        """Nobody signed in: after `ServeSettings.anonymous_seconds`, say so and free the kernel
        (the server stops it, `course.server.launcher`), so that page views alone cannot
        fill the laptop's memory."""
        seconds = int(os.environ.get(ANONYMOUS_ENV) or 0)
        if seconds > 0:
            self.pause_timer = threading.Timer(seconds, self.pause)
            self.pause_timer.daemon = True
            self.pause_timer.start()

    def pause(self) -> None:
        if self.identity is not None:
            return
        self.frame.children = [_html(PAUSED)]
        folder = paused_dir(self.project)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / str(os.getpid())).touch()

    def tell_signed_in(self) -> None:
        """This page, given to a visitor nobody knew, is a learner's now: the server stops
        counting it among anonymous visitors' pages (`course.server.launcher`), through a file
        named after this kernel's process id beside the paused pages' folder."""
        try:
            folder = paused_dir(self.project).with_name("signed")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / str(os.getpid())).touch()
        except OSError:  # the count only errs on the safe side
            log_page_error("signed-in notice")

    def _find_learner(self) -> str | None:
        """Who this page is for, from its request; the French refusal of a proof, if any."""
        request = _kernel_request()
        visit = self.access.get_kernel_identity(request)
        self.identity, self.session_token, self.held = visit.identity, visit.session, visit.held
        self.name_hint = visit.name_hint
        self.idle_ended = request.query_value("fin") == "inactif"
        return visit.refusal or None

    def _show(self) -> None:
        refusal = self._find_learner()
        if refusal:
            advice = (
                "Votre prénom est déjà écrit : écrivez le code de votre carte, puis appuyez sur "
                "« Entrer »."
                if self.name_hint
                else "Vérifiez que vous avez ouvert votre propre lien, ou entrez votre prénom et "
                "votre code ci-dessous."
            )
            self.root.children = [
                self.heading(),
                _html(f"<p role='alert' class='cq-refused'>{html.escape(refusal)}</p>"),
                _html(f"<p>{html.escape(advice)}</p>"),
            ]
            self.ask_sign_in(self.name_hint)
            self.frame.children = [self.root, SignedInWidget()]  # the link leaves the address
            return
        if self.learner:
            self.render()
            self.show_account(focus=False)
        elif self.needs_learner:
            self.root.children = [self.heading()]
            self.ask_sign_in()
        else:
            self.render()
        if self.idle_ended and self.learner is None:  # under the heading, said once
            first, *rest = self.root.children or (_html(""),)
            self.root.children = [first, _html(IDLE_ENDED), *rest]

    needs_learner = True

    def heading(self) -> w.HTML:
        raise NotImplementedError

    def render(self) -> None:
        raise NotImplementedError

    def link(self, path: str) -> str:
        """A link to another page: the session travels in the browser's cookie, never here."""
        return path

    def check_signed_in(self) -> None:
        """Before any write: this page's session must still be open (« Se déconnecter » in
        another tab ends it, and a page left open must not write for the person who left)."""
        if self.identity is None or not self.access.session_open(self.session_token, self.identity):
            raise AnswerRefused(SIGNED_OUT)

    def show_account(self, focus: bool) -> None:
        """« Se déconnecter » above the page, and a new session handed to the server for the
        browser's cookie (a session the browser came with is not sent back to the page)."""
        path = self.access.page_session_path
        bar = SignOutWidget(
            self.me.name,
            self.sign_out,
            idle_seconds=self.access.idle_seconds,
            session_path=path,
            leave_url=self.access.page_sign_out_url(),  # behind a hub: its logout
        )
        fresh = self.session_token if self.session_token != self.held else ""
        self.frame.children = [
            bar,
            self.root,
            SignedInWidget(session=fresh, session_path=path, focus=focus),
        ]

    def sign_out(self) -> None:
        self.access.end_session(self.session_token)
        self.identity, self.session_token = None, ""

    def tool_links(self, module: Module, prefix: str) -> str:
        """Links to the extra apps a module offers (e.g. the CV builder); `prefix` is its folder."""
        return "".join(
            f"<p><a class='cq-link' href='{self.link(f'{prefix}{name}.ipynb')}'>"
            f"{html.escape(TOOLS[name].link)}</a></p>"
            for name in module.tools
        )

    def ask_sign_in(self, name: str = "") -> None:
        self.root.children = [
            *self.root.children,
            SignInWidget(self.access.sign_in, self.signed_in, name=name),
        ]

    def signed_in(self, identity: Identity) -> None:
        if self.pause_timer is not None:
            self.pause_timer.cancel()
            self.tell_signed_in()
        self.identity = identity
        # A session this browser held for someone else ends.
        self.session_token = self.access.start_session(identity, replacing=self.held)
        try:
            self.render()
        except Exception:
            log_page_error()
            self.root.children = [_html(PAGE_ERROR)]
            return
        self.show_account(focus=True)
