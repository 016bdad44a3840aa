"""Checking an ID token (OpenID Connect Core 1.0, 3.1.3.7) before believing who signed in.

The signature against the provider's published keys (JWKS), with only the asymmetric
algorithms its discovery document states; then the issuer, the audience (this client,
and ``azp`` when there are several), the expiry and issue time with a small clock-skew
allowance, and the ``nonce`` this sign-in sent. PyJWT does the cryptography.
"""

from __future__ import annotations

from typing import Any

import jwt
import requests

from viewer.errors import SignInRefusedError
from viewer.sources.oidc.endpoints import ProviderMetadata, get_json

CLOCK_SKEW = 120  # seconds a workstation's clock may be off the provider's


def check_id_token(
    token: str,
    metadata: ProviderMetadata,
    session: requests.Session,
    client_id: str,
    nonce: str | None,
) -> dict[str, Any]:
    """The token's claims, once every check holds; else SignInRefusedError."""
    issuer = metadata.issuer
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise SignInRefusedError(f"{issuer}: the ID token is not a signed token") from None
    alg = header.get("alg")
    if alg not in metadata.id_token_algs:
        raise SignInRefusedError(f"{issuer}: the ID token is signed with {alg!s:.20}")
    key = _signing_key(session, metadata, header.get("kid"))
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[str(alg)],
            audience=client_id,
            issuer=issuer,
            leeway=CLOCK_SKEW,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.InvalidSignatureError:
        raise SignInRefusedError(f"{issuer}: the ID token's signature is not valid") from None
    except jwt.ExpiredSignatureError:
        raise SignInRefusedError(f"{issuer}: the ID token has expired") from None
    except jwt.InvalidAudienceError:
        raise SignInRefusedError(f"{issuer}: the ID token is for another client") from None
    except jwt.InvalidIssuerError:
        raise SignInRefusedError(f"{issuer}: the ID token names another issuer") from None
    except jwt.PyJWTError as err:
        raise SignInRefusedError(f"{issuer}: the ID token is not valid ({err})") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != client_id:
        raise SignInRefusedError(f"{issuer}: the ID token was issued to another party")
    if nonce is not None and claims.get("nonce") != nonce:
        raise SignInRefusedError(f"{issuer}: the ID token answers another sign-in (nonce)")
    return claims


def _signing_key(session: requests.Session, metadata: ProviderMetadata, kid: Any) -> Any:
    """The provider's public key the token names (by ``kid``), read from its JWKS now:
    a provider that rolled its keys since the last sign-in is read afresh."""
    jwks = get_json(session, metadata.issuer, metadata.jwks_uri)
    try:
        keys = jwt.PyJWKSet.from_dict(jwks).keys
    except jwt.PyJWTError:
        raise SignInRefusedError(f"{metadata.issuer}: the provider's keys are unusable") from None
    signing = [k for k in keys if k.public_key_use in (None, "sig")]
    match = [k for k in signing if kid is None or k.key_id == kid]
    if len(match) != 1:
        raise SignInRefusedError(
            f"{metadata.issuer}: no single key of the provider's signs this ID token"
        )
    return match[0].key
