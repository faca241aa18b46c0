"""What a public deployer must publish (docs/): the learners' notice on personal data (the same
text the sign-in form links to), an entry for the registre des traitements, and an
accessibility statement template that says « non conformes » until an audit."""

from __future__ import annotations

from pathlib import Path

from course.learner.pages.privacy import NOTICE, notice_html

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_notice_in_docs_is_the_page_learners_read():
    published = (DOCS / "donnees-personnelles-apprenants.md").read_text(encoding="utf-8")
    assert published == NOTICE.read_text(encoding="utf-8")
    page = notice_html()
    assert page.startswith("<h1>Vos données : ce que nous gardons sur vous</h1>")
    # What, why, where and how long, the rights and how to use them, CNIL's advice.
    for heading in ("Ce que nous gardons", "Pourquoi", "Où et combien de temps", "Vos droits"):
        assert f"<h2>{heading}</h2>" in page
    for words in ("effacer", "CNIL", "ordinateur public garde des traces", "inventez-les"):
        assert words in page


def test_the_notice_is_written_in_plain_french():
    from course.content.check.french import find_jargon, read_jargon, split_sentences, words

    jargon = read_jargon()
    sentences = split_sentences(NOTICE.read_text(encoding="utf-8"))
    assert all(len(words(s)) <= 25 for s in sentences), max(sentences, key=len)
    assert [find_jargon(s, jargon) for s in sentences if find_jargon(s, jargon)] == []


def test_the_registre_entry_and_the_accessibility_statement():
    registre = (DOCS / "registre-des-traitements.md").read_text(encoding="utf-8")
    for rubric in ("Finalités", "Base légale", "Durée de conservation", "Destinataires"):
        assert f"| {rubric} |" in registre
    assert "donnees-personnelles-apprenants.md" in registre
    statement = (DOCS / "declaration-accessibilite.md").read_text(encoding="utf-8")
    assert "RGAA 4.1.2" in statement and "**non conformes**" in statement


def test_the_served_site_has_the_notice_page(tmp_path):
    from support.project import essai_project_at

    from course.server.serve import build_site

    site = build_site(essai_project_at(tmp_path / "essai"))
    notebook = (site / "donnees-personnelles.ipynb").read_text(encoding="utf-8")
    assert "privacy_app()" in notebook
