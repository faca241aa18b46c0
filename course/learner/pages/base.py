"""What every learner page does first: find out who the learner is (a signed personal link, or a
first name and code typed in a form), and only then read or write that learner's files.
"""

from __future__ import annotations

import html

import ipywidgets as w
from IPython.display import display

from course.content.catalogue import TOOLS, Module
from course.identity import TOKEN_PARAM, Learner, SignInError
from course.learner.pages.controls import (
    FULL_WIDTH,
    PAGE_ERROR,
    SignedInWidget,
    SignInWidget,
    _html,
    _query_string,
    _token_in,
    log_page_error,
)
from course.settings import Project


class Page:
    def __init__(self):
        self.project = Project()
        self.roster = self.project.roster()
        self.root = w.VBox(layout=FULL_WIDTH)
        self.root.add_class("cq-page")
        self.learner: Learner | None = None
        self.token = ""

    @property
    def me(self) -> Learner:
        """The signed-in learner, on the parts of a page drawn only after sign-in."""
        if self.learner is None:
            raise RuntimeError("this part of the page needs a signed-in learner")
        return self.learner

    def show(self) -> None:
        display(self.root)
        try:
            self._show()
        except Exception:
            log_page_error()
            self.root.children = [_html(PAGE_ERROR)]

    def _show(self) -> None:
        token = _token_in(_query_string())
        if token is not None:
            try:
                self.learner = self.roster.from_token(token)
            except SignInError as exc:
                self.root.children = [
                    self.heading(),
                    _html(f"<p role='alert' class='cq-refused'>{html.escape(str(exc))}</p>"),
                    _html(
                        "<p>Vérifiez que vous avez ouvert votre propre lien, ou entrez votre "
                        "prénom et votre code ci-dessous.</p>"
                    ),
                ]
                self.ask_sign_in()
                return
        if self.learner:
            self.token = self.roster.token(self.learner.id)
            self.render()
        elif self.needs_learner:
            self.root.children = [self.heading()]
            self.ask_sign_in()
        else:
            self.render()

    needs_learner = True

    def heading(self) -> w.HTML:
        raise NotImplementedError

    def render(self) -> None:
        raise NotImplementedError

    def link(self, path: str) -> str:
        return f"{path}?{TOKEN_PARAM}={self.token}" if self.token else path

    def tool_links(self, module: Module, prefix: str) -> str:
        """Links to the extra apps a module offers (e.g. the CV builder); `prefix` is its folder."""
        return "".join(
            f"<p><a class='cq-link' href='{self.link(f'{prefix}{name}.ipynb')}'>"
            f"{html.escape(TOOLS[name].link)}</a></p>"
            for name in module.tools
        )

    def ask_sign_in(self) -> None:
        self.root.children = [*self.root.children, SignInWidget(self.roster, self.signed_in)]

    def signed_in(self, learner: Learner) -> None:
        self.learner = learner
        self.token = self.roster.token(learner.id)
        try:
            self.render()
        except Exception:
            log_page_error()
            self.root.children = [_html(PAGE_ERROR)]
            return
        self.root.children = [*self.root.children, SignedInWidget(token=self.token)]
