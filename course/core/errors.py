"""`UserError`: a refusal or a failure whose message is French and shown to the user as is.

Every error of ours that a trainer, a learner or a coordinator may read derives from it (most
also from `ValueError`, which some callers catch). So the command line and the spaces catch
`UserError` once, print or show its message without a traceback, and a new error class needs
no new `except` anywhere.
"""

from __future__ import annotations


class UserError(Exception):
    """A French message, complete and safe to show as is (no traceback, no English around it).

    `log` is optional technical detail for whoever debugs (e.g. nbgrader's own English log),
    shown after the message under `log_title` by the command line, never on a web page.
    """

    log_title = "Journal"

    def __init__(self, message: str = "", log: str = ""):
        super().__init__(message)
        self.log = log
