"""Checks made before the hub starts, so that a bad certificate or an unreachable database is a
French sentence and a non-zero exit, not a JupyterHub traceback with half the processes up."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

from course.hub.settings import HubConfigError, HubSettings


def check_certificate(cert: str, key: str) -> None:
    """The certificate and its key exist, are PEM, and belong together."""
    for label, path in (("certificat", cert), ("clé", key)):
        if not Path(path).is_file():
            raise HubConfigError(f"Le fichier du {label} HTTPS est introuvable : {path}.")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert, key)
    except ssl.SSLError as error:
        if "KEY_VALUES_MISMATCH" in str(error) or "key values mismatch" in str(error):
            raise HubConfigError(
                f"Le certificat HTTPS ({cert}) ne correspond pas à sa clé ({key}) : vérifiez que "
                "les deux fichiers viennent de la même demande de certificat."
            ) from None
        raise HubConfigError(
            f"Le certificat HTTPS ({cert}) ou sa clé ({key}) est illisible : {error.reason}."
        ) from None


def check_database(db_url: str, timeout: int = 5) -> None:
    """A PostgreSQL URL answers (a real connection, `SELECT 1`) before the hub relies on it."""
    if not db_url.startswith("postgresql"):
        if db_url and not db_url.startswith("sqlite"):
            raise HubConfigError(
                f"Base de données non prise en charge : {db_url.split(':', 1)[0]} "
                "(postgresql+psycopg://… ou rien pour SQLite)."
            )
        return
    import sqlalchemy

    try:
        engine = sqlalchemy.create_engine(db_url, connect_args={"connect_timeout": timeout})
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any driver's failure to connect is the same story for the admin
        where = sqlalchemy.engine.make_url(db_url).render_as_string(hide_password=True)
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise HubConfigError(
            f"La base PostgreSQL du hub ne répond pas ({where}) : {first}. Vérifiez qu'elle est "
            "démarrée et que l'adresse, l'utilisateur et le mot de passe sont les bons."
        ) from None


def check_ports_free(settings: HubSettings) -> None:
    """Every port the hub will listen on is free now (else another hub may be running)."""
    ports = [settings.port, settings.hub_port, settings.proxy_api_port]
    ports += [settings.http_port] if settings.http_port else []
    public = {settings.port, settings.http_port}
    for port in ports:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((settings.ip if port in public else "127.0.0.1", port))
            except OSError:
                raise HubConfigError(
                    f"Le port {port} est déjà pris : un autre hub tourne-t-il déjà ?"
                ) from None


def preflight(settings: HubSettings) -> None:
    if settings.ssl_cert:
        check_certificate(settings.ssl_cert, settings.ssl_key)
    check_database(settings.db_url)
    check_ports_free(settings)
