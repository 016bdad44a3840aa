"""Private Orthanc instances for the demo platform and the integration tests: their
processes (start, stop, status). What an instance is and its configuration are in
:mod:`viewer.demo.orthanc_config`; its names are re-exported here, the one module
callers import.

Each instance lives in its own directory (``root``) holding its JSON configuration, its
storage, its logs, its console output and a pid file. It is started as a child process in
its own process group, so that it survives the command that started it (``python -m
viewer.demo up``) and can be stopped later by pid (``down``).

Nothing here ever signals a process that is not the Orthanc started for that directory:
before a signal is sent, ``/proc/PID/cmdline`` must name the Orthanc binary and this
instance's configuration file. A pid file that names anything else is stale and removed.

The instance listens on all interfaces (Orthanc has no bind-address option) but refuses
non-loopback peers (``"RemoteAccessAllowed": false``) and requires HTTP Basic credentials.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from viewer.demo.orthanc_config import (
    DICOMWEB_PLUGIN,
    OrthancError,
    OrthancInstance,
    OrthancNotInstalledError,
    OrthancStartError,
    OrthancStopError,
    PortInUseError,
    client_config_toml,
    config_dict,
    demo_instances,
    find_free_port,
    find_orthanc,
    write_config,
)

__all__ = [
    "DICOMWEB_PLUGIN",
    "InstanceStatus",
    "OrthancError",
    "OrthancInstance",
    "OrthancNotInstalledError",
    "OrthancStartError",
    "OrthancStopError",
    "PortInUseError",
    "client_config_toml",
    "config_dict",
    "demo_instances",
    "find_free_port",
    "find_orthanc",
    "is_instance_process",
    "read_pid",
    "start",
    "status",
    "stop",
    "stop_all",
    "write_config",
]

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 15.0
_LOG_TAIL_LINES = 15

# Popen handles of the instances this process started, by pid: lets ``stop`` reap its own
# children instead of leaving zombies (a zombie still answers ``kill(pid, 0)``).
_children: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class InstanceStatus:
    key: str
    name: str
    url: str
    pid: int | None
    running: bool
    healthy: bool
    detail: str = ""


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# -- pid handling ---------------------------------------------------------------------


def read_pid(instance: OrthancInstance) -> int | None:
    """The pid recorded in the instance's pid file, or None if absent or unreadable."""
    try:
        text = instance.pid_file.read_text().strip()
    except FileNotFoundError:
        return None
    try:
        pid = int(text)
    except ValueError:
        return None
    return pid if pid > 0 else None


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # The state follows the parenthesised command name, which may itself hold spaces.
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def is_instance_process(pid: int, instance: OrthancInstance) -> bool:
    """Whether ``pid`` is a live Orthanc started with this instance's configuration."""
    args = _cmdline(pid)
    if not args or _is_zombie(pid):
        return False
    if Path(args[0]).name != "Orthanc":
        return False
    config = str(instance.config_path.resolve())
    return any(arg == config for arg in args[1:])


def _reap(pid: int) -> bool:
    """Collect ``pid`` if this process started it and it has exited; True if so.

    Processes started elsewhere are left alone: once exited they are zombies at worst,
    which ``is_instance_process`` already treats as gone.
    """
    child = _children.get(pid)
    if child is None or child.poll() is None:
        return False
    _children.pop(pid, None)
    return True


def _running_pid(instance: OrthancInstance) -> int | None:
    """The pid of this instance's Orthanc if it runs; removes a stale pid file."""
    pid = read_pid(instance)
    if pid is None:
        if instance.pid_file.exists():
            instance.pid_file.unlink(missing_ok=True)
        return None
    _reap(pid)
    if is_instance_process(pid, instance):
        return pid
    instance.pid_file.unlink(missing_ok=True)
    return None


# -- health ---------------------------------------------------------------------------


def _system(instance: OrthancInstance, timeout: float = 2.0) -> dict[str, Any] | None:
    """``/system`` as JSON if the instance answers it with its credentials, else None."""
    try:
        response = requests.get(f"{instance.base_url}/system", auth=instance.auth, timeout=timeout)
    except requests.RequestException:
        return None
    if response.status_code != 200:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _healthy(instance: OrthancInstance) -> bool:
    system = _system(instance)
    return system is not None and system.get("Name") == instance.name


