"""`python -m course.cli`: the `course` command run by an interpreter, as the hub starts each
site's service (`[sys.executable, "-m", "course.cli", "serve", ...]`) without relying on PATH."""

from course.cli import main

main()
