"""A small DICOMweb client: QIDO-RS searches and WADO-RS metadata (PS3.18 §10.4, §10.6).

The session (retries, TLS, auth) is passed in. Every failure becomes a typed error that
names the source: AuthError for refused credentials, CertificateError for TLS,
NetworkError when the server cannot be reached, ServerError for an error status,
InvalidDataError for an answer that is not what the standard says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from viewer import dicom_json
from viewer.dicom_json import DicomJson
from viewer.dicomweb.errors_map import raise_for_status, request_error
from viewer.dicomweb.qido import StudyQuery, encode_params, study_search_params
from viewer.errors import InvalidDataError, NotFoundError
from viewer.uids import require_uid

DICOM_JSON = "application/dicom+json"
DEFAULT_PAGE_SIZE = 100
DEFAULT_CAP = 1000  # studies per source and search; more means the search is too broad


@dataclass(frozen=True)
class SearchResult:
    items: list[DicomJson]
    capped: bool  # the cap was hit: there are more results than were fetched


class DicomwebClient:
    def __init__(self, base_url: str, session: requests.Session, *, name: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.name = name or self.base_url

    # -- QIDO-RS ----------------------------------------------------------------------
    def search_studies(
        self,
        query: StudyQuery,
        include_fields: Sequence[str] = (),
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        cap: int = DEFAULT_CAP,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> SearchResult:
        """Every matching study, page by page (limit/offset), up to ``cap``."""
        params = study_search_params(query, include_fields)
        return self._search_pages("/studies", params, page_size, cap, cancelled)

    def search_series(
        self, study_uid: str, include_fields: Sequence[str] = (), *, cap: int = 10_000
    ) -> SearchResult:
        """Every series of a study (PS3.18 §10.6, /studies/{uid}/series)."""
        path = f"/studies/{require_uid(study_uid, 'StudyInstanceUID')}/series"
        params = [("includefield", tag) for tag in include_fields]
        return self._search_pages(path, params, DEFAULT_PAGE_SIZE, cap)

    def search_series_instances(
        self,
        study_uid: str,
        series_uid: str,
        include_fields: Sequence[str] = (),
        *,
        cap: int = 100_000,
    ) -> SearchResult:
        """Every instance of a series: what a complete copy must hold."""
        path = "/studies/{}/series/{}/instances".format(
            require_uid(study_uid, "StudyInstanceUID"),
            require_uid(series_uid, "SeriesInstanceUID"),
        )
        params = [("includefield", tag) for tag in include_fields]
        return self._search_pages(path, params, 1000, cap)

    def _search_pages(
        self,
        path: str,
        params: Sequence[tuple[str, str | int]],
        page_size: int,
        cap: int,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> SearchResult:
        items: list[DicomJson] = []
        offset = 0
        while not cancelled():
            limit = min(page_size, cap - len(items))
            page, more_flagged = self._search(path, [*params, ("limit", limit), ("offset", offset)])
            items.extend(page)
            offset += len(page)
            if len(items) >= cap:
                return SearchResult(items[:cap], capped=len(page) == limit or more_flagged)
            if len(page) < limit or not page:
                break
        return SearchResult(items, capped=False)

    def search_instances(self, study_uid: str, limit: int = 1) -> list[DicomJson]:
        require_uid(study_uid, "StudyInstanceUID")
        page, _ = self._search(f"/studies/{study_uid}/instances", [("limit", limit)])
        return page

    def check_access(self) -> None:
        """One small authenticated search: raises the typed error if access fails."""
        self._search("/studies", [("limit", 1)])

    # -- WADO-RS metadata ---------------------------------------------------------------
    def instance_metadata(self, study_uid: str, series_uid: str, sop_uid: str) -> DicomJson:
        path = "/studies/{}/series/{}/instances/{}/metadata".format(
            require_uid(study_uid, "StudyInstanceUID"),
            require_uid(series_uid, "SeriesInstanceUID"),
            require_uid(sop_uid, "SOPInstanceUID"),
        )
        items = self._json_list(self._get(path, ""))
        if not items:
            raise NotFoundError(f"{self.name}: no metadata for instance {sop_uid}")
        return items[0]

    # -- plumbing -----------------------------------------------------------------------
    def _search(
        self, path: str, params: Sequence[tuple[str, str | int]]
    ) -> tuple[list[DicomJson], bool]:
        response = self._get(path, encode_params(params))
        if response.status_code == 204:  # no match
            return [], False
        # PS3.18 §8.3.4.4: a server that stops early says so in a Warning header.
        more = "additional results" in response.headers.get("Warning", "").lower()
        return self._json_list(response), more

    def _get(self, path: str, query_string: str) -> requests.Response:
        url = self.base_url + path + (f"?{query_string}" if query_string else "")
        try:
            response = self.session.get(url, headers={"Accept": DICOM_JSON})
        except requests.exceptions.RequestException as err:
            raise request_error(self.name, err) from err
        raise_for_status(self.name, response)
        return response

    def _json_list(self, response: requests.Response) -> list[DicomJson]:
        # Refuses NaN/Infinity, overflowing numbers and nesting deep enough to exhaust
        # the parser's recursion, naming this source (dicom_json.loads).
        data: Any = dicom_json.loads(response.content, self.name)
        if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
            raise InvalidDataError(f"{self.name}: the answer is not a DICOM JSON array")
        return data
