"""A learner's answers, from the file they are kept in to the score nbgrader records and the
results the learner gets back: the answers file (`store`), one object per question kind
(`kinds`: label, TOML checks, key, what an answer may be, score, verdict, samples, how an answer
is shown), the refusals and limits shared by the kinds (`answer_rules`), short-text tolerance
(`matching`), the score of one answer (`scoring`), what an nbgrader grade cell calls
(`grade_cell`) and the released results file (`released`)."""
