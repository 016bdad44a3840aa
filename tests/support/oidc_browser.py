"""The doctor's browser at the test provider's pages, as plain HTTP requests.

The provider's login and consent pages are simple forms; the device flow's pages are
oidc-provider's own (a form with a hidden ``xsrf`` field). Each helper follows the
redirects a browser would, down to the app's loopback ``/callback``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import requests

_FORM_RE = re.compile(r'<form[^>]*action="([^"]+)"', re.IGNORECASE)
_HIDDEN_RE = re.compile(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')


Tamper = Callable[[str], str]


def _follow(
    browser: requests.Session, response: requests.Response, tamper: Tamper | None = None
) -> requests.Response:
    while response.is_redirect:
        target = urljoin(response.url, response.headers["Location"])
        if tamper is not None and urlsplit(target).path == "/callback":
            target = tamper(target)  # what an attacker's page would send the app
        response = browser.get(target, allow_redirects=False, timeout=10)
    return response


def _post(
    browser: requests.Session,
    page: requests.Response,
    path_end: str,
    form: dict[str, str],
    tamper: Tamper | None = None,
) -> requests.Response:
    actions = [a for a in _FORM_RE.findall(page.text) if a.endswith(path_end)]
    assert actions, f"no form ending in {path_end} on the page:\n{page.text[:800]}"
    url = urljoin(page.url, actions[0])
    answer = browser.post(url, data=form, allow_redirects=False, timeout=10)
    return _follow(browser, answer, tamper)


def sign_in(
    url: str, login: str, password: str, *, allow: bool = True, tamper: Tamper | None = None
) -> requests.Response:
    """Open the authorization ``url``, sign in, allow (or deny); the last answer (the
    app's loopback page, once the provider redirected there). ``tamper`` rewrites the
    redirect to the app's ``/callback`` before the browser follows it."""
    with requests.Session() as browser:
        page = _follow(browser, browser.get(url, allow_redirects=False, timeout=10), tamper)
        page = _post(browser, page, "/login", {"login": login, "password": password}, tamper)
        if "/confirm" in page.text:
            page = _post(browser, page, "/confirm" if allow else "/abort", {}, tamper)
        return page


def approve_device(
    url: str, user_code: str, login: str, password: str, *, allow: bool = True
) -> requests.Response:
    """At the device page ``url``: enter ``user_code``, confirm, sign in, allow or deny."""
    with requests.Session() as browser:
        page = _follow(browser, browser.get(url, allow_redirects=False, timeout=10))
        hidden = dict(_HIDDEN_RE.findall(page.text))
        if "user_code" not in hidden:  # the input page: type the code
            page = _post(browser, page, "/device", {**hidden, "user_code": user_code})
            hidden = dict(_HIDDEN_RE.findall(page.text))
        form = {**hidden, "confirm": "yes"} if allow else {**hidden, "abort": "yes"}
        page = _post(browser, page, "/device", form)
        if "/login" in page.text:
            page = _post(browser, page, "/login", {"login": login, "password": password})
        if "/confirm" in page.text:
            page = _post(browser, page, "/confirm" if allow else "/abort", {})
        return page
