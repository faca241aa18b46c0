"""click's own messages in French: usage errors, aborts, Ctrl+C (click writes them in English).

`main` runs the command group without click's standalone handling and says each problem in
French; our library's errors are already French (`course.cli.base.french_errors`).
"""

from __future__ import annotations

import re
import sys

import click

TRANSLATIONS = [
    (r"No such command '(.+)'\.", "Commande inconnue : « {0} »."),
    (r"No such option: (\S+).*", "Option inconnue : {0}."),
    (r"Missing argument '(.+)'\.", "Il manque l'argument {0}."),
    (r"Missing option '(.+)'\.", "Il manque l'option {0}."),
    (r"Got unexpected extra arguments? \((.+)\)", "Argument en trop : {0}."),
    (r"Option '(.+)' requires an argument\.", "L'option {0} attend une valeur."),
    (r"Invalid value for '(.+)': .*", "Valeur refusée pour {0}."),
]


def french_usage(message: str) -> str:
    for pattern, french in TRANSLATIONS:
        found = re.fullmatch(pattern, message.strip(), flags=re.S)
        if found:
            return french.format(*found.groups())
    return "La commande est mal écrite."


def run(group: click.Group) -> None:
    err = sys.stderr
    try:
        group.main(standalone_mode=False)
    except click.exceptions.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "course"
        err.write(f"Erreur : {french_usage(exc.format_message())}\n")
        err.write(f"Pour l'aide : {where} --aide\n")
        sys.exit(2)
    except click.ClickException as exc:  # ours, already French
        err.write(f"Erreur : {exc.format_message()}\n")
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt, EOFError):
        err.write("\nArrêté.\n")
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
