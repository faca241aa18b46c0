"""Staff sign-in with ProConnect (the State's identity for professionals, used by La Coop de la
médiation numérique), when hub.toml has a [proconnect] section; learners keep first name + code.

OpenID Connect authorization code flow with PKCE and a nonce, `acr_values=eidas1`, the scopes
`openid given_name usual_name email siret`. ProConnect's userinfo endpoint answers a signed JWT
(application/jwt), not JSON: oauthenticator's GenericOAuthenticator reads JSON and, for an ID
token, skips its signature, so `ProConnectOAuthenticator` verifies both itself (PyJWT, the
provider's JWKS from its discovery document): signature, issuer, audience, expiry, nonce, acr,
and the userinfo `sub` equal to the ID token's.

Who the person is on the hub comes from hub.toml only: the verified e-mail must be the [emails]
entry of a declared trainer or coordinator, whose username and groups they get (never a name
they type). Anyone else gets a French page. Sign-out ends the hub session as for everyone, then
goes through the provider's end_session_endpoint (with the ID token kept, signed, in a cookie)
and comes back to the hub's sign-out page.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from pathlib import Path
from typing import Any

import jwt
from oauthenticator.generic import GenericOAuthenticator
from oauthenticator.oauth2 import (
    STATE_COOKIE_NAME,
    OAuthCallbackHandler,
    OAuthLoginHandler,
    _deserialize_state,
    _serialize_state,
)
from tornado import web
from tornado.httpclient import HTTPClientError
from tornado.httputil import url_concat
from traitlets import List, Unicode, default

from course.core.errors import UserError
from course.hub import layout
from course.hub.authenticator import (
    AtelierAuthenticator,
    AtelierLogoutHandler,
    end_session,
    staff_groups,
)
from course.hub.settings import HubConfigError, load

SECRET_NAME = "proconnect-secret"
ID_COOKIE = "atelier-proconnect"
ALGORITHMS = ["RS256", "ES256", "PS256"]
LEEWAY_SECONDS = 60  # the hub's and the provider's clocks may differ a little
FAILED = (
    "La connexion avec ProConnect n'a pas abouti. Réessayez ; si cela recommence, "
    "prévenez la coordination du réseau."
)
USE_PROCONNECT = "Les formateurs et coordinateurs se connectent avec ProConnect."
UNAVAILABLE = "ProConnect ne répond pas pour l'instant. Réessayez dans quelques minutes."


class ProConnectError(UserError):
    """A ProConnect answer the hub does not accept (French message for the person)."""


def secret_path(hub_dir: Path) -> Path:
    return layout.private_dir(hub_dir) / SECRET_NAME


def read_client_secret(hub_dir: Path) -> str:
    """The client secret ProConnect gave the hub: a file of the private folder, readable by
    the hub's account only (0600), never hub.toml."""
    path = secret_path(hub_dir)
    try:
        mode = path.stat().st_mode & 0o777
        secret = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise HubConfigError(
            f"ProConnect est configuré mais le secret manque : écrivez-le dans {path} (chmod 600)."
        ) from None
    if mode & 0o077:
        raise HubConfigError(f"{path} est lisible par d'autres comptes : chmod 600 {path}.")
    if not secret:
        raise HubConfigError(f"{path} est vide : il doit contenir le secret de ProConnect.")
    return secret


