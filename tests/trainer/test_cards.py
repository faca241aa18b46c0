"""Sign-in cards: first name, code, personal link and its QR code, as a PDF to print."""

from __future__ import annotations

import io
import re

import pytest
import segno
from click.testing import CliRunner
from pypdf import PdfReader

from course.access.roster import Learner, Roster, SignInError
from course.cli import cli
from course.trainer.cards import Card, cards_pdf, personal_link

URL = "http://192.168.1.10:8866"


@pytest.fixture
def run(project_dir, monkeypatch):
    monkeypatch.setenv("COURSE_ROOT", str(project_dir))

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return run


@pytest.fixture
def roster(project):
    return Roster(project.data_dir)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def qr_links(path, candidates: list[str]) -> list[str]:
    """The QR codes of the PDF, read back module by module, matched against `candidates`."""
    expected = {link: segno.make(link, error="m").matrix for link in candidates}
    found = []
    for page in PdfReader(path).pages:
        for image in page.images:
            picture = image.image.convert("L")
            for link, matrix in expected.items():
                size = len(matrix) + 8  # 4 modules of quiet zone on each side
                if picture.width % size:
                    continue
                scale = picture.width // size
                read = [
                    [
                        picture.getpixel(
                            ((c + 4) * scale + scale // 2, (r + 4) * scale + scale // 2)
                        )
                        < 128
                        for c in range(len(matrix))
                    ]
                    for r in range(len(matrix))
                ]
                if read == [[bool(v) for v in row] for row in matrix]:
                    found.append(link)
    return found


def codes_in(output: str) -> dict[str, str]:
    return dict(re.findall(r"^(\S+)\s+identifiant \S+\s+code (\d{6})$", output, re.M))


def test_learners_add_writes_their_cards_with_fresh_codes(run, roster, tmp_path):
    pdf = tmp_path / "cartes.pdf"
    output = run("learners", "add", "Hélène", "Jean-Marc", "--cards", str(pdf), "--url", URL)
    codes = codes_in(output)
    assert set(codes) == {"Hélène", "Jean-Marc"}
    text = pdf_text(pdf)
    links = []
    for name, code in codes.items():
        learner = roster.sign_in(name, code)
        link = personal_link(URL, roster.token(learner.id))
        assert link == f"{URL}/?cle={roster.token(learner.id)}"
        assert name in text
        assert f"{code[:3]} {code[3:]}" in text
        assert link in flat(text)
        assert link in output
        links.append(link)
    assert sorted(qr_links(pdf, links)) == sorted(links)
    assert "Gardez cette carte pour vous" in text


def test_reset_codes_prints_new_codes_and_old_ones_stop_working(run, roster, tmp_path):
    alice, old_alice = roster.add("Alice")
    bob, old_bob = roster.add("Bob")
    pdf = tmp_path / "alice.pdf"
    output = run("cards", "--reset-codes", "alice", "-o", str(pdf))
    new_alice = re.search(r"^Alice\s+(\d{3}) (\d{3})", output, re.M)
    assert new_alice, output
    assert "Nouveaux codes pour 1 apprenant :" in output and "✔ 1 carte dans" in output, output
    code = "".join(new_alice.groups())
    assert code != old_alice
    assert roster.sign_in("Alice", code) == alice
    with pytest.raises(SignInError):
        roster.sign_in("Alice", old_alice)
    assert roster.sign_in("Bob", old_bob) == bob  # only the named learner changed
    text = pdf_text(pdf)
    assert "Alice" in text and f"{code[:3]} {code[3:]}" in text and "Bob" not in text
    # The personal link does not change with the code.
    assert personal_link("http://127.0.0.1:8866", roster.token("alice")) in flat(text)


def test_cards_without_reset_carry_the_link_but_no_code(run, roster, tmp_path):
    _, code = roster.add("Zoé")
    pdf = tmp_path / "cartes.pdf"
    output = run("cards", "-o", str(pdf), "--url", URL)
    text = pdf_text(pdf)
    assert "Zoé" in text
    assert "Demandez-le à la personne qui anime l'atelier." in " ".join(text.split())
    assert code not in flat(text) and f"{code[:3]} {code[3:]}" not in text
    link = personal_link(URL, roster.token("zoe"))
    assert qr_links(pdf, [link]) == [link]
    assert "course cards --reset-codes" in output
    assert roster.sign_in("Zoé", code).id == "zoe"


def test_cards_go_under_var_for_their_owner_only_by_default(run, roster, project, monkeypatch):
    roster.add("Zoé")
    monkeypatch.chdir(project.root)
    run("cards", "--reset-codes")
    pdf = project.data_dir / "cards" / "cartes.pdf"
    assert "Zoé" in pdf_text(pdf) and pdf.stat().st_mode & 0o077 == 0
    assert not (project.root / "cartes.pdf").exists()  # never in the tracked project folder


def test_unknown_learner_and_empty_group_are_explained_in_french(project_dir, monkeypatch):
    monkeypatch.setenv("COURSE_ROOT", str(project_dir))
    result = CliRunner().invoke(cli, ["cards"])
    assert result.exit_code != 0 and "Aucun apprenant" in result.output
    Roster(project_dir / "var").add("Alice")
    result = CliRunner().invoke(cli, ["cards", "Personne"])
    assert result.exit_code != 0 and "Aucun apprenant ne s'appelle « Personne »" in result.output


def test_many_cards_fill_pages_of_eight(tmp_path):
    cards = [
        Card(Learner(f"a{i}", f"Apprenant {i}"), f"{234567 + i}", f"{URL}/?cle=a{i}.x")
        for i in range(11)
    ]
    reader = PdfReader(io.BytesIO(cards_pdf(cards, "Atelier de la médiathèque")))
    assert len(reader.pages) == 2
    assert "Apprenant 10" in reader.pages[1].extract_text()


def test_set_code_replaces_the_code(roster):
    learner, old = roster.add("Ahmed")
    new = roster.set_code(learner.id)
    assert new != old and len(new) == 6
    assert roster.sign_in("Ahmed", new) == learner
    with pytest.raises(SignInError):
        roster.sign_in("Ahmed", old)
    assert roster.set_code(learner.id, "777888") == "777888"
    assert roster.sign_in("ahmed", "777 888") == learner
    with pytest.raises(KeyError):
        roster.set_code("personne")


def test_learners_list_shows_who_is_locked_out_and_how_to_unlock(run, roster):
    from course.access.roster import Roster

    MAX_FAILURES = Roster.max_failures.default_value

    alice, code = roster.add("Alice")
    roster.add("Bob")
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError):
            roster.sign_in("Alice", "0")
    listing = run("learners", "list")
    lines = {line.split()[0]: line for line in listing.splitlines() if line.strip()}
    assert "code bloqué jusqu'à" in lines["alice"]
    assert 'course cards --reset-codes "Alice"' in " ".join(listing.split())
    assert "bloqué" not in lines["bob"]
    roster.set_code(alice.id)
    assert "bloqué" not in run("learners", "list")
