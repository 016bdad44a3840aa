"""Where a sign-in's refresh token is kept: the OS keyring, nowhere else.

One entry per provider and client (service ``qingying:oidc:<issuer>``, account the
client id), so every source that names the same provider and client shares it. The entry
holds the refresh token and who signed in (shown in the Sources panel); nothing of it is
ever written to a file or a log. Renewals of the same entry by several processes of the
user (the window and a nightly prefetch) take turns under a file lock, which holds no
secret: only its name, a digest of the provider and client.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from viewer import secrets
from viewer.config_oidc import OidcSettings
from viewer.errors import AuthError

WHAT = "the sign-in"


@dataclass(frozen=True)
class SignedInUser:
    subject: str  # the ID token's ``sub``
    login: str  # ``preferred_username`` where the provider gives it, else ``sub``
    name: str  # ``name`` where given, else the login


@dataclass(frozen=True)
class KeptSignIn:
    user: SignedInUser
    refresh_token: str = field(repr=False)


class RefreshStore:
    def __init__(self, settings: OidcSettings, lock_dir: Path | None = None) -> None:
        self.service = f"{secrets.SERVICE_PREFIX}oidc:{settings.issuer}"
        self.account = settings.client_id
        digest = hashlib.sha256(f"{settings.issuer}\n{settings.client_id}".encode()).hexdigest()
        folder = lock_dir or Path(platformdirs.user_state_dir("Qingying", appauthor=False))
        self._lock_path = folder / f"oidc-{digest[:20]}.lock"

    def load(self) -> KeptSignIn | None:
        raw = secrets.get_secret(self.service, self.account, what=WHAT)
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            user = SignedInUser(str(entry["sub"]), str(entry["login"]), str(entry["name"]))
            token = entry["refresh_token"]
        except (ValueError, KeyError, TypeError):
            return None  # not an entry of ours: as good as signed out
        if not isinstance(token, str) or not token:
            return None
        return KeptSignIn(user, token)

    def save(self, user: SignedInUser, refresh_token: str) -> None:
        entry = {
            "sub": user.subject,
            "login": user.login,
            "name": user.name,
            "refresh_token": refresh_token,
        }
        secrets.store_secret(self.service, self.account, json.dumps(entry), what=WHAT)

    def forget(self) -> bool:
        return secrets.delete_secret(self.service, self.account, what=WHAT)

    @contextmanager
    def renewal_lock(self) -> Iterator[None]:
        """Held while this entry is read and written in turn (renewal, sign-in, sign-out)
        by any process of the user's. It can wait for two provider requests of another."""
        import filelock  # only a renewal needs it

        try:
            self._lock_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            lock = filelock.FileLock(self._lock_path, timeout=90, mode=0o600)
            lock.acquire()
        except (filelock.Timeout, OSError) as err:
            raise AuthError(
                f"{self.service}: the sign-in is busy in another process ({type(err).__name__})"
            ) from None
        try:
            yield
        finally:
            lock.release()
