"""`course serve`'s HTTPS options refuse what cannot work, in French, before starting anything."""

from __future__ import annotations

# In process: the same `main` and its French refusal, without a new Python importing Voilà for
# each call; a server that started anyway would fail the test after 120 s, not hang it.
from support.cli import course


def test_https_options_refuse_in_french(essai_project, tmp_path):
    root = essai_project.root
    absent = course("serve", "--certfile", str(tmp_path / "absent.pem"), cwd=root)
    assert absent.returncode == 1 and "Fichier introuvable" in absent.stderr
    both = course("serve", "--certfile", "c.pem", "--self-signed", cwd=root)
    assert both.returncode == 1
    assert "Choisissez --certfile ou --self-signed, pas les deux." in both.stderr
    assert "Traceback" not in absent.stderr + both.stderr
    assert not (root / "var" / "tls").exists()  # nothing made on a refusal
