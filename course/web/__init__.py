"""Private spaces (trainer, coordinator) served by `course serve` inside Voilà's own server.

A space is a prefix (`/atelier/`, `/coordination/`), a role, and a function returning tornado
handlers (`course.web.space.Space`). `course.web.mount.space_handlers` collects them for the
launcher, which puts them before Voilà's own. Every handler of a space asks the identity
provider (`course.access`) for its role first: learners on the room's network get a French
refusal and nothing else.
See docs/architecture.md, « Private spaces ».
"""
