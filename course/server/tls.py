"""HTTPS for the room's network: the trainer's own certificate, or one made here on request.

On a room's Wi-Fi that others share (a médiathèque's, a café's), plain HTTP lets anyone on the
network read what passes: the trainer's password, the learners' codes and session cookies.
`course serve --certfile C --keyfile K` serves HTTPS with a certificate the trainer has;
`course serve --self-signed` makes one under `var/tls/` (the key 0600, in a 0700 folder) for
this computer's names and addresses, kept for a year and made again when the room's address
changes. Browsers warn about a self-signed certificate once per computer (nobody vouches for it):
the README says what to tell the learners. With HTTPS the cookies are also marked Secure
(`course.access.room_web`).
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from course.core.errors import UserError
from course.core.files import private_dir, private_write
from course.settings import Project

VALID_DAYS = 365
QUERY_CA_ENV = "COURSE_QUERY_CA"  # the certificate a preheated kernel trusts (voila_query)


class TlsError(UserError, ValueError):
    """A certificate that cannot be used; the message says why, in French."""


@dataclass(frozen=True)
class Tls:
    certfile: Path
    keyfile: Path


def check(certfile: Path, keyfile: Path | None) -> Tls:
    """The trainer's certificate and key, loaded once here so a mistake is said at start."""
    certfile = Path(certfile).resolve()
    keyfile = Path(keyfile).resolve() if keyfile else certfile
    for path in (certfile, keyfile):
        if not path.is_file():
            raise TlsError(f"Fichier introuvable : {path}")
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except (ssl.SSLError, OSError) as exc:
        raise TlsError(
            f"Ce certificat et cette clé ne vont pas ensemble, ou ne sont pas au format PEM : {exc}"
        ) from exc
    return Tls(certfile, keyfile)


def names_for(addresses: list[str]) -> list[str]:
    """What the certificate must name: this computer's name, localhost, and its addresses."""
    return sorted({socket.gethostname(), "localhost", "127.0.0.1", *addresses})


def self_signed(project: Project, addresses: list[str]) -> Tls:
    """A self-signed certificate for this computer under `var/tls/`, made when missing, about
    to expire, or not naming one of `addresses` (the room's address changed)."""
    folder = private_dir(project.data_dir / "tls")
    cert_path, key_path = folder / "certificat.pem", folder / "cle.pem"
    wanted = names_for(addresses)
    if cert_path.is_file() and key_path.is_file() and _still_good(cert_path, wanted):
        return Tls(cert_path, key_path)
    cert, key = certificate(wanted)
    private_write(key_path, key)
    private_write(cert_path, cert)
    return Tls(cert_path, key_path)


def _still_good(path: Path, wanted: list[str]) -> bool:
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return False
    have = {str(n) for n in names.get_values_for_type(x509.IPAddress)}
    have |= set(names.get_values_for_type(x509.DNSName))
    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    return set(wanted) <= have and cert.not_valid_after_utc > soon


def certificate(names: list[str]) -> tuple[bytes, bytes]:
    """A new self-signed certificate naming `names` (addresses or host names), valid for
    `VALID_DAYS`, and its key: (certificate PEM, key PEM), written by the caller."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "atelier " + names[0])])
    alternatives: list[x509.GeneralName] = []
    for name in names:
        try:
            alternatives.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternatives.append(x509.DNSName(name))
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem
