"""One doctor's sign-in at one provider for one client: the tokens, and their renewal.

- The refresh token lives only in the OS keyring (:class:`RefreshStore`); the access
  token only in this object's memory.
- The access token is renewed before it expires (from ``expires_in``), and once more
  when a server refuses it (401, or 403 from servers that cannot send a challenge).
- Refresh tokens rotate (RFC 9700 4.14.2): the new one is kept before the old is
  forgotten, and the old is never sent again — a provider takes a replayed, rotated token
  for a stolen one and revokes the whole grant. Processes of the same user renew under
  one file lock and re-read the keyring first, so one never replays another's token.
- A refused renewal (revoked, expired) forgets the keyring entry and raises
  SignInAgainError: the doctor signs in again; nothing cached is touched.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import requests

from viewer.config_oidc import OidcSettings
from viewer.errors import InvalidDataError, QingyingError, SignInAgainError
from viewer.sources.oidc.endpoints import ProviderMetadata, discover, post_form, token_error
from viewer.sources.oidc.refresh_store import RefreshStore, SignedInUser

RENEW_AHEAD = 60.0  # seconds before expiry a token is renewed (or a tenth of its life)


@dataclass(frozen=True)
class TokenAnswer:
    """What a token endpoint gave: the access token, its lifetime, and the rest."""

    access_token: str = field(repr=False)
    expires_in: float
    refresh_token: str | None = field(repr=False)
    id_token: str | None = field(repr=False)

    @classmethod
    def parse(cls, issuer: str, answer: dict[str, Any]) -> TokenAnswer:
        access = answer.get("access_token")
        kind = str(answer.get("token_type", "")).lower()
        if not isinstance(access, str) or not access or kind != "bearer":
            raise InvalidDataError(f"{issuer}: the provider's answer holds no bearer token")
        expires = answer.get("expires_in", 300)
        if isinstance(expires, bool) or not isinstance(expires, (int, float)) or expires <= 0:
            expires = 300
        refresh = answer.get("refresh_token")
        id_token = answer.get("id_token")
        return cls(
            access,
            float(expires),
            refresh if isinstance(refresh, str) and refresh else None,
            id_token if isinstance(id_token, str) and id_token else None,
        )


class OidcGrant:
    """The token provider of every source that shares this sign-in (BearerAuth's)."""

    def __init__(
        self,
        settings: OidcSettings,
        session: requests.Session,
        store: RefreshStore,
        user: SignedInUser,
        *,
        metadata: ProviderMetadata | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._metadata = metadata  # None: read from the provider at the first renewal
        self.user = user
        self._session = session
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        self._access: str | None = None
        self._expires_at = 0.0
        self._lifetime = 0.0
        self.id_token: str | None = None  # for the provider's logout, memory only
        # The provider no longer honours it (or it was signed out): a new sign-in, or
        # one another process made, takes its place.
        self.ended = False

    @property
    def metadata(self) -> ProviderMetadata:
        if self._metadata is None:
            self._metadata = discover(self._session, self.settings.issuer)
        return self._metadata

    def take(self, answer: TokenAnswer) -> None:
        """Begin with the tokens a sign-in just got (the refresh token already kept)."""
        with self._lock:
            self._use(answer)

    @property
    def expires_at(self) -> float:
        """When the current access token expires (seconds since the epoch); 0: none yet."""
        return self._expires_at

    def access_token(self) -> str:
        with self._lock:
            if self._access is None or self._clock() >= self._expires_at - self._ahead():
                self._renew()
            assert self._access is not None
            return self._access

    def refresh(self, refused: str | None = None) -> bool:
        """A server refused ``refused``: renew, unless a newer token is already here
        (several requests refused at once renew once; each is replayed once)."""
        with self._lock:
            if refused is None or refused == self._access:
                self._renew()
            return True

    def forget(self) -> None:
        """Drop every token from memory (the refresh token is the keyring's to forget)."""
        with self._lock:
            self.ended = True
            self._access = None
            self._expires_at = 0.0
            self.id_token = None

    def _ahead(self) -> float:
        return min(RENEW_AHEAD, self._lifetime / 10)

    def _renew(self) -> None:
        issuer = self.settings.issuer
        if self.ended:
            raise SignInAgainError(f"{issuer}: signed out; sign in again")
        with self._store.renewal_lock():
            kept = self._store.load()
            if kept is None or kept.user.subject != self.user.subject:
                # Signed out, or another doctor signed in since (in another window or
                # process): this sign-in is over; it never renews on their token.
                self._access = None
                self.ended = True
                raise SignInAgainError(f"{issuer}: signed out; sign in again")
            # Read afresh each time: another process may have rotated it (never replay).
            form = {
                "grant_type": "refresh_token",
                "refresh_token": kept.refresh_token,
                "client_id": self.settings.client_id,
            }
            if self.settings.resource:
                form["resource"] = self.settings.resource
            endpoint = self.metadata.token_endpoint
            status, body = post_form(self._session, issuer, endpoint, form)
            if status != 200:
                err = token_error(issuer, status, body)
                if isinstance(err, SignInAgainError):
                    self._store.forget()
                    self._access = None
                    self.ended = True
                raise err
            rotated = body.get("refresh_token")
            if isinstance(rotated, str) and rotated and rotated != kept.refresh_token:
                # Kept before anything else can fail: the used one is never sent again.
                try:
                    self._store.save(kept.user, rotated)
                except QingyingError:
                    # Without the new one kept, this access token serves until it
                    # expires, then sign in again.
                    with contextlib.suppress(QingyingError):
                        self._store.forget()
            answer = TokenAnswer.parse(issuer, body)
            # An ID token on renewal is not checked here (OpenID Connect Core 12.2), so
            # it is not kept: the sign-in's own stays the logout hint.
            self._use(replace(answer, id_token=None))

    def _use(self, answer: TokenAnswer) -> None:
        now = self._clock()
        self._access = answer.access_token
        self._lifetime = answer.expires_in
        self._expires_at = now + answer.expires_in
        if answer.id_token:
            self.id_token = answer.id_token
