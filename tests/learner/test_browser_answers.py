"""No answer lost, no garbage kept, in Chromium: two tabs of one learner answering at the same
moment for 30 rounds keep every answer; forged and oversized answers sent by the page's own
widget are refused in French and never stored; after collection the kernel refuses changes."""

from __future__ import annotations

import time

import pytest
from browser_support import new_context, open_page, question, running, wait_drawn, wait_saved

pytestmark = pytest.mark.browser

ROUNDS = 30


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from support.project import essai_project_at

    from course.trainer.workflow import release

    project = essai_project_at(tmp_path_factory.mktemp("reponses") / "essai")
    module = project.catalogue.get("essai")
    release(project, module)
    roster = project.roster()
    learners = {name: roster.add(name)[0] for name in ("Alice", "Bob", "Chloé", "Denis")}
    return project, module, learners


@pytest.fixture(scope="module")
def server(site):
    yield from running(site[0], pool_size=0)


def evaluation(server, site, name: str, context):
    project, module, learners = site
    link = project.roster().new_link(learners[name].id)
    return open_page(context, server.url("essai/evaluation.ipynb", link))


def answers(site, name: str) -> dict:
    from course.answers.store import ANSWERS_FILE, AnswerStore

    project, module, learners = site
    return AnswerStore(project.workspace(learners[name].id, module.id) / ANSWERS_FILE).answers


TYPE_NOW = """([qid, text]) => {
  const field = document.querySelector(`fieldset[data-question='${qid}'] .cq-text`);
  field.value = text;
  field.dispatchEvent(new Event('change', { bubbles: true }));
}"""


def test_two_tabs_answering_at_the_same_moment_lose_nothing(server, site, guard):
    context = new_context(guard)
    one = evaluation(server, site, "Alice", context)
    two = open_page(context, server.url("essai/evaluation.ipynb"))  # the same session
    assert two.get_by_text("Bonjour Alice.").is_visible()
    for n in range(ROUNDS):
        # Both changes leave the browser before either kernel has written anything.
        one.evaluate(TYPE_NOW, ["eval-nombre", f"un {n}"])
        two.evaluate(TYPE_NOW, ["eval-message", f"deux {n}"])
        wanted = {"eval-nombre": f"un {n}", "eval-message": f"deux {n}"}
        deadline = time.time() + 20
        while (saved := answers(site, "Alice")) != wanted and time.time() < deadline:
            time.sleep(0.05)
        assert saved == wanted, (n, saved)
    context.close()


FORGE_CHOICE = """([qid, fake]) => {
  const box = document.querySelector(`fieldset[data-question='${qid}']`);
  const input = box.querySelector('input[type=radio], input[type=checkbox]');
  input.value = fake;  // as a page altered in the browser's tools would send it
  input.click();
}"""


def refusal(page, qid: str, text: str) -> None:
    question(page, qid).locator(".cq-saved").filter(has_text=text).wait_for(timeout=20_000)


def test_forged_and_oversized_answers_are_refused_in_french(server, site, context, guard):
    from course.answers.answer_rules import SHORT_LIMIT, WRITTEN_LIMIT

    page = evaluation(server, site, "Bob", context)
    page.evaluate(FORGE_CHOICE, ["eval-couleur", "Violet"])
    refusal(page, "eval-couleur", "ne fait pas partie des choix")
    page.evaluate(FORGE_CHOICE, ["eval-fruits", "Tomate"])
    refusal(page, "eval-fruits", "ne fait pas partie des choix")
    page.evaluate(TYPE_NOW, ["eval-nombre", "7" * (SHORT_LIMIT + 1)])
    refusal(page, "eval-nombre", "trop longue")
    page.evaluate(TYPE_NOW, ["eval-message", "a" * (WRITTEN_LIMIT + 1)])
    refusal(page, "eval-message", "5\u202f000 caractères au plus")
    assert answers(site, "Bob") == {}
    # At the limit, it is an answer like any other.
    page.evaluate(TYPE_NOW, ["eval-message", "a" * WRITTEN_LIMIT])
    refusal(page, "eval-message", "enregistrée à")
    assert answers(site, "Bob") == {"eval-message": "a" * WRITTEN_LIMIT}


