"""Site-wide and per-user configuration, read from TOML.

Layers, lowest precedence first:
1. the site config hospital IT deploys (``/etc/qingying/config.toml`` on Linux,
   ``%PROGRAMDATA%\\Qingying\\config.toml`` on Windows),
2. the user's config (platformdirs' user config dir),
3. a file named with ``--config``.

Tables merge key by key; ``[[sources]]`` merge by ``name``, so a user can change the
username of a source the site defines without repeating its URL. Every value is checked
and a wrong one raises :class:`ConfigError` naming the file, the key and the problem.
Secrets never live here: a ``password`` key (or any key whose name says it holds a
secret) is refused.

Error messages never echo a value that could be a secret: someone who put a password in
the wrong place must not see it printed on a shared screen or pasted into a ticket.
A wrong value is described (its type, a URL's scheme), not repeated; a URL is only ever
shown with its user information replaced (:func:`redact_url`).
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from viewer import config_oidc, config_privacy
from viewer.config_locks import LockSchema, refuse_lock_outside_site
from viewer.config_oidc import OidcSettings
from viewer.config_privacy import PrivacyConfig
from viewer.config_sizes import parse_size
from viewer.errors import ConfigError
from viewer.plaintext import BASIC_NEEDS_TLS, basic_allowed
from viewer.private_files import PRIVATE_DIR, PRIVATE_FILE, make_private

APP_NAME = "Qingying"
AuthKind = Literal["basic", "oidc", "none"]
AUTH_KINDS: tuple[AuthKind, ...] = ("basic", "oidc", "none")
DEFAULT_MAX_SIZE = "20 GB"
UI_LANGUAGES = ("zh_CN", "en")

_SOURCE_KEYS = {
    "name",
    "url",
    "auth",
    "username",
    "issuer",
    "ca_bundle",
    "store",
    *config_oidc.KEYS,
}
_TOP_KEYS = {"cache", "sources", "ui", "history", "prefetch", "privacy", "locked"}
_PREFETCH_KEYS = {"last_studies", "modalities", "max_age_days", "days_ahead"}
_HISTORY_KEYS = {"similar_days"}
DEFAULT_SIMILAR_DAYS = 30
_CACHE_KEYS = {"dir", "max_size", "machine_key_file"}
_UI_KEYS = {"language"}
_LOCKS = LockSchema(
    {
        t: frozenset(k)
        for t, k in (
            ("cache", _CACHE_KEYS),
            ("ui", _UI_KEYS),
            ("history", _HISTORY_KEYS),
            ("prefetch", _PREFETCH_KEYS),
            ("privacy", config_privacy.KEYS),
        )
    },
    frozenset(_SOURCE_KEYS),
    paths=frozenset(
        {
            "cache.dir",
            "cache.machine_key_file",
            "sources.ca_bundle",
            "sources.oidc_ca_bundle",
            *(f"privacy.{k}" for k in config_privacy.PATH_KEYS),
        }
    ),
    resolve=lambda value, file: _resolve_path(value, file),
)
# A key whose name ends in one of these words (any case) is taken for a secret: refused,
# and its value never shown ("access_token", "api_key", "pwd", "client_secret", ...).
# The end only: a later OIDC "token_url" names where to ask, not a secret.
_SECRET_KEY_RE = re.compile(
    r"(?:^|[_.-])(?:pass(?:word|wd)?|pwd|secret|token|credentials?|api_?key|private_?key)$",
    re.IGNORECASE,
)

_WORD_RE = re.compile(r"[a-z][a-z0-9+.-]{0,15}", re.IGNORECASE)  # a URL scheme to name


@dataclass(frozen=True)
class SourceConfig:
    """One DICOMweb source: a regional platform or a hospital PACS."""

    name: str
    url: str  # the DICOMweb root, without a trailing slash
    auth: AuthKind
    username: str | None
    issuer: str | None  # IssuerOfPatientID of the patient IDs this source uses
    ca_bundle: Path | None
    defined_in: str  # the file that last set a value of this source
    # It accepts measurement reports sent back (STOW-RS): set by the site, per source.
    store: bool = False
    oidc: OidcSettings | None = None  # set exactly when auth == "oidc"


@dataclass(frozen=True)
class CacheConfig:
    dir: Path
    max_size: int  # bytes
    machine_key_file: Path | None = None  # the machine's cache key (viewer.cache.machine_key)


@dataclass(frozen=True)
class UiConfig:
    language: str | None  # None: follow the system locale


@dataclass(frozen=True)
class HistoryConfig:
    similar_days: int = DEFAULT_SIMILAR_DAYS  # window for "recent similar exam" flags


@dataclass(frozen=True)
class PrefetchConfig:
    """What a clinic's nightly prefetch brings for each patient on the worklist."""

    last_studies: int = 3  # the newest N studies of each patient
    modalities: tuple[str, ...] = ()  # only these (empty: any)
    max_age_days: int = 730  # nothing older
    days_ahead: int = 1  # worklist rows dated from today to this many days on


