"""A throwaway CA and a server certificate for 127.0.0.1: trustme makes the CA-issued
ones (good, expired, for another address); a self-signed server certificate, which
trustme does not make, is built with cryptography."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_ca_and_server_cert(
    folder: Path, *, server_ip: str = "127.0.0.1", expired: bool = False, self_signed: bool = False
) -> tuple[Path, Path, Path]:
    """Write ca.pem, server.pem, server.key under ``folder``; return their paths. The
    server's certificate names ``server_ip`` (another address: a name mismatch), has
    ended a day ago when ``expired``, and is signed by its own key (issued by no CA, not
    even the one written) when ``self_signed``."""
    now = dt.datetime.now(dt.UTC)
    ca = trustme.CA()
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca.cert_pem.write_to_path(str(ca_path))
    if self_signed:
        cert, key = _self_signed(server_ip, now)
        cert_path.write_bytes(cert)
        key_path.write_bytes(key)
        return ca_path, cert_path, key_path
    leaf = ca.issue_cert(
        server_ip,
        not_before=now - dt.timedelta(days=3 if expired else 0, minutes=5),
        not_after=now + dt.timedelta(days=-1 if expired else 1),
    )
    leaf.cert_chain_pems[0].write_to_path(str(cert_path))
    leaf.private_key_pem.write_to_path(str(key_path))
    return ca_path, cert_path, key_path


def _self_signed(server_ip: str, now: dt.datetime) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, server_ip)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(server_ip))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
