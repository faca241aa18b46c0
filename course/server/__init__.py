"""Serving: `course serve` (`serve`), Voilà as we run it (`launcher`), the kernel zygote pages'
kernels are forked from (`kernel_fork`), the room's address (`lan`), and the private spaces
mounted in the same server (`spaces`, declared through the entry-point group `course.spaces`).

Every address is joined to the server's base URL (`c.ServeSettings.base_url`, Voilà's
`base_url`): "/" on a laptop, a path behind a proxy. This room may import any other but the
command line; the sides (trainer, coordinator) never import it: the server mounts them.
"""
