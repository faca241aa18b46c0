"""What the tests and the benchmarks share, importable by both (tests/ is on pytest's path;
the benchmarks put it on theirs). conftest.py only declares fixtures.

- `support.project`: throw-away copies of the project, the essai fixture module through a real
  nbgrader cycle, a free port;
- `support.content`: modules and questions built in memory for `course check`'s rules;
- `support.spaces`: an in-process client for the private spaces (`/atelier/`,
  `/coordination/`): their tornado handlers in an `Application`, signed in through the real gate.
"""
