"""Orthanc's gate for the demo and test platform's single sign-on source (orthanc-python).

Every HTTP request must carry either a bearer token (RS256 JWT) that the configured
OpenID provider signed, for this server's audience, not expired; or the Basic
credentials of the seeding account (the demo's data are uploaded with them). Anything
else is refused. Orthanc's filters can only allow or deny, so a refusal is a 403 without
``WWW-Authenticate``: clients renew their token after a 403 as after a 401.

The provider's keys (JWKS) are read at the first token and again when a token names a
key not yet seen (the provider restarted with a new key). Configuration, in Orthanc's
JSON: ``"QingyingTokens": {"Issuer", "Audience", "JwksUrl", "SeedAuthorization"}``.
"""

import hmac
import json
import threading
import urllib.request

import jwt
import orthanc

CONFIG = json.loads(orthanc.GetConfiguration())["QingyingTokens"]
_keys = {}
_keys_lock = threading.Lock()


def _read_keys():
    with urllib.request.urlopen(CONFIG["JwksUrl"], timeout=5) as answer:  # noqa: S310
        jwks = json.load(answer)
    found = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") == "RSA" and jwk.get("use", "sig") == "sig" and "kid" in jwk:
            found[jwk["kid"]] = jwt.PyJWK(jwk, algorithm="RS256").key
    return found


def _key(kid):
    with _keys_lock:
        if kid not in _keys:
            _keys.clear()
            _keys.update(_read_keys())
        return _keys.get(kid)


def _token_ok(token):
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = _key(kid)
        if key is None:
            return False
        jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            audience=CONFIG["Audience"],
            issuer=CONFIG["Issuer"],
            options={"require": ["exp", "iss", "aud"]},
        )
        return True
    except Exception:  # any doubt about a token is a refusal
        return False


def allow(uri, method, ip, headers, get=None):
    value = ""
    for name, header in headers.items():
        if name.lower() == "authorization":
            value = header
    if value.startswith("Bearer "):
        return _token_ok(value[len("Bearer ") :].strip())
    seed = CONFIG.get("SeedAuthorization", "")
    return bool(seed) and hmac.compare_digest(value.encode(), seed.encode())


orthanc.RegisterIncomingHttpRequestFilter(allow)
