"""The floor every part of the toolkit stands on: files (atomic, private, locked, secret keys),
learner ids, the French error base `UserError`, French formats (`french`: Markdown, points,
days and times in Paris time), capped private logs (`logfile`) and a long task's progress
(`progress`).

It imports nothing of ours, only the standard library (and mistune, on the first Markdown),
and nothing heavy: learner pages and grade cells import it in every kernel.
"""
