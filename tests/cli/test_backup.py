"""`python -m app backup DIR` / `restore DIR`: the run store, the secrets made locally and the outbox survive the
loss of `var/` (issue #11 finding 7)."""
from __future__ import annotations

import shutil
import sqlite3
import stat

import pytest

from app.cli.main import main
from app.adapters.xlsx import create_xlsx
from app.config import Settings
from app.wiring import bootstrap
from tests.assessment_book import workbook


@pytest.fixture
def installation(tmp_path, monkeypatch):
    """A local installation in tmp_path with the default config: var/ beside a synced workbook A."""
    monkeypatch.chdir(tmp_path)
    for name in ("REFERENCE_TOKEN_SECRET", "SERVICE_SECRET_KEY", "SERVICE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "a.xlsx"
    create_xlsx(path, workbook())
    assert main(["sync", "assessment", "--workbook", str(path)]) == 0
    bootstrap(Settings()).web_secret_key()  # the web page's session key, made on first use
    return path


def _mails(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "var" / "outbox").glob("*.eml"))


def test_backup_and_restore_round_trip(installation, tmp_path, capsys):
    var = tmp_path / "var"
    secrets = {name: (var / name).read_bytes() for name in ("reference-secret", "web-secret-key")}
    mails = _mails(tmp_path)
    assert mails
    assert main(["backup", "bak"]) == 0
    assert "state.sqlite" in capsys.readouterr().out
    assert stat.S_IMODE((tmp_path / "bak").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "bak" / "reference-secret").stat().st_mode) == 0o600
    shutil.rmtree(var)  # the server is lost
    assert main(["sync", "assessment", "--workbook", str(installation)]) == 2
    assert "python -m app restore DIR" in capsys.readouterr().err  # no new secret is made over sent links
    assert main(["restore", "bak"]) == 0
    assert {name: (var / name).read_bytes() for name in secrets} == secrets and _mails(tmp_path) == mails
    assert stat.S_IMODE((var / "reference-secret").stat().st_mode) == 0o600
    with sqlite3.connect(var / "state.sqlite") as con:
        assert con.execute("SELECT COUNT(*) FROM mails WHERE state = 'sent'").fetchone()[0] == len(mails)
    assert main(["sync", "assessment", "--workbook", str(installation)]) == 0
    assert _mails(tmp_path) == mails  # nothing sent again
    assert [r.status for r in bootstrap(Settings()).store.runs()] == ["ok", "ok"]  # the history came back


def test_backup_wants_an_empty_folder_and_restore_keeps_a_different_secret_unless_forced(installation, tmp_path,
                                                                                        capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    assert main(["backup", "full"]) == 2
    assert main(["backup", "bak"]) == 0
    (tmp_path / "var" / "web-secret-key").write_text("00" * 32)
    capsys.readouterr()
    assert main(["restore", "bak"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["restore", "bak", "--force"]) == 0
    assert (tmp_path / "var" / "web-secret-key").read_text() != "00" * 32
    assert main(["restore", "nothing-here"]) == 2
