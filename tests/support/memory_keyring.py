"""A keyring backend that keeps secrets in memory only, for unit tests."""

from __future__ import annotations

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.credentials import SimpleCredential
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    # keyring registers every backend class it sees; a viable one would join the
    # automatic choice (and the chainer) in later tests that want the real keyring.
    # Raising here makes it never viable: tests install it with keyring.set_keyring().
    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (a class property)
        raise RuntimeError("MemoryKeyring is only for tests that install it explicitly")

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")

    def get_credential(self, service: str, username: str | None) -> SimpleCredential | None:
        for (svc, user), password in self.entries.items():
            if svc == service and (username is None or user == username):
                return SimpleCredential(user, password)
        return None


class LockedKeyring(KeyringBackend):
    """A keyring that is there but locked: every request refused. Never viable (as
    :class:`MemoryKeyring`): tests install it explicitly."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (a class property)
        raise RuntimeError("LockedKeyring is only for tests that install it explicitly")

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("the collection is locked")


class PartlyLockedKeyring(MemoryKeyring):
    """A memory keyring whose entries of the ``locked`` services are refused, as a
    backend that cannot give one item (a damaged collection) while it gives others."""

    def __init__(self, locked: set[str]) -> None:
        super().__init__()
        self.locked = locked

    def get_password(self, service: str, username: str) -> str | None:
        if service in self.locked:
            raise KeyringLocked("the collection is locked")
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        if service in self.locked:
            raise KeyringLocked("the collection is locked")
        super().set_password(service, username, password)