@dataclass(frozen=True)
class Config:
    cache: CacheConfig
    sources: tuple[SourceConfig, ...]
    ui: UiConfig
    history: HistoryConfig = field(default=HistoryConfig())
    prefetch: PrefetchConfig = field(default=PrefetchConfig())
    privacy: PrivacyConfig = field(default=PrivacyConfig())
    files: tuple[Path, ...] = field(default=())  # files read, lowest precedence first
    locked: tuple[str, ...] = ()  # keys the site config locks (viewer.config_locks)
    locked_by: Path | None = None  # that site config

    def source(self, name: str) -> SourceConfig:
        for src in self.sources:
            if src.name == name:
                return src
        known = ", ".join(s.name for s in self.sources) or "none configured"
        raise ConfigError("configuration", "sources", f"no source named {name!r} ({known})")


def site_config_path() -> Path:
    """Where hospital IT puts the site-wide config on this operating system."""
    override = os.environ.get("QINGYING_SITE_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        root = os.environ.get("PROGRAMDATA", r"C:\ProgramData")
        return Path(root) / APP_NAME / "config.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_NAME / "config.toml"
    return Path("/etc/qingying/config.toml")


def user_config_path() -> Path:
    override = os.environ.get("QINGYING_USER_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "studies"


def load_config(explicit: Path | None = None) -> Config:
    """Read the site, user and explicit config files (those that exist) into one Config."""
    site = site_config_path()
    user = user_config_path()
    _keep_private(user)
    layers: list[Path] = [p for p in (site, user) if p.is_file()]
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(str(explicit), None, "no such file")
        layers.append(explicit)
    return merge_layers([(path, read_toml(path)) for path in layers], site=site)


def _keep_private(user_config: Path) -> None:
    """The user's config names the platforms and the user's account on each: the file,
    and the app's own config folder, are the user's alone. (A file named by
    ``QINGYING_USER_CONFIG`` may sit in a folder that is not the app's: only the file.)"""
    make_private(user_config, PRIVATE_FILE)
    if not os.environ.get("QINGYING_USER_CONFIG"):  # empty: unset, as user_config_path reads it
        make_private(user_config.parent, PRIVATE_DIR)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(str(path), None, f"not valid TOML: {err}") from err
    except OSError as err:
        raise ConfigError(str(path), None, f"cannot be read: {err.strerror}") from err


def merge_layers(
    layers: list[tuple[Path, Mapping[str, Any]]], *, site: Path | None = None
) -> Config:
    """Check each layer on its own (so errors name the right file), then overlay them;
    the first layer, when it is the ``site`` config, may lock keys the others cannot
    change (:mod:`viewer.config_locks`)."""
    locks: tuple[str, ...] = ()
    cache: dict[str, tuple[Any, Path]] = {}
    ui: dict[str, tuple[Any, Path]] = {}
    history: dict[str, Any] = {}
    prefetch: dict[str, Any] = {}
    privacy: dict[str, tuple[Any, Path]] = {}
    sources: dict[str, dict[str, tuple[Any, Path]]] = {}
    source_files: dict[str, Path] = {}  # the layer that last touched each source
    for index, (path, data) in enumerate(layers):
        _check_layer(path, data)
        if index == 0 and site is not None and path == site:
            locks = _LOCKS.read(path, data)
        else:
            refuse_lock_outside_site(path, data, site)
            if locks and site is not None:
                _LOCKS.refuse_changes(site, locks, layers[0][1], path, data)
        for key, value in data.get("cache", {}).items():
            cache[key] = (value, path)
        for key, value in data.get("ui", {}).items():
            ui[key] = (value, path)
        history.update(data.get("history", {}))
        prefetch.update(data.get("prefetch", {}))
        for key, value in data.get("privacy", {}).items():
            privacy[key] = (value, path)
        for entry in data.get("sources", []):
            merged = sources.setdefault(entry["name"], {})
            for key, value in entry.items():
                merged[key] = (value, path)
            source_files[entry["name"]] = path
    return Config(
        cache=_build_cache(cache),
        sources=tuple(_build_source(f, source_files[name]) for name, f in sources.items()),
        ui=UiConfig(language=ui["language"][0] if "language" in ui else None),
        history=HistoryConfig(**history),
        prefetch=_build_prefetch(prefetch),
        privacy=config_privacy.build(privacy, _resolve_path),
        files=tuple(path for path, _ in layers),
        locked=locks,
        locked_by=site if locks else None,
    )


def _check_layer(path: Path, data: Mapping[str, Any]) -> None:
    where = str(path)
    _check_keys(where, "", data, _TOP_KEYS)
    cache = _table(where, "cache", data.get("cache", {}))
    _check_keys(where, "cache.", cache, _CACHE_KEYS)
    for name in ("dir", "machine_key_file"):
        if name in cache:
            _string(where, f"cache.{name}", cache[name])
    if "max_size" in cache:
        parse_size(cache["max_size"], where=where, key="cache.max_size")
    ui = _table(where, "ui", data.get("ui", {}))
    _check_keys(where, "ui.", ui, _UI_KEYS)
    if "language" in ui and ui["language"] not in UI_LANGUAGES:
        raise ConfigError(where, "ui.language", f"must be one of {', '.join(UI_LANGUAGES)}")
    history = _table(where, "history", data.get("history", {}))
    _check_keys(where, "history.", history, _HISTORY_KEYS)
    days = history.get("similar_days", DEFAULT_SIMILAR_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650:
        raise ConfigError(where, "history.similar_days", "must be a whole number of days, 1-3650")
    _check_prefetch(where, _table(where, "prefetch", data.get("prefetch", {})))
    privacy = _table(where, "privacy", data.get("privacy", {}))
    _check_keys(where, "privacy.", privacy, config_privacy.KEYS)
    config_privacy.check(where, privacy)
    sources = data.get("sources", [])
    if not isinstance(sources, list):
        raise ConfigError(where, "sources", "must be an array of tables ([[sources]])")
    seen: set[str] = set()
    for index, entry in enumerate(sources):
        _check_source_entry(where, f"sources[{index}]", entry, seen)


def _build_prefetch(values: Mapping[str, Any]) -> PrefetchConfig:
    default = PrefetchConfig()
    return PrefetchConfig(
        last_studies=values.get("last_studies", default.last_studies),
        modalities=tuple(values.get("modalities", default.modalities)),
        max_age_days=values.get("max_age_days", default.max_age_days),
        days_ahead=values.get("days_ahead", default.days_ahead),
    )


def _check_prefetch(where: str, table: Mapping[str, Any]) -> None:
    _check_keys(where, "prefetch.", table, _PREFETCH_KEYS)
    for key, low, high in (
        ("last_studies", 1, 1000),
        ("max_age_days", 1, 36500),
        ("days_ahead", 0, 365),
    ):
        value = table.get(key, low)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(where, f"prefetch.{key}", f"must be a whole number, {low}-{high}")
    modalities = table.get("modalities", [])
    if not isinstance(modalities, list) or not all(
        isinstance(m, str) and m.isalnum() and m.isupper() for m in modalities
    ):
        raise ConfigError(where, "prefetch.modalities", 'must be a list such as ["CT", "MR"]')


def _check_source_entry(where: str, key: str, entry: Any, seen: set[str]) -> None:
    entry = _table(where, key, entry)
    _check_keys(where, f"{key}.", entry, _SOURCE_KEYS)
    name = _string(where, f"{key}.name", entry.get("name"))
    if name in seen:
        raise ConfigError(where, f"{key}.name", f"source {name!r} is defined twice")
    seen.add(name)
    for opt in ("url", "username", "issuer", "ca_bundle"):
        if opt in entry:
            _string(where, f"{key}.{opt}", entry[opt])
    if "url" in entry:
        _check_url(where, f"{key}.url", entry["url"])
    if "store" in entry and not isinstance(entry["store"], bool):
        raise ConfigError(where, f"{key}.store", "must be true or false")
    if "auth" in entry and entry["auth"] not in AUTH_KINDS:
        # Without the value: a password is what people most often put here by mistake.
        raise ConfigError(where, f"{key}.auth", f"must be one of {', '.join(AUTH_KINDS)}")
    config_oidc.check(where, key, entry)


def _check_keys(where: str, prefix: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    for key in table:
        if _SECRET_KEY_RE.search(key):
            raise ConfigError(
                where,
                prefix + key,
                "secrets never belong in a config file; "
                "run 'qingying login' to keep them in the system keyring",
            )
        if key not in allowed:
            raise ConfigError(
                where, prefix + key, f"unknown key (known: {', '.join(sorted(allowed))})"
            )


def _table(where: str, key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(where, key, "must be a table")
    return cast(Mapping[str, Any], value)


def _string(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(where, key, "must be a non-empty string")
    return value


def _check_url(where: str, key: str, url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise ConfigError(where, key, "is not a valid URL") from None
    if parts.username is not None or parts.password is not None:
        raise ConfigError(where, key, "credentials never belong in the URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # Only the scheme is named: the whole value could be a secret.
        got = f"a {parts.scheme}: URL" if _WORD_RE.fullmatch(parts.scheme) else "no URL"
        raise ConfigError(where, key, f"must be an http:// or https:// URL (got {got})")
    if parts.query or parts.fragment:
        raise ConfigError(where, key, "must be the DICOMweb root, without ?query or #fragment")


def redact_url(url: str) -> str:
    """``url`` with any user information (``user:password@``) replaced by ``***@``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(not a valid URL)"
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def _resolve_path(value: str, relative_to: Path) -> Path:
    """Expand ``~`` and environment variables; relative paths start at the config's folder."""
    path = Path(os.path.expandvars(value)).expanduser()
    return path if path.is_absolute() else (relative_to.parent / path).resolve()


def _build_cache(fields: Mapping[str, tuple[Any, Path]]) -> CacheConfig:
    directory = (
        _resolve_path(fields["dir"][0], fields["dir"][1])
        if "dir" in fields
        else default_cache_dir()
    )
    if "max_size" in fields:
        value, path = fields["max_size"]
        max_size = parse_size(value, where=str(path), key="cache.max_size")
    else:
        max_size = parse_size(DEFAULT_MAX_SIZE)
    machine_key = fields.get("machine_key_file")
    return CacheConfig(
        directory, max_size, _resolve_path(*machine_key) if machine_key is not None else None
    )


def _build_source(fields: Mapping[str, tuple[Any, Path]], last_file: Path) -> SourceConfig:
    name = fields["name"][0]
    where = str(last_file)
    key = f"source {name!r}"
    if "url" not in fields:
        raise ConfigError(where, key, "has no url")
    auth: AuthKind = fields["auth"][0] if "auth" in fields else "basic"
    username = fields["username"][0] if "username" in fields else None
    # A basic source may leave the username out: a site config serves every doctor of
    # the hospital, and each gives their own name at sign-in (kept with the password).
    if auth == "basic" and not basic_allowed(fields["url"][0]):
        raise ConfigError(where, key, BASIC_NEEDS_TLS)
    ca_bundle = config_oidc.file_value(fields, "ca_bundle", key, _resolve_path)
    return SourceConfig(
        name=name,
        url=str(fields["url"][0]).rstrip("/"),
        auth=auth,
        username=username,
        issuer=fields["issuer"][0] if "issuer" in fields else None,
        ca_bundle=ca_bundle,
        defined_in=where,
        store=bool(fields["store"][0]) if "store" in fields else False,
        oidc=config_oidc.build(fields, where, key, auth, _resolve_path),
    )
