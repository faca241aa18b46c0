"""Private spaces (trainer, coordinator) served by `course serve` inside Voilà's own server.

A space is a prefix relative to the server's base URL (`atelier/`, `coordination/`), a role,
and a function returning tornado handlers (`course.web.space.Space`). `course.server.spaces`
collects the spaces declared in the entry-point group `course.spaces` for the launcher, which
puts their handlers before Voilà's own. Every handler of a space asks the identity provider
(`course.access`) for its role first: learners on the room's network get a French refusal and
nothing else.
See docs/architecture.md, « Private spaces ».
"""