class ProConnectOAuthenticator(GenericOAuthenticator):
    """The OpenID Connect part: discovery, token exchange (oauthenticator's, with PKCE), and the
    verification of the ID token and of the userinfo JWT."""

    issuer = Unicode(help="ProConnect's issuer URL (its discovery document is under it).").tag(
        config=True
    )
    acr_values = Unicode("eidas1", help="The level of identity asked of the provider.").tag(
        config=True
    )
    algorithms = List(Unicode(), ALGORITHMS, help="Signature algorithms accepted.").tag(config=True)

    @default("scope")
    def _default_scope(self) -> list[str]:
        return ["openid", "given_name", "usual_name", "email", "siret"]

    @default("login_service")
    def _default_login_service(self) -> str:
        return "ProConnect"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata: dict[str, Any] = {}
        self._keys: jwt.PyJWKSet | None = None
        self._lock = asyncio.Lock()

    def _refused(self, reason: str) -> ProConnectError:
        """The French error for the person; the reason, for the administrator, in the log."""
        self.log.warning("Refused ProConnect answer: %s", reason)
        return ProConnectError(FAILED)

    async def discover(self) -> dict[str, Any]:
        """The provider's discovery document (fetched once), its endpoints set on the
        authenticator; an issuer other than the configured one is refused."""
        async with self._lock:
            if not self.metadata:
                url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
                found = await self.httpfetch(url, "fetching ProConnect's discovery document")
                if found.get("issuer") != self.issuer.rstrip("/"):
                    raise self._refused(f"discovery names issuer {found.get('issuer')!r}")
                self.authorize_url = found["authorization_endpoint"]
                self.token_url = found["token_endpoint"]
                self.userdata_url = found["userinfo_endpoint"]
                self.metadata = found
        return self.metadata

    async def _key_set(self, refresh: bool = False) -> jwt.PyJWKSet:
        if self._keys is None or refresh:
            data = await self.httpfetch(self.metadata["jwks_uri"], "fetching ProConnect's keys")
            self._keys = jwt.PyJWKSet.from_dict(data)
        return self._keys

    async def verify(self, token: str, **checks: Any) -> dict[str, Any]:
        """The claims of a JWT signed by one of the provider's keys (refetched once for an
        unknown `kid`: keys rotate), for this hub as audience, from this issuer, unexpired."""
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in self.algorithms:
            raise self._refused(f"signature algorithm {header.get('alg')!r}")
        kid = header.get("kid")
        for refresh in (False, True):
            keys = await self._key_set(refresh)
            key = next((k for k in keys.keys if kid is None or k.key_id == kid), None)
            if key is not None:
                break
        else:
            raise self._refused(f"no provider key {kid!r}")
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=[header["alg"]],
            audience=self.client_id,
            issuer=self.issuer.rstrip("/"),
            leeway=LEEWAY_SECONDS,
            **checks,
        )
        return claims

    async def authenticate(self, handler: Any, data: dict | None = None, **kwargs: Any) -> dict:
        """Code → tokens (oauthenticator, PKCE verifier from the state cookie), then the ID
        token and the userinfo JWT checked: who the provider says signed in, with which e-mail."""
        await self.discover()
        state = _deserialize_state(handler.get_state_cookie()) or {}
        params = self.build_access_tokens_request_params(handler, data)
        token_info = await self.get_token_info(handler, params)
        id_token = token_info.get("id_token", "")
        identity = await self.verify(id_token, options={"require": ["exp", "iat", "sub"]})
        if not state.get("nonce") or identity.get("nonce") != state["nonce"]:
            raise self._refused("the ID token's nonce is not this sign-in's")
        if self.acr_values and identity.get("acr") != self.acr_values:
            raise self._refused(f"acr {identity.get('acr')!r} instead of {self.acr_values!r}")
        answer = await self.httpfetch(
            self.userdata_url,
            "fetching ProConnect's userinfo",
            parse_json=False,
            headers={
                "Authorization": f"Bearer {token_info['access_token']}",
                "Accept": "application/jwt",
            },
        )
        if not answer.headers.get("Content-Type", "").startswith("application/jwt"):
            raise self._refused("userinfo is not a signed JWT (application/jwt)")
        user_info = await self.verify(answer.body.decode("ascii", "replace").strip())
        if user_info.get("sub") != identity["sub"] or not user_info.get("email"):
            raise self._refused("userinfo names another subject, or no e-mail")
        return {"user_info": user_info, "id_token": id_token}

    async def end_session_url(self, id_token: str, back: str) -> str:
        """Where to send the browser to end the provider's session too ("" if it has none)."""
        try:
            endpoint = (await self.discover()).get("end_session_endpoint", "")
        except (HTTPClientError, OSError, ProConnectError):
            return ""
        if not endpoint or not id_token:
            return ""
        return url_concat(
            endpoint,
            {
                "id_token_hint": id_token,
                "state": secrets.token_urlsafe(16),
                "post_logout_redirect_uri": back,
            },
        )


def _refusal(handler: Any, message: str, status: int = 403) -> Any:
    handler.set_status(status)
    handler.set_header("Cache-Control", "no-store")
    return handler.render_template("proconnect.html", message=message)


