"""``fetch`` opens the configured sources one at a time, in order, until one holds the
study: only the sources asked have their password read (the keyring takes tens of
milliseconds a password), the others are never opened; the holder's series list, asked
to find it, is the one the fetch starts from (not asked twice); the sources asked are
closed; and the cache keeps its budget by the one evict-after-fetch rule, strictly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.unit.test_fetch_interrupted_state import MADE, Source
from tests.unit.test_wado import STUDY
from viewer.cli import fetch_cmd, run
from viewer.config import SourceConfig
from viewer.records import SeriesEntry
from viewer.sources import opening
from viewer.sources.credentials import CredentialProvider
from viewer.sources.protocol import ImagingSource

NAMES = ("provincial", "gulou", "third")


@dataclass
class Remote(Source):
    """The test source of the interrupted-state tests, holding the study or not."""

    holds: bool = True
    closed: bool = False
    calls: list[tuple[str, ...]] = field(default_factory=list)

    def list_series(self, study_uid: str) -> list[SeriesEntry]:
        if not self.holds:
            self.calls.append(("series list",))
            return []
        return super().list_series(study_uid)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def config(tmp_path: Path) -> Path:
    sources = "".join(
        f'[[sources]]\nname = "{name}"\nurl = "http://127.0.0.1:9/{name}/dicom-web"\n'
        'auth = "basic"\nusername = "doctor"\n'
        for name in NAMES
    )
    path = tmp_path / "config.toml"
    path.write_text(f'[cache]\ndir = "{tmp_path / "cache"}"\n{sources}', encoding="utf-8")
    return path


class Opened:
    """Stands in for opening.open_source: each source opened, each password read."""

    def __init__(self, holders: set[str]) -> None:
        self.holders = holders
        self.sources: dict[str, Remote] = {}
        self.passwords_read: list[str] = []

    def __call__(
        self, config: SourceConfig, credentials: CredentialProvider, timeouts: object = None
    ) -> ImagingSource:
        self.passwords_read.append(config.name)
        self.sources[config.name] = Remote(name=config.name, holds=config.name in self.holders)
        return self.sources[config.name]  # type: ignore[return-value]


def fetch(
    monkeypatch: pytest.MonkeyPatch, config: Path, holders: set[str]
) -> tuple[int, Opened, list[bool]]:
    opened = Opened(holders)
    monkeypatch.setattr(opening, "open_source", opened)
    budgets: list[bool] = []
    monkeypatch.setattr(
        fetch_cmd, "keep_budget", lambda store, *, strict=False: budgets.append(strict)
    )
    code = run(["--config", str(config), "fetch", "--study", STUDY])
    return code, opened, budgets


def test_the_first_source_holding_the_study_is_the_only_one_opened(
    monkeypatch: pytest.MonkeyPatch, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, opened, budgets = fetch(monkeypatch, config, {"provincial", "gulou"})
    assert code == 0, capsys.readouterr().err
    assert opened.passwords_read == ["provincial"]
    assert list(opened.sources) == ["provincial"]
    assert opened.sources["provincial"].closed
    assert f"complete ({sum(map(len, MADE.values()))} instances" in capsys.readouterr().out
    assert budgets == [True]


def test_sources_are_opened_in_order_until_one_holds_it(
    monkeypatch: pytest.MonkeyPatch, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, opened, _ = fetch(monkeypatch, config, {"gulou"})
    assert code == 0, capsys.readouterr().err
    assert opened.passwords_read == ["provincial", "gulou"]  # never "third"
    assert opened.sources["provincial"].closed and opened.sources["gulou"].closed


def test_the_series_list_that_found_the_holder_is_the_one_the_fetch_uses(
    monkeypatch: pytest.MonkeyPatch, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, opened, _ = fetch(monkeypatch, config, {"provincial"})
    assert code == 0, capsys.readouterr().err
    calls = opened.sources["provincial"].calls
    assert calls.count(("series list",)) == 1
    assert calls[0] == ("series list",) and ("series", next(iter(MADE))) in calls


def test_no_source_holding_it_is_not_found_and_every_source_was_closed(
    monkeypatch: pytest.MonkeyPatch, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, opened, budgets = fetch(monkeypatch, config, set())
    assert code != 0
    assert "no configured source holds study" in capsys.readouterr().err
    assert list(opened.sources) == list(NAMES)
    assert all(source.closed for source in opened.sources.values())
    assert budgets == []


def test_the_budget_rule_is_the_sessions_strict_one() -> None:
    from viewer.session import budget

    assert fetch_cmd.keep_budget is budget.keep_budget
