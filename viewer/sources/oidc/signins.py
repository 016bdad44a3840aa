"""The OpenID Connect sign-ins of this run: one per provider and client, shared by every
source that names both (a regional platform and a hospital PACS behind one provincial
identity provider take one sign-in).

A sign-in begins in the browser (:meth:`SignIns.sign_in_with_browser`) or on another
device (:meth:`start_device` then :meth:`finish_device`), or is taken up again from the
refresh token a former run left in the keyring (:meth:`grant`). Signing out revokes the
refresh token at the provider (RFC 7009), forgets it, and gives the provider's logout
link where it offers one.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import requests

from viewer.config import SourceConfig
from viewer.config_oidc import OidcSettings
from viewer.dicomweb.session import make_session, retry_policy
from viewer.errors import QingyingError
from viewer.sources.oidc.browser import SignInResult, sign_in_with_browser
from viewer.sources.oidc.device import DeviceCode, start_device_sign_in, wait_device_sign_in
from viewer.sources.oidc.endpoints import ProviderMetadata, discover, post_form
from viewer.sources.oidc.grant import OidcGrant
from viewer.sources.oidc.refresh_store import RefreshStore, SignedInUser


@dataclass(frozen=True)
class SignedOut:
    """What signing out did: there was a sign-in here; the provider revoked it; where
    its own session ends (a page to open in the browser), if it offers that."""

    was_signed_in: bool
    revoked: bool
    end_session: str | None


@dataclass(frozen=True)
class SignInInfo:
    """Who is signed in, at which provider, and until when (for the Sources panel)."""

    user: SignedInUser
    provider: str
    expires_at: float  # the current access token's end (renewed before it); 0: none yet


class SignIns:
    def __init__(self, lock_dir: Path | None = None) -> None:
        self._lock_dir = lock_dir
        self._lock = threading.Lock()
        self._grants: dict[tuple[str, str], OidcGrant] = {}
        self._sessions: dict[tuple[str, str], requests.Session] = {}

    def grant(self, source: SourceConfig) -> OidcGrant | None:
        """This run's sign-in for ``source``, or the one the keyring keeps; None: signed
        out. Asks nothing of the network (the provider is read at the first renewal)."""
        settings = _settings(source)
        with self._lock:
            held = self._grants.get(settings.sign_in_key)
            if held is not None and not held.ended:
                return held
            kept = RefreshStore(settings, self._lock_dir).load()
            if kept is None:
                return None
            grant = OidcGrant(settings, self._session(source), self._store(settings), kept.user)
            self._grants[settings.sign_in_key] = grant
            return grant

    def info(self, source: SourceConfig) -> SignInInfo | None:
        grant = self.grant(source)
        if grant is None:
            return None
        return SignInInfo(grant.user, grant.settings.issuer, grant.expires_at)

    def metadata(self, source: SourceConfig) -> ProviderMetadata:
        return discover(self._session(source), _settings(source).issuer)

    def sign_in_with_browser(
        self,
        source: SourceConfig,
        open_url: Callable[[str], object],
        cancelled: Callable[[], bool] = lambda: False,
        *,
        reauthenticate: bool = True,
    ) -> OidcGrant:
        settings = _settings(source)
        session = self._session(source)
        metadata = discover(session, settings.issuer)
        result = sign_in_with_browser(
            settings,
            metadata,
            session,
            open_url,
            cancelled=cancelled,
            reauthenticate=reauthenticate,
        )
        return self._keep(source, metadata, result)

    def start_device(self, source: SourceConfig) -> tuple[ProviderMetadata, DeviceCode]:
        session = self._session(source)
        metadata = discover(session, _settings(source).issuer)
        return metadata, start_device_sign_in(_settings(source), metadata, session)

    def finish_device(
        self,
        source: SourceConfig,
        metadata: ProviderMetadata,
        code: DeviceCode,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> OidcGrant:
        session = self._session(source)
        result = wait_device_sign_in(
            _settings(source), metadata, session, code, cancelled=cancelled
        )
        return self._keep(source, metadata, result)

    def sign_out(self, source: SourceConfig) -> SignedOut:
        """Revoke and forget the sign-in. Forgotten here even when the provider cannot
        be reached to revoke it; what came of it is said (:class:`SignedOut`)."""
        refresh, id_token = self._forget_here(source)
        if refresh is None:
            return SignedOut(False, False, None)
        revoked, end_session = self._revoke(source, refresh, id_token)
        return SignedOut(True, revoked, end_session)

    def end(self, source: SourceConfig) -> None:
        """Sign out without waiting (another doctor takes the workstation): forgotten
        here at once, revoked at the provider on a thread of its own."""
        refresh, id_token = self._forget_here(source)
        if refresh:
            threading.Thread(
                target=self._revoke, args=(source, refresh, id_token), daemon=True
            ).start()

    def _forget_here(self, source: SourceConfig) -> tuple[str | None, str | None]:
        settings = _settings(source)
        store = self._store(settings)
        with self._lock:
            grant = self._grants.pop(settings.sign_in_key, None)
        id_token = grant.id_token if grant else None
        if grant is not None:
            grant.forget()
        with store.renewal_lock():  # no renewal elsewhere writes a token back after this
            kept = store.load()
            store.forget()
        return (kept.refresh_token if kept else None), id_token

    def _revoke(
        self, source: SourceConfig, refresh: str, id_token: str | None
    ) -> tuple[bool, str | None]:
        """Whether the provider took the revocation; its logout URL, if it has one."""
        settings = _settings(source)
        session = self._session(source)
        try:
            metadata = discover(session, settings.issuer)
        except QingyingError:
            return False, None  # forgotten here; the provider lets the token lapse
        revoked = False
        if metadata.revocation_endpoint:
            form = {
                "token": refresh,
                "token_type_hint": "refresh_token",
                "client_id": settings.client_id,
            }
            with contextlib.suppress(QingyingError):
                endpoint = metadata.revocation_endpoint
                revoked = post_form(session, settings.issuer, endpoint, form)[0] == 200
        if not metadata.end_session_endpoint:
            return revoked, None
        params = {"client_id": settings.client_id}
        if id_token:
            params["id_token_hint"] = id_token
        return revoked, f"{metadata.end_session_endpoint}?{urlencode(params)}"

    def forget_all(self) -> None:
        """Drop every sign-in from memory (another doctor takes the workstation); what
        the keyring keeps is the caller's to forget."""
        with self._lock:
            grants, self._grants = list(self._grants.values()), {}
        for grant in grants:
            grant.forget()

    def _keep(
        self, source: SourceConfig, metadata: ProviderMetadata, result: SignInResult
    ) -> OidcGrant:
        settings = _settings(source)
        claims = result.claims
        subject = str(claims["sub"])
        login = str(claims.get("preferred_username") or subject)
        user = SignedInUser(subject, login, str(claims.get("name") or login))
        store = self._store(settings)
        with store.renewal_lock():  # not between another process's load and save
            before = store.load()
            if result.answer.refresh_token:
                store.save(user, result.answer.refresh_token)
            else:
                store.forget()  # an older sign-in's token would be replayed otherwise
        if before is not None and before.user.subject != subject:
            # Another doctor's sign-in took its place: theirs ends at the provider too.
            # (The same doctor's older token may share the new one's grant: left be.)
            threading.Thread(
                target=self._revoke, args=(source, before.refresh_token, None), daemon=True
            ).start()
        grant = OidcGrant(settings, self._session(source), store, user, metadata=metadata)
        grant.take(result.answer)
        with self._lock:
            old = self._grants.pop(settings.sign_in_key, None)
            self._grants[settings.sign_in_key] = grant
        if old is not None:
            old.forget()
        return grant

    def _store(self, settings: OidcSettings) -> RefreshStore:
        return RefreshStore(settings, self._lock_dir)

    def _session(self, source: SourceConfig) -> requests.Session:
        key = _settings(source).sign_in_key
        if key not in self._sessions:
            # The provider's session: no source auth, one retry; the user is waiting.
            self._sessions[key] = make_session(
                ca_bundle=_settings(source).ca_bundle, retries=retry_policy(total=1)
            )
        return self._sessions[key]


def _settings(source: SourceConfig) -> OidcSettings:
    if source.oidc is None:
        raise ValueError(f"{source.name} does not sign in with OpenID Connect")
    return source.oidc


SIGN_INS = SignIns()  # the process's sign-ins (the window's and a command's)
