"""Upload the demo data set into the local Orthanc instances.

The generated files live in ``data_dir/<target>/<StudyUID>/<SeriesUID>/<SOPUID>.dcm``;
every file under ``data_dir/<target>`` goes to the instance of the same key through
Orthanc's REST ``POST /instances``. Seeding is idempotent: an instance that already holds
as many instances as the manifest lists for its target is left alone, and re-uploading a
stored file only makes Orthanc answer ``AlreadyStored``.

Only counts, HTTP statuses and file names (UIDs) are reported, never patient data.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

from viewer.demo.manifest import Manifest
from viewer.demo.orthanc import OrthancInstance

__all__ = [
    "RejectedFileError",
    "SeedError",
    "SeedResult",
    "count_instances",
    "expected_counts",
    "seed_instance",
    "seed_instances",
]

UPLOAD_THREADS = 4
_TIMEOUT_S = 60.0


class SeedError(RuntimeError):
    """Seeding failed: the instance is unreachable or holds an unexpected number of files."""


class RejectedFileError(SeedError):
    """Orthanc refused one of the files."""

    def __init__(self, path: Path, status: int, reason: str) -> None:
        super().__init__(f"Orthanc refused {path} (HTTP {status}): {reason}")
        self.path = path
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class SeedResult:
    key: str
    expected: int
    uploaded: int  # files sent (0 when the instance was already seeded)
    stored: int  # instances held by Orthanc afterwards
    seconds: float

    @property
    def skipped(self) -> bool:
        return self.uploaded == 0


def _session(instance: OrthancInstance) -> requests.Session:
    session = requests.Session()
    session.auth = instance.auth
    return session


def count_instances(instance: OrthancInstance, session: requests.Session | None = None) -> int:
    """How many DICOM instances Orthanc holds (``/statistics`` CountInstances)."""
    own = session or _session(instance)
    try:
        response = own.get(f"{instance.base_url}/statistics", timeout=_TIMEOUT_S)
    except requests.RequestException as exc:
        raise SeedError(f"{instance.key}: cannot reach {instance.base_url}: {exc}") from exc
    finally:
        if session is None:
            own.close()
    if response.status_code != 200:
        raise SeedError(
            f"{instance.key}: {instance.base_url}/statistics answered HTTP {response.status_code}"
        )
    count = response.json().get("CountInstances")
    if not isinstance(count, int):
        raise SeedError(f"{instance.key}: /statistics has no CountInstances")
    return count


def _files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise SeedError(f"no demo data in {directory}")
    return sorted(path for path in directory.rglob("*.dcm") if path.is_file())


class _Uploader:
    """Uploads files from several threads, one keep-alive session per thread."""

    def __init__(self, instance: OrthancInstance) -> None:
        self._instance = instance
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _thread_session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = _session(self._instance)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def upload(self, path: Path) -> None:
        session = self._thread_session()
        try:
            response = session.post(
                f"{self._instance.base_url}/instances",
                data=path.read_bytes(),
                headers={"Content-Type": "application/dicom"},
                timeout=_TIMEOUT_S,
            )
        except requests.RequestException as exc:
            raise SeedError(f"{self._instance.key}: upload of {path} failed: {exc}") from exc
        if response.status_code != 200:
            raise RejectedFileError(path, response.status_code, _reason(response))
        body = response.json()
        status = body.get("Status") if isinstance(body, dict) else None
        if status not in ("Success", "AlreadyStored"):
            raise RejectedFileError(path, response.status_code, f"status {status!r}")

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()


def _reason(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason or "no reason given"
    if isinstance(body, dict):
        return str(body.get("Details") or body.get("Message") or response.reason)
    return response.reason or "no reason given"


def seed_instance(
    instance: OrthancInstance,
    files_dir: Path,
    expected: int,
    threads: int = UPLOAD_THREADS,
) -> SeedResult:
    """Upload every ``*.dcm`` under ``files_dir`` unless Orthanc already holds ``expected``.

    Raises ``RejectedFileError`` on the first refused file and ``SeedError`` if Orthanc
    does not hold exactly ``expected`` instances afterwards (e.g. left-overs of an older
    data set: stop the instance and delete its directory to start afresh).
    """
    started = time.monotonic()
    with _session(instance) as session:
        stored = count_instances(instance, session)
        if stored == expected:
            return SeedResult(instance.key, expected, 0, stored, time.monotonic() - started)
        files = _files(files_dir)
        if len(files) != expected:
            raise SeedError(
                f"{instance.key}: {files_dir} holds {len(files)} files,"
                f" the manifest lists {expected}"
            )
        uploader = _Uploader(instance)
        try:
            with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
                # Stop at the first failure: cancel what has not started yet.
                futures = [pool.submit(uploader.upload, path) for path in files]
                try:
                    for future in futures:
                        future.result()
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
        finally:
            uploader.close()
        stored = count_instances(instance, session)
    if stored != expected:
        raise SeedError(
            f"{instance.key}: Orthanc holds {stored} instances after seeding, the manifest"
            f" lists {expected}; stop it and delete {instance.root} to start afresh"
        )
    return SeedResult(instance.key, expected, len(files), stored, time.monotonic() - started)


def expected_counts(manifest: Manifest) -> dict[str, int]:
    """How many instances each target (``platform``, ``pacs``) holds once seeded."""
    return {target: counts.instances for target, counts in manifest.counts.items()}


def seed_instances(
    instances: Iterable[OrthancInstance],
    data_dir: Path,
    expected: Mapping[str, int],
    threads: int = UPLOAD_THREADS,
) -> list[SeedResult]:
    """Seed each instance from ``data_dir/<instance.key>``; ``expected`` maps key to count."""
    results = []
    for instance in instances:
        if instance.key not in expected:
            raise SeedError(f"the manifest has no target {instance.key!r}")
        results.append(
            seed_instance(instance, data_dir / instance.key, expected[instance.key], threads)
        )
    return results
