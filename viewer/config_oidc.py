"""A source's OpenID Connect settings (``auth = "oidc"``).

    [[sources]]
    name = "provincial"
    url = "https://pacs.example.org/dicom-web"
    auth = "oidc"
    issuer = "JS-EMPI"                        # IssuerOfPatientID, as for any source
    oidc_issuer = "https://id.example.org"    # the provider (its discovery document's issuer)
    client_id = "qingying"                    # a public client: there is no client secret
    scopes = ["openid", "profile", "offline_access"]   # the default
    resource = "https://pacs.example.org/dicom-web"    # RFC 8707; optional
    oidc_ca_bundle = "/etc/qingying/id-ca.pem"  # optional: the CA of the provider's
                                                # certificate (default: the system's)

Sources naming the same ``oidc_issuer`` and ``client_id`` share one sign-in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from viewer.errors import ConfigError
from viewer.plaintext import basic_allowed

KEYS = {"oidc_issuer", "client_id", "scopes", "resource", "oidc_ca_bundle"}
DEFAULT_SCOPES = ("openid", "profile", "offline_access")
# RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
_SCOPE_RE = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")


@dataclass(frozen=True)
class OidcSettings:
    issuer: str  # the provider's issuer URL, exactly as its discovery document states it
    client_id: str
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    resource: str | None = None
    # The provider's certificate is checked against this CA bundle, else the system's
    # CAs (not the source's ca_bundle: the provider is often another organisation's).
    ca_bundle: Path | None = None

    @property
    def sign_in_key(self) -> tuple[str, str]:
        """Sources with the same key share one sign-in."""
        return (self.issuer, self.client_id)


def check(where: str, key: str, entry: Mapping[str, Any]) -> None:
    """Refuse a wrong OIDC value of one ``[[sources]]`` entry, naming the file and key."""
    for opt in ("oidc_issuer", "resource"):
        if opt in entry:
            _check_https(where, f"{key}.{opt}", entry[opt])
    if "oidc_ca_bundle" in entry and (
        not isinstance(entry["oidc_ca_bundle"], str) or not entry["oidc_ca_bundle"].strip()
    ):
        raise ConfigError(where, f"{key}.oidc_ca_bundle", "must be a non-empty string")
    if "client_id" in entry and (
        not isinstance(entry["client_id"], str) or not entry["client_id"].strip()
    ):
        raise ConfigError(where, f"{key}.client_id", "must be a non-empty string")
    if "scopes" in entry:
        scopes = entry["scopes"]
        if (
            not isinstance(scopes, list)
            or not scopes
            or not all(isinstance(s, str) and _SCOPE_RE.fullmatch(s) for s in scopes)
        ):
            raise ConfigError(
                where, f"{key}.scopes", 'must be a list such as ["openid", "offline_access"]'
            )
        if "openid" not in scopes:
            raise ConfigError(where, f"{key}.scopes", 'must include "openid"')


def build(
    fields: Mapping[str, tuple[Any, Path]],
    where: str,
    key: str,
    auth: str,
    resolve: Callable[[str, Path], Path],
) -> OidcSettings | None:
    """The settings of a source whose values were each checked; None unless OIDC."""
    present = KEYS & fields.keys()
    if auth != "oidc":
        if present:
            name = sorted(present)[0]
            raise ConfigError(where, f"{key}.{name}", 'is used only with auth = "oidc"')
        return None
    for needed in ("oidc_issuer", "client_id"):
        if needed not in fields:
            raise ConfigError(where, key, f'auth = "oidc" needs {needed}')
    return OidcSettings(
        ca_bundle=file_value(fields, "oidc_ca_bundle", key, resolve),
        # Exactly as the provider states it: its ID tokens' "iss" must equal it.
        issuer=str(fields["oidc_issuer"][0]),
        client_id=str(fields["client_id"][0]),
        scopes=tuple(fields["scopes"][0]) if "scopes" in fields else DEFAULT_SCOPES,
        resource=str(fields["resource"][0]) if "resource" in fields else None,
    )


def file_value(
    fields: Mapping[str, tuple[Any, Path]],
    name: str,
    key: str,
    resolve: Callable[[str, Path], Path],
) -> Path | None:
    """The file a source's key names (a CA bundle), resolved beside the config that set
    it; it must exist. None when the key is not set."""
    if name not in fields:
        return None
    value, path = fields[name]
    found = resolve(value, path)
    if not found.is_file():
        raise ConfigError(str(path), f"{key}.{name}", f"no such file: {found}")
    return found


def _check_https(where: str, key: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(where, key, "must be a non-empty string")
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ConfigError(where, key, "is not a valid URL") from None
    if parts.username is not None or parts.password is not None:
        raise ConfigError(where, key, "credentials never belong in the URL")
    # Tokens travel to the provider: TLS, as for a password (loopback only for the demo).
    if parts.scheme not in ("http", "https") or not basic_allowed(value):
        raise ConfigError(
            where, key, "must be an https:// URL (plain http:// only to this machine)"
        )
    if parts.query or parts.fragment:
        raise ConfigError(where, key, "must be a URL without ?query or #fragment")
