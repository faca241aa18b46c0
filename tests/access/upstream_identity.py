"""A second identity provider, for the tests: it trusts the header `X-Remote-User` that an
upstream (a proxy that signed the person in) sets on every request it lets through, as a
site behind a hub would. It is a real provider class, chosen by configuration only
(`c.AccessSettings.identity_provider_class`), to show that no page names its provider.

`X-Remote-User`: `trainer`, `coordinator`, or `learner:<id>` (an id of the roster).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from course.access.provider import Identity, IdentityProvider, KernelRequest, Visit

HEADER = "X-Remote-User"


class UpstreamIdentity(IdentityProvider):
    kernel_headers = (HEADER,)  # Voilà hands it to the page's kernel as HTTP_X_REMOTE_USER
    key = secrets.token_bytes(32)

    def _identity(self, value: str) -> Identity | None:
        role, _, learner_id = value.partition(":")
        if role in ("trainer", "coordinator") and not learner_id:
            return Identity(frozenset({role}), name=role)
        learner = self.project.roster().get(learner_id) if role == "learner" else None
        return Identity.of_learner(learner, site="amont") if learner else None

    def get_identity(self, handler):
        return self._identity(handler.request.headers.get(HEADER, ""))

    def csrf_token(self, handler):
        value = handler.request.headers.get(HEADER, "")
        return hmac.new(self.key, value.encode(), hashlib.sha256).hexdigest() if value else ""

    def sign_out(self, handler):
        """The upstream ends its own session."""

    def get_kernel_identity(self, request: KernelRequest) -> Visit:
        return Visit(self._identity(request.header(HEADER)))

    def session_open(self, session: str, identity: Identity) -> bool:
        return True  # the upstream refuses requests once its session ends

    def end_session(self, session: str) -> None:
        """The upstream ends its own session."""
