"""The trainer's side of grading: fast in-process autograde, batch runs, permissions."""
