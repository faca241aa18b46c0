"""A learner's answers, from the file they are kept in to the score nbgrader records: the answers
file (`store`), short-text tolerance (`matching`), the score of one answer (`scoring`) and what
an nbgrader grade cell calls (`grade_cell`)."""
