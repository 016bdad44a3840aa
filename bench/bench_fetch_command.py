"""The whole ``fetch`` command, as a doctor or a cron job runs it, against curl.

Issue 13's acceptance: ``python main.py fetch --study UID`` of the demo's 300-slice CT
into an empty cache, wall time of the whole process, at most 1.5x curl's time for the
same study plus the time of ``python main.py --version``, all measured in the same run.

Contenders, interleaved (each once per round, :data:`ROUNDS` rounds, the disk settled
with ``os.sync`` untimed before each run, as in :mod:`bench.bench_fetch`):

1. curl fetching the study's WADO-RS multipart answer (``transfer-syntax=*``) into a new
   file: bench_fetch's curl contender, the same URL, credentials and Accept header;
2. ``python main.py --version``: what starting the interpreter and the CLI costs;
3. ``python main.py --config CFG fetch --study UID``: a new process, a config like the
   demo's with ``[cache] dir`` a fresh empty folder for each run, the passwords read from
   the system keyring: a real Secret Service (gnome-keyring) in a private D-Bus session,
   as scripts/run-tests.sh gives the CLI subprocesses of the tests, signed in once with
   ``login`` (untimed) and thrown away at the end;
4. the same fetch in this process (bench_fetch's "ours: cache store"): what the command
   adds to the transfer itself;
5. two floors (:mod:`bench.floor_fetch`), new processes that read the password from the
   same keyring and write the same answer to one file with no config, cache or parsing:
   with ``requests`` (the stack's client) and with the standard library's ``http.client``.
   What the command takes beyond the first is Qingying's own.

After each timed command fetch (untimed) the cache is checked: exit code 0 and all 300
instances indexed. Printed: best (median) of each, the acceptance ratio
``fetch / (1.5 x curl + version)`` and ``fetch / curl``, both from the bests and as the
median of the rounds' own ratios, then a markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.bench_fetch import Contenders, curl_setup, settled
from bench.common import REPO, demo_platform, machine
from viewer.demo.platform import RunningPlatform

ROUNDS = 7
MAIN = [sys.executable, str(REPO / "main.py")]
CURL = "curl"
VERSION = "main.py --version"
COMMAND = "main.py fetch (whole process)"
IN_PROCESS = "fetch in process (bench_fetch)"
FLOOR_REQUESTS = "floor: keyring + requests"
FLOOR_STDLIB = "floor: keyring + http.client"


@contextmanager
def private_keyring(home: Path) -> Iterator[dict[str, str]]:
    """The environment of a private D-Bus session with an unlocked gnome-keyring whose
    files (and the user config the CLI would read) live under ``home``."""
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed: the fetch command reads passwords from a keyring")
    env = dict(
        os.environ,
        XDG_DATA_HOME=str(home / "data"),
        XDG_RUNTIME_DIR=str(home / "run"),
        XDG_CONFIG_HOME=str(home / "config"),  # no user config laid under the bench's
    )
    for key in ("XDG_DATA_HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME"):
        Path(env[key]).mkdir(mode=0o700)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        # Returns once the Secret Service is on the bus; it ends with the bus.
        subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
            input=secrets.token_urlsafe(24),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        yield env
    finally:
        bus.terminate()
        bus.wait()


class CommandRuns:
    """The subprocess contenders, each as a setup (untimed) returning its timed run."""

    def __init__(self, work: Path, up: RunningPlatform, env: dict[str, str]) -> None:
        self.work = work
        self.env = env
        self.study_uid = up.manifest.ct_markers.study_instance_uid
        self.expected = up.manifest.study(self.study_uid).instance_count
        self.template = up.config_path.read_text(encoding="utf-8")
        self.cache = work / "cache"
        self.config = work / "config.toml"
        self.last_fetch: subprocess.CompletedProcess[str] | None = None
        self.study_url = f"{up.platform_url}/studies/{self.study_uid}"
        self.user = up.auth("platform")[0]
        self.fresh_cache()
        for instance in up.instances.values():  # as `python -m viewer.demo sign-in` does
            user, password = instance.auth
            args = ("login", "--source", instance.source, "--username", user)
            login = self.main(*args, "--password-stdin", stdin=password + "\n")
            if login.returncode != 0:
                raise SystemExit(f"login to {instance.source} failed: {login.stderr.strip()}")

    def main(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*MAIN, "--config", str(self.config), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=REPO,
            check=False,
        )

    def fresh_cache(self) -> None:
        """An empty cache folder and the config pointing at it: the demo's config with
        ``[cache] dir`` laid over it."""
        shutil.rmtree(self.cache, ignore_errors=True)
        self.cache.mkdir()
        cache = f"[cache]\ndir = {json.dumps(str(self.cache))}\n\n"
        self.config.write_text(cache + self.template, encoding="utf-8")

    def version(self) -> Callable[[], object]:
        def run() -> None:
            done = subprocess.run(
                [*MAIN, "--version"], capture_output=True, text=True, env=self.env, cwd=REPO
            )
            assert done.returncode == 0 and done.stdout.startswith("qingying "), done

        return run

    def fetch(self) -> Callable[[], object]:
        self.fresh_cache()

        def run() -> None:
            self.last_fetch = self.main("fetch", "--study", self.study_uid)

        return run

    def floor(self, client: str) -> Callable[[], Callable[[], object]]:
        out = self.work / "floor-body.bin"

        def setup() -> Callable[[], object]:
            out.unlink(missing_ok=True)

            def run() -> None:
                args = ("-m", "bench.floor_fetch", client, self.study_url, self.user, str(out))
                done = subprocess.run(
                    [sys.executable, *args], capture_output=True, env=self.env, cwd=REPO
                )
                assert done.returncode == 0, done.stderr

            return run

        return setup

    def check_fetch(self) -> None:
        """Untimed, after each command fetch: exit 0 and every instance in the index."""
        done = self.last_fetch
        assert done is not None
        if done.returncode != 0:
            raise SystemExit(f"fetch exited {done.returncode}: {done.stderr.strip()}")
        # In a process of the private keyring's session: the cache is sealed with a key
        # the command kept there.
        count = (
            "import sys; from pathlib import Path; from tests.support.app_cache import app_store"
            "\nwith app_store(Path(sys.argv[1])) as store:"
            "\n    print(len(store.cached_sop_uids(sys.argv[2])))"
        )
        done = subprocess.run(
            [sys.executable, "-c", count, str(self.cache), self.study_uid],
            capture_output=True, text=True, env=self.env, cwd=REPO, check=True,
        )  # fmt: skip
        cached = int(done.stdout)
        assert cached == self.expected, f"{cached} of {self.expected} instances cached"


def measure(runs: CommandRuns, ours: Contenders) -> dict[str, list[float]]:
    setups: dict[str, Callable[[], Callable[[], object]]] = {
        CURL: curl_setup(ours.curl, ours.body),
        VERSION: runs.version,
        COMMAND: runs.fetch,
        IN_PROCESS: ours.into_packs,
        FLOOR_REQUESTS: runs.floor("requests"),
        FLOOR_STDLIB: runs.floor("stdlib"),
    }
    results: dict[str, list[float]] = {name: [] for name in setups}
    for _ in range(ROUNDS):
        for name, setup in setups.items():
            run = settled(setup())
            start = time.perf_counter()
            run()
            results[name].append(time.perf_counter() - start)
            if name == COMMAND:
                runs.check_fetch()
    return results


def report(results: dict[str, list[float]], expected: int, size_mb: float) -> dict[str, float]:
    best = {name: min(times) for name, times in results.items()}
    median = {name: statistics.median(times) for name, times in results.items()}

    def budget(curl: float, version: float) -> float:
        return 1.5 * curl + version

    acceptance = best[COMMAND] / budget(best[CURL], best[VERSION])
    vs_curl = best[COMMAND] / best[CURL]
    rounds = list(zip(results[COMMAND], results[CURL], results[VERSION], strict=True))
    paired_acceptance = statistics.median(f / budget(c, v) for f, c, v in rounds)
    paired_curl = statistics.median(f / c for f, c, _v in rounds)
    in_process = best[IN_PROCESS] / best[CURL]
    print(f"WADO-RS study of {expected} instances, {size_mb:.0f} MB, best (median) of {ROUNDS}:")
    for name in results:
        print(f"  {name:32s} {best[name] * 1000:7.0f} ms ({median[name] * 1000:5.0f})")
    print(
        f"  fetch / (1.5 x curl + version)   {acceptance:.2f}  (rounds' median "
        f"{paired_acceptance:.2f}; target <= 1)"
    )
    print(f"  fetch / curl                     {vs_curl:.2f}x (rounds' median {paired_curl:.2f}x)")
    print(f"  fetch in process / curl          {in_process:.2f}x")
    print()
    print(f"machine: {machine()}")
    print("| contender | best ms | median ms | vs curl | of the budget |")
    print("|---|---|---|---|---|")
    labels = {
        CURL: "curl, the same multipart answer to a new file (baseline)",
        VERSION: "`python main.py --version`",
        COMMAND: "`python main.py --config CFG fetch --study UID`, whole process",
        IN_PROCESS: "the same fetch in process (bench_fetch's cache store)",
        FLOOR_REQUESTS: "floor: keyring + `requests`, the answer to one file, a new process",
        FLOOR_STDLIB: "floor: keyring + `http.client`, the same",
    }
    limit = budget(best[CURL], best[VERSION])
    for name, label in labels.items():
        ratio = best[name] / best[CURL]
        print(
            f"| {label} | {best[name] * 1000:.0f} | {median[name] * 1000:.0f} | {ratio:.2f}× "
            f"| {best[name] / limit:.2f} |"
        )
    met = "met" if acceptance <= 1 else "not met"
    print(
        f"| **fetch / (1.5 × curl + version)** | **{acceptance:.2f}** "
        f"({best[COMMAND] * 1000:.0f} / {limit * 1000:.0f} ms; {met}) | "
        f"{paired_acceptance:.2f} (rounds' ratios) | | |"
    )
    return {
        "ratio_acceptance": acceptance,
        "ratio_acceptance_paired_median": paired_acceptance,
        "ratio_curl": vs_curl,
        "ratio_curl_paired_median": paired_curl,
    }


def main() -> dict[str, float]:
    if shutil.which("curl") is None:
        raise SystemExit("curl is needed as the baseline")
    with (
        demo_platform() as up,
        tempfile.TemporaryDirectory(prefix="bench-fetch-command-") as tmp,
        private_keyring(Path(tmp)) as env,
    ):
        work = Path(tmp) / "work"
        (work / "inproc").mkdir(parents=True)
        runs = CommandRuns(work, up, env)
        ours = Contenders(work / "inproc", up)
        try:
            ours.curl()  # warm up the server's and the OS's caches
            size_mb = ours.body.stat().st_size / 1e6
            runs.version()()  # and the interpreter's files
            runs.fetch()()
            runs.check_fetch()
            assert runs.last_fetch is not None
            print(f"the command says: {runs.last_fetch.stdout.strip()}")
            results = measure(runs, ours)
        finally:
            ours.close()
    return report(results, runs.expected, size_mb)


if __name__ == "__main__":
    main()