class ProConnectLoginHandler(OAuthLoginHandler):
    """`/hub/oauth_login`: to the provider, with state, PKCE and nonce kept in a signed cookie."""

    async def get(self) -> None:
        proconnect = self.authenticator.proconnect
        try:
            await proconnect.discover()
        except (HTTPClientError, OSError, ProConnectError, KeyError, ValueError):
            self.log.warning("ProConnect's discovery document is unavailable", exc_info=True)
            self.finish(await _refusal(self, UNAVAILABLE, 503))
            return
        state_id = uuid.uuid4().hex
        nonce = secrets.token_urlsafe(32)
        verifier, challenge = self._generate_pkce_params()
        self.set_state_cookie(
            _serialize_state(
                {
                    "state_id": state_id,
                    "next_url": self._get_next_url(),
                    "code_verifier": verifier,
                    "nonce": nonce,
                }
            )
        )
        params = {
            "response_type": "code",
            "client_id": proconnect.client_id,
            "redirect_uri": proconnect.get_callback_url(self),
            "scope": " ".join(proconnect.scope),
            "state": _serialize_state({"state_id": state_id}),
            "nonce": nonce,
            "acr_values": proconnect.acr_values,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        self.redirect(url_concat(proconnect.authorize_url, params))


class ProConnectCallbackHandler(OAuthCallbackHandler):
    """`/hub/oauth_callback`: the provider's answer checked, the person signed in or refused."""

    proconnect_id_token = ""

    def check_arguments(self) -> None:
        """oauthenticator's checks (error, code, state), and the answer's issuer when the
        provider names it (RFC 9207: no other provider's answer passed off as ProConnect's)."""
        super().check_arguments()
        issuer = self.authenticator.proconnect.issuer.rstrip("/")
        if self.get_argument("iss", issuer) != issuer:
            raise web.HTTPError(400, "OAuth answer from another issuer")

    async def get(self) -> None:
        try:
            self.check_arguments()
        except web.HTTPError as error:
            self.log.info("Refused ProConnect callback: %s", error.log_message)
            self.finish(await _refusal(self, FAILED))
            return
        user = await self.login_user()
        if user is None:
            self.finish(await _refusal(self, getattr(self, "atelier_error", FAILED)))
            return
        self._set_cookie(ID_COOKIE, self.proconnect_id_token, path=self.hub.base_url)
        self.redirect(self.get_next_url(user))


class ProConnectLogoutHandler(AtelierLogoutHandler):
    """Sign-out: the hub session ends (as for everyone), then the provider's session."""

    id_token = ""

    async def handle_logout(self) -> None:
        self.id_token = (self.get_secure_cookie(ID_COOKIE) or b"").decode("ascii", "replace")
        self.clear_cookie(ID_COOKIE, path=self.hub.base_url)
        self.clear_cookie(STATE_COOKIE_NAME)
        await super().handle_logout()

    async def render_logout_page(self) -> None:
        back = f"{self.request.protocol}://{self.request.host}{self.hub.base_url}logout"
        url = await self.authenticator.proconnect.end_session_url(self.id_token, back)
        if url:
            self.set_header("Cache-Control", "no-store")
            self.redirect(url)
            return
        await super().render_logout_page()


class ProConnectAuthenticator(AtelierAuthenticator):
    """Learners as always (site, first name, code); staff through ProConnect only, recognised
    by the e-mail hub.toml gives them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.proconnect = ProConnectOAuthenticator(parent=self)

    async def authenticate(self, handler: Any, data: dict[str, str]) -> dict | None:
        if not isinstance(handler, ProConnectCallbackHandler):
            if (data or {}).get("kind", "apprenant") in ("apprenant", "carte"):
                return await super().authenticate(handler, data)
            handler.atelier_error = USE_PROCONNECT
            return None
        try:
            found = await self.proconnect.authenticate(handler, data)
            return await asyncio.to_thread(self._staff_by_email, handler, found)
        except UserError as error:
            handler.atelier_error = str(error)
        except (jwt.PyJWTError, web.HTTPError, HTTPClientError, OSError, KeyError) as error:
            handler.atelier_error = FAILED
            self.log.warning("Refused ProConnect sign-in: %s: %s", type(error).__name__, error)
        return None

    def _staff_by_email(self, handler: Any, found: dict[str, Any]) -> dict:
        settings = load(Path(self.hub_dir))
        email = str(found["user_info"]["email"]).strip().lower()
        names = [name for name, known in settings.emails.items() if known == email]
        if not names:
            self.log.info("Refused ProConnect sign-in: e-mail not listed in hub.toml")
            raise ProConnectError(
                f"L'adresse {email} n'est pas inscrite sur ce hub. Demandez à la coordination "
                "du réseau de l'ajouter."
            )
        username = names[0]
        handler.proconnect_id_token = found["id_token"]
        full_name = settings.trainers.get(username, username)
        return {
            "name": username,
            "groups": staff_groups(settings, username),
            "user_info": {"nom": full_name, "email": email},
        }

    async def refresh_user(self, user: Any, handler: Any = None) -> bool | dict:
        """As for every staff member, plus: an e-mail taken off hub.toml ends their sessions."""
        refreshed = await super().refresh_user(user, handler)
        if isinstance(refreshed, dict):
            try:
                settings = await asyncio.to_thread(load, Path(self.hub_dir))
            except UserError:  # hub.toml being edited: keep what was true at sign-in
                return refreshed
            if user.name not in settings.emails:
                end_session(user.db, user.orm_user)
                return False
        return refreshed

    def get_handlers(self, app: Any) -> list[tuple[str, type]]:
        handlers = [h for h in super().get_handlers(app) if h[0] != "/logout"]
        return [
            *handlers,
            ("/logout", ProConnectLogoutHandler),
            ("/oauth_login", ProConnectLoginHandler),
            ("/oauth_callback", ProConnectCallbackHandler),
        ]
