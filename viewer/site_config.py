"""The site configuration an installer writes from IT's answers, in one place.

Every installer asks IT the same things — the platform's DICOMweb address, the issuer
of its patient IDs, how doctors sign in, the cache folder and size, whether to lock the
platform and the cache folder — as debconf questions (Debian), MSI properties
(``msiexec /qn PLATFORM_URL=...``, Windows) or a postinstall script's arguments (macOS),
and each runs ``qingying config write-site`` with the answers. The file is written here
only, so it is the same TOML on every system, escaped once, and checked by the same
reader the app uses before it replaces anything.

A file this did not write (IT's own, managed by hand or by their tools) is never
written over: the first line marks the files written here.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from viewer.config import AUTH_KINDS, merge_layers
from viewer.errors import ConfigError, UsageError

MARK = "# Written by the Qingying installer from its answers"
SOURCE_NAME = "platform"
LOCKS = ("sources", "cache.dir")


@dataclass(frozen=True)
class SiteAnswers:
    """What IT answered at install time (empty: not answered)."""

    url: str
    issuer: str = ""
    auth: str = "basic"
    cache_dir: str = ""  # empty: each user's own cache folder
    cache_size: str = "20 GB"
    lock: bool = True


def render(answers: SiteAnswers) -> str:
    """The site configuration for ``answers``, checked as the app will read it."""
    if not answers.url:
        raise UsageError("the platform's DICOMweb address is needed")
    if answers.auth not in AUTH_KINDS:
        raise UsageError(f"the sign-in kind is one of {', '.join(AUTH_KINDS)}")
    lines = [MARK, "# (run the installer again, or replace the whole file to manage it yourself)"]
    if answers.lock:
        lines.append("locked = [" + ", ".join(_string(k) for k in LOCKS) + "]")
    lines += ["", "[cache]"]
    if answers.cache_dir:
        lines.append(f"dir = {_string(answers.cache_dir)}")
    lines.append(f"max_size = {_string(answers.cache_size)}")
    lines += ["", "[[sources]]", f"name = {_string(SOURCE_NAME)}"]
    lines += [f"url = {_string(answers.url)}", f"auth = {_string(answers.auth)}"]
    if answers.issuer:
        lines.append(f"issuer = {_string(answers.issuer)}")
    text = "\n".join(lines) + "\n"
    _check(text)
    return text


def write(path: Path, answers: SiteAnswers) -> bool:
    """Write the site configuration to ``path`` (atomically, readable by every user);
    False, writing nothing, when a file this did not write is there."""
    text = render(answers)
    if path.exists() and not _ours(path):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".config.", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        Path(name).chmod(0o644)  # the site's settings, no secret: every user reads them
        Path(name).replace(path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return True


def _ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return f.readline().rstrip("\n") == MARK
    except OSError:
        return False


def _string(value: str) -> str:
    """A TOML basic string (PS: tomllib reads back exactly ``value``)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in escaped):
        raise UsageError("an answer holds control characters")
    return f'"{escaped}"'


def _check(text: str) -> None:
    where = Path("site configuration")
    try:
        merge_layers([(where, tomllib.loads(text))], site=where)
    except (tomllib.TOMLDecodeError, ConfigError) as err:
        raise UsageError(f"the answers make no valid site configuration: {err}") from err
