"""After a dropped link, ``fetch`` says how many instances are still missing: the fetch
starts before it knows every instance (a series the cache lacks is asked for whole from
its count), so the cache's list of missing instances can be empty while most of the
study has not come. The count comes from the study's count in the cache and what the
fetch still lacked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.app_cache import app_store
from tests.unit.test_fetch_cmd_opens_only_the_holder import Remote
from tests.unit.test_fetch_interrupted_state import MADE
from tests.unit.test_wado import STUDY
from viewer.cli import run
from viewer.config import SourceConfig
from viewer.sources import opening
from viewer.sources.credentials import CredentialProvider
from viewer.sources.protocol import ImagingSource

TOTAL = sum(map(len, MADE.values()))


def cut_after(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    def open_source(
        config: SourceConfig, credentials: CredentialProvider, timeouts: object = None
    ) -> ImagingSource:
        return Remote(name=config.name, cut_after=count)  # type: ignore[return-value]

    monkeypatch.setattr(opening, "open_source", open_source)


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[cache]\ndir = "{tmp_path / "cache"}"\n'
        '[[sources]]\nname = "provincial"\nurl = "http://127.0.0.1:9/dicom-web"\nauth = "none"\n',
        encoding="utf-8",
    )
    return path


def missing_said(err: str) -> int:
    found = re.search(r"(\d+) instances missing", err)
    assert found, err
    return int(found.group(1))


# The two series come on two threads, so a cut after N lets one or two more through
# (each thread may pass the check before the other's instance counts): what is said is
# compared with what the cache holds after.
@pytest.mark.parametrize("sent", [0, 1, 2])
def test_the_missing_count_after_a_cut_is_what_the_cache_lacks(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sent: int,
) -> None:
    cut_after(monkeypatch, sent)
    config = write_config(tmp_path)
    code = run(["--config", str(config), "fetch", "--study", STUDY])
    err = capsys.readouterr().err
    assert code == 4, err
    assert "run the same command again to resume" in err
    with app_store(tmp_path / "cache") as store:
        cached = len(store.cached_sop_uids(STUDY))
    assert sent <= cached < TOTAL
    assert missing_said(err) == TOTAL - cached


def test_a_series_fetch_cut_says_what_the_series_lacks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    series = next(iter(MADE))
    cut_after(monkeypatch, 1)
    config = write_config(tmp_path)
    code = run(["--config", str(config), "fetch", "--study", STUDY, "--series", series])
    err = capsys.readouterr().err
    assert code == 4, err
    assert missing_said(err) == len(MADE[series]) - 1
