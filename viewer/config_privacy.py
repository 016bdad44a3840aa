"""The ``[privacy]`` table: the idle lock and the audit trail of patient access.

    [privacy]
    idle_lock_minutes = 10            # 1-240 minutes without input, then the lock screen
    audit_dir = "/path"               # default: the user's data folder, ``audit``
    audit_syslog = "siem.hospital:6514"   # also send each event there (RFC 5424 over TLS)
    audit_syslog_ca_bundle = "/etc/qingying/siem-ca.pem"   # default: the system's CAs

A hospital's IT sets these in the site config and locks them (``locked = ["privacy"]``):
a doctor may not lengthen the lock or turn the trail's forwarding off.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError

KEYS = {"idle_lock_minutes", "audit_dir", "audit_syslog", "audit_syslog_ca_bundle"}
PATH_KEYS = ("audit_dir", "audit_syslog_ca_bundle")
DEFAULT_IDLE_LOCK_MINUTES = 10
SYSLOG_PORT = 6514  # syslog over TLS (RFC 5425)


@dataclass(frozen=True)
class PrivacyConfig:
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES
    audit_dir: Path | None = None  # None: the user's data folder (viewer.audit)
    audit_syslog: tuple[str, int] | None = None  # (host, port) of the collector
    audit_syslog_ca_bundle: Path | None = None


def check(where: str, table: Mapping[str, Any]) -> None:
    """Refuse a wrong value, naming the file and the key."""
    minutes = table.get("idle_lock_minutes", DEFAULT_IDLE_LOCK_MINUTES)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240:
        raise ConfigError(
            where, "privacy.idle_lock_minutes", "must be a whole number of minutes, 1-240"
        )
    for key in PATH_KEYS:
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise ConfigError(where, f"privacy.{key}", "must be a non-empty string")
    if "audit_syslog" in table:
        syslog_address(where, table["audit_syslog"])


def syslog_address(where: str, value: Any) -> tuple[str, int]:
    """``host``, ``host:port``, ``[IPv6]`` or ``[IPv6]:port`` (default port 6514) of the
    hospital's collector; a bare IPv6 address is a host without a port."""
    wrong = ConfigError(where, "privacy.audit_syslog", "must be host or host:port")
    if not isinstance(value, str) or not value.strip() or "/" in value or " " in value:
        raise wrong
    if value.startswith("["):
        host, closed, rest = value[1:].partition("]")
        if not closed or not host or (rest and not rest.startswith(":")):
            raise wrong
        port = rest[1:] if rest else ""
    elif value.count(":") == 1:
        host, _, port = value.partition(":")
    else:
        host, port = value, ""  # a name, or a bare IPv6 address
    if not port:
        return host, SYSLOG_PORT
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise wrong
    return host, int(port)


def build(
    fields: Mapping[str, tuple[Any, Path]], resolve: Callable[[str, Path], Path]
) -> PrivacyConfig:
    """The merged table (each value with the file that set it) as a PrivacyConfig."""

    def path(key: str) -> Path | None:
        return resolve(*fields[key]) if key in fields else None

    syslog = fields.get("audit_syslog")
    return PrivacyConfig(
        idle_lock_minutes=fields.get("idle_lock_minutes", (DEFAULT_IDLE_LOCK_MINUTES,))[0],
        audit_dir=path("audit_dir"),
        audit_syslog=syslog_address(str(syslog[1]), syslog[0]) if syslog else None,
        audit_syslog_ca_bundle=path("audit_syslog_ca_bundle"),
    )
