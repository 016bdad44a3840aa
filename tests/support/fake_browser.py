"""A stand-in for the system browser, for the ``login`` command's test: named in
``BROWSER`` (Python's webbrowser takes it), it signs in at the page it is given as the
user ``QY_TEST_LOGIN`` with ``QY_TEST_PASSWORD``, and follows the redirect back."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.oidc_browser import sign_in

if __name__ == "__main__":
    page = sign_in(sys.argv[1], os.environ["QY_TEST_LOGIN"], os.environ["QY_TEST_PASSWORD"])
    sys.exit(0 if page.status_code == 200 else 1)
