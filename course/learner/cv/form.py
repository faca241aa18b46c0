"""The CV form's parts: labelled fields with an example, and the lists (experiences, skills…)
the learner grows and shrinks one entry at a time, asking before anything is removed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

import ipywidgets as w

from course.learner.cv import (
    MAX_ITEMS,
    Experience,
)
from course.learner.pages import _button, _html

STYLE = {"description_width": "initial", "font_size": "20px"}


# Fields only: the page's look lives in the workshop template; these rules are specific to the
# form (labels above their field, textareas as visible as text inputs).
CSS = """<style>
.cq-cv .widget-text, .cq-cv .widget-textarea { flex-direction: column; align-items: stretch;
  width: 100%; max-width: 40rem; height: auto; margin: 0 0 1rem 0; }
.cq-cv .widget-text .widget-label, .cq-cv .widget-textarea .widget-label { width: auto;
  max-width: none; font-size: 20px; font-weight: bold; margin-bottom: 0.3rem; white-space: normal;
  overflow: visible; text-overflow: clip; height: auto; line-height: 1.4; text-align: left; }
.cq-cv .widget-text input, .cq-cv .widget-textarea textarea { font-size: 20px; min-height: 44px;
  border: 2px solid #4d4d4d; padding: 0.3rem 0.5rem; font-family: inherit; }
.cq-cv .widget-textarea textarea { line-height: 1.4; }
.cq-cv .jupyter-button { flex: 0 0 auto; max-width: calc(100% - 0.8rem); white-space: normal; overflow: visible;
  text-overflow: clip; }
.cq-cv .widget-vbox > .jupyter-button { align-self: flex-start; }
.cq-cv-item { border: 2px solid #4d4d4d; border-radius: 10px; padding: 0.2rem 1rem 0.6rem;
  margin: 0 0 1rem 0; }
</style>"""

EXAMPLES = {
    "first_name": "Exemple : Hélène",
    "last_name": "Exemple : Lefèvre",
    "title": "Exemple : Vendeuse en boulangerie",
    "phone": "Exemple : 06 12 34 56 78",
    "email": "Exemple : helene.lefevre@exemple.fr",
    "town": "Exemple : Lyon",
    "profile": "Exemple : Vendeuse souriante, 5 ans d'expérience, disponible tout de suite.",
}
EXPERIENCE_EXAMPLES = {
    "title": "Exemple : Vendeuse",
    "employer": "Exemple : Boulangerie Martin",
    "place": "Exemple : Lyon",
    "dates": "Exemple : de 2019 à 2023",
    "description": "Exemple :\n- Accueil des clients\n- Tenue de la caisse",
}
TRAINING_EXAMPLES = {
    "title": "Exemple : CAP Employé de vente",
    "school": "Exemple : Lycée Jean Moulin, Lyon",
    "year": "Exemple : 2015",
}
LIST_FIELDS = {
    "skills": (
        "Vos compétences (une par ligne)",
        "Exemple :\nAccueillir les clients\nTenir une caisse\nTravailler en équipe",
    ),
    "languages": (
        "Les langues que vous parlez (une par ligne)",
        "Exemple :\nFrançais : langue maternelle\nAnglais : quelques mots",
    ),
    "interests": (
        "Ce que vous aimez faire, vos centres d'intérêt (un par ligne)",
        "Exemple :\nCuisine\nRandonnée\nBénévolat dans une association",
    ),
}


@dataclass
class Step:
    title: str
    intro: str
    fields: tuple[str, ...] = ()  # CV fields whose problems send the learner back here
    widgets: list[w.Widget] = field(default_factory=list)


def _wrap() -> w.Layout:
    return w.Layout(flex_flow="row wrap")


def _field(label: str, example: str, value: str, multiline: bool = False) -> w.Widget:
    if multiline:
        return w.Textarea(value=value, description=label, placeholder=example, rows=5, style=STYLE)
    return w.Text(value=value, description=label, placeholder=example, style=STYLE)


class ItemList:
    """The learner's experiences (or trainings): one framed block each, added and removed."""

    def __init__(self, kind: type, name: str, labels: dict, examples: dict, on_change: Callable):
        self.kind = kind
        self.name = name  # "expérience" or "formation"
        # « l'expérience », « la formation »: both feminine, elided before a vowel.
        self.the = f"l'{name}" if name[:1].lower() in "aeéèêiouhy" else f"la {name}"
        self.labels = labels
        self.examples = examples
        self.on_change = on_change
        self.rows: list[dict[str, w.Widget]] = []
        self.box = w.VBox()
        self.add_button = _button(f"Ajouter une {name}")
        self.add_button.on_click(self.add)
        self.limit = MAX_ITEMS["experiences" if kind is Experience else "training"]

    @property
    def items(self) -> list:
        return [self.kind(**{k: wid.value for k, wid in row.items()}) for row in self.rows]

    def show(self, items: list) -> None:
        self.rows, blocks = [], []
        for i, item in enumerate(items, 1):
            row = {
                f.name: _field(
                    self.labels[f.name],
                    self.examples[f.name],
                    getattr(item, f.name),
                    multiline=f.name == "description",
                )
                for f in fields(self.kind)
            }
            for widget in row.values():
                widget.observe(self.on_change, names="value")
            self.rows.append(row)
            remove = _button(f"Enlever {self.the} {i}", primary=False)
            confirm = w.VBox()
            remove.on_click(lambda _b, i=i, confirm=confirm: self.ask_remove(i, confirm))
            block = w.VBox(
                [_html(f"<h3>{self.name.capitalize()} {i}</h3>"), *row.values(), remove, confirm]
            )
            block.add_class("cq-cv-item")
            blocks.append(block)
        self.box.children = blocks
        full = len(items) >= self.limit
        self.add_button.disabled = full
        self.add_button.description = (
            f"Vous avez déjà {self.limit} {self.name}s" if full else f"Ajouter une {self.name}"
        )

    def add(self, _button=None) -> None:
        items = self.items
        if len(items) < self.limit:
            self.show([*items, self.kind()])
            self.on_change()

    def ask_remove(self, number: int, panel: w.VBox) -> None:
        yes = _button(f"Oui, enlever {self.the} {number}")
        no = _button("Non, la garder", primary=False)
        yes.on_click(lambda _b: self.remove(number))
        no.on_click(lambda _b: setattr(panel, "children", []))
        panel.children = [
            _html(f"<p>Voulez-vous vraiment enlever {self.the} {number} ?</p>"),
            w.HBox([yes, no], layout=_wrap()),
        ]

    def remove(self, number: int) -> None:
        items = self.items
        del items[number - 1]
        self.show(items)
        self.on_change()
