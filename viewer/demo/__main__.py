"""The local demo imaging platform: ``python -m viewer.demo up | down | status``.

``up`` generates the demo data set if needed, starts two private Orthanc instances (the
provincial platform and the 南京鼓楼医院 hospital PACS), seeds them, writes a Qingying
configuration listing both as sources and prints their URLs and demo credentials. Where
Node.js and the demo's OpenID provider are installed (``make oidc-provider``) it also
starts the provider and a third Orthanc that only its tokens open (:mod:`.sso_demo`).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from viewer.demo import orthanc, seed, sso_demo

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO_ROOT / ".platform"
DEFAULT_DATA = REPO_ROOT / ".demo" / "data"
CONFIG_NAME = "demo-config.toml"


def _say(message: str) -> None:
    print(message, flush=True)


def _up(run_dir: Path, data_dir: Path) -> int:
    orthanc.find_orthanc()
    from viewer.demo import ensure_demo_data

    _say(f"demo data: {data_dir} (generated on first use, this can take a while)")
    started = time.monotonic()
    manifest = ensure_demo_data(data_dir)
    _say(f"demo data ready in {time.monotonic() - started:.1f} s")
    expected = seed.expected_counts(manifest)

    instances = orthanc.demo_instances(run_dir)
    for instance in instances.values():
        started = time.monotonic()
        pid = orthanc.start(instance)
        _say(f"{instance.key}: Orthanc pid {pid} up in {time.monotonic() - started:.1f} s")
    for result in seed.seed_instances(instances.values(), data_dir, expected):
        what = "already seeded" if result.skipped else f"uploaded {result.uploaded} files"
        _say(f"{result.key}: {what}, {result.stored} instances ({result.seconds:.1f} s)")

    sso_said = sso_demo.up(run_dir, data_dir, expected["pacs"])
    text = orthanc.client_config_toml(instances.values())
    if sso_demo.status(run_dir)["sso"].startswith("running"):
        text += sso_demo.source_toml(run_dir)
    config = run_dir / CONFIG_NAME
    config.write_text(text, encoding="utf-8")
    _say("")
    _say("The demo platform is up (demo-only credentials):")
    for instance in instances.values():
        user, password = instance.auth
        _say(
            f"  {instance.source} ({instance.label}): {instance.dicomweb_url}"
            f"  user {user}  password {password}"
        )
    for line in sso_said:
        _say(line)
    _say(f"Qingying configuration: {config} (use it with --config)")
    _say("Stop it with: python -m viewer.demo down")
    return 0


def _down(run_dir: Path) -> int:
    stopped = orthanc.stop_all(orthanc.demo_instances(run_dir).values())
    for key, was in {**stopped, **sso_demo.down(run_dir)}.items():
        _say(f"{key}: {'stopped' if was else 'not running'}")
    return 0


def _status(run_dir: Path) -> int:
    all_healthy = True
    for instance in orthanc.demo_instances(run_dir).values():
        state = orthanc.status(instance)
        all_healthy &= state.healthy
        if state.healthy:
            text = f"running (pid {state.pid}, {state.detail}) at {instance.dicomweb_url}"
        elif state.running:
            text = f"running (pid {state.pid}) but not answering at {instance.base_url}"
        else:
            text = "not running"
        _say(f"{instance.key}: {text}")
    for key, text in sso_demo.status(run_dir).items():
        _say(f"{key}: {text}")
    return 0 if all_healthy else 1


def _sign_in(run_dir: Path) -> int:
    """Keep the demo users' passwords in the keyring, as a doctor signing in would."""
    from viewer.config import load_config
    from viewer.sources.login import login

    config = load_config(run_dir / CONFIG_NAME)
    for instance in orthanc.demo_instances(run_dir).values():
        user, password = instance.auth
        login(config.source(instance.source), user, password)
        _say(f"{instance.source}: signed in as {user} (password kept in the keyring)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m viewer.demo",
        description="Run the local demo imaging platform (two private Orthanc instances).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="generate data if needed, start and seed both")
    up.add_argument("--data", type=Path, default=DEFAULT_DATA, help="demo data directory")
    for name, text in (
        ("down", "stop both instances"),
        ("status", "show whether both instances run"),
        ("sign-in", "keep the demo passwords in the system keyring (after up)"),
    ):
        commands.add_parser(name, help=text)
    for sub in commands.choices.values():
        sub.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where the instances live")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run_dir: Path = args.dir
    try:
        if args.command == "up":
            return _up(run_dir, args.data)
        if args.command == "down":
            return _down(run_dir)
        if args.command == "sign-in":
            return _sign_in(run_dir)
        return _status(run_dir)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
        print(f"error: {first_line}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
