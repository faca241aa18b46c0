"""What learners see and touch: the Voilà pages (catalogue, lesson, evaluation, results, CV
builder), their accessible controls, and the session that writes their answers. Kernels import
this side on every page view, so it stays light (`tests/learner/test_page_imports.py`) and
imports nothing from the trainer's side but the submission (`tests/test_layers.py`)."""
