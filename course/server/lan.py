"""This computer's address on the room's network: what learners type, what the cards print.

A UDP socket "connected" to a private address sends nothing but makes the system pick the
interface it would use; its own address is the one the room can reach. Without any network,
the loopback is all there is, and the trainer is told so.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit, urlunsplit

from course.access.hub_names import card_url

LOOPBACK = "127.0.0.1"


def lan_address() -> str:
    """The IPv4 address other computers of the room reach this one at (or the loopback)."""
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 1))
                address = sock.getsockname()[0]
        except OSError:
            continue
        if address and not address.startswith("127."):
            return address
    return LOOPBACK


def room_url(host: str, port: int, base_url: str = "/", secure: bool = False) -> str:
    """The learners' address: the LAN's when serving the room, else this computer's; under the
    server's `base_url`, without the last "/" ("http://192.168.1.20:8866"); `secure`: HTTPS."""
    if host in ("0.0.0.0", "::", ""):
        host = lan_address()
    return f"{'https' if secure else 'http'}://{host}:{port}{base_url.rstrip('/')}"


def hub_room_url(public_url: str, slug: str) -> str:
    """A hub site's learners' address: the hub's sign-in for the site, at the hub's public
    address (`COURSE_HUB_PUBLIC_URL`, given by the hub); a hub listening on every interface
    with no public address set is reached at this computer's network address."""
    parts = urlsplit(public_url)
    if parts.hostname in ("0.0.0.0", "::", ""):
        netloc = lan_address() + (f":{parts.port}" if parts.port else "")
        public_url = urlunsplit(parts._replace(netloc=netloc))
    return card_url(public_url, slug)
