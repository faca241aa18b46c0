"""Toolkit for digital-inclusion workshops: Voilà learner apps, nbgrader evaluations, reports."""

__version__ = "0.1.0"
