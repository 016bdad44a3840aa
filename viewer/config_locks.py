"""Keys hospital IT locks in the site configuration, so no user config changes them.

The site config (and only it) may list ``locked = ["sources", "cache.dir", ...]``:

- a table (``cache``, ``ui``, ``history``, ``prefetch``) locks each of its keys;
- ``table.key`` locks one key (``cache.dir``, ``ui.language``, ``prefetch.modalities``);
- ``sources`` locks the site's sources — no source added, none of theirs changed —
  except each source's ``username``: the name a doctor signs in with is the doctor's
  (lock ``sources.username`` as well to fix it too);
- ``sources.KEY`` locks that key of every source the site defines (``sources.url``,
  ``sources.ca_bundle``, ``sources.store``, ...), new sources still allowed.

A later layer (the user's config, a ``--config`` file) that sets a locked key to
another value than the site's is refused with one line naming both files; setting it
to the site's own value changes nothing and passes. A lock the site names that does not
exist is refused as well: IT must not believe a key is locked when it is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError

_NAME_RE = re.compile(r"^[a-z_]{1,20}(?:\.[a-z_]{1,20})?$")
_MISSING = object()


@dataclass(frozen=True)
class LockSchema:
    """What can be locked: the config's tables and their keys, and a source's keys (the
    config module owns them and builds this)."""

    tables: Mapping[str, frozenset[str]]
    source_keys: frozenset[str]
    # Keys whose values are paths ("cache.dir", "sources.ca_bundle"), compared as the
    # config reads them (relative to their own file): the same words in another file
    # may name another folder.
    paths: frozenset[str] = frozenset()
    resolve: Callable[[str, Path], Path] = lambda value, _file: Path(value)

    def names(self) -> frozenset[str]:
        tables = set(self.tables) | {f"{t}.{k}" for t, keys in self.tables.items() for k in keys}
        sources = {"sources"} | {f"sources.{k}" for k in self.source_keys if k != "name"}
        return frozenset(tables | sources)

    def read(self, path: Path, data: Mapping[str, Any]) -> tuple[str, ...]:
        """The keys the site config ``data`` (read from ``path``) locks, checked."""
        value = data.get("locked", [])
        where = str(path)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(where, "locked", 'must be a list of key names, e.g. ["cache.dir"]')
        known = self.names()
        for name in value:
            if name not in known:
                shown = repr(name) if _NAME_RE.match(name) else "a name"  # never a secret
                lockable = ", ".join(sorted(known))
                raise ConfigError(where, "locked", f"cannot lock {shown}: lockable are {lockable}")
        return tuple(dict.fromkeys(value))

    def refuse_changes(
        self,
        site: Path,
        locks: Sequence[str],
        site_data: Mapping[str, Any],
        path: Path,
        data: Mapping[str, Any],
    ) -> None:
        """Raise ConfigError where layer ``data`` (read from ``path``) sets a key the site
        config locks to another value than the site's."""
        locked = set(locks)
        for table in self.tables:
            theirs = site_data.get(table, {})
            for key, value in data.get(table, {}).items():
                name = f"{table}.{key}"
                shut = table in locked or name in locked
                if shut and not self._same(name, theirs.get(key, _MISSING), site, value, path):
                    raise _refused(path, name, site)
        site_sources = {s.get("name"): s for s in site_data.get("sources", [])}
        for entry in data.get("sources", []):
            self._refuse_source_changes(site, locked, site_sources, path, entry)

    def _refuse_source_changes(
        self,
        site: Path,
        locked: set[str],
        site_sources: Mapping[Any, Mapping[str, Any]],
        path: Path,
        entry: Mapping[str, Any],
    ) -> None:
        name = entry.get("name")
        defined = site_sources.get(name)
        if defined is None:
            if "sources" in locked:
                raise _refused(path, f"sources ({name})", site, "adding a source")
            return
        for key, value in entry.items():
            shut = f"sources.{key}" in locked or ("sources" in locked and key != "username")
            theirs = defined.get(key, _MISSING)
            if (
                key != "name"
                and shut
                and not self._same(f"sources.{key}", theirs, site, value, path)
            ):
                raise _refused(path, f"sources ({name}).{key}", site)

    def _same(self, name: str, theirs: Any, site: Path, ours: Any, path: Path) -> bool:
        """The later layer's value is the site's (a path: the same place, each read
        relative to its own file)."""
        if name in self.paths and isinstance(theirs, str) and isinstance(ours, str):
            return self.resolve(theirs, site) == self.resolve(ours, path)
        return bool(theirs == ours)


def refuse_lock_outside_site(path: Path, data: Mapping[str, Any], site: Path | None) -> None:
    """Only the site config locks keys: ``locked`` anywhere else is refused."""
    if "locked" in data:
        owner = f" ({site})" if site is not None else ""
        raise ConfigError(str(path), "locked", f"only the site configuration{owner} can lock keys")


def _refused(path: Path, key: str, site: Path, what: str = "this key") -> ConfigError:
    return ConfigError(
        str(path), key, f"{what} is locked by the site configuration {site}: ask your IT department"
    )
