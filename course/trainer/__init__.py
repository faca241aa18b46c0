"""What the trainer runs: the nbgrader cycle (release, collect, grade, feedback), the learner's
submission into nbgrader's exchange, the workshop server, sign-in cards and module guides."""
