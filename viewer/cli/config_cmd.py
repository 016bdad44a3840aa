"""``config show`` and ``config paths``: what IT needs to check a deployment.

What is shown never includes a secret: the configuration refuses them when it is read,
and URLs are shown through :func:`viewer.config.redact_url` besides, so that a change
there can never put a password on the screen.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from viewer.config import Config, redact_url, site_config_path, user_config_path


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("config", help="show the effective configuration")
    actions = parser.add_subparsers(dest="config_action", metavar="<action>", required=True)
    show = actions.add_parser("show", help="the merged configuration and the files it came from")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    actions.add_parser("paths", help="where the site and user config files are looked for")
    parser.set_defaults(handler=run)
    write = actions.add_parser(
        "write-site",
        help="write the site config from an installer's answers",
        description="What every installer runs with IT's answers (debconf, MSI "
        "properties, a macOS postinstall): the site configuration, written atomically; a "
        "file it did not write itself is left as it is (exit 0, said on stderr).",
    )
    write.add_argument("--out", type=Path, help="default: the site config path")
    write.add_argument("--url", required=True, help="the platform's DICOMweb root")
    write.add_argument("--issuer", default="", help="IssuerOfPatientID of its patient IDs")
    write.add_argument("--auth", default="basic", help="basic | oidc | none")
    write.add_argument("--cache-dir", default="", help="default: each user's own folder")
    write.add_argument("--cache-size", default="20 GB")
    write.add_argument(
        "--lock", choices=("yes", "no"), default="yes", help="lock the sources and cache.dir"
    )
    write.set_defaults(handler=write_site, needs_config=False)


def write_site(args: argparse.Namespace, _config: Config | None) -> int:
    from viewer.site_config import SiteAnswers, write

    out: Path = args.out or site_config_path()
    answers = SiteAnswers(
        url=args.url,
        issuer=args.issuer,
        auth=args.auth,
        cache_dir=args.cache_dir,
        cache_size=args.cache_size,
        lock=args.lock == "yes",
    )
    if not write(out, answers):
        print(f"{out}: written by someone else: left as it is", file=sys.stderr)
        return 0
    print(f"wrote {out}")
    return 0


def run(args: argparse.Namespace, config: Config) -> int:
    if args.config_action == "paths":
        print(f"site: {site_config_path()}")
        print(f"user: {user_config_path()}")
        return 0
    data = config_as_dict(config)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_text(data))
    return 0


def config_as_dict(config: Config) -> dict[str, Any]:
    return {
        "files": [str(p) for p in config.files],
        "locked": {
            "keys": list(config.locked),
            "by": str(config.locked_by) if config.locked_by is not None else None,
        },
        "cache": {"dir": str(config.cache.dir), "max_size": config.cache.max_size},
        "ui": {"language": config.ui.language},
        "history": {"similar_days": config.history.similar_days},
        "sources": [
            {
                "name": s.name,
                "url": redact_url(s.url),
                "auth": s.auth,
                "username": s.username,
                "issuer": s.issuer,
                "ca_bundle": str(s.ca_bundle) if s.ca_bundle else None,
                "store": s.store,
                "defined_in": s.defined_in,
            }
            for s in config.sources
        ],
    }


def render_text(data: dict[str, Any]) -> str:
    lines = ["files read (lowest precedence first):"]
    lines += [f"  {f}" for f in data["files"]] or ["  (none: built-in defaults)"]
    locked = data["locked"]
    if locked["keys"]:
        lines.append(f"locked by {locked['by']}: {', '.join(locked['keys'])}")
    else:
        lines.append("locked: nothing (the site config locks no key)")
    lines.append(f"cache: {data['cache']['dir']} (max {data['cache']['max_size']:,} bytes)")
    lines.append(f"ui language: {data['ui']['language'] or 'system'}")
    lines.append(f"sources: {len(data['sources'])}")
    for s in data["sources"]:
        user = f" as {s['username']}" if s["username"] else ""
        issuer = f", issuer {s['issuer']}" if s["issuer"] else ""
        lines.append(f"  {s['name']}: {s['url']} ({s['auth']}{user}{issuer})")
    return "\n".join(lines)