# A busy computer, as the 60-learner benchmark makes one: each widget's module takes 3 s to
# load. anywidget gives a module 2 s; past that it dropped every update the kernel sent to the
# model, so the answer was stored but « Réponse enregistrée » never showed.
SLOW_MODULES = """(() => {
  const make = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (object) =>
    object instanceof Blob && object.type === "text/javascript"
      ? make(new Blob(["await new Promise((done) => setTimeout(done, 3000));\\n", object],
                      { type: object.type }))
      : make(object);
})();"""


def test_a_slow_widget_module_still_shows_the_kernels_confirmation(server, site, guard):
    context = new_context(guard)
    context.add_init_script(SLOW_MODULES)
    page = evaluation(server, site, "Denis", context)
    page.evaluate(TYPE_NOW, ["eval-nombre", "12"])
    refusal(page, "eval-nombre", "enregistrée à")
    assert answers(site, "Denis") == {"eval-nombre": "12"}
    context.close()


def test_after_collection_the_kernel_refuses_changes(server, site, context, guard):
    from course.learner.session import LearnerSession
    from course.trainer.workflow import collect

    project, module, learners = site
    page = evaluation(server, site, "Chloé", context)
    page.evaluate(TYPE_NOW, ["eval-nombre", "7"])
    refusal(page, "eval-nombre", "enregistrée à")
    LearnerSession(project, module, learners["Chloé"].id).submit()
    collect(project, module)
    # The page was drawn before the collection: its field is still open, the kernel is not.
    page.evaluate(TYPE_NOW, ["eval-nombre", "8"])
    refusal(page, "eval-nombre", "ramassées")
    assert answers(site, "Chloé")["eval-nombre"] == "7"


def shown_choices(page, qid: str) -> list[str]:
    return question(page, qid).locator(".cq-choice-text").all_inner_texts()


def test_choices_come_in_the_learners_own_order_kept_on_reload(server, site, guard):
    """The page shows each question's choices in the order drawn for that learner; a reload
    shows the same; the answer stored is the choice's text, wherever it stood."""
    from course.answers.kinds.choices import ordered_choices
    from course.answers.scoring import score

    project, module, learners = site
    couleur = next(q for q in module.questions if q.id == "eval-couleur")
    fruits = next(q for q in module.questions if q.id == "eval-fruits")
    context = new_context(guard)
    page = evaluation(server, site, "Alice", context)
    alice = learners["Alice"].id
    assert shown_choices(page, "eval-couleur") == ordered_choices(couleur, alice)
    assert shown_choices(page, "eval-fruits") == ordered_choices(fruits, alice)
    question(page, "eval-couleur").get_by_label("Bleu").check()
    wait_saved(page, "eval-couleur")
    page.reload()
    wait_drawn(page, ".cq-page")
    assert shown_choices(page, "eval-couleur") == ordered_choices(couleur, alice)
    assert question(page, "eval-couleur").get_by_label("Bleu").is_checked()
    saved = answers(site, "Alice")["eval-couleur"]
    assert saved == "Bleu" and score(couleur.key(), saved) == couleur.points
    context.close()
    # Bob sees the orders drawn for him.
    other = new_context(guard)
    bob = evaluation(server, site, "Bob", other)
    assert shown_choices(bob, "eval-couleur") == ordered_choices(couleur, learners["Bob"].id)
    assert shown_choices(bob, "eval-fruits") == ordered_choices(fruits, learners["Bob"].id)
    other.close()


def test_the_sign_in_form_links_to_the_notice_on_personal_data(server, guard):
    """Before signing in, a learner can read what is kept about them, served without internet."""
    context = new_context(guard)
    page = open_page(context, server.url("index.ipynb"))
    link = page.locator(".cq-signin").get_by_role(
        "link", name="Vos données : ce que nous gardons sur vous, et pourquoi"
    )
    link.click()
    page.get_by_role("heading", name="Vos données : ce que nous gardons sur vous").wait_for(
        timeout=60_000
    )
    text = page.locator(".cq-page").inner_text()
    for words in ("Pourquoi", "combien de temps", "effacer", "CNIL", "Se déconnecter"):
        assert words in text, words
    assert page.get_by_role("link", name="Retour à l'accueil").is_visible()
    context.close()
