"""The floor every part of the toolkit stands on: files (atomic, private, locked, secret keys),
learner ids and the French error base, `UserError`.

It imports nothing of ours, only the standard library, and nothing heavy: learner pages and
grade cells import it in every kernel.
"""
