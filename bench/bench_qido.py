"""QIDO-RS round trips from Python against curl, on the same server in the same run.

Baseline: one curl process fetching every URL over one kept-alive connection, so the
ratio shows what Python (requests + JSON parsing) adds per search, not process start-up.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import requests

from bench.common import best_of, demo_platform

ROUNDS = 5
QUERIES_PER_ROUND = 60
INCLUDE = "includefield=00081030&includefield=00080080&includefield=00180015"


def query_urls(root: str, patient_ids: list[str]) -> list[str]:
    # Orthanc 1.10 does not percent-decode QIDO values: '*' and '^' go unencoded.
    base = [
        f"{root}/studies?{INCLUDE}",
        f"{root}/studies?PatientName=Wang*&{INCLUDE}",
        f"{root}/studies?ModalitiesInStudy=CT&{INCLUDE}",
    ]
    base += [f"{root}/studies?PatientID={pid}&{INCLUDE}" for pid in patient_ids]
    return [base[i % len(base)] for i in range(QUERIES_PER_ROUND)]


def run_curl(urls: list[str], user: str, password: str, workdir: Path) -> None:
    # Credentials go in a config file, never on the command line.
    config = workdir / "curl.cfg"
    lines = [f'user = "{user}:{password}"', "silent", "fail"]
    for url in urls:
        lines += [f'url = "{url}"', 'output = "/dev/null"']
    config.write_text("\n".join(lines))
    config.chmod(0o600)
    subprocess.run(["curl", "--config", str(config)], check=True)


def run_requests(session: requests.Session, urls: list[str]) -> int:
    studies = 0
    for url in urls:
        response = session.get(url, headers={"Accept": "application/dicom+json"}, timeout=10)
        response.raise_for_status()
        studies += len(response.json())
    return studies


def main() -> dict[str, float]:
    if shutil.which("curl") is None:
        raise SystemExit("curl is needed as the baseline")
    with demo_platform() as up, tempfile.TemporaryDirectory() as tmp:
        ids = [p.platform_id for p in up.manifest.patients]
        urls = query_urls(up.platform_url, ids)
        user, password = up.auth("platform")
        session = up.session("platform")
        assert run_requests(session, urls) > 0  # warm up, and check the answers are real
        curl_best, curl_median = best_of(ROUNDS, lambda: run_curl(urls, user, password, Path(tmp)))
        py_best, py_median = best_of(ROUNDS, lambda: run_requests(session, urls))
        session.close()
    per_query = 1000 / QUERIES_PER_ROUND
    print(f"QIDO-RS, {QUERIES_PER_ROUND} searches on the demo platform (best of {ROUNDS}):")
    print(f"  curl (baseline)     {curl_best * per_query:7.2f} ms/search")
    print(f"  requests + JSON     {py_best * per_query:7.2f} ms/search")
    ratio, median_ratio = py_best / curl_best, py_median / curl_median
    print(f"  ratio python/curl   {ratio:7.2f}x  (median {median_ratio:.2f}x)")
    return {"ratio": ratio}


if __name__ == "__main__":
    main()
