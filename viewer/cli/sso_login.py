"""``login`` and ``logout`` of a source that signs in through an OpenID provider.

Where a display exists the provider's page opens in the system browser; otherwise (over
SSH, on a console), or with ``--device``, the device flow: the link and the code are
printed on standard error (with a QR code of the complete link on a terminal), and the
command waits until the sign-in completes, is denied or expires. Tokens are never
printed: the refresh token goes to the keyring, the access token stays in memory.
"""

from __future__ import annotations

import os
import sys
import webbrowser
from typing import TextIO

from viewer.config import SourceConfig
from viewer.sources.oidc.grant import OidcGrant
from viewer.sources.oidc.signins import SIGN_INS, SignedOut, SignIns


def has_display() -> bool:
    """A browser can open here: any Windows or macOS desktop, an X11 or Wayland one."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def sign_in(
    source: SourceConfig,
    *,
    device: bool,
    sign_ins: SignIns = SIGN_INS,
    err: TextIO | None = None,
) -> OidcGrant:
    out = err or sys.stderr
    if not device and has_display():

        def open_url(url: str) -> None:
            print(f"Signing in to {source.name} in your browser.", file=out)
            print(f"If no browser opened, open this link: {url}", file=out, flush=True)
            webbrowser.open(url)

        return sign_ins.sign_in_with_browser(source, open_url)
    metadata, code = sign_ins.start_device(source)
    print(f"To sign in to {source.name}, open {shown(code.verification_uri)}", file=out)
    print(f"and enter the code: {shown(code.user_code)}", file=out)
    if code.verification_uri_complete:
        print(f"(or open {shown(code.verification_uri_complete)})", file=out)
        if out.isatty():
            import segno

            segno.make(code.verification_uri_complete, error="m").terminal(out=out, compact=True)
    print("Waiting for the sign-in ...", file=out, flush=True)
    return sign_ins.finish_device(source, metadata, code)


def sign_out(source: SourceConfig, sign_ins: SignIns = SIGN_INS) -> SignedOut:
    """Revoke and forget; what came of it, and the provider's logout link."""
    return sign_ins.sign_out(source)


def shown(text: str) -> str:
    """The provider's text as it may reach a terminal: no control characters (an escape
    sequence could rewrite what the doctor reads)."""
    return "".join(ch for ch in text if ch.isprintable())
