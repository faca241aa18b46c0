"""A network of sites on one JupyterHub: the hub's configuration file, its sign-in (our
authenticator and French pages), its HTTPS proxy and the `course hub` commands' library.

What runs inside each site's service (`course serve --hub-site`) lives in `course.server` and
`course.access`; this package only starts the hub, which starts those services.
"""
