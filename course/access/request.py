"""The request a learner page's kernel was started for, and the one parser of its proofs.

A page's kernel never sees the HTTP request itself: Voilà hands it the query string
(`QUERY_STRING`) and the headers named in `VoilaConfiguration.http_header_envs`, each as a
`HTTP_<NAME>` variable (RFC 3875; `Cookie` becomes `HTTP_COOKIE`). A preheated kernel gets them
later, in a message (`course.learner.voila_query`). `KernelRequest` is that request as a value,
so identity providers read it the same way whatever the kernel's history, and tests build one
directly.

This module is imported by every page's kernel: standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

HEADER_PREFIX = "HTTP_"


def cookie_value(header: str | None, name: str) -> str | None:
    """The value of cookie `name` in a `Cookie:` header (None: absent, or a damaged header)."""
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(header or "")
    except CookieError:
        return None
    morsel = cookies.get(name)
    return None if morsel is None else morsel.value


def query_value(query: str | None, name: str) -> str | None:
    """The first `name=` of a query string; "" for `?name=` (refused like any bad value), None
    when absent."""
    values = parse_qs(query or "", keep_blank_values=True).get(name)
    return values[0] if values else None


@dataclass(frozen=True)
class KernelRequest:
    """What a page's kernel knows of its request: the query string and the handed headers."""

    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names: "cookie"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> KernelRequest:
        """The request as Voilà set it in the kernel's environment."""
        headers = {
            name[len(HEADER_PREFIX) :].lower().replace("_", "-"): value
            for name, value in environ.items()
            if name.startswith(HEADER_PREFIX)
        }
        return cls(query=environ.get("QUERY_STRING", ""), headers=headers)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def cookie(self, name: str) -> str | None:
        return cookie_value(self.header("Cookie"), name)

    def query_value(self, name: str) -> str | None:
        return query_value(self.query, name)
