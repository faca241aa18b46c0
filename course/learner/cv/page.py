"""The CV page: the learner fills in a CV step by step, then downloads it as PDF or Word.

Each change is saved at once in the learner's folder (`<learners>/<id>/cv/cv.json`, through
`course.learner.cv.CVStore`), so a reload, or another computer of the room, brings every answer back.
The files are made on this machine and offered as `data:` links with a `download` name: nothing
is sent anywhere, and it works without Internet.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as w

from course.answers.answer_rules import AnswerRefused
from course.core.french import clock
from course.fonts import find_fonts
from course.learner.cv import (
    CV,
    EXPERIENCE_LABELS,
    HEADINGS,
    LABELS,
    TRAINING_LABELS,
    CVDocument,
    CVError,
    CVStore,
    Experience,
    FontNotFound,
    Problem,
    Training,
    check,
    clean,
    make_docx,
    make_pdf,
)
from course.learner.cv.form import (
    CSS,
    EXAMPLES,
    EXPERIENCE_EXAMPLES,
    LIST_FIELDS,
    TRAINING_EXAMPLES,
    ItemList,
    Step,
    _field,
    _wrap,
)
from course.learner.pages import Page, _button, _html
from course.learner.pages.controls import download_html, log_page_error, making_failed


class CVPage(Page):
    needs_learner = True

    def heading(self) -> w.HTML:
        return _html("<h1>Mon CV</h1>")

    def render(self) -> None:
        self.root.add_class("cq-cv")
        self.store = CVStore.for_learner(self.project, self.me.id)
        cv = self.store.cv
        self.status = _html("<p>Vos réponses sont enregistrées à chaque changement.</p>")
        self.fields = {
            name: _field(label, EXAMPLES[name], getattr(cv, name), multiline=name == "profile")
            for name, label in LABELS.items()
        }
        self.lists = {
            name: _field(label, example, "\n".join(getattr(cv, name)), multiline=True)
            for name, (label, example) in LIST_FIELDS.items()
        }
        for widget in [*self.fields.values(), *self.lists.values()]:
            widget.observe(self.save, names="value")
        self.experiences = ItemList(
            Experience, "expérience", EXPERIENCE_LABELS, EXPERIENCE_EXAMPLES, self.save
        )
        self.experiences.show(cv.experiences or [Experience()])
        self.training = ItemList(
            Training, "formation", TRAINING_LABELS, TRAINING_EXAMPLES, self.save
        )
        self.training.show(cv.training or [Training()])

        self.pdf_button = _button("Télécharger mon CV en PDF")
        self.pdf_button.on_click(lambda _b: self.download(make_pdf))
        self.docx_button = _button("Télécharger mon CV en Word (DOCX)", primary=False)
        self.docx_button.on_click(lambda _b: self.download(make_docx))
        self.problems = w.VBox()
        self.result = _html("")
        self.steps = self.make_steps()
        self.step_box = w.VBox()
        self.step_box.add_class("cq-cv-step")
        self.previous_button = _button("Étape précédente", primary=False)
        self.previous_button.on_click(lambda _b: self.go(self.step - 1))
        self.next_button = _button("Étape suivante")
        self.next_button.on_click(lambda _b: self.go(self.step + 1))
        intro = [
            self.heading(),
            _html(CSS),
            _html(
                f"<p>Bonjour {html.escape(self.me.name)}. Remplissez votre CV étape par "
                "étape. À la fin, vous pourrez le télécharger pour l'imprimer ou l'envoyer.</p>"
            ),
        ]
        if self.store.recovered_from:
            intro.append(
                _html(
                    "<p role='alert'>Votre CV enregistré était abîmé. Il a été mis de côté pour "
                    "la personne qui anime l'atelier. Vous pouvez recommencer.</p>"
                )
            )
        self.root.children = [
            *intro,
            self.step_box,
            w.HBox([self.previous_button, self.next_button], layout=_wrap()),
            self.status,
            _html(
                f"<p><a class='cq-link' href='{self.link('../index.ipynb')}'>"
                "Retour à la liste des modules</a></p>"
            ),
        ]
        self.go(0)

    def make_steps(self) -> list[Step]:
        controls = {**self.fields, **self.lists}

        def of_fields(title: str, intro: str, *names: str) -> Step:
            """A step that shows the controls of these CV fields, and only them."""
            return Step(title, intro, names, [controls[name] for name in names])

        return [
            of_fields(
                "Qui êtes-vous\u00a0?",  # no line break before "?"
                "Votre prénom et votre nom sont écrits en haut du CV. Dessous, le métier que "
                "vous cherchez : c'est le titre de votre CV.",
                "first_name",
                "last_name",
                "title",
            ),
            of_fields(
                "Comment vous joindre",
                "L'employeur doit pouvoir vous appeler ou vous écrire. Donnez au moins un "
                "numéro de téléphone ou une adresse courriel. Choisissez une adresse sérieuse, "
                "par exemple avec votre prénom et votre nom. Votre adresse postale n'est pas "
                "utile : la ville suffit.",
                "phone",
                "email",
                "town",
            ),
            of_fields(
                "Votre profil",
                "En une phrase, dites qui vous êtes et ce que vous savez faire. "
                "Cette phrase est utile, mais vous pouvez la laisser vide.",
                "profile",
            ),
            Step(
                HEADINGS["experiences"],
                "Écrivez vos emplois. Commencez par le plus récent. Les stages et le bénévolat "
                "comptent aussi. Si vous n'avez pas encore travaillé, laissez cette étape vide.",
                ("experiences",),
                [self.experiences.box, self.experiences.add_button],
            ),
            of_fields(
                HEADINGS["skills"],
                "Ce que vous savez faire. Écrivez une compétence par ligne : appuyez sur la "
                "touche Entrée pour aller à la ligne.",
                "skills",
            ),
            Step(
                HEADINGS["training"],
                "Vos diplômes et vos formations. Commencez par le plus récent.",
                ("training",),
                [self.training.box, self.training.add_button],
            ),
            of_fields(
                "Langues et centres d'intérêt",
                "Les langues que vous parlez, puis ce que vous aimez faire. "
                "Écrivez une chose par ligne.",
                "languages",
                "interests",
            ),
            Step(
                "Télécharger votre CV",
                "Votre CV tient sur une page. Le PDF est le bon format pour l'envoyer à un "
                "employeur. Le fichier Word (DOCX) peut encore être modifié, avec Word ou "
                "LibreOffice.",
                (),
                [
                    self.problems,
                    w.HBox([self.pdf_button, self.docx_button], layout=_wrap()),
                    self.result,
                ],
            ),
        ]

    def go(self, index: int) -> None:
        self.step = max(0, min(index, len(self.steps) - 1))
        step = self.steps[self.step]
        last = self.step == len(self.steps) - 1
        self.step_box.children = [
            _html(
                f"<h2>Étape {self.step + 1} sur {len(self.steps)} : {html.escape(step.title)}</h2>"
                f"<p>{html.escape(step.intro)}</p>"
            ),
            *step.widgets,
        ]
        self.previous_button.layout.display = "none" if self.step == 0 else None
        self.next_button.layout.display = "none" if last else None
        if last:
            self.result.value = ""
            self.show_problems(check(clean(self.collect())[0]))

    def collect(self) -> CV:
        """The CV as the form shows it now (not yet cleaned)."""
        return CV(
            **{name: widget.value for name, widget in self.fields.items()},
            experiences=self.experiences.items,
            training=self.training.items,
            **{name: widget.value.split("\n") for name, widget in self.lists.items()},
        )

    def save(self, _change=None) -> None:
        try:
            self.check_signed_in()  # « Se déconnecter » in another tab: nothing more is written
        except AnswerRefused as exc:
            self.status.value = f"<p role='alert'>{html.escape(str(exc))}</p>"
            return
        try:
            notes = self.store.save(self.collect())
        except OSError:
            log_page_error(f"CV not saved for {self.me.id}")
            self.status.value = (
                "<p role='alert'>Attention : votre CV n'a pas pu être enregistré. "
                "Prévenez la personne qui anime l'atelier.</p>"
            )
            return
        text = f"<p>Enregistré à {clock(datetime.now(UTC))}.</p>"
        if notes:
            text += "".join(f"<p role='alert'>{html.escape(n)}</p>" for n in notes)
        self.status.value = text

    def show_problems(self, problems: list[Problem]) -> None:
        """What is still missing, each with a button back to its step."""
        if not problems:
            self.problems.children = [_html("<p>Tout est prêt. Choisissez un format.</p>")]
            return
        items = "".join(f"<li>{html.escape(p.message)}</li>" for p in problems)
        buttons = []
        for index, step in enumerate(self.steps):
            if any(p.field in step.fields for p in problems):
                button = _button(f"Revenir à l'étape {index + 1} : {step.title}", primary=False)
                button.on_click(lambda _b, index=index: self.go(index))
                buttons.append(button)
        self.problems.children = [
            _html(
                "<div role='alert'><p>Il manque encore quelque chose pour faire votre CV :</p>"
                f"<ul>{items}</ul></div>"
            ),
            w.HBox(buttons, layout=_wrap()),
        ]

    def fonts(self) -> dict[str, Path] | None:
        """The PDF font where nbgrader_config.py says (`c.FontSettings`), or None if missing."""
        try:
            return find_fonts(self.project.config)
        except FontNotFound:
            return None

    def download(self, make: Callable[[CV, dict[str, Path] | None], CVDocument]) -> None:
        self.result.value = "<p role='status'>Fabrication de votre CV…</p>"
        try:
            doc = make(self.collect(), self.fonts())
        except CVError as exc:
            self.result.value = ""
            self.show_problems(exc.problems)
            return
        except Exception as exc:  # a learner must never meet a traceback: say it, log it
            self.result.value = making_failed(
                exc,
                "Votre CV",
                f"CV not made for {self.me.id}",
                " Vous pouvez télécharger le fichier Word.",
            )
            return
        self.show_problems([])
        kind = "PDF" if doc.filename.endswith(".pdf") else "Word"
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in doc.notes)
        self.result.value = (
            "<div role='status'>"
            + download_html(doc.filename, doc.mime, doc.data, f" C'est votre CV en {kind}.")
            + (f"<p>À savoir :</p><ul>{notes}</ul>" if notes else "")
            + "</div>"
        )
