"""`course serve`'s HTTPS options refuse what cannot work, in French, before starting anything."""

from __future__ import annotations

import subprocess
import sys


def course(*args: str, cwd) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from course.cli import main; main()", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_https_options_refuse_in_french(essai_project, tmp_path):
    root = essai_project.root
    absent = course("serve", "--certfile", str(tmp_path / "absent.pem"), cwd=root)
    assert absent.returncode == 1 and "Fichier introuvable" in absent.stderr
    both = course("serve", "--certfile", "c.pem", "--self-signed", cwd=root)
    assert both.returncode == 1
    assert "Choisissez --certfile ou --self-signed, pas les deux." in both.stderr
    assert "Traceback" not in absent.stderr + both.stderr
    assert not (root / "var" / "tls").exists()  # nothing made on a refusal
