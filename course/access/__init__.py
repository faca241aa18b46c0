"""Who is there: learners, trainers and coordinators, behind one identity interface.

`provider.IdentityProvider` is the interface every page asks (`settings.identity_provider`
picks the configured class, `c.AccessSettings.identity_provider_class`); `room.RoomIdentity` is
the room's own provider: the group and its cards (`roster`), signed-in browsers (`sessions`),
the private spaces' proofs (`gate`), presence (`presence`), and the spaces' sign-in pages
(`room_web`, the only module here that imports tornado).

Nothing is imported here: a learner page's kernel imports only what it uses.
"""