def _log_tail(instance: OrthancInstance) -> str:
    """The last lines Orthanc wrote: its log file (errors go there), then its console."""
    lines: list[str] = []
    for path in (instance.log_file, instance.console_log):
        with contextlib.suppress(OSError):
            lines += path.read_text(errors="replace").splitlines()[-_LOG_TAIL_LINES:]
    if not lines:
        return "    (no log output)"
    return "\n".join("    " + line for line in lines)


# -- lifecycle ------------------------------------------------------------------------


def start(instance: OrthancInstance, timeout: float = START_TIMEOUT_S) -> int:
    """Start the instance (or reuse it if it already runs and answers); returns its pid."""
    binary = find_orthanc()
    pid = _running_pid(instance)
    if pid is not None:
        if _healthy(instance):
            return pid
        stop(instance)
    if _port_in_use(instance.http_port):
        raise PortInUseError(
            f"{instance.key}: port {instance.http_port} is already in use by another process"
        )
    config = write_config(instance)
    with instance.console_log.open("ab") as console:
        child = subprocess.Popen(
            [binary, str(config.resolve()), f"--logdir={instance.log_dir.resolve()}"],
            cwd=instance.root,
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _children[child.pid] = child
    instance.pid_file.write_text(f"{child.pid}\n")
    deadline = time.monotonic() + timeout
    while True:
        if child.poll() is not None:
            _children.pop(child.pid, None)
            instance.pid_file.unlink(missing_ok=True)
            raise OrthancStartError(
                f"{instance.key}: Orthanc exited with status {child.returncode} at start"
                f" (see {instance.log_file}); last log lines:\n{_log_tail(instance)}"
            )
        if _healthy(instance):
            return child.pid
        if time.monotonic() > deadline:
            stop(instance)
            raise OrthancStartError(
                f"{instance.key}: Orthanc did not answer {instance.base_url}/system within"
                f" {timeout:g} s (see {instance.log_file}); last log lines:\n"
                f"{_log_tail(instance)}"
            )
        time.sleep(0.05)


def _wait_exit(pid: int, instance: OrthancInstance, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if _reap(pid) or not is_instance_process(pid, instance):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def stop(instance: OrthancInstance, timeout: float = STOP_TIMEOUT_S) -> bool:
    """Stop the instance: SIGTERM, then SIGKILL after ``timeout`` seconds.

    Returns False if it was not running. Only the process recorded in the pid file is
    signalled, and only if it is this instance's Orthanc.
    """
    pid = _running_pid(instance)
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if not _wait_exit(pid, instance, timeout):
        if is_instance_process(pid, instance):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if not _wait_exit(pid, instance, 5.0):
            raise OrthancStopError(f"{instance.key}: Orthanc (pid {pid}) does not exit")
    instance.pid_file.unlink(missing_ok=True)
    return True


def stop_all(
    instances: Iterable[OrthancInstance], timeout: float = STOP_TIMEOUT_S
) -> dict[str, bool]:
    """Stop several instances in parallel (each takes seconds); maps key to ``stop``'s answer.

    Every instance is stopped even if another fails; the first failure is then raised.
    """
    chosen = list(instances)
    if not chosen:
        return {}
    with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
        futures = {i.key: pool.submit(stop, i, timeout) for i in chosen}
    return {key: future.result() for key, future in futures.items()}


def status(instance: OrthancInstance) -> InstanceStatus:
    """Whether the instance runs and answers ``/system`` with its credentials."""
    pid = _running_pid(instance)
    system = _system(instance) if pid is not None else None
    healthy = system is not None and system.get("Name") == instance.name
    detail = f"Orthanc {system.get('Version', '?')}" if system is not None else ""
    return InstanceStatus(
        key=instance.key,
        name=instance.name,
        url=instance.base_url,
        pid=pid,
        running=pid is not None,
        healthy=healthy,
        detail=detail,
    )
