"""Authoring: the module model read from `modules/`, the nbgrader notebooks built from it, and
`course check`, which proves a module is plain French, complete and graded right."""
